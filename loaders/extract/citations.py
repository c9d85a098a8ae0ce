"""Article citations of UNTOC and its Protocols, resolved to provisions.

A provision phrase ("الفقرة الفرعية ٣ (د) من المادة ٦") is followed by the
instrument it belongs to: named ("من بروتوكول الاتجار بالأشخاص"), pointed at
("من ذلك البروتوكول", "من هذين البروتوكولين", "منه"), generic ("من البروتوكول",
"من الاتفاقية"), or left out. Pointers resolve to the instruments named before
them in the unit, then in its chapeau, then the document's own instrument (the
one its title names); a citation that cannot be resolved, or cites an article
the instrument does not have, is reported and not linked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from loaders import patterns
from loaders.extract.lexicon import Lexicon, load
from loaders.normalise import norm, normalise
from loaders.provisions import Provision

PROTOCOLS = ("TIP", "SOM", "FIREARMS")


@dataclass(frozen=True)
class Citation:
    """A cited provision, the words that cite it (as printed) and why that instrument."""

    provision: Provision
    quote: str
    resolved_by: str


@cache
def provision_pattern() -> re.Pattern[str]:
    source = load("citations")["pattern"]["provision"]["regex"]
    letters = "(?:" + "|".join(patterns.vocab("letters")) + ")"
    return re.compile(source.replace("{letter}", letters), re.VERBOSE)


@cache
def phrases() -> Lexicon:
    data = load("citations")
    entries = [(f, e["ref"]) for e in data["instrument_phrase"] for f in e["forms"]]
    entries += [(f, "it") for f in data["it"]["forms"]]
    return Lexicon(entries, prefixes=data["lexicon"]["prefixes"])


@cache
def of_word() -> str:
    """The word between a provision and its instrument phrase ("من"), normalised."""
    return norm(load("citations")["of"]["word"])


@cache
def it_forms() -> tuple[str, ...]:
    """The forms that point at the instrument just named ("منه"), normalised."""
    return tuple(norm(f) for f in load("citations")["it"]["forms"])


def article_counts() -> dict[str, int]:
    return dict(load("citations")["instruments"])


def named_instruments(text: str, default: list[str]) -> list[tuple[int, str]]:
    """(position, key) of every instrument named in ``text``, generic names resolved."""
    out: list[tuple[int, str]] = []
    for hit in phrases().find_all(text):
        if hit.value in ("UNTOC", *PROTOCOLS):
            out.append((hit.start, hit.value))
        elif hit.value == "protocol":
            out.append((hit.start, _protocol(out, default)))
        elif hit.value == "convention":
            out.append((hit.start, "UNTOC"))
    return [(p, k) for p, k in out if k]


def _protocol(before: list[tuple[int, str]], default: list[str]) -> str:
    named = [k for _, k in before if k in PROTOCOLS]
    if named:
        return named[-1]
    protocols = [k for k in default if k in PROTOCOLS]
    return protocols[0] if len(protocols) == 1 else ""


def document_instruments(title: str) -> list[str]:
    """Instruments a document's title names, in order (its default context)."""
    return [k for _, k in named_instruments(normalise(title).text, [])]


def _resolve(ref: str, before: list[tuple[int, str]], default: list[str]) -> list[str]:
    keys = [k for _, k in before]
    protocols = [k for k in keys if k in PROTOCOLS]
    if ref in ("UNTOC", *PROTOCOLS):
        return [ref]
    if ref == "convention":
        return ["UNTOC"]
    if ref == "protocol":
        found = _protocol(before, default)
        return [found] if found else []
    if ref == "that-protocol":
        return protocols[-1:] if protocols else []
    if ref == "both-protocols":
        distinct = list(dict.fromkeys(reversed(protocols)))[:2]
        return sorted(distinct, key=PROTOCOLS.index) if len(distinct) == 2 else []
    if ref == "it":
        return keys[-1:] if keys else [k for k in default[:1]]
    return keys[-1:] if keys else []


def _provisions(found: re.Match[str], key: str) -> list[Provision]:
    g = found.groupdict()
    if g.get("a1"):
        return [Provision(key, int(g["a1"])), Provision(key, int(g["a2"]))]
    if g.get("art_only"):
        return [Provision(key, int(g["art_only"]))]
    art = int(g["art"])
    if g.get("p1"):
        return [Provision(key, art, int(g["p1"])), Provision(key, art, int(g["p2"]))]
    if g.get("sub_only"):
        return [Provision(key, art, None, patterns.latin_letter(g["sub_only"]))]
    sub = patterns.latin_letter(g["sub"]) if g.get("sub") else None
    return [Provision(key, art, int(g["para"]), sub)]


def find(text: str, context: str, default: list[str]) -> tuple[list[Citation], list[str]]:
    """Citations in a unit's ``text`` (raw); ``context`` is its chapeau's text.

    Returns the citations and, for people, the phrases that could not be resolved.
    """
    n = normalise(text)
    ctx = named_instruments(normalise(context).text, default) if context else []
    out: list[Citation] = []
    problems: list[str] = []
    for found in provision_pattern().finditer(n.text):
        tail = found.end()
        rest = n.text[tail:]
        stripped = rest.lstrip()
        pos = tail + len(rest) - len(stripped)
        ref, end = "", tail
        of = of_word() + " "
        it = next((f for f in it_forms() if stripped.startswith(f)), "")
        if stripped.startswith(of):
            hit = phrases().match_at(n.text, pos + len(of))
            if hit:
                ref, end = hit.value, hit.end
        elif it:
            ref, end = "it", pos + len(it)
        before = [(-1, k) for _, k in ctx] + named_instruments(n.text[: found.start()], default)
        keys = _resolve(ref, before, default)
        s, e = n.source_span(found.start(), end)
        quote = text[s:e].strip()
        if not keys:
            problems.append(f"cannot tell which instrument '{quote}' cites")
            continue
        for key in keys:
            for provision in _provisions(found, key):
                if provision.article > article_counts()[key]:
                    problems.append(
                        f"'{quote}' cites article {provision.article} of {key}, "
                        f"which has {article_counts()[key]} articles"
                    )
                    continue
                out.append(Citation(provision, quote, ref or "context"))
    return out, problems


def annotate(doc) -> None:
    """Set ``cites`` on every unit of ``doc``; report unresolved citations as warnings."""
    from loaders.tree import warn

    default = document_instruments(doc.title) or ["TIP"]
    for unit in doc.units():
        context = (
            unit.parent.text
            if unit.parent is not None and unit.kind in ("subparagraph", "point")
            else ""
        )
        unit.cites, problems = find(unit.text, context, default)
        for problem in problems:
            warn(doc, unit, unit.label, problem)
