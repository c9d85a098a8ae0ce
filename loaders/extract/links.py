"""Links between units across the corpus: resolved cross-references and reiterations.

"الفقرة ١٧ من تقرير الفريق العامل … ٢٠٠٩" names a paragraph of a meeting
report; the concordance in the manifest (report paragraph = compilation
paragraph + offset, per meeting) turns it into the compilation's unit 1/16.
A unit that says it repeats an earlier recommendation ("كرر الفريق العامل
تأكيد", "تأكيد توصيته السابقة") reiterates the unit its own reference
resolves to or, when it names none, the most similar earlier recommendation
(word-set similarity, threshold below). Unresolved references are kept.

A build that adds documents to a corpus built before does not read the earlier
documents again: :class:`LinkIndex` keeps what linking reads from them (dated
mentions, concordances, the recommendations a later one may reiterate) and what
in them a new document could change, so that :meth:`LinkIndex.affected_by` tells
whether any earlier document would be linked differently and
:meth:`LinkIndex.link_new` links the new ones as linking the whole corpus would.
"""

from __future__ import annotations

import pickle
import re
import zlib
from bisect import insort
from collections import ChainMap, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from loaders.extract import references, repetition
from loaders.extract.lexicon import load
from loaders.model import Document, Unit
from loaders.normalise import norm

#: Minimum similarity for an unnamed reiterated recommendation, chosen on the seeds:
#: 7/1(f) ("تأكيد توصيته السابقة ... مدة زمنية كافية") and 4/24 score 0.27, the next
#: best earlier candidate 0.14.
REITERATE_THRESHOLD = 0.2
#: Units a later one may reiterate (when they belong to a meeting).
POOL_KINDS = ("recommendation", "subparagraph", "point")
#: ``how`` of a reference whose order its own document left undecided, before and after
#: :func:`references.resolve_corpus`.
UNDECIDED = ("undecided", *references.SETTLED)

#: (Jaccard, document id, unit label) of the best earlier match of a reiteration.
Best = tuple[float, str, str]
#: Documents with their units (``doc.units()`` walks the tree: once per document).
Walked = list[tuple[Document, list[Unit]]]


@dataclass(frozen=True)
class Link:
    relation: str  # refers-to | reiterates | identical | near-duplicate
    target: tuple[str, str]  # (document id, unit label)
    score: float
    printed: str = ""


def _words(text: str) -> set[str]:
    found = {_kept(w) for w in re.findall(r"[\u0621-\u064a]+", norm(text))}
    found.discard("")
    return found


@lru_cache(maxsize=1 << 16)
def _kept(word: str) -> str:
    """``word`` de-prefixed, or ``""`` if too short or a stopword. Cached: the corpus
    repeats a few thousand words, and stemming them was most of linking's time."""
    w = repetition.stem(word)
    return w if len(w) >= 3 and w not in repetition.stopwords() else ""


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' normalised, de-prefixed word sets."""
    return _jaccard(_words(a), _words(b))


def _jaccard(wa: set[str], wb: set[str]) -> float:
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


