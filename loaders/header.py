"""Read a document's header: distribution, date, languages, agenda item, job number,
symbol, session, committee, sponsors, body lines, title.

The header is every block before the body starts (the first chapter heading of a
report, the opening formula of a resolution). Lines no header pattern claims are
returned in order for the kind's assembler to take its title from.
"""

from __future__ import annotations

from loaders import patterns
from loaders.blocks import Block
from loaders.dates import parse_english, parse_range
from loaders.model import Document, Meeting, Segment
from loaders.tree import add_footnote, warn

HEADER_PATTERNS = (
    "distribution",
    "english_date",
    "language",
    "original",
    "agenda_item",
    "job_number",
    "symbol",
    "session",
    "committee",
    "sponsors",
    "place_dates",
    "report_title",
)


def body_code(text: str) -> str:
    """Actor code of the body a normalised line names, or ``""``."""
    for name, code in patterns.table()["vocab_extra"]["bodies"]:
        if text == name or text.startswith(name + " "):
            return code
    return ""


def read_header(doc: Document, blocks: list[Block]) -> list[Block]:
    """Fill ``doc.header`` from ``blocks``; return the lines left for the title."""
    left: list[Block] = []
    after_agenda = False
    for block in blocks:
        if block.type == "footnote":
            add_footnote(doc, block)
            continue
        name, found = _header_match(block)
        if name:
            _record(doc, name, found, block)
            after_agenda = name == "agenda_item"
            continue
        code = body_code(block.text)
        if code and len(block.text) < 120:
            doc.header.setdefault("bodies", "")
            doc.header["bodies"] = (doc.header["bodies"] + " " + code).strip()
        elif after_agenda:
            doc.header["agenda_title"] = block.raw
        elif block.type != "furniture":
            left.append(block)
        after_agenda = False
    return left


def _header_match(block: Block):
    for name in HEADER_PATTERNS:
        found = patterns.match(name, block.text)
        if found:
            return name, found
    return "", None


def _record(doc: Document, name: str, found, block: Block) -> None:
    g = found.groupdict()
    doc.lines.setdefault(name, block.line)
    if name == "distribution":
        doc.header["distribution"] = g["value"]
    elif name == "english_date":
        date = parse_english(g["day"], g["month"], g["year"])
        if date is None:
            warn(
                doc,
                block,
                "header",
                f"header date '{block.raw}' is not a date of the calendar "
                "(expected e.g. '7 August 2019'); the document is read without it",
            )
        else:
            doc.header["date"] = date.isoformat()
    elif name == "language":
        doc.header["language"] = g["value"]
    elif name == "original":
        doc.header["original"] = g["value"]
    elif name == "agenda_item":
        doc.header["agenda_item"] = g["num"]
    elif name == "job_number":
        doc.header["job_number"] = g["job"]
    elif name == "symbol":
        doc.header["symbol"] = g["symbol"]
    elif name == "session":
        doc.header["session_words"] = block.raw
    elif name == "committee":
        doc.header["committee"] = block.raw
    elif name == "sponsors":
        raw = block.raw[: block.raw.rfind(":")]
        doc.sponsors = [s.strip() for s in raw.split(patterns.ARABIC_COMMA) if s.strip()]
    elif name == "place_dates":
        _meeting_line(doc, g, block)
    elif name == "report_title":
        doc.title = block.raw
        doc.title_segment = Segment(block.start, block.end, block.line)


def _meeting_line(doc: Document, g: dict, block: Block) -> None:
    dates = parse_range(g["dates"])
    doc.header["place"] = block.raw.split(patterns.ARABIC_COMMA)[0].strip()
    if dates:
        doc.header["meeting_start"], doc.header["meeting_end"] = (d.isoformat() for d in dates)


def header_meeting(doc: Document, number: int) -> Meeting | None:
    """The meeting a report's header line describes, numbered ``number``."""
    if "meeting_start" not in doc.header:
        return None
    import datetime as dt

    return Meeting(
        body="WorkingGroup",
        number=number,
        place=doc.header.get("place", ""),
        start=dt.date.fromisoformat(doc.header["meeting_start"]),
        end=dt.date.fromisoformat(doc.header["meeting_end"]),
    )
