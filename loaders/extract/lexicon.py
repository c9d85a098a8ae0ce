"""Match a lexicon of Arabic forms in normalised text: word starts, longest first.

A :class:`Lexicon` compiles its forms (normalised with the same function as the
text) into one alternation, longest form first, so "تحث بشدة" wins over "تحث"
at the same position. A form matches at a word start, optionally after clitic
prefixes (و ف ب ل ك), and must end at a word end.

>>> lex = Lexicon([("تحث", "urges"), ("تحث بشدة", "strongly-urges")])
>>> [(h.value, h.start) for h in lex.find_all(norm("وتحث بشدة الحكومات"))]
[('strongly-urges', 1)]
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from loaders.normalise import norm

DATA = Path(__file__).resolve().parents[1] / "data"
LETTER = r"\u0621-\u064A\u0660-\u0669a-zA-Z0-9"
#: Clitic prefixes a form may carry: "و ف ب ل ك" (and, so, by, for, like).
CLITICS = "\u0648\u0641\u0628\u0644\u0643"


@dataclass(frozen=True)
class Hit:
    """A lexicon match: normalised span, value, and the form that matched."""

    start: int
    end: int
    value: str
    form: str


class Lexicon:
    """Forms mapped to values, matched leftmost-longest at word starts."""

    def __init__(self, entries: list[tuple[str, str]], prefixes: str = CLITICS) -> None:
        self.values: dict[str, str] = {}
        for form, value in entries:
            self.values.setdefault(norm(form), value)
        forms = sorted(self.values, key=len, reverse=True)
        alternation = "|".join(re.escape(f) for f in forms)
        prefix = f"[{prefixes}]{{0,2}}" if prefixes else ""
        self.regex = re.compile(rf"(?<![{LETTER}]){prefix}(?P<form>{alternation})(?![{LETTER}])")

    def find_all(self, text: str, start: int = 0) -> list[Hit]:
        """Every non-overlapping match in ``text`` from ``start``."""
        out = []
        for found in self.regex.finditer(text, start):
            form = found.group("form")
            out.append(Hit(found.start("form"), found.end("form"), self.values[form], form))
        return out

    def match_at(self, text: str, pos: int) -> Hit | None:
        """A match starting at ``pos`` (after optional prefixes), or None."""
        found = self.regex.match(text, pos)
        if not found:
            return None
        form = found.group("form")
        return Hit(found.start("form"), found.end("form"), self.values[form], form)


@cache
def load(name: str) -> dict:
    """A TOML data file from ``loaders/data``."""
    with (DATA / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)
