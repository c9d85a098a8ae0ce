"""Materialised aggregates (graph.summary). A store folder built with ``--store`` holds
each GROUP BY query's rows per document as RDF Data Cube observations; read back, they
give exactly the rows of the query as written, on the seeds and on 10x the seeds, with
and without parameters. A summary that no longer covers the store's document graphs,
or that other query texts made, is not read; exports leave it out."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from pathlib import Path

import pyoxigraph
import pytest

from graph import cli, lookups, projection, summary
from graph import query as saved
from graph.export import _named
from graph.store import open_store
from tests.conftest import SEEDS, bench_module, with_late_document

NAMES = summary.summarised()
BASE = "https://w3id.org/palermo/"
QB = "http://purl.org/linked-data/cube#"


def _built(seeds: Path, where: Path) -> pyoxigraph.Store:
    args = ["build", "--seeds", str(seeds), "--out", str(where / "out"), "--no-validate"]
    assert cli.main([*args, "--store", str(where / "store")]) == 0
    return open_store(where / "store")


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory) -> pyoxigraph.Store:
    return _built(SEEDS, tmp_path_factory.mktemp("seeds"))


@pytest.fixture(scope="module")
def x10_store(tmp_path_factory) -> pyoxigraph.Store:
    where = tmp_path_factory.mktemp("x10")
    bench_module("corpus").generate(10, where / "corpus", seed=1)
    return _built(where / "corpus", where)


def test_the_group_by_queries_are_summarised(seeds_store) -> None:
    """Each read query selects the columns its query declares, in their order."""
    assert NAMES == ["addressee-asks", "cited-documents", "themes-over-time"]
    for name in NAMES:
        declared = [c.strip() for c in saved.load(name).header["columns"].split(",")]
        assert saved._run(summary.read_query(name), seeds_store, {})[0] == declared


def _param_sets(name: str, store) -> list[dict[str, str]]:
    """No parameter; each parameter set to the value of its column in the first and
    last rows as written; and to a value nothing has."""
    query = saved.load(name)
    columns, rows = saved.run(query, store, summary=False)
    sets: list[dict[str, str]] = [{}]
    for param in query.params:
        if param.name in columns:
            at = columns.index(param.name)
            sets += [{param.name: rows[0][at]}, {param.name: rows[-1][at]}]
        sets.append({param.name: "nothing-has-this"})
    return sets


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("scale", ["seeds_store", "x10_store"])
def test_summary_gives_the_rows_of_the_query_as_written(name, scale, request) -> None:
    store = request.getfixturevalue(scale)
    query = saved.load(name)
    assert summary.current(store)
    assert saved._in_place(query, store).path == summary.FOLDER / f"{name}.rq"
    for values in _param_sets(name, store):
        read = saved.run(query, store, values)
        assert read == saved.run(query, store, values, summary=False), values
        assert read[1] or "nothing-has-this" in values.values()


def test_each_read_query_finds_only_its_own_observations() -> None:
    """The read queries leave out ``?obs qb:dataSet``: the columns an observation
    must have to be read (its patterns outside OPTIONAL) are together the columns
    of no other summarised query, so no other dataset's observation has them all."""
    columns = {n: {c.strip() for c in saved.load(n).header["columns"].split(",")} for n in NAMES}
    for name in NAMES:
        text = summary.read_query(name).text
        assert "?obs qb:dataSet" not in text and "?summary sum:digest ?digest" in text
        required = set(re.findall(r"^\s*\?obs sum:([\w-]+) \?\w+ \.$", text, re.MULTILINE))
        assert required and required <= columns[name], name
        for other in set(NAMES) - {name}:
            assert not required <= columns[other], (name, other)


