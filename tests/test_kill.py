"""A build killed at any moment leaves the output folder exactly as it was or exactly as the new
build wrote it: every file byte-identical to one set or the other, never a mix, and readable.

The build runs as a real ``palermo build`` process into a folder holding an earlier build, on a
seeds folder with one more document (so every graph file differs), and is killed with SIGKILL,
SIGTERM or SIGINT at seeded-random moments across its run, half of them while it writes.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from graph import publish
from graph.cache import CACHE_DIR
from graph.incremental import STATE
from tests.conftest import SEEDS

PALERMO = shutil.which("palermo")
pytestmark = pytest.mark.skipif(PALERMO is None, reason="palermo is not installed")
SMALL = ("cop-11", "cop-3", "ga-79")  # three short documents: a build of about 3 s


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (the document cache included), by path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def start(seeds: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [PALERMO, "build", "--seeds", str(seeds), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "COLUMNS": "200"},
    )


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Old and new seeds, each built once: (old seeds, new seeds, old build, new build, seconds)."""
    root = tmp_path_factory.mktemp("kill")
    old_seeds, new_seeds = root / "seeds-old", root / "seeds-new"
    old_seeds.mkdir()
    for path in SEEDS.glob("*.txt"):
        if path.name.startswith(SMALL):
            shutil.copy(path, old_seeds / path.name)
    shutil.copytree(old_seeds, new_seeds)
    shutil.copy(SEEDS / "cop-3_decision-3-3_2006.ar.txt", new_seeds / "zz-decision-copy.txt")
    old, new = root / "old" / "out", root / "new" / "out"
    assert start(old_seeds, old).wait(timeout=120) == 0
    began = time.perf_counter()
    assert start(new_seeds, new).wait(timeout=120) == 0
    seconds = time.perf_counter() - began
    return old_seeds, new_seeds, old, new, seconds


def triples(folder: Path) -> int:
    return sum(1 for _ in pyoxigraph.parse(path=str(folder / "palermo.nt")))


def test_the_two_builds_differ_in_every_graph_file(builds) -> None:
    _, _, old, new, _ = builds
    before, after = digest(old), digest(new)
    cached = f"{CACHE_DIR}/"
    files = {n for n in before if not n.startswith(cached)}
    assert files == {n for n in after if not n.startswith(cached)}
    assert files == {publish.MARKER, *publish.LEGACY_NAMES}
    # a cache entry per document (keyed by path too: the two seed folders differ), and
    # the state the next build may append to (graph.incremental)
    state = f"{cached}{STATE}"
    assert state in before and state in after
    assert sum(n.startswith(cached) for n in before if n != state) == 3
    assert sum(n.startswith(cached) for n in after if n != state) == 4
    differ = {name for name in files if before[name] != after[name]}
    assert differ == {
        "palermo.nt",
        "palermo.ttl",
        "palermo.trig",
        "palermo.jsonld",
        "recommendations.csv",
    }


def wait_for_staging(out: Path, process: subprocess.Popen) -> None:
    """Until the build's staging folder appears (it is writing) or the build ends."""
    mine = f"staging-{process.pid}-"
    while process.poll() is None and not any(mine in n for n in leftovers(out)):
        time.sleep(0.005)


def kill_once(builds, out: Path, signum: int, delay: float, writing: bool):
    """Build into ``out`` (holding the old build) and signal it; (pid, exit code, stderr)."""
    _, new_seeds, old, _, _ = builds
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(old, out)
    process = start(new_seeds, out)
    if writing:
        wait_for_staging(out, process)
    time.sleep(delay)
    if process.poll() is None:
        process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    return process.pid, process.returncode, stderr


def test_killed_builds_leave_the_old_or_the_new_output_never_a_mix(builds, tmp_path) -> None:
    _, new_seeds, old, new, seconds = builds
    expected = {"old": digest(old), "new": digest(new)}
    counts = {"old": triples(old), "new": triples(new)}
    out = tmp_path / "out"
    rng = random.Random(8)
    plan = [(signal.SIGKILL, rng.uniform(0, seconds * 1.1), False) for _ in range(5)]
    plan += [(signal.SIGKILL, rng.uniform(0, 1.0), True) for _ in range(5)]
    plan += [(signal.SIGTERM, rng.uniform(0, 1.0), True) for _ in range(2)]
    plan += [(signal.SIGINT, rng.uniform(0, 1.0), True) for _ in range(2)]
    outcomes = []
    for signum, delay, writing in plan:
        pid, code, stderr = kill_once(builds, out, signum, delay, writing)
        found = digest(out)
        state = next((k for k, v in expected.items() if v == found), None)
        assert state is not None, (signum, delay, found)
        assert triples(out) == counts[state]
        assert "Traceback" not in stderr
        if signum != signal.SIGKILL:
            # a clean stop (exit 2, a message saying which output is in place, nothing of
            # this build left beside out); or too late to stop: the build completed
            text = " ".join(stderr.split())
            assert code in (0, 2, -signum), stderr
            if code == 2 and state == "old":
                assert f"interrupted ({signum.name}); previous output left as it was" in text
            elif code == 2:
                assert f"interrupted ({signum.name}) after {out} was published" in text
            else:
                assert state == "new" and "wrote" in text
            assert not [n for n in leftovers(out) if f"staging-{pid}-" in n or "old" in n]
        outcomes.append((signum.name, state))
    # a complete build afterwards removes what killed builds left and publishes the new files
    assert start(new_seeds, out).wait(timeout=120) == 0
    assert digest(out) == expected["new"]
    assert leftovers(out) == []
    print(outcomes)


