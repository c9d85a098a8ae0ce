"""The report's figures, drawn with matplotlib, saved as PNG and SVG, byte for byte the
same from run to run.

Labels are English: the schemes' ``@en`` prefLabels, provision notations (TIP 6) and
unit notations (4/46(c)); Arabic is not drawn, so no shaping library is needed.
Determinism: the Agg backend, DejaVu Sans (shipped with matplotlib), a fixed
``svg.hashsalt``, no dates or software versions in the files' metadata, seeded
layouts, and inputs in sorted order. Figures are built on :class:`Figure` objects
(never pyplot's global state), under :data:`STYLE` set for the call only.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Callable

import matplotlib
import networkx as nx
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from graph.analysis.measures import Matrix, Ranked

matplotlib.use("Agg")

#: rcParams for every figure; svg.hashsalt fixes the ids SVG clip paths get.
STYLE = {
    "svg.hashsalt": "palermo",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": True,
}
DPI = 120

#: Colours (Okabe-Ito, readable by colour-blind readers) for instruments, relations,
#: action categories and communities.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
INSTRUMENTS = {"TIP": "#0072B2", "UNTOC": "#E69F00", "SOM": "#009E73", "FIREARMS": "#CC79A7"}
RELATION_COLOURS = {
    "identical": "#D55E00",
    "near-duplicate": "#E69F00",
    "reiterates": "#0072B2",
    "refers-to": "#7f7f7f",
}
#: Arrow curvature per relation, so two relations between the same units stay apart.
ARCS = {"identical": 0.35, "near-duplicate": -0.35, "reiterates": -0.2, "refers-to": 0.2}
ACTIONS = {
    1: "1 minimal",
    2: "2 continuing",
    3: "3 considering",
    4: "4 general",
    5: "5 specific",
}
ACTION_COLOURS = {1: "#d9d9d9", 2: "#b3cde3", 3: "#8c96c6", 4: "#8856a7", 5: "#810f7c"}


def render(draw: Callable[[], Figure]) -> dict[str, bytes]:
    """PNG and SVG bytes of the figure ``draw`` makes, under :data:`STYLE`."""
    with matplotlib.rc_context(STYLE):
        fig = draw()
        out = {}
        for fmt, metadata in (("png", {"Software": None}), ("svg", {"Date": None})):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
            out[fmt] = buffer.getvalue()
    return out


def _short(text: str, width: int) -> str:
    return textwrap.shorten(text, width=width, placeholder="…") if text else ""


def _empty(fig: Figure, message: str) -> Figure:
    ax = fig.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11)
    return fig


def most_cited_chart(ranked: list[Ranked], titles: dict[str, str], top: int) -> Figure:
    """Horizontal bars: the ``top`` most cited provisions, by units citing them."""
    shown = ranked[:top]
    fig = Figure(figsize=(8, 1.2 + 0.32 * max(len(shown), 3)), layout="constrained")
    if not shown:
        return _empty(fig, "No unit cites a provision.")
    ax = fig.add_subplot()
    labels = [f"{r.label}  {_short(titles.get(r.node, ''), 46)}".strip() for r in shown]
    colours = [INSTRUMENTS.get(r.label.split()[0], "#7f7f7f") for r in shown]
    y = list(range(len(shown)))
    ax.barh(y, [r.count for r in shown], color=colours)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    for i, r in enumerate(shown):
        ax.text(r.count, i, f" {r.count}", va="center", fontsize=8)
    ax.set_xlabel("units citing the article (or a paragraph of it)")
    ax.set_title(f"Most cited articles (top {len(shown)})")
    ax.xaxis.get_major_locator().set_params(integer=True)
    used = sorted({r.label.split()[0] for r in shown})
    ax.legend(
        handles=[Patch(color=INSTRUMENTS.get(k, "#7f7f7f"), label=k) for k in used],
        loc="lower right",
        frameon=False,
    )
    return fig


def grouped_layout(g: nx.Graph, group: str, size: str) -> dict[str, tuple[float, float]]:
    """Each group of nodes (by the node attribute ``group``) on its own circle, the
    circles in a grid: a community reads as one ring, and no two labels of a ring
    collide. Within a ring, nodes run clockwise from the top by ``size`` (largest
    first), then label; labels sit outside the ring (see :func:`_ring_labels`)."""
    groups: dict[int, list[str]] = {}
    for n in g:
        groups.setdefault(g.nodes[n].get(group, 0), []).append(n)
    columns = math.ceil(math.sqrt(len(groups)))
    pos = {}
    for i, key in enumerate(sorted(groups)):
        nodes = sorted(groups[key], key=lambda n: (-g.nodes[n].get(size, 0), g.nodes[n]["label"]))
        cx, cy = 3.0 * (i % columns), -3.0 * (i // columns)
        radius = 0.35 + 0.05 * len(nodes) if len(nodes) > 1 else 0.0
        for k, n in enumerate(nodes):
            angle = math.pi / 2 - 2 * math.pi * k / len(nodes)
            pos[n] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return pos


def network_chart(
    g: nx.Graph,
    title: str,
    seed: int,
    size: str,
    colour: Callable[[str], str] | None = None,
    legend: list[tuple[str, str]] | None = None,
    min_weight: int = 1,
    group: str | None = None,
) -> Figure:
    """A weighted network: node area by the node attribute ``size``, edge width by
    ``weight``; edges lighter than ``min_weight`` are drawn faintly, so the strong ties
    stand out. Laid out by a seeded spring layout, or, given ``group``, one ring per
    group (:func:`grouped_layout`)."""
    fig = Figure(figsize=(11, 9.5) if group else (9, 7.5), layout="constrained")
    if not len(g):
        return _empty(fig, f"{title}: nothing to draw.")
    ax = fig.add_subplot()
    ax.axis("off")
    ax.set_title(title)
    if group:
        pos = grouped_layout(g, group, size)
    else:
        pos = nx.spring_layout(g, seed=seed, weight="weight", k=2.2 / max(len(g), 1) ** 0.5)
    sizes = [g.nodes[n].get(size, 1) for n in g]
    biggest = max(sizes) or 1
    weights = [w for _, _, w in g.edges(data="weight", default=1)]
    heaviest = max(weights, default=1)
    faint = [(a, b) for a, b, w in g.edges(data="weight", default=1) if w < min_weight]
    strong = [(a, b) for a, b, w in g.edges(data="weight", default=1) if w >= min_weight]
    nx.draw_networkx_edges(g, pos, edgelist=faint, ax=ax, width=0.4, alpha=0.12)
    nx.draw_networkx_edges(
        g,
        pos,
        edgelist=strong,
        ax=ax,
        width=[0.6 + 4.5 * g[a][b].get("weight", 1) / heaviest for a, b in strong],
        alpha=0.45,
        edge_color="#555555",
    )
    nx.draw_networkx_nodes(
        g,
        pos,
        ax=ax,
        node_size=[80 + 900 * s / biggest for s in sizes],
        node_color=[colour(n) if colour else "#56B4E9" for n in g],
        edgecolors="white",
        linewidths=0.8,
    )
    if group:
        _ring_labels(ax, g, pos, group)
    else:
        for n in g:
            _node_label(ax, g.nodes[n]["label"], pos[n], 9, 7.5, boxed=True)
    if legend:
        ax.legend(
            handles=[Patch(color=c, label=text) for text, c in legend],
            loc="lower left",
            fontsize=7.5,
            frameon=False,
        )
    ax.margins(0.08)
    return fig


def _ring_labels(ax, g: nx.Graph, pos: dict, group: str) -> None:
    """Each label just outside its ring, pointing away from the ring's centre."""
    centres: dict[int, list[tuple[float, float]]] = {}
    for n in g:
        centres.setdefault(g.nodes[n].get(group, 0), []).append(pos[n])
    middle = {
        k: (sum(x for x, _ in ps) / len(ps), sum(y for _, y in ps) / len(ps))
        for k, ps in centres.items()
    }
    for n in g:
        x, y = pos[n]
        cx, cy = middle[g.nodes[n].get(group, 0)]
        angle = math.atan2(y - cy, x - cx) if (x, y) != (cx, cy) else math.pi / 2
        dx, dy = math.cos(angle), math.sin(angle)
        ax.annotate(
            g.nodes[n]["label"],
            (x, y),
            xytext=(14 * dx, 12 * dy),
            textcoords="offset points",
            ha="left" if dx > 0.25 else "right" if dx < -0.25 else "center",
            va="bottom" if dy > 0.25 else "top" if dy < -0.25 else "center",
            fontsize=7.5,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
        )