class _Pool:
    """Every recommendation a later one may reiterate, with an inverted index of their
    word sets: scoring a reiteration against every earlier recommendation costs the
    postings of its own words (numpy counts the shared words), not a pass over the
    corpus. It was a pass per reiteration: 9 s at 100x. Entries stay in the order
    they were added, so that a corpus index can append a new document's units."""

    def __init__(self) -> None:
        self.meetings = np.zeros(0, dtype=np.int32)
        self.entries: list[tuple[str, str]] = []
        self.sizes = np.zeros(0, dtype=np.int32)
        self.postings: dict[str, np.ndarray] = {}

    @classmethod
    def of(cls, walked: Walked) -> _Pool:
        found = [(d.id, u) for d, units in walked for u in units if _pooled(u)]
        postings: dict[str, list[int]] = defaultdict(list)
        sizes = []
        for i, (_, u) in enumerate(found):
            words = _words(u.text)
            sizes.append(len(words))
            for w in words:
                postings[w].append(i)
        pool = cls()
        pool.meetings = np.array([u.meeting for _, u in found], dtype=np.int32)
        pool.entries = [(doc_id, u.label) for doc_id, u in found]
        pool.sizes = np.array(sizes, dtype=np.int32)
        pool.postings = {w: np.array(ids, dtype=np.int32) for w, ids in postings.items()}
        return pool

    def merge(self, other: _Pool) -> None:
        """Append ``other``'s entries (a new document's units) after these."""
        start = len(self.entries)
        self.entries = self.entries + other.entries
        self.meetings = np.concatenate([self.meetings, other.meetings])
        self.sizes = np.concatenate([self.sizes, other.sizes])
        for w, ids in other.postings.items():
            held = self.postings.get(w)
            moved = (ids + start).astype(np.int32)
            self.postings[w] = moved if held is None else np.concatenate([held, moved])

    def best(self, words: set[str], meeting: int | None) -> Best | None:
        """(Jaccard, document, label) of the most similar recommendation of an earlier
        meeting (ties: the greatest document id and label), None if none shares a word."""
        lists = [self.postings[w] for w in words if w in self.postings]
        if meeting is None or not lists:
            return None
        ids = np.concatenate(lists)
        ids = ids[self.meetings[ids] < meeting]
        if not len(ids):
            return None
        shared = np.bincount(ids)
        found = np.flatnonzero(shared)
        inter = shared[found]
        scores = inter / (len(words) + self.sizes[found].astype(np.int64) - inter)
        top = scores.max()
        return max((float(top), *self.entries[i]) for i in found[scores == top].tolist())

    def rows(self) -> list[tuple]:
        """Sorted (meeting, document, label, words) of every entry: the pool's content,
        whatever order its entries were added in."""
        words: list[list[str]] = [[] for _ in self.entries]
        for w, ids in self.postings.items():
            for i in ids.tolist():
                words[i].append(w)
        return sorted(
            (int(m), *e, tuple(sorted(ws)))
            for m, e, ws in zip(self.meetings.tolist(), self.entries, words, strict=True)
        )

    def __getstate__(self) -> dict:
        """The postings as gaps between entry numbers in the smallest integer type, all
        zlib-compressed: pickled as held (a dict of small int32 arrays), the pool of the
        100x corpus takes 4.2 MB; so, 1 MB."""
        words = sorted(self.postings)  # not in set order, which differs between processes
        lengths = np.array([len(self.postings[w]) for w in words], dtype=np.int64)
        ids = np.concatenate([self.postings[w] for w in words] or [np.zeros(0, np.int32)])
        starts = np.cumsum(lengths)[:-1]
        gaps = np.diff(ids.astype(np.int64), prepend=0)
        gaps[starts] = ids[starts]
        held = (self.meetings, self.sizes, self.entries, words, lengths, _narrow(gaps))
        return {"pool": zlib.compress(pickle.dumps(held, protocol=pickle.HIGHEST_PROTOCOL), 1)}

    def __setstate__(self, state: dict) -> None:
        held = pickle.loads(zlib.decompress(state["pool"]))
        self.meetings, self.sizes, self.entries, words, lengths, gaps = held
        starts = np.cumsum(lengths)[:-1]
        sums = np.cumsum(gaps, dtype=np.int64)
        before = np.concatenate([[0], sums[starts - 1]]) if words else np.zeros(0, np.int64)
        ids = (sums - np.repeat(before, lengths)).astype(np.int32)
        self.postings = dict(zip(words, np.split(ids, starts) if words else [], strict=True))


def _narrow(values: np.ndarray) -> np.ndarray:
    """``values`` in the smallest integer type that holds them (gaps are mostly small)."""
    if not len(values) or values.min() < 0:
        return values.astype(np.int64)
    top = int(values.max())
    types = (np.uint8, np.uint16, np.uint32, np.uint64)
    return values.astype(next(t for t in types if top <= np.iinfo(t).max))