def test_interrupted_builds_remove_their_staging(builds, tmp_path) -> None:
    out = tmp_path / "out"
    for signum in (signal.SIGTERM, signal.SIGINT):
        _, code, stderr = kill_once(builds, out, signum, 0.0, True)
        assert code == 2, stderr
        assert f"interrupted ({signum.name}); previous output left as it was" in " ".join(
            stderr.split()
        )
        assert leftovers(out) == []
        assert digest(out) == digest(builds[2])


def test_two_step_swap_cut_short_is_repaired_by_the_next_run(tmp_path, monkeypatch) -> None:
    """Without renameat2, a kill between the two renames leaves out missing; recover()
    puts the previous output back, byte for byte."""
    out = tmp_path / "out"
    staging = publish.stage(out)
    (staging / "palermo.nt").write_bytes(b"old\n")
    publish.commit(staging, out)
    before = digest(out)
    staging = publish.stage(out)
    (staging / "palermo.nt").write_bytes(b"new\n")
    monkeypatch.setattr(publish, "exchange", lambda a, b: False)
    renames, rename = [], os.rename

    def rename_then_die(src, dst):
        if renames:
            raise SystemExit("killed between the two renames")
        renames.append((src, dst))
        rename(src, dst)

    monkeypatch.setattr(publish.os, "rename", rename_then_die)
    with pytest.raises(SystemExit):
        publish.commit(staging, out)
    monkeypatch.undo()
    assert not out.exists() and (tmp_path / ".out.palermo-old").is_dir()
    publish.clean_leftovers(out)
    assert digest(out) == before
    assert leftovers(out) == [staging.name]  # this process's own staging is kept
    shutil.rmtree(staging)
    staging = publish.stage(out)
    (staging / "palermo.nt").write_bytes(b"new\n")
    monkeypatch.setattr(publish, "exchange", lambda a, b: False)
    assert publish.commit(staging, out) == [out / "palermo.nt"]
    assert (out / "palermo.nt").read_bytes() == b"new\n" and leftovers(out) == []


def test_exchange_swaps_two_folders_in_one_call(tmp_path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "x").write_text("a"), (b / "x").write_text("b")
    assert publish.exchange(a, b) is True  # Linux, ext4/tmpfs: the one-step swap is used
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"


@pytest.mark.parametrize(
    ("content", "refused"),
    [
        ({}, False),
        ({"palermo.nt": "x", "warnings.txt": ""}, False),  # written before markers existed
        ({"palermo.nt": "x", "notes.md": "mine"}, True),
        ({publish.MARKER: "palermo.nt\n", "palermo.nt": "x"}, False),
        ({publish.MARKER: "palermo.nt\n", "palermo.nt": "x", "notes.md": "mine"}, True),
    ],
)
def test_only_a_folder_palermo_wrote_is_replaced(tmp_path, content, refused) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name, text in content.items():
        (out / name).write_text(text)
    staging = publish.stage(out)
    (staging / "palermo.nt").write_bytes(b"new\n")
    if refused:
        with pytest.raises(publish.PublishError, match=r"notes\.md"):
            publish.commit(staging, out)
        assert (out / "notes.md").read_text() == "mine"
    else:
        publish.commit(staging, out)
        assert sorted(p.name for p in out.iterdir()) == [publish.MARKER, "palermo.nt"]


def test_build_refuses_the_working_folder_and_a_folder_of_other_files(tmp_path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.md").write_text("mine")
    env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "COLUMNS": "200"}
    for out, cwd, says in ((mine, tmp_path, "notes.md"), (Path("."), mine, "working folder")):
        result = subprocess.run(
            [PALERMO, "build", "--seeds", str(SEEDS), "--out", str(out)],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=env,
            timeout=120,
        )
        assert result.returncode == 2
        text = " ".join(result.stderr.split())
        assert says in text and "nothing written" in text
        assert sorted(p.name for p in mine.iterdir()) == ["notes.md"]


@pytest.mark.parametrize("kind", ["staging", "work", "store", "spool", "links"])
def test_the_next_build_removes_each_scratch_folder_of_a_dead_one(tmp_path, kind) -> None:
    out = tmp_path / "out"
    code = "import os; print(os.getpid())"
    ended = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    pid = int(ended.stdout)
    left = tmp_path / f".out.palermo-{kind}-{pid}-abc"
    left.mkdir()
    mine = publish.scratch(out, kind)  # this process's own, alive: kept
    assert publish.clean_leftovers(out) == [left]
    assert not left.exists() and mine.is_dir()