def heatmap(matrix: Matrix, title: str, xlabel: str, ylabel: str = "") -> Figure:
    """Counts as a heat map, each non-empty cell labelled with its count."""
    rows, cols = len(matrix.rows), len(matrix.columns)
    longest = max((len(_short(r, 60)) for r in matrix.row_labels), default=0)
    width = max(6.5, 1.2 + 0.068 * longest + 0.45 * cols, 0.1 * len(title))
    fig = Figure(figsize=(width, max(2.6, 1.6 + 0.3 * rows)), layout="constrained")
    if not rows or not cols:
        return _empty(fig, f"{title}: nothing to draw.")
    ax = fig.add_subplot()
    values = [list(r) for r in matrix.values]
    peak = max(max(r) for r in values) or 1
    ax.imshow(values, cmap="Blues", aspect="auto", vmin=0, vmax=peak, interpolation="nearest")
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if v:
                ax.text(
                    j,
                    i,
                    str(v),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v > peak * 0.55 else "black",
                )
    ax.set_xticks(range(cols), [_short(c, 28) for c in matrix.column_labels])
    rotate = cols > 8 or max(len(c) for c in matrix.column_labels) > 6
    if rotate:
        ax.tick_params(axis="x", labelrotation=55)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")
    ax.set_yticks(range(rows), [_short(r, 60) for r in matrix.row_labels])
    ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.spines[:].set_visible(False)
    return fig


