"""Every saved query as a test case in the W3C manifest manner: query, data, expected result.

The data is a small fixture graph built from two seed documents only, COP decision 3/3
(2006) and the draft report of the Working Group's ninth meeting (2019). For each
``queries/<name>.rq``, ``tests/queries/`` holds:

- ``<name>.expected.csv``: the rows the query must return on the fixture, header = its
  ``#+ columns:``. Every row was checked by reading the two seed texts: a row is a claim
  about the documents, not a snapshot of what the code happened to print;
- ``<name>.params`` (optional): ``name=value`` per line, the parameters to run it with
  (absent: the header's defaults);
- ``<name>.notes.md`` (optional): why a row is as it is, where that needs saying.

Each query also runs on Oxigraph, where parameters travel as a trailing VALUES block as
they do to remote endpoints, and must return the same rows there.

To redo an expected file after a deliberate change, run ``python tests/test_queries.py
NAME`` and read the diff row by row against the seed texts before keeping it.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

from graph.build import build_graph
from graph.query import KINDS, QueryError, SavedQuery, run, saved_queries
from loaders import read_document
from loaders.extract import link_corpus
from loaders.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
QUERIES = ROOT / "queries"
CASES = Path(__file__).resolve().parent / "queries"
FIXTURE_FILES = (
    "cop-3_decision-3-3_2006.ar.txt",
    "wg-tip_draft-report-meeting-9_2019.ar.txt",
)

#: The saved queries whose names and columns users rely on (DESIGN.md, "Interfaces").
CONTRACT = {
    "recommendations": [
        "document",
        "unit",
        "kind",
        "verb",
        "action",
        "addressee",
        "themes",
        "text",
    ],
    "article-citations": ["document", "unit", "instrument", "article", "paragraph", "subparagraph"],
    "links": ["document", "unit", "relation", "target_document", "target_unit", "score"],
}

#: A parameter value that would break out of a query pasted together from text.
HOSTILE = "\" } UNION { ?s ?p ?o } # > <https://example.org/x> ''' \\ ;"

SAVED = saved_queries(QUERIES)
WITH_PARAMS = [q for q in SAVED if q.params]


def by_name(queries: list[SavedQuery]):
    return pytest.mark.parametrize("query", queries, ids=[q.name for q in queries])


def fixture_docs():
    manifest = load_manifest(SEEDS)
    docs = [read_document(SEEDS / name, manifest.get(name)) for name in FIXTURE_FILES]
    link_corpus(docs)
    return docs


@pytest.fixture(scope="module")
def fixture_graph() -> Graph:
    return build_graph(fixture_docs())


@pytest.fixture(scope="module")
def fixture_store(fixture_graph) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    data = fixture_graph.serialize(format="nt", encoding="utf-8")
    store.bulk_load(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def columns(query: SavedQuery) -> list[str]:
    return [c.strip() for c in query.header.get("columns", "").split(",") if c.strip()]


def case_params(name: str) -> dict[str, str]:
    path = CASES / f"{name}.params"
    if not path.exists():
        return {}
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def expected(name: str) -> tuple[list[str], list[list[str]]]:
    text = (CASES / f"{name}.expected.csv").read_text(encoding="utf-8")
    header, *table = list(csv.reader(io.StringIO(text)))
    return header, table


def as_csv(header: list[str], table: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(table)
    return out.getvalue()


def declared_defaults(query: SavedQuery) -> dict[str, str]:
    """Defaults exactly as written in ``#+ params: name = default - text; ...``."""
    out = {}
    for part in filter(None, (p.strip() for p in query.header.get("params", "").split(";"))):
        found = re.match(r"(\w+)\s*=\s*(.*?)\s+-\s", part + " ")
        assert found, f"{query.name}: cannot read parameter {part!r}"
        out[found.group(1)] = "" if found.group(2) == "(all)" else found.group(2)
    return out


def test_every_query_has_a_case():
    names = {q.name for q in SAVED}
    cases = {p.name.removesuffix(".expected.csv") for p in CASES.glob("*.expected.csv")}
    assert names == cases
    strays = {p.name.split(".")[0] for p in CASES.iterdir()} - names
    assert not strays, f"files in tests/queries for no saved query: {sorted(strays)}"


@by_name(SAVED)
def test_header(query):
    for key in ("summary", "description", "params", "example", "columns", "keywords", "kind"):
        assert query.header.get(key) is not None, f"{query.name}: no '#+ {key}:' line"
    for key in ("summary", "example", "columns"):
        assert query.header[key], f"{query.name}: '#+ {key}:' is empty"
    assert query.header["example"].startswith(f"palermo query {query.name}"), query.name
    assert query.params, f"{query.name}: declares no parameter"
    for param in query.params:
        assert param.doc, f"{query.name}: parameter {param.name} is not described"
    assert not re.search(r"\d", query.name), "name queries by role, not by number"
    assert query.kind in KINDS, f"{query.name}: kind {query.kind!r} is not one of {list(KINDS)}"


