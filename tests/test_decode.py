"""Decoding: the encodings Palermo accepts, and clear refusals for the rest."""

from __future__ import annotations

import codecs

import pytest

from loaders.decode import decode_bytes
from loaders.errors import LoadError

ARABIC = "إن الجمعية العامة،\nوإذ تشير إلى قرارها 55/25،\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ARABIC.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ARABIC.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + ARABIC.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + ARABIC.encode("utf-16-be"), "utf-16"),
        (ARABIC.encode("cp1256"), "cp1256"),
    ],
)
def test_accepted_encodings_give_the_same_text(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data, "doc.txt")
    assert decoded.text == ARABIC
    assert decoded.encoding == encoding


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Ceci n'est pas de l'arabe, été à Noël".encode("latin-1"), "encoding"),
        (bytes(range(128, 256)) * 4, "encoding"),
    ],
    ids=["empty", "blank", "png", "latin-1", "high-bytes"],
)
def test_refusals_name_the_file_and_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(LoadError) as info:
        decode_bytes(data, "bad/file.txt")
    assert "bad/file.txt" in info.value.message
    assert reason in info.value.message


def test_utf16_bom_with_broken_body_is_refused() -> None:
    with pytest.raises(LoadError, match="not valid utf-16"):
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8", "x.txt")


def test_control_pattern_is_category_cc_without_tab_newline_return_form_feed() -> None:
    """decode.CONTROLS (a regex, run on whole files) against unicodedata, code point by
    code point over all of Unicode."""
    import unicodedata

    from loaders.decode import CONTROLS

    expected = {
        c
        for c in range(0x110000)
        if unicodedata.category(chr(c)) == "Cc" and chr(c) not in "\t\n\r\f"
    }
    found = {c for c in range(0x110000) if CONTROLS.match(chr(c))}
    assert found == expected and len(expected) == 61