def action_bars(matrix: Matrix, title: str) -> Figure:
    """Stacked horizontal bars: each row's units by action category, as shares of 100 %,
    with the count written in every segment wide enough to hold it."""
    rows = len(matrix.rows)
    fig = Figure(figsize=(9, 1.6 + 0.45 * max(rows, 2)), layout="constrained")
    if not rows:
        return _empty(fig, f"{title}: nothing to draw.")
    ax = fig.add_subplot()
    labels = [_short(r, 60) for r in matrix.row_labels]
    left = [0.0] * rows
    for j, column in enumerate(matrix.columns):
        category = int(column)
        shares = [100 * row[j] / (sum(row) or 1) for row in matrix.values]
        ax.barh(
            range(rows),
            shares,
            left=left,
            color=ACTION_COLOURS[category],
            label=ACTIONS[category],
            edgecolor="white",
        )
        for i, share in enumerate(shares):
            if share >= 6:
                ax.text(
                    left[i] + share / 2,
                    i,
                    str(matrix.values[i][j]),
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color="white" if category >= 3 else "black",
                )
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.set_yticks(
        range(rows), [f"{lab} ({sum(r)})" for lab, r in zip(labels, matrix.values, strict=True)]
    )
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of units (%); numbers are units")
    ax.set_title(title)
    fig.legend(ncols=5, loc="outside lower center", frameon=False, fontsize=8)
    return fig


