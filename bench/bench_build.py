"""Time `palermo build` on the seeds against merely importing rdflib, pyshacl and networkx.

Both are run as fresh processes, interleaved, ``--runs`` times each in one run of
this script, so machine noise hits both alike; the medians, min-max and their
ratio are printed and written to ``bench/RESULTS.md`` with the machine and commit.

    python bench/bench_build.py --runs 7
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORTS = [sys.executable, "-c", "import rdflib, pyshacl, networkx"]


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--runs", type=int, default=7)
    args.add_argument("--write", default=str(ROOT / "bench" / "RESULTS.md"))
    opts = args.parse_args()
    palermo = shutil.which("palermo") or sys.exit("palermo is not installed: pip install -e .")
    out = Path(tempfile.mkdtemp(prefix="palermo-bench-"))
    build = [palermo, "build", "--seeds", str(ROOT / "seeds"), "--out", str(out)]
    times: dict[str, list[float]] = {"imports": [], "build": [], "build-no-validate": []}
    timed(build)  # warm the file cache once
    for _ in range(opts.runs):
        times["imports"].append(timed(IMPORTS))
        times["build"].append(timed(build))
        times["build-no-validate"].append(timed([*build, "--no-validate"]))
    shutil.rmtree(out, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    lines = [
        "# Benchmarks",
        "",
        f"Machine: {platform.node() or 'unknown'}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, commit {commit()}. "
        f"{opts.runs} interleaved runs each, fresh processes.",
        "",
        "| what | median (s) | min-max (s) |",
        "|---|---:|---:|",
        *(
            f"| {label} | {med[key]:.2f} | {min(times[key]):.2f}-{max(times[key]):.2f} |"
            for label, key in (
                ("import rdflib, pyshacl, networkx", "imports"),
                ("palermo build (seeds)", "build"),
                ("palermo build --no-validate (seeds)", "build-no-validate"),
            )
        ),
        "",
        f"Ratio build / imports: {med['build'] / med['imports']:.2f}; "
        f"without validation: {med['build-no-validate'] / med['imports']:.2f}",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    Path(opts.write).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
