"""Measures on the projections and the corpus: what is cited, central, grouped, asked.

Every measure returns records that name the units behind them (unit IRIs, in reading
order), so the report can show where each finding comes from. Ties are broken by a
fixed order (instrument, article number, label), never by dictionary order, so two
runs give the same rankings.

Examples
--------
>>> from graph.analysis.corpus import example
>>> from graph.analysis.projections import citation_graph
>>> corpus = example()
>>> top = most_cited(citation_graph(corpus, level="article"))
>>> [(r.label, r.count) for r in top]
[('TIP 6', 3), ('TIP 9', 2), ('TIP 3', 1), ('UNTOC 32', 1)]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx

from graph.analysis.corpus import Corpus, Link, Provision, Unit
from graph.analysis.projections import RELATIONS
from graph.analysis.settings import Settings


@dataclass(frozen=True)
class Ranked:
    """Something counted by the units behind it: a provision, an instrument."""

    node: str
    label: str
    count: int
    units: tuple[str, ...]


def _provision_key(attrs: dict) -> tuple:
    return (attrs.get("instrument", ""), attrs.get("number", 0), attrs.get("label", ""))


def citing_units(citations: nx.Graph, node: str) -> tuple[str, ...]:
    """The units citing ``node`` in a citation graph, in reading order."""
    return tuple(
        sorted(
            citations[node],
            key=lambda u: (citations.nodes[u]["document"], citations.nodes[u]["order"]),
        )
    )


def most_cited(citations: nx.Graph) -> list[Ranked]:
    """Provisions by the number of units citing them, most cited first.

    ``citations`` is a :func:`~graph.analysis.projections.citation_graph`; at
    ``level="article"`` a unit citing TIP 6(2) counts for TIP 6. Ties run by instrument,
    article number and notation.
    """
    ranked = [
        (n, attrs, citing_units(citations, n))
        for n, attrs in citations.nodes(data=True)
        if attrs["kind"] != "unit"
    ]
    ranked.sort(key=lambda r: (-len(r[2]), _provision_key(r[1])))
    return [Ranked(n, attrs["label"], len(units), units) for n, attrs, units in ranked]


def instruments_cited(corpus: Corpus) -> list[Ranked]:
    """Instruments by the number of units citing any of their provisions.

    >>> from graph.analysis.corpus import example
    >>> [(r.label, r.count) for r in instruments_cited(example())]
    [('TIP', 4), ('UNTOC', 1)]
    """
    units: dict[str, set[str]] = defaultdict(set)
    for u, p in corpus.citations:
        units[corpus.provisions[p].instrument].add(u)
    out = [
        Ranked(key, key, len(us), tuple(sorted(us, key=lambda u: corpus.units[u].key)))
        for key, us in units.items()
    ]
    return sorted(out, key=lambda r: (-r.count, r.label))


@dataclass(frozen=True)
class Central:
    """A node's place in a weighted graph."""

    node: str
    label: str
    degree: float
    strength: int
    betweenness: float


def centrality(g: nx.Graph) -> list[Central]:
    """Degree centrality, strength (sum of edge weights) and betweenness of every node.

    Betweenness is computed on the unweighted graph (networkx would read weights as
    distances, and a heavier co-citation is a closer one, not a farther one); both
    centralities are normalised. Sorted by betweenness, then strength, then label.

    Examples
    --------
    A path a - b - c - d: b and c lie on two of the three shortest paths between
    the other nodes each.

    >>> g = nx.path_graph(["a", "b", "c", "d"])
    >>> nx.set_node_attributes(g, {n: n for n in g}, "label")
    >>> [(c.label, round(c.betweenness, 3), round(c.degree, 3)) for c in centrality(g)]
    [('b', 0.667, 0.667), ('c', 0.667, 0.667), ('a', 0.0, 0.333), ('d', 0.0, 0.333)]
    """
    if not len(g):
        return []
    degree = nx.degree_centrality(g)
    betweenness = nx.betweenness_centrality(g, normalized=True)
    strength = dict(g.degree(weight="weight"))
    rows = [
        Central(n, g.nodes[n].get("label", n), degree[n], int(strength[n]), betweenness[n])
        for n in g
    ]
    return sorted(rows, key=lambda c: (-round(c.betweenness, 9), -c.strength, c.label))


@dataclass(frozen=True)
class Community:
    """A community of themes and the units that are about it most."""

    number: int
    themes: tuple[str, ...]
    units: tuple[str, ...]


