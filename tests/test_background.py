"""graph.background: work in a forked child, its value or its error back here; an
ordered map whose second half a child makes; the build that searches for repetitions
in a child writes the same graph as one that does not, and exports made by two
processes are the bytes one process writes."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest

from graph import cli
from graph import export as export_module
from graph.background import BackgroundError, Handover, in_background, ordered_map
from graph.build import build_store
from graph.export import FORMATS, StoreExports
from graph.store import new_store
from tests.conftest import SEEDS


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _fails() -> None:
    raise ValueError("no such unit")


def _dies() -> None:
    os._exit(3)


def test_the_value_comes_back_from_a_child_process() -> None:
    pid, doubled = in_background(_pid_and, 21)()
    assert doubled == 42 and pid != os.getpid()
    assert in_background(_pid_and, 21, fork=False)() == (os.getpid(), 42)


def test_errors_are_raised_where_the_value_is_asked_for() -> None:
    wait = in_background(_fails)
    with pytest.raises(ValueError, match="no such unit"):
        wait()
    with pytest.raises(
        BackgroundError, match=re.escape("_dies ended without a result (exit code 3)")
    ):
        in_background(_dies)()


def _size_of_what_is_handed(take) -> tuple[int, int]:
    return os.getpid(), len(take())


def test_a_value_given_after_the_fork_reaches_the_child() -> None:
    """The value is sent by a thread: giving more than a pipe holds (64 KB) to a child
    that takes it only later does not block the giver."""
    handover = Handover()
    wait = in_background(_size_of_what_is_handed, handover.take)
    handover.give(b"x" * (1 << 20))
    pid, size = wait()
    assert size == 1 << 20 and pid != os.getpid()
    here = Handover(fork=False)
    here.give([1, 2, 3])  # without a fork: given first, taken here
    assert in_background(_size_of_what_is_handed, here.take, fork=False)() == (os.getpid(), 3)


def test_repetitions_found_in_a_child_give_the_same_graph(tmp_path: Path, monkeypatch) -> None:
    args = ["build", "--seeds", str(SEEDS), "--no-validate", "--no-cache"]
    forked: list[bool] = []
    real = cli.in_background
    monkeypatch.setattr(
        cli, "in_background", lambda *a, fork: forked.append(fork) or real(*a, fork=fork)
    )
    monkeypatch.setattr(cli, "PARALLEL_FROM", 10**6)  # in this process
    assert cli.main([*args, "--out", str(tmp_path / "here")]) == 0
    monkeypatch.setattr(cli, "PARALLEL_FROM", 1)  # in a child
    assert cli.main([*args, "--out", str(tmp_path / "child")]) == 0
    assert forked == [False, True]
    for name in ("palermo.nt", "palermo.trig", "palermo.jsonld"):
        assert (tmp_path / "child" / name).read_bytes() == (tmp_path / "here" / name).read_bytes()
    lines = (tmp_path / "child" / "palermo.nt").read_text(encoding="utf-8").split("\n")
    predicates = [line.split(" ", 2)[1] for line in lines if line]
    pal = "https://w3id.org/palermo/ontology#"
    # 5/35 -> 5/34; 7/2(b) -> 1/11(b), 8/1(c) -> 7/2(b), 8/1(c) -> 1/11(b)
    assert predicates.count(f"<{pal}identicalTo>") == 1
    assert predicates.count(f"<{pal}nearDuplicateOf>") == 3


def _interrupted() -> str:
    os.kill(os.getpid(), signal.SIGINT)
    return "went on"


def test_a_child_leaves_ctrl_c_to_its_parent() -> None:
    """A Ctrl-C reaches the whole process group; a child that died of it would print
    its own traceback beside the parent's message."""
    assert in_background(_interrupted)() == "went on"


#: A build's way of stopping on SIGTERM, copied into every child it forks: the
#: parent's handler raises an exception no ``except Exception`` catches.
_ENDED_BY_PARENT = """
import signal, sys, time
from pathlib import Path
from graph.background import ordered_map

class Stopped(BaseException):
    pass

def stop(signum, frame):
    raise Stopped("the parent's handler ran in the child")

def slow(n):
    time.sleep(0.1)
    return n

signal.signal(signal.SIGTERM, stop)
results = ordered_map(slow, list(range(40)), Path(sys.argv[1]))
next(results)
results.close()  # abandoned: the child, still working, is terminated
print("ended")
"""


