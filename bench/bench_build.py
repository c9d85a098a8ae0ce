"""Time `palermo build` on the seeds against merely importing rdflib, pyshacl and networkx.

Kept for its old command line; the measurement is now the ``build`` part of
``bench/harness.py`` at 1x (fresh processes, interleaved, median, min-max,
peak memory, and the build / imports ratio judged against its target of 3):

    python bench/bench_build.py --runs 7 [--write bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--runs", type=int, default=7)
    args.add_argument("--write", default=str(harness.BENCH / "RESULTS.md"))
    opts = args.parse_args(argv)
    return harness.main(
        ["--scales", "1", "--runs", str(opts.runs), "--parts", "build", "--write", opts.write]
    )


if __name__ == "__main__":
    sys.exit(main())