def theme_communities(g: nx.Graph, corpus: Corpus, settings: Settings) -> list[Community]:
    """Louvain communities of the theme co-occurrence graph, with a fixed seed.

    Communities are numbered from 1, largest first (ties: by their first theme's label);
    themes within one run by the number of units tagged, then label. ``units`` are all
    units tagged with a theme of the community, those touching most of its themes first.
    The node attribute ``community`` of ``g`` is set to the community's number.

    Examples
    --------
    >>> from graph.analysis.corpus import example
    >>> from graph.analysis.projections import theme_graph
    >>> from graph.analysis.settings import load
    >>> corpus = example()
    >>> found = theme_communities(theme_graph(corpus), corpus, load())
    >>> [[corpus.notation(t) for t in c.themes] for c in found]
    ... # doctest: +NORMALIZE_WHITESPACE
    [['awareness-raising', 'international-cooperation', 'training'],
     ['victim-assistance', 'children', 'compensation']]
    """
    if not len(g):
        return []
    parts = nx.community.louvain_communities(
        g, weight="weight", resolution=settings.resolution, seed=settings.community_seed
    )

    def theme_key(t: str) -> tuple:
        return (-g.nodes[t]["units"], g.nodes[t]["label"])

    ordered = sorted(
        (sorted(p, key=theme_key) for p in parts), key=lambda p: (-len(p), theme_key(p[0]))
    )
    out = []
    for number, themes in enumerate(ordered, start=1):
        members = set(themes)
        for t in themes:
            g.nodes[t]["community"] = number
        touching = [
            (len(members.intersection(tags)), u)
            for u, tags in corpus.themes.items()
            if members.intersection(tags)
        ]
        touching.sort(key=lambda r: (-r[0], corpus.units[r[1]].key))
        out.append(Community(number, tuple(themes), tuple(u for _, u in touching)))
    return out