def test_a_child_its_parent_ends_ends_quietly(tmp_path) -> None:
    """Terminated by its parent (a daemon child at exit, an abandoned ordered map, a
    pool), a worker dies of SIGTERM: the handler it inherited does not run, and no
    traceback is printed beside the parent's message."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _ENDED_BY_PARENT, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "ended\n", "")


def _square_where(n: int) -> tuple[int, int]:
    if n == 13:
        raise ValueError("unlucky item 13")
    return n * n, os.getpid()


def _slow_at_front(n: int) -> tuple[int, int]:
    """Item 0 takes a second, the others 20 ms each (0.8 s together): the child,
    working from the back, meanwhile makes the rest. Each item takes time, so that a
    child forked onto a loaded machine cannot make them all before this process
    takes item 0."""
    time.sleep(1.0 if n == 0 else 0.02)
    return n * n, os.getpid()


def test_ordered_map_gives_map_in_order_made_from_both_ends(tmp_path) -> None:
    items = list(range(10))
    made = list(ordered_map(_square_where, items, tmp_path))
    assert [value for value, _ in made] == [n * n for n in items]
    pids = [pid for _, pid in made]
    mine = pids.count(os.getpid())
    # this process made a run from the front, one child the run after it; which makes
    # how many is timing (a child forked slower than this process makes ten squares
    # makes none; on a loaded machine this process may start after the child is done)
    assert pids[:mine] == [os.getpid()] * mine
    assert len(set(pids[mine:])) <= 1 and os.getpid() not in pids[mine:]
    assert list(tmp_path.iterdir()) == []  # the child's results are removed
    here = list(ordered_map(_square_where, items, tmp_path, fork=False))
    assert [pid for _, pid in here] == [os.getpid()] * 10


def test_the_two_ends_share_the_work_by_time_not_count(tmp_path) -> None:
    """While this process spends a second on the first item, the child makes all the
    others: no item waits for a split fixed in advance."""
    made = list(ordered_map(_slow_at_front, list(range(40)), tmp_path))
    assert [value for value, _ in made] == [n * n for n in range(40)]
    assert made[0][1] == os.getpid()
    assert {pid for _, pid in made[1:]} == {made[1][1]} != {os.getpid()}


def test_ordered_map_raises_what_the_child_raised(tmp_path) -> None:
    with pytest.raises(ValueError, match="unlucky item 13"):
        list(ordered_map(_square_where, list(range(8, 16)), tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_an_abandoned_ordered_map_ends_its_child(tmp_path) -> None:
    made = ordered_map(_square_where, list(range(10)), tmp_path)
    assert next(made)[0] == 0
    made.close()  # the child is terminated and its file removed
    assert list(tmp_path.iterdir()) == []


def test_exports_made_by_two_processes_are_the_bytes_one_process_writes(
    seed_docs, tmp_path, monkeypatch
) -> None:
    store = build_store(list(seed_docs.values()), new_store())
    forked: list[int] = []
    real = export_module.ordered_map

    def counted(fn, items, work, fork=True):
        forked.append(fork)
        return real(fn, items, work, fork)

    monkeypatch.setattr(export_module, "ordered_map", counted)
    made = {}
    for name, threshold in (("one", 1 << 40), ("two", 0)):
        monkeypatch.setattr(export_module, "PARALLEL_BYTES", threshold)
        (tmp_path / name).mkdir()
        exports = StoreExports(store, tmp_path / name)
        for file, produce in exports.producers().items():
            produce(tmp_path / name / file)
        made[name] = {f: (tmp_path / name / f).read_bytes() for f in FORMATS.values()}
        made[name]["layout"] = exports.layout
    # Turtle and JSON-LD; the CSV reads the store itself when it is in memory
    assert forked == [False, False, True, True]
    assert made["one"] == made["two"]


def test_long_lived_objects_are_frozen_until_thawed_whatever_forks_between() -> None:
    """Collections are paused while the documents are made, which are then frozen; a
    fork's own freezing in between leaves them frozen; thawing makes all collectable."""
    import gc

    from graph.background import frozen_gc, long_lived, thaw

    assert gc.isenabled() and gc.get_freeze_count() == 0
    with long_lived():
        assert not gc.isenabled()
        made = [[n] for n in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() >= len(made)
    with frozen_gc():
        pass
    assert gc.get_freeze_count() >= len(made)  # the fork's freezing did not thaw them
    thaw()
    assert gc.get_freeze_count() == 0
    with frozen_gc():  # on its own, it thaws what it froze
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_a_build_leaves_nothing_frozen_and_collections_on(tmp_path) -> None:
    """Built in this process, passed or failed: the documents are collectable after."""
    import gc

    out = tmp_path / "out"
    assert cli.main(["build", "--seeds", str(SEEDS), "--out", str(out), "--no-validate"]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.ar.txt").write_bytes(b"")  # read, and refused: nothing is built
    assert cli.main(["build", "--seeds", str(bad), "--out", str(tmp_path / "o2")]) != 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
