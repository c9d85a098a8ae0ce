"""Time the lookups and every saved query on a store folder (``palermo build --store``).

At 1000x the seeds the graph lives on disk; the harness's ``queries`` part loads a
build into memory, which there is neither quick nor what a user does. This runs each
lookup (``stages.LOOKUPS``) and each saved query in a fresh process on the store
folder, as ``palermo query --graph STORE`` would, with a time limit, and prints a
Markdown table (rows, seconds, verdict against the issue's targets: a lookup under
1 s, a whole-corpus aggregate under 10 s; a listing, ``#+ kind: listing``, has no goal).

    python bench/store_queries.py STORE [--limit 150] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from stages import LOOKUPS  # noqa: E402

#: Goals in seconds: a lookup, and a whole-corpus aggregate.
LOOKUP_GOAL, CORPUS_GOAL = 1.0, 10.0

_ONE = """
import json, sys, time
from pathlib import Path
from graph import lookups
from graph import query as saved
from graph.store import open_store
store = open_store(Path(sys.argv[1]))
index = lookups.beside(Path(sys.argv[1]))
query, values = saved.load(sys.argv[2]), json.loads(sys.argv[3])
start = time.perf_counter()
columns, rows = saved.run(query, store, values, index=index)
seconds = time.perf_counter() - start
if lookups.answer(query, index, store, values) is not None:
    answered = "index"
else:
    answered = "summary" if saved._in_place(query, store) is not query else ""
print(json.dumps([len(rows), seconds, answered]))
"""


def run_one(store: Path, name: str, params: dict, limit: float) -> tuple[str, str]:
    """(rows, seconds) of one query in a fresh process, or ('-', 'over N s' / error);
    the seconds say "(index)" or "(summary)" when the store's lookup index or its
    summary answered (graph.lookups, graph.summary)."""
    command = [sys.executable, "-c", _ONE, str(store), name, json.dumps(params)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=limit, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return "-", f"over {limit:.0f}"
    if done.returncode != 0:
        return "-", "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1][:80]
    rows, seconds, answered = json.loads(done.stdout)
    return str(rows), f"{seconds:.2f}" + (f" ({answered})" if answered else "")


def verdict(seconds: str, goal: float) -> str:
    try:
        return "met" if float(seconds.split()[0]) < goal else "**not met**"
    except ValueError:
        return "**not met**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--limit", type=float, default=150.0, help="seconds per query")
    parser.add_argument("--only", nargs="*", help="saved query names")
    args = parser.parse_args(argv)
    from graph import query as saved

    jobs = [(label, name, params, LOOKUP_GOAL) for label, (name, params) in LOOKUPS.items()]
    jobs += [
        (f"query {q.name} ({q.kind})", q.name, {}, None if q.kind == "listing" else CORPUS_GOAL)
        for q in saved.saved_queries()
    ]
    jobs = [job for job in jobs if not args.only or job[1] in args.only]
    print(f"Store {args.store}, {time.strftime('%Y-%m-%d %H:%M')}, each in a fresh process.\n")
    print("| query | rows | s | goal | verdict |\n|---|---:|---:|---:|---|")
    for label, name, params, goal in jobs:
        rows, seconds = run_one(args.store, name, params, args.limit)
        if goal is None:  # the issue sets goals for lookups and aggregates only
            line = f"| {label} | {rows} | {seconds} | - | listing |"
        else:
            line = f"| {label} | {rows} | {seconds} | < {goal:g} | {verdict(seconds, goal)} |"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