def test_kinds_follow_what_the_queries_do():
    """A lookup's key parameter has a default (it is always about one thing); every
    query the build summarises is an aggregate, and so is every GROUP BY one that is
    not a listing (recommendations groups by unit to join its themes)."""
    from graph import summary

    kinds = {q.name: q.kind for q in SAVED}
    for query in SAVED:
        if query.kind == "lookup":
            assert query.params[0].default, f"{query.name}: a lookup needs a default key"
    assert {n for n in summary.summarised()} <= {n for n, k in kinds.items() if k == "aggregate"}
    grouped = {q.name for q in SAVED if "GROUP BY" in q.text and q.kind != "listing"}
    assert grouped == set(summary.summarised())
    assert sorted(n for n, k in kinds.items() if k == "listing") == [
        "article-citations",
        "attendance-and-sponsors",
        "links",
        "recommendations",
        "strongest-asks",
        "unresolved-references",
    ]


@by_name(SAVED)
def test_parses_and_selects_its_columns(query):
    prepared = prepareQuery(query.text)
    assert [str(v) for v in prepared.algebra.PV] == columns(query)
    assert "ORDER BY" in query.text, f"{query.name}: rows need a deterministic order"


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_contract_columns(name):
    query = next(q for q in SAVED if q.name == name)
    assert columns(query) == CONTRACT[name]


@by_name(SAVED)
def test_declared_defaults_are_read_as_written(query):
    assert {p.name: p.default for p in query.params} == declared_defaults(query)


@by_name(SAVED)
def test_expected_rows(query, fixture_graph):
    header, table = expected(query.name)
    assert header == columns(query)
    got_header, got = run(query, fixture_graph, case_params(query.name))
    assert got_header == header
    assert as_csv(got_header, got) == as_csv(header, table)


@by_name(SAVED)
def test_same_rows_on_oxigraph(query, fixture_store):
    """On Oxigraph the values travel as a trailing VALUES block, as to remote endpoints."""
    header, table = expected(query.name)
    got_header, got = run(query, fixture_store, case_params(query.name))
    assert got_header == header
    assert as_csv(got_header, got) == as_csv(header, table)


def filter_cases() -> list[tuple[SavedQuery, str]]:
    """(query, parameter) for every parameter that is also one of the query's columns."""
    return [(q, p.name) for q in WITH_PARAMS for p in q.params if p.name in columns(q)]


@pytest.mark.parametrize(
    ("query", "param"), filter_cases(), ids=[f"{q.name}-{p}" for q, p in filter_cases()]
)
def test_parameter_keeps_exactly_its_rows(query, param, fixture_graph, fixture_store):
    """Bound to a value seen in the unfiltered rows, a column parameter keeps exactly the
    rows with that value, on rdflib (initBindings) and Oxigraph (trailing VALUES) alike."""
    base = {k: v for k, v in case_params(query.name).items() if k != param}
    header, table = run(query, fixture_graph, base)
    at = header.index(param)
    values = [row[at] for row in table if row[at]]
    if not values:
        pytest.skip(f"the fixture gives {query.name} no value of {param}")
    value = values[-1]
    want = [row for row in table if row[at] == value]
    for target in (fixture_graph, fixture_store):
        assert run(query, target, {**base, param: value}) == (header, want)


#: A value for each parameter name, to compare the two stores with (most select some rows).
SAMPLE_VALUES = {
    "document": "cop-decision-3-3",
    "kind": "operative",
    "instrument": "SOM",
    "relation": "reiterates",
    "provision": "SOM 6",
    "addressee": "Secretariat",
    "theme": "victim-identification",
    "top": "cross-cutting",
    "role": "attendee",
}


def param_cases() -> list[tuple[SavedQuery, str]]:
    return [(q, p.name) for q in WITH_PARAMS for p in q.params]


@pytest.mark.parametrize(
    ("query", "param"), param_cases(), ids=[f"{q.name}-{p}" for q, p in param_cases()]
)
def test_parameter_binds_alike_on_both_stores(query, param, fixture_graph, fixture_store):
    """rdflib binds before evaluation, Oxigraph joins a trailing VALUES block after it
    (after GROUP BY in a grouped query): a parameter must give the same rows either way."""
    assert param in SAMPLE_VALUES, f"add a sample value for parameter {param!r}"
    values = {**case_params(query.name), param: SAMPLE_VALUES[param]}
    assert run(query, fixture_graph, values) == run(query, fixture_store, values)


@by_name(WITH_PARAMS)
def test_hostile_parameter_value(query, fixture_graph, fixture_store):
    for param in query.params:
        for target in (fixture_graph, fixture_store):
            header, table = run(query, target, {param.name: HOSTILE})
            assert header == columns(query)
            assert table == [], f"{query.name}: {param.name}={HOSTILE!r} returned rows"
            # a newline (any control character) is refused before any query runs
            with pytest.raises(QueryError, match="U\\+000A"):
                run(query, target, {param.name: HOSTILE + "\n#"})


def regenerate(names: list[str]) -> None:
    """Write ``<name>.expected.csv`` for ``names``; then check every row by hand."""
    graph = build_graph(fixture_docs())
    for query in SAVED:
        if query.name in names:
            header, table = run(query, graph, case_params(query.name))
            (CASES / f"{query.name}.expected.csv").write_text(
                as_csv(header, table), encoding="utf-8"
            )
            print(f"{query.name}: {len(table)} rows")


if __name__ == "__main__":
    regenerate(sys.argv[1:] or [q.name for q in SAVED])
