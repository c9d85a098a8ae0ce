"""Reading SPARQL text (graph.sparql_text): the rewrite of trailing OPTIONALs into
LATERAL joins for Oxigraph, exact on a sample, refused for shapes it does not cover,
blind to braces and keywords in strings, IRIs and comments, and giving the rows of the
query as written for every saved query that asks for it (``#+ plan: lateral``)."""

from __future__ import annotations

import pyoxigraph
import pytest

from graph import query as saved
from graph.build import build_store
from graph.sparql_text import (
    closing,
    column_subqueries,
    lateral_optionals,
    selecting,
    top_elements,
    trailing_order,
)

SAMPLE = """PREFIX ex: <http://example.org/>
SELECT ?s ?label WHERE {
  ?s a ex:Thing .
  FILTER(?s != ex:none)
  OPTIONAL { ?s ex:label ?label }
  BIND(STR(?label) AS ?text)
}
ORDER BY ?s
"""

REWRITTEN = """PREFIX ex: <http://example.org/>
SELECT ?s ?label WHERE {
  { ?s a ex:Thing .
  }
  LATERAL { OPTIONAL { ?s ex:label ?label } }
  BIND(STR(?label) AS ?text)
  FILTER(?s != ex:none)
}
ORDER BY ?s
"""


def test_rewrite_of_a_sample_is_exact() -> None:
    assert lateral_optionals(SAMPLE) == REWRITTEN


def test_filters_before_the_optionals_move_after_them() -> None:
    """A FILTER applies to its whole group: after the rewrite it must still see the
    optional's variables, so it cannot stay inside the group before them."""
    text = "SELECT * WHERE { ?s ?p ?o FILTER(!BOUND(?x)) OPTIONAL { ?s <p> ?x } }"
    out = lateral_optionals(text)
    assert out.index("FILTER(!BOUND(?x))") > out.index("LATERAL")
    assert "{ ?s ?p ?o\n  }" in out


def test_a_comment_before_the_optionals_stays_a_comment() -> None:
    text = (
        "SELECT * WHERE {\n  ?s <http://p> ?o .\n  # the labels\n  OPTIONAL { ?s <http://l> ?l }\n}"
    )
    out = lateral_optionals(text)
    assert "# the labels\n  }\n  LATERAL { OPTIONAL { ?s <http://l> ?l } }" in out
    assert list(pyoxigraph.Store().query(out)) == []


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p ?o }",  # no optional
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s <a> ?a } ?s <b> ?b }",  # a pattern after
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s <a> ?a } MINUS { ?s <c> ?c } }",
        "SELECT * WHERE { OPTIONAL { ?s <a> ?a } { ?s <b> ?b } UNION { ?s <c> ?c } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s <a> ?a }",  # unclosed
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o OPTIONAL { ?s <a> ?a } }",
    ],
)
def test_other_shapes_are_left_as_written(text: str) -> None:
    assert lateral_optionals(text) is None


def test_strings_iris_and_comments_do_not_count() -> None:
    text = (
        'SELECT * WHERE {\n  ?s <http://x/OPTIONAL> "OPTIONAL { } }" .  # OPTIONAL { FILTER(\n'
        "  OPTIONAL { ?s <http://x/l> ?l FILTER(?l != '}') }\n}"
    )
    parts = top_elements(text, text.index("{") + 1, closing(text, text.index("{")) - 1)
    assert [kind for kind, _, _ in parts] == ["", "OPTIONAL"]
    out = lateral_optionals(text)
    assert "LATERAL { OPTIONAL { ?s <http://x/l> ?l FILTER(?l != '}') } }" in out
    assert '"OPTIONAL { } }"' in out.split("LATERAL")[0]


def test_filter_forms_end_where_they_end() -> None:
    text = "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { ?s <a> ?o } FILTER regex(?o, 'x') }"
    at = text.index("{")
    kinds = [k for k, _, _ in top_elements(text, at + 1, closing(text, at) - 1)]
    assert kinds == ["", "FILTER", "FILTER"]


LATERAL = [q for q in saved.saved_queries() if q.header.get("plan", "").startswith("lateral")]


@pytest.fixture(scope="module")
def seeds_store(seed_docs) -> pyoxigraph.Store:
    return build_store(list(seed_docs.values()), pyoxigraph.Store())


def test_the_measured_queries_ask_for_it() -> None:
    assert {q.name for q in LATERAL} == {
        "provision-trace",
        "provision-recommendations",
        "unresolved-references",
    }


