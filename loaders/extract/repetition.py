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

The IDF is a reference shipped as data (``loaders/data/repetition_idf.tsv``, the
document frequencies of the seeds' distinct compared texts, written by
``python -m loaders.extract.repetition SEEDS``), not the corpus's own: a link's
score then depends on its two texts alone, so adding a document changes no other
document's scores, and the search can resume where the last build left it
(:class:`Search`). On the seeds the scores are those of the corpus IDF.

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
import pickle
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path

import numpy as np

from loaders.extract.lexicon import DATA, load
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


#: Reference document frequencies of the n-grams (see the module's docstring).
REFERENCE = DATA / "repetition_idf.tsv"


@dataclass(frozen=True)
class Reference:
    """IDF of the n-grams of a reference set of ``texts`` distinct texts, and their
    rank in one global order, rarest first (then by n-gram)."""

    texts: int
    idf: dict[str, float]
    rank: dict[str, int]

    @classmethod
    def of(cls, df: dict[str, int], texts: int) -> Reference:
        ordered = sorted(df, key=lambda f: (df[f], f))
        idf = {f: math.log((texts + 1) / (df[f] + 1)) for f in ordered}
        return cls(texts, idf, {f: i for i, f in enumerate(ordered)})

    def unseen_idf(self) -> float:
        """An n-gram the reference never saw weighs as one seen in no text."""
        return math.log(self.texts + 1)


def document_frequencies(texts: list[str], n: int) -> dict[str, int]:
    df: Counter[str] = Counter()
    for text in texts:
        df.update(features(text, n).keys())
    return dict(df)


def reference_text(texts: list[str], n: int) -> str:
    """The reference file for these distinct ``texts``: a count line, then one
    ``n-gram<TAB>df`` line per n-gram in the global order (an n-gram may begin or end
    with a space: a word edge)."""
    df = document_frequencies(texts, n)
    lines = [
        "# Reference document frequencies of the character n-grams of compared texts",
        "# (loaders/extract/repetition.py). Written by `python -m loaders.extract.repetition",
        "# seeds` from the seeds' distinct compared texts; tests check it is up to date.",
        "# Columns: n-gram (may start or end with a space) TAB document frequency.",
        f"#texts\t{len(texts)}",
    ]
    lines += [f"{f}\t{df[f]}" for f in sorted(df, key=lambda f: (df[f], f))]
    return "\n".join(lines) + "\n"


def read_reference(path: Path) -> Reference:
    df, texts = {}, 0
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("#texts\t"):
            texts = int(line.split("\t")[1])
        elif line and not line.startswith("#"):
            gram, _, count = line.rpartition("\t")
            df[gram] = int(count)
    return Reference.of(df, texts)


@cache
def reference() -> Reference:
    return read_reference(REFERENCE)


@dataclass
class Vocabulary:
    """Feature ids in the global order, the same in every build: an n-gram of the
    reference has its rank (from 0), an unseen one (rarer than any) a negative id in
    order of first appearance, kept with the search so a resumed search agrees."""

    reference: Reference
    unseen: dict[str, int] = field(default_factory=dict)

    def ids(self, grams) -> np.ndarray:
        rank, unseen = self.reference.rank, self.unseen
        out = []
        for g in grams:
            i = rank.get(g)
            if i is None:
                i = unseen.get(g)
                if i is None:
                    i = unseen[g] = -1 - len(unseen)
            out.append(i)
        return np.array(out, dtype=np.int64)

    def idf(self, grams) -> np.ndarray:
        idf, default = self.reference.idf, self.reference.unseen_idf()
        return np.fromiter((idf.get(g, default) for g in grams), dtype=np.float64)


def vectors(texts: list[str], n: int, vocab: Vocabulary | None = None) -> list[Vector]:
    """Unit-length TF-IDF vectors (sublinear tf, the reference IDF), features in the
    vocabulary's global order: rarest first, so each vector's prefix holds its most
    telling n-grams. The n-grams are counted in Python, the weighting is numpy's."""
    vocab = vocab or Vocabulary(reference())
    out = []
    for text in texts:
        counts = features(text, n)
        ids = vocab.ids(counts)
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        w = (1 + np.log(tf)) * vocab.idf(counts)
        length = math.sqrt(float(w @ w)) or 1.0
        order = np.argsort(ids)
        out.append((ids[order], w[order] / length))
    return out


def _prefix(vec: Vector, threshold: float) -> np.ndarray:
    """The features of the shortest head of ``vec`` whose tail has norm below ``threshold``."""
    feats, weights = vec
    tails = np.cumsum((weights * weights)[::-1])[::-1]  # tails[i]: squared norm from i on
    below = np.flatnonzero(tails < threshold * threshold)
    return feats[: below[0] if len(below) else len(feats)]


