"""Hostile values change no query and no IRI: quotes, angle brackets, SPARQL keywords,
newlines, NUL, right-to-left marks and very long strings, given as query parameters,
provisions for `trace`, named graph IRIs, manifest fields and file names.

A value is either refused with a clear message (exit 2) or travels as one escaped term:
the query sent parses to the saved query plus one VALUES row holding exactly that value,
matches nothing, and leaves the store as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Literal, Variable
from rdflib.plugins.sparql.parser import parseQuery

from graph import query as saved
from graph import remote
from graph.build import build_graph
from graph.export import ntriples
from graph.iris import IRIError, check_graph_iri
from graph.serve import Server
from graph.sparql_text import selecting, trailing_order
from graph.store import store_from_ntriples
from loaders import LoadError, read_folder
from tests.conftest import SEEDS

PALERMO = shutil.which("palermo")
DECISION = "cop-3_decision-3-3_2006.ar.txt"

#: Accepted: they travel as literals and match nothing.
ACCEPTED = [
    'x" } ; DROP ALL ; { "',
    '" . } INSERT DATA { <http://e/a> <http://e/b> <http://e/c> } #',
    "} ; DROP ALL ; {",
    "<http://evil.example/>",
    "'single' \"double\" `back`",
    'x\\" } ; CLEAR DEFAULT ; {',
    "?document $kind # comment",
    "SERVICE <http://evil.example/sparql> { ?s ?p ?o }",
    "TIP\u200f 6(2)\u202e",
    "\u202ecop-decision-3-3",
    "a" * saved.MAX_VALUE,
]
#: Refused, with what the message says.
REFUSED = [
    ("line\nbreak } ; DROP ALL ; {", "U+000A"),
    ("nul\x00byte", "U+0000"),
    ("carriage\rreturn", "U+000D"),
    ("\\u0022 } DROP ALL {", "character escape"),
    ("x\\U0000003E", "character escape"),
    ("a" * 100_000, "100000 characters long"),
]


def parameters() -> list[tuple[str, str]]:
    return [(q.name, p.name) for q in saved.saved_queries() for p in q.params]


@pytest.fixture(scope="module")
def seed_nt(seed_graph) -> bytes:
    return ntriples(seed_graph)


def test_every_saved_query_has_parameters_to_attack() -> None:
    assert len(parameters()) == 18


def values_of(tree):
    """Remove and return the VALUES block a query was sent with: first in its outer WHERE
    group (graph.query.with_values), or trailing where that group cannot be found."""
    if "valuesClause" in tree:
        return tree.pop("valuesClause")
    first = tree["where"]["part"].pop(0)
    assert first.name == "InlineData", first.name
    return first


@pytest.mark.parametrize(("name", "param"), parameters())
def test_accepted_values_are_one_values_term_and_match_nothing(
    name, param, seed_nt, monkeypatch
) -> None:
    query = saved.load(name)
    store = store_from_ntriples(seed_nt)
    size = len(store)
    sent: list[str] = []
    real = saved.with_values
    monkeypatch.setattr(saved, "with_values", lambda t, b: sent.append(real(t, b)) or sent[-1])
    template = parseQuery(query.text)[1]
    if "sort" in saved._plan(query):  # sent with its ORDER BY keys selected, unsorted
        head, keys = trailing_order(query.text)
        template = parseQuery(selecting(head, [key for key, _ in keys])[0])[1]
    for value in ACCEPTED:
        bound = saved.bindings(query, {param: value})
        _, rows = saved.run(query, store, {param: value})
        assert rows == [], (name, param, value)
        text = sent[-1]
        if saved.planned(query) != query.text:  # LATERAL, which rdflib does not read
            block = saved.values_block(bound)
            assert text.replace(f"\n  {block}", "", 1) == saved.planned(query)
            text = f"SELECT * WHERE {{ {block} }}"
            template = parseQuery("SELECT * WHERE { VALUES ?x { 1 } }")[1]
            values_of(template)  # what is left: a query of nothing but the block
        tree = parseQuery(text)[1]
        values = values_of(tree)
        assert values["var"] == list(bound)
        [row] = values["value"]
        assert [term["string"] for term in row] == list(bound.values())
        assert bound[Variable(param)] == Literal(value)
        assert str(tree) == str(template)  # the rest of the query is the saved one
    assert len(store) == size


@pytest.mark.parametrize(("name", "param"), parameters())
def test_control_characters_and_huge_values_are_refused(name, param) -> None:
    query = saved.load(name)
    for value, says in REFUSED:
        with pytest.raises(saved.QueryError, match=re.escape(says)) as refused:
            saved.bindings(query, {param: value})
        assert f"--param {param}" in str(refused.value)
        assert len(str(refused.value)) < 300


@pytest.fixture(scope="module")
def endpoint(seed_nt, tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "seed.nt"
    path.write_bytes(seed_nt)
    with Server(None, writable=True) as server:
        graph = remote.DEFAULT_NAMED_GRAPH
        remote.update(server.url + "/update", remote.replace_graph_request(graph, seed_nt.decode()))
        yield server, graph


def test_values_sent_to_an_endpoint_match_nothing_and_change_nothing(endpoint) -> None:
    server, graph = endpoint
    before = remote.count(server.url + "/query", graph)
    assert before > 20_000
    target = saved.Endpoint(server.url + "/query", graph)
    for name in ("recommendations", "article-citations", "provision-trace", "links"):
        query = saved.load(name)
        for value in ACCEPTED:
            param = query.params[0].name
            assert saved.run(query, target, {param: value})[1] == [], (name, value)
    assert remote.count(server.url + "/query", graph) == before


HOSTILE_GRAPHS = [
    "http://x/> } ; DROP ALL ; {",
    'http://x/" . } INSERT DATA {',
    "http://x/a\nb",
    "http://x/\u202egraph",
    "http://x/\x00",
    "http://x/" + "a" * 100_000,
    "not an iri",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("iri", HOSTILE_GRAPHS)
def test_hostile_named_graphs_are_refused_for_query_and_push(iri, endpoint) -> None:
    server, graph = endpoint
    with pytest.raises(IRIError):
        check_graph_iri(iri)
    before = remote.count(server.url + "/query", graph)
    target = saved.Endpoint(server.url + "/query", iri)
    with pytest.raises(remote.RemoteError, match="not a usable named graph IRI"):
        saved.run(saved.load("links"), target)
    with pytest.raises(remote.RemoteError, match="not a usable named graph IRI"):
        remote.push("", server.url + "/update", server.url + "/query", iri, 0)
    assert remote.count(server.url + "/query", graph) == before


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PALERMO, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "COLUMNS": "200"},
    )


@pytest.mark.skipif(PALERMO is None, reason="palermo is not installed")
def test_trace_refuses_hostile_provisions_without_a_traceback(tmp_path, seed_nt) -> None:
    graph = tmp_path / "seed.nt"
    graph.write_bytes(seed_nt)
    for text in (
        'TIP 6(2)" } ; DROP ALL ; {',
        "TIP 6(2) } UNION { ?s ?p ?o",
        "<http://evil/> 6",
        "\u202eTIP 6(2)",
        "TIP 6(2)\nUNTOC 5",
        "TIP " + "6" * 100_000,
    ):  # (a NUL cannot be passed on a command line)
        result = run_cli("trace", text, "--graph", str(graph), "--format", "csv")
        assert result.returncode == 2, (text[:40], result.stdout[:200])
        assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
        assert "KEY ARTICLE(PARAGRAPH)(LETTER)" in " ".join(result.stderr.split())
        assert len(result.stderr) < 1000
    # a well-formed provision with a trailing newline is read as itself
    fine = run_cli("trace", "TIP 6(2)\n", "--graph", str(graph), "--format", "csv")
    assert fine.returncode == 0 and len(fine.stdout.splitlines()) > 1


@pytest.mark.skipif(PALERMO is None, reason="palermo is not installed")
def test_query_cli_refuses_a_control_character_and_a_hostile_named_graph(tmp_path, seed_nt):
    graph = tmp_path / "seed.nt"
    graph.write_bytes(seed_nt)
    result = run_cli("query", "links", "--param", "document=a\nb", "--graph", str(graph))
    assert result.returncode == 2 and "U+000A" in result.stderr
    result = run_cli(
        "query", "links", "--endpoint", "http://127.0.0.1:9/query", "--named-graph", "http://x/> }"
    )
    assert result.returncode == 2 and "not a usable named graph IRI" in result.stderr
    assert "Traceback" not in result.stderr


# --- manifest fields and file names ---------------------------------------------------------


def seeds_with(tmp_path: Path, manifest: str, names: tuple[str, ...] = (DECISION,)) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir(parents=True)
    for name in names:
        shutil.copy(SEEDS / DECISION, folder / name)
    (folder / "manifest.toml").write_text(manifest, encoding="utf-8")
    return folder


def toml_string(value: str) -> str:
    """A TOML basic string holding ``value`` exactly (control characters as escapes)."""
    out = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", out) + '"'


def entry(**fields: str) -> str:
    body = {"file": DECISION, "kind": "cop-decision", **fields}
    return "[[document]]\n" + "".join(f"{k} = {toml_string(v)}\n" for k, v in body.items())


def built(folder: Path) -> tuple[bytes, set]:
    docs, errors = read_folder(folder)
    assert not errors, [e.message for e in errors]
    nt = ntriples(build_graph(docs))
    return nt, set(pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_TRIPLES))


def shape(triples: set) -> list[tuple[str, str]]:
    """The graph with every literal blanked: what a value must not change."""
    return sorted(
        (str(t.subject), str(t.predicate))
        for t in triples
        if not isinstance(t.object, pyoxigraph.Literal)
    ) + sorted(str(t.predicate) for t in triples if isinstance(t.object, pyoxigraph.Literal))


def iris_of(triples: set) -> set[str]:
    nodes = [n for t in triples for n in (t.subject, t.predicate, t.object)]
    return {n.value for n in nodes if isinstance(n, pyoxigraph.NamedNode)}


LITERAL_VALUES = [v for v in ACCEPTED if len(v) < 200]


def test_hostile_titles_and_symbols_stay_literals(tmp_path) -> None:
    _, plain_triples = built(seeds_with(tmp_path / "a", entry(title_en="T", symbol="S")))
    for n, value in enumerate(LITERAL_VALUES):
        folder = seeds_with(tmp_path / str(n), entry(title_en=value, symbol=value))
        nt, triples = built(folder)
        assert nt.count(b"\n") == len(triples) == len(plain_triples)
        assert shape(triples) == shape(plain_triples)
        titles = [t.object.value for t in triples if t.predicate.value.endswith("#title")]
        assert value in titles


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"id": 'x" } ; DROP ALL ; {'}, "id = "),
        ({"id": "<http://evil/>"}, "id = "),
        ({"id": "ok\u202e"}, "id = "),
        ({"id": "a" * 100_000}, "id = "),
        ({"title_en": "two\nlines"}, "without U+000A"),
        ({"title_en": "nul\x00"}, "without U+0000"),
        ({"title_en": "a" * 100_000}, "1 to 2000 characters"),
        ({"symbol": "CTOC\r\nX"}, "without U+000D"),
        ({"date": "2006-10-18T00:00:00Z } ;"}, "an ISO date"),
        ({"decision": "3/3 } ; DROP ALL"}, 'a number such as "3/3"'),
        ({"language": "ar\u200f"}, "ISO 639-1"),
        ({"body": "WorkingGroup } ;"}, "one of: WorkingGroup"),
    ],
)
def test_hostile_manifest_values_are_refused_naming_the_entry(tmp_path, fields, says) -> None:
    with pytest.raises(LoadError) as refused:
        read_folder(seeds_with(tmp_path, entry(**fields)))
    message = refused.value.message
    assert "manifest.toml" in message and f"entry for {DECISION}" in message
    assert says in message and len(message) < 400


def test_a_manifest_file_field_that_is_a_path_is_refused(tmp_path) -> None:
    folder = seeds_with(tmp_path, '[[document]]\nfile = "../../etc/passwd"\n')
    with pytest.raises(LoadError, match="a file name, not a path"):
        read_folder(folder)


HOSTILE_FILE_NAMES = (
    'a"b<c>{d}|e^f`g.txt',
    "x\u202eevil\u200f.txt",
    "DROP ALL ; { ?s ?p ?o } .txt",
    "new\nline%20.txt",
)


def test_hostile_file_names_give_escaped_iris_and_literals(tmp_path) -> None:
    folder = seeds_with(tmp_path, "", HOSTILE_FILE_NAMES)
    nt, triples = built(folder)
    assert nt.count(b"\n") == len(triples)
    iris = iris_of(triples)
    for iri in iris:
        pyoxigraph.NamedNode(iri)  # parses as an IRI
        assert not re.search('[\\s<>"{}|^`\\\\\u200e\u200f\u202a-\u202e]', iri), iri
    sources = sorted(i.rsplit("/", 1)[1] for i in iris if "/palermo/source/" in i)
    assert sources == sorted(
        [
            "DROP%20ALL%20%3B%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20.txt",
            "a%22b%3Cc%3E%7Bd%7D%7Ce%5Ef%60g.txt",
            "new%0Aline%2520.txt",
            "x%E2%80%AEevil%E2%80%8F.txt",
        ]
    )
    names = {t.object.value for t in triples if t.predicate.value == "https://schema.org/name"}
    assert set(HOSTILE_FILE_NAMES) <= names
    docs = sorted(i.split("/doc/")[1] for i in iris if re.search("/doc/[^/]+$", i))
    assert docs == ["a-b-c-d-e-f-g", "drop-all-s-p-o", "new-line-20", "x-evil"]
