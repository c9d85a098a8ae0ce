"""The ``palermo`` console script, run as a user runs it: build, query, queries, errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from graph import cli
from tests.conftest import BUILD_FOLDER, SEEDS

PALERMO = shutil.which("palermo")
pytestmark = pytest.mark.skipif(
    PALERMO is None, reason="palermo is not installed (pip install -e .)"
)

COLUMNS = ["document", "unit", "kind", "verb", "action", "addressee", "themes", "text"]


def palermo(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PALERMO, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        env={"PATH": str(Path(PALERMO).parent), "COLUMNS": "200", "LANG": "C.UTF-8"},
    )


def query(graph: Path, name: str, fmt: str, *params: str) -> subprocess.CompletedProcess:
    """`palermo query NAME --graph G --format F --param P ...`."""
    bound = [arg for param in params for arg in ("--param", param)]
    return palermo("query", name, "--graph", str(graph), "--format", fmt, *bound)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    result = palermo("build", "--seeds", str(SEEDS), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "5 documents" in result.stderr
    return out


def test_build_writes_outputs_and_a_summary(built: Path) -> None:
    assert sorted(p.name for p in built.iterdir()) == BUILD_FOLDER
    warnings = (built / "warnings.txt").read_text(encoding="utf-8").splitlines()
    assert len(warnings) == 3


def test_a_large_build_is_summed_up_per_document_kind() -> None:
    rows = [
        ("a", "wg-report", "3", "0", "0", "2", "1"),
        ("b", "wg-report", "1", "0", "0", "0", "0"),
    ]
    rows += [("c", "cop-decision", "0", "13", "2", "1", "0")]
    assert cli.by_kind(rows) == [
        ("1 document", "cop-decision", "0", "13", "2", "1", "0"),
        ("2 documents", "wg-report", "4", "0", "0", "2", "1"),
    ]


def test_two_builds_write_byte_identical_ntriples(built: Path, tmp_path: Path) -> None:
    result = palermo("build", "--seeds", str(SEEDS), "--out", str(tmp_path / "again"))
    assert result.returncode == 0, result.stderr
    for path in built.iterdir():
        if path.is_file():
            assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name


def test_query_recommendations_csv(built: Path) -> None:
    result = palermo("query", "recommendations", "--graph", str(built), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == COLUMNS
    body = rows[1:]
    assert len(body) == 494
    kinds = {}
    for row in body:
        kinds[row[2]] = kinds.get(row[2], 0) + 1
    assert kinds == {"recommendation": 327, "operative": 95, "preambular": 72}
    labels = [r[1] for r in body if r[0] == "ctoc-cop-wg4-2019-5"]
    assert labels[:4] == ["1/1", "1/2", "1/3", "1/4"]
    assert "4/46(j)(vi)" in labels


def test_query_with_a_bound_parameter_json_and_tsv(built: Path) -> None:
    result = query(built, "recommendations", "json", "document=cop-decision-3-3")
    rows = json.loads(result.stdout)
    assert [r["unit"] for r in rows] == ["PP 1", "PP 2"] + [f"OP ({x})" for x in "abcdefghijklm"]
    tsv = query(
        built / "palermo.ttl",
        "recommendations",
        "tsv",
        "kind=preambular",
        "document=cop-decision-3-3",
    )
    assert tsv.stdout.splitlines()[0].split("\t") == COLUMNS
    assert len(tsv.stdout.splitlines()) == 3


@pytest.mark.parametrize(
    "hostile",
    [
        'cop-decision-3-3" } UNION { ?u ?p ?text . BIND("x" AS ?document) } #',
        "cop-decision-3-3> ; DROP ALL",
        "\u200fcop-decision-3-3",
    ],
)
def test_hostile_parameter_values_match_nothing(built: Path, hostile: str) -> None:
    result = query(built, "recommendations", "json", f"document={hostile}")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_query_table_format_and_queries_list(built: Path) -> None:
    table = palermo(
        "query", "recommendations", "--graph", str(built), "--param", "document=cop-decision-3-3"
    )
    assert table.returncode == 0 and "recommendations (15 rows)" in table.stdout
    listing = palermo("queries")
    assert listing.returncode == 0 and "recommendations" in listing.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "no-such-query"], "no saved query named 'no-such-query'"),
        (["query", "recommendations", "--param", "colour=red"], "has no parameter colour"),
        (["query", "recommendations", "--param", "document"], "not of the form name=value"),
    ],
)
def test_query_errors_are_for_people(built: Path, args: list[str], message: str) -> None:
    result = palermo(*args, "--graph", str(built))
    assert result.returncode == 2
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_query_without_a_build_says_what_to_do(tmp_path: Path) -> None:
    result = palermo("query", "recommendations", cwd=tmp_path)
    assert result.returncode == 2
    assert "run `palermo build` first" in " ".join(result.stderr.split())


BAD_FILES = {
    "empty.txt": (b"", "the file is empty"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "the file is binary"),
    "latin1.txt": ("Résolution adoptée à Genève, été".encode("latin-1"), "the encoding is not"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_input_fails_cleanly_and_writes_nothing(tmp_path: Path, name: str) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    data, reason = BAD_FILES[name]
    (seeds / name).write_bytes(data)
    out = tmp_path / "out"
    result = palermo("build", "--seeds", str(seeds), "--out", str(out))
    assert result.returncode == 2
    text = " ".join(result.stderr.split())
    assert name in text and reason in text
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_failed_build_leaves_previous_output_intact(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = files(out)
    assert any(name.startswith(".palermo-cache/") for name in before)
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    result = palermo("build", "--seeds", str(seeds), "--out", str(out))
    assert result.returncode == 2
    assert files(out) == before  # outputs and cache alike


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_trace_lists_units_citing_a_provision_or_one_inside_it(built: Path) -> None:
    result = palermo("trace", "TIP 6", "--graph", str(built), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["document", "unit", "cited", "verb", "text"]
    assert [(r[1], r[2]) for r in rows[1:]] == [
        ("OP 9(c)", "TIP 6(1)"),
        ("2/5", "TIP 6(2)"),
        ("4/46(c)", "TIP 6(6)"),
        ("4/46(d)", "TIP 6(2)"),
        ("4/46(i)", "TIP 6(6)"),
        ("7/1(d)", "TIP 6(3)(d)"),
    ]
    narrow = palermo("trace", "TIP 6(2)", "--graph", str(built), "--format", "json")
    assert [r["unit"] for r in json.loads(narrow.stdout)] == ["2/5", "4/46(d)"]
    som = palermo("trace", "SOM 6", "--graph", str(built), "--format", "json")
    assert [r["unit"] for r in json.loads(som.stdout)] == ["OP (k)", "OP (l)"]
    table = palermo("trace", "UNTOC 26", "--graph", str(built))
    assert table.returncode == 0 and "UNTOC 26: cited by 2 units" in table.stdout


@pytest.mark.parametrize("bad", ["TIP six", "XYZ 6", 'TIP 6") } UNION {'])
def test_trace_refuses_what_is_not_a_provision(built: Path, bad: str) -> None:
    result = palermo("trace", bad, "--graph", str(built))
    assert result.returncode == 2
    assert "KEY ARTICLE" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_article_citations_query(built: Path) -> None:
    result = palermo("query", "article-citations", "--graph", str(built), "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["document", "unit", "instrument", "article", "paragraph", "subparagraph"]
    assert len(rows) == 28
    assert ["cop-decision-3-3", "OP (i)", "UNTOC", "33", "2", "c"] in rows
    assert ["ctoc-cop-wg4-2019-5", "2/25(a)", "TIP", "3", "", "a"] in rows


def test_validate_exit_codes(built: Path, tmp_path: Path) -> None:
    ok = palermo("validate", "--graph", str(built))
    assert ok.returncode == 0, ok.stderr
    assert "conforms" in ok.stderr
    unit = "<https://w3id.org/palermo/doc/ctoc-cop-wg4-2019-5/mtg_1__para_5>"
    broken = tmp_path / "broken.nt"
    lines = (built / "palermo.nt").read_text(encoding="utf-8").splitlines()
    kept = [
        ln
        for ln in lines
        if not (ln.startswith(unit) and ("schema.org/text" in ln or "ontology#number" in ln))
    ]
    assert len(kept) == len(lines) - 2
    broken.write_text("\n".join(kept) + "\n", encoding="utf-8")
    bad = palermo("validate", "--graph", str(broken))
    assert bad.returncode == 1
    text = " ".join(bad.stderr.split())
    assert "ctoc-cop-wg4-2019-5, 1/5" in text and "does not conform" in text
    missing = palermo("validate", "--graph", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_build_refuses_to_publish_a_graph_that_does_not_conform(tmp_path, monkeypatch) -> None:
    import pyoxigraph

    from graph.build import build_store as real_build_store

    unit = pyoxigraph.NamedNode("https://w3id.org/palermo/doc/cop-decision-3-3/para_a")
    text = pyoxigraph.NamedNode("https://schema.org/text")

    def damaged(docs, store, **kwargs):
        real_build_store(docs, store, **kwargs)
        for quad in list(store.quads_for_pattern(unit, text, None, None)):
            store.remove(quad)
        return store

    monkeypatch.setattr(cli, "build_store", damaged)
    out = tmp_path / "out"
    assert cli.main(["build", "--seeds", str(SEEDS), "--out", str(out)]) == 1
    assert not out.exists()
    assert cli.main(["build", "--seeds", str(SEEDS), "--out", str(out), "--no-validate"]) == 0
    assert (out / "palermo.nt").exists()
    before = files(out)
    # validation runs beside the export staging: the staged files are never published
    assert cli.main(["build", "--seeds", str(SEEDS), "--out", str(out)]) == 1
    assert files(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.palermo-")]