def _pooled(unit) -> bool:
    return unit.kind in POOL_KINDS and unit.meeting is not None


def _better(a: Best | None, b: Best | None) -> Best | None:
    """The best of two pools' answers, as one pool holding both would give."""
    return max((x for x in (a, b) if x is not None), default=None)


def _outcome(best: Best | None) -> tuple[str, str, float] | None:
    """(document, label, score) of the reiterates link ``best`` makes, None for a problem."""
    if best is None or best[0] < REITERATE_THRESHOLD:
        return None
    score, doc_id, label = best
    return doc_id, label, round(score, 3)


class _Reports:
    """Report symbol -> (order, meeting, offset, compilation id, its unit labels); year
    -> sorted [(order, symbol)]. ``order`` ranks concordance entries as the corpus does
    (document, then entry): for a symbol, the last entry wins."""

    def __init__(self) -> None:
        self.symbol: dict[str, tuple] = {}
        self.year: dict[int, list[tuple]] = {}

    def add(self, doc, order) -> None:
        """Add ``doc``'s concordance; ``order`` is its place in the corpus."""
        if not doc.concordance:
            return
        meetings = {m.number: m for m in doc.meetings}
        labels = frozenset(u.label for u in doc.units())
        for j, entry in enumerate(doc.concordance):
            key, report = (order, j), entry["report"]
            held = self.symbol.get(report)
            if held is None or key > held[0]:
                self.symbol[report] = (key, entry["meeting"], int(entry["offset"]), doc.id, labels)
            meeting = meetings.get(entry["meeting"])
            year = meeting.start.year if meeting and meeting.start else None
            if year:
                insort(self.year.setdefault(year, []), (key, report))

    def __getstate__(self) -> dict:
        """Unit labels as sorted tuples: a set of strings pickles in an order that
        differs between processes, and two builds of one corpus write the same bytes."""
        symbol = {k: (*v[:-1], tuple(sorted(v[-1]))) for k, v in self.symbol.items()}
        return {"symbol": symbol, "year": self.year}

    def __setstate__(self, state: dict) -> None:
        self.symbol = {k: (*v[:-1], frozenset(v[-1])) for k, v in state["symbol"].items()}
        self.year = state["year"]

    def copy(self) -> _Reports:
        out = _Reports()
        out.symbol = dict(self.symbol)
        out.year = {y: list(found) for y, found in self.year.items()}
        return out

    def resolve(self, symbol: str, year: int | None, paragraph: int) -> tuple:
        """(normalised, target unit, problem) of a report paragraph read as ``symbol``
        (or, without one, the only report of ``year``); ``""``/None where there is none."""
        if not symbol and year:
            candidates = [s for _, s in self.year.get(year, [])]
            if len(candidates) != 1:
                return "", None, f"{len(candidates)} reports of {year} are known"
            symbol = candidates[0]
        if symbol not in self.symbol:
            return "", None, f"no concordance for report {symbol or '(no symbol or year)'}"
        _, meeting, offset, doc_id, labels = self.symbol[symbol]
        label = f"{meeting}/{paragraph - offset}"
        if label not in labels:
            return f"{symbol} para {paragraph}", None, f"compilation has no unit {label}"
        return f"{symbol} para {paragraph}", (doc_id, label), ""


def _resolve_report_paragraph(ref, reports: _Reports) -> str:
    """Fill ref.normalised and ref.target_unit; return a problem or ``""``."""
    normalised, target, problem = reports.resolve(ref.normalised, ref.year, ref.numbers[0])
    ref.normalised = normalised or ref.normalised
    ref.target_unit = target or ref.target_unit
    return f"'{ref.printed}': {problem}" if problem else ""


def _walk(docs) -> Walked:
    return [(doc, doc.units()) for doc in docs]


