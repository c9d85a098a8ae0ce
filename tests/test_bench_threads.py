"""bench/threads.py: which threads of a command's process tree used the CPU, and when."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "threads.py"
spec = importlib.util.spec_from_file_location("bench_threads", SCRIPT)
threads = importlib.util.module_from_spec(spec)
spec.loader.exec_module(threads)

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")

#: The command's main thread spins 0.4 CPU-s, then a child process 0.8, then exits 3.
SPIN = "import time\nt = time.thread_time()\nwhile time.thread_time() - t < {s}: pass\n"
COMMAND = (
    SPIN.format(s=0.4)
    + "import subprocess, sys\n"
    + f"subprocess.run([sys.executable, '-c', {SPIN.format(s=0.8)!r}])\n"
    + "sys.exit(3)\n"
)


def test_phases_count_what_each_thread_used_since_its_last_sample():
    samples = [
        (0.0, "main", 1, 0.5),  # first sample: all it used so far
        (0.0, "rocksdb:low", 2, 0.0),
        (1.0, "main", 1, 1.0),
        (1.0, "rocksdb:low", 2, 0.75),
        (2.0, "main", 1, 1.25),
        (2.0, "child 7", 7, 2.0),
    ]
    whole, early, late = threads.by_phase(samples, [(0, 9), (0, 1), (1, 3)])
    assert whole == {"main": 1.25, "rocksdb:low": 0.75, "child 7": 2.0}
    assert early == {"main": 0.5, "rocksdb:low": 0.0}
    assert late == {"main": 0.75, "rocksdb:low": 0.75, "child 7": 2.0}


def test_threads_are_named_by_process():
    assert threads.who(10, 10, 10, "python") == "main"
    assert threads.who(10, 10, 11, "rocksdb:low") == "rocksdb:low"
    assert threads.who(10, 12, 12, "python") == "child 12"
    assert threads.who(10, 12, 13, "python") == "child 12: python"


def test_a_command_s_main_thread_and_child_are_measured(tmp_path):
    tsv = tmp_path / "cpu.tsv"
    options = ["--every", "0.1", "--tsv", str(tsv), "--phases", "0:60"]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *options, "--", sys.executable, "-c", COMMAND],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr  # the command's own exit code
    whole = done.stderr.split("\n0-60 s:")[0]
    used = {who: float(s) for s, who in re.findall(r"^\s+([\d.]+)\s+(.+)$", whole, re.M)}
    children = [who for who in used if re.fullmatch(r"child \d+", who)]
    assert len(children) == 1
    # each spun its CPU seconds; sampling every 0.1 s misses at most the last 0.1 s
    assert 0.3 <= used["main"] <= 0.7
    assert 0.7 <= used[children[0]] <= 1.1
    assert tsv.read_text(encoding="utf-8").count("\tmain\t") >= 5


def test_no_command_is_an_error():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--every", "0.1"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "give the command to run after --" in done.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--phases", "0-83", "--", "true"], "--phases: 0-83 is not start:end in seconds"),
        (["--phases", "9:3", "--", "true"], "--phases: 9:3 is not start:end in seconds"),
        (["--", "/nonexistent/palermo"], "error: cannot run /nonexistent/palermo"),
    ],
)
def test_bad_input_is_said_without_a_traceback(args, said):
    done = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True)
    assert done.returncode == 2
    assert said in done.stderr
    assert "Traceback" not in done.stderr
