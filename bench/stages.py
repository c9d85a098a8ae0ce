"""Time Palermo's stages in one process: the one place the benchmarks know library internals.

The harness (``bench/harness.py``) runs this as a fresh subprocess per
measurement, so each gets its own peak memory; it prints one JSON object on
stdout. A stage that fails is reported as ``"n/a: why"`` instead of stopping the
run.

    python bench/stages.py pipeline --seeds DIR --out DIR [--no-validate] [--store DIR]
    python bench/stages.py serialise --build DIR
    python bench/stages.py queries --build DIR [--only NAME ...]

``pipeline``: read (decode, blocks, trees), extract (verbs, citations,
references, themes, corpus links: timed inside the read), build, validate, and
each export file's producer. ``serialise``: Oxigraph's own serialiser writing
the build's triples in each export format, the yardstick for the exports.
``queries``: the graph loaded once into Oxigraph, then each saved query and the
lookups, so the times are the queries' own.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: Lookups: one provision, one document's units, one addressee, one theme (query, params).
#: An addressee and a theme each twice: every row said to or on it (StatesParties is
#: the largest addressee, a third of addressee-asks; non-punishment is a small theme,
#: whose units with their texts are still 14,000 rows at 1000x the seeds), and its
#: profile: a middling addressee's rows, a theme's counts by year.
LOOKUPS = {
    "lookup provision (trace TIP 6(2))": ("provision-trace", {"provision": "TIP 6(2)"}),
    "lookup unit (one document's units)": ("recommendations", {"document": "cop-decision-3-3"}),
    "lookup addressee (StatesParties)": ("addressee-asks", {"addressee": "StatesParties"}),
    "lookup addressee (Secretariat)": ("addressee-asks", {"addressee": "Secretariat"}),
    "lookup theme (non-punishment, every unit)": (
        "theme-across-years",
        {"theme": "non-punishment"},
    ),
    "lookup theme (non-punishment, by year)": ("themes-over-time", {"theme": "non-punishment"}),
}

#: Export file -> pyoxigraph format name used by the serialiser yardstick.
SERIALISER_FORMATS = {
    "palermo.nt": "N_TRIPLES",
    "palermo.ttl": "TURTLE",
    "palermo.trig": "TRIG",
    "palermo.jsonld": "JSON_LD",
}


def timed(results: dict, stage: str, fn: Callable[[], object]):
    """Run ``fn``, record its seconds (or ``n/a: why``) under ``stage``; return its value."""
    start = time.perf_counter()
    try:
        value = fn()
    except Exception as exc:  # any failure is reported, not raised
        results[stage] = f"n/a: {type(exc).__name__}: {exc}"[:300]
        return None
    results[stage] = time.perf_counter() - start
    return value


class Stopwatch:
    """Accumulated seconds spent inside wrapped functions."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, module, name: str) -> None:
        fn = getattr(module, name, None)
        if fn is None:
            return

        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        setattr(module, name, wrapper)


def read_stage(seeds: Path, results: dict):
    """Read the folder; extraction (annotate, link_corpus) is timed separately inside."""
    import loaders.extract as extract
    from loaders import read_folder

    watch = Stopwatch()
    watch.wrap(extract, "annotate")
    watch.wrap(extract, "link_corpus")
    out = timed(results, "read+extract", lambda: read_folder(seeds))
    if out is None:
        return None
    docs, errors = out
    if errors:
        results["read"] = f"n/a: {len(errors)} load errors, first: {errors[0].message}"
        return None
    results["extract"] = watch.seconds if watch.seconds else "n/a: extraction not found"
    results["read"] = results["read+extract"] - watch.seconds
    results["documents"] = len(docs)
    results["units"] = sum(len(d.units()) for d in docs)
    return docs


def build_stage(docs, results: dict, store_dir: str | None, spool):
    """The build's Oxigraph store (in memory, or on disk in ``store_dir``, its graphs
    spooled for the exports as ``palermo build`` does)."""
    from graph.build import build_store
    from graph.store import new_store

    def run():
        store = new_store(Path(store_dir) if store_dir else None)
        return build_store(docs, store, spool=spool)

    return timed(results, "build", run)