def _owned(walked: Walked) -> list[tuple[object, str, object]]:
    """(document, unit or footnote, reference) in the order the corpus settles them:
    the units' references of every document, then the footnotes'."""
    out = [(d, u.label, r) for d, units in walked for u in units for r in u.references]
    out += [
        (d, f"footnote {n.label}", r) for d, _ in walked for n in d.footnotes for r in n.references
    ]
    return out


def _settle(walked: Walked, decided=None) -> list[tuple[object, str, str]]:
    """Settle the undecided references of the documents, by their own dated mentions or
    by ``decided`` (twin key -> (normalised, year)); return (doc, label, warning)."""
    owned = _owned(walked)
    owner = {id(r): (d, label) for d, label, r in owned}
    refs = [r for *_, r in owned]
    found = references.resolve_corpus(refs) if decided is None else references.settle(refs, decided)
    return [(*owner[id(ref)], warning) for ref, warning in found]


def link(docs) -> list[tuple[object, str, str]]:
    """Resolve references and reiterations across ``docs``; return (doc, unit, problem)."""
    walked = _walk(docs)
    reports = _Reports()
    for n, doc in enumerate(docs):
        reports.add(doc, n)
    problems = _settle(walked)
    pool = None

    def best(words: set[str], meeting: int | None) -> Best | None:
        nonlocal pool
        pool = pool if pool is not None else _Pool.of(walked)
        return pool.best(words, meeting)

    _link_units(walked, reports, best, problems)
    return problems


def _forms() -> list[str]:
    return [norm(f) for f in load("references")["reiterate"]["forms"]]


def _link_units(walked: Walked, reports: _Reports, best: Callable, problems: list) -> None:
    """Set every unit's links: resolved report paragraphs, then reiterations."""
    forms = _forms()
    for doc, units in walked:
        for unit in units:
            unit.links = []
            for ref in unit.references:
                if ref.kind != "report-paragraph":
                    continue
                problem = _resolve_report_paragraph(ref, reports)
                if problem:
                    problems.append((doc, unit.label, problem))
                else:
                    unit.links.append(Link("refers-to", ref.target_unit, 1.0, ref.printed))
            text = norm(unit.text)
            if any(f in text for f in forms):
                _reiterates(doc, unit, best, problems)


def _reiterates(doc, unit, best: Callable, problems) -> None:
    named = [lk for lk in unit.links if lk.relation == "refers-to"]
    if named:
        unit.links.append(Link("reiterates", named[0].target, 1.0, named[0].printed))
        return
    found = _outcome(best(_words(unit.text), unit.meeting))
    if found:
        doc_id, label, score = found
        unit.links.append(Link("reiterates", (doc_id, label), score))
    else:
        problems.append(
            (doc, unit.label, "repeats an earlier recommendation that could not be found")
        )


