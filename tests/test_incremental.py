"""Incremental builds (graph.incremental, graph.append): documents added to a built
corpus are spliced into its files, byte-identical to a build of the whole corpus from
nothing; anything the append path cannot do exactly takes the full path, saying why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph import cli, incremental
from graph.cache import CACHE_DIR
from graph.export import CSV, JSONLD, NTRIPLES, TRIG, TURTLE
from tests.conftest import ROOT, bench_module

corpus = bench_module("corpus")
FILES = ("context.jsonld", CSV, NTRIPLES, JSONLD, TRIG, TURTLE, "warnings.txt")


def _build(seeds: Path, out: Path, capsys, *extra: str) -> tuple[int, str]:
    code = cli.main(["build", "--seeds", str(seeds), "--out", str(out), *extra])
    return code, capsys.readouterr().err


def _files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in FILES}


LATEST = (9001, 9002)


@pytest.fixture(scope="module")
def full(synthetic_corpus, tmp_path_factory):
    """The synthetic corpus plus two later resolutions, built from nothing."""
    folder = tmp_path_factory.mktemp("full") / "corpus"
    shutil.copytree(synthetic_corpus, folder)
    for k in LATEST:
        corpus.add_latest(folder, k)
    out = folder.parent / "out"
    assert cli.main(["build", "--seeds", str(folder), "--out", str(out), "--no-cache"]) == 0
    return folder, _files(out)


def test_added_documents_are_spliced_byte_identical_to_a_full_build(
    full, synthetic_corpus, tmp_path, capsys
):
    folder, expected = full
    seeds = tmp_path / "corpus"
    shutil.copytree(synthetic_corpus, seeds)
    out = tmp_path / "out"
    code, err = _build(seeds, out, capsys)
    assert code == 0, err
    for k in LATEST:  # one at a time: the second appends to the first's state
        corpus.add_latest(seeds, k)
        code, err = _build(seeds, out, capsys)
        assert code == 0, err
        assert "1 added" in err and "full build" not in err
    assert _files(out) == expected
    state = incremental.load(out)
    assert [r.file_name for r in state.docs] == sorted(p.name for p in folder.glob("*.txt"))
    assert state.counts and sum(state.counts.values()) == expected[NTRIPLES].count(b"\n")


def test_nothing_changed_leaves_the_build_as_it_is(full, tmp_path, capsys):
    folder, expected = full
    out = tmp_path / "out"
    assert _build(folder, out, capsys)[0] == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    code, err = _build(folder, out, capsys)
    assert code == 0 and "none changed since the last build" in err
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    assert _files(out) == expected


@pytest.mark.parametrize(
    "change, reason",
    [
        ("earlier", "comes before units already built"),
        ("edit", "changed"),
        ("remove", "was removed"),
        ("published", "changed since the last build"),
    ],
)
def test_what_the_append_path_cannot_do_takes_the_full_path(
    synthetic_corpus, tmp_path, capsys, change, reason
):
    seeds = tmp_path / "corpus"
    shutil.copytree(synthetic_corpus, seeds)
    out = tmp_path / "out"
    assert _build(seeds, out, capsys)[0] == 0
    copies = sorted(p for p in seeds.glob("*.txt") if ".x" in p.name)
    if change == "earlier":  # a copy of a seed dated among the others
        text, copy = corpus.make_copy(corpus.read_seeds(corpus.ROOT / "seeds"), _ga(), 8001, 1)
        (seeds / copy.entry["file"]).write_text(text, encoding="utf-8")
        entry = corpus.manifest_text([copy.entry], 0, 1).split("\n", 3)[3]
        with (seeds / "manifest.toml").open("a", encoding="utf-8") as fh:
            fh.write("\n" + entry)
    elif change == "edit":
        copies[0].write_text(copies[0].read_text("utf-8") + "\n", encoding="utf-8")
    elif change == "remove":
        manifest = seeds / "manifest.toml"
        blocks = manifest.read_text("utf-8").split("[[document]]")
        kept = [b for b in blocks if f'file = "{copies[-1].name}"' not in b]
        assert len(kept) == len(blocks) - 1
        manifest.write_text("[[document]]".join(kept), "utf-8")
        copies[-1].unlink()
    else:
        with (out / CSV).open("ab") as fh:
            fh.write(b"\n")
    code, err = _build(seeds, out, capsys)
    assert code == 0, err
    # rich wraps at 80 columns, where the temporary path's length puts it: words only
    assert "full build:" in err and reason in " ".join(err.split())
    fresh = tmp_path / "fresh"
    assert _build(seeds, fresh, capsys, "--no-cache")[0] == 0
    assert _files(out) == _files(fresh)


def _ga():
    seeds = corpus.read_seeds(corpus.ROOT / "seeds")
    return next(d for d in seeds.docs if d.kind == "ga-resolution")


def test_an_unreadable_state_is_a_full_build(full, tmp_path, capsys):
    folder, expected = full
    out = tmp_path / "out"
    assert _build(folder, out, capsys)[0] == 0
    (out / CACHE_DIR / incremental.STATE).write_bytes(b"not a pickle")
    code, err = _build(folder, out, capsys)
    assert code == 0 and "added" not in err
    assert _files(out) == expected
    assert incremental.load(out) is not None  # written again


def test_subject_lines_finds_a_subjects_lines_by_bisection():
    from graph.append import subject_lines

    lines = sorted(f'<urn:s{i % 7}> <urn:p> "{i}" .\n'.encode() for i in range(40))
    lines.append(b"<urn:s7x> <urn:p> <urn:o> .\n")
    data = b"HEAD\n" + b"".join(lines)
    start = 5
    for n in range(8):
        want = b"".join(x for x in lines if x.startswith(f"<urn:s{n}> ".encode()))
        assert subject_lines(data, start, len(data), f"<urn:s{n}>".encode()) == want
    assert subject_lines(data, start, len(data), b"<urn:s9>") == b""


def test_a_violation_in_an_added_document_writes_nothing(
    synthetic_corpus, tmp_path, capsys, monkeypatch
):
    """The new graphs are validated (here a problem is added to what the shapes find,
    on the new resolution's node, and one on a node of an earlier document, which the
    append path must not report: that graph was validated before)."""
    from graph import append
    from graph.iris import Minter
    from graph.validate import Problem, Report

    seeds = tmp_path / "corpus"
    shutil.copytree(synthetic_corpus, seeds)
    out = tmp_path / "out"
    assert _build(seeds, out, capsys)[0] == 0
    before = _files(out)
    name = corpus.add_latest(seeds, 9001)
    new_id = next(r for r in _entries(seeds) if r["file"] == name)["id"]
    real = append.validate_store
    seen = []

    def validate(store):
        report = real(store)
        seen.append(len(report.problems))
        extra = [
            Problem("S", str(Minter().document(doc)), doc, "p", "m")
            for doc in (new_id, "ctoc-cop-wg4-2019-5")
        ]
        return Report(conforms=False, problems=report.problems + extra)

    monkeypatch.setattr(append, "validate_store", validate)
    code, err = _build(seeds, out, capsys)
    assert len(seen) == 1  # the real shapes ran once (on the new graphs and their links)
    assert code == cli.FAILED and "1 violations" in " ".join(err.split())
    assert _files(out) == before


def _entries(folder: Path) -> list[dict]:
    import tomllib

    with (folder / "manifest.toml").open("rb") as fh:
        return tomllib.load(fh)["document"]


def test_two_builds_of_the_same_documents_write_the_same_state(tmp_path):
    """The state holds no set of strings, whose order follows the process's string
    hashing: two processes hashing differently write the same bytes."""
    states = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "graph.cli", "build", "--out", str(out), "--no-cache"]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        states.append((out / CACHE_DIR / incremental.STATE).read_bytes())
    assert states[0] == states[1]