@dataclass(frozen=True)
class Matrix:
    """Counts in rows and columns (a table and a heat map)."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[int, ...], ...]
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]

    def total(self) -> int:
        return sum(map(sum, self.values))

    def transposed(self) -> Matrix:
        """Rows as columns: a long list of columns reads better down the page.

        >>> Matrix(("a",), ("x", "y"), ((1, 2),), ("A",), ("X", "Y")).transposed().values
        ((1,), (2,))
        """
        return Matrix(
            self.columns,
            self.rows,
            tuple(zip(*self.values, strict=True)),
            self.column_labels,
            self.row_labels,
        )


def _matrix(counts: dict[str, Counter], rows: list[str], columns: list, label, column_label=str):
    return Matrix(
        rows=tuple(rows),
        columns=tuple(str(c) for c in columns),
        values=tuple(tuple(counts[r][c] for c in columns) for r in rows),
        row_labels=tuple(label(r) for r in rows),
        column_labels=tuple(column_label(c) for c in columns),
    )


def _theme_order(corpus: Corpus, themes) -> list[str]:
    """Themes under the four Ps in scheme order of their P, cross-cutting last, then label."""
    groups = ["PREVENTION", "PROTECTION", "PROSECUTION", "PARTNERSHIP", "cross-cutting"]

    def key(t: str) -> tuple:
        group = corpus.concepts[t].group if t in corpus.concepts else ""
        return (groups.index(group) if group in groups else len(groups), corpus.label(t))

    return sorted(themes, key=key)


def themes_by(corpus: Corpus, key: str = "year") -> Matrix:
    """Units per theme and year (``key="year"``) or Working Group meeting (``"meeting"``).

    A unit tagged with two themes counts once under each; units without a year (or
    meeting) are left out.

    >>> from graph.analysis.corpus import example
    >>> m = themes_by(example(), "meeting")
    >>> m.columns, dict(zip(m.row_labels, m.values))["victim assistance and protection"]
    (('1', '2'), (2, 0))
    """
    if key not in ("year", "meeting"):
        raise ValueError(f"key must be 'year' or 'meeting', not {key!r}")
    counts: dict[str, Counter] = defaultdict(Counter)
    for u, themes in corpus.themes.items():
        when = getattr(corpus.units[u], key)
        if when is None:
            continue
        for t in themes:
            counts[t][when] += 1
    columns = sorted({c for row in counts.values() for c in row})
    return _matrix(counts, _theme_order(corpus, counts), columns, corpus.label)


def _asks(corpus: Corpus) -> list[Unit]:
    """Units that ask something: those with a verb."""
    return [u for u in corpus.units.values() if u.verb]


def _verb_order(corpus: Corpus, verbs) -> list[str]:
    weight = {u.verb: u.weight or 0 for u in corpus.units.values() if u.verb}
    return sorted(verbs, key=lambda v: (-weight.get(v, 0), corpus.notation(v)))


def profile(corpus: Corpus, by: str = "body", what: str = "action") -> Matrix:
    """Units per body (or addressee) and action category 1-5 (or verb).

    ``by="body"``: the body of the document (Working Group, COP, GA); ``by="addressee"``:
    the unit's addressee. ``what="action"``: columns are the action categories 1 to 5;
    ``what="verb"``: the verbs used, strongest (``pal:actionWeight``) first. Units
    without the row's or column's value are left out.

    >>> from graph.analysis.corpus import example
    >>> m = profile(example(), "body", "action")
    >>> dict(zip(m.row_labels, m.values))["Conference of the Parties"]
    (1, 0, 0, 0, 1)
    """
    if by not in ("body", "addressee") or what not in ("action", "verb"):
        raise ValueError("by is 'body' or 'addressee'; what is 'action' or 'verb'")
    counts: dict[str, Counter] = defaultdict(Counter)
    for u in _asks(corpus):
        row, column = getattr(u, by), getattr(u, what)
        if row and column:
            counts[row][column] += 1
    rows = sorted(counts, key=lambda r: (-sum(counts[r].values()), corpus.label(r)))
    if what == "action":
        columns: list = [1, 2, 3, 4, 5]
        return _matrix(counts, rows, columns, corpus.label)
    columns = _verb_order(corpus, {c for row in counts.values() for c in row})
    return _matrix(counts, rows, columns, corpus.label, corpus.notation)


def addressee_themes(g: nx.Graph, corpus: Corpus) -> Matrix:
    """The addressee-theme graph as a matrix: units per addressee and theme."""
    addressees = [n for n, k in g.nodes(data="kind") if k == "addressee"]
    themes = _theme_order(corpus, [n for n, k in g.nodes(data="kind") if k == "theme"])
    addressees.sort(key=lambda a: (-g.nodes[a]["units"], g.nodes[a]["label"]))
    counts = {a: Counter({t: g[a][t]["weight"] for t in g[a]}) for a in addressees}
    return _matrix(counts, addressees, themes, corpus.label, corpus.label)


@dataclass(frozen=True)
class Asked:
    """What one addressee is asked most: themes, verbs and action categories."""

    addressee: str
    units: tuple[str, ...]
    themes: tuple[tuple[str, int], ...]
    verbs: tuple[tuple[str, int], ...]
    actions: tuple[tuple[int, int], ...]


def _strength(u: Unit) -> tuple:
    return (-(u.action or 0), -(u.weight or 0), u.key)


def asked_most(corpus: Corpus, top: int = 3) -> list[Asked]:
    """For every addressee, its units (strongest ask first) and its ``top`` themes, verbs
    and action categories by number of units. Addressees with most units first.

    >>> from graph.analysis.corpus import example
    >>> first = asked_most(example())[0]
    >>> first.addressee.rsplit("/", 1)[1], first.themes[0]
    ('StatesParties', ('https://w3id.org/palermo/theme/victim-assistance', 2))
    """
    by: dict[str, list[Unit]] = defaultdict(list)
    for u in _asks(corpus):
        if u.addressee:
            by[u.addressee].append(u)

    def common(values) -> tuple:
        counted = Counter(v for v in values if v)
        return tuple(sorted(counted.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top])

    out = [
        Asked(
            addressee=a,
            units=tuple(u.iri for u in sorted(units, key=_strength)),
            themes=common(t for u in units for t in corpus.themes.get(u.iri, ())),
            verbs=common(u.verb for u in units),
            actions=common(u.action for u in units),
        )
        for a, units in by.items()
    ]
    return sorted(out, key=lambda r: (-len(r.units), corpus.label(r.addressee)))


def strongest_asks(corpus: Corpus, settings: Settings) -> list[Unit]:
    """Units asking for specific action (category ``strongest_action``) with a verb at least
    ``strongest_min_weight`` strong, strongest verb first, then in reading order.

    >>> from graph.analysis.corpus import example
    >>> from graph.analysis.settings import load
    >>> [u.name for u in strongest_asks(example(), load())]
    ['cop OP 2']
    """
    found = [
        u
        for u in _asks(corpus)
        if u.action == settings.strongest_action
        and (u.weight or 0) >= settings.strongest_min_weight
    ]
    return sorted(found, key=lambda u: (-(u.weight or 0), u.key))


def weakest_asks(corpus: Corpus, settings: Settings) -> list[Unit]:
    """Units whose action category is ``weakest_action`` (1: no action asked), in reading order.

    >>> from graph.analysis.corpus import example
    >>> from graph.analysis.settings import load
    >>> [u.name for u in weakest_asks(example(), load())]
    ['cop OP 1']
    """
    return [u for u in _asks(corpus) if u.action == settings.weakest_action]


def never_cited(corpus: Corpus) -> dict[str, list[Provision]]:
    """Per instrument key, the articles no unit cites, neither themselves nor a paragraph
    or subparagraph inside them (a citation of TIP 6(3)(d) counts for TIP 6).

    >>> from graph.analysis.corpus import example
    >>> {k: [p.notation for p in v] for k, v in never_cited(example()).items()}
    {'TIP': ['TIP 5'], 'UNTOC': []}
    """
    cited = {corpus.provisions[p].article for _, p in corpus.citations}
    out: dict[str, list[Provision]] = {}
    articles = [p for p in corpus.provisions.values() if p.is_article]
    for p in sorted(articles, key=lambda p: (p.instrument, p.number)):
        out.setdefault(p.instrument, [])
        if p.iri not in cited:
            out[p.instrument].append(p)
    return out


def repetitions(corpus: Corpus, relations: tuple[str, ...] = RELATIONS) -> list[Link]:
    """The links of the given relations, strongest relation first, then by the later
    unit's reading order.

    >>> from graph.analysis.corpus import example
    >>> [(l.relation, l.score) for l in repetitions(example())]
    [('identical', 1.0), ('near-duplicate', 0.93), ('reiterates', 0.8)]
    """
    found = [link for link in corpus.links if link.relation in relations]
    return sorted(
        found,
        key=lambda link: (
            relations.index(link.relation),
            corpus.units[link.source].key,
            corpus.units[link.target].key,
        ),
    )
