"""Read a document (or a folder of them) into paragraph trees: the loaders' entry point.

For each file: decode, split into typed blocks, read the header, tell the
document's kind (from the manifest, else from its own text), hand the body to
the kind's assembler, mint eIds, link footnotes. Manifest values win over what
the text says; a disagreement is reported as a warning. A file larger than the
size limit (``loaders.decode.MAX_BYTES``) is refused before it is read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from loaders import compilation, extract, footnotes, ids, patterns, report, resolution
from loaders.blocks import Block, read_blocks
from loaders.decode import MAX_BYTES_ENV, decode_bytes, max_document_bytes
from loaders.errors import LoadError
from loaders.header import body_code, header_meeting, read_header
from loaders.manifest import load_manifest
from loaders.model import Document, Segment

#: Extensions read from a folder.
TEXT_SUFFIXES = (".txt",)
#: Quoted in messages for people: the heading word "التوصية" of a compilation, and
#: the opening formulas "إن الجمعية العامة،" and "إن مؤتمر الأطراف ...،" of resolutions.
RECOMMENDATION_WORD = "\u0627\u0644\u062a\u0648\u0635\u064a\u0629"
GA_OPENING = (
    "\u0625\u0646 \u0627\u0644\u062c\u0645\u0639\u064a\u0629 \u0627\u0644\u0639\u0627\u0645\u0629"
    + patterns.ARABIC_COMMA
)
COP_OPENING = (
    "\u0625\u0646 \u0645\u0624\u062a\u0645\u0631 \u0627\u0644\u0623\u0637\u0631\u0627\u0641 ..."
    + patterns.ARABIC_COMMA
)


def detect_kind(blocks: list[Block]) -> str:
    """The document kind its text shows, or ``""``."""
    if any(compilation.is_meeting_heading(b) for b in blocks):
        return "wg-compilation"
    if any(b.type == "recommendation" for b in blocks) or any(
        patterns.match("report_title", b.text) for b in blocks
    ):
        return "wg-report"
    at = resolution.opening_index(blocks)
    if at < len(blocks):
        body = opening_body(blocks[at])
        nxt = next((b for b in blocks[at + 1 :] if b.type in ("numbered", "lettered")), None)
        if body == "GeneralAssembly":
            return "ga-resolution"
        if body == "ConferenceOfTheParties":
            return (
                "cop-decision" if nxt is not None and nxt.type == "lettered" else "cop-resolution"
            )
        return "resolution"
    return ""


def opening_body(block: Block) -> str:
    """Actor code of the body an opening formula names ("إن الجمعية العامة،")."""
    found = patterns.match("opening", block.text)
    return body_code(" ".join(found.group("body").split())) if found else ""


def slug(name: str) -> str:
    """A stable IRI-safe id from a file name: lower case, [a-z0-9-] only."""
    stem = name.split(".")[0].lower()
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "document"


def read_document(path: Path, entry: dict | None = None) -> Document:
    """Read one file; raise :class:`LoadError` if it cannot be read at all."""
    entry = entry or {}
    data = read_limited(path)
    decoded = decode_bytes(data, str(path))
    doc = Document(
        path=str(path),
        file_name=path.name,
        source=decoded.text,
        encoding=decoded.encoding,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    blocks = read_blocks(decoded.text)
    doc.kind = entry.get("kind") or detect_kind(blocks)
    if not doc.kind:
        raise LoadError(
            str(path),
            "cannot tell what kind of document this is (no meeting headings, no "
            f"'{RECOMMENDATION_WORD}' headings, no opening formula such as '{GA_OPENING}')",
            "Add an entry with kind = ... for it in the folder's manifest.toml.",
        )
    _assemble(doc, blocks)
    _apply_manifest(doc, entry)
    ids.assign(doc)
    footnotes.link(doc)
    extract.annotate(doc)
    doc.warnings = [w.resolved() for w in doc.warnings]
    return doc


def read_limited(path: Path) -> bytes:
    """The file's bytes; refuse, before reading it, a file larger than the size limit."""
    limit = max_document_bytes()
    try:
        size = path.stat().st_size
        if size > limit:
            raise _too_large(path, size, limit)
        with path.open("rb") as fh:
            data = fh.read(limit + 1)  # a file that grew, or lies about its size
    except OSError as exc:
        raise LoadError(str(path), f"cannot be opened ({exc.strerror})") from None
    if len(data) > limit:
        raise _too_large(path, len(data), limit)
    return data


def _too_large(path: Path, size: int, limit: int) -> LoadError:
    return LoadError(
        str(path),
        f"the file is too large ({size:,} bytes; the limit is {limit:,} bytes per document)",
        f"Split it, or raise the limit with {MAX_BYTES_ENV}=<bytes> if it really is one document.",
    )


