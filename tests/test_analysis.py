"""Projections and measures on small graphs whose answers are worked out by hand.

Most cases use ``graph/analysis/data/example.ttl`` (two documents, five units; its
header lists the answers); a few build their own Turtle. Graphs are compared as sets
of labelled nodes and weighted edges, centralities as exact fractions, communities as
exact partitions (networkx's own test style).
"""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis import measures, projections
from graph.analysis.analyse import build_report, networks, ranges, unit_names
from graph.analysis.corpus import Corpus, example, from_turtle
from graph.analysis.graphml import GraphMLError, to_bytes
from graph.analysis.report import markdown
from graph.analysis.settings import load

EX = "https://example.org/"
TIP6 = "https://w3id.org/palermo/instrument/TIP/art_6"
TIP9 = "https://w3id.org/palermo/instrument/TIP/art_9"
TIP3 = "https://w3id.org/palermo/instrument/TIP/art_3"
UNTOC32 = "https://w3id.org/palermo/instrument/UNTOC/art_32"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return example()


@pytest.fixture(scope="module")
def settings():
    return load()


def labelled_edges(g: nx.Graph, attr: str = "label") -> set:
    """Edges as (label, label, weight) with the two labels sorted (undirected graphs)."""
    out = set()
    for a, b, w in g.edges(data="weight", default=None):
        x, y = sorted((g.nodes[a][attr], g.nodes[b][attr]))
        out.add((x, y, w))
    return out


# --- reading ---------------------------------------------------------------------------------


def test_corpus_reads_units_with_their_facts(corpus):
    a1 = corpus.units[EX + "a1"]
    assert (a1.document, a1.label, a1.kind, a1.order) == ("wg", "1/1", "recommendation", 1)
    assert (a1.verb.rsplit("/", 1)[1], a1.weight, a1.action) == ("should", 3, 4)
    assert (a1.year, a1.meeting) == (2009, 1)  # the meeting's start date gives the year
    b1 = corpus.units[EX + "b1"]
    assert (b1.year, b1.meeting, b1.addressee) == (2022, None, "")  # the document's date
    assert len(corpus.citations) == 7
    assert corpus.themes[EX + "b2"] == tuple(
        sorted(
            "https://w3id.org/palermo/theme/" + t
            for t in ("training", "international-cooperation", "awareness-raising")
        )
    )


def test_footnotes_and_references_are_not_citing_units():
    """Only units (with a notation) cite: a footnote's eli:cites is not a unit's."""
    extra = """
    @prefix eli: <http://data.europa.eu/eli/ontology#> .
    <https://example.org/fn1> a eli:WorkSubdivision ; eli:is_part_of <https://example.org/A> ;
        eli:cites <https://w3id.org/palermo/instrument/TIP/art_5> .
    """
    text = projections_text() + extra
    c = from_turtle(text)
    assert {p for _, p in c.citations} == {
        TIP9,
        TIP3,
        TIP6,
        UNTOC32,
        "https://w3id.org/palermo/instrument/TIP/art_6__para_3",
    }
    assert [p.notation for p in measures.never_cited(c)["TIP"]] == ["TIP 5"]


def projections_text() -> str:
    from graph.analysis.corpus import EXAMPLE

    return EXAMPLE.read_text(encoding="utf-8")


# --- projections -----------------------------------------------------------------------------


def test_citation_graph_is_bipartite_units_to_provisions(corpus):
    g = projections.citation_graph(corpus)
    units = {n for n, b in g.nodes(data="bipartite") if b == 0}
    assert {g.nodes[u]["name"] for u in units} == {"wg 1/1", "wg 1/2", "wg 2/1", "cop OP 2"}
    assert nx.is_bipartite(g)
    edges = {(g.nodes[u]["name"], g.nodes[p]["label"]) for u in units for p in g[u]}
    assert edges == {
        ("wg 1/1", "TIP 6(3)"),
        ("wg 1/1", "TIP 9"),
        ("wg 1/2", "TIP 6"),
        ("wg 2/1", "TIP 6"),
        ("wg 2/1", "UNTOC 32"),
        ("cop OP 2", "TIP 9"),
        ("cop OP 2", "TIP 3"),
    }
    assert g.nodes["https://w3id.org/palermo/instrument/TIP/art_6__para_3"]["article"] == TIP6


def test_article_level_rolls_paragraphs_up(corpus):
    g = projections.citation_graph(corpus, level="article")
    assert sorted(g.nodes[p]["label"] for p in g[EX + "a1"]) == ["TIP 6", "TIP 9"]
    assert g.degree(TIP6) == 3
    assert g.nodes[TIP6]["title"].startswith("Assistance to and protection")
    with pytest.raises(ValueError, match="level"):
        projections.citation_graph(corpus, level="chapter")


