"""Theme tags: what each recommendation and operative unit is about, and why.

Triggers are Arabic words and phrases per theme, kept as data with examples in
``loaders/data/themes.toml``. A unit is tagged on its own text; a subparagraph
also on its chapeau's topic phrase ("فيما يتعلق بضمان عدم معاقبة ...،"), which
often names what the list is about. Each tag keeps the words that triggered it,
as printed. A unit with no trigger of its own takes its chapeau's themes (its
items elaborate the same subject), marked as inherited.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from loaders.extract.lexicon import Lexicon, load
from loaders.normalise import normalise
from loaders.patterns import compiled

#: Units that get themes (their subparagraphs included).
TAGGED = {"recommendation", "operative"}


@dataclass(frozen=True)
class ThemeTag:
    code: str
    triggers: tuple[str, ...]
    inherited: bool = False


@cache
def lexicon() -> Lexicon:
    return Lexicon([(t, e["code"]) for e in load("themes")["theme"] for t in e["triggers"]])


def tag_text(text: str) -> dict[str, list[str]]:
    """Theme code -> the printed words that triggered it, in ``text`` (raw)."""
    n = normalise(text)
    found: dict[str, list[str]] = {}
    for hit in lexicon().find_all(n.text):
        s, e = n.source_span(hit.start, hit.end)
        words = text[s:e]
        found.setdefault(hit.value, [])
        if words not in found[hit.value]:
            found[hit.value].append(words)
    return found


def topic_phrase(text: str) -> str:
    """The chapeau's "فيما يتعلق بـ ..." phrase, as printed, or ``""``."""
    n = normalise(text)
    m = compiled("chapeau_topic").match(n.text)
    if not m:
        return ""
    s, e = n.source_span(m.start(), m.end())
    return text[s:e]


def _tagged(unit) -> bool:
    return unit.top.kind in TAGGED


def annotate(doc) -> None:
    """Set ``themes`` (a list of :class:`ThemeTag`) on every recommendation and operative unit."""
    for unit in doc.units():
        unit.themes = []
        if not _tagged(unit):
            continue
        found = tag_text(unit.text)
        if unit.kind in ("subparagraph", "point") and unit.parent is not None:
            for code, words in tag_text(topic_phrase(unit.parent.text)).items():
                found.setdefault(code, [])
                found[code] += [w for w in words if w not in found[code]]
        unit.themes = [ThemeTag(code, tuple(words)) for code, words in sorted(found.items())]
        if not unit.themes and unit.parent is not None and getattr(unit.parent, "themes", None):
            unit.themes = [ThemeTag(t.code, t.triggers, True) for t in unit.parent.themes]
    for unit in doc.units():
        if _tagged(unit) and not unit.themes and unit.children:
            unit.themes = _from_items(unit)


#: A chapeau with no trigger of its own takes at most this many of its items' themes.
CHAPEAU_THEMES = 3


def _from_items(unit) -> list[ThemeTag]:
    """The themes most of a chapeau's items share ("ينبغي أن تقوم الدول الأطراف بما يلي:")."""
    counts: dict[str, int] = {}
    words: dict[str, list[str]] = {}
    for child in unit.children:
        for tag in child.themes:
            counts[tag.code] = counts.get(tag.code, 0) + 1
            words.setdefault(tag.code, []).extend(
                w for w in tag.triggers if w not in words.get(tag.code, [])
            )
    best = sorted(counts, key=lambda c: (-counts[c], c))[:CHAPEAU_THEMES]
    return [ThemeTag(code, tuple(words[code]), True) for code in sorted(best)]
