"""`palermo push` against a real Oxigraph server behind a proxy that fails on purpose: a store
that is down, slow, refuses (401, 403), fails (500), or drops the connection while the request
is sent or before it answers. Each time: one clear line naming the endpoint and what to do,
exit 1, no traceback, the password nowhere in the output, and the named graph on the store
fully the old one or fully the new one (read back from the server itself).
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest

from graph import remote
from graph.serve import Server, free_port
from tests.support.faulty_proxy import FaultyProxy

PALERMO = shutil.which("palermo")
pytestmark = pytest.mark.skipif(PALERMO is None, reason="palermo is not installed")
GRAPH = "https://w3id.org/palermo/graph/all"
USER, PASSWORD = "analyst", "Pa55-VISIBLE-w0rd"
TOKEN = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


def ntriples(n: int, tag: str) -> str:
    """``n`` triples, literals with quotes, braces and keywords that must stay literals."""
    return "".join(
        f'<http://example.org/{tag}/{i}> <http://example.org/p> "{tag} {i} \\" }} DROP ALL" .\n'
        for i in range(n)
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("push")
    out = {"old": root / "old.nt", "new": root / "new.nt"}
    out["old"].write_text(ntriples(3, "old"), encoding="utf-8")
    out["new"].write_text(ntriples(4000, "new"), encoding="utf-8")  # about 400 kB
    return out


@pytest.fixture(scope="module")
def store():
    with Server(None, writable=True) as server:
        yield server


def triples_on(store: Server) -> set[pyoxigraph.Triple]:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(
        store.url + "/query",
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    data = urllib.request.urlopen(request, timeout=30).read()
    return set(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES))


def triples_of(path: Path) -> set[pyoxigraph.Triple]:
    return set(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES))


def state(store: Server, files) -> str:
    found = triples_on(store)
    return next(name for name, path in files.items() if triples_of(path) == found)


def push(update_url: str, path: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PALERMO, "push", "--graph", str(path), "--update-endpoint", update_url, *extra],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),  # no ~/.netrc of the machine's
            "LANG": "C.UTF-8",
            "COLUMNS": "80",
            "PALERMO_SPARQL_USER": USER,
            "PALERMO_SPARQL_PASSWORD": PASSWORD,
        },
    )


@pytest.fixture()
def old_on_store(store, files):
    remote.update(
        store.url + "/update", remote.replace_graph_request(GRAPH, files["old"].read_text())
    )
    assert triples_on(store) == triples_of(files["old"])
    return store


def assert_clean_failure(result: subprocess.CompletedProcess, endpoint: str, *says: str) -> str:
    assert result.returncode == 1, result.stderr
    output = result.stdout + result.stderr
    assert PASSWORD not in output and TOKEN not in output
    assert "Traceback" not in output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one line, however long
    assert lines[0].startswith("error: ") and endpoint in lines[0]
    for text in says:
        assert text in lines[0], lines[0]
    return lines[0]


#: mode of the proxy for /update and /query -> (what the message says, state of the graph)
CASES = {
    "401": (
        {"/update": "401"},
        ("HTTP 401", "PALERMO_SPARQL_USER", "~/.netrc", "is unchanged"),
        "old",
    ),
    "403": ({"/update": "403"}, ("HTTP 403", "not accepted", "PALERMO_SPARQL_PASSWORD"), "old"),
    "500": ({"/update": "500"}, ("HTTP 500", "check its logs", "either the old or the new"), "old"),
    "drop-request": (
        {"/update": "drop-request"},
        # the client cannot tell how much of the request the server read: it says so
        ("closed the connection before answering, 3 times", "may still have been applied"),
        "old",
    ),
    "drop-response": (
        {"/update": "drop-response"},
        ("closed the connection before answering", "may still have been applied"),
        "new",
    ),
    "verify-fails": (
        {"/query": "500"},
        ("accepted the update", "should hold the new graph", "could not be counted"),
        "new",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_failing_store_gets_a_clear_message_and_the_old_or_new_graph(
    case, old_on_store, files, tmp_path
) -> None:
    modes, says, expected = CASES[case]
    with FaultyProxy(old_on_store.url) as proxy:
        proxy.modes = modes
        result = push(proxy.url + "/update", files["new"], tmp_path)
        proxy.wait_idle()
    assert_clean_failure(result, proxy.url, *says)
    assert state(old_on_store, files) == expected
    sent = {auth for _, _, auth in proxy.seen}
    assert sent == {f"Basic {TOKEN}"}  # the credentials went to the store, not to the screen


def test_a_store_that_is_down(old_on_store, files, tmp_path) -> None:
    url = f"http://127.0.0.1:{free_port()}/update"
    result = push(url, files["new"], tmp_path)
    assert_clean_failure(
        result, url, "cannot reach", "after 3 tries", "is the store up", "is unchanged"
    )
    assert state(old_on_store, files) == "old"


def test_a_slow_store_times_out_without_hanging(old_on_store, files, tmp_path) -> None:
    with FaultyProxy(old_on_store.url, mode="slow", delay=4) as proxy:
        result = push(proxy.url + "/update", files["new"], tmp_path, "--timeout", "1")
        assert state(old_on_store, files) == "old"  # the proxy still holds the request
        proxy.wait_idle()
    line = assert_clean_failure(
        result, proxy.url, "did not answer within 1 s", "--timeout", "may still have been applied"
    )
    assert len(proxy.seen) == 1, line  # a timeout is not retried
    assert state(old_on_store, files) == "new"  # the store applied it later, in full


def test_a_healthy_proxy_pushes_the_new_graph(old_on_store, files, tmp_path) -> None:
    with FaultyProxy(old_on_store.url) as proxy:
        result = push(proxy.url + "/update", files["new"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "holds 4000 triples" in result.stderr
    assert state(old_on_store, files) == "new"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://analyst:Pa55-VISIBLE-w0rd@127.0.0.1:9/update", "carries a user name or password"),
        ("ftp://127.0.0.1/update", "not an http(s) SPARQL endpoint"),
        ("http://127.0.0.1:9/up date", "spaces or control characters"),
    ],
)
def test_endpoint_urls_that_are_refused_before_anything_is_sent(files, tmp_path, url, says) -> None:
    result = push(url, files["new"], tmp_path)
    assert result.returncode == 1 and says in result.stderr
    assert PASSWORD not in result.stderr + result.stdout