def test_cocitation_by_unit_is_a_path(corpus):
    g = projections.cocitation_graph(projections.citation_graph(corpus, level="article"))
    assert labelled_edges(g) == {
        ("TIP 6", "TIP 9", 1),
        ("TIP 6", "UNTOC 32", 1),
        ("TIP 3", "TIP 9", 1),
    }
    assert g.edges[TIP6, UNTOC32]["units"] == "wg 2/1"
    assert {g.nodes[n]["label"]: g.nodes[n]["cited"] for n in g} == {
        "TIP 3": 1,
        "TIP 6": 3,
        "TIP 9": 2,
        "UNTOC 32": 1,
    }


def test_cocitation_by_document(corpus):
    articles = projections.citation_graph(corpus, level="article")
    g = projections.cocitation_graph(articles, by="document")
    # wg cites TIP 6, TIP 9, UNTOC 32 (a triangle); cop cites TIP 9 and TIP 3
    assert labelled_edges(g) == {
        ("TIP 6", "TIP 9", 1),
        ("TIP 6", "UNTOC 32", 1),
        ("TIP 9", "UNTOC 32", 1),
        ("TIP 3", "TIP 9", 1),
    }
    assert g.edges[TIP6, TIP9]["units"] == "wg 1/1; wg 1/2; wg 2/1"
    assert g.edges[TIP3, TIP9]["units"] == "cop OP 2"
    with pytest.raises(ValueError, match="by must be"):
        projections.cocitation_graph(articles, by="meeting")


def test_cocitation_counts_units_citing_both_twice():
    """Two units citing the same pair give the edge weight 2 and name both."""
    g = nx.Graph()
    for u, doc, order in (("u1", "d", 1), ("u2", "d", 2)):
        g.add_node(u, kind="unit", document=doc, name=f"{doc} {u}", order=order)
    for p in ("p", "q"):
        g.add_node(p, kind="article", label=p.upper())
        g.add_edges_from([("u1", p), ("u2", p)])
    c = projections.cocitation_graph(g)
    assert dict(c.edges[("p", "q")]) == {"weight": 2, "units": "d u1; d u2"}


def test_theme_graph_weights(corpus):
    g = projections.theme_graph(corpus)
    assert labelled_edges(g, "notation") == {
        ("children", "victim-assistance", 1),
        ("compensation", "victim-assistance", 1),
        ("international-cooperation", "training", 2),
        ("awareness-raising", "training", 1),
        ("awareness-raising", "international-cooperation", 1),
    }
    units = {g.nodes[n]["notation"]: g.nodes[n]["units"] for n in g}
    assert units["victim-assistance"] == 2 and units["children"] == 1
    groups = {g.nodes[n]["notation"]: g.nodes[n]["group"] for n in g}
    assert groups["children"] == "cross-cutting" and groups["training"] == "PARTNERSHIP"


def test_addressee_theme_graph(corpus):
    g = projections.addressee_theme_graph(corpus)
    edges = {
        (g.nodes[a]["notation"], g.nodes[t]["notation"], w)
        for a, t, w in g.edges(data="weight")
        if g.nodes[a]["kind"] == "addressee"
    } | {
        (g.nodes[t]["notation"], g.nodes[a]["notation"], w)
        for a, t, w in g.edges(data="weight")
        if g.nodes[t]["kind"] == "addressee"
    }
    assert edges == {
        ("StatesParties", "victim-assistance", 2),
        ("StatesParties", "children", 1),
        ("StatesParties", "compensation", 1),
        ("StatesParties", "training", 1),
        ("StatesParties", "international-cooperation", 1),
        ("StatesParties", "awareness-raising", 1),
        ("Secretariat", "training", 1),
        ("Secretariat", "international-cooperation", 1),
    }
    assert nx.is_bipartite(g)


def test_lineage_graph(corpus):
    g = projections.lineage_graph(corpus)
    assert isinstance(g, nx.MultiDiGraph)
    edges = {
        (g.nodes[a]["name"], k, g.nodes[b]["name"], s)
        for a, b, k, s in g.edges(keys=True, data="score")
    }
    assert edges == {
        ("wg 2/1", "reiterates", "wg 1/1", 0.8),
        ("wg 2/1", "near-duplicate", "wg 1/2", 0.93),
        ("cop OP 2", "identical", "wg 2/1", 1.0),
    }
    assert g.nodes[EX + "a3"]["meeting"] == 2 and "meeting" not in g.nodes[EX + "b2"]
    only = projections.lineage_graph(corpus, relations=("identical",))
    assert sorted(g.nodes[n]["name"] for n in only) == ["cop OP 2", "wg 2/1"]


