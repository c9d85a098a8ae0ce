"""One analysis run: from a store to the files of a report folder.

:func:`report_files` reads the corpus, projects, measures, draws and writes; it
returns, by file name, producers that write each file, for ``graph.export.write_atomically`` (all
files or none). Nothing depends on the time, the path of the graph or dictionary
order, so two runs on the same graph give byte-identical files.

| file | what |
|---|---|
| report.md, report.html | the findings, each with the units behind it |
| figure-*.png, figure-*.svg | the figures (English labels) |
| network-*.graphml | the networks, for Gephi or networkx |
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import networkx as nx
import pyoxigraph

from graph.analysis import figures, graphml, measures, projections
from graph.analysis.corpus import Corpus, Unit, read
from graph.analysis.measures import Matrix
from graph.analysis.report import Arabic, Figure, Report, Section, Table, html, markdown
from graph.analysis.settings import Settings, load

REPORT_MD = "report.md"
REPORT_HTML = "report.html"


def networks(corpus: Corpus, settings: Settings | None = None) -> dict[str, nx.Graph]:
    """Every projection written as GraphML, by the name its file takes; theme nodes carry
    their ``community`` number."""
    articles = projections.citation_graph(corpus, level="article")
    themes = projections.theme_graph(corpus)
    measures.theme_communities(themes, corpus, settings or load())
    return {
        "citations": projections.citation_graph(corpus),
        "article-citations": articles,
        "cocitation-by-unit": projections.cocitation_graph(articles, by="unit"),
        "cocitation-by-document": projections.cocitation_graph(articles, by="document"),
        "themes": themes,
        "addressee-themes": projections.addressee_theme_graph(corpus),
        "lineage": projections.lineage_graph(corpus),
    }


def report_files(
    store: pyoxigraph.Store, settings: Settings | None = None
) -> dict[str, Callable[[Path], None]]:
    """The files of a report on the graph in ``store``, by name."""
    return files(read(store), settings or load())


def files(corpus: Corpus, settings: Settings) -> dict[str, Callable[[Path], None]]:
    """The files of a report on ``corpus``: report, figures (PNG, SVG) and GraphML."""
    nets = networks(corpus, settings)
    communities = measures.theme_communities(nets["themes"], corpus, settings)
    drawn = {name: figures.render(draw) for name, draw in _figures(corpus, nets, settings).items()}
    report = build_report(corpus, nets, communities, settings)
    data: dict[str, bytes] = {}
    for name, g in nets.items():
        data[f"network-{name}.graphml"] = graphml.to_bytes(g)
    for name, formats in drawn.items():
        data[f"{name}.png"] = formats["png"]
        data[f"{name}.svg"] = formats["svg"]
    data[REPORT_MD] = markdown(report).encode("utf-8")
    data[REPORT_HTML] = html(report, {n: f["png"] for n, f in drawn.items()}).encode("utf-8")
    return {name: _writer(value) for name, value in sorted(data.items())}


def _writer(data: bytes) -> Callable[[Path], None]:
    """A producer for ``graph.export.write_atomically``: writes ``data`` at its path."""

    def write(path: Path) -> None:
        path.write_bytes(data)

    return write


# --- figures -------------------------------------------------------------------------------------


def _figures(
    corpus: Corpus, nets: dict[str, nx.Graph], settings: Settings
) -> dict[str, Callable[[], figures.Figure]]:
    titles = {p.iri: p.title for p in corpus.provisions.values()}
    most = measures.most_cited(nets["article-citations"])
    themes = nets["themes"]
    count = max((c for _, c in themes.nodes(data="community", default=0)), default=0)
    colours = figures.PALETTE

    def community_colour(n: str) -> str:
        return colours[(themes.nodes[n].get("community", 1) - 1) % len(colours)]

    def instrument_colour(n: str) -> str:
        g = nets["cocitation-by-document"]
        return figures.INSTRUMENTS.get(g.nodes[n].get("instrument", ""), "#7f7f7f")

    cocited = nets["cocitation-by-document"]
    used = sorted({k for _, k in cocited.nodes(data="instrument") if k})
    return {
        "figure-most-cited": lambda: figures.most_cited_chart(most, titles, settings.top),
        "figure-cocitation": lambda: figures.network_chart(
            cocited,
            "Articles cited in the same document (node size: units citing it)",
            settings.layout_seed,
            size="cited",
            colour=instrument_colour,
            legend=[(k, figures.INSTRUMENTS.get(k, "#7f7f7f")) for k in used],
        ),
        "figure-themes": lambda: figures.network_chart(
            themes,
            "Themes tagged on the same unit, coloured by community (node size: units)",
            settings.layout_seed,
            size="units",
            colour=community_colour,
            legend=[
                (f"community {i}", colours[(i - 1) % len(colours)]) for i in range(1, count + 1)
            ],
            min_weight=3,
            group="community",
        ),
        "figure-themes-by-year": lambda: figures.heatmap(
            measures.themes_by(corpus, "year"), "Units per theme and year", "year adopted"
        ),
        "figure-themes-by-meeting": lambda: figures.heatmap(
            measures.themes_by(corpus, "meeting"),
            "Working Group recommendations per theme and meeting",
            "meeting of the Working Group",
        ),
        "figure-body-actions": lambda: figures.action_bars(
            measures.profile(corpus, "body", "action"), "Action category asked, per body"
        ),
        "figure-body-verbs": lambda: figures.heatmap(
            measures.profile(corpus, "body", "verb"),
            "Verbs used, per body (strongest verb first)",
            "verb",
        ),
        "figure-addressee-actions": lambda: figures.action_bars(
            measures.profile(corpus, "addressee", "action"),
            "Action category asked, per addressee",
        ),
        "figure-addressee-themes": lambda: figures.heatmap(
            measures.addressee_themes(nets["addressee-themes"], corpus).transposed(),
            "Units per theme and addressee",
            "addressee",
        ),
        "figure-lineage": lambda: figures.lineage_chart(
            nets["lineage"], "Lineage of recommendations: repetitions and references"
        ),
    }


# --- the report ----------------------------------------------------------------------------------


def unit_names(corpus: Corpus, units: Iterable[str], limit: int | None = None) -> str:
    """Units grouped by document: ``ctoc-cop-wg4-2019-5: 2/5, 4/46(c); cop-11-…: OP 9(c)``."""
    listed = list(units)
    shown = listed[:limit] if limit else listed
    by: dict[str, list[str]] = {}
    for u in shown:
        unit = corpus.units[u]
        by.setdefault(unit.document, []).append(unit.label)
    text = "; ".join(f"{doc}: {', '.join(labels)}" for doc, labels in by.items())
    if len(listed) > len(shown):
        text += f" … ({len(listed) - len(shown)} more)"
    return text


def ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 5, 7, 8]`` -> ``'1–3, 5, 7–8'``.

    >>> ranges([1, 2, 3, 5, 7, 8])
    '1–3, 5, 7–8'
    """
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def _excerpt(text: str, width: int) -> Arabic:
    text = " ".join(text.split())
    return Arabic(text if len(text) <= width else text[: width - 1].rstrip() + "…")