@dataclass
class Search:
    """The all-pairs search over the texts so far (their vectors, in order, and the
    index of their prefixes), resumable: :meth:`add` finds each new text's pairs with
    the texts before it exactly as one search over all of them would.

    Exact when no limit is given or none is reached. ``postings`` keeps only the latest
    texts per n-gram in the index and ``candidates`` verifies only the texts sharing
    most prefix n-grams: a corpus where one wording recurs thousands of times would
    otherwise make the search quadratic. :attr:`limited` notes where they bit.

    The candidates of a text are counted and verified with numpy, all at once: the
    text's weights are spread over a dense array and each candidate's cosine is a
    gather and a segment sum (at 100x the seeds, 30 times faster than one Python dot
    product per pair).
    """

    threshold: float
    postings: int = 0
    candidates: int = 0
    feats: list[np.ndarray] = field(default_factory=list)
    weights: list[np.ndarray] = field(default_factory=list)
    index: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    limited: set[int] = field(default_factory=set)
    low: int = 0
    high: int = 0
    #: the vector of text ``i`` again, for a search resumed without its vectors
    reload: Callable[[int], Vector] | None = None

    def __getstate__(self) -> dict:
        """Without the vectors: they are most of a saved search (70 MB at 100x the
        seeds) and a resumed one needs only its candidates', made again from their
        texts (:attr:`reload`), which gives the same vectors."""
        state = dict(self.__dict__)
        state["feats"], state["weights"] = [None] * len(self.feats), [None] * len(self.feats)
        state["reload"] = None
        return state

    def add(self, vecs: list[Vector]) -> dict[tuple[int, int], float]:
        """Pairs (i, j), i < j, scoring at least the threshold, j one of ``vecs``."""
        feats, weights, index = self.feats, self.weights, self.index
        for f, w in vecs:
            feats.append(f)
            weights.append(w)
            if len(f):
                self.low, self.high = min(self.low, int(f[0])), max(self.high, int(f[-1]))
        # feature ids may be negative (unseen n-grams): the dense array is shifted
        dense = np.zeros(1 + self.high - self.low)
        shift = -self.low
        found: dict[tuple[int, int], float] = {}
        for j in range(len(feats) - len(vecs), len(feats)):
            head = _prefix((feats[j], weights[j]), self.threshold).tolist()
            lists = [index[f] for f in head if f in index]
            chosen = _candidates(lists, self.candidates, j, self.limited)
            for i in chosen:
                if feats[i] is None:  # dropped when the search was saved
                    feats[i], weights[i] = self.reload(i)
            if chosen:
                dense[feats[j] + shift] = weights[j]
                sizes = [len(feats[i]) for i in chosen]
                gathered = dense[np.concatenate([feats[i] for i in chosen]) + shift]
                products = gathered * np.concatenate([weights[i] for i in chosen])
                starts = np.cumsum([0, *sizes[:-1]])
                scores = np.add.reduceat(products, starts)
                dense[feats[j] + shift] = 0.0
                for i, score in zip(chosen, scores.tolist(), strict=True):
                    if score >= self.threshold - 1e-9:
                        found[(i, j)] = min(score, 1.0)
            for f in head:
                posting = index[f]
                posting.append(j)
                if self.postings and len(posting) > self.postings:
                    del posting[0]
                    self.limited.add(j)
        return found


def similar_pairs(
    vecs: list[Vector], threshold: float, postings: int = 0, candidates: int = 0
) -> dict[tuple[int, int], float]:
    """Every pair (i, j), i < j, whose cosine is at least ``threshold`` (one
    :class:`Search` over ``vecs``); ``truncated()`` counts where the limits bit."""
    search = Search(threshold, postings, candidates)
    found = search.add(vecs)
    _LIMITED[:] = sorted(search.limited)
    return found


def _candidates(lists: list[list[int]], limit: int, j: int, limited: set[int]) -> list[int]:
    """The texts in ``lists`` (posting lists of text ``j``'s prefix n-grams), or, when
    there are more than ``limit``, the ``limit`` sharing most n-grams (latest first on
    ties)."""
    if not lists:
        return []
    ids, counts = np.unique(
        np.fromiter(chain.from_iterable(lists), dtype=np.int64), return_counts=True
    )
    if limit and len(ids) > limit:
        limited.add(j)
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


class OutOfOrder(ValueError):
    """Units added to a search that do not all come after the units it has."""


