"""The link index (loaders.extract.links.LinkIndex) stands in for a linked corpus when
documents are added: it names every earlier document that linking the whole corpus
would change, and links the new ones exactly as linking the whole corpus does.

Each split of the synthetic corpus holds some documents out as "new": the others are
linked alone and indexed (and the index pickled), then compared with the whole corpus
linked at once.
"""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from loaders.extract import link_corpus_new, links
from loaders.extract.references import Reference
from loaders.manifest import load_manifest
from loaders.model import Document, Footnote, Meeting, Segment, Unit
from loaders.read import folder_files, read_document

#: Held out together (by position in file-name order), besides each document alone;
#: (0, 1, 2) is every copy of the COP 11 resolution, whose dated mentions settle
#: undecided ones in the GA draft.
GROUPS = [(0, 1, 2), (4, 9, 14), (2, 7, 12), (5, 6, 7, 8, 9), (10, 11, 12, 13)]


def _outcome(doc, problems) -> tuple:
    """Everything linking sets on ``doc``: references, links, problems (in order)."""
    units = [(u.label, [vars(r) for r in u.references], list(u.links)) for u in doc.units()]
    notes = [(n.label, [vars(r) for r in n.references]) for n in doc.footnotes]
    return units, notes, [(label, p) for d, label, p in problems if d is doc]


@pytest.fixture(scope="module")
def unlinked(synthetic_corpus) -> list[bytes]:
    """The corpus read but not linked, each document pickled: a split unpickles fresh
    copies (linking writes into references, so a linked copy cannot be linked again)."""
    manifest = load_manifest(synthetic_corpus)
    paths = folder_files(synthetic_corpus)
    return [pickle.dumps(read_document(p, manifest.get(p.name))) for p in paths]


def _fresh(unlinked: list[bytes], held, keep: bool = True) -> list:
    """Fresh copies of the documents at positions ``held`` (``keep``) or the others."""
    return [pickle.loads(b) for n, b in enumerate(unlinked) if (n in held) == keep]


@pytest.fixture(scope="module")
def whole(unlinked, synthetic_docs) -> tuple[dict[str, tuple], links.LinkIndex]:
    """Document id -> its outcome when the whole corpus is linked at once (the same
    references and links as ``read_folder`` gives), and the whole corpus's index."""
    docs = _fresh(unlinked, (), keep=False)
    problems = links.link(docs)
    out = {d.id: _outcome(d, problems) for d in docs}
    for doc in synthetic_docs:
        assert _outcome(doc, [])[:2] == out[doc.id][:2], doc.id
    return out, links.LinkIndex.of(docs)


def _splits(n: int) -> list[tuple[int, ...]]:
    return [(i,) for i in range(n)] + GROUPS


def test_the_index_names_what_new_documents_change_and_links_them_alike(
    unlinked, whole, synthetic_docs
) -> None:
    read = {d.id: d for d in synthetic_docs}
    outcomes, index_of_all = whole
    affected_splits, appended = 0, 0
    for held in _splits(len(unlinked)):
        new, old = _fresh(unlinked, held), _fresh(unlinked, held, keep=False)
        old_problems = links.link(old)
        index = pickle.loads(pickle.dumps(links.LinkIndex.of(old)))
        affected = index.affected_by(new)
        changed = {d.id for d in old if _outcome(d, old_problems) != outcomes[d.id]}
        assert changed <= affected, (held, changed - affected)  # never under-reported
        if affected:
            affected_splits += 1
            continue
        appended += 1
        again = _fresh(unlinked, held)
        problems = index.link_new(again)
        link_corpus_new(index, new)
        for doc, twin in zip(new, again, strict=True):
            assert _outcome(twin, problems) == outcomes[doc.id], (held, doc.id)
            assert doc.warnings == read[doc.id].warnings, (held, doc.id)
        index.add(new)
        assert index == index_of_all, held
    assert affected_splits and appended, (affected_splits, appended)


def test_a_later_dated_mention_or_concordance_affects_the_documents_it_settles(
    unlinked,
) -> None:
    """The ways in: a new dated mention settles undecided ones elsewhere, a compilation
    brings the concordance earlier reports resolve through."""
    docs = _fresh(unlinked, (), keep=False)
    compilations = [d for d in docs if d.concordance]
    assert compilations
    old = [d for d in docs if d is not compilations[-1]]
    links.link(old)
    index = links.LinkIndex.of(old)
    citing = {
        d.id
        for d in old
        for u in d.units()
        for r in u.references
        if r.kind == "report-paragraph" and r.target_unit is None
    }
    assert citing and citing <= index.affected_by([compilations[-1]])
    assert index.affected_by([]) == set()


# ---------------------------------------------------------------- orders and ties
# Small documents built by hand, for what the synthetic corpus does not hold: two
# dated mentions of one act read differently, two reports of one year.


def _empty(name: str) -> Document:
    doc = Document(path=name, file_name=name, source="", encoding="utf-8", sha256="")
    doc.id = name.split(".")[0]
    return doc


def _doc(name: str, refs=(), notes=(), concordance=(), labels=(), year=None) -> Document:
    doc = _empty(name)
    doc.root.add(Unit("paragraph", label="1", references=list(refs)))
    for label in labels:
        doc.root.add(Unit("paragraph", label=label))
    doc.footnotes = [Footnote("1", Segment(0, 0, 1), "", references=list(notes))]
    doc.concordance = list(concordance)
    if year:
        doc.meetings = [Meeting("WorkingGroup", 1, start=dt.date(year, 5, 1))]
    return doc


