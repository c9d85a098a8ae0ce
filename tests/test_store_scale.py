"""The one store interface at any size: an in-memory and an on-disk Oxigraph store give the
same rows for every saved query and byte-identical exports; parameters bound first in the
outer WHERE give the rows a trailing VALUES block gives; the incremental cache re-extracts
exactly the documents whose bytes or loader version changed, and survives damage."""

from __future__ import annotations

import pickle
import re
import shlex
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from graph import cache as cache_module
from graph import cli
from graph import export as export_module
from graph.build import build_store
from graph.cache import CACHE_DIR, DocumentCache
from graph.export import FORMATS, StoreExports
from graph.namespaces import PREFIXES
from graph.query import _oxigraph_rows, bindings, run, saved_queries, values_block, with_values
from graph.store import is_store_dir, new_store, open_store
from loaders import read_folder
from tests.conftest import SEEDS

SAVED = saved_queries()


@pytest.fixture(scope="module")
def stores(seed_docs, tmp_path_factory):
    docs = list(seed_docs.values())
    folder = tmp_path_factory.mktemp("disk") / "store"
    return build_store(docs, new_store()), build_store(docs, new_store(folder))


#: Parameters for queries whose ``#+ example:`` binds none.
MORE_PARAMS = {"unresolved-references": {"document": "ga-79-c3-trafficking-women-girls-draft"}}


def example_params(query) -> dict[str, str]:
    """The parameters of the query's ``#+ example:`` command line."""
    words = shlex.split(query.header.get("example", ""))
    pairs = [words[i + 1] for i, w in enumerate(words[:-1]) if w == "--param"]
    return dict(pair.split("=", 1) for pair in pairs) or MORE_PARAMS.get(query.name, {})


@pytest.mark.parametrize("query", SAVED, ids=[q.name for q in SAVED])
def test_memory_and_disk_stores_give_the_same_rows(stores, query) -> None:
    memory, disk = stores
    for params in ({}, example_params(query)):
        rows = run(query, memory, params)
        assert rows == run(query, disk, params)
    assert len(run(query, memory)[1]) > 0


def test_memory_and_disk_stores_give_byte_identical_exports(stores, tmp_path) -> None:
    made = {}
    for name, store in zip(("memory", "disk"), stores, strict=True):
        (tmp_path / name).mkdir()
        exports = StoreExports(store, tmp_path / name)
        for file, produce in exports.producers().items():
            produce(tmp_path / name / file)
        made[name] = {f: (tmp_path / name / f).read_bytes() for f in FORMATS.values()}
    assert made["memory"] == made["disk"]
    assert len(made["memory"]["palermo.nt"].splitlines()) == 26_639


def test_each_statement_sits_in_one_named_graph(stores, seed_docs) -> None:
    """Shared entities are described once, in graph/entities: the union of the graphs
    has no copies for queries (and validation) to join."""
    memory, _ = stores
    triples = {(q.subject, q.predicate, q.object) for q in memory}
    assert len(memory) == len(triples) == 26_639
    entities = pyoxigraph.NamedNode("https://w3id.org/palermo/graph/entities")
    described = {q.subject.value for q in memory.quads_for_pattern(None, None, None, entities)}

    def kind(iri: str) -> str:
        return iri.split("/palermo/", 1)[-1].split("/", 1)[0]

    shared = ("state", "un-doc", "treaty", "meeting")
    in_documents = [q for q in memory if q.graph_name.value.split("/graph/")[1].startswith("doc/")]
    mentioning = [*in_documents, *memory.quads_for_pattern(None, None, None, entities)]
    mentioned = {q.object.value for q in mentioning if kind(q.object.value) in shared}
    # every State, UN document, treaty and meeting a document (or a meeting's record)
    # mentions is described there, and nothing else (cited paragraphs are, too)
    assert {iri for iri in described if kind(iri) in shared} == mentioned
    assert {kind(iri) for iri in described} == {*shared, "instrument"}
    assert not any(kind(q.subject.value) in shared for q in in_documents)
    # the Working Group's nine meetings: eight in the compilation, the ninth reported
    meetings = sorted(int(iri.rsplit("/", 1)[1]) for iri in described if kind(iri) == "meeting")
    assert meetings == list(range(1, 10))


