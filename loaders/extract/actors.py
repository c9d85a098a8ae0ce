"""Actors and addressees: Arabic names (``loaders/data/actors.toml``) to actor codes.

The primary addressee is the actor asked to act in the unit's leading clause
(see :mod:`loaders.extract.verbs`); every other actor the unit names is kept as
a mention. "المكتب" counts as UNODC only once UNODC has been named in full
earlier in the document.
"""

from __future__ import annotations

from functools import cache

from loaders.extract.lexicon import Hit, Lexicon, load
from loaders.normalise import norm


@cache
def lexicons() -> tuple[Lexicon, Lexicon]:
    """(full names, names that count only after the full name)."""
    full, short = [], []
    for entry in load("actors")["actor"]:
        target = short if entry.get("after_named") else full
        target += [(form, entry["code"]) for form in entry["forms"]]
    return Lexicon(full), Lexicon(short)


@cache
def exclusions() -> dict[str, list[str]]:
    """Code -> words that, right after a form, make it another body."""
    out: dict[str, list[str]] = {}
    for entry in load("actors")["actor"]:
        out.setdefault(entry["code"], []).extend(norm(w) for w in entry.get("not_followed_by", []))
    return out


def _valid(hit: Hit, text: str) -> bool:
    nxt = text[hit.end :].split(maxsplit=1)
    return not (nxt and nxt[0] in exclusions().get(hit.value, []))


def find(text: str, named: set[str] | frozenset = frozenset()) -> list[Hit]:
    """Every actor named in normalised ``text``; short forms only if their code is in ``named``."""
    full, short = lexicons()
    hits = [h for h in full.find_all(text) if _valid(h, text)]
    taken = [(h.start, h.end) for h in hits]
    for h in short.find_all(text):
        if h.value in named and not any(s <= h.start < e for s, e in taken):
            hits.append(h)
    return sorted(hits, key=lambda h: h.start)


def at(text: str, pos: int, named: set[str] | frozenset = frozenset()) -> Hit | None:
    """The actor named starting at ``pos`` (clitic prefixes allowed), if any."""
    full, short = lexicons()
    hit = full.match_at(text, pos)
    if hit and _valid(hit, text):
        return hit
    hit = short.match_at(text, pos)
    return hit if hit and hit.value in named else None
