"""Repeated recommendations: identical and near-duplicate links, their threshold and
its precision, measured against pairs judged by reading both texts
(tests/data/near_duplicates.tsv)."""

from __future__ import annotations

import csv
import itertools
import math
import pickle
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import query as saved
from graph.build import build_graph, links_before, search_and_link
from graph.store import store_from_ntriples
from loaders.extract import repetition
from loaders.extract.lexicon import load
from loaders.normalise import norm
from tests.conftest import SEEDS

DATA = Path(__file__).parent / "data" / "near_duplicates.tsv"
WG = "ctoc-cop-wg4-2019-5"


def judged() -> list[dict]:
    with DATA.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@pytest.fixture(scope="module")
def compared(seed_docs):
    return repetition.items(list(seed_docs.values()))


@pytest.fixture(scope="module")
def scores(compared):
    """Similarity of every pair of distinct compared texts scoring 0.35 or more, keyed by
    (earlier document, unit, later document, unit)."""
    keys = sorted({repetition.key(i.unit.text) for i in compared})
    first: dict[str, repetition.Item] = {}
    for item in compared:
        first.setdefault(repetition.key(item.unit.text), item)
    pairs = repetition.similar_pairs(repetition.vectors(keys, repetition.settings().ngram), 0.35)
    out = {}
    for (a, b), score in pairs.items():
        x, y = sorted((first[keys[a]], first[keys[b]]), key=lambda i: i.when)
        out[(x.doc_id, x.label, y.doc_id, y.label)] = score
    return out


def test_the_seeds_repetitions_are_found_exactly(seed_docs):
    found = {
        (r.later.label, r.earlier.label, r.relation, r.score)
        for r in repetition.find(list(seed_docs.values()))
    }
    assert {(a, b, c) for a, b, c, _ in found} == {
        ("5/35", "5/34", "identical"),
        ("7/2(b)", "1/11(b)", "near-duplicate"),
        ("8/1(c)", "7/2(b)", "near-duplicate"),
        ("8/1(c)", "1/11(b)", "near-duplicate"),
    }
    assert ("5/35", "5/34", "identical", 1.0) in found


def test_every_pair_above_035_was_judged(scores):
    """A change of measure that lets a new pair reach 0.35 must be judged by a reader."""
    rows = judged()
    labelled = {
        (r["earlier_document"], r["earlier_unit"], r["later_document"], r["later_unit"])
        for r in rows
        if r["judgement"] != "identical"
    }
    assert set(scores) == labelled


def test_threshold_precision_and_recall_on_the_judged_pairs(scores):
    threshold = repetition.settings().threshold
    rows = [r for r in judged() if r["judgement"] != "identical"]
    truth = {
        (r["earlier_document"], r["earlier_unit"], r["later_document"], r["later_unit"]): r[
            "judgement"
        ]
        == "same"
        for r in rows
    }
    predicted = {k for k, s in scores.items() if s >= threshold}
    true_positive = sum(truth[k] for k in predicted)
    assert (true_positive, len(predicted)) == (3, 3)  # precision 1.0
    assert (true_positive, sum(truth.values())) == (3, 4)  # recall 0.75 (1/12(e)-1/18(c) 0.52)
    best_negative = max(s for k, s in scores.items() if not truth[k])
    worst_kept = min(s for k, s in scores.items() if truth[k] and s >= threshold)
    assert best_negative < threshold <= worst_kept


def test_identical_pairs_are_judged_identical(compared):
    groups: dict[str, list[str]] = {}
    for item in compared:
        groups.setdefault(repetition.key(item.unit.text), []).append(item.label)
    repeated = sorted(labels for labels in groups.values() if len(labels) > 1)
    expected = [
        [r["earlier_unit"], r["later_unit"]] for r in judged() if r["judgement"] == "identical"
    ]
    assert repeated == expected


def test_chapeaux_and_short_items_are_not_compared(seed_docs, compared):
    labels = {(i.doc_id, i.label) for i in compared}
    assert (WG, "7/1") not in labels and (WG, "7/2") not in labels  # identical chapeaux
    assert (WG, "4/45(k)") not in labels  # "الاتجار بالأشخاص بغرض نزع أعضائهم."
    assert (WG, "7/2(b)") in labels and ("cop-decision-3-3", "OP (j)") in labels