def _arc(relation: str, a: tuple[float, float], b: tuple[float, float]) -> float:
    """The relation's curvature, flattened for arrows spanning many years (arc3's bulge
    grows with the arrow's length)."""
    span = max(abs(a[0] - b[0]), 1.0)
    return round(ARCS.get(relation, 0.25) * min(1.0, 1.5 / span), 3)


def lineage_chart(g: nx.MultiDiGraph, title: str, max_rows: int = 40) -> Figure:
    """Linked units over the years: one row per chain of links (a weakly connected
    component), each unit at its year, an arrow from the later unit to the one it
    repeats or refers to, coloured by relation. Working Group meetings are named on
    the year axis."""
    chains = sorted(
        (
            sorted(c, key=lambda n: (g.nodes[n].get("year", 0), g.nodes[n]["order"]))
            for c in nx.weakly_connected_components(g)
        ),
        key=lambda c: (
            g.nodes[c[0]].get("year", 0),
            g.nodes[c[0]]["document"],
            g.nodes[c[0]]["order"],
        ),
    )
    shown = chains[:max_rows]
    fig = Figure(figsize=(10, 1.8 + 0.42 * max(len(shown), 2)), layout="constrained")
    if not shown:
        return _empty(fig, f"{title}: no links in the graph.")
    ax = fig.add_subplot()
    pos: dict[str, tuple[float, float]] = {}
    for row, chain in enumerate(shown):
        by_year: dict[int, list[str]] = {}
        for n in chain:
            by_year.setdefault(g.nodes[n].get("year", 0), []).append(n)
        for year, nodes in by_year.items():
            for k, n in enumerate(nodes):
                pos[n] = (year + 0.28 * (k - (len(nodes) - 1) / 2), row)
    drawn = [n for n in g if n in pos]
    for a, b, relation in g.edges(keys=True):
        if a in pos and b in pos:
            ax.annotate(
                "",
                xy=pos[b],
                xytext=pos[a],
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": RELATION_COLOURS.get(relation, "#7f7f7f"),
                    "lw": 1.4,
                    "shrinkA": 5,
                    "shrinkB": 5,
                    "connectionstyle": f"arc3,rad={_arc(relation, pos[a], pos[b])}",
                },
            )
    ax.scatter(
        [pos[n][0] for n in drawn], [pos[n][1] for n in drawn], s=28, color="#333333", zorder=3
    )
    for n in drawn:
        _node_label(ax, g.nodes[n]["label"], pos[n], 6, 7)
    years = sorted({g.nodes[n].get("year", 0) for n in drawn})
    meetings: dict[int, set[int]] = {}
    for n in drawn:
        if "meeting" in g.nodes[n]:
            meetings.setdefault(g.nodes[n]["year"], set()).add(g.nodes[n]["meeting"])
    ticks = [
        f"{y}\nWG {', '.join(map(str, sorted(meetings[y])))}" if y in meetings else str(y)
        for y in years
    ]
    ax.set_xticks(years, ticks)
    ax.set_xlim(min(years) - 0.8, max(years) + 0.8)
    ax.set_ylim(len(shown) - 0.4, -0.7)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("year adopted (Working Group meeting)")
    more = f" (first {len(shown)} of {len(chains)} chains)" if len(chains) > len(shown) else ""
    ax.set_title(title + more)
    present = sorted({k for _, _, k in g.edges(keys=True)}, key=list(RELATION_COLOURS).index)
    fig.legend(
        handles=[Line2D([0], [0], color=RELATION_COLOURS[r], lw=2, label=r) for r in present],
        loc="outside lower center",
        ncols=4,
        frameon=False,
    )
    return fig


def _node_label(ax, label: str, at, above: float, size: float, boxed: bool = False) -> None:
    """A node's label centred ``above`` points over it (on a white box if ``boxed``)."""
    box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75}
    ax.annotate(
        label,
        at,
        xytext=(0, above),
        textcoords="offset points",
        ha="center",
        fontsize=size,
        **({"bbox": box} if boxed else {}),
    )