def export_stage(out: Path, store, docs, results: dict, spool) -> None:
    """Each export file's producer, timed on its own (the file's writing time). The
    sorted N-Triples are made by the first producer and shared by the others, as in
    ``palermo build``."""
    import tempfile

    from graph.export import StoreExports, build_files

    warnings = [str(w) for d in docs for w in d.warnings]
    files: dict[str, float | str] = {}
    results["export"] = files
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="palermo-bench-work-") as work:
        producers = build_files(StoreExports(store, Path(work), spool=spool).producers(), warnings)
        for name, produce in producers.items():
            timed(files, name, lambda p=produce, n=name: p(out / n))


def pipeline(args: argparse.Namespace) -> dict:
    import tempfile

    from graph.spool import Spool

    with tempfile.TemporaryDirectory(prefix="palermo-bench-spool-") as spooled:
        return _pipeline(args, Spool(Path(spooled)) if args.store else None)


def _pipeline(args: argparse.Namespace, spool) -> dict:
    results: dict = {}
    docs = read_stage(Path(args.seeds), results)
    if docs is None:
        return results
    store = build_stage(docs, results, args.store, spool)
    if store is None:
        return results
    results["quads"] = len(store)
    if args.no_validate:
        results["validate"] = "n/a: skipped (--no-validate)"
    else:
        from graph.validate import validate_store

        report = timed(results, "validate", lambda: validate_store(store))
        if report is not None:
            results["conforms"] = bool(report.conforms)
    export_stage(Path(args.out), store, docs, results, spool)
    nt = Path(args.out) / "palermo.nt"
    if nt.exists():
        from graph.export import count_lines

        results["triples"] = count_lines(nt)
    return results


def serialise(args: argparse.Namespace) -> dict:
    """Oxigraph loading each export's triples (or quads) and dumping them in its format."""
    import pyoxigraph

    results: dict = {}
    build = Path(args.build)
    for name, fmt_name in SERIALISER_FORMATS.items():
        fmt = getattr(pyoxigraph.RdfFormat, fmt_name, None)
        source = build / ("palermo.trig" if fmt_name == "TRIG" else "palermo.nt")
        if fmt is None or not source.exists():
            results[name] = f"n/a: no {fmt_name} in pyoxigraph or no {source.name}"
            continue
        store = pyoxigraph.Store()
        in_fmt = pyoxigraph.RdfFormat.TRIG if fmt_name == "TRIG" else pyoxigraph.RdfFormat.N_TRIPLES
        store.bulk_load(path=str(source), format=in_fmt)
        kwargs = {} if fmt_name == "TRIG" else {"from_graph": pyoxigraph.DefaultGraph()}
        timed(results, name, lambda s=store, f=fmt, k=kwargs: s.dump(io.BytesIO(), format=f, **k))
    return results


def queries(args: argparse.Namespace) -> dict:
    """Load the build into Oxigraph once, then time each saved query and each lookup."""
    from graph import query as saved
    from graph.store import open_store

    results: dict = {}
    store = timed(results, "load store", lambda: open_store(Path(args.build)))
    if store is None:
        return results
    names = args.only or [q.name for q in saved.saved_queries()]
    for name in names:
        timed(results, f"query {name}", lambda n=name: saved.rows(saved.run(saved.load(n), store)))
    for label, (name, params) in LOOKUPS.items():
        if args.only and name not in args.only:
            continue
        timed(
            results, label, lambda n=name, p=params: saved.rows(saved.run(saved.load(n), store, p))
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pipeline")
    p.add_argument("--seeds", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--no-validate", action="store_true")
    p.add_argument("--store", default=None, help="disk store folder, if the build takes one")
    s = sub.add_parser("serialise")
    s.add_argument("--build", required=True)
    q = sub.add_parser("queries")
    q.add_argument("--build", required=True)
    q.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args(argv)
    results = {"pipeline": pipeline, "serialise": serialise, "queries": queries}[args.command](args)
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