def _matrix_table(m: Matrix, first: str, caption: str = "") -> Table:
    rows = [
        [label, *values, sum(values)] for label, values in zip(m.row_labels, m.values, strict=True)
    ]
    return Table([first, *m.column_labels, "total"], rows, caption)


def _ask_rows(corpus: Corpus, units: list[Unit], width: int) -> list[list]:
    return [
        [
            u.document,
            u.label,
            corpus.notation(u.verb),
            u.action or "",
            corpus.notation(u.addressee) if u.addressee else "",
            _excerpt(u.text, width),
        ]
        for u in units
    ]


def _counted(corpus: Corpus, pairs) -> str:
    return ", ".join(f"{corpus.label(k)} ({n})" for k, n in pairs)


def _overview(corpus: Corpus) -> list[str]:
    documents = sorted({u.document for u in corpus.units.values()})
    kinds = Counter(u.kind for u in corpus.units.values() if u.kind)
    main = ", ".join(
        f"{kinds[k]} {k}" for k in ("recommendation", "operative", "preambular") if kinds[k]
    )
    relations = Counter(link.relation for link in corpus.links)
    links = ", ".join(f"{n} {r}" for r, n in sorted(relations.items())) or "none"
    return [
        "What the Working Group, the Conference of the Parties and the General Assembly "
        "ask, of whom, on which themes and on which provisions of UNTOC and its Protocols, "
        "read from the knowledge graph. Every finding names the units behind it as "
        "document id and unit notation (4/46(c), OP 9(c)).",
        f"The graph holds {len(documents)} documents ({', '.join(documents)}), "
        f"{len(corpus.units)} units with a notation ({main}), {len(corpus.citations)} "
        f"citations of provisions by units, {sum(1 for t in corpus.themes.values() if t)} "
        f"units tagged with themes, and links between units: {links}.",
    ]


