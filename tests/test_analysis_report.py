"""``palermo analyse`` on the seeds: known facts, files, determinism, GraphML round trips.

The facts are checked against what was read from the texts by hand, not against the
code's own output: tests/data/article_citations.tsv lists every article citation in
the seeds (27), so the number of units citing each article is counted from it here.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from PIL import Image

from graph import cli
from graph import query as saved
from graph.analysis import measures, projections
from graph.analysis.analyse import REPORT_HTML, REPORT_MD, networks
from graph.analysis.corpus import Corpus, read
from graph.analysis.settings import load
from graph.export import NTRIPLES, ntriples
from graph.store import open_store

DATA = Path(__file__).parent / "data"
PALERMO = shutil.which("palermo")
FIGURES = (
    "figure-most-cited",
    "figure-cocitation",
    "figure-themes",
    "figure-themes-by-year",
    "figure-themes-by-meeting",
    "figure-body-actions",
    "figure-body-verbs",
    "figure-addressee-actions",
    "figure-addressee-themes",
    "figure-lineage",
)


@pytest.fixture(scope="session")
def seed_build(seed_graph, tmp_path_factory) -> Path:
    """A build folder holding the seeds' graph (N-Triples is all open_store needs)."""
    out = tmp_path_factory.mktemp("analysis-build")
    (out / NTRIPLES).write_bytes(ntriples(seed_graph))
    return out


@pytest.fixture(scope="session")
def seeds(seed_build) -> Corpus:
    return read(open_store(seed_build))


