"""Run a command and say which of its threads used the CPU, and when.

    python bench/threads.py [--every 1] [--tsv FILE] [--phases 0:83,83:124] -- CMD ...

py-spy sees Python threads only; a 1000x build spends a third of its CPU in threads
Python never names (Oxigraph's bulk loader, RocksDB's compaction). This reads every
thread of the command's process tree from ``/proc`` (Linux) every ``--every``
seconds, then prints each thread's CPU seconds, overall and within each phase
(seconds from the start, e.g. from the build's own stage timings). Threads are named
as the kernel names them: ``main`` for a process's first thread, else its ``comm``
(``rocksdb:low``; Rust threads, and Python's own before 3.14, take the process's
name: ``python``, or ``palermo`` run as the console script);
child processes by their pid.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

#: Clock ticks a second, the unit of utime and stime in /proc/PID/task/TID/stat.
TICKS = os.sysconf("SC_CLK_TCK")


def threads(root: int) -> Iterator[tuple[int, int, str, float]]:
    """(process id, thread id, name, CPU seconds so far) of every thread of ``root``
    and its descendants, each process's threads listed once (a thread's ``children``
    file names the processes it started)."""
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:  # ended meanwhile
            continue
        for tid in tids:
            task = f"/proc/{pid}/task/{tid}"
            try:
                stat = Path(f"{task}/stat").read_text()
                pending += map(int, Path(f"{task}/children").read_text().split())
            except OSError:
                continue
            # the name is in parentheses and may hold spaces: the fields follow the last ")"
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2 :].split()
            yield pid, int(tid), name, (int(fields[11]) + int(fields[12])) / TICKS


def sample(proc: subprocess.Popen, every: float) -> Iterator[tuple[float, str, int, float]]:
    """(seconds since start, who, thread id, CPU seconds so far) of every thread of
    the tree under ``proc``, every ``every`` seconds until it ends (what a thread
    uses after its last sample, at most ``every`` seconds' worth, is not seen)."""
    start, root = time.perf_counter(), proc.pid
    while proc.poll() is None:  # (an ended child's /proc entry stays until it is reaped)
        now = time.perf_counter() - start
        for pid, tid, name, cpu in threads(root):
            yield now, who(root, pid, tid, name), tid, cpu
        time.sleep(every)


def who(root: int, pid: int, tid: int, name: str) -> str:
    """How a thread is shown: ``main`` or its name in the command's process; ``child
    PID`` for a child's first thread, ``child PID: name`` for its others."""
    if pid == root:
        return "main" if tid == pid else name
    return f"child {pid}" if tid == pid else f"child {pid}: {name}"


def by_phase(
    samples: list[tuple[float, str, int, float]], phases: list[tuple[float, float]]
) -> list[dict[str, float]]:
    """CPU seconds of each thread name within each phase ([start, end) in seconds):
    what a thread used since its previous sample is counted at this sample's time."""
    last: dict[int, float] = {}
    out: list[dict[str, float]] = [defaultdict(float) for _ in phases]
    for at, name, tid, cpu in samples:
        used, last[tid] = cpu - last.get(tid, 0.0), cpu
        for i, (start, end) in enumerate(phases):
            if start <= at < end:
                out[i][name] += used
    return out


def table(title: str, used: dict[str, float], wall: float) -> str:
    total = sum(used.values())
    lines = [f"{title}: {wall:.0f} s wall, {total:.0f} CPU-s ({total / wall * 100:.0f}%)"]
    for name, seconds in sorted(used.items(), key=lambda kv: -kv[1]):
        if seconds >= 0.05:
            lines.append(f"  {seconds:8.1f}  {name}")
    return "\n".join(lines)


def parse_phases(text: str) -> list[tuple[float, float]]:
    """``0:83,83:124`` -> [(0, 83), (83, 124)]; ValueError if a part is not start:end."""
    phases = []
    for part in filter(None, text.split(",")):
        start, colon, end = part.partition(":")
        if not colon or float(start) >= float(end):
            raise ValueError(part)
        phases.append((float(start), float(end)))
    return phases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=float, default=1.0, help="seconds between samples")
    parser.add_argument("--tsv", help="also write every sample here")
    parser.add_argument("--phases", default="", help="start:end,... in seconds from the start")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    try:
        phases = [(0.0, float("inf")), *parse_phases(args.phases)]
    except ValueError as exc:
        parser.error(f"--phases: {exc} is not start:end in seconds (e.g. 0:83,83:124)")
    if not Path("/proc/self/task").exists():
        print("error: bench/threads.py reads /proc: Linux only", file=sys.stderr)
        return 2
    try:
        proc = subprocess.Popen(command)
    except OSError as exc:
        print(f"error: cannot run {command[0]}: {exc.strerror}", file=sys.stderr)
        return 2
    samples = list(sample(proc, args.every))
    code = proc.wait()
    if args.tsv:
        rows = (f"{at:.2f}\t{name}\t{tid}\t{cpu:.2f}\n" for at, name, tid, cpu in samples)
        Path(args.tsv).write_text("".join(rows), encoding="utf-8")
    wall = samples[-1][0] if samples else 0.0
    for (start, end), used in zip(phases, by_phase(samples, phases), strict=True):
        title = "whole run" if end == float("inf") else f"{start:g}-{end:g} s"
        print(table(title, used, max(min(end, wall) - start, 1e-9)), file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
