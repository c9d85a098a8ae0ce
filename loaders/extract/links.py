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
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

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


class _Pool:
    """Every recommendation a later one may reiterate, sorted by meeting, with an
    inverted index of their word sets: scoring a reiteration against every earlier
    recommendation costs the postings of its own words (numpy counts the shared
    words), not a pass over the corpus. It was a pass per reiteration: 9 s at 100x."""

    def __init__(self, docs) -> None:
        found = sorted(
            (u.meeting, n, d.id, u)
            for n, (d, u) in enumerate((d, u) for d in docs for u in d.units())
            if u.kind in ("recommendation", "subparagraph", "point") and u.meeting is not None
        )
        self.meetings = [m for m, *_ in found]
        self.entries = [(doc_id, u.label) for _, _, doc_id, u in found]
        postings: dict[str, list[int]] = defaultdict(list)
        sizes = []
        for i, (*_, u) in enumerate(found):
            words = _words(u.text)
            sizes.append(len(words))
            for w in words:
                postings[w].append(i)
        self.sizes = np.array(sizes, dtype=np.int64)
        self.postings = {w: np.array(ids, dtype=np.int64) for w, ids in postings.items()}

    def best(self, words: set[str], meeting: int | None) -> tuple[float, str, str] | None:
        """(Jaccard, document, label) of the most similar recommendation of an earlier
        meeting (ties: the greatest document id and label), None if none shares a word."""
        k = bisect_left(self.meetings, meeting) if meeting is not None else 0
        lists = [self.postings[w] for w in words if w in self.postings]
        if not k or not lists:
            return None
        ids = np.concatenate(lists)
        shared = np.bincount(ids[ids < k], minlength=k)
        found = np.flatnonzero(shared)
        if not len(found):
            return None
        inter = shared[found]
        scores = inter / (len(words) + self.sizes[found] - inter)
        top = scores.max()
        return max((float(top), *self.entries[i]) for i in found[scores == top].tolist())


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
                pool = pool or _Pool(docs)
                _reiterates(doc, unit, pool, problems)
    return problems


def _reiterates(doc, unit, pool, problems) -> None:
    named = [lk for lk in unit.links if lk.relation == "refers-to"]
    if named:
        unit.links.append(Link("reiterates", named[0].target, 1.0, named[0].printed))
        return
    best = pool.best(_words(unit.text), unit.meeting)
    scored = [best] if best is not None else []
    if scored and scored[0][0] >= REITERATE_THRESHOLD:
        score, doc_id, label = scored[0]
        unit.links.append(Link("reiterates", (doc_id, label), round(score, 3)))
    else:
        problems.append(
            (doc, unit.label, "repeats an earlier recommendation that could not be found")
        )