def test_one_observation_per_row_per_document(seeds_store) -> None:
    """addressee-asks has a row per document already: as many observations; each
    observation is typed and in its dataset; the summary covers every document graph."""
    rows = saved.run(saved.load("addressee-asks"), seeds_store, summary=False)[1]
    found = seeds_store.query(
        f"SELECT (COUNT(?o) AS ?n) WHERE {{ GRAPH <{BASE}graph/summary> {{ "
        f"?o a <{QB}Observation> ; <{QB}dataSet> <{summary.SUM}addressee-asks> }} }}"
    )
    assert int(next(iter(found))["n"].value) == len(rows) == 92
    docs = [g.value for g in seeds_store.named_graphs() if "/graph/doc/" in g.value]
    ask = f"SELECT ?c WHERE {{ ?s <{summary.SUM}covers> ?c }}"
    covered = seeds_store.query(ask, use_default_graph_as_union=True)
    assert sorted(r["c"].value for r in covered) == sorted(docs) and len(docs) == 5


def _copy(store: pyoxigraph.Store) -> pyoxigraph.Store:
    copy = pyoxigraph.Store()
    copy.extend(store.quads_for_pattern(None, None, None, None))
    return copy


def test_a_summary_that_is_not_current_is_not_read(seeds_store, monkeypatch) -> None:
    query = saved.load("addressee-asks")
    as_written = saved.run(query, seeds_store, summary=False)
    # a document graph added after the build
    more = with_late_document(seeds_store)
    assert not summary.current(more)
    assert saved._in_place(query, more) is query
    # a document graph's summary removed
    fewer = _copy(seeds_store)
    covers = next(fewer.quads_for_pattern(None, pyoxigraph.NamedNode(f"{summary.SUM}covers"), None))
    fewer.remove(covers)
    assert not summary.current(fewer)
    assert saved.run(query, fewer) == as_written
    # made by other query texts
    monkeypatch.setattr(summary, "LAYOUT", "0")
    assert not summary.current(seeds_store)
    assert saved._in_place(query, seeds_store) is query


def test_a_query_file_of_the_same_name_is_not_replaced(seeds_store, tmp_path) -> None:
    mine = tmp_path / "addressee-asks.rq"
    mine.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    query = saved.load(str(mine))
    assert saved._in_place(query, seeds_store) is query


def test_exports_and_memory_stores_leave_it_out(seeds_store) -> None:
    names = [g.value for g in seeds_store.named_graphs()]
    assert f"{BASE}graph/summary" in names
    assert f"{BASE}graph/summary" not in [name for name, _ in _named(seeds_store)]
    assert len(_named(seeds_store)) == len(names)  # the default graph instead


def test_no_summary_runs_the_query_as_written(tmp_path, capsys, monkeypatch) -> None:
    ran = []
    real = saved._run
    monkeypatch.setattr(saved, "_run", lambda q, t, b: ran.append(q.path) or real(q, t, b))
    _built(SEEDS, tmp_path)
    capsys.readouterr()
    for flags in ([], ["--no-summary"]):
        command = ["query", "themes-over-time", "--graph", str(tmp_path / "store")]
        assert cli.main([*command, "--format", "csv", *flags]) == 0
    with_summary, without = capsys.readouterr().out.split("year,top,theme,units\n")[1:]
    assert with_summary == without and with_summary.count("\n") == 276
    assert ran[-2:] == [summary.FOLDER / "themes-over-time.rq", saved.load("themes-over-time").path]


def test_projections_keep_what_the_queries_read() -> None:
    """The projections: predicates of patterns and paths (startDate only in a path),
    rdf:type only with the classes asked for; the recommendations CSV's are the
    predicates its query reads, as once listed by hand; a variable predicate keeps all."""
    found = projection.projection(tuple(saved.load(name).text for name in NAMES))
    assert b"<https://w3id.org/palermo/ontology#addressee>" in found.predicates
    assert b"<https://schema.org/startDate>" in found.predicates
    assert b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" not in found.predicates
    assert found.classes == {
        b"<http://data.europa.eu/eli/ontology#Work>",
        b"<http://www.w3.org/2004/02/skos/core#Collection>",
    }
    pal, skos = "https://w3id.org/palermo/ontology#", "http://www.w3.org/2004/02/skos/core#"
    read = [f"{pal}{p}" for p in ("unitKind", "unitLabel", "order", "document", "verb")]
    read += [f"{pal}{p}" for p in ("actionCategory", "addressee")] + [f"{skos}notation"]
    read += ["https://schema.org/text", "http://purl.org/dc/terms/identifier"]
    read += ["http://data.europa.eu/eli/ontology#is_about"]
    assert projection.read_terms([saved.load("recommendations").text]) == (
        sorted(read),
        ["http://data.europa.eu/eli/ontology#Work"],
    )
    assert projection.read_terms(["SELECT * WHERE { ?s ?p ?o }"]) is None
    optional = "SELECT * WHERE { ?s <http://x/p> ?o OPTIONAL { ?s ?p ?o } }"
    assert projection.projection((optional,)) is None


