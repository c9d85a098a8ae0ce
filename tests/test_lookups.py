"""The lookup index (graph.lookups). A store folder built with ``--store`` files the
rows of the indexed saved queries by the value they are looked up by; read back, they
give exactly the rows of the query as written, for every value on the seeds and on
10x the seeds. Both query shapes are indexed as shipped: addressee-asks (grouped) and
theme-across-years (DISTINCT, its texts filed once per unit, its rows made by another
form of its index query, ``rows from``, checked row for row). An index that other
query texts made, or that covers other document graphs, is not read; nor is one when
the key is not bound, or with --no-summary."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyoxigraph
import pytest

from graph import cli, lookups
from graph import query as saved
from graph.sparql_text import trailing_order
from graph.store import open_store
from tests.conftest import SEEDS, bench_module, with_late_document

BASE = "https://w3id.org/palermo/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
_TSV = pyoxigraph.QueryResultsFormat.TSV


def _built(seeds: Path, where: Path) -> Path:
    args = ["build", "--seeds", str(seeds), "--out", str(where / "out"), "--no-validate"]
    assert cli.main([*args, "--store", str(where / "store")]) == 0
    return where / "store"


@pytest.fixture(scope="module")
def seeds_folder(tmp_path_factory) -> Path:
    return _built(SEEDS, tmp_path_factory.mktemp("seeds"))


@pytest.fixture(scope="module")
def x10_folder(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("x10")
    bench_module("corpus").generate(10, where / "corpus", seed=1)
    return _built(where / "corpus", where)


def _notations(store: pyoxigraph.Store) -> list[str]:
    """Every skos:notation of the graph: each theme, top concept, addressee code ..."""
    ask = f"SELECT DISTINCT ?n WHERE {{ ?c <{SKOS}notation> ?n }}"
    return sorted(row["n"].value for row in store.query(ask, use_default_graph_as_union=True))


def test_the_indexed_queries_and_their_index_queries() -> None:
    """addressee-asks and theme-across-years are indexed as shipped; each index query
    selects its key first; the theme's reads each unit, not its text, and is the
    cheaper form in queries/index/ (``rows from``)."""
    found = {one.query.name: one for one in lookups.indexed_queries()}
    assert sorted(found) == ["addressee-asks", "theme-across-years"]
    empty = pyoxigraph.Store()
    for one in found.values():
        assert next(v.value for v in empty.query(one.text).variables) == one.key
        assert trailing_order(one.text) is None  # sorted by the lookup
    rows_from = (saved.QUERIES / "index" / "theme-across-years.rq").read_text(encoding="utf-8")
    assert found["theme-across-years"].text == rows_from
    theme = found["theme-across-years"]
    assert [v.value for v in empty.query(theme.text).variables] == [
        *["theme", "year", "document", "unit", "kind", "verb", "addressee", "u", "order"]
    ]
    assert theme.fetched == ("text", "u", "https://schema.org/text") and theme.distinct
    assert found["addressee-asks"].order == [
        ("addressee", False),
        ("action", True),
        ("verb", False),
        ("document", False),
    ]


@pytest.mark.parametrize(
    ("header", "text", "says"),
    [
        ("theme;; text", "SELECT ?a WHERE { ?a ?p ?theme } ORDER BY ?a", "is not 'KEY"),
        ("other", "SELECT ?a WHERE { ?a ?p ?theme } ORDER BY ?a", "not one of its parameters"),
        ("theme", "SELECT ?a WHERE { ?a ?p ?theme }", "must end in ORDER BY"),
        (
            "theme",
            "SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?p ?theme } GROUP BY ?a ORDER BY ?a",
            "must select its key first",
        ),
    ],
)
def test_an_index_header_that_cannot_be_followed_says_why(header, text, says) -> None:
    full = f"#+ params: theme = x - a code\n#+ index: {header}\n{text}\n"
    query = saved.SavedQuery("mine", Path("mine.rq"), full, saved.read_header(full))
    with pytest.raises(lookups.NotIndexable, match=says):
        lookups.of(query)


@pytest.mark.parametrize(
    ("rows_from", "says"),
    [
        ("index/none.rq", "no such file under queries/"),
        ("../pyproject.rq", "no such file under queries/"),
        ("recommendations.rq", "selects document unit kind .*; the index of mine needs theme a,"),
    ],
)
def test_a_rows_from_file_must_exist_and_select_what_the_index_needs(rows_from, says) -> None:
    text = "SELECT ?a WHERE { ?a ?p ?theme } ORDER BY ?a"
    full = f"#+ params: theme = x - a code\n#+ index: theme; rows from {rows_from}\n{text}\n"
    query = saved.SavedQuery("mine", Path("mine.rq"), full, saved.read_header(full))
    with pytest.raises(lookups.NotIndexable, match=says):
        lookups.of(query)


def _tsv_lines(store: pyoxigraph.Store, text: str) -> list[bytes]:
    tsv = pyoxigraph.QueryResultsFormat.TSV
    found = store.query(text, use_default_graph_as_union=True).serialize(format=tsv)
    return sorted(found.splitlines())


@pytest.mark.parametrize("scale", ["seeds_folder", "x10_folder"])
def test_the_rows_from_form_gives_the_derived_index_querys_rows(scale, request) -> None:
    """queries/index/theme-across-years.rq and the index query derived from the saved
    one (its header without ``rows from``) have the same solutions, row for row."""
    store = open_store(request.getfixturevalue(scale))
    query = saved.load("theme-across-years")
    header = {**query.header, "index": "theme; text from ?u <https://schema.org/text>"}
    derived = lookups.of(saved.SavedQuery(query.name, query.path, query.text, header))
    shipped = lookups.of(query)
    assert derived.text != shipped.text
    rows = _tsv_lines(store, shipped.text)
    assert rows == _tsv_lines(store, derived.text)
    assert len(rows) - 1 == {"seeds_folder": 1588, "x10_folder": 18015}[scale]  # and the head


def _values(name: str, store, notations: list[str]) -> list[dict[str, str]]:
    """The key set to every notation and to a value nothing has; for a key beside
    another parameter, the other set too, to the first and last value it has."""
    query = saved.load(name)
    one = lookups.of(query)
    sets = [{one.key: value} for value in [*notations, "nothing-has-this"]]
    columns, rows = saved.run(query, store, summary=False)
    for param in query.params:
        if param.name != one.key and param.name in columns:
            at, key = columns.index(param.name), columns.index(one.key)
            sets += [{one.key: row[key], param.name: row[at]} for row in (rows[0], rows[-1])]
    return sets


@pytest.mark.parametrize("name", ["addressee-asks", "theme-across-years"])
@pytest.mark.parametrize("scale", ["seeds_folder", "x10_folder"])
def test_the_index_gives_the_rows_of_the_query_as_written(name, scale, request) -> None:
    folder = request.getfixturevalue(scale)
    store, index, query = open_store(folder), lookups.beside(folder), saved.load(name)
    answered = 0
    for values in _values(name, store, _notations(store)):
        found = lookups.answer(query, index, store, values)
        assert found is not None, values
        assert found == saved.run(query, store, values, summary=False), values
        assert saved.run(query, store, values, index=index) == found
        answered += bool(found[1])
    # every addressee code (13 on the seeds, 14 at 10x) and the two with a document
    # bound; every theme code and top concept the units are tagged with or under
    expected = {"addressee-asks": {"seeds_folder": 15, "x10_folder": 16}}
    assert answered == expected.get(name, {}).get(scale, 38)


def test_the_seeds_rows_of_two_lookups(seeds_folder) -> None:
    """Hand-checked: the 14 units on non-punishment by year, text by unit; the 27
    rows of StatesParties, 214 units, strongest action first."""
    store, index = open_store(seeds_folder), lookups.beside(seeds_folder)
    query = saved.load("theme-across-years")
    columns, rows = lookups.answer(query, index, store, {"theme": "non-punishment"})
    assert columns == ["year", "document", "unit", "kind", "verb", "addressee", "text"]
    wg, ga = "ctoc-cop-wg4-2019-5", "ga-79-c3-trafficking-women-girls-draft"
    assert [(row[0], row[1], row[2]) for row in rows] == [
        *[("2009", wg, unit) for unit in ("1/11", "1/11(a)", "1/11(b)")],
        *[("2010", wg, unit) for unit in ("2/43", "2/44", "2/50", "2/50(a)")],
        *[("2013", wg, unit) for unit in ("5/34", "5/35")],
        ("2017", wg, "7/2(b)"),
        ("2018", wg, "8/1(c)"),
        *[("2024", ga, unit) for unit in ("OP 27", "OP 33", "OP 43")],
    ]
    listed = saved.run(saved.load("recommendations"), store, {"document": ga})[1]
    assert rows[-3][6] == next(row[7] for row in listed if row[1] == "OP 27")
    assert rows[-3][6].startswith("\u062a\u062d\u062b")  # "urges": the text, not the unit
    asks = saved.load("addressee-asks")
    _, rows = lookups.answer(asks, index, store, {"addressee": "StatesParties"})
    assert len(rows) == 27 and sum(int(row[4]) for row in rows) == 214
    assert rows[0] == ["StatesParties", "calls-upon", "5", "cop-11-resolution-tip", "2"]


def test_what_the_index_does_not_answer(seeds_folder, tmp_path, monkeypatch) -> None:
    """The key not bound, a query not indexed, a user's file of the same name, no
    index file, an unreadable one, one other query texts made, or one covering
    other document graphs: None, and graph.query runs the summary or the query."""
    store, index = open_store(seeds_folder), lookups.beside(seeds_folder)
    asks, theme = saved.load("addressee-asks"), saved.load("theme-across-years")
    key = {"addressee": "StatesParties"}
    assert lookups.answer(asks, index, store, key) is not None
    assert lookups.answer(asks, index, store, {"document": "cop-decision-3-3"}) is None
    assert lookups.answer(saved.load("recommendations"), index, store, {}) is None
    mine = tmp_path / "addressee-asks.rq"
    mine.write_text(asks.text)
    assert lookups.answer(saved.load(str(mine)), index, store, key) is None
    assert lookups.answer(asks, tmp_path / "none.sqlite", store, key) is None
    (tmp_path / "bad.sqlite").write_bytes(b"not a database")
    assert lookups.answer(asks, tmp_path / "bad.sqlite", store, key) is None
    # a document graph added after the build
    more = with_late_document(store)
    assert lookups.answer(theme, index, more, {"theme": "non-punishment"}) is None
    # made by other query texts
    monkeypatch.setattr(lookups, "LAYOUT", "0")
    assert lookups.answer(asks, index, store, key) is None
    assert saved.run(asks, store, key, index=index) == saved.run(asks, store, key, summary=False)


def test_the_build_files_the_index_in_the_store_folder_only(seeds_folder) -> None:
    out = seeds_folder.parent / "out"
    assert not list(out.rglob("*.sqlite"))
    db = sqlite3.connect(lookups.beside(seeds_folder))
    meta = dict(db.execute("SELECT name, value FROM meta"))
    assert meta["digest"] == lookups.digest() and meta["prefix"] == f"{BASE}graph/doc/"
    documents = {doc for (doc,) in db.execute("SELECT DISTINCT doc FROM rows")}
    assert len(documents) == 5
    keys = dict(db.execute("SELECT query, COUNT(DISTINCT key) FROM rows GROUP BY query"))
    assert keys == {"addressee-asks": 13, "theme-across-years": 38}
    # each text once, for exactly the units the theme rows have, and equal to the store's
    text = "https://schema.org/text"
    filed = dict(db.execute("SELECT unit, tsv FROM fetched WHERE predicate = ?", (text,)))
    store = open_store(seeds_folder)
    theme = lookups.of(saved.load("theme-across-years"))
    units = {str(row["u"]) for row in store.query(theme.text, use_default_graph_as_union=True)}
    assert set(filed) == units and len(units) == 422
    unit = sorted(units)[0]
    found = pyoxigraph.parse_query_results(b"?u\t?t\n" + filed[unit], format=_TSV)
    subject, predicate = pyoxigraph.NamedNode(unit[1:-1]), pyoxigraph.NamedNode(text)
    stored = store.quads_for_pattern(subject, predicate, None)
    assert [row["t"] for row in found] == [quad.object for quad in stored]


def test_the_query_command_reads_the_index(seeds_folder, capsys, monkeypatch) -> None:
    read = []
    real = lookups._read
    monkeypatch.setattr(lookups, "_read", lambda *a: read.append(a[0].key) or real(*a))
    command = ["query", "addressee-asks", "--graph", str(seeds_folder), "--format", "csv"]
    for flags in ([], ["--no-summary"]):
        assert cli.main([*command, "--param", "addressee=StatesParties", *flags]) == 0
    indexed, as_written = capsys.readouterr().out.split("addressee,verb,action,document,units")[1:]
    assert indexed == as_written and indexed.count("\n") == 28
    assert read == ["addressee"]