def test_data_examples():
    data = load("repetition")
    for word, stem in data["tokens"]["examples"]:
        assert repetition.stem(norm(word)) == norm(stem)
    assert repetition.settings().threshold == data["near_duplicate"]["threshold"]


def test_data_pair_examples_hold(seed_docs):
    by_label = {r.later.label: r for r in repetition.find(list(seed_docs.values()))}
    found = {
        (r.earlier.label, r.later.label, r.relation)
        for r in repetition.find(list(seed_docs.values()))
    }
    for earlier, later, verdict in load("repetition")["near_duplicate"]["examples"]:
        if verdict == "different":
            assert later not in by_label or by_label[later].earlier.label != earlier
        else:
            assert (earlier, later, verdict) in found


def _brute(vecs, threshold):
    dense = [dict(zip(f.tolist(), w.tolist(), strict=True)) for f, w in vecs]
    out = {}
    for i, j in itertools.combinations(range(len(vecs)), 2):
        s = sum(w * dense[j].get(f, 0.0) for f, w in dense[i].items())
        if s >= threshold - 1e-9:
            out[(i, j)] = s
    return out


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.62, 0.9])
def test_prefix_filter_finds_what_all_pairs_finds_on_the_seeds(compared, threshold):
    keys = sorted({repetition.key(i.unit.text) for i in compared})
    vecs = repetition.vectors(keys, 4)
    fast, brute = repetition.similar_pairs(vecs, threshold), _brute(vecs, threshold)
    assert fast.keys() == brute.keys()
    assert all(math.isclose(fast[k], min(brute[k], 1.0), abs_tol=1e-9) for k in fast)


def test_the_bounded_search_finds_what_the_exhaustive_one_finds_on_the_seeds(compared):
    s = repetition.settings()
    keys = list(dict.fromkeys(repetition.key(i.unit.text) for i in compared))
    vecs = repetition.vectors(keys, s.ngram)
    bounded = repetition.similar_pairs(vecs, s.threshold, s.postings, s.candidates)
    assert repetition.truncated() > 0  # the bounds do bind here ...
    assert bounded == repetition.similar_pairs(vecs, s.threshold)  # ... and lose nothing


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(
        st.dictionaries(st.integers(-6, 12), st.floats(0.01, 1.0), min_size=1, max_size=6),
        min_size=2,
        max_size=12,
    ),
    st.floats(0.1, 0.95),
)
def test_prefix_filter_is_exact_on_random_vectors(raw, threshold):
    vecs = []
    for weights in raw:
        length = math.sqrt(sum(w * w for w in weights.values()))
        vecs.append(repetition.vector(sorted((f, w / length) for f, w in weights.items())))
    assert repetition.similar_pairs(vecs, threshold).keys() == _brute(vecs, threshold).keys()


def test_each_unit_links_to_at_most_per_unit_earlier_units():
    """Twelve copies of one text: each links to the latest three before it, never later ones."""
    rng = random.Random(7)
    per_unit = repetition.settings().per_unit
    order = list(range(12))
    rng.shuffle(order)
    members = sorted(order)
    for i in members:
        earlier = repetition._earlier(members, i, per_unit)
        assert earlier == list(range(max(0, i - per_unit), i))


def test_links_query_returns_the_repetitions(seed_docs):
    graph = build_graph(list(seed_docs.values()))
    store = store_from_ntriples(graph.serialize(format="nt", encoding="utf-8"))
    q = saved.load("links")
    rows = {}
    for relation in ("identical", "near-duplicate"):
        _, found = saved.rows(saved.run(q, store, {"relation": relation}))
        rows[relation] = [tuple(r) for r in found]
    assert rows["identical"] == [(WG, "5/35", "identical", WG, "5/34", "1")]
    assert rows["near-duplicate"] == [
        (WG, "7/2(b)", "near-duplicate", WG, "1/11(b)", "0.642"),
        (WG, "8/1(c)", "near-duplicate", WG, "1/11(b)", "0.639"),
        (WG, "8/1(c)", "near-duplicate", WG, "7/2(b)", "0.897"),
    ]