# --- measures ----------------------------------------------------------------------------------


def test_most_cited_articles_with_their_units(corpus):
    ranked = measures.most_cited(projections.citation_graph(corpus, level="article"))
    assert [(r.label, r.count) for r in ranked] == [
        ("TIP 6", 3),
        ("TIP 9", 2),
        ("TIP 3", 1),
        ("UNTOC 32", 1),
    ]
    assert [corpus.units[u].name for u in ranked[0].units] == ["wg 1/1", "wg 1/2", "wg 2/1"]
    provisions = measures.most_cited(projections.citation_graph(corpus))
    assert [(r.label, r.count) for r in provisions] == [
        ("TIP 6", 2),
        ("TIP 9", 2),
        ("TIP 3", 1),
        ("TIP 6(3)", 1),
        ("UNTOC 32", 1),
    ]
    assert [(r.label, r.count) for r in measures.instruments_cited(corpus)] == [
        ("TIP", 4),
        ("UNTOC", 1),
    ]


def test_centrality_on_the_cocitation_path(corpus):
    g = projections.cocitation_graph(projections.citation_graph(corpus, level="article"))
    found = {c.label: (c.betweenness, c.degree, c.strength) for c in measures.centrality(g)}
    # path UNTOC 32 - TIP 6 - TIP 9 - TIP 3: the inner nodes lie on 2 of the 3 pairs
    # of other nodes' shortest paths (normalised by (n-1)(n-2)/2 = 3)
    assert found == {
        "TIP 6": (pytest.approx(2 / 3), pytest.approx(2 / 3), 2),
        "TIP 9": (pytest.approx(2 / 3), pytest.approx(2 / 3), 2),
        "TIP 3": (0.0, pytest.approx(1 / 3), 1),
        "UNTOC 32": (0.0, pytest.approx(1 / 3), 1),
    }
    assert [c.label for c in measures.centrality(g)] == ["TIP 6", "TIP 9", "TIP 3", "UNTOC 32"]
    assert measures.centrality(nx.Graph()) == []


def test_centrality_of_a_star():
    g = nx.star_graph(4)
    nx.set_node_attributes(g, {n: str(n) for n in g}, "label")
    found = measures.centrality(g)
    assert (found[0].label, found[0].betweenness, found[0].degree) == ("0", 1.0, 1.0)
    assert all(c.betweenness == 0.0 and c.degree == 0.25 for c in found[1:])


def test_communities_are_the_two_components(corpus, settings):
    g = projections.theme_graph(corpus)
    found = measures.theme_communities(g, corpus, settings)
    assert [{corpus.notation(t) for t in c.themes} for c in found] == [
        {"awareness-raising", "international-cooperation", "training"},
        {"victim-assistance", "children", "compensation"},
    ]
    assert [c.number for c in found] == [1, 2]
    assert g.nodes["https://w3id.org/palermo/theme/training"]["community"] == 1
    # units touching most of the community's themes first: OP 2 has all three
    assert [corpus.units[u].name for u in found[0].units] == ["cop OP 2", "wg 2/1", "cop OP 1"]


def test_communities_of_two_cliques_joined_by_a_bridge(settings):
    """Two 4-cliques joined by one edge: Louvain finds the cliques."""
    g = nx.barbell_graph(4, 0)
    g = nx.relabel_nodes(g, {n: f"t{n}" for n in g})
    for n in g:
        g.nodes[n].update(label=n, units=1)
    nx.set_edge_attributes(g, 1, "weight")
    found = measures.theme_communities(g, Corpus(), settings)
    assert [set(c.themes) for c in found] == [{"t0", "t1", "t2", "t3"}, {"t4", "t5", "t6", "t7"}]
    again = measures.theme_communities(g.copy(), Corpus(), settings)
    assert [c.themes for c in again] == [c.themes for c in found]


def test_themes_by_year_and_meeting(corpus):
    by_year = measures.themes_by(corpus, "year")
    assert by_year.columns == ("2009", "2010", "2022")
    rows = dict(zip(by_year.row_labels, by_year.values, strict=True))
    assert rows["training"] == (0, 1, 1)
    assert rows["awareness-raising"] == (0, 0, 2)
    assert rows["victim assistance and protection"] == (2, 0, 0)
    # order: themes under the four Ps (in P order), cross-cutting last
    assert by_year.row_labels[0] == "awareness-raising"
    assert by_year.row_labels[-1] == "children"
    by_meeting = measures.themes_by(corpus, "meeting")
    assert by_meeting.columns == ("1", "2") and by_meeting.total() == 6
    with pytest.raises(ValueError):
        measures.themes_by(corpus, "decade")


