"""Decode a source file's bytes into text, refusing what is not text.

Accepted: UTF-8 (with or without BOM), UTF-16 with BOM, and Windows-1256 (the
legacy Arabic code page), told apart by detection. Anything else (empty files,
binary files, other encodings) raises :class:`LoadError` with the reason, so a
build can name the file instead of publishing mojibake.

>>> decode_bytes("إن".encode("utf-8"), "x.txt").text
'إن'
>>> decode_bytes(b"\\xef\\xbb\\xbf" + "إن".encode("utf-8"), "x.txt").encoding
'utf-8-sig'
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from loaders.errors import LoadError

#: Share of letters that must be Arabic for a Windows-1256 reading to be believed.
MIN_ARABIC_SHARE = 0.3
#: Share of control characters above which a decoded file is treated as binary.
MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class Decoded:
    """Decoded text (BOM removed) and the encoding it was read with."""

    text: str
    encoding: str


def decode_bytes(data: bytes, path: str) -> Decoded:
    """Return the text of ``data``; raise :class:`LoadError` if it is not readable text."""
    if not data.strip():
        raise LoadError(path, "the file is empty", "Remove it or put the document's text in it.")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_strict(data[3:], "utf-8", path), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_checked(_strict(data, "utf-16", path), path), "utf-16")
    if b"\x00" in data:
        raise LoadError(
            path,
            "the file is binary (it holds NUL bytes)",
            "Palermo reads plain text: UTF-8, UTF-16 with BOM or Windows-1256.",
        )
    try:
        return Decoded(_checked(data.decode("utf-8"), path), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1256", errors="replace")
    if "\ufffd" in text or _arabic_share(text) < MIN_ARABIC_SHARE or _space_share(text) < 0.05:
        raise LoadError(
            path,
            "the encoding is not UTF-8, UTF-16 or Windows-1256 Arabic",
            "Convert the file to UTF-8 (e.g. iconv -f <encoding> -t UTF-8).",
        )
    return Decoded(_checked(text, path), "cp1256")


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise LoadError(
            path,
            f"the file starts with a {encoding} byte-order mark but is not valid {encoding} "
            f"(byte {exc.start})",
            "Re-save it as UTF-8.",
        ) from None


def _checked(text: str, path: str) -> str:
    """Refuse decoded text that is mostly control characters (a binary file)."""
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if "\x00" in text or controls > MAX_CONTROL_SHARE * max(len(text), 1):
        raise LoadError(path, "the file is binary (control characters in the text)")
    if not text.strip():
        raise LoadError(path, "the file is empty", "Put the document's text in it.")
    return text


def _space_share(text: str) -> float:
    """Share of whitespace: real prose has words; random high bytes do not."""
    return sum(1 for ch in text if ch.isspace()) / max(len(text), 1)


def _arabic_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if "\u0600" <= ch <= "\u06ff") / len(letters)