def test_each_subject_sits_in_one_named_graph(stores) -> None:
    """The exports write graph by graph (graph.export): a subject's triples must sit
    in one graph to stay adjacent, as Turtle and JSON-LD group them."""
    memory, _ = stores
    graphs: dict[str, set[str]] = {}
    for q in memory:
        graphs.setdefault(q.subject.value, set()).add(q.graph_name.value)
    assert len(graphs) == 4_153  # distinct subjects of palermo.nt, as rdflib counts them
    assert {s: g for s, g in graphs.items() if len(g) > 1} == {}


def _graph_lines(exports: StoreExports, nt: bytes) -> list[tuple[str, list[bytes]]]:
    return [(name, nt[a:b].split(b"\n")[:-1]) for name, a, b in exports.ranges]


def test_exports_run_graph_by_graph_sorted_within_each(stores, tmp_path) -> None:
    """N-Triples: graphs in order of name, each graph's lines sorted, every line in
    one graph's range; the on-disk sorted runs give the same bytes."""
    memory, _ = stores
    exports = StoreExports(memory, tmp_path)
    exports.ntriples(tmp_path / "x.nt")
    nt = (tmp_path / "x.nt").read_bytes()
    graphs = _graph_lines(exports, nt)
    names = [name for name, _ in graphs]
    assert names == sorted(names) and len(names) == 8
    assert sum(len(lines) for _, lines in graphs) == len(nt.split(b"\n")) - 1 == 26_639
    for name, lines in graphs:
        assert lines == sorted(lines), name
        g = pyoxigraph.NamedNode(name)
        assert len(lines) == sum(1 for _ in memory.quads_for_pattern(None, None, None, g))
    (tmp_path / "runs").mkdir()
    spilled = StoreExports(memory, tmp_path / "runs", run_lines=1_000)
    spilled.ntriples(tmp_path / "runs.nt")
    assert (tmp_path / "runs.nt").read_bytes() == nt and spilled.ranges == exports.ranges


def test_turtle_and_trig_are_the_serialisers_bytes(stores, tmp_path) -> None:
    """Turtle and TriG are written from one Turtle serialisation of each graph: the
    bytes Oxigraph's own serialisers write for the same triples in the same order."""
    memory, _ = stores
    exports = StoreExports(memory, tmp_path)
    for name, produce in exports.producers().items():
        produce(tmp_path / name)
    nt = (tmp_path / "palermo.nt").read_bytes()
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    triples = pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_TRIPLES)
    turtle = pyoxigraph.serialize(triples, None, pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)
    assert (tmp_path / "palermo.ttl").read_bytes() == turtle
    quads = [
        pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.NamedNode(name))
        for name, lines in _graph_lines(exports, nt)
        for t in pyoxigraph.parse(b"\n".join(lines), format=pyoxigraph.RdfFormat.N_TRIPLES)
    ]
    trig = pyoxigraph.serialize(quads, None, pyoxigraph.RdfFormat.TRIG, prefixes=prefixes)
    assert (tmp_path / "palermo.trig").read_bytes() == trig
    assert trig.count(b"> {\n") == 8


@pytest.mark.parametrize(
    "query", [q for q in SAVED if q.params], ids=[q.name for q in SAVED if q.params]
)
def test_values_first_in_the_outer_where_give_the_rows_of_a_trailing_block(stores, query) -> None:
    memory, _ = stores
    bound = bindings(query, example_params(query))
    assert bound, query.name
    first = with_values(query.text, bound)
    assert first != f"{query.text.rstrip()}\n{values_block(bound)}\n"
    assert re.search(r"WHERE \{\n  VALUES \(", first), query.name
    trailing = f"{query.text.rstrip()}\n{values_block(bound)}\n"
    rows = _oxigraph_rows(memory.query(first, use_default_graph_as_union=True))
    assert rows == _oxigraph_rows(memory.query(trailing, use_default_graph_as_union=True))


