"""The report as a small document model, written as Markdown and as self-contained HTML.

One model, two renderers, so ``report.md`` and ``report.html`` always say the same.
HTML is one file: inline CSS, figures embedded as base64 PNG (the SVG files sit next
to it), every text escaped, Arabic text in ``<span dir="rtl" lang="ar">``.

Examples
--------
>>> doc = Report("T", ["hello"], [Section("S", [Table(["a", "b"], [["x|y", Arabic("نص")]])])])
>>> print(markdown(doc))  # doctest: +NORMALIZE_WHITESPACE
# T
<BLANKLINE>
hello
<BLANKLINE>
Contents: [S](#s)
<BLANKLINE>
## S
<BLANKLINE>
| a | b |
| --- | --- |
| x\\|y | نص |
<BLANKLINE>
>>> '<span dir="rtl" lang="ar">نص</span>' in html(doc, {})
True
"""

from __future__ import annotations

import base64
import html as htmllib
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Arabic:
    """Text in Arabic: right-to-left in HTML."""

    text: str


Cell = str | int | float | Arabic


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]]
    caption: str = ""


@dataclass
class Figure:
    """A figure: ``name`` is the file stem (``figure-most-cited`` -> .png and .svg)."""

    name: str
    caption: str


@dataclass
class Section:
    title: str
    blocks: list[str | Table | Figure] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")


@dataclass
class Report:
    title: str
    intro: list[str]
    sections: list[Section]


def _text(cell: Cell) -> str:
    if isinstance(cell, Arabic):
        return cell.text
    if isinstance(cell, float):
        return f"{cell:.3f}"
    return str(cell)


def _md_cell(cell: Cell) -> str:
    return _text(cell).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(report: Report) -> str:
    """The report as GitHub-flavoured Markdown; figures link to their PNG files."""
    out = [f"# {report.title}", ""]
    for para in report.intro:
        out += [para, ""]
    out += ["Contents: " + " · ".join(f"[{s.title}](#{s.anchor})" for s in report.sections), ""]
    for section in report.sections:
        out += [f"## {section.title}", ""]
        for block in section.blocks:
            if isinstance(block, Table):
                if block.caption:
                    out += [f"**{block.caption}**", ""]
                out.append("| " + " | ".join(block.columns) + " |")
                out.append("| " + " | ".join("---" for _ in block.columns) + " |")
                out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
                if not block.rows:
                    out.append("| " + " | ".join("" for _ in block.columns) + " |")
                out.append("")
            elif isinstance(block, Figure):
                out += [
                    f"![{block.caption}]({block.name}.png)",
                    "",
                    f"*{block.caption}* ([SVG]({block.name}.svg))",
                    "",
                ]
            else:
                out += [block, ""]
    return "\n".join(out)


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.7rem}h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:0.6rem 0 1.2rem;font-size:0.85rem}
th,td{border:1px solid #ddd;padding:0.25rem 0.45rem;vertical-align:top;text-align:left}
th{background:#f3f5f7}tr:nth-child(even) td{background:#fafafa}
caption{text-align:left;font-weight:600;padding:0.3rem 0}
figure{margin:1rem 0}img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:0.85rem;color:#555}
[dir=rtl]{font-family:"Noto Naskh Arabic","Amiri","Scheherazade New","Arial",serif;
unicode-bidi:isolate}
nav{font-size:0.9rem}
"""


def _html_cell(cell: Cell) -> str:
    text = htmllib.escape(_text(cell))
    if isinstance(cell, Arabic):
        return f'<span dir="rtl" lang="ar">{text}</span>'
    return text


def html(report: Report, images: dict[str, bytes]) -> str:
    """The report as one HTML file; ``images`` maps a figure name to its PNG bytes."""
    e = htmllib.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        f"<title>{e(report.title)}</title>",
        f"<style>{CSS.strip()}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(report.title)}</h1>",
    ]
    out += [f"<p>{e(p)}</p>" for p in report.intro]
    links = " · ".join(f'<a href="#{s.anchor}">{e(s.title)}</a>' for s in report.sections)
    out.append(f"<nav>Contents: {links}</nav>")
    for section in report.sections:
        out.append(f'<h2 id="{section.anchor}">{e(section.title)}</h2>')
        for block in section.blocks:
            if isinstance(block, Table):
                out.append("<table>")
                if block.caption:
                    out.append(f"<caption>{e(block.caption)}</caption>")
                out.append("<tr>" + "".join(f"<th>{e(c)}</th>" for c in block.columns) + "</tr>")
                out += [
                    "<tr>" + "".join(f"<td>{_html_cell(c)}</td>" for c in row) + "</tr>"
                    for row in block.rows
                ]
                out.append("</table>")
            elif isinstance(block, Figure):
                data = base64.b64encode(images.get(block.name, b"")).decode("ascii")
                out.append(
                    f'<figure><img alt="{e(block.caption)}" src="data:image/png;base64,{data}">'
                    f'<figcaption>{e(block.caption)} (<a href="{e(block.name)}.svg">SVG</a>)'
                    "</figcaption></figure>"
                )
            else:
                out.append(f"<p>{e(block)}</p>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
