"""Validation at scale: the seeds build replicated N times, validated by the SPARQL engine.

    python bench/validate_scale.py out/palermo.nt 100 [--pyshacl] [--workers 2]

Every line naming a document IRI (``<base>doc/...``) is written N times, its document IRIs
renamed ``doc/r{i}-<id>``; the vocabulary and everything else is written once. Prints the
triple count, load time, validation time (median of --runs) and peak memory (RSS).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph

DOC = "<https://w3id.org/palermo/doc/"


def replicate(source: Path, copies: int, target: Path) -> int:
    """Write ``copies`` renamed copies of ``source``'s document triples to ``target``."""
    once, per_doc = [], []
    for line in source.read_text(encoding="utf-8").splitlines():
        (per_doc if DOC in line else once).append(line)
    with target.open("w", encoding="utf-8") as out:
        out.write("\n".join(once) + "\n")
        for i in range(copies):
            out.write("\n".join(per_doc).replace(DOC, f"{DOC}r{i}-") + "\n")
    return len(once) + copies * len(per_doc)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("ntriples", type=Path)
    p.add_argument("copies", type=int)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--pyshacl", action="store_true", help="also time pyshacl (slow)")
    args = p.parse_args(argv)
    from graph import validate as v

    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "replica.nt"
        lines = replicate(args.ntriples, args.copies, file)
        started = time.perf_counter()
        store = pyoxigraph.Store()
        store.bulk_load(path=str(file), format=pyoxigraph.RdfFormat.N_TRIPLES)
        print(
            f"{lines} lines, {len(store)} triples, loaded in {time.perf_counter() - started:.1f} s"
        )
        v.compiled_checks()
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            results = v.sparql_results(store, workers=args.workers)
            shapes_s = time.perf_counter() - started
            checks = v.run_checks(store)
            times.append(time.perf_counter() - started)
            print(
                f"shapes {shapes_s:.1f} s ({len(results)} results), "
                f"with check queries {times[-1]:.1f} s ({len(checks.problems)} problems)"
            )
        print(
            f"sparql engine: median {statistics.median(times):.2f} s, peak RSS {peak_mb():.0f} MB"
        )
        if args.pyshacl:
            graph = v.graph_of(store)
            started = time.perf_counter()
            found = v.pyshacl_results(graph)
            print(f"pyshacl: {time.perf_counter() - started:.1f} s ({len(found)} results)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
