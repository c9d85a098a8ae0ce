"""Projections of the graph into networkx graphs, one function each.

Every node id is the IRI of what it stands for; every node has a ``label`` (an
English label from the schemes, a provision's notation, a unit's notation) and a
``kind`` (unit, provision, article, theme, addressee). Nodes and edges are added in
sorted order, so the same corpus always gives the same graph, node for node and
edge for edge (layouts, communities and GraphML files depend on that order).
Attribute values are str, int or float only, so every graph can be written as GraphML.

Examples
--------
>>> from graph.analysis.corpus import example
>>> corpus = example()
>>> g = cocitation_graph(citation_graph(corpus, level="article"))
>>> sorted(g.nodes[n]["label"] for n in g)
['TIP 3', 'TIP 6', 'TIP 9', 'UNTOC 32']
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import networkx as nx

from graph.analysis.corpus import Corpus, Unit

#: The relations of the lineage graph, strongest first.
RELATIONS = ("identical", "near-duplicate", "reiterates", "refers-to")


def _unit_attrs(unit: Unit) -> dict[str, str | int]:
    attrs: dict[str, str | int] = {
        "label": unit.label,
        "kind": "unit",
        "document": unit.document,
        "name": unit.name,
        "order": unit.order,
    }
    if unit.year is not None:
        attrs["year"] = unit.year
    if unit.meeting is not None:
        attrs["meeting"] = unit.meeting
    return attrs


def citation_graph(corpus: Corpus, level: str = "provision") -> nx.Graph:
    """Units and the provisions they cite: a bipartite graph.

    Unit nodes have ``bipartite=0`` (networkx's convention) and ``kind="unit"``; provision
    nodes ``bipartite=1``, the ``instrument`` key and ``number`` (of their article). An
    edge means "the unit cites the provision" (``eli:cites``).

    ``level="provision"`` keeps each cited provision as printed: TIP 6(3) is its own node
    (``kind="provision"``, with the IRI of its ``article``). ``level="article"`` rolls
    every citation up to its article (``kind="article"``, with its English ``title``):
    a unit citing TIP 6(2) and TIP 6(6) has one edge, to TIP 6.

    Examples
    --------
    >>> from graph.analysis.corpus import example
    >>> g = citation_graph(example())
    >>> sorted((g.nodes[u]["name"], g.nodes[p]["label"]) for u, p in g.edges
    ...        if g.nodes[u]["kind"] == "unit")  # doctest: +NORMALIZE_WHITESPACE
    [('cop OP 2', 'TIP 3'), ('cop OP 2', 'TIP 9'), ('wg 1/1', 'TIP 6(3)'), ('wg 1/1', 'TIP 9'),
     ('wg 1/2', 'TIP 6'), ('wg 2/1', 'TIP 6'), ('wg 2/1', 'UNTOC 32')]
    >>> a = citation_graph(example(), level="article")
    >>> sorted(a.nodes[p]["label"] for p in a["https://example.org/a1"])
    ['TIP 6', 'TIP 9']
    """
    if level not in ("provision", "article"):
        raise ValueError(f"level must be 'provision' or 'article', not {level!r}")
    by_article = level == "article"
    edges = sorted(
        {(u, corpus.provisions[p].article if by_article else p) for u, p in corpus.citations}
    )
    g = nx.Graph(name=f"citations-{level}")
    for u in sorted({u for u, _ in edges}, key=lambda u: corpus.units[u].key):
        g.add_node(u, bipartite=0, **_unit_attrs(corpus.units[u]))
    for p in sorted({p for _, p in edges}):
        provision = corpus.provisions[p]
        attrs: dict[str, str | int] = {
            "bipartite": 1,
            "label": provision.notation,
            "kind": "article" if by_article else "provision",
            "instrument": provision.instrument,
            "number": provision.number,
        }
        if by_article:
            attrs["title"] = provision.title
        else:
            attrs["article"] = provision.article
        g.add_node(p, **attrs)
    g.add_edges_from(edges)
    return g


def cocitation_graph(citations: nx.Graph, by: str = "unit") -> nx.Graph:
    """Provisions linked when they are cited together.

    ``citations`` is a :func:`citation_graph` (at either level). ``by="unit"``: two
    provisions are co-cited when one unit cites both (bibliometric co-citation);
    ``by="document"``: when one document cites both, which links the provisions a whole
    report or resolution rests on. Edge ``weight`` is the number of units (or documents)
    citing both, and ``units`` names them ('; '-joined). Nodes keep the attributes they
    have in ``citations`` and gain ``cited``, the number of units citing them; every
    cited provision is a node, even one never cited together with another.

    Examples
    --------
    >>> from graph.analysis.corpus import example
    >>> g = cocitation_graph(citation_graph(example(), level="article"))
    >>> sorted(sorted((g.nodes[a]["label"], g.nodes[b]["label"])) for a, b in g.edges)
    [['TIP 3', 'TIP 9'], ['TIP 6', 'TIP 9'], ['TIP 6', 'UNTOC 32']]
    >>> g.nodes["https://w3id.org/palermo/instrument/TIP/art_6"]["cited"]
    3
    """
    if by not in ("unit", "document"):
        raise ValueError(f"by must be 'unit' or 'document', not {by!r}")
    units = [n for n, kind in citations.nodes(data="kind") if kind == "unit"]
    g = nx.Graph(name=f"cocitation-by-{by}")
    for p in citations:
        if citations.nodes[p]["kind"] != "unit":
            attrs = {k: v for k, v in citations.nodes[p].items() if k != "bipartite"}
            g.add_node(p, **attrs, cited=citations.degree(p))
    groups: dict[str, list[str]] = defaultdict(list)
    for u in units:
        groups[u if by == "unit" else citations.nodes[u]["document"]].append(u)
    together: dict[tuple[str, str], list[str]] = defaultdict(list)
    for members in groups.values():
        cited = sorted({p for u in members for p in citations[u]})
        for a, b in combinations(cited, 2):
            behind = [u for u in members if a in citations[u] or b in citations[u]]
            together[(a, b)].append("; ".join(citations.nodes[u]["name"] for u in behind))
    for (a, b), names in sorted(together.items()):
        g.add_edge(a, b, weight=len(names), units="; ".join(names))
    return g


def _tagged(corpus: Corpus) -> list[tuple[Unit, tuple[str, ...]]]:
    """Units with their themes, in reading order."""
    return [(corpus.units[u], themes) for u, themes in corpus.themes.items()]


def _theme_node(g: nx.Graph, corpus: Corpus, theme: str, units: int) -> None:
    concept = corpus.concepts.get(theme)
    g.add_node(
        theme,
        label=corpus.label(theme),
        kind="theme",
        notation=corpus.notation(theme),
        group=concept.group if concept else "",
        units=units,
    )


def theme_graph(corpus: Corpus) -> nx.Graph:
    """Themes linked when one unit is about both (``eli:is_about``).

    Node ``units`` is the number of units tagged with the theme, ``group`` its top concept
    (PREVENTION, PROTECTION, PROSECUTION, PARTNERSHIP) or ``cross-cutting``. Edge
    ``weight`` is the number of units tagged with both themes.

    Examples
    --------
    >>> from graph.analysis.corpus import example
    >>> g = theme_graph(example())
    >>> sorted((g.nodes[a]["notation"], g.nodes[b]["notation"], w)
    ...        for a, b, w in g.edges(data="weight"))  # doctest: +NORMALIZE_WHITESPACE
    [('awareness-raising', 'international-cooperation', 1), ('awareness-raising', 'training', 1),
     ('children', 'victim-assistance', 1), ('compensation', 'victim-assistance', 1),
     ('international-cooperation', 'training', 2)]
    """
    g = nx.Graph(name="themes")
    counts: dict[str, int] = defaultdict(int)
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for _, themes in _tagged(corpus):
        for t in themes:
            counts[t] += 1
        for a, b in combinations(themes, 2):
            pairs[(a, b)] += 1
    for t in sorted(counts):
        _theme_node(g, corpus, t, counts[t])
    for (a, b), weight in sorted(pairs.items()):
        g.add_edge(a, b, weight=weight)
    return g


def addressee_theme_graph(corpus: Corpus) -> nx.Graph:
    """Addressees and the themes of what they are asked: a weighted bipartite graph.

    An edge joins an addressee (``pal:addressee``, ``kind="addressee"``, ``bipartite=0``)
    and a theme (``bipartite=1``) when a unit addressed to it is about the theme; its
    ``weight`` is the number of such units. Node ``units`` counts the units of an
    addressee (with a theme) or of a theme (with an addressee).

    Examples
    --------
    >>> from graph.analysis.corpus import example
    >>> g = addressee_theme_graph(example())
    >>> sorted((g.nodes[a]["notation"], g.nodes[t]["notation"], w)
    ...        for a, t, w in g.edges(data="weight") if g.nodes[a]["kind"] == "addressee")
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Secretariat', 'international-cooperation', 1), ('Secretariat', 'training', 1),
     ('StatesParties', 'awareness-raising', 1), ('StatesParties', 'children', 1),
     ('StatesParties', 'compensation', 1), ('StatesParties', 'international-cooperation', 1),
     ('StatesParties', 'training', 1), ('StatesParties', 'victim-assistance', 2)]
    """
    g = nx.Graph(name="addressee-themes")
    weights: dict[tuple[str, str], int] = defaultdict(int)
    asked: dict[str, int] = defaultdict(int)
    about: dict[str, int] = defaultdict(int)
    for unit, themes in _tagged(corpus):
        if not unit.addressee:
            continue
        asked[unit.addressee] += 1
        for t in themes:
            about[t] += 1
            weights[(unit.addressee, t)] += 1
    for a in sorted(asked):
        g.add_node(
            a,
            bipartite=0,
            label=corpus.label(a),
            kind="addressee",
            notation=corpus.notation(a),
            units=asked[a],
        )
    for t in sorted(about):
        _theme_node(g, corpus, t, about[t])
        g.nodes[t]["bipartite"] = 1
    for (a, t), weight in sorted(weights.items()):
        g.add_edge(a, t, weight=weight)
    return g


def lineage_graph(corpus: Corpus, relations: tuple[str, ...] = RELATIONS) -> nx.MultiDiGraph:
    """Recommendations and what they repeat or refer to, over meetings and years.

    A directed multigraph: an edge from a later unit to an earlier one for every link of
    the given ``relations`` (``refers-to``, ``reiterates``, ``identical``,
    ``near-duplicate``), keyed by the relation, with its ``score``. Two units can be joined
    by more than one relation (2/43 refers to 1/11 and reiterates it). Nodes are the
    linked units, with ``year`` and, for Working Group units, ``meeting``.

    Examples
    --------
    >>> from graph.analysis.corpus import example
    >>> g = lineage_graph(example())
    >>> [(g.nodes[a]["name"], k, g.nodes[b]["name"], s)
    ...  for a, b, k, s in g.edges(keys=True, data="score")]  # doctest: +NORMALIZE_WHITESPACE
    [('cop OP 2', 'identical', 'wg 2/1', 1.0), ('wg 2/1', 'near-duplicate', 'wg 1/2', 0.93),
     ('wg 2/1', 'reiterates', 'wg 1/1', 0.8)]
    """
    g = nx.MultiDiGraph(name="lineage")
    links = [link for link in corpus.links if link.relation in relations]
    linked = {link.source for link in links} | {link.target for link in links}
    for u in sorted(linked, key=lambda u: corpus.units[u].key):
        g.add_node(u, **_unit_attrs(corpus.units[u]))
    for link in links:
        g.add_edge(link.source, link.target, key=link.relation, score=link.score)
    return g
