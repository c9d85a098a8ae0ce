"""graph.background: work in a forked child, its value or its error back here; and the
build that searches for repetitions in a child writes the same graph as one that does not."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from graph import cli
from graph.background import BackgroundError, in_background
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
