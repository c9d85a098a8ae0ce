"""The seed manifest (``manifest.toml`` beside the documents): optional metadata per file.

Manifest values are not trusted: each field is checked for its type and form before
any reaches the graph. A value that becomes part of an IRI (``id``) must match the
IRI-safe pattern; a value that becomes a literal (title, symbol ...) may hold quotes,
brackets, SPARQL keywords or right-to-left marks (they are escaped on output), but no
control characters and no more than a bounded length. A bad value is refused with the
entry and the field named.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from pathlib import Path

from loaders.errors import LoadError

MANIFEST_NAME = "manifest.toml"
KINDS = ("wg-compilation", "wg-report", "ga-resolution", "cop-resolution", "cop-decision")
BODIES = ("WorkingGroup", "ConferenceOfTheParties", "GeneralAssembly")

#: The form of each field: (type, pattern or None, maximum length), and what to write.
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,120}$")
_TEXT = {
    "file": (255, "the text file's name in this folder"),
    "symbol": (200, "a UN document symbol such as CTOC/COP/WG.4/2019/5"),
    "decision": (20, 'a number such as "3/3"'),
    "resolution": (20, 'a number such as "7/1"'),
    "title_en": (2000, "the English title, on one line"),
}
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_NUMBER = re.compile(r"^\d{1,3}/\d{1,4}$")


def load_manifest(folder: Path) -> dict[str, dict]:
    """Entries of ``folder/manifest.toml`` keyed by file name; ``{}`` when there is none."""
    path = folder / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LoadError(
            str(path),
            f"the manifest is not valid TOML ({exc})",
            "Fix the line named, or remove the manifest: it is optional.",
        ) from None
    entries: dict[str, dict] = {}
    documents = data.get("document", [])
    if not isinstance(documents, list) or not all(isinstance(e, dict) for e in documents):
        raise LoadError(str(path), "'document' is not a list of [[document]] tables")
    for n, entry in enumerate(documents, start=1):
        if "file" not in entry:
            raise LoadError(
                str(path),
                f"[[document]] entry {n} has no 'file'",
                'Add file = "<name of the text file>".',
            )
        check_entry(path, n, entry)
        entries[entry["file"]] = entry
    return entries


def _refuse(path: Path, where: str, field: str, value, expected: str) -> LoadError:
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:80] + "..."
    return LoadError(
        str(path), f"{where} has {field} = {shown}", f"Expected {expected}; fix or remove it."
    )


def _text(path: Path, where: str, field: str, value, limit: int, expected: str) -> None:
    if not isinstance(value, str):
        raise _refuse(path, where, field, value, f"a string: {expected}")
    bad = next((c for c in value if unicodedata.category(c) == "Cc"), None)
    if bad is not None:
        raise _refuse(path, where, field, value, f"{expected}, without U+{ord(bad):04X}")
    if not value.strip() or len(value) > limit:
        raise _refuse(path, where, field, value, f"{expected}, 1 to {limit} characters")


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def check_entry(path: Path, n: int, entry: dict) -> None:
    """Refuse a field whose type or form is wrong, naming the entry and the field."""
    _text(path, f"[[document]] entry {n}", "file", entry["file"], *_TEXT["file"])
    if "/" in entry["file"] or "\\" in entry["file"] or entry["file"] in (".", ".."):
        raise _refuse(path, f"entry {n}", "file", entry["file"], "a file name, not a path")
    where = f"entry for {entry['file']}"
    for field, (limit, expected) in _TEXT.items():
        if field in entry and field != "file":
            _text(path, where, field, entry[field], limit, expected)
    checks = {
        "id": (
            lambda v: isinstance(v, str) and bool(_ID.match(v)),
            "lower-case letters, digits and '-', at most 121, starting with a letter or "
            "digit (it is part of every IRI of the document)",
        ),
        "kind": (lambda v: v in KINDS, "one of: " + ", ".join(KINDS)),
        "body": (lambda v: v in BODIES, "one of: " + ", ".join(BODIES)),
        "date": (_is_date, "an ISO date such as 2019-08-07"),
        "year": (lambda v: _whole(v, 1945, 2100), "a year such as 2022"),
        "session": (lambda v: _whole(v, 1, 999), "a session number such as 11"),
        "language": (
            lambda v: isinstance(v, str) and bool(_LANGUAGE.match(v)),
            "an ISO 639-1 code such as ar",
        ),
        "original_language": (
            lambda v: isinstance(v, str) and bool(_LANGUAGE.match(v)),
            "an ISO 639-1 code such as en",
        ),
        "meetings": (
            lambda v: isinstance(v, list) and all(_whole(m, 1, 999) for m in v),
            "a list of meeting numbers such as [1, 2]",
        ),
        "concordance": (
            _is_concordance,
            "[[document.concordance]] tables with meeting, report and offset",
        ),
    }
    for field, (ok, expected) in checks.items():
        if field in entry and not ok(entry[field]):
            raise _refuse(path, where, field, entry[field], expected)
    for field in ("decision", "resolution"):
        if field in entry and not _NUMBER.match(entry[field]):
            raise _refuse(path, where, field, entry[field], _TEXT[field][1])


def _is_date(value) -> bool:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return True
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _is_concordance(value) -> bool:
    return isinstance(value, list) and all(
        isinstance(c, dict)
        and _whole(c.get("meeting"), 1, 999)
        and _whole(c.get("offset"), -999, 999)
        and isinstance(c.get("report"), str)
        and 0 < len(c["report"]) <= 200
        and not any(unicodedata.category(ch) == "Cc" for ch in c["report"])
        for c in value
    )