def _cited_section(corpus: Corpus, nets: dict[str, nx.Graph], settings: Settings) -> Section:
    top = settings.top
    articles = measures.most_cited(nets["article-citations"])
    provisions = measures.most_cited(nets["citations"])
    titles = {p.iri: p.title for p in corpus.provisions.values()}
    first = articles[0] if articles else None
    lead = (
        f"The most cited article is {first.label} ({titles.get(first.node, '')}): "
        f"{first.count} units cite it or a paragraph of it."
        if first
        else "No unit cites a provision."
    )
    return Section(
        "Most cited provisions",
        [
            lead,
            "A citation of a paragraph or subparagraph (TIP 6(3)(d)) counts for its article; "
            "a unit counts once per article however many of its paragraphs it cites.",
            Table(
                ["rank", "article", "title", "units", "citing units"],
                [
                    [i, r.label, titles.get(r.node, ""), r.count, unit_names(corpus, r.units)]
                    for i, r in enumerate(articles[:top], start=1)
                ],
                f"Articles by units citing them (top {min(top, len(articles))} of "
                f"{len(articles)} cited)",
            ),
            Figure("figure-most-cited", "Most cited articles, by units citing them"),
            Table(
                ["provision", "units", "citing units"],
                [[r.label, r.count, unit_names(corpus, r.units)] for r in provisions[:top]],
                "Provisions as cited (paragraph and subparagraph kept)",
            ),
            Table(
                ["instrument", "units", "citing units"],
                [
                    [r.label, r.count, unit_names(corpus, r.units)]
                    for r in measures.instruments_cited(corpus)
                ],
                "Instruments by units citing any of their provisions",
            ),
        ],
    )


def _cocitation_section(corpus: Corpus, nets: dict[str, nx.Graph], settings: Settings) -> Section:
    by_unit, by_doc = nets["cocitation-by-unit"], nets["cocitation-by-document"]
    pairs = sorted(
        by_unit.edges(data=True),
        key=lambda e: (-e[2]["weight"], by_unit.nodes[e[0]]["label"], by_unit.nodes[e[1]]["label"]),
    )
    central = measures.centrality(by_doc)
    return Section(
        "Provision co-citation",
        [
            "Two articles are co-cited when one unit cites both; in the document network, "
            "when one document cites both. Betweenness (normalised, unweighted) shows the "
            "articles that join the provisions different documents rest on; strength is the "
            "sum of the weights of an article's ties.",
            Table(
                ["article", "article", "units", "cited together by"],
                [
                    [by_unit.nodes[a]["label"], by_unit.nodes[b]["label"], d["weight"], d["units"]]
                    for a, b, d in pairs
                ],
                "Articles cited together by one unit",
            ),
            Table(
                ["article", "betweenness", "degree", "strength", "units citing it"],
                [
                    [
                        c.label,
                        c.betweenness,
                        c.degree,
                        c.strength,
                        unit_names(
                            corpus,
                            measures.citing_units(nets["article-citations"], c.node),
                        ),
                    ]
                    for c in central[: settings.top]
                ],
                "Centrality in the document co-citation network",
            ),
            Figure("figure-cocitation", "Articles cited in the same document"),
        ],
    )


def _asks_section(corpus: Corpus, settings: Settings) -> Section:
    strongest = measures.strongest_asks(corpus, settings)
    weakest = measures.weakest_asks(corpus, settings)
    columns = ["document", "unit", "verb", "action", "addressee", "text"]
    return Section(
        "Strongest and weakest asks",
        [
            f"The strongest asks are the {len(strongest)} units asking for specific action "
            f"(action category {settings.strongest_action}) with a verb of weight "
            f"{settings.strongest_min_weight} or more (urges, requests, calls upon, decides, "
            f"must, strongly urges); the weakest, the {len(weakest)} units of action category "
            f"{settings.weakest_action} (no action asked: welcomes, takes note, recognizes).",
            Table(columns, _ask_rows(corpus, strongest, settings.excerpt), "Strongest asks"),
            Table(columns, _ask_rows(corpus, weakest, settings.excerpt), "Weakest asks"),
        ],
    )


def _addressee_section(corpus: Corpus, nets: dict[str, nx.Graph], settings: Settings) -> Section:
    rows = [
        [
            corpus.label(a.addressee),
            len(a.units),
            _counted(corpus, a.themes),
            ", ".join(f"{corpus.notation(v)} ({n})" for v, n in a.verbs),
            ", ".join(f"{k} ({n})" for k, n in a.actions),
            unit_names(corpus, a.units, settings.examples),
        ]
        for a in measures.asked_most(corpus)
    ]
    return Section(
        "What each addressee is asked most",
        [
            "For each addressee: its units, the themes, verbs and action categories used most "
            "towards it (with the number of units), and its strongest asks first.",
            Table(
                ["addressee", "units", "themes", "verbs", "action categories", "strongest asks"],
                rows,
            ),
            Figure("figure-addressee-themes", "Units per addressee and theme"),
            _matrix_table(
                measures.profile(corpus, "addressee", "action"),
                "addressee",
                "Units per addressee and action category",
            ),
            Figure("figure-addressee-actions", "Action category asked, per addressee"),
        ],
    )