def _assemble(doc: Document, blocks: list[Block]) -> None:
    if doc.kind == "wg-compilation":
        start = compilation.body_start(blocks)
        _title_from(doc, read_header(doc, blocks[:start]))
        compilation.read_compilation(doc, blocks[start:])
        doc.body = "WorkingGroup"
        doc.lines["body"] = blocks[start].line if start < len(blocks) else 1
    elif doc.kind == "wg-report":
        start = report.body_start(blocks)
        left = read_header(doc, blocks[:start])
        _title_from(doc, left)
        number = _report_meeting(doc, blocks)
        report.read_report(doc, blocks[start:], number)
        meeting = header_meeting(doc, number) if number else None
        if meeting:
            doc.meetings.append(meeting)
        doc.body = "WorkingGroup"
        doc.lines["body"] = blocks[start].line if start < len(blocks) else 1
    else:
        start = resolution.opening_index(blocks)
        if start == len(blocks):
            raise LoadError(
                doc.path,
                f"no opening formula ('{GA_OPENING}', '{COP_OPENING}') was found",
                "Check the file is a resolution or decision, or fix its kind.",
            )
        left = read_header(doc, blocks[:start])
        if left:
            last = left[-1]
            doc.title = last.raw
            doc.title_segment = Segment(last.start, last.end, last.line)
        doc.body = opening_body(blocks[start])
        doc.lines["body"] = blocks[start].line
        resolution.read_resolution(doc, blocks[start:])
    if "date" in doc.header:
        doc.date = dt.date.fromisoformat(doc.header["date"])
    doc.symbol = doc.header.get("symbol", "")


def _title_from(doc: Document, left: list[Block]) -> None:
    """Title, subtitle and a prefatory note from the unclaimed header lines."""
    from loaders.model import Unit
    from loaders.tree import unit_from

    for block in left:
        if not doc.title:
            doc.title = block.raw
            doc.title_segment = Segment(block.start, block.end, block.line)
        elif len(block.raw) < 150 and not block.raw.endswith("."):
            doc.header.setdefault("subtitle", block.raw)
        else:
            unit: Unit = unit_from(
                block, "note", str(sum(1 for u in doc.root.children if u.kind == "note") + 1)
            )
            doc.root.add(unit)


def _report_meeting(doc: Document, blocks: list[Block]) -> int | None:
    """Meeting number stated in a report ("عُقد الاجتماع التاسع للفريق العامل")."""
    for block in blocks:
        for phrase in patterns.table()["vocab_extra"]["meeting_held"]:
            at = block.text.find(phrase)
            if at < 0:
                continue
            tail = block.text[at + len(phrase) :].strip()
            for word in sorted(patterns.vocab("meeting_ordinals"), key=len, reverse=True):
                if tail.startswith(word):
                    return patterns.ordinal_number(word)
    return None


def _apply_manifest(doc: Document, entry: dict) -> None:
    """Manifest values win; disagreements with the text become warnings."""
    from loaders.tree import warn

    doc.id = entry.get("id") or slug(doc.file_name)
    if entry.get("body") and doc.body and entry["body"] != doc.body:
        warn(
            doc,
            doc.lines.get("body", 1),
            "header",
            f"manifest says body {entry['body']}, the text says {doc.body}",
        )
    doc.body = entry.get("body") or doc.body
    if "date" in entry:
        date = dt.date.fromisoformat(str(entry["date"]))
        if doc.date and doc.date != date:
            warn(
                doc,
                doc.lines.get("english_date", 1),
                "header",
                f"manifest date {date} differs from the printed date {doc.date}",
            )
        doc.date = date
    doc.year = entry.get("year") or (doc.date.year if doc.date else None)
    doc.symbol = entry.get("symbol") or doc.symbol
    doc.decision = entry.get("decision", "")
    doc.session = entry.get("session")
    doc.language = entry.get("language", "ar")
    doc.original_language = entry.get("original_language") or _lang(doc.header.get("original"))
    doc.title_en = entry.get("title_en", "")
    doc.concordance = list(entry.get("concordance", []))
    for meeting in doc.meetings:
        meeting.body = "WorkingGroup" if doc.body == "WorkingGroup" else doc.body


def _lang(name: str | None) -> str:
    return {
        "English": "en",
        "French": "fr",
        "Spanish": "es",
        "Russian": "ru",
        "Chinese": "zh",
        "Arabic": "ar",
    }.get(name or "", "")


def folder_files(folder: Path) -> list[Path]:
    """The documents ``read_folder`` reads, in the order it reads them."""
    return sorted(p for p in folder.iterdir() if p.suffix in TEXT_SUFFIXES and p.is_file())


def read_folder(
    folder: Path,
    read: Callable[[Path, dict | None], Document] = read_document,
    repetitions: bool = True,
    link: bool = True,
) -> tuple[list[Document], list[LoadError]]:
    """Read every text file in ``folder`` (sorted by name); collect, don't raise, errors.

    ``read`` reads one document (a caching reader may stand in for
    :func:`read_document`); cross-document linking runs over all of them.
    ``repetitions=False`` leaves out the search for repeated recommendations, for a
    caller that runs it beside other work (``palermo build``) and adds its links with
    :func:`loaders.extract.add_repetitions`; ``link=False`` leaves out the linking
    too, for a caller that starts that search first and then links
    (:func:`loaders.extract.link_corpus`).
    """
    manifest = load_manifest(folder)
    docs, errors = [], []
    for path in folder_files(folder):
        try:
            docs.append(read(path, manifest.get(path.name)))
        except LoadError as exc:
            errors.append(exc)
    if link:
        extract.link_corpus(docs, repetitions=repetitions)
    for name in sorted(
        set(manifest) - {d.file_name for d in docs} - {Path(e.path).name for e in errors}
    ):
        errors.append(
            LoadError(
                str(folder / name),
                "is listed in the manifest but missing",
                "Add the file or remove its entry.",
            )
        )
    return docs, errors


__all__ = ["folder_files", "read_document", "read_folder"]