def tsv_units_per_article() -> dict[str, set[tuple[str, str]]]:
    """(file, unit) pairs citing each article, from the hand-made fixture."""
    units: dict[str, set[tuple[str, str]]] = defaultdict(set)
    with (DATA / "article_citations.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            units[f"{row['instrument']} {row['article']}"].add((row["file"], row["unit"]))
    return units


def test_tip_article_6_is_the_most_cited_article(seeds):
    expected = tsv_units_per_article()
    assert len(expected["TIP 6"]) == 6  # 2/5, 4/46(c), 4/46(d), 4/46(i), 7/1(d), OP 9(c)
    assert max(len(v) for k, v in expected.items() if k != "TIP 6") < 6
    ranked = measures.most_cited(projections.citation_graph(seeds, level="article"))
    assert (ranked[0].label, ranked[0].count) == ("TIP 6", 6)
    assert sorted(seeds.units[u].label for u in ranked[0].units) == sorted(
        unit for _, unit in expected["TIP 6"]
    )
    # every article's count agrees with the texts
    assert {r.label: r.count for r in ranked} == {k: len(v) for k, v in expected.items()}


def test_never_cited_articles_of_tip(seeds, seed_build):
    never = [p.number for p in measures.never_cited(seeds)["TIP"]]
    cited = {int(k.split()[1]) for k in tsv_units_per_article() if k.startswith("TIP ")}
    assert cited == {2, 3, 6, 8, 9, 12}
    assert 6 not in never and 5 in never  # TIP 5 (criminalization) is never cited
    assert never == [n for n in range(1, 21) if n not in cited]
    # the saved query uncited-provisions (any eli:cites) agrees
    _, rows = saved.run(
        saved.load("uncited-provisions"), open_store(seed_build), {"instrument": "TIP"}
    )
    assert [int(r[1]) for r in rows] == never


def test_seed_communities_partition_the_themes(seeds):
    g = projections.theme_graph(seeds)
    found = measures.theme_communities(g, seeds, load())
    members = [t for c in found for t in c.themes]
    assert sorted(members) == sorted(g.nodes) and len(members) == len(set(members))
    assert len(found) >= 2
    again = measures.theme_communities(projections.theme_graph(seeds), seeds, load())
    assert [c.themes for c in again] == [c.themes for c in found]


def test_seed_links_in_the_lineage(seeds):
    g = projections.lineage_graph(seeds)
    edges = {(g.nodes[a]["label"], k, g.nodes[b]["label"]) for a, b, k in g.edges(keys=True)}
    assert ("2/43", "reiterates", "1/11") in edges and ("2/43", "refers-to", "1/11") in edges
    assert ("7/1(f)", "reiterates", "4/24") in edges


def test_analysis_queries_are_not_listed_as_saved_queries():
    names = {q.name for q in saved.saved_queries()}
    assert not names & {"units", "unit-themes", "unit-citations", "concepts"}


# --- GraphML ----------------------------------------------------------------------------------


def _edge_set(g: nx.Graph) -> set:
    if g.is_multigraph():
        return {(a, b, k, tuple(sorted(d.items()))) for a, b, k, d in g.edges(keys=True, data=True)}
    if g.is_directed():
        return {(a, b, tuple(sorted(d.items()))) for a, b, d in g.edges(data=True)}
    return {(frozenset((a, b)), tuple(sorted(d.items()))) for a, b, d in g.edges(data=True)}


@pytest.fixture(scope="session")
def analysed(seed_build, tmp_path_factory) -> Path:
    """`palermo analyse` run as a user runs it (a separate process)."""
    if PALERMO is None:
        pytest.skip("palermo is not installed (pip install -e .)")
    report = tmp_path_factory.mktemp("analysis") / "report"
    env = dict(os.environ, LANG="C.UTF-8", COLUMNS="200")
    result = subprocess.run(
        [PALERMO, "analyse", "--graph", str(seed_build), "--report", str(report)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stderr
    return report


def test_graphml_reads_back_unchanged(seeds, analysed):
    for name, g in networks(seeds).items():
        back = nx.read_graphml(
            analysed / f"network-{name}.graphml",
            force_multigraph=g.is_multigraph(),
            edge_key_type=str,
        )
        assert back.is_directed() == g.is_directed(), name
        assert dict(back.nodes(data=True)) == dict(g.nodes(data=True)), name
        assert _edge_set(back) == _edge_set(g), name
        assert back.graph["name"] == g.name
        assert len(g) > 0, name


# --- the command -----------------------------------------------------------------------------


def test_analyse_writes_every_file(analysed):
    names = sorted(p.name for p in analysed.iterdir())
    expected = sorted(
        [".palermo-build", REPORT_MD, REPORT_HTML]  # the marker: Palermo owns the folder
        + [f"{f}.{ext}" for f in FIGURES for ext in ("png", "svg")]
        + [f"network-{n}.graphml" for n in networks(Corpus())]
    )
    assert names == expected


def test_two_runs_are_byte_identical(analysed, seed_build, tmp_path):
    """A second run, in this process (another hash seed than the first's): same bytes."""
    again = tmp_path / "again"
    assert cli.main(["analyse", "--graph", str(seed_build), "--report", str(again)]) == 0
    for path in sorted(analysed.iterdir()):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_figures_open_and_are_readable(analysed):
    for name in FIGURES:
        with Image.open(analysed / f"{name}.png") as image:
            image.verify()
        with Image.open(analysed / f"{name}.png") as image:
            width, height = image.size
            assert width >= 600 and height >= 200, name
            shades = sum(1 for count in image.convert("L").histogram() if count)
            assert shades > 8, f"{name} looks blank"
        root = ET.parse(analysed / f"{name}.svg").getroot()
        assert root.tag.endswith("svg")
        svg = (analysed / f"{name}.svg").read_text(encoding="utf-8")
        assert "<dc:date>" not in svg


def test_report_names_findings_and_units(analysed):
    md = (analysed / REPORT_MD).read_text(encoding="utf-8")
    assert "The most cited article is TIP 6" in md
    assert (
        "| 1 | TIP 6 | Assistance to and protection of victims of trafficking in persons | 6 | "
        "cop-11-resolution-tip: OP 9(c); ctoc-cop-wg4-2019-5: 2/5, 4/46(c), 4/46(d), "
        "4/46(i), 7/1(d) |" in md
    )
    for heading in (
        "## Most cited provisions",
        "## Strongest and weakest asks",
        "## Theme communities",
        "## Repeated recommendations",
        "## Provisions never cited",
        "## What each addressee is asked most",
        "## Themes per year and meeting",
        "## Verb and action profile per body",
    ):
        assert heading in md
    assert load().precision in md
    assert "| reiterates | ctoc-cop-wg4-2019-5 7/1(f) | 2017 (WG 7) |" in md
    assert "| TIP | 20 | 14 | 1, 4–5, 7, 10–11, 13–20 |" in md
    for name in FIGURES:
        assert f"]({name}.png)" in md


def test_html_is_self_contained(analysed):
    text = (analysed / REPORT_HTML).read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<style>" in text
    assert text.count("data:image/png;base64,") == len(FIGURES)
    assert "<script" not in text and 'src="http' not in text and "<link" not in text
    assert '<span dir="rtl" lang="ar">' in text
    # every text is escaped: the data brings no tags of its own
    tags = Tags()
    tags.feed(text)
    assert tags.seen <= ALLOWED_TAGS, tags.seen - ALLOWED_TAGS


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "nav", "a", "table",
    "caption", "tr", "th", "td", "span", "figure", "img", "figcaption",
}  # fmt: skip


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        self.seen.add(tag)


def test_missing_graph_exits_2_and_writes_nothing(tmp_path, capsys):
    report = tmp_path / "report"
    code = cli.main(["analyse", "--graph", str(tmp_path / "nothing-here"), "--report", str(report)])
    assert code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "no build output" in err and "palermo build" in err and "nothing written" in err
    assert not report.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["analyse", "--graph", str(empty), "--report", str(report)]) == 2
    assert "holds no palermo.nt" in " ".join(capsys.readouterr().err.split())
    assert not report.exists()


def test_a_file_that_is_not_rdf_exits_2(tmp_path, capsys):
    bad = tmp_path / "graph.ttl"
    bad.write_text("this is not turtle <<<", encoding="utf-8")
    report = tmp_path / "report"
    assert cli.main(["analyse", "--graph", str(bad), "--report", str(report)]) == 2
    assert "could not be read" in " ".join(capsys.readouterr().err.split())
    assert not report.exists()


def test_graphml_bytes_are_valid_xml(analysed):
    for path in sorted(analysed.glob("*.graphml")):
        ET.parse(io.BytesIO(path.read_bytes()))
