"""The seed manifest (``manifest.toml`` beside the documents): optional metadata per file."""

from __future__ import annotations

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
        entries[entry["file"]] = entry
    return entries
