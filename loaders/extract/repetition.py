"""Repeated recommendations: the same ask made again, word for word or nearly.

The Working Group and the COP repeat themselves: 5/35 is 5/34 adopted twice,
and the non-punishment wording of 1/11(b) (2009) comes back in 7/2(b) (2017)
and 8/1(c) (2018) with a few words changed. Each compared unit (settings in
``loaders/data/repetition.toml``) gets ``identical`` / ``near-duplicate`` links
to the earlier units it repeats, with their score.

Similarity is the cosine of TF-IDF weighted character n-grams of the
normalised word sequence: character n-grams absorb the orthographic variants
of these texts ("المتَّجر"/"المتجر", "تشريعها الداخلية"), IDF keeps the long
instrument names every text carries from counting as agreement. Word-set
overlap was not enough: formulaic chapeaux scored above real repetitions.

It has to scale to a corpus a thousand times the seeds, so it never compares
all pairs: identical texts are grouped by their normalised key, and similar
pairs among the distinct texts are found with a prefix-filtered inverted index
(Bayardo et al., "Scaling up all pairs similarity search", WWW 2007): with one
global feature order, two unit vectors whose cosine reaches t share a feature
in both their prefixes, a prefix ending where the rest of the vector's norm
falls below t.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from itertools import chain

import numpy as np

from loaders.extract.lexicon import load
from loaders.normalise import norm
from loaders.patterns import compiled

WORD = re.compile(r"[\u0621-\u064a0-9]+")


@dataclass(frozen=True)
class Settings:
    kinds: tuple[str, ...]
    min_words: int
    per_unit: int
    ngram: int
    threshold: float
    postings: int
    candidates: int


@cache
def settings() -> Settings:
    data = load("repetition")
    compare, near = data["compare"], data["near_duplicate"]
    return Settings(
        kinds=tuple(compare["kinds"]),
        min_words=int(compare["min_words"]),
        per_unit=int(compare["per_unit"]),
        ngram=int(near["ngram"]),
        threshold=float(near["threshold"]),
        postings=int(near["max_postings"]),
        candidates=int(near["max_candidates"]),
    )


@cache
def _prefixes() -> tuple[str, ...]:
    return tuple(sorted((norm(p) for p in load("repetition")["tokens"]["prefixes"]), key=len)[::-1])


@cache
def stopwords() -> frozenset[str]:
    return frozenset(norm(w) for w in load("repetition")["tokens"]["stopwords"])


def stem(word: str) -> str:
    """``word`` without one clitic prefix, if at least 3 letters remain."""
    for prefix in _prefixes():
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix) :]
    return word


def words(text: str) -> list[str]:
    """The normalised words of ``text`` in order; footnote markers, punctuation and
    markdown left out."""
    text = compiled("footnote_marker").sub(" ", text)
    return WORD.findall(norm(text))


def key(text: str) -> str:
    """What two identical texts share: their normalised words."""
    return " ".join(words(text))


def features(text: str, n: int) -> Counter[str]:
    """Character n-grams of the de-prefixed word sequence, word edges marked by spaces."""
    s = " " + " ".join(stem(w) for w in words(text)) + " "
    return Counter(s[i : i + n] for i in range(len(s) - n + 1))


@dataclass(frozen=True)
class Item:
    """A compared unit: where it sits in time, and its identity in the corpus."""

    when: tuple
    doc_id: str
    label: str
    unit: object


def _when(doc, unit) -> tuple:
    """Chronological sort key: meeting date for compilation units, else the document's
    date, else its year (a resolution whose date is not printed sorts first in its year)."""
    when = doc.date.isoformat() if doc.date else str(doc.year or 9999)
    if unit.meeting is not None:
        for meeting in doc.meetings:
            if meeting.number == unit.meeting and meeting.start:
                when = meeting.start.isoformat()
    return (when, doc.id, unit.order)


def items(docs) -> list[Item]:
    """The units compared, in chronological order."""
    s = settings()
    out = []
    for doc in docs:
        for unit in doc.units():
            if unit.top.kind not in s.kinds or unit.children:
                continue
            if len(words(unit.text)) < s.min_words:
                continue
            out.append(Item(_when(doc, unit), doc.id, unit.label, unit))
    return sorted(out, key=lambda i: i.when)


#: A unit-length vector: feature ranks in increasing order, and their weights.
Vector = tuple[np.ndarray, np.ndarray]


def vector(pairs: list[tuple[int, float]]) -> Vector:
    """A :data:`Vector` from (feature rank, weight) pairs in increasing rank."""
    return (np.array([f for f, _ in pairs], dtype=np.int64), np.array([w for _, w in pairs]))


def vectors(texts: list[str], n: int) -> list[Vector]:
    """Unit-length TF-IDF vectors (sublinear tf), features ranked in one global order:
    rarest first, so each vector's prefix holds its most telling n-grams. The n-grams
    are counted in Python, the weighting is numpy's."""
    counts = [features(t, n) for t in texts]
    vocab: dict[str, int] = {}
    ids = [
        np.fromiter((vocab.setdefault(f, len(vocab)) for f in c), dtype=np.int64, count=len(c))
        for c in counts
    ]
    tfs = [np.fromiter(c.values(), dtype=np.float64, count=len(c)) for c in counts]
    names = list(vocab)
    df = np.bincount(np.concatenate(ids), minlength=len(names)) if names else np.zeros(0)
    ranked = sorted(range(len(names)), key=lambda i: (df[i], names[i]))
    rank = np.empty(len(names), dtype=np.int64)
    rank[ranked] = np.arange(len(names))
    idf = np.log((len(texts) + 1) / (df + 1))
    out = []
    for i, tf in zip(ids, tfs, strict=True):
        w = (1 + np.log(tf)) * idf[i]
        length = math.sqrt(float(w @ w)) or 1.0
        order = np.argsort(rank[i])
        out.append((rank[i][order], w[order] / length))
    return out