def test_build_into_a_store_folder_then_query_and_export_it(tmp_path, monkeypatch) -> None:
    out, store = tmp_path / "out", tmp_path / "store"
    args = ["build", "--seeds", str(SEEDS), "--out", str(out), "--no-validate"]
    # Turtle, JSON-LD and the CSV's statements made by two processes, as at scale
    monkeypatch.setattr(export_module, "PARALLEL_BYTES", 0)
    assert cli.main([*args, "--store", str(store)]) == 0
    monkeypatch.undo()
    assert is_store_dir(store)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".store", ".out"))]
    # its exports come from the spool of graphs, not the store: the same bytes
    in_memory = tmp_path / "memory"
    assert cli.main(["build", "--seeds", str(SEEDS), "--out", str(in_memory), "--no-validate"]) == 0
    for name in FORMATS.values():
        assert (out / name).read_bytes() == (in_memory / name).read_bytes(), name
    for query in SAVED:
        assert run(query, open_store(store)) == run(query, open_store(out)), query.name
    exported = tmp_path / "x.nt"
    assert (
        cli.main(["export", "--format", "nt", "--graph", str(store), "--out", str(exported)]) == 0
    )
    assert exported.read_bytes() == (out / "palermo.nt").read_bytes()
    # a second build replaces the store, atomically, and refuses what is not a store
    assert cli.main([*args, "--store", str(store)]) == 0
    assert len(open_store(store)) == len(pyoxigraph.Store.read_only(str(store)))
    (tmp_path / "notastore").mkdir()
    (tmp_path / "notastore" / "keep.txt").write_text("x")
    assert cli.main([*args, "--store", str(tmp_path / "notastore")]) == 2
    assert (tmp_path / "notastore" / "keep.txt").read_text() == "x"


def nt_of(docs, tmp_path: Path, name: str) -> bytes:
    (tmp_path / name).mkdir()
    StoreExports(build_store(docs, new_store()), tmp_path / name).ntriples(tmp_path / "x.nt")
    return (tmp_path / "x.nt").read_bytes()


def test_cache_reuses_unchanged_documents_and_gives_the_same_graph(tmp_path, monkeypatch) -> None:
    seeds, folder = tmp_path / "seeds", tmp_path / "out" / CACHE_DIR
    shutil.copytree(SEEDS, seeds)
    fresh, errors = read_folder(seeds)
    assert not errors

    def build() -> tuple[DocumentCache, list]:
        """Read through the cache, save it into a staged folder and swap it in, as
        ``palermo build`` does with the whole output folder."""
        reader = DocumentCache(folder, workers=1)
        docs, errors = read_folder(seeds, read=reader.read)
        assert not errors
        staged = tmp_path / "staged" / CACHE_DIR
        reader.save(staged)
        inodes = {p.name: p.stat().st_ino for p in folder.glob("*.pickle")}
        reused = {p.name for p in staged.glob("*.pickle") if inodes.get(p.name)}
        # reused entries are hard links to the old ones, not copies
        assert all(inodes[n] == (staged / n).stat().st_ino for n in reused)
        assert len(reused) == reader.reused
        shutil.rmtree(folder, ignore_errors=True)
        folder.parent.mkdir(exist_ok=True)
        staged.rename(folder)
        return reader, docs

    first, _ = build()
    assert (first.extracted, first.reused) == (5, 0)
    assert len(list(folder.glob("*.pickle"))) == 5
    second, cached = build()
    assert (second.extracted, second.reused) == (0, 5)
    assert nt_of(cached, tmp_path, "a") == nt_of(fresh, tmp_path, "b")
    report = seeds / "wg-tip_draft-report-meeting-9_2019.ar.txt"
    report.write_bytes(report.read_bytes() + b"\n")
    third, _ = build()
    assert (third.extracted, third.reused) == (1, 4)
    assert len(list(folder.glob("*.pickle"))) == 5  # the stale entry is gone
    monkeypatch.setattr(cache_module, "loader_version", lambda: "another loader")
    assert build()[0].extracted == 5


