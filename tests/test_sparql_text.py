"""Reading SPARQL text (graph.sparql_text): the rewrite of trailing OPTIONALs into
LATERAL joins for Oxigraph, exact on a sample, refused for shapes it does not cover,
blind to braces and keywords in strings, IRIs and comments, and giving the rows of the
query as written for every saved query that asks for it (``#+ plan: lateral``)."""

from __future__ import annotations

import pyoxigraph
import pytest

from graph import query as saved
from graph.build import build_store
from graph.sparql_text import closing, lateral_optionals, top_elements

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