def _values(query) -> list[dict[str, str]]:
    if query.name == "unresolved-references":
        return [{}, {"document": "ga-79-c3-trafficking-women-girls-draft"}]
    return [{}, {"provision": "TIP 6"}, {"provision": "UNTOC"}, {"provision": "TIP 99"}]


@pytest.mark.parametrize("query", LATERAL, ids=[q.name for q in LATERAL])
def test_lateral_gives_the_rows_as_written(query, seeds_store) -> None:
    """On the seeds: what the plan runs is rewritten, and has the rows of the text as
    written, without and with each parameter bound."""
    assert saved.planned(query) == lateral_optionals(query.text) != query.text
    for values in _values(query):
        bound = saved.bindings(query, values)
        as_written = seeds_store.query(
            saved.with_values(query.text, bound), use_default_graph_as_union=True
        )
        planned = seeds_store.query(
            saved.with_values(saved.planned(query), bound), use_default_graph_as_union=True
        )
        rows = saved._oxigraph_rows(planned)
        assert rows == saved._oxigraph_rows(as_written)
        assert rows[1] or "TIP 99" in values.values()


# ---------------------------------------------------------------------- plan: sort


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?a WHERE { ?a ?p ?b } ORDER BY STR(?a)",  # an expression
        "SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a LIMIT 3",  # something after it
        "SELECT ?a WHERE { ?a ?p ?b } # ORDER BY ?a",  # in a comment
        'SELECT ?a WHERE { ?a ?p "} ORDER BY ?a" }',  # in a string
        "SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a } }",  # inside
    ],
)
def test_trailing_order_refuses_what_it_cannot_do_alone(text) -> None:
    assert trailing_order(text) is None


