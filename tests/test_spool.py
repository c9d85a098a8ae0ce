"""graph.spool: a graph's N-Triples read from the builder's N-Quads with the graph name
cut off are the lines a store loaded with them dumps, on every graph of the seeds
(repetition links included); where the store would write a line otherwise (a control
character it escapes) or a line is not in the graph, the store is used."""

from __future__ import annotations

import pyoxigraph
import pytest

from graph import export as export_module
from graph import spool as spool_module
from graph.build import build_store, repetition_links
from graph.export import StoreExports
from graph.spool import Spool, as_triples
from graph.store import new_store
from loaders import read_folder
from loaders.extract.repetition import search_corpus
from tests.conftest import SEEDS

NQ = pyoxigraph.RdfFormat.N_QUADS
NT = pyoxigraph.RdfFormat.N_TRIPLES
GRAPH = "https://w3id.org/palermo/graph/doc/x"


def by_store(nquads: bytes, graph: str) -> bytes:
    store = pyoxigraph.Store()
    store.bulk_load(nquads, format=NQ)
    return store.dump(format=NT, from_graph=pyoxigraph.NamedNode(graph))


def test_every_seed_graph_reads_the_same_with_or_without_a_store(tmp_path, monkeypatch) -> None:
    docs, _ = read_folder(SEEDS)  # fresh: the links are added to the documents
    spool = Spool(tmp_path)
    links = repetition_links(docs, search_corpus(docs)[0], tmp_path / "links.nq")
    assert links[0].read_bytes().count(b"\n") == 24  # the seeds' repetition links
    store = build_store(docs, new_store(), spool=spool, links=lambda: links)
    spool.close()
    fast = {name: spool.ntriples(name) for name in spool.names()}
    monkeypatch.setattr(spool_module, "as_triples", lambda data, graph: None)
    slow = {name: spool.ntriples(name) for name in spool.names()}
    assert len(fast) == len(docs) + 3  # documents, entities, ontology, schemes
    for name in fast:
        assert sorted(fast[name].splitlines()) == sorted(slow[name].splitlines()), name
    links = b"".join(fast[name] for name in fast if "/doc/" in name)
    assert links.count(b"ontology#nearDuplicateOf>") == 3
    # and each equals that graph's dump of the build's store
    for name in fast:
        dump = store.dump(format=NT, from_graph=pyoxigraph.NamedNode(name))
        assert sorted(fast[name].splitlines()) == sorted(dump.splitlines()), name


LINE = f'<urn:s> <urn:p> "{{}}" <{GRAPH}> .\n'


@pytest.mark.parametrize("raw", ["a\tb", "bell\x07", "del\x7f", "nul\x00"])
def test_a_control_character_goes_through_the_store(raw: str) -> None:
    nquads = LINE.format(raw).encode()
    assert as_triples(nquads, GRAPH) is None
    assert b"\\" in by_store(nquads, GRAPH)  # escaped by the serialiser


def test_duplicates_are_dropped_and_foreign_lines_refused() -> None:
    nquads = (LINE.format("a") * 2 + LINE.format('\u0646 \u2028 \\"q\\"')).encode()
    fast = as_triples(nquads, GRAPH)
    assert sorted(fast.splitlines()) == sorted(by_store(nquads, GRAPH).splitlines())
    assert len(fast.splitlines()) == 2
    other = nquads + b'<urn:s> <urn:p> "b" <urn:other> .\n'
    assert as_triples(other, GRAPH) is None
    # the graph's name inside a literal is no end of line
    inside = f'<urn:s> <urn:p> "x <{GRAPH}> ." <{GRAPH}> .\n'.encode()
    assert as_triples(inside, GRAPH) == f'<urn:s> <urn:p> "x <{GRAPH}> ." .\n'.encode()


def test_a_spooled_export_sorts_in_two_processes_and_in_runs(tmp_path, monkeypatch) -> None:
    """From a spool, a forked child reads (and sorts) the graphs from the back;
    from the store, a graph over ``run_lines`` is sorted in runs on disk: the same
    bytes either way."""
    docs, _ = read_folder(SEEDS)
    (tmp_path / "statements").mkdir()
    spool = Spool(tmp_path / "statements")
    links = repetition_links(docs, search_corpus(docs)[0], tmp_path / "links.nq")
    assert links[0].read_bytes().count(b"\n") == 24  # the seeds' repetition links
    store = build_store(docs, new_store(), spool=spool, links=lambda: links)
    made = {}
    for name, run_lines, threshold in (("store", 1_000, 1 << 40), ("spool", 1_000_000, 0)):
        monkeypatch.setattr(export_module, "PARALLEL_BYTES", threshold)
        (tmp_path / name).mkdir()
        exports = StoreExports(
            store, tmp_path / name, run_lines=run_lines, spool=None if name == "store" else spool
        )
        exports.ntriples(tmp_path / f"{name}.nt")
        made[name] = ((tmp_path / f"{name}.nt").read_bytes(), exports.ranges, exports.counts)
    assert made["spool"] == made["store"]
    assert max(made["store"][2].values()) > 1_000  # one graph at least is sorted in runs
