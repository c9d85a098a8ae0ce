"""Exports parse to the same triples with independent parsers; the graph goes into a real
Oxigraph server and comes back the same; stores that fail are reported clearly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from graph.serve import Server, free_port
from tests.conftest import SEEDS

PALERMO = shutil.which("palermo")
pytestmark = pytest.mark.skipif(PALERMO is None, reason="palermo is not installed")
NAMED = "https://w3id.org/palermo/graph/all"


def palermo(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PALERMO, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "COLUMNS": "200", **(env or {})},
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exports") / "out"
    result = palermo("build", "--seeds", str(SEEDS), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def reference(built: Path) -> Graph:
    return Graph().parse(built / "palermo.nt", format="nt")


@pytest.mark.parametrize(
    ("name", "fmt"), [("palermo.ttl", "turtle"), ("palermo.jsonld", "json-ld")]
)
def test_rdflib_reads_every_export_as_the_same_graph(built, reference, name, fmt) -> None:
    assert isomorphic(Graph().parse(built / name, format=fmt), reference)


def test_trig_holds_one_named_graph_per_document_and_the_vocabulary(built, reference) -> None:
    dataset = Dataset()
    dataset.parse(built / "palermo.trig", format="trig")
    names = sorted(str(c.identifier).rsplit("graph/", 1)[-1] for c in dataset.graphs() if len(c))
    assert names == [
        "doc/cop-11-resolution-tip",
        "doc/cop-decision-3-3",
        "doc/ctoc-cop-wg4-2019-5",
        "doc/ga-79-c3-trafficking-women-girls-draft",
        "doc/wg-tip-2019-draft-report",
        "entities",
        "ontology",
        "schemes",
    ]
    union = Graph()
    for s_, p, o, _g in dataset.quads((None, None, None, None)):
        union.add((s_, p, o))
    assert isomorphic(union, reference)


def test_oxigraph_reads_every_rdf_export_to_the_same_triples(built) -> None:
    def triples(name: str, fmt) -> set[tuple[str, str, str]]:
        quads = pyoxigraph.parse(path=str(built / name), format=fmt)
        return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}

    expected = triples("palermo.nt", pyoxigraph.RdfFormat.N_TRIPLES)
    assert len(expected) > 20_000
    for name, fmt in (
        ("palermo.ttl", pyoxigraph.RdfFormat.TURTLE),
        ("palermo.trig", pyoxigraph.RdfFormat.TRIG),
        ("palermo.jsonld", pyoxigraph.RdfFormat.JSON_LD),
    ):
        assert triples(name, fmt) == expected, name


def test_pyld_reads_the_jsonld_as_the_same_graph(built, reference) -> None:
    from pyld import jsonld

    doc = json.loads((built / "palermo.jsonld").read_text("utf-8"))
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert isomorphic(Graph().parse(data=nquads, format="nquads"), reference)


def test_jsonld_reads_as_plain_json(built) -> None:
    doc = json.loads((built / "palermo.jsonld").read_text("utf-8"))
    unit = next(
        n
        for n in doc["@graph"]
        if n["id"] == "https://w3id.org/palermo/doc/cop-decision-3-3/para_b"
    )
    assert unit["label"] == "OP (b)" and unit["action"] == 5 and unit["order"] == 4
    assert unit["verb"] == "https://w3id.org/palermo/verb/urges"
    assert unit["text"].startswith("يحثّ الدول الأطراف")
    context = json.loads((built / "context.jsonld").read_text("utf-8"))
    assert context["@context"] == doc["@context"]


def test_export_command_writes_each_format(built, tmp_path) -> None:
    for fmt in ("nt", "ttl", "trig", "jsonld", "csv"):
        target = tmp_path / f"x.{fmt}"
        result = palermo("export", "--format", fmt, "--graph", str(built), "--out", str(target))
        assert result.returncode == 0, result.stderr
        assert target.stat().st_size > 1000
    from_file = palermo("export", "--format", "ttl", "--graph", str(built / "palermo.nt"))
    assert from_file.returncode == 0
    assert isomorphic(
        Graph().parse(data=from_file.stdout, format="turtle"), Graph().parse(built / "palermo.nt")
    )


@pytest.fixture()
def oxigraph():
    with Server(None, writable=True) as server:
        yield server


def test_push_then_query_the_endpoint_gives_the_same_rows(built, oxigraph) -> None:
    pushed = palermo(
        "push",
        "--graph",
        str(built),
        "--update-endpoint",
        oxigraph.url + "/update",
        "--query-endpoint",
        oxigraph.url + "/query",
    )
    assert pushed.returncode == 0, pushed.stderr
    lines = [ln for ln in (built / "palermo.nt").read_text("utf-8").splitlines() if ln]
    assert f"holds {len(lines)} triples" in pushed.stderr
    for name in ("recommendations", "article-citations", "links"):
        remote = palermo(
            "query",
            name,
            "--endpoint",
            oxigraph.url + "/query",
            "--named-graph",
            NAMED,
            "--format",
            "csv",
        )
        local = palermo("query", name, "--graph", str(built), "--format", "csv")
        assert remote.returncode == 0, remote.stderr
        assert remote.stdout == local.stdout, name
    bound = palermo(
        "query",
        "recommendations",
        "--endpoint",
        oxigraph.url + "/query",
        "--named-graph",
        NAMED,
        "--format",
        "json",
        "--param",
        'document=cop-decision-3-3" } UNION { ?u ?p ?text }',
    )
    assert json.loads(bound.stdout) == []


def test_push_replaces_the_named_graph_and_keeps_others(built, oxigraph, tmp_path) -> None:
    small = tmp_path / "small.nt"
    small.write_text('<http://example.org/a> <http://example.org/p> "x" .\n', encoding="utf-8")
    other = "http://example.org/other"
    assert (
        palermo(
            "push",
            "--graph",
            str(small),
            "--update-endpoint",
            oxigraph.url + "/update",
            "--query-endpoint",
            oxigraph.url + "/query",
            "--named-graph",
            other,
        ).returncode
        == 0
    )
    for _ in range(2):  # pushing twice replaces, never appends
        assert (
            palermo(
                "push", "--graph", str(built), "--update-endpoint", oxigraph.url + "/update"
            ).returncode
            == 0
        )
    from graph.remote import count

    lines = sum(1 for ln in (built / "palermo.nt").read_text("utf-8").splitlines() if ln)
    assert count(oxigraph.url + "/query", NAMED) == lines
    assert count(oxigraph.url + "/query", other) == 1


def test_store_down_is_a_clear_failure(built) -> None:
    url = f"http://127.0.0.1:{free_port()}/update"
    result = palermo(
        "push",
        "--graph",
        str(built),
        "--update-endpoint",
        url,
        "--timeout",
        "2",
        env={"PALERMO_SPARQL_USER": "analyst", "PALERMO_SPARQL_PASSWORD": "s3cret!"},
    )
    assert result.returncode == 1
    text = " ".join(result.stderr.split())
    assert "cannot reach" in text and "is the store up" in text
    assert "s3cret!" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_store_error_answer_is_reported(built, oxigraph) -> None:
    result = palermo("push", "--graph", str(built), "--update-endpoint", oxigraph.url + "/nowhere")
    assert result.returncode == 1
    assert "answered" in " ".join(result.stderr.split())
    bad_graph = palermo(
        "push",
        "--graph",
        str(built),
        "--update-endpoint",
        oxigraph.url + "/update",
        "--named-graph",
        "http://x/> } ; DROP ALL ; {",
    )
    assert bad_graph.returncode == 1
    assert "not a usable named graph IRI" in " ".join(bad_graph.stderr.split())


def test_serve_answers_queries_and_serves_its_query_page(built) -> None:
    port = free_port()
    process = subprocess.Popen(
        [PALERMO, "serve", "--graph", str(built), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = ""
        while "SPARQL endpoint" not in line:
            line = process.stderr.readline()
            assert line or process.poll() is None, "palermo serve stopped"
        url = f"http://127.0.0.1:{port}"
        page = urllib.request.urlopen(url + "/", timeout=10).read().decode()
        assert "yasgui" in page.lower()
        assert urllib.request.urlopen(url + "/yasgui.min.js", timeout=10).status == 200
        rows = palermo("query", "links", "--endpoint", url + "/query", "--format", "json")
        assert (
            len(json.loads(rows.stdout)) == 12
        )  # 6 refers-to, 2 reiterates, 1 identical, 3 near-duplicate
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        if browser:
            shot = Path(str(built.parent / "page.png"))
            subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    f"--user-data-dir={built.parent / 'chrome'}",
                    "--virtual-time-budget=5000",
                    f"--screenshot={shot}",
                    "--window-size=1200,800",
                    url + "/",
                ],
                capture_output=True,
                timeout=120,
            )
            dom = subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    f"--user-data-dir={built.parent / 'chrome2'}",
                    "--virtual-time-budget=5000",
                    "--dump-dom",
                    url + "/",
                ],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert shot.exists() and shot.stat().st_size > 10_000
            assert "yasqe" in dom.stdout.lower() or "yasgui" in dom.stdout.lower()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_queries_read_every_export_the_same(built) -> None:
    """A query over any export (named graphs of the TriG included) gives the build's rows."""
    folder = palermo("query", "recommendations", "--graph", str(built), "--format", "csv")
    assert len(folder.stdout.splitlines()) == 495
    for name in ("palermo.ttl", "palermo.trig", "palermo.jsonld"):
        rows = palermo("query", "recommendations", "--graph", str(built / name), "--format", "csv")
        assert rows.stdout == folder.stdout, name


def test_a_killed_servers_store_is_removed_by_the_next(tmp_path, monkeypatch) -> None:
    """A server's temporary store is named for its process; the next server removes
    those of processes that are gone (killed outright, they could not), and keeps
    those of live ones and folders that only look alike."""
    import subprocess
    import sys
    import tempfile

    from graph import serve

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = tmp_path / f"{serve.STORE_PREFIX}{gone.pid}-abc123"
    live = tmp_path / f"{serve.STORE_PREFIX}{os.getppid()}-abc123"
    other = tmp_path / f"{serve.STORE_PREFIX}abc123"  # made before the pid was in the name
    for folder in (dead, live, other):
        (folder / "store").mkdir(parents=True)
    with serve.Server(None, writable=True) as server:
        own = Path(server.dir)
        assert own.parent == tmp_path and own.name.startswith(f"{serve.STORE_PREFIX}{os.getpid()}-")
        assert not dead.exists() and live.exists() and other.exists()
    assert not own.exists()