@dataclass
class Repetitions:
    """The search of a corpus so far, kept with a build: a later build that only adds
    documents coming after these in time resumes it (:meth:`extend`) and finds what
    one search over the whole corpus would (the units before are not changed by units
    after them: a unit links only to earlier ones, and the IDF is fixed)."""

    settings: Settings
    vocab: Vocabulary
    search: Search
    items: list[Item] = field(default_factory=list)
    groups: list[list[int]] = field(default_factory=list)
    keys: dict[str, int] = field(default_factory=dict)
    near: dict[int, list[tuple[int, float]]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        self.search.reload = self._vector
        self._texts: list[str] = []

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_texts"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def _vector(self, group: int) -> Vector:
        """The vector of a group's text (groups are numbered in order of their texts)."""
        if len(self._texts) != len(self.keys):
            self._texts = list(self.keys)
        return vectors([self._texts[group]], self.settings.ngram, self.vocab)[0]

    @classmethod
    def empty(cls) -> Repetitions:
        s = settings()
        return cls(s, Vocabulary(reference()), Search(s.threshold, s.postings, s.candidates))

    def extend(self, new: list[Item]) -> list[Repeat]:
        """Add ``new`` (in chronological order) and return their repetitions of
        earlier units, at most ``per_unit`` each."""
        if new and self.items and new[0].when <= self.items[-1].when:
            raise OutOfOrder(f"{new[0].doc_id} {new[0].label} is not after the units searched")
        first, texts = len(self.items), []
        belongs = []
        for i, item in enumerate(new, start=first):
            k = key(item.unit.text)
            g = self.keys.get(k)
            if g is None:
                g = self.keys[k] = len(self.groups)
                self.groups.append([])
                texts.append(k)
            self.groups[g].append(i)
            belongs.append(g)
            self.items.append(Item(item.when, item.doc_id, item.label, None))
        pairs = self.search.add(vectors(texts, self.settings.ngram, self.vocab))
        for (a, b), score in pairs.items():
            self.near[a].append((b, score))
            self.near[b].append((a, score))
        ranked: dict[int, list[tuple[int, float]]] = {}
        return [
            r for i, g in enumerate(belongs, start=first) for r in self._repeats(i, g, new, ranked)
        ]

    def _repeats(
        self, i: int, g: int, new: list[Item], ranked: dict[int, list[tuple[int, float]]]
    ) -> list[Repeat]:
        """Item ``i``'s best ``per_unit`` earlier repetitions. The near groups are
        tried best score first (``ranked`` keeps each group's order for the items of
        one :meth:`extend`), and no further once a worse score cannot make the cut:
        on a synthetic corpus a group has dozens of near groups, and building every
        option was 40 of the search's 134 s at 1000x the seeds."""
        per_unit, groups = self.settings.per_unit, self.groups
        options = [(1.0, "identical", m) for m in _earlier(groups[g], i, per_unit)]
        near = ranked.get(g)
        if near is None:
            near = ranked[g] = sorted(self.near[g], key=lambda pair: -pair[1])
        for other, score in near:
            # options come best score first: the per_unit-th one is the score to beat
            if len(options) >= per_unit and score < options[per_unit - 1][0]:
                break
            options += [(score, "near-duplicate", m) for m in _earlier(groups[other], i, per_unit)]
        options.sort(key=lambda o: (-o[0], -o[2]))
        later = new[i - (len(self.items) - len(new))]
        return [
            Repeat(later, self.items[m], relation, round(score, 3))
            for score, relation, m in options[:per_unit]
        ]


def find(docs) -> list[Repeat]:
    """Every unit's repetitions of earlier units, at most ``per_unit`` each."""
    return Repetitions.empty().extend(items(docs))


def search_corpus(docs) -> tuple[list[tuple[str, str, str, str, str, float]], bytes]:
    """:func:`find_compact`, and the search pickled, for a later build to resume: bytes,
    so that a process it is sent to holds 30 MB of them, not ten times that in objects,
    until it saves them (at 100x the seeds)."""
    state = Repetitions.empty()
    found = [r.compact() for r in state.extend(items(docs))]
    return found, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)


def find_compact(docs) -> list[tuple[str, str, str, str, str, float]]:
    """:func:`find`, as :meth:`Repeat.compact` tuples (to send between processes)."""
    return [r.compact() for r in find(docs)]


def _earlier(members: list[int], i: int, k: int) -> list[int]:
    """The ``k`` latest members of a group that come before item ``i`` (members sorted)."""
    end = bisect.bisect_left(members, i)
    return members[max(0, end - k) : end]


def seed_texts(folder: Path) -> list[str]:
    """The distinct compared texts of the documents in ``folder``, in order of first
    appearance: what the reference IDF is counted over."""
    from loaders.read import read_folder

    docs, errors = read_folder(folder, repetitions=False)
    if errors:
        raise SystemExit("\n".join(e.message for e in errors))
    return list(dict.fromkeys(key(i.unit.text) for i in items(docs)))


def main(argv: list[str] | None = None) -> int:
    """``python -m loaders.extract.repetition SEEDS``: rewrite the reference IDF."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m loaders.extract.repetition SEEDS_FOLDER", file=sys.stderr)
        return 2
    texts = seed_texts(Path(args[0]))
    REFERENCE.write_text(reference_text(texts, settings().ngram), encoding="utf-8")
    print(f"wrote {REFERENCE}: {len(texts)} texts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