def test_summarise_adds_to_a_store_folder_what_the_build_would(tmp_path) -> None:
    """A store folder without a summary (as built before it existed) gets, from
    ``palermo summarise``, the very quads a --store build writes."""
    built = _built(SEEDS, tmp_path)
    graph = pyoxigraph.NamedNode(f"{BASE}graph/summary")
    made = sorted(map(str, built.quads_for_pattern(None, None, None, graph)))
    index = lookups.beside(tmp_path / "store")
    filed = _index_rows(index)
    del built
    store = pyoxigraph.Store(str(tmp_path / "store"))
    store.remove_graph(graph)
    index.unlink()
    assert not summary.current(store)
    del store
    assert cli.main(["summarise", "--store", str(tmp_path / "store")]) == 0
    again = open_store(tmp_path / "store")
    assert summary.current(again)
    assert sorted(map(str, again.quads_for_pattern(None, None, None, graph))) == made
    assert len(made) == 2815
    # and the lookup index: the same rows, current, nothing else left in the folder
    assert _index_rows(index) == filed
    assert [len(part) for part in filed] == [168, 422]  # 22 blocks of addressees, 146 of themes
    db = lookups.current(index, again)
    assert db is not None
    db.close()
    assert not list((tmp_path / "store").glob(".*"))


def _index_rows(path: Path) -> tuple[list[tuple], list[tuple]]:
    """The index's rows, each block's lines in order (a GROUP BY's order is the
    store's), and its fetched values."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        found = db.execute("SELECT query, key, doc, tsv FROM rows")
        rows = sorted((*row[:3], sorted(row[3].splitlines())) for row in found)
        return rows, sorted(db.execute("SELECT predicate, unit, tsv FROM fetched"))


def test_summarise_refuses_what_is_not_a_store(tmp_path, capsys) -> None:
    (tmp_path / "out").mkdir()
    assert cli.main(["summarise", "--store", str(tmp_path / "out")]) == 2
    said = " ".join(capsys.readouterr().err.split())
    assert f"{tmp_path / 'out'} is not an Oxigraph store folder (palermo build --store" in said


def test_compact_needs_a_store_and_keeps_the_rows(tmp_path, capsys) -> None:
    args = ["build", "--seeds", str(SEEDS), "--no-validate", "--compact"]
    assert cli.main([*args, "--out", str(tmp_path / "o")]) == 2
    assert "--compact compacts a store folder" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
    assert cli.main([*args, "--out", str(tmp_path / "out"), "--store", str(tmp_path / "s")]) == 0
    compacted = open_store(tmp_path / "s")
    assert summary.current(compacted)
    for name in NAMES:
        query = saved.load(name)
        assert saved.run(query, compacted) == saved.run(query, compacted, summary=False)


def test_the_document_store_made_anew_gives_the_same_rows(tmp_path, monkeypatch) -> None:
    """The small store of graph.per_document is made anew every RENEW documents (its
    removed graphs slow it down): made anew at each document, the CSV and the
    summary are the same bytes and quads."""
    from graph import per_document

    graph = pyoxigraph.NamedNode(f"{BASE}graph/summary")
    made = {}
    for renew in (per_document.RENEW, 1):
        monkeypatch.setattr(per_document, "RENEW", renew)
        store = _built(SEEDS, tmp_path / str(renew))
        quads = sorted(map(str, store.quads_for_pattern(None, None, None, graph)))
        made[renew] = ((tmp_path / str(renew) / "out" / "recommendations.csv").read_bytes(), quads)
        del store
    assert made[1] == made[per_document.RENEW]
    assert len(made[1][1]) == 2815 and made[1][0].count(b"\n") == 495
