"""Time Palermo at 1x, 10x, 100x ... the seeds, against the issue's targets; write RESULTS.md.

    python bench/harness.py --scales 1,10,100 --runs 3 [--store-dir DIR] [--quick]

For each scale the corpus is generated once (``bench/corpus.py``, cached in
``bench/corpora/x<scale>``), then every measurement runs ``--runs`` times,
interleaved, each in a fresh process so its peak memory (``ru_maxrss`` of that
child, from ``os.wait4``) is its own. At 1x, where a run takes seconds and the export
rows are milliseconds (two runs of the seeds' JSON-LD ranged 0.033-0.058 s), the
measurements run at least ``--runs-1x`` times:

- ``import rdflib, pyshacl, networkx``: the yardstick of the 1x target;
- ``palermo build`` (validation and every export) and ``--no-validate``;
- the stages in one process (``bench/stages.py pipeline``): read, extract,
  build, validate, each export file's producer;
- Oxigraph's own serialiser writing the same triples (``stages.py serialise``);
- each saved query and the four lookups, in-process on a loaded store
  (``stages.py queries``), and ``palermo query`` / ``palermo trace`` as a user
  runs them (fresh process, graph loaded from the build folder);
- ``palermo analyse`` when the command exists;
- an incremental rebuild: the corpus copied, built, the next year's resolution added,
  rebuilt (the append path); then a meeting report dated among the others added and
  rebuilt (the full path, extractions reused);
- the rdflib-only baseline (``bench/baseline_rdflib.py``); its pyshacl step runs
  only where it is predicted to take under 5 minutes.

``--parts`` picks measurements (build, stages, serialiser, queries, cli,
analyse, incremental, baseline). ``--quick`` skips validation, the baseline's
pyshacl, the incremental rebuild and all but two queries: a smoke run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PARTS = ("build", "stages", "serialiser", "queries", "cli", "analyse", "incremental", "baseline")
IMPORTS = [sys.executable, "-c", "import rdflib, pyshacl, networkx"]
#: The baseline's pyshacl step runs only where predicted under this many seconds.
BASELINE_VALIDATE_LIMIT = 300.0
BUILD = "palermo build (validate + every export)"
BUILD_COLD = "palermo build --no-cache (nothing reused)"
BUILD_NV = "palermo build --no-validate"
IMPORT = "import rdflib, pyshacl, networkx"
INCREMENTAL = "incremental rebuild (one document added)"
INCREMENTAL_EARLIER = "rebuild, one document added among earlier ones (full path)"
BASELINE = "baseline rdflib-only (whole process)"


def forget_state(out: Path) -> None:
    """Remove a build's state (not its document cache): the next build runs in full."""
    from graph.cache import CACHE_DIR
    from graph.incremental import STATE

    (out / CACHE_DIR / STATE).unlink(missing_ok=True)


@dataclass
class Sample:
    seconds: float
    peak_mb: float
    code: int
    stdout: str = ""
    stderr: str = ""


