"""The seed manifest (``manifest.toml`` beside the documents): optional metadata per file."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

from loaders.errors import LoadError

MANIFEST_NAME = "manifest.toml"
KINDS = ("wg-compilation", "wg-report", "ga-resolution", "cop-resolution", "cop-decision")


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
    for n, entry in enumerate(data.get("document", []), start=1):
        if "file" not in entry:
            raise LoadError(
                str(path),
                f"[[document]] entry {n} has no 'file'",
                'Add file = "<name of the text file>".',
            )
        kind = entry.get("kind")
        if kind and kind not in KINDS:
            raise LoadError(
                str(path),
                f"entry for {entry['file']} has kind {kind!r}",
                "Use one of: " + ", ".join(KINDS) + ".",
            )
        _check_values(path, entry)
        entries[entry["file"]] = entry
    return entries


#: Manifest fields that must be whole numbers.
INTEGER_FIELDS = ("year", "session")
#: What a manifest ``id`` may hold: it becomes part of IRIs.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _check_values(path: Path, entry: dict) -> None:
    """Refuse values the build cannot use, naming the entry and what was expected."""
    name = entry["file"]

    def refuse(reason: str, hint: str) -> LoadError:
        return LoadError(str(path), f"entry for {name}: {reason}", hint)

    if "date" in entry:
        try:
            dt.date.fromisoformat(str(entry["date"]))
        except ValueError:
            raise refuse(
                f"date {entry['date']!r} is not a date", 'Write it as date = "2019-08-07".'
            ) from None
    for key in INTEGER_FIELDS:
        if key in entry and (not isinstance(entry[key], int) or isinstance(entry[key], bool)):
            raise refuse(f"{key} {entry[key]!r} is not a whole number", f"Write e.g. {key} = 11.")
    if "id" in entry and not (isinstance(entry["id"], str) and ID_PATTERN.fullmatch(entry["id"])):
        raise refuse(
            f"id {entry['id']!r} is not a slug",
            "Use letters, digits, '.', '_' and '-' only (it becomes part of IRIs).",
        )
