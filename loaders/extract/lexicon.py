"""Match a lexicon of Arabic forms in normalised text: word starts, longest first.

A :class:`Lexicon` compiles its forms (normalised with the same function as the
text) into one pattern (a trie), longest form first, so "تحث بشدة" wins over "تحث"
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


def trie_pattern(forms) -> str:
    """A regex matching any of ``forms``, longest first, written as a trie: one branch
    per next character, so the matcher follows one path instead of trying every form
    at every position (a flat alternation of the verb lexicon cost a third of the
    extraction). Where a form ends inside a longer one, the longer is tried first
    (``(?:...)?`` is greedy), the order a longest-first alternation gives.

    >>> trie_pattern(["ab", "abc", "b"])
    '(?:ab(?:c)?|b)'
    """
    trie: dict = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}  # a form ends here
    return _node_pattern(trie)


def _node_pattern(node: dict) -> str:
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    return f"(?:{body})?"


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
        prefix = f"[{prefixes}]{{0,2}}" if prefixes else ""
        forms = trie_pattern(self.values)
        self.regex = re.compile(rf"(?<![{LETTER}]){prefix}(?P<form>{forms})(?![{LETTER}])")

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