@dataclass
class Scale:
    """Samples of one scale: stage name -> list of (seconds, peak MB or None)."""

    scale: int
    corpus: Path
    rows: dict[str, list[tuple[float, float | None]]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    info: dict = field(default_factory=dict)

    def add(self, name: str, seconds, peak: float | None = None) -> None:
        if isinstance(seconds, int | float):
            self.rows.setdefault(name, []).append((float(seconds), peak))
        else:
            self.notes[name] = str(seconds)

    def median(self, name: str) -> float | None:
        values = [s for s, _ in self.rows.get(name, [])]
        return statistics.median(values) if values else None

    def peak(self, name: str) -> float | None:
        values = [p for _, p in self.rows.get(name, []) if p is not None]
        return max(values) if values else None


def run(cmd: list[str], timeout: float, cwd: Path = ROOT) -> Sample:
    """Run ``cmd``; its wall time and its own peak resident memory (MB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        timed_out = seconds >= timeout
        return Sample(
            seconds,
            usage.ru_maxrss / 1024,
            -9 if timed_out else proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def palermo() -> str:
    found = shutil.which("palermo") or str(Path(sys.executable).with_name("palermo"))
    if not Path(found).exists():
        sys.exit("palermo is not installed: pip install -e .")
    return found


def has_option(command: str, option: str) -> bool:
    out = subprocess.run([palermo(), command, "--help"], capture_output=True, text=True)
    return out.returncode == 0 and option in out.stdout


def corpus_for(scale: int, folder: Path, seed: int) -> Path:
    """The generated corpus for ``scale``, reused when its counts.json matches."""
    import corpus

    out = folder / f"x{scale}"
    counts = out / "counts.json"
    if counts.exists():
        known = json.loads(counts.read_text(encoding="utf-8"))
        if known.get("scale") == scale and known.get("seed") == seed:
            return out
    corpus.generate(scale, out, seed)
    return out


class Harness:
    def __init__(self, opts: argparse.Namespace) -> None:
        self.opts = opts
        self.parts = set(opts.parts.split(",")) if opts.parts else set(PARTS)
        self.work = Path(tempfile.mkdtemp(prefix="palermo-bench-"))
        self.palermo = palermo()
        self.store = bool(opts.store_dir) and has_option("build", "--store")
        self.baseline_validate: tuple[int, float] | None = None

    def cmd(self, sc: Scale, name: str, cmd: list[str]) -> Sample | None:
        sample = run(cmd, self.opts.timeout)
        if sample.code != 0:
            why = "timed out" if sample.code == -9 else f"exit {sample.code}"
            tail = (sample.stderr.strip().splitlines() or [""])[-1][:200]
            sc.notes[name] = f"failed ({why}): {tail}"
            return None
        sc.add(name, sample.seconds, sample.peak_mb)
        return sample

    def build_cmd(self, sc: Scale, out: Path, *extra: str) -> list[str]:
        cmd = [self.palermo, "build", "--seeds", str(sc.corpus), "--out", str(out), *extra]
        if self.store:
            cmd += ["--store", str(Path(self.opts.store_dir) / f"x{sc.scale}")]
        return cmd

    def json_cmd(self, sc: Scale, name: str, cmd: list[str]) -> dict | None:
        sample = self.cmd(sc, name, cmd)
        if sample is None:
            return None
        try:
            return json.loads(sample.stdout)
        except json.JSONDecodeError:
            sc.notes[name] = "failed: no JSON on stdout"
            return None

    # ------------------------------------------------------------ measurements

    def once(self, sc: Scale) -> None:
        out = self.work / f"x{sc.scale}" / "out"
        quick = self.opts.quick
        if "build" in self.parts:
            self.cmd(sc, IMPORT, IMPORTS)
            if not quick:
                # cold first (every document read and extracted), then warm (the
                # document cache of the run before), the way a user meets them; the
                # build state is removed first: with it, nothing changed is a no-op
                # (graph.incremental), and these rows measure the whole build
                self.cmd(sc, BUILD_COLD, self.build_cmd(sc, out, "--no-cache"))
                forget_state(out)
                self.cmd(sc, BUILD, self.build_cmd(sc, out))
            forget_state(out)
            self.cmd(sc, BUILD_NV, self.build_cmd(sc, out, "--no-validate"))
        if "stages" in self.parts:
            self.stages(sc, out)
        if not (out / "palermo.nt").exists():
            self.cmd(sc, BUILD_NV, self.build_cmd(sc, out, "--no-validate"))
        if "serialiser" in self.parts:
            data = self.json_cmd(
                sc,
                "serialiser (process)",
                [sys.executable, str(BENCH / "stages.py"), "serialise", "--build", str(out)],
            )
            for name, seconds in (data or {}).items():
                sc.add(f"serialiser {name}", seconds)
        if "queries" in self.parts:
            self.queries(sc, out)
        if "cli" in self.parts:
            self.cli(sc, out)
        if "analyse" in self.parts and not quick and has_option("analyse", "--graph"):
            report = self.work / f"x{sc.scale}" / "analyse"
            self.cmd(
                sc,
                "palermo analyse",
                [self.palermo, "analyse", "--graph", str(out), "--report", str(report)],
            )
        if "incremental" in self.parts and not quick:
            self.incremental(sc)
        if "baseline" in self.parts:
            self.baseline(sc)

    def stages(self, sc: Scale, out: Path) -> None:
        cmd = [sys.executable, str(BENCH / "stages.py"), "pipeline", "--seeds", str(sc.corpus)]
        cmd += ["--out", str(self.work / f"x{sc.scale}" / "stages-out")]
        if self.opts.quick:
            cmd.append("--no-validate")
        if self.store:
            cmd += ["--store", str(Path(self.opts.store_dir) / f"x{sc.scale}-stages")]
        data = self.json_cmd(sc, "stages in one process (peak)", cmd)
        if not data:
            return
        for stage in ("read", "extract", "build", "validate"):
            sc.add(f"stage {stage}", data.get(stage, "n/a: not reported"))
        export = data.get("export", {})
        if isinstance(export, dict):
            prepare = export.get("(prepare)")
            for name, seconds in export.items():
                if (
                    name == "palermo.nt"
                    and isinstance(prepare, float)
                    and isinstance(seconds, float)
                ):
                    seconds += prepare  # the N-Triples are what the preparation makes
                if name != "(prepare)":
                    sc.add(f"stage export {name}", seconds)
        else:
            sc.notes["stage export"] = str(export)
        for key in ("documents", "units", "triples", "conforms"):
            if key in data:
                sc.info[key] = data[key]

    def queries(self, sc: Scale, out: Path) -> None:
        cmd = [sys.executable, str(BENCH / "stages.py"), "queries", "--build", str(out)]
        if self.opts.quick:
            cmd += ["--only", "recommendations", "provision-trace"]
        data = self.json_cmd(sc, "queries in one process (peak)", cmd)
        for name, seconds in (data or {}).items():
            sc.add(name, seconds)

    def cli(self, sc: Scale, out: Path) -> None:
        from graph import query as saved

        names = [q.name for q in saved.saved_queries()]
        if self.opts.quick:
            names = names[:1]
        for name in names:
            cmd = [self.palermo, "query", name, "--graph", str(out), "--format", "csv"]
            self.cmd(sc, f"palermo query {name}", cmd)
        trace = [self.palermo, "trace", "TIP 6(2)", "--graph", str(out), "--format", "csv"]
        self.cmd(sc, "palermo trace 'TIP 6(2)'", trace)

    def incremental(self, sc: Scale) -> None:
        """Build a copy of the corpus, add one new document, rebuild into the same --out."""
        import corpus

        base = self.work / f"x{sc.scale}" / "incremental"
        shutil.rmtree(base, ignore_errors=True)
        folder, out = base / "corpus", base / "out"
        shutil.copytree(sc.corpus, folder)
        first = self.folder_build(folder, out, sc, "incremental")
        if self.cmd(sc, "incremental: first full build", first) is None:
            return
        # the next year's resolution, dated after every document: the append path
        corpus.add_latest(folder, sc.scale + 9000, self.opts.seed)
        self.cmd(sc, INCREMENTAL, self.folder_build(folder, out, sc, "incremental"))
        # a meeting report dated among the others: the repetition links of later
        # units may change, so the build runs in full (the extractions are reused)
        seeds = corpus.read_seeds(ROOT / "seeds")
        doc = next(d for d in seeds.docs if d.kind == "wg-report")
        text, copy = corpus.make_copy(seeds, doc, sc.scale + 9100, self.opts.seed)
        (folder / copy.entry["file"]).write_text(text, encoding="utf-8")
        entry = corpus.manifest_text([copy.entry], sc.scale, self.opts.seed).split("\n", 3)[3]
        with (folder / "manifest.toml").open("a", encoding="utf-8") as fh:
            fh.write("\n" + entry)
        self.cmd(sc, INCREMENTAL_EARLIER, self.folder_build(folder, out, sc, "incremental"))

    def folder_build(self, folder: Path, out: Path, sc: Scale, store: str) -> list[str]:
        cmd = [self.palermo, "build", "--seeds", str(folder), "--out", str(out)]
        if self.store:
            cmd += ["--store", str(Path(self.opts.store_dir) / f"x{sc.scale}-{store}")]
        return cmd

    def baseline(self, sc: Scale) -> None:
        out = self.work / f"x{sc.scale}" / "baseline"
        cmd = [
            sys.executable,
            str(BENCH / "baseline_rdflib.py"),
            "--seeds",
            str(sc.corpus),
            "--out",
            str(out),
        ]
        validate = not self.opts.quick
        if validate and self.baseline_validate:
            scale, seconds = self.baseline_validate
            validate = seconds * sc.scale / scale < BASELINE_VALIDATE_LIMIT
        elif validate:
            validate = sc.scale <= 10
        if not validate:
            cmd.append("--no-validate")
            sc.notes["baseline validate"] = (
                "skipped (>5 min predicted)" if not self.opts.quick else "skipped (--quick)"
            )
        data = self.json_cmd(sc, BASELINE, cmd)
        for key, value in (data or {}).items():
            if key in ("builder", "triples", "conforms"):
                sc.info[f"baseline {key}"] = value
            elif value != "skipped":
                sc.add(f"baseline {key}", value)
        if data and isinstance(data.get("validate"), float):
            self.baseline_validate = (sc.scale, data["validate"])
        sc.info["baseline validated"] = validate

    def measure(self, scale: int) -> Scale:
        path = corpus_for(scale, Path(self.opts.corpora), self.opts.seed)
        sc = Scale(scale, path)
        sc.info["counts"] = json.loads((path / "counts.json").read_text(encoding="utf-8"))
        runs = runs_at(scale, self.opts)
        for i in range(runs):
            print(f"[x{scale}] run {i + 1}/{runs} ...", file=sys.stderr, flush=True)
            self.once(sc)
        nt = self.work / f"x{scale}" / "out" / "palermo.nt"
        if nt.exists():
            sc.info["palermo.nt MB"] = round(nt.stat().st_size / 2**20, 1)
        return sc


def runs_at(scale: int, opts: argparse.Namespace) -> int:
    """How many runs a scale gets: ``--runs``, at least ``--runs-1x`` at the seeds."""
    if opts.quick:
        return 1
    return max(opts.runs, opts.runs_1x) if scale == 1 else opts.runs


# ---------------------------------------------------------------- the report


def machine() -> str:
    ram = "unknown RAM"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GB RAM"
    except OSError:
        pass
    return (
        f"{platform.node() or 'unknown'}, {os.cpu_count()} cores, {ram}, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    return f"{seconds:.3f}" if seconds < 1 else f"{seconds:.2f}"


def table(sc: Scale) -> list[str]:
    lines = ["| stage | median s | min-max s | peak MB |", "|---|---:|---:|---:|"]
    for name, samples in sc.rows.items():
        values = [s for s, _ in samples]
        peak = sc.peak(name)
        lines.append(
            f"| {name} | {fmt(statistics.median(values))} | "
            f"{fmt(min(values))}-{fmt(max(values))} | {f'{peak:.0f}' if peak else ''} |"
        )
    for name, note in sc.notes.items():
        lines.append(f"| {name} | {note} | | |")
    return lines


@dataclass
class Target:
    what: str
    value: str
    goal: str
    met: bool | None  # None: not measured, or the target does not apply at this scale

    def row(self) -> str:
        verdict = "n/a" if self.value == "n/a" else "(info)"
        if self.met is not None:
            verdict = "met" if self.met else "**not met**"
        return f"| {self.what} | {self.value} | {self.goal} | {verdict} |"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


#: Export ratios -> the files they add up: Turtle and TriG are written in one pass
#: (graph.export), so the time lands on palermo.ttl and is judged against both.
EXPORT_RATIOS = {
    "palermo.nt": ("palermo.nt",),
    "palermo.ttl + palermo.trig (one pass)": ("palermo.ttl", "palermo.trig"),
    "palermo.jsonld": ("palermo.jsonld",),
}


def total(sc: Scale, row: str, names: tuple[str, ...]) -> float | None:
    """The sum of the medians of ``row name`` over ``names`` (None if one is missing)."""
    values = [sc.median(f"{row} {name}") for name in names]
    return None if None in values else sum(values)


def targets(sc: Scale) -> list[Target]:
    """The issue's targets, judged where they apply (else shown for information)."""
    out: list[Target] = []

    def add(what: str, value: float | None, goal: str, test, applies: bool) -> None:
        shown = "n/a" if value is None else f"{value:.2f}"
        met = test(value) if applies and value is not None else None
        out.append(Target(what, shown, goal, met))

    s = sc.scale
    build, build_nv = sc.median(BUILD), sc.median(BUILD_NV)
    add(
        "build / imports", ratio(build, sc.median(IMPORT)), "<= 3 (at 1x)", lambda v: v <= 3, s == 1
    )
    limit, mem = (600, 8192) if s >= 1000 else (90, 2048)
    big = s >= 100
    add("palermo build (validate + exports) s", build, f"< {limit}", lambda v: v < limit, big)
    cold = sc.median(BUILD_COLD)
    add("palermo build --no-cache s", cold, f"< {limit}", lambda v: v < limit, big)
    add("palermo build --no-validate s", build_nv, f"< {limit}", lambda v: v < limit, big)
    peaks = [p for p in (sc.peak(BUILD_COLD), sc.peak(BUILD), sc.peak(BUILD_NV)) if p]
    add(
        "peak memory of a build MB",
        max(peaks) if peaks else None,
        f"< {mem}",
        lambda v: v < mem,
        big,
    )
    validated = sc.info.get("baseline validated")
    add(
        f"baseline / palermo build ({'with' if validated else 'without'} validation)",
        ratio(sc.median(BASELINE), build if validated else build_nv),
        ">= 5 (at 100x)",
        lambda v: v >= 5,
        s == 100,
    )
    lookups = [sc.median(n) for n in sc.rows if n.startswith("lookup ")]
    from graph import query as saved

    listings = {q.name for q in saved.saved_queries() if q.kind == "listing"}
    aggregates = [
        sc.median(n)
        for n in sc.rows
        if n.startswith("query ") and n.removeprefix("query ") not in listings
    ]
    add(
        "slowest lookup s (in-process)",
        max(lookups, default=None),
        "< 1",
        lambda v: v < 1,
        s >= 1000,
    )
    add(
        "slowest whole-corpus aggregate s (in-process; listings have no goal)",
        max(aggregates, default=None),
        "< 10",
        lambda v: v < 10,
        s >= 1000,
    )
    for label, names in EXPORT_RATIOS.items():
        r = ratio(total(sc, "stage export", names), total(sc, "serialiser", names))
        add(f"export / Oxigraph serialiser, {label}", r, "<= 1.5", lambda v: v <= 1.5, True)
    add(
        "incremental rebuild / full build",
        ratio(sc.median(INCREMENTAL), sc.median("incremental: first full build")),
        "< 0.10 (at 100x)",
        lambda v: v < 0.10,
        s == 100,
    )
    return out


def report(scales: list[Scale], opts: argparse.Namespace) -> str:
    runs = runs_at(100, opts)  # at every scale but 1x
    flags = (" --quick" if opts.quick else "") + (
        f" --store-dir {opts.store_dir}" if opts.store_dir else ""
    )
    flags += f" --parts {opts.parts}" if opts.parts else ""
    lines = [
        "# Benchmarks",
        "",
        f"Machine: {machine()}.",
        f"Commit {commit()}, {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}. "
        f"`python bench/harness.py --scales {opts.scales} --runs {opts.runs} "
        f"--runs-1x {opts.runs_1x}{flags}`: {runs} interleaved run(s) of each measurement "
        f"({runs_at(1, opts)} at 1x), each a fresh process; median, min-max and the "
        "process's peak resident memory.",
        "",
        "Corpora: `bench/corpus.py` (copy 0 is the seeds; copies recombine their text). "
        "Stage rows come from one in-process driver (`bench/stages.py`); `palermo.nt`'s "
        "export time includes the preparation every file reuses. Lookups and `query` rows are "
        "in-process on a loaded store; `palermo query` / `palermo trace` rows are fresh CLI "
        "processes, loading the build each time.",
        "",
    ]
    if opts.note:
        lines += [opts.note, ""]
    for sc in scales:
        counts = sc.info.get("counts", {})
        lines += [
            f"## x{sc.scale}",
            "",
            f"{counts.get('documents', '?')} documents, "
            f"{sum(counts.get('units', {}).values())} units, {counts.get('citations', '?')} "
            f"citations, {len(counts.get('meetings', []))} meeting numbers; "
            f"{sc.info.get('triples', '?')} triples "
            f"(palermo.nt {sc.info.get('palermo.nt MB', '?')} MB); "
            f"conforms: {sc.info.get('conforms', 'not validated')}; "
            f"baseline builder: {sc.info.get('baseline builder', 'n/a')}.",
            "",
            *table(sc),
            "",
            "| target | measured | goal | verdict |",
            "|---|---:|---|---|",
            *(t.row() for t in targets(sc)),
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--scales", default="1,10,100", help="comma-separated, e.g. 1,10,100")
    args.add_argument("--runs", type=int, default=3)
    args.add_argument(
        "--runs-1x", type=int, default=7, help="at least this many runs at 1x (milliseconds)"
    )
    args.add_argument("--store-dir", default="", help="pass --store DIR/x<scale> to builds")
    args.add_argument("--quick", action="store_true", help="smoke run: skip the slow parts")
    args.add_argument("--parts", default="", help=f"comma-separated subset of {','.join(PARTS)}")
    args.add_argument("--corpora", default=str(BENCH / "corpora"))
    args.add_argument("--seed", type=int, default=1)
    args.add_argument("--timeout", type=float, default=3600.0, help="seconds per process")
    args.add_argument("--write", default=str(BENCH / "RESULTS.md"))
    args.add_argument("--note", default="", help="a sentence to print under the header")
    opts = args.parse_args(argv)
    unknown = set(filter(None, opts.parts.split(","))) - set(PARTS)
    if unknown:
        print(f"error: unknown --parts {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    harness = Harness(opts)
    try:
        scales = [harness.measure(int(s)) for s in opts.scales.split(",") if s.strip()]
    finally:
        shutil.rmtree(harness.work, ignore_errors=True)
    text = report(scales, opts)
    Path(opts.write).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