def _dated(normalised: str, how: str = "date") -> Reference:
    """A mention of COP resolution 3/5 or 5/3, as its own document read it."""
    return Reference("cop-resolution", "3/5", normalised, 2010, how=how, numbers=(3, 5), body="COP")


def _undecided() -> Reference:
    return _dated("CTOC/COP/res/5/3", how="undecided")


def _report(symbol: str = "", year: int | None = 2010) -> Reference:
    return Reference("report-paragraph", "17", symbol, year, numbers=(17, 0))


def _compilation(name: str, report: str = "R1", offset: int = 1, year=2010) -> Document:
    entry = {"meeting": 1, "report": report, "offset": offset}
    return _doc(name, concordance=[entry], labels=["1/16", "1/15"], year=year)


def _check(make_old, make_new) -> tuple[set[str], set[str]]:
    """(documents affected_by names, documents whose outcome really changes); asserts
    nothing is missed and, when nothing is named, that link_new links as link does."""
    old = make_old()
    old_problems = links.link(old)
    index = pickle.loads(pickle.dumps(links.LinkIndex.of(old)))
    everything = sorted(make_old() + make_new(), key=lambda d: d.file_name)
    problems = links.link(everything)
    after = {d.id: _outcome(d, problems) for d in everything}
    changed = {d.id for d in old if _outcome(d, old_problems) != after[d.id]}
    new = make_new()
    affected = index.affected_by(new)
    assert changed <= affected
    if not affected:
        new_problems = index.link_new(new)
        assert [_outcome(d, new_problems) for d in new] == [after[d.id] for d in new]
    return affected, changed


ODD = "CTOC/COP/res/3/5"
TWINS = [
    # a later document's dated mention wins, an earlier one's does not
    (lambda: _doc("c.txt", [_dated(ODD)]), {"b"}),
    (lambda: _doc("0.txt", [_dated(ODD)]), set()),
    # any footnote's mention comes after every unit's
    (lambda: _doc("0.txt", notes=[_dated(ODD)]), {"b"}),
    # the same reading changes nothing
    (lambda: _doc("c.txt", [_dated("CTOC/COP/res/5/3")]), set()),
]


def _settled_corpus() -> list[Document]:
    return [
        _doc("a.txt", [_dated("CTOC/COP/res/5/3", "symbol")]),
        _doc("b.txt", [_undecided()]),
    ]


@pytest.mark.parametrize(("make_new", "expected"), TWINS)
def test_the_last_dated_mention_in_corpus_order_settles_twins(make_new, expected) -> None:
    affected, changed = _check(_settled_corpus, lambda: [make_new()])
    assert affected == changed == expected


REPORTS = [
    # another report of the year: the year alone no longer names one (R1 still does)
    (lambda: [_compilation("z.txt", report="R2")], {"a"}),
    # R1 again, of the same year: the year now has two entries
    (lambda: [_compilation("0.txt")], {"a"}),
    # R1 again (no year), in a document read before the compilation: it loses ...
    (lambda: [_compilation("0.txt", offset=2, year=None)], set()),
    # ... and read after it: it wins, and paragraph 17 is now 1/15
    (lambda: [_compilation("z.txt", offset=2, year=None)], {"a", "b"}),
]


def _citing_corpus() -> list[Document]:
    """a cites paragraph 17 of the report of 2010, b of report R1; c is the compilation."""
    return [_doc("a.txt", [_report()]), _doc("b.txt", [_report("R1", None)]), _compilation("c.txt")]


@pytest.mark.parametrize(("make_new", "expected"), REPORTS)
def test_report_paragraphs_follow_the_last_concordance_entry(make_new, expected) -> None:
    affected, changed = _check(_citing_corpus, make_new)
    assert affected == changed == expected


#: Three words no stemming shortens, and a reiterating unit's text holding them.
WORDS = ["\u062b\u062e\u0630", "\u0636\u0638\u063a", "\u0634\u0635\u062d"]
REITERATE = " ".join([links._forms()[0], *WORDS])


def _text_doc(name: str, kind: str, meeting: int, text: str) -> Document:
    doc = _empty(name)
    doc.root.add(Unit(kind, label="1", meeting=meeting, text=text))
    return doc


def _earlier(name: str, *words: str, meeting: int = 1) -> Document:
    return _text_doc(name, "recommendation", meeting, " ".join(words))


POOL = [
    # an equal score wins on the greater document id, not on a smaller one
    (True, lambda: _earlier("q.txt", *WORDS), {"a"}),
    (True, lambda: _earlier("0.txt", *WORDS), set()),
    # a better match, of a later meeting: not a match
    (True, lambda: _earlier("q.txt", REITERATE, meeting=6), set()),
    (True, lambda: _earlier("q.txt", REITERATE), {"a"}),
    # with no match yet: one below the threshold changes nothing, one above does
    (False, lambda: _earlier("q.txt", WORDS[0]), set()),
    (False, lambda: _earlier("q.txt", *WORDS[:2]), {"a"}),
]


@pytest.mark.parametrize(("matched", "make_new", "expected"), POOL)
def test_a_reiteration_takes_a_new_earlier_recommendation_only_if_it_wins(
    matched, make_new, expected
) -> None:
    def old() -> list[Document]:
        docs = [_text_doc("a.txt", "paragraph", 5, REITERATE)]
        return docs + ([_earlier("p.txt", *WORDS)] if matched else [])

    affected, changed = _check(old, lambda: [make_new()])
    assert affected == changed == expected
