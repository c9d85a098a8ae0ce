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
import os
import re
from dataclasses import dataclass

from loaders.errors import LoadError

#: Largest document read, in bytes (50 MB). The longest UN documents Palermo reads are
#: well under 1 MB; anything this large is not one document, and reading it whole would
#: hold the build for minutes. Files above the limit are refused before they are read.
MAX_BYTES = 50_000_000
#: Environment variable that overrides :data:`MAX_BYTES` (a number of bytes).
MAX_BYTES_ENV = "PALERMO_MAX_DOCUMENT_BYTES"
#: Share of letters that must be Arabic for a Windows-1256 reading to be believed.
MIN_ARABIC_SHARE = 0.3
#: Share of control characters above which a decoded file is treated as binary.
MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class Decoded:
    """Decoded text (BOM removed) and the encoding it was read with."""

    text: str
    encoding: str


def max_document_bytes() -> int:
    """The size limit: :data:`MAX_BYTES`, or the environment's override."""
    value = os.environ.get(MAX_BYTES_ENV, "").strip().replace("_", "")
    if not value:
        return MAX_BYTES
    if not value.isdigit():
        raise LoadError(
            MAX_BYTES_ENV, f"is {value!r}, not a number of bytes", "Set it to e.g. 100000000."
        )
    return int(value)


def decode_bytes(data: bytes, path: str) -> Decoded:
    """Return the text of ``data``; raise :class:`LoadError` if it is not readable text."""
    if not data.strip():
        raise LoadError(path, "the file is empty", "Remove it or put the document's text in it.")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_checked(_strict(data[3:], "utf-8", path), path), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_checked(_strict(data, "utf-16", path), path), "utf-16")
    if b"\x00" in data:
        raise _nul_error(data, path)
    try:
        return Decoded(_checked(data.decode("utf-8"), path), "utf-8")
    except UnicodeDecodeError as exc:
        _refuse_damaged_utf8(data, exc, path)
    text = data.decode("cp1256", errors="replace")
    if "\ufffd" in text or _arabic_share(text) < MIN_ARABIC_SHARE or _space_share(text) < 0.05:
        raise LoadError(
            path,
            "the encoding is not UTF-8, UTF-16 or Windows-1256 Arabic",
            "Convert the file to UTF-8 (e.g. iconv -f <encoding> -t UTF-8).",
        )
    return Decoded(_checked(text, path), "cp1256")


def _nul_error(data: bytes, path: str) -> LoadError:
    """Binary, or UTF-16 saved without its byte-order mark (Arabic text either way round)."""
    for name in ("utf-16-le", "utf-16-be"):
        if _arabic_share(data[:4096].decode(name, errors="replace")) >= MIN_ARABIC_SHARE:
            return LoadError(
                path,
                f"the file holds NUL bytes: it looks like {name.upper()} without a byte-order mark",
                "Save it as UTF-8 (or as UTF-16 with a byte-order mark).",
            )
    at = data.index(b"\x00")
    return LoadError(
        path,
        f"the file is binary: it holds NUL bytes, which text does not (the first at line "
        f"{_line(data[:at].decode('utf-8', 'replace'))}, byte {at})",
        "Palermo reads plain text: UTF-8, UTF-16 with BOM or Windows-1256.",
    )


def _refuse_damaged_utf8(data: bytes, exc: UnicodeDecodeError, path: str) -> None:
    """Refuse UTF-8 with a few bad bytes (a damaged or cut-short file).

    Read as Windows-1256, UTF-8 Arabic turns into Arabic-looking mojibake
    ("طھظ†ظپظٹط°") that the Windows-1256 check would accept; a file that is nearly
    all valid UTF-8 is UTF-8, and its bad byte is named instead.
    """
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    if bad > max(3, len(loose) // 1000) or _arabic_share(loose) < MIN_ARABIC_SHARE:
        return
    where = f"line {_line(data[: exc.start].decode('utf-8', 'replace'))}, byte {exc.start}"
    cut = exc.end == len(data) and exc.reason == "unexpected end of data"
    raise LoadError(
        path,
        f"the file is UTF-8 but not valid: byte 0x{data[exc.start]:02x} at {where} "
        + (
            "is the start of a character the file ends before (was it cut short?)"
            if cut
            else "cannot be read as UTF-8"
        )
        + (f"; {bad} bad bytes in all" if bad > 1 else ""),
        "Repair the file from its source, or re-save it as UTF-8.",
    )


def _line(prefix: str) -> int:
    """Line number of the character after ``prefix`` (line breaks as str.splitlines)."""
    return len((prefix + "x").splitlines())


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
    """Refuse decoded text that is mojibake, mostly control characters (binary) or blank."""
    _refuse_mojibake(text, path)
    controls = len(CONTROLS.findall(text))
    if "\x00" in text or controls > MAX_CONTROL_SHARE * max(len(text), 1):
        first = text.index("\x00") if "\x00" in text else CONTROLS.search(text).start()
        raise LoadError(
            path,
            f"the file is binary (control characters in the text, the first at line "
            f"{_line(text[:first])})",
            "Palermo reads plain text: UTF-8, UTF-16 with BOM or Windows-1256.",
        )
    if not text.strip():
        raise LoadError(path, "the file is empty", "Put the document's text in it.")
    return text


#: Control characters (Unicode category Cc) other than tab, newline, carriage return and
#: form feed, which plain text holds (tests/test_decode.py checks every code point).
CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
#: The Arabic block, whose letters make a text Arabic.
ARABIC_BLOCK = re.compile("[\u0600-\u06ff]+")


#: Latin letters that UTF-8 Arabic turns into when misread as Latin-1 / Windows-1252:
#: every Arabic letter's first byte is 0xD8-0xDB.
MOJIBAKE_LEADS = "\u00d8\u00d9\u00da\u00db"
#: Share of letters that are those for a text to be called mojibake.
MIN_MOJIBAKE_SHARE = 0.2


def _refuse_mojibake(text: str, path: str) -> None:
    """Refuse Arabic UTF-8 that was misread as Latin-1 or Windows-1252 and saved again."""
    letters = sum(map(str.isalpha, text))
    leads = sum(map(text.count, MOJIBAKE_LEADS))  # the four leads are all letters
    if not letters or leads < MIN_MOJIBAKE_SHARE * letters or _arabic_share(text) > 0.5:
        return
    at = next(i for i, ch in enumerate(text) if ch in MOJIBAKE_LEADS)
    raise LoadError(
        path,
        f"the text is mojibake: Arabic UTF-8 misread as Latin-1 or Windows-1252 and saved "
        f"again (line {_line(text[:at])} reads {text[at : at + 12]!r})",
        "Undo it with iconv -f UTF-8 -t WINDOWS-1252 (or -t LATIN1) and check the result "
        "reads as Arabic.",
    )


def _space_share(text: str) -> float:
    """Share of whitespace: real prose has words; random high bytes do not."""
    return sum(map(str.isspace, text)) / max(len(text), 1)


def _arabic_share(text: str) -> float:
    """Share of the letters in the Arabic block (counted in C: this runs on whole files)."""
    letters = sum(map(str.isalpha, text))
    if not letters:
        return 0.0
    return sum(map(str.isalpha, "".join(ARABIC_BLOCK.findall(text)))) / letters
