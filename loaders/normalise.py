"""Matching-only normalisation of Arabic text, with a map back to the source.

Each step is one small function over a :class:`Normalised` value, after CAMeL
Tools' one-function-per-normalisation style; the character tables are data in
``loaders/data/arabic.toml``. The source text is never altered: a
:class:`Normalised` keeps, for each output character, the offset of the source
character it came from, so a match in normalised text maps back to an exact
slice of the original file (eyecite's approach).

>>> n = normalise("- ١٢ - فيما يتعلّق")
>>> n.text
'12 - فيما يتعلق'
>>> n.source_span(0, 2)
(2, 4)
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain
from pathlib import Path

DATA = Path(__file__).with_name("data") / "arabic.toml"


@dataclass(frozen=True)
class Normalised:
    """Normalised text and, per character, the source offset it came from."""

    text: str
    offsets: tuple[int, ...]
    source_length: int

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised slice ``[start, end)`` to the source slice it covers."""
        if start >= end:
            pos = self.offsets[start] if start < len(self.offsets) else self.source_length
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def source_offset(self, index: int) -> int:
        """Source offset of normalised position ``index`` (end of text maps to the end)."""
        return self.offsets[index] if index < len(self.offsets) else self.source_length


Step = Callable[[Normalised], Normalised]


@cache
def tables() -> dict:
    """The character tables, loaded once from ``arabic.toml``."""
    with DATA.open("rb") as fh:
        return tomllib.load(fh)


def _rebuild(n: Normalised, keep: Iterable[tuple[str, int]]) -> Normalised:
    chars, offsets = [], []
    for ch, off in keep:
        chars.append(ch)
        offsets.append(off)
    return Normalised("".join(chars), tuple(offsets), n.source_length)


def _dropper(names: tuple[str, ...]) -> Step:
    def step(n: Normalised) -> Normalised:
        drop = {ch for name in names for ch in tables()["drop"][name]}
        return _rebuild(
            n, ((c, o) for c, o in zip(n.text, n.offsets, strict=True) if c not in drop)
        )

    return step


def _mapper(name: str) -> Step:
    def step(n: Normalised) -> Normalised:
        table = tables()["map"][name]
        return _rebuild(n, ((table.get(c, c), o) for c, o in zip(n.text, n.offsets, strict=True)))

    return step


drop_tatweel = _dropper(("tatweel",))
drop_diacritics = _dropper(("diacritics",))
drop_invisible = _dropper(("invisible", "markup"))
map_digits = _mapper("digits")
map_letters = _mapper("letters")
map_punctuation = _mapper("punctuation")


def drop_list_dash(n: Normalised) -> Normalised:
    """Remove a stray leading "- " list marker (conversion debris before numbers)."""
    text = n.text
    i = 0
    while i < len(text) and text[i] == " ":
        i += 1
    if text[i : i + 1] == "-" and text[i + 1 : i + 2] == " ":
        j = i + 1
        while j < len(text) and text[j] == " ":
            j += 1
        return Normalised(text[j:], n.offsets[j:], n.source_length)
    return n


#: The default pipeline, in order. Each step is usable alone.
STEPS: tuple[Step, ...] = (
    drop_invisible,
    drop_tatweel,
    drop_diacritics,
    map_digits,
    map_letters,
    map_punctuation,
    drop_list_dash,
)


@cache
def _composed() -> tuple[dict[int, str | None], frozenset[str], re.Pattern]:
    """The character steps of :data:`STEPS` folded into one pass: a translation table
    that drops and maps at once, the dropped characters, and a pattern matching runs
    of them (whose gaps are the offsets kept)."""
    data = tables()
    drop = frozenset(
        ch for name in ("invisible", "markup", "tatweel", "diacritics") for ch in data["drop"][name]
    )
    maps = [data["map"][name] for name in ("digits", "letters", "punctuation")]
    table: dict[int, str | None] = {}
    for ch in {c for m in maps for c in m}:
        out = ch
        for m in maps:
            out = m.get(out, out)
        table[ord(ch)] = out
    table.update({ord(ch): None for ch in drop})  # dropped before any mapping
    chars = "".join(re.escape(ch) for ch in sorted(drop))
    runs = re.compile(f"[{chars}]+" if chars else "(?!)")  # "[]+" would not compile
    return table, drop, runs


def normalise(text: str, base: int = 0, steps: tuple[Step, ...] = STEPS) -> Normalised:
    """Normalise ``text`` for matching; offsets are ``base`` + index in ``text``.

    The default steps run as one composed pass (the build normalises every line and
    unit); other step tuples run one by one.
    """
    if steps is not STEPS:
        n = Normalised(text, tuple(range(base, base + len(text))), base + len(text))
        for step in steps:
            n = step(n)
        return n
    return _composed_pass(text, base)


#: Unit texts are normalised by several annotators in turn (themes, references,
#: citations...): only 40% of the characters normalised reading the seeds are new, and
#: normalising was 80 of the 200 CPU seconds of extracting 1000x the seeds. A
#: Normalised is frozen, so the same one can be handed out again.
NORMALISED_CACHE = 1024


@lru_cache(maxsize=NORMALISED_CACHE)
def _composed_pass(text: str, base: int) -> Normalised:
    """:func:`normalise` with the default steps, in one composed pass."""
    table, drop, runs = _composed()
    end = base + len(text)
    if drop.isdisjoint(text):  # most lines: nothing to drop, offsets are a plain range
        offsets = tuple(range(base, end))
    else:  # the offsets between the runs of dropped characters, range by range (in C)
        kept, at = [], base
        for found in runs.finditer(text):
            kept.append(range(at, base + found.start()))
            at = base + found.end()
        kept.append(range(at, end))
        offsets = tuple(chain.from_iterable(kept))
    return drop_list_dash(Normalised(text.translate(table), offsets, end))


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Normalised text only: for lexicon entries and patterns written in plain Arabic."""
    return normalise(text).text