def test_documents_extracted_by_workers_are_the_documents_read_here(tmp_path, monkeypatch) -> None:
    """Two workers extract the seeds and a file that cannot be read; the documents they
    hand back (each through a file, unpickled as it comes) make the graph the seeds
    read here make, the error is the one reading the file raises, the cache keeps what
    the documents were unpickled from, and no hand-over file is left behind."""
    import tempfile

    from loaders import LoadError
    from loaders.read import read_document

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "empty.ar.txt").write_bytes(b"")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    reader = DocumentCache(None, workers=2)
    reader.prefetch(seeds)
    assert set(reader._ready) == set(seeds.glob("*.txt"))
    assert list((tmp_path / "tmp").iterdir()) == []
    with pytest.raises(LoadError) as raised:
        reader.read(seeds / "empty.ar.txt")
    with pytest.raises(LoadError) as here:
        read_document(seeds / "empty.ar.txt")
    assert raised.value.message == here.value.message
    (seeds / "empty.ar.txt").unlink()
    docs, errors = read_folder(seeds, read=reader.read)
    fresh, _ = read_folder(seeds)
    assert not errors and (reader.extracted, len(reader._ready)) == (5, 0)
    assert nt_of(docs, tmp_path, "workers") == nt_of(fresh, tmp_path, "here")
    reader.save(tmp_path / CACHE_DIR)
    again = DocumentCache(tmp_path / CACHE_DIR, workers=2)
    cached, _ = read_folder(seeds, read=again.read)
    assert (again.extracted, again.reused) == (0, 5)
    assert nt_of(cached, tmp_path, "cached") == nt_of(fresh, tmp_path, "again")


def test_a_damaged_cache_file_is_ignored_with_a_warning(tmp_path) -> None:
    seeds, folder = tmp_path / "seeds", tmp_path / CACHE_DIR
    shutil.copytree(SEEDS, seeds)
    reader = DocumentCache(folder, workers=1)
    read_folder(seeds, read=reader.read)
    reader.save(folder)
    files = sorted(folder.glob("*.pickle"))
    files[0].write_bytes(b"not a pickle")
    files[1].write_bytes(pickle.dumps({"a": "dict"}))
    again = DocumentCache(folder, workers=1)
    docs, errors = read_folder(seeds, read=again.read)
    assert not errors and len(docs) == 5
    assert (again.extracted, again.reused) == (2, 3)
    assert len(again.warnings) == 2 and "could not be read" in again.warnings[0]


def test_loader_version_changes_with_any_loader_file(tmp_path, monkeypatch) -> None:
    copy = tmp_path / "loaders"
    shutil.copytree(cache_module.LOADERS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "LOADERS", copy)
    versions = []
    for change in (None, copy / "data" / "verbs.toml", copy / "read.py"):
        if change is not None:
            change.write_bytes(change.read_bytes() + b"\n")
        cache_module.loader_version.cache_clear()
        versions.append(cache_module.loader_version())
    cache_module.loader_version.cache_clear()
    assert len(set(versions)) == 3


def test_load_errors_travel_back_from_extraction_workers() -> None:
    """A worker returns the LoadError of a file it cannot read: it must unpickle whole
    (it did not, and one empty file broke the worker pool)."""
    from loaders import LoadError

    error = pickle.loads(pickle.dumps(LoadError("a.txt", "the file is empty", "Add text.")))
    assert (error.path, error.reason, error.hint) == ("a.txt", "the file is empty", "Add text.")
    assert error.message == "a.txt: the file is empty. Add text."


def test_the_csv_statements_are_the_lines_the_recommendations_query_reads() -> None:
    """Each read predicate's lines, and rdf:type only as eli:Work, in their order; a
    literal holding a read predicate's IRI does not make its line kept."""
    from graph import query as saved
    from graph.projection import projection

    text = "<https://schema.org/text>"
    work = "<http://data.europa.eu/eli/ontology#Work>"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    lines = [
        f'<urn:u> {text} "a b" .\n',
        f"<urn:d> {rdf_type} {work} .\n",
        f"<urn:u> {rdf_type} <urn:Unit> .\n",
        '<urn:u> <urn:comment> "x> <https://schema.org/text> y" .\n',
        '<urn:u> <urn:other> "z" .\n',
        f'_:b0 {text} "c" .\n',
    ]
    found = projection((saved.load("recommendations").text,)).lines("".join(lines).encode())
    assert found == "".join(lines[i] for i in (0, 1, 5)).encode()
    assert projection((saved.load("recommendations").text,)).lines(lines[4].encode()) == b""