class LinkIndex:
    """What linking reads from a corpus, and what in it a new document could change,
    kept small enough to persist with a build (strings, tuples, small numpy arrays), so
    that adding documents needs neither the earlier ones nor a link over all of them.

    - ``files``: document id -> file name;
    - ``twins``: for each :func:`references.twin_key`, the (normalised, year) of the
      dated mention that settles undecided ones: the last in the corpus, at ``order``
      (units' references before footnotes', then file name, then place in the file);
      ``undecided``: the documents holding undecided mentions of each key;
    - ``reports``: the concordances; ``report_refs``: each report-paragraph reference
      as (document, readings (symbol, year) it may have been resolved from, paragraph);
    - ``pool``: every recommendation a later one may reiterate; ``reiterations``: each
      unit reiterating by similarity, as (document, meeting, words, best match).

    Documents are ordered by file name, as ``read_folder`` orders them: the corpus
    given to :meth:`of` must have been linked in that order.
    """

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.twins: dict[tuple, tuple[str, int | None]] = {}
        self.order: dict[tuple, tuple] = {}
        self.undecided: dict[tuple, set[str]] = {}
        self.reports = _Reports()
        self.report_refs: list[tuple[str, tuple, int]] = []
        self.pool = _Pool()
        self.reiterations: list[tuple[str, int, frozenset[str], Best | None]] = []

    @classmethod
    def of(cls, docs) -> LinkIndex:
        """The index of ``docs``, a whole corpus that :func:`link` has linked."""
        index = cls()
        index.add(docs)
        return index

    def add(self, docs) -> None:
        """Take in ``docs`` once linked (by :meth:`link_new`), when no document already
        indexed was affected by them: the index is then that of the whole corpus."""
        walked = _walk(sorted(docs, key=lambda d: d.file_name))
        for doc, _ in walked:
            self.files[doc.id] = doc.file_name
            self.reports.add(doc, doc.file_name)
        for key, (order, value) in self._twin_updates(walked).items():
            self.order[key], self.twins[key] = order, value
        for doc, units in walked:
            self._add_refs(doc, units)
        added = _Pool.of(walked)
        self.reiterations = [
            (doc_id, meeting, words, _better(best, added.best(words, meeting)))
            for doc_id, meeting, words, best in self.reiterations
        ]
        if self.pool.entries:
            self.pool.merge(added)
        else:
            self.pool = added
        for doc, units in walked:
            self.reiterations += self._reiterating(doc, units)

    def affected_by(self, docs) -> set[str]:
        """Ids of indexed documents whose references, links or problems would change if
        ``docs`` joined the corpus (a superset: a document named may turn out unchanged)."""
        walked = _walk(sorted(docs, key=lambda d: d.file_name))
        ids, names = {d.id for d, _ in walked}, {d.file_name for d, _ in walked}
        hit = {i for i, name in self.files.items() if i in ids or name in names}
        hit |= self._twins_hit(walked) | self._reports_hit(walked)
        return hit | self._pool_hit(walked)

    def link_new(self, docs) -> list[tuple[object, str, str]]:
        """Link ``docs`` (read, not yet linked) as :func:`link` over the indexed corpus
        with them added would; return their (doc, unit, problem) in the order it would.
        Valid when :meth:`affected_by` names no document."""
        walked = _walk(sorted(docs, key=lambda d: d.file_name))
        updates = {key: value for key, (_, value) in self._twin_updates(walked).items()}
        problems = _settle(walked, ChainMap(updates, self.twins))
        reports = self.reports.copy()
        for doc, _ in walked:
            reports.add(doc, doc.file_name)
        added = None

        def best(words: set[str], meeting: int | None) -> Best | None:
            nonlocal added
            added = added if added is not None else _Pool.of(walked)
            return _better(self.pool.best(words, meeting), added.best(words, meeting))

        _link_units(walked, reports, best, problems)
        return problems

    def _twin_updates(self, walked: Walked) -> dict[tuple, tuple]:
        """Twin key -> (order, (normalised, year)) of the dated mentions in the new
        documents that would win over the indexed ones."""
        out: dict[tuple, tuple] = {}
        for doc, units in walked:
            for section, refs in enumerate(_sections(doc, units)):
                for i, ref in enumerate(refs):
                    if not references.is_decided(ref):
                        continue
                    key, order = references.twin_key(ref), (section, doc.file_name, i)
                    held = out[key][0] if key in out else self.order.get(key)
                    if held is None or order > held:
                        out[key] = (order, (ref.normalised, ref.year))
        return out

    def _add_refs(self, doc, units: list) -> None:
        for refs in _sections(doc, units):
            for ref in refs:
                if ref.numbers and ref.how in UNDECIDED:
                    self.undecided.setdefault(references.twin_key(ref), set()).add(doc.id)
        for unit in units:
            for ref in unit.references:
                if ref.kind == "report-paragraph":
                    self.report_refs.append((doc.id, self._readings(ref), ref.numbers[0]))

    def _readings(self, ref) -> tuple[tuple[str, int | None], ...]:
        """The (symbol, year) a report-paragraph reference was read from before linking
        wrote "<symbol> para <n>" over its symbol: both the symbol and the year when the
        year's only report is that symbol (the text may have named either)."""
        suffix = f" para {ref.numbers[0]}"
        if not ref.normalised.endswith(suffix):
            return ((ref.normalised, ref.year),)
        symbol = ref.normalised[: -len(suffix)]
        only = [s for _, s in self.reports.year.get(ref.year, [])] == [symbol]
        return ((symbol, ref.year), ("", ref.year)) if ref.year and only else ((symbol, ref.year),)

    def _reiterating(self, doc, units: list) -> list[tuple]:
        """Units of ``doc`` that reiterate the most similar earlier recommendation."""
        forms, out = _forms(), []
        for unit in units:
            named = any(lk.relation == "refers-to" for lk in unit.links)
            if named or unit.meeting is None or not any(f in norm(unit.text) for f in forms):
                continue
            words = frozenset(_words(unit.text))
            if words:
                out.append((doc.id, unit.meeting, words, self.pool.best(words, unit.meeting)))
        return out

    def _twins_hit(self, walked: Walked) -> set[str]:
        """Documents with undecided mentions that a new dated mention would settle
        differently (a first twin, or a later one with another reading)."""
        hit: set[str] = set()
        for key, (_, value) in self._twin_updates(walked).items():
            if self.twins.get(key) != value:
                hit |= self.undecided.get(key, set())
        return hit

    def _reports_hit(self, walked: Walked) -> set[str]:
        """Documents whose report paragraphs resolve differently with the new concordances."""
        if not any(d.concordance for d, _ in walked):
            return set()
        after = self.reports.copy()
        for doc, _ in walked:
            after.add(doc, doc.file_name)
        return {
            doc_id
            for doc_id, readings, paragraph in self.report_refs
            if any(
                self.reports.resolve(s, y, paragraph) != after.resolve(s, y, paragraph)
                for s, y in readings
            )
        }

    def _pool_hit(self, walked: Walked) -> set[str]:
        """Documents with a reiteration whose link (or problem) a new, better match changes."""
        added = _Pool.of(walked)
        if not added.entries:
            return set()
        return {
            doc_id
            for doc_id, meeting, words, best in self.reiterations
            if _outcome(_better(best, added.best(words, meeting))) != _outcome(best)
        }

    def __getstate__(self) -> dict:
        """Sets of strings as sorted lists (see :meth:`_Reports.__getstate__`)."""
        state = dict(self.__dict__)
        state["undecided"] = {k: sorted(v) for k, v in self.undecided.items()}
        state["reiterations"] = [(d, m, sorted(w), b) for d, m, w, b in self.reiterations]
        return state

    def __setstate__(self, state: dict) -> None:
        state["undecided"] = {k: set(v) for k, v in state["undecided"].items()}
        state["reiterations"] = [(d, m, frozenset(w), b) for d, m, w, b in state["reiterations"]]
        self.__dict__.update(state)

    def __eq__(self, other: object) -> bool:
        """The same corpus content, whatever order the documents were added in."""
        return isinstance(other, LinkIndex) and self._content() == other._content()

    __hash__ = None  # type: ignore[assignment]

    def _content(self) -> tuple:
        return (
            self.files,
            self.twins,
            self.order,
            self.undecided,
            self.reports.symbol,
            self.reports.year,
            sorted(map(repr, self.report_refs)),
            self.pool.rows(),
            sorted(repr((d, m, sorted(w), b)) for d, m, w, b in self.reiterations),
        )


def _sections(doc, units: list) -> tuple[list, list]:
    """``doc``'s references as the corpus settles them: its units', then its footnotes'."""
    return [r for u in units for r in u.references], [
        r for n in doc.footnotes for r in n.references
    ]