def test_sorting_the_rows_found_is_sparql_order() -> None:
    """Keys in turn, DESC reversed, unbound first, numbers by value (not as text),
    strings by code point: the rows Oxigraph's own ORDER BY gives, ties included."""
    data = """
    @prefix ex: <http://example.org/> .
    ex:a ex:k "b" ; ex:n 10 .  ex:b ex:k "b" ; ex:n 9 .  ex:c ex:k "a" ; ex:n 9 .
    ex:d ex:n 2 .  ex:e ex:k "\u0627" ; ex:n 1 .  ex:f ex:k "B" ; ex:n 10 .
    """
    store = pyoxigraph.Store()
    store.load(data.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    text = (
        "PREFIX ex: <http://example.org/>\nSELECT ?s ?k ?n WHERE { ?s ex:n ?n "
        "OPTIONAL { ?s ex:k ?k } }\nORDER BY ?k DESC(?n) ?s"
    )
    as_written = saved.SavedQuery("t", saved.QUERIES / "t.rq", text, {})
    sorted_here = saved.SavedQuery("t", saved.QUERIES / "t.rq", text, {"plan": "sort - test"})
    by_store = saved._run(as_written, store, {})
    assert saved._run(sorted_here, store, {}) == by_store
    assert [row[0].rsplit("/", 1)[1] for row in by_store[1]] == ["d", "f", "c", "a", "b", "e"]


class Recording:
    """A store that keeps the texts it is sent."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store, self.sent = store, []

    def query(self, text: str, **kwargs):
        self.sent.append(text)
        return self.store.query(text, **kwargs)


def test_a_key_the_query_does_not_select_is_selected_for_the_sort_then_dropped() -> None:
    """?n is sent selected, sorted on, and dropped; under DISTINCT the first row of
    each duplicate stays, as when the store orders before it projects (x of c, n=3,
    goes; x of a, n=2, stays after y of b, n=1)."""
    store = pyoxigraph.Store()
    store.load(
        b'@prefix e: <http://e/> . e:a e:n 2 ; e:l "x" . e:b e:n 1 ; e:l "y" . '
        b'e:c e:n 3 ; e:l "x" . e:d e:n 0 .',
        format=pyoxigraph.RdfFormat.TURTLE,
    )
    text = (
        "SELECT DISTINCT ?l WHERE { ?s <http://e/n> ?n OPTIONAL { ?s <http://e/l> ?l } }\n"
        "ORDER BY DESC(?l) ?n"
    )
    as_written = saved.SavedQuery("t", saved.QUERIES / "t.rq", text, {})
    query = saved.SavedQuery("t", saved.QUERIES / "t.rq", text, {"plan": "sort"})
    recording = Recording(store)
    assert saved._oxigraph_run(query, recording, {}) == saved._run(as_written, store, {})
    assert saved._run(query, store, {}) == (["l"], [["y"], ["x"], [""]])
    assert "SELECT DISTINCT ?l ?n WHERE" in recording.sent[0]
    assert "ORDER BY" not in recording.sent[0]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?a ?p ?b }",
        "SELECT ?a (STR(?b) AS ?c) WHERE { ?a ?p ?b }",
        "SELECT ?a (COUNT(?b) AS ?n) WHERE { ?a ?p ?b } GROUP BY ?a",
        "SELECT ?a WHERE { ?a ?p ?b } GROUP BY ?a",
        "SELECT ?a WHERE { ?a ?p ?b } GROUP BY ?a HAVING (COUNT(?b) > 1)",
    ],
)
def test_selecting_keys_refuses_what_it_cannot_widen(text) -> None:
    assert selecting(text, ["b"]) is None


def test_selecting_skips_comments_and_adds_each_key_once() -> None:
    text = "# SELECT ?x {\nSELECT ?a\nWHERE { ?a ?p ?b }"
    assert selecting(text, ["b", "a", "b"]) == (
        "# SELECT ?x {\nSELECT ?a ?b\nWHERE { ?a ?p ?b }",
        ["b"],
        False,
    )


def test_theme_across_years_sorted_here_is_the_store_order(seeds_store) -> None:
    """The saved query that asks for it: the seeds' rows for every theme code and top
    concept, sorted here, are the store's own ORDER BY's."""
    query = saved.load("theme-across-years")
    head, keys = trailing_order(saved.planned(query))
    assert "sort" in saved._plan(query)
    assert selecting(head, [name for name, _ in keys])[1] == ["order"]  # sorted here
    as_written = saved.SavedQuery(query.name, query.path, query.text, {})
    codes = [
        row[0].value
        for row in seeds_store.query(
            "SELECT DISTINCT ?c WHERE { ?u <http://data.europa.eu/eli/ontology#is_about> "
            "?t . ?t <http://www.w3.org/2004/02/skos/core#broader>? ?a . "
            "?a <http://www.w3.org/2004/02/skos/core#notation> ?c }",
            use_default_graph_as_union=True,
        )
    ]
    assert len(codes) > 4
    for code in codes:
        bound = saved.bindings(query, {"theme": code})
        rows = saved._run(query, seeds_store, bound)
        assert rows == saved._run(as_written, seeds_store, bound), code
        assert rows[1], code


def test_summary_read_queries_are_rewritten_only_when_nothing_is_bound() -> None:
    """Every column pattern of a summary read query becomes a column subquery; the
    text is otherwise the same."""
    from graph import summary

    for name in summary.summarised():
        query = summary.read_query(name)
        assert {"sort", "columns"} <= saved._plan(query)
        body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
        rewritten = column_subqueries(body)
        patterns = body.count("?obs sum:")
        assert rewritten.count("{ SELECT ?obs ?") == patterns > 0, name
        assert rewritten.replace("{ SELECT ?obs ?", "").count("?obs sum:") == patterns
    # what the store is sent: whole columns with nothing bound, the patterns with a value
    recording = Recording(pyoxigraph.Store())
    sent = recording.sent
    query = summary.read_query("themes-over-time")
    bound = saved.bindings(saved.load("themes-over-time"), {"theme": "non-punishment"})
    assert saved._oxigraph_run(query, recording, {}) == (["year", "top", "theme", "units"], [])
    saved._oxigraph_run(query, recording, bound)
    assert "{ SELECT ?obs ?" in sent[0] and '"non-punishment"' not in sent[0]
    assert "{ SELECT ?obs ?" not in sent[1] and '"non-punishment"' in sent[1]


def test_terms_that_compare_equal_share_a_place() -> None:
    """Numbers by value: "01" and "1" tie (both before "2"; DESC after it), so a
    stable sort keeps them in the order found, as SPARQL leaves ties."""
    xsd_int = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    one, also_one, two = (pyoxigraph.Literal(v, datatype=xsd_int) for v in ("01", "1", "2"))
    rows = [[two], [one], [None], [also_one]]
    assert saved.order_ranks(rows, 0, False) == (0, {None: 0, one: 1, also_one: 1, two: 2})
    assert saved.order_ranks(rows, 0, True)[1] == {None: 0, one: -1, also_one: -1, two: -2}
