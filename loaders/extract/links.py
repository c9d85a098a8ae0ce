"""Links between units across the corpus: resolved cross-references and reiterations.

"الفقرة ١٧ من تقرير الفريق العامل … ٢٠٠٩" names a paragraph of a meeting
report; the concordance in the manifest (report paragraph = compilation
paragraph + offset, per meeting) turns it into the compilation's unit 1/16.
A unit that says it repeats an earlier recommendation ("كرر الفريق العامل
تأكيد", "تأكيد توصيته السابقة") reiterates the unit its own reference
resolves to or, when it names none, the most similar earlier recommendation
(word-set similarity, threshold below). Unresolved references are kept.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from loaders.extract import references, repetition
from loaders.extract.lexicon import load
from loaders.normalise import norm

#: Minimum similarity for an unnamed reiterated recommendation, chosen on the seeds:
#: 7/1(f) ("تأكيد توصيته السابقة ... مدة زمنية كافية") and 4/24 score 0.27, the next
#: best earlier candidate 0.14.
REITERATE_THRESHOLD = 0.2


@dataclass(frozen=True)
class Link:
    relation: str  # refers-to | reiterates | identical | near-duplicate
    target: tuple[str, str]  # (document id, unit label)
    score: float
    printed: str = ""


def _words(text: str) -> set[str]:
    stop = repetition.stopwords()
    out = set()
    for w in re.findall(r"[\u0621-\u064a]+", norm(text)):
        w = repetition.stem(w)
        if len(w) >= 3 and w not in stop:
            out.add(w)
    return out


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' normalised, de-prefixed word sets."""
    return _jaccard(_words(a), _words(b))


def _jaccard(wa: set[str], wb: set[str]) -> float:
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def _earlier_pool(docs) -> tuple[list[int], list[tuple[str, object, set[str]]]]:
    """Every recommendation a later one may reiterate, sorted by meeting, with its word
    set computed once: (meetings, [(document id, unit, words)]), so each reiteration
    scores the earlier ones without re-reading their texts (linear in the corpus
    per reiteration, where it was the texts' word sets times the corpus)."""
    found = sorted(
        (u.meeting, n, d.id, u)
        for n, (d, u) in enumerate((d, u) for d in docs for u in d.units())
        if u.kind in ("recommendation", "subparagraph", "point") and u.meeting is not None
    )
    return [m for m, *_ in found], [(doc_id, u, _words(u.text)) for _, _, doc_id, u in found]


def _report_index(docs) -> dict:
    """Report symbol -> (meeting, offset, compilation doc); year -> [report symbols]."""
    by_symbol, by_year = {}, {}
    for doc in docs:
        meetings = {m.number: m for m in doc.meetings}
        for entry in doc.concordance:
            by_symbol[entry["report"]] = (entry["meeting"], int(entry["offset"]), doc)
            meeting = meetings.get(entry["meeting"])
            year = meeting.start.year if meeting and meeting.start else None
            if year:
                by_year.setdefault(year, []).append(entry["report"])
    return {"symbol": by_symbol, "year": by_year}


def _resolve_report_paragraph(ref, index) -> str:
    """Fill ref.normalised and ref.target_unit; return a problem or ``""``."""
    symbol = ref.normalised
    if not symbol and ref.year:
        candidates = index["year"].get(ref.year, [])
        if len(candidates) != 1:
            return f"'{ref.printed}': {len(candidates)} reports of {ref.year} are known"
        symbol = candidates[0]
    if symbol not in index["symbol"]:
        return f"'{ref.printed}': no concordance for report {symbol or '(no symbol or year)'}"
    meeting, offset, doc = index["symbol"][symbol]
    paragraph = ref.numbers[0]
    ref.normalised = f"{symbol} para {paragraph}"
    label = f"{meeting}/{paragraph - offset}"
    if not any(u.label == label for u in doc.units()):
        return f"'{ref.printed}': compilation has no unit {label}"
    ref.target_unit = (doc.id, label)
    return ""


def link(docs) -> list[tuple[object, str, str]]:
    """Resolve references and reiterations across ``docs``; return (doc, unit, problem)."""
    index = _report_index(docs)
    problems: list[tuple[object, str, str]] = []
    owner = {}
    for d in docs:
        for u in d.units():
            owner.update({id(r): (d, u.label) for r in u.references})
        for n in d.footnotes:
            owner.update({id(r): (d, f"footnote {n.label}") for r in n.references})
    all_refs = [r for d in docs for u in d.units() for r in u.references]
    all_refs += [r for d in docs for n in d.footnotes for r in n.references]
    for ref, warning in references.resolve_corpus(all_refs):
        problems.append((*owner[id(ref)], warning))
    forms = [norm(f) for f in load("references")["reiterate"]["forms"]]
    pool = None
    for doc in docs:
        for unit in doc.units():
            unit.links = []
            for ref in unit.references:
                if ref.kind != "report-paragraph":
                    continue
                problem = _resolve_report_paragraph(ref, index)
                if problem:
                    problems.append((doc, unit.label, problem))
                else:
                    unit.links.append(Link("refers-to", ref.target_unit, 1.0, ref.printed))
            text = norm(unit.text)
            if any(f in text for f in forms):
                pool = pool or _earlier_pool(docs)
                _reiterates(doc, unit, pool, problems)
    return problems


def _reiterates(doc, unit, pool, problems) -> None:
    named = [lk for lk in unit.links if lk.relation == "refers-to"]
    if named:
        unit.links.append(Link("reiterates", named[0].target, 1.0, named[0].printed))
        return
    meetings, candidates = pool
    earlier = candidates[: bisect_left(meetings, unit.meeting)] if unit.meeting is not None else []
    words = _words(unit.text)
    best = max(((_jaccard(words, w), d, u.label) for d, u, w in earlier), default=None)
    scored = [best] if best is not None else []
    if scored and scored[0][0] >= REITERATE_THRESHOLD:
        score, doc_id, label = scored[0]
        unit.links.append(Link("reiterates", (doc_id, label), round(score, 3)))
    else:
        problems.append(
            (doc, unit.label, "repeats an earlier recommendation that could not be found")
        )