def _profile_section(corpus: Corpus) -> Section:
    return Section(
        "Verb and action profile per body",
        [
            "The body is the one that adopted the document: the Working Group on Trafficking "
            "in Persons, the Conference of the Parties or the General Assembly. Action "
            "categories follow UPR Info's scale: 1 minimal, 2 continuing, 3 considering, "
            "4 general, 5 specific.",
            _matrix_table(
                measures.profile(corpus, "body", "action"),
                "body",
                "Units per body and action category",
            ),
            Figure("figure-body-actions", "Action category asked, per body"),
            _matrix_table(
                measures.profile(corpus, "body", "verb"), "body", "Units per body and verb"
            ),
            Figure("figure-body-verbs", "Verbs used, per body"),
        ],
    )


def _community_section(
    corpus: Corpus, communities: list[measures.Community], settings: Settings
) -> Section:
    rows = [
        [
            c.number,
            ", ".join(corpus.label(t) for t in c.themes),
            len(c.units),
            unit_names(corpus, c.units, settings.examples),
        ]
        for c in communities
    ]
    return Section(
        "Theme communities",
        [
            f"Louvain communities (networkx, seed {settings.community_seed}, resolution "
            f"{settings.resolution}) of the graph of themes tagged on the same unit, edges "
            "weighted by the number of units. Themes within a community run from the most "
            "tagged; the example units touch most of the community's themes.",
            Table(["community", "themes", "units", "example units"], rows),
            Figure("figure-themes", "Theme co-occurrence, coloured by community"),
        ],
    )


def _themes_time_section(corpus: Corpus) -> Section:
    return Section(
        "Themes per year and meeting",
        [
            "Units tagged with each theme, by the year they were adopted (the adopting "
            "meeting's start for Working Group recommendations, else the document's date) "
            "and by Working Group meeting. A unit with two themes counts under each.",
            _matrix_table(measures.themes_by(corpus, "year"), "theme", "Units per theme and year"),
            Figure("figure-themes-by-year", "Units per theme and year"),
            _matrix_table(
                measures.themes_by(corpus, "meeting"),
                "theme",
                "Working Group recommendations per theme and meeting",
            ),
            Figure("figure-themes-by-meeting", "Recommendations per theme and meeting"),
        ],
    )


def _when(unit: Unit) -> str:
    if unit.meeting is not None:
        return f"{unit.year} (WG {unit.meeting})"
    return str(unit.year or "")


def _repetition_section(corpus: Corpus, settings: Settings) -> Section:
    found = measures.repetitions(corpus)
    counts = Counter(link.relation for link in found)
    summary = ", ".join(f"{counts[r]} {r}" for r in projections.RELATIONS if counts[r]) or "none"
    rows = []
    for link in found:
        a, b = corpus.units[link.source], corpus.units[link.target]
        rows.append([link.relation, a.name, _when(a), b.name, _when(b), link.score])
    return Section(
        "Repeated recommendations",
        [
            f"Links between units ({summary}): identical and near-duplicate texts, "
            "reiterations (\u201cthe Working Group reiterates its recommendation\u201d) and "
            "resolved references to earlier recommendations. Each row runs from the later "
            "unit to the earlier one.",
            settings.precision,
            Table(["relation", "unit", "adopted", "repeats / refers to", "adopted", "score"], rows),
            Figure("figure-lineage", "Lineage of recommendations over meetings and years"),
        ],
    )


def _never_cited_section(corpus: Corpus) -> Section:
    rows = []
    for key, articles in measures.never_cited(corpus).items():
        total = sum(1 for p in corpus.provisions.values() if p.is_article and p.instrument == key)
        rows.append([key, total, len(articles), ranges([p.number for p in articles])])
    return Section(
        "Provisions never cited",
        [
            "Articles that no unit cites, neither the article nor a paragraph inside it.",
            Table(["instrument", "articles", "never cited", "articles never cited"], rows),
        ],
    )


def _files_section(nets: dict[str, nx.Graph]) -> Section:
    rows = [
        [f"network-{name}.graphml", g.number_of_nodes(), g.number_of_edges()]
        for name, g in nets.items()
    ]
    return Section(
        "Networks (GraphML)",
        [
            "Each network as GraphML for Gephi or networkx (node ids are IRIs; every node has "
            "label and kind).",
            Table(["file", "nodes", "edges"], rows),
        ],
    )


def build_report(
    corpus: Corpus,
    nets: dict[str, nx.Graph],
    communities: list[measures.Community],
    settings: Settings,
) -> Report:
    """The report's sections, in reading order."""
    return Report(
        "Palermo: network analysis",
        _overview(corpus),
        [
            _cited_section(corpus, nets, settings),
            _cocitation_section(corpus, nets, settings),
            _asks_section(corpus, settings),
            _addressee_section(corpus, nets, settings),
            _profile_section(corpus),
            _community_section(corpus, communities, settings),
            _themes_time_section(corpus),
            _repetition_section(corpus, settings),
            _never_cited_section(corpus),
            _files_section(nets),
        ],
    )
