"""Read a document (or a folder of them) into paragraph trees: the loaders' entry point.

For each file: decode, split into typed blocks, read the header, tell the
document's kind (from the manifest, else from its own text), hand the body to
the kind's assembler, link footnotes, mint eIds. Manifest values win over what
the text says; a disagreement is reported as a warning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from loaders import compilation, extract, footnotes, ids, patterns, report, resolution
from loaders.blocks import Block, read_blocks
from loaders.decode import decode_bytes
from loaders.errors import LoadError
from loaders.header import body_code, header_meeting, read_header
from loaders.manifest import load_manifest
from loaders.model import Document, Segment

#: Extensions read from a folder.
TEXT_SUFFIXES = (".txt",)


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
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(str(path), f"cannot be opened ({exc.strerror})") from None
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
            "'التوصية' headings, no opening formula such as 'إن الجمعية العامة،')",
            "Add an entry with kind = ... for it in the folder's manifest.toml.",
        )
    _assemble(doc, blocks)
    _apply_manifest(doc, entry)
    footnotes.link(doc)
    ids.assign(doc)
    extract.annotate(doc)
    return doc


def _assemble(doc: Document, blocks: list[Block]) -> None:
    if doc.kind == "wg-compilation":
        start = compilation.body_start(blocks)
        _title_from(doc, read_header(doc, blocks[:start]))
        compilation.read_compilation(doc, blocks[start:])
        doc.body = "WorkingGroup"
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
    else:
        start = resolution.opening_index(blocks)
        if start == len(blocks):
            raise LoadError(
                doc.path,
                "no opening formula ('إن الجمعية العامة،', 'إن مؤتمر الأطراف ...،') was found",
                "Check the file is a resolution or decision, or fix its kind.",
            )
        left = read_header(doc, blocks[:start])
        if left:
            last = left[-1]
            doc.title = last.raw
            doc.title_segment = Segment(last.start, last.end, last.line)
        doc.body = opening_body(blocks[start])
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
        warn(doc, None, "", f"manifest says body {entry['body']}, the text says {doc.body}")
    doc.body = entry.get("body") or doc.body
    if "date" in entry:
        date = dt.date.fromisoformat(str(entry["date"]))
        if doc.date and doc.date != date:
            warn(doc, None, "", f"manifest date {date} differs from the printed date {doc.date}")
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
    folder: Path, read: Callable[[Path, dict | None], Document] = read_document
) -> tuple[list[Document], list[LoadError]]:
    """Read every text file in ``folder`` (sorted by name); collect, don't raise, errors.

    ``read`` reads one document (a caching reader may stand in for
    :func:`read_document`); cross-document linking always runs over all of them.
    """
    manifest = load_manifest(folder)
    docs, errors = [], []
    for path in folder_files(folder):
        try:
            docs.append(read(path, manifest.get(path.name)))
        except LoadError as exc:
            errors.append(exc)
    extract.link_corpus(docs)
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
