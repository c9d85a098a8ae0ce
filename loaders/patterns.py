"""Compiled line and inline patterns, read from ``loaders/data/patterns.toml``.

Patterns are data, each with the seed lines it must match (reporters-db's
habit); this module only fills the ``{placeholders}`` from the vocabulary
tables and compiles them. Code asks for a pattern by name.

>>> match("numbered", "12 - فيما").group("num")
'12'
>>> latin_letter("ه")
'e'
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "patterns.toml"
#: The Arabic comma, which separates names in lists and a meeting's title from its place.
ARABIC_COMMA = "\u060c"
#: The Arabic semicolon "؛", which ends a sentence or a clause of one.
ARABIC_SEMICOLON = "\u061b"
#: The Arabic question mark "؟".
ARABIC_QUESTION = "\u061f"


@cache
def table() -> dict:
    """The whole pattern file, parsed once."""
    with DATA.open("rb") as fh:
        return tomllib.load(fh)


def vocab(name: str) -> list:
    """A vocabulary list from the ``[vocab]`` table."""
    return table()["vocab"][name]


def _alternation(words: list[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)  # longest first: "الثاني عشر" before "الثاني"
    return (
        "(?:"
        + "|".join(re.escape(w).replace("\\ ", " ").replace(" ", r"\ ") for w in ordered)
        + ")"
    )


def _month_names() -> str:
    forms = []
    for lev, eg in vocab("months"):
        forms += [f"{lev}/{eg}", lev, eg]
    return _alternation(forms)


@cache
def _placeholders() -> dict[str, str]:
    return {
        "letters": _alternation(vocab("letters")),
        "chapter_ordinals": _alternation(vocab("chapter_ordinals")),
        "meeting_ordinals": _alternation(vocab("meeting_ordinals")),
        "section_letters": _alternation(vocab("section_letters")),
        "month_names": _month_names(),
    }


@cache
def entry(name: str) -> dict:
    """The data entry of a pattern: ``regex``, ``examples``, flags."""
    for group in ("line", "inline"):
        if name in table()[group]:
            return table()[group][name]
    raise KeyError(f"no pattern named {name!r} in {DATA}")


@cache
def compiled(name: str) -> re.Pattern[str]:
    """The compiled pattern ``name``, placeholders filled."""
    source = entry(name)["regex"]
    for key, value in _placeholders().items():
        source = source.replace("{" + key + "}", value)
    return re.compile(source, re.VERBOSE)


def match(name: str, text: str) -> re.Match[str] | None:
    """``re.match`` of pattern ``name`` at the start of ``text``."""
    return compiled(name).match(text)


def search_all(name: str, text: str) -> list[re.Match[str]]:
    """Every match of pattern ``name`` in ``text``."""
    return list(compiled(name).finditer(text))


def latin_letter(arabic: str) -> str:
    """English list letter for a normalised Arabic list letter, in abjad order."""
    return dict(zip(vocab("letters"), vocab("latin"), strict=True))[arabic]


def letter_index(latin: str) -> int:
    """1-based position of an English list letter (a=1, b=2 ...)."""
    return vocab("latin").index(latin) + 1


def ordinal_number(word: str, kind: str = "meeting_ordinals") -> int:
    """1-based number of an ordinal word (``"التاسع"`` is 9)."""
    return vocab(kind).index(word) + 1


def month_number(name: str) -> int:
    """Month number for a printed month name, Levantine, Egyptian or both."""
    for i, (lev, eg) in enumerate(vocab("months"), start=1):
        if name in (lev, eg, f"{lev}/{eg}"):
            return i
    raise KeyError(name)