def test_the_reference_idf_is_up_to_date_with_the_seeds():
    """``python -m loaders.extract.repetition seeds`` would write the shipped file."""
    texts = repetition.seed_texts(SEEDS)
    assert len(texts) == 397
    assert repetition.reference_text(texts, 4) == repetition.REFERENCE.read_text("utf-8")
    ref = repetition.reference()
    assert ref.texts == 397 and len(ref.rank) == 11040
    # the instrument names every text carries weigh less than a word of one text
    assert ref.idf[" بال"] < ref.idf[" 1 4"] == math.log(398 / 2)


def test_an_unseen_ngram_weighs_as_the_rarest_and_sorts_first():
    vocab = repetition.Vocabulary(repetition.reference())
    # "زيزفون" (linden) occurs in no seed text
    ((feats, weights),) = repetition.vectors(["تعزيز زيزفون الدول"], 4, vocab)
    unseen = feats < 0
    assert unseen.sum() == len(vocab.unseen) > 0
    assert list(feats) == sorted(feats) and unseen[: unseen.sum()].all()
    assert math.isclose(float(weights @ weights), 1.0)


def _later_half(docs):
    """Split ``docs`` where every compared unit of the second part comes after every
    unit of the first (the case a resumed search handles)."""
    last = {d.id: max(i.when for i in repetition.items([d])) for d in docs}
    ordered = sorted(docs, key=lambda d: last[d.id])
    cut = len(ordered) // 2
    first = ordered[:cut]
    bound = max(last[d.id] for d in first)
    second = [d for d in ordered[cut:] if min(i.when for i in repetition.items([d])) > bound]
    return first, second


def test_a_resumed_search_finds_what_one_search_finds(synthetic_docs):
    first, second = _later_half(synthetic_docs)
    assert len(second) >= 3
    whole = repetition.find(first + second)
    state = repetition.Repetitions.empty()
    resumed = state.extend(repetition.items(first))
    resumed += pickle.loads(pickle.dumps(state)).extend(repetition.items(second))
    assert [r.compact() for r in resumed] == [r.compact() for r in whole]
    assert any(r.later.doc_id in {d.id for d in second} for r in whole)


def test_a_search_refuses_units_before_the_ones_it_has(synthetic_docs):
    first, second = _later_half(synthetic_docs)
    state = repetition.Repetitions.empty()
    state.extend(repetition.items(second))
    with pytest.raises(repetition.OutOfOrder):
        state.extend(repetition.items(first))


def test_a_search_started_before_linking_writes_the_links_of_one_after(synthetic_corpus, tmp_path):
    """``palermo build`` forks the search before it links the documents across the
    corpus and hands it each unit's count of links after: the statements are those
    of a search over the linked documents, link numbers included."""
    from loaders.extract import link_corpus
    from loaders.read import read_folder

    early, _ = read_folder(synthetic_corpus, repetitions=False, link=False)
    held = pickle.loads(pickle.dumps(early))  # what a child forked now holds
    link_corpus(early, repetitions=False)
    before = links_before(early)
    _, (path, parts) = search_and_link(held, tmp_path / "early.nq", before=lambda: before)
    linked, _ = read_folder(synthetic_corpus, repetitions=False)
    _, (after, after_parts) = search_and_link(linked, tmp_path / "after.nq")
    assert path.read_bytes() == after.read_bytes() and parts == after_parts
    # the case that needs the counts: a unit with links of its own is repeated
    found = {(d, label) for d, label, *_ in repetition.search_corpus(linked)[0]}
    numbered = [key for key in found if key in before]
    assert numbered, "no repeated unit has links of its own: the counts go untested"
    doc_id, label = min(numbered)
    unit = next(u for d in linked if d.id == doc_id for u in d.units() if u.label == label)
    node = f"/doc/{doc_id}/{unit.eid}/link_"
    written = path.read_bytes().decode("utf-8")
    assert f"{node}{before[(doc_id, label)] + 1}>" in written
    assert f"{node}1>" not in written  # its own links hold the first numbers


def test_released_documents_are_freed_without_the_cyclic_collector():
    """A unit tree is a reference cycle; ``release`` cuts it, so the documents go as
    the list empties instead of when (if ever) the collector runs."""
    import gc
    import weakref

    from loaders.model import release
    from loaders.read import read_folder

    docs, _ = read_folder(SEEDS, repetitions=False)
    units = [weakref.ref(u) for d in docs for u in d.units()]
    assert len(units) > 500
    gc.disable()
    try:
        release(docs)
        assert docs == [] and all(ref() is None for ref in units)
    finally:
        gc.enable()