def _prefix(vec: Vector, threshold: float) -> np.ndarray:
    """The features of the shortest head of ``vec`` whose tail has norm below ``threshold``."""
    feats, weights = vec
    tails = np.cumsum((weights * weights)[::-1])[::-1]  # tails[i]: squared norm from i on
    below = np.flatnonzero(tails < threshold * threshold)
    return feats[: below[0] if len(below) else len(feats)]


def similar_pairs(
    vecs: list[Vector], threshold: float, postings: int = 0, candidates: int = 0
) -> dict[tuple[int, int], float]:
    """Every pair (i, j), i < j, whose cosine is at least ``threshold``.

    Exact when no limit is given or none is reached. ``postings`` keeps only the latest
    texts per n-gram in the index and ``candidates`` verifies only the texts sharing
    most prefix n-grams: a corpus where one wording recurs thousands of times would
    otherwise make the search quadratic. ``truncated(...)`` counts where they bit.

    The candidates of a text are counted and verified with numpy, all at once: the
    text's weights are spread over a dense array and each candidate's cosine is a
    gather and a segment sum (at 100x the seeds, 30 times faster than one Python dot
    product per pair).
    """
    index: dict[int, list[int]] = defaultdict(list)
    feats, weights = [f for f, _ in vecs], [w for _, w in vecs]
    dense = np.zeros(1 + max((int(f.max()) for f in feats if len(f)), default=0))
    found: dict[tuple[int, int], float] = {}
    _LIMITED.clear()
    for j, vec in enumerate(vecs):
        head = _prefix(vec, threshold).tolist()
        chosen = _candidates([index[f] for f in head if f in index], candidates, j)
        if chosen:
            dense[feats[j]] = weights[j]
            sizes = [len(feats[i]) for i in chosen]
            gathered = dense[np.concatenate([feats[i] for i in chosen])]
            products = gathered * np.concatenate([weights[i] for i in chosen])
            starts = np.cumsum([0, *sizes[:-1]])
            scores = np.add.reduceat(products, starts)
            dense[feats[j]] = 0.0
            for i, score in zip(chosen, scores.tolist(), strict=True):
                if score >= threshold - 1e-9:
                    found[(i, j)] = min(score, 1.0)
        for f in head:
            posting = index[f]
            posting.append(j)
            if postings and len(posting) > postings:
                del posting[0]
                _LIMITED.append(j)
    return found


def _candidates(lists: list[list[int]], limit: int, j: int) -> list[int]:
    """The texts in ``lists`` (posting lists of text ``j``'s prefix n-grams), or, when
    there are more than ``limit``, the ``limit`` sharing most n-grams (latest first on
    ties)."""
    if not lists:
        return []
    ids, counts = np.unique(
        np.fromiter(chain.from_iterable(lists), dtype=np.int64), return_counts=True
    )
    if limit and len(ids) > limit:
        _LIMITED.append(j)
        ids = ids[np.lexsort((-ids, -counts))[:limit]]
    return ids.tolist()


_LIMITED: list[int] = []


def truncated() -> int:
    """How many texts the last ``similar_pairs`` search did not search exhaustively."""
    return len(set(_LIMITED))


@dataclass(frozen=True)
class Repeat:
    """``later`` repeats ``earlier``: identical (score 1) or near-duplicate."""

    later: Item
    earlier: Item
    relation: str
    score: float

    def compact(self) -> tuple[str, str, str, str, str, float]:
        """(later document, later label, earlier document, earlier label, relation,
        score): what a link needs, small enough to send between processes."""
        return (
            self.later.doc_id,
            self.later.label,
            self.earlier.doc_id,
            self.earlier.label,
            self.relation,
            self.score,
        )


def find(docs) -> list[Repeat]:
    """Every unit's repetitions of earlier units, at most ``per_unit`` each."""
    s = settings()
    compared = items(docs)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(compared):
        groups[key(item.unit.text)].append(i)
    keys = list(groups)  # in order of first appearance: the index keeps the latest texts
    group_of = {i: g for g, k in enumerate(keys) for i in groups[k]}
    pairs = similar_pairs(vectors(keys, s.ngram), s.threshold, s.postings, s.candidates)
    near: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (a, b), score in pairs.items():
        near[a].append((b, score))
        near[b].append((a, score))
    out = []
    for i, item in enumerate(compared):
        g = group_of[i]
        options = [(1.0, "identical", m) for m in _earlier(groups[keys[g]], i, s.per_unit)]
        for other, score in near[g]:
            options += [
                (score, "near-duplicate", m) for m in _earlier(groups[keys[other]], i, s.per_unit)
            ]
        options.sort(key=lambda o: (-o[0], -o[2]))
        for score, relation, m in options[: s.per_unit]:
            out.append(Repeat(item, compared[m], relation, round(score, 3)))
    return out


def find_compact(docs) -> list[tuple[str, str, str, str, str, float]]:
    """:func:`find`, as :meth:`Repeat.compact` tuples (to send between processes)."""
    return [r.compact() for r in find(docs)]


def _earlier(members: list[int], i: int, k: int) -> list[int]:
    """The ``k`` latest members of a group that come before item ``i`` (members sorted)."""
    end = bisect.bisect_left(members, i)
    return members[max(0, end - k) : end]