def test_profiles_per_body_and_addressee(corpus):
    actions = measures.profile(corpus, "body", "action")
    assert dict(zip(actions.row_labels, actions.values, strict=True)) == {
        "Working Group on Trafficking in Persons": (0, 0, 1, 1, 1),
        "Conference of the Parties": (1, 0, 0, 0, 1),
    }
    verbs = measures.profile(corpus, "body", "verb")
    assert verbs.column_labels == ("urges", "should", "welcomes")  # strongest first
    assert verbs.values == ((0, 3, 0), (1, 0, 1))
    per_addressee = measures.profile(corpus, "addressee", "action")
    assert dict(zip(per_addressee.row_labels, per_addressee.values, strict=True)) == {
        "States parties": (0, 0, 1, 1, 1),
        "Secretariat": (0, 0, 0, 0, 1),
    }
    at = measures.addressee_themes(projections.addressee_theme_graph(corpus), corpus)
    assert at.row_labels == ("States parties", "Secretariat") and at.total() == 9
    assert at.transposed().values[0] == tuple(v[0] for v in at.values)


def test_asked_most(corpus):
    first, second = measures.asked_most(corpus)
    assert corpus.notation(first.addressee) == "StatesParties"
    assert [corpus.units[u].name for u in first.units] == ["cop OP 2", "wg 1/1", "wg 1/2"]
    assert [(corpus.notation(t), n) for t, n in first.themes] == [
        ("victim-assistance", 2),
        ("awareness-raising", 1),
        ("children", 1),
    ]
    assert [(corpus.notation(v), n) for v, n in first.verbs] == [("should", 2), ("urges", 1)]
    assert corpus.notation(second.addressee) == "Secretariat"


def test_strongest_and_weakest_asks(corpus, settings):
    assert [u.name for u in measures.strongest_asks(corpus, settings)] == ["cop OP 2"]
    assert [u.name for u in measures.weakest_asks(corpus, settings)] == ["cop OP 1"]


def test_never_cited_and_repetitions(corpus):
    never = measures.never_cited(corpus)
    assert {k: [p.notation for p in v] for k, v in never.items()} == {
        "TIP": ["TIP 5"],
        "UNTOC": [],
    }
    assert [
        (r.relation, corpus.units[r.source].name, corpus.units[r.target].name)
        for r in measures.repetitions(corpus)
    ] == [
        ("identical", "cop OP 2", "wg 2/1"),
        ("near-duplicate", "wg 2/1", "wg 1/2"),
        ("reiterates", "wg 2/1", "wg 1/1"),
    ]


# --- report pieces -----------------------------------------------------------------------------


def test_unit_names_and_ranges(corpus):
    units = [EX + "b2", EX + "a1", EX + "a2"]
    assert unit_names(corpus, units) == "cop: OP 2; wg: 1/1, 1/2"
    assert unit_names(corpus, units, limit=1) == "cop: OP 2 … (2 more)"
    assert ranges([1, 4, 5, 7, 10, 11, 12]) == "1, 4–5, 7, 10–12"
    assert ranges([]) == ""


def test_report_names_the_units_behind_each_finding(corpus, settings):
    nets = networks(corpus)
    communities = measures.theme_communities(nets["themes"], corpus, settings)
    text = markdown(build_report(corpus, nets, communities, settings))
    assert "The most cited article is TIP 6" in text
    assert "| 1 | TIP 6 | Assistance to and protection of victims of trafficking in persons" in text
    assert "| 3 | wg: 1/1, 1/2, 2/1 |" in text
    assert "| identical | cop OP 2 | 2022 | wg 2/1 | 2010 (WG 2) | 1.000 |" in text
    assert settings.precision in text
    assert "| TIP | 4 | 1 | 5 |" in text  # never cited: TIP 5 of the 4 listed articles
    assert "| 1 | awareness-raising, international cooperation, training | 3 |" in text


def test_graphml_refuses_other_types():
    g = nx.Graph(name="bad")
    g.add_node("a", flag=True)
    with pytest.raises(GraphMLError, match="flag"):
        to_bytes(g)
    g = nx.Graph(name="bad")
    g.add_edge("a", "b", weight=None)
    with pytest.raises(GraphMLError, match="weight"):
        to_bytes(g)
