"""The ``palermo`` command: build, query, queries, analyse.

Errors are for people: each says which file or query, what was expected and
what to do, with exit code 2 when the command cannot run, and no traceback.
Progress and summaries go to stderr; results to stdout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import partial
from pathlib import Path
from typing import NamedTuple

from rich.console import Console
from rich.markup import escape
from rich.progress import MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph import append, incremental, lookups, publish, remote, serve, summary
from graph import query as saved
from graph.background import (
    BackgroundError,
    Handover,
    can_fork,
    in_background,
    long_lived,
    thaw,
)
from graph.build import build_store, links_before, search_and_link, unit_class
from graph.cache import CACHE_DIR, PARALLEL_FROM, DocumentCache
from graph.export import build_exports, write_build
from graph.iris import DEFAULT_BASE, IRIError
from graph.remote import DEFAULT_NAMED_GRAPH, RemoteError
from graph.spool import Spool
from graph.store import (
    DEFAULT_OUT,
    DISK_THRESHOLD_BYTES,
    StoreError,
    is_store_dir,
    new_store,
    open_store,
    replace_dir,
    resolve,
)
from graph.validate import ENGINES, ValidationError, validate_store
from loaders import LoadError, read_folder
from loaders.extract import link_corpus
from loaders.extract.links import LinkIndex
from loaders.model import release
from loaders.provisions import KEYS, Provision, ProvisionError

REPO_SEEDS = Path(__file__).resolve().parents[1] / "seeds"

#: Exit codes.
OK, FAILED, CANNOT_RUN = 0, 1, 2


def default_seeds() -> Path:
    local = Path("seeds")
    return local if local.is_dir() else REPO_SEEDS


def cmd_build(args: argparse.Namespace, err: Console) -> int:
    try:
        return _build(args, err)
    finally:
        thaw()  # whatever way the build ended, its documents are collectable again


def _build(args: argparse.Namespace, err: Console) -> int:
    started = time.perf_counter()
    if args.compact and not args.store:
        err.print("[red]error:[/] --compact compacts a store folder: give --store DIR too")
        return CANNOT_RUN
    seeds = Path(args.seeds) if args.seeds else default_seeds()
    if not seeds.is_dir():
        err.print(f"[red]error:[/] {seeds} is not a folder of documents; give --seeds DIR")
        return CANNOT_RUN
    out = Path(args.out)
    try:
        publish.check_target(out)
    except publish.PublishError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}; nothing written.")
        return CANNOT_RUN
    reader = DocumentCache(None if args.no_cache else publish.target(out) / CACHE_DIR)
    appended = _try_append(args, err, seeds, out, reader, started)
    if appended is not None:
        return appended
    with _progress(err) as progress:
        task = progress.add_task(f"extracting documents in {seeds}", total=None)
        try:
            with long_lived():  # the documents live until the store holds them
                reader.prefetch(seeds, lambda: progress.advance(task))
                progress.update(task, description=f"reading documents in {seeds}", completed=0)
                reading = _advancing(reader.read, progress, task)
                docs, errors = read_folder(seeds, read=reading, repetitions=False, link=False)
        except LoadError as exc:
            errors, docs = [exc], []
    _warn(err, reader)
    for exc in errors:
        err.print(f"[red]error:[/] {escape(exc.message)}")
    if errors and not (args.keep_going and docs):
        err.print(
            f"[red]nothing written[/]: {len(errors)} file(s) could not be read"
            + ("." if args.keep_going else " (--keep-going builds from the others).")
        )
        return CANNOT_RUN
    if not docs:
        err.print(f"[red]error:[/] {seeds} holds no .txt documents; nothing written.")
        return CANNOT_RUN
    err.print(
        f"{len(docs)} documents: {reader.extracted} read and extracted, "
        f"{reader.reused} from the cache"
    )
    # the search for repeated recommendations runs beside the loading of the store
    store_dir = spooled = linked = None
    try:
        linked = publish.scratch(out, "links")
        repeats = _search_and_link_corpus(docs, linked / "links.nq", args.base)
        store_dir = _store_dir(args, out, docs)
        store = new_store(store_dir)
        # a store on disk is slow to read back: the exports come from a spool of the graphs
        spooled = None if store_dir is None else publish.scratch(out, "spool")
    except (StoreError, OSError) as exc:
        _remove(store_dir, spooled, linked)
        err.print(f"[red]error:[/] {escape(str(exc))}; nothing written.")
        return CANNOT_RUN
    try:
        rows, warnings = summary_rows(docs), warnings_of(docs)
        spool = None if spooled is None else Spool(spooled)
        written = _build_and_write(
            args, err, docs, (store, store_dir), out, reader, repeats, warnings, spool
        )
        del store  # closes an on-disk store before its folder moves
        _warn(err, reader)
        if isinstance(written, int):
            return written  # nothing written: the exit code
        if args.store:
            replace_dir(store_dir, Path(args.store))
        seconds = time.perf_counter() - started
        _summary(err, rows, written.triples, seconds, warnings, written.files)
        if errors:
            err.print(
                f"[red]skipped {len(errors)} file(s)[/] that could not be read (--keep-going):"
            )
            for exc in errors:
                err.print(f"  skipped {escape(exc.path)}: {escape(exc.reason)}")
            return FAILED
        return OK
    finally:
        _remove(store_dir, spooled, linked)


def _search_and_link_corpus(docs, path: Path, base: str) -> Callable[[], tuple]:
    """Start the search for repeated recommendations, then link the documents across
    the corpus; the function that waits for the search's result. A forked search
    reads nothing linking changes, so it runs beside the linking (24 s of one core at
    1000x the seeds) and is handed what its statements need of the links after."""
    fork = len(docs) >= PARALLEL_FROM and can_fork()
    before = Handover(fork)
    start = partial(in_background, search_and_link, docs, path, base, before.take, fork=fork)
    repeats = start() if fork else None
    link_corpus(docs, repetitions=False)
    before.give(links_before(docs))
    return repeats if repeats is not None else start()


def _remove(*scratch: Path | None) -> None:
    """Remove a build's scratch folders (those made so far)."""
    for folder in scratch:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _try_append(args, err: Console, seeds: Path, out: Path, reader, started: float) -> int | None:
    """The append build (graph.append) when it applies: its exit code; else None (the
    reason, if there was an earlier build, is said)."""
    try:
        prepared = append.prepare(args, seeds, out, reader)
    except append.NotAppendable as exc:
        append.note(err, str(exc))
        return None
    if prepared is None:
        return None
    plan, new = prepared
    _warn(err, reader)
    if not new:
        err.print(
            f"{len(plan.state.docs)} documents, none changed since the last build: "
            f"{out} left as it is."
        )
        return OK
    err.print(
        f"{len(plan.state.docs) + len(new)} documents: {len(new)} added "
        f"({reader.extracted} read and extracted), {len(plan.state.docs)} built before"
    )
    try:
        with err.status(f"adding {len(new)} documents to {out} ..."):
            done = append.append(args, plan, new, out, reader, summary_rows)
    except IRIError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}; nothing written.")
        return CANNOT_RUN
    except (ValidationError, publish.PublishError, OSError) as exc:
        return _not_published(err, out, exc)
    if not isinstance(done, tuple):
        return _not_conforming(err, done, "the new documents have")
    written, warnings, rows, triples = done
    _warn(err, reader)
    _summary(err, rows, triples, time.perf_counter() - started, warnings, written)
    return OK


def _advancing(read, progress: Progress, task):
    """``read`` that moves the progress bar on by one document each time."""

    def wrapped(path: Path, entry: dict | None):
        try:
            return read(path, entry)
        finally:
            progress.advance(task)

    return wrapped


def _warn(err: Console, reader: DocumentCache) -> None:
    for note in reader.warnings:
        err.print(f"[yellow]warning:[/] {escape(note)}")
    reader.warnings.clear()


def _progress(err: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def _store_dir(args: argparse.Namespace, out: Path, docs) -> Path | None:
    """Where the build's store lives: a new folder beside ``--store DIR`` (swapped in
    when the build succeeds), a scratch folder beside ``out`` when the corpus is larger
    than DISK_THRESHOLD_BYTES, else nowhere (in memory)."""
    if args.store:
        target = Path(args.store)
        if target.exists() and not is_store_dir(target):
            raise StoreError(f"--store {target} exists and is not an Oxigraph store")
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    if sum(len(d.source.encode("utf-8")) for d in docs) > DISK_THRESHOLD_BYTES:
        return publish.scratch(out, "store")
    return None


def warnings_of(docs) -> list[str]:
    return [str(w) for d in docs for w in d.warnings]


def _state(args, docs, reader: DocumentCache) -> incremental.BuildState:
    """What the next build needs to append to this one (graph.incremental), as far as
    it is known before the store is loaded."""
    rows = summary_rows(docs)
    return incremental.BuildState(
        version=incremental.code_version(),
        base=args.base,
        validated=not args.no_validate,
        docs=[
            incremental.record(d, reader.key_of(Path(d.file_name)), row)
            for d, row in zip(docs, rows, strict=True)
        ],
        entities=[],
        repetitions=None,
        links=LinkIndex.of(docs),
        layout={},
    )


def _build_and_write(
    args,
    err: Console,
    docs,
    stored: tuple,
    out: Path,
    reader: DocumentCache,
    repeats,
    warnings,
    spool: Spool | None,
) -> Written | int:
    """Load, validate and publish; what was written, or the exit code if nothing was.
    ``docs`` is emptied once the store holds them (their memory goes to the exports).

    Validation (Oxigraph queries, which release the GIL) runs in a thread while the
    exports are staged (mostly Python); the staged folder is published only once the
    graph conforms, so a failing graph still writes nothing. ``stored`` is the store
    and its folder (None in memory)."""
    store, folder = stored
    beside = _Beside(store, args.base, folder)
    try:
        with build_exports(
            out, store, spool, args.base, beside.summarised if args.store else None
        ) as exports:
            try:
                state = _load(args, err, docs, store, reader, repeats, spool, exports)
                if isinstance(state, int):
                    return state
                return _write(args, err, out, reader, warnings, state, exports, beside)
            finally:
                beside.close()
    except NotConforming as exc:
        return _not_conforming(err, exc.report, "the graph has")
    except (ValidationError, publish.PublishError, OSError) as exc:
        return _not_published(err, out, exc)


class _Beside:
    """The thread beside the exports (mostly Python): validation (Oxigraph queries,
    which release the GIL), then the summary's load into the store, and the lookup
    index filed into the store's ``folder``."""

    def __init__(self, store, base: str, folder: Path | None = None) -> None:
        self.store, self.base, self.folder = store, base, folder
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="validate")
        self.loading: list[Future] = []

    def validate(self) -> Future:
        return self.pool.submit(validate_store, self.store)

    def summarised(self, exports) -> None:
        """Load the summary the exports made into the store, once the graph is
        validated, beside the exports still to write (Rust, without the GIL: at 1000x
        the seeds 20 s, which had one core alone at the end)."""
        self.loading.append(self.pool.submit(summary.add_from, self.store, self.base, exports))

    def loaded(self, exports) -> None:
        """Wait for the summary's load (which must have been started); file the
        lookup index the exports made into the store folder."""
        (loading,) = self.loading
        loading.result()
        if exports.lookups is not None and self.folder is not None:
            os.replace(exports.lookups, lookups.beside(self.folder))

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        wait(self.loading)  # a summary load under way writes into the store: it ends first


def _load(args, err: Console, docs, store, reader, repeats, spool, exports):
    """Load the documents and the search's links into ``store``; the build's state,
    or the exit code if the load failed. With a ``spool``, the exports start sorting
    it as soon as it holds every graph, while the store ingests the last of them."""
    with _progress(err) as progress:
        task = progress.add_task("loading triples", total=None)
        try:
            state = _state(args, docs, reader)

            def links():
                """The search's links, loaded with the documents (waits for it)."""
                progress.update(task, description="loading triples (repetition links)")
                state.repetitions, found = repeats()
                return found

            build_store(
                docs,
                store,
                base=args.base,
                progress=partial(progress.advance, task),
                spool=spool,
                entities=state.entities,
                links=links,
                spooled=exports.sort_soon,
            )
        except BackgroundError as exc:
            err.print(f"[red]error:[/] the search for repetitions failed: {escape(str(exc))}")
            return CANNOT_RUN
        except IRIError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}; nothing written.")
            return CANNOT_RUN
    release(docs)  # the documents are in the store now: their memory goes to the exports
    thaw()
    return state


def _write(args, err: Console, out: Path, reader, warnings, state, exports, beside: _Beside):
    """Validate (beside the exports) and write every file; what was written."""
    checking = None if args.no_validate else beside.validate()

    def gate(staging: Path, exports) -> None:
        """Before the staged files are published: the graph must conform. The cache
        and the state the next build may append to go with them."""
        if checking is not None:
            report = checking.result()
            if not report.conforms:
                raise NotConforming(report)
        reader.save(staging / CACHE_DIR)
        state.layout, state.counts = exports.layout, exports.counts
        incremental.save(state, staging / CACHE_DIR, staging)
        if args.store:  # a store kept for querying: the GROUP BY queries, materialised
            beside.loaded(exports)
            if args.compact:
                beside.store.optimize()

    doing = "writing" if checking is None else "validating against ontology/shapes.ttl and writing"
    with err.status(f"{doing} {out} ..."):
        files = write_build(out, exports, warnings, gate)
    # the N-Triples' lines, as the exports counted them graph by graph
    return Written(files, sum(state.counts.values()))


class Written(NamedTuple):
    """What a build published: its files, and the triples of its N-Triples."""

    files: list[Path]
    triples: int


def _not_published(err: Console, out: Path, exc: Exception) -> int:
    """Say why a build wrote nothing: validation could not run, or publishing failed."""
    if isinstance(exc, ValidationError):
        err.print(
            f"[red]error:[/] {escape(str(exc))}; nothing written "
            "(use --no-validate to publish unvalidated)"
        )
    else:
        err.print(f"[red]error:[/] {escape(str(exc))}; {out} left as it was.")
    return CANNOT_RUN


def _not_conforming(err: Console, report, what: str) -> int:
    """Print the violations of a graph that was not published (``what`` has them)."""
    print_report(report, err)
    err.print(
        f"[red]nothing written[/]: {what} {len(report.problems)} "
        "violations (fix them, or use --no-validate)"
    )
    return FAILED


class NotConforming(Exception):
    """The graph has violations: the staged build is not published."""

    def __init__(self, report) -> None:
        super().__init__(f"{len(report.problems)} violations")
        self.report = report


def summary_rows(docs) -> list[tuple[str, ...]]:
    """The summary table's row for each document (made before the documents are let go)."""
    rows = []
    main = ("recommendation", "operative", "preambular")
    for doc in docs:
        kinds = Counter(unit_class(u)[1] for u in doc.units())
        other = sum(n for k, n in kinds.items() if k not in main)
        counts = (*(kinds.get(k, 0) for k in main), other, len(doc.footnotes))
        rows.append((doc.id, doc.kind, *(str(n) for n in counts)))
    return rows


#: Beyond this many documents the summary has a row per document kind, not per document.
SUMMARY_ROWS = 20


def by_kind(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Summary rows added up per document kind, the first column saying how many."""
    totals: dict[str, list[int]] = {}
    for _, kind, *counts in rows:
        total = totals.setdefault(kind, [0] * (len(counts) + 1))
        total[0] += 1
        for i, n in enumerate(counts, start=1):
            total[i] += int(n)
    return [
        (f"{n} document{'' if n == 1 else 's'}", kind, *map(str, counts))
        for kind, (n, *counts) in sorted(totals.items())
    ]


def _summary(err: Console, rows, triples: int, seconds: float, warnings, written) -> None:
    table = Table(title="palermo build", show_lines=False)
    for col in ("document", "kind", "recommendations", "OPs", "PPs", "other", "footnotes"):
        table.add_column(col, justify="left" if col in ("document", "kind") else "right")
    for row in rows if len(rows) <= SUMMARY_ROWS else by_kind(rows):
        table.add_row(*row)
    err.print(table)
    err.print(
        f"{len(rows)} documents, {triples} triples, {len(warnings)} warnings, {seconds:.2f} s"
    )
    for w in warnings[:10]:
        err.print(f"[yellow]warning:[/] {escape(w)}")
    if len(warnings) > 10:
        err.print(f"... {len(warnings) - 10} more in {written[-1]}")
    err.print("wrote " + ", ".join(str(p) for p in written))


def _params(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        if "=" not in pair:
            raise saved.QueryError(f"--param {pair!r} is not of the form name=value")
        name, value = pair.split("=", 1)
        values[name.strip()] = value
    return values


def _target(args: argparse.Namespace):
    """Where a query runs: a remote endpoint, or the build folder / RDF file in Oxigraph."""
    if args.endpoint:
        return saved.Endpoint(args.endpoint, args.named_graph)
    return open_store(Path(args.graph) if args.graph else None)


def _index(args: argparse.Namespace) -> Path | None:
    """The lookup index of the store folder a query runs on, if it runs on one."""
    if args.endpoint:
        return None
    source = resolve(Path(args.graph) if args.graph else None)
    return lookups.beside(source) if is_store_dir(source) else None


def cmd_query(args: argparse.Namespace, err: Console) -> int:
    try:
        q = saved.load(args.query)
        target, index = _target(args), _index(args)
        result = saved.run(q, target, _params(args.param), not args.no_summary, index)
    except (saved.QueryError, StoreError, RemoteError) as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        return CANNOT_RUN
    columns, table = saved.rows(result)
    if args.format == "table":
        out = Console()
        view = Table(*columns, title=f"{q.name} ({len(table)} rows)")
        for row in table:
            view.add_row(*(escape(c) for c in row))
        out.print(view)
    else:
        sys.stdout.write(saved.render(columns, table, args.format))
    return OK


def cmd_trace(args: argparse.Namespace, err: Console) -> int:
    """What cites a provision, directly or through the provisions it contains."""
    text = args.provision.strip()
    if len(text) > 200:
        err.print(
            f"[red]error:[/] the provision is {len(text)} characters long: write it as "
            "KEY ARTICLE(PARAGRAPH)(LETTER), e.g. 'TIP 6(2)'"
        )
        return CANNOT_RUN
    try:
        notation = text.upper() if text.upper() in KEYS else Provision.parse(text).notation
        q = saved.load("provision-trace")
        result = saved.run(q, _target(args), {"provision": notation})
    except (ProvisionError, saved.QueryError, StoreError, RemoteError) as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        return CANNOT_RUN
    columns, table = saved.rows(result)
    if args.format == "table":
        view = Table(*columns, title=f"{notation}: cited by {len(table)} units")
        for row in table:
            view.add_row(*(escape(c) for c in row))
        Console().print(view)
    else:
        sys.stdout.write(saved.render(columns, table, args.format))
    return OK


def print_report(report, err: Console, limit: int = 20) -> None:
    """Problems grouped by shape or check, each with where it is and what to fix."""
    for shape, problems in report.by_shape().items():
        table = Table(
            "where", "property", "message", title=f"{shape}: {len(problems)}", title_justify="left"
        )
        for p in problems[:limit]:
            table.add_row(escape(p.where or p.focus), escape(p.path), escape(p.message))
        err.print(table)
        if len(problems) > limit:
            err.print(f"... and {len(problems) - limit} more of {shape}")


def cmd_validate(args: argparse.Namespace, err: Console) -> int:
    """Shapes and checks over a build folder or RDF file: 0 conforms, 1 not, 2 cannot run.

    The graph is read into Oxigraph (fast, any size) and checked by the shapes compiled to
    SPARQL; ``--engine pyshacl`` checks it with pyshacl instead, the reference."""
    try:
        store = open_store(Path(args.graph) if args.graph else None)
        with err.status(f"validating ({args.engine}) ..."):
            report = validate_store(store, engine=args.engine)
    except (StoreError, ValidationError, saved.QueryError) as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        return CANNOT_RUN
    if report.conforms:
        err.print(f"[green]conforms[/]: {_triples(store)} triples, no violations")
        return OK
    print_report(report, err)
    err.print(f"[red]does not conform[/]: {len(report.problems)} violations")
    return FAILED


def cmd_summarise(args: argparse.Namespace, err: Console) -> int:
    """Materialise the GROUP BY queries in a store folder built without them."""
    store = Path(args.store)
    try:
        with _progress(err) as progress:
            task = progress.add_task("summarising documents", total=None)
            made = summary.add_to_folder(store, args.base, partial(progress.advance, task))
    except StoreError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        return CANNOT_RUN
    names = ", ".join(summary.summarised())
    indexed = ", ".join(one.query.name for one in lookups.indexed_queries())
    err.print(f"{store}: {made} observations of {names} in graph/summary")
    err.print(f"{store}: the rows of {indexed} in {lookups.FILE} (the lookup index)")
    return OK


def cmd_export(args: argparse.Namespace, err: Console) -> int:
    """One export format of a build folder, RDF file or store folder, to a file or stdout."""
    from graph import export

    source = Path(args.graph) if args.graph else DEFAULT_OUT
    target = Path(args.out) if args.out else None
    try:
        ready = source / export.FORMATS[args.format]
        if is_store_dir(source) or not ready.exists():
            ready = None
        store = None if ready else open_store(source)

        def produce(path: Path) -> None:
            if ready:
                shutil.copyfile(ready, path)
            else:
                export.export_one(store, args.format, path)

        if target is not None:
            publish.write_with(target, produce)
        else:
            with tempfile.TemporaryDirectory(prefix="palermo-export-") as tmp:
                produce(Path(tmp) / export.FORMATS[args.format])
                with (Path(tmp) / export.FORMATS[args.format]).open("rb") as fh:
                    shutil.copyfileobj(fh, sys.stdout.buffer)
    except (StoreError, saved.QueryError) as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        return CANNOT_RUN
    except (publish.PublishError, OSError) as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}; nothing written.")
        return CANNOT_RUN
    if target is not None:
        err.print(f"wrote {args.out}")
    return OK


def _triples(store) -> int:
    """Distinct triples of a store's graphs together."""
    found = store.query(
        "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
        use_default_graph_as_union=True,
    )
    return int(next(iter(found))[0].value)


def _ntriples_of(path: Path | None) -> tuple[str, int]:
    """N-Triples text and triple count of a build folder, RDF file or store folder."""
    from graph import export

    file = resolve(path)
    if file.suffix == ".nt":
        data = file.read_bytes()
    else:
        with tempfile.TemporaryDirectory(prefix="palermo-push-") as tmp:
            export.export_one(open_store(file), "nt", Path(tmp) / "graph.nt")
            data = (Path(tmp) / "graph.nt").read_bytes()
    text = data.decode("utf-8")
    return text, sum(1 for line in text.split("\n") if line.strip())


def cmd_push(args: argparse.Namespace, err: Console) -> int:
    """Replace a named graph on a SPARQL 1.1 store in one request, then verify it.

    Every failure is one line saying what went wrong, what to do, and what the named
    graph on the store holds (unchanged, or old-or-new in full)."""
    try:
        remote.check_url(args.update_endpoint)
        text, expected = _ntriples_of(Path(args.graph) if args.graph else None)
        with err.status(f"pushing {expected} triples to {args.update_endpoint} ..."):
            found = remote.push(
                text,
                args.update_endpoint,
                args.query_endpoint or remote.query_url_for(args.update_endpoint),
                args.named_graph,
                expected,
                timeout=args.timeout,
            )
    except (StoreError, RemoteError) as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
        return CANNOT_RUN if isinstance(exc, StoreError) else FAILED
    err.print(f"[green]pushed[/]: <{args.named_graph}> holds {found} triples")
    return OK


def cmd_serve(args: argparse.Namespace, err: Console) -> int:
    """The graph in an Oxigraph server on loopback, until interrupted."""
    try:
        file = resolve(Path(args.graph) if args.graph else None)
        server = serve.Server(file, args.port, store=file.is_dir())
        with server:
            err.print(f"SPARQL endpoint: {server.url}/query  (query page: {server.url}/)")
            err.print("press Ctrl-C to stop")
            server.wait()
    except (StoreError, serve.ServeError) as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        return CANNOT_RUN
    except KeyboardInterrupt:
        err.print("stopped")
    return OK


def cmd_docs(args: argparse.Namespace, err: Console) -> int:
    """Regenerate the ontology and scheme documentation from the Turtle."""
    from graph import docs

    written = docs.write(Path(args.out))
    err.print("wrote " + ", ".join(str(p) for p in written))
    return OK


def cmd_analyse(args: argparse.Namespace, err: Console) -> int:
    """Network analysis of a build: report, figures and GraphML, written atomically."""
    from graph.analysis.analyse import report_files
    from graph.export import write_atomically

    try:
        store = open_store(Path(args.graph) if args.graph else None)
    except StoreError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}; nothing written")
        return CANNOT_RUN
    with err.status("analysing ..."):
        try:
            files = report_files(store)
        except saved.QueryError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}; nothing written")
            return CANNOT_RUN
    written = write_atomically(Path(args.report), files)
    err.print(f"wrote {len(written)} files to {args.report}: report.md, report.html, ...")
    return OK


def cmd_queries(args: argparse.Namespace, err: Console) -> int:
    table = Table("name", "kind", "summary", "params")
    for q in saved.saved_queries():
        table.add_row(q.name, q.kind, q.summary, ", ".join(p.name for p in q.params))
    Console().print(table)
    return OK


def _source_options(p: argparse.ArgumentParser) -> None:
    """--graph or --endpoint (with --named-graph): where a query runs."""
    where = p.add_mutually_exclusive_group()
    where.add_argument("--graph", help="build folder or RDF file (default: out)")
    where.add_argument("--endpoint", help="a SPARQL 1.1 query endpoint URL instead of a file")
    p.add_argument(
        "--named-graph",
        help="with --endpoint: query this named graph (e.g. the "
        "one `palermo push` filled) instead of the default graph",
    )


def _seconds(text: str) -> int:
    """A positive whole number of seconds (0 would make sockets non-blocking)."""
    if not text.isdigit() or not 0 < int(text) <= 3600:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds from 1 to 3600")
    return int(text)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="palermo",
        description=(
            "Build and query a knowledge graph of UN recommendations, resolutions and decisions "
            "on trafficking in persons, read from their Arabic text."
        ),
    )
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="read every document in a folder and write the graph")
    b.add_argument(
        "--seeds", help="folder of .txt documents (default: ./seeds or the shipped seeds)"
    )
    b.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default: out)")
    b.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI (default: {DEFAULT_BASE})")
    b.add_argument(
        "--no-validate",
        action="store_true",
        help="write the graph even if it does not conform to the shapes",
    )
    b.add_argument(
        "--keep-going",
        action="store_true",
        help="build from the documents that can be read, list the ones skipped, exit 1",
    )
    b.add_argument(
        "--store",
        metavar="DIR",
        help="keep the graph in an on-disk Oxigraph store in DIR (for large corpora; "
        "`palermo query --graph DIR` then answers without loading). Without it the "
        "store is in memory, or a temporary disk store above "
        f"{DISK_THRESHOLD_BYTES // 2**20} MB of documents",
    )
    b.add_argument(
        "--compact",
        action="store_true",
        help="with --store: compact the store once written (at 1000x the seeds 88 s, "
        "after which the GROUP BY queries read 2.6 times faster)",
    )
    b.add_argument(
        "--no-cache",
        action="store_true",
        help=f"read and extract every document again (ignore OUT/{CACHE_DIR})",
    )
    b.set_defaults(func=cmd_build)
    q = sub.add_parser("query", help="run a saved query (or a .rq file) on a built graph")
    q.add_argument("query", help="saved query name (see `palermo queries`) or a .rq file")
    q.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a query parameter (repeatable)",
    )
    q.add_argument("--format", choices=saved.FORMATS, default="table")
    q.add_argument(
        "--no-summary",
        action="store_true",
        help="run the query as written even where the store holds its rows "
        "(a store folder built with --store materialises the GROUP BY queries)",
    )
    _source_options(q)
    q.set_defaults(func=cmd_query)
    t = sub.add_parser("trace", help="what cites a provision ('TIP 6(2)', 'UNTOC 26', 'SOM 6')")
    t.add_argument("provision", help="provision notation, e.g. 'TIP 6(2)' or 'UNTOC 26'")
    t.add_argument("--format", choices=saved.FORMATS, default="table")
    _source_options(t)
    t.set_defaults(func=cmd_trace)
    v = sub.add_parser("validate", help="check a graph against the shapes and check queries")
    v.add_argument("--graph", help="build folder, RDF file or store folder (default: out)")
    v.add_argument(
        "--engine",
        choices=ENGINES,
        default="sparql",
        help="sparql: the shapes compiled to SPARQL, on Oxigraph (default, scales); "
        "pyshacl: the reference implementation (slow on large graphs)",
    )
    v.set_defaults(func=cmd_validate)
    su = sub.add_parser(
        "summarise",
        help="materialise the GROUP BY queries and the lookup index in a store folder "
        "(a --store build does it)",
    )
    su.add_argument("--store", required=True, help="store folder written by build --store")
    su.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI (default: {DEFAULT_BASE})")
    su.set_defaults(func=cmd_summarise)
    e = sub.add_parser("export", help="one export format of a build (nt, ttl, trig, jsonld, csv)")
    e.add_argument(
        "--format", choices=sorted(("nt", "ttl", "trig", "jsonld", "csv")), required=True
    )
    e.add_argument("--graph", help="build folder or RDF file (default: out)")
    e.add_argument("--out", help="file to write (default: standard output)")
    e.set_defaults(func=cmd_export)
    pu = sub.add_parser("push", help="replace a named graph on a SPARQL 1.1 store")
    pu.add_argument("--graph", help="build folder or RDF file (default: out)")
    pu.add_argument("--update-endpoint", required=True, help="SPARQL 1.1 Update endpoint URL")
    pu.add_argument(
        "--query-endpoint",
        help="query endpoint to verify the count (default: the update URL with /update "
        "replaced by /query)",
    )
    pu.add_argument(
        "--named-graph",
        default=DEFAULT_NAMED_GRAPH,
        help=f"named graph IRI to replace (default: {DEFAULT_NAMED_GRAPH})",
    )
    pu.add_argument(
        "--timeout", type=_seconds, default=remote.TIMEOUT_S, help="seconds per request step"
    )
    pu.set_defaults(func=cmd_push)
    se = sub.add_parser("serve", help="serve a build in an Oxigraph server on loopback")
    se.add_argument("--graph", help="build folder or RDF file (default: out)")
    se.add_argument("--port", type=int, default=7878, help="port on 127.0.0.1 (default 7878)")
    se.set_defaults(func=cmd_serve)
    d = sub.add_parser("docs", help="write the ontology documentation (HTML) from the Turtle")
    d.add_argument("--out", default="docs", help="output folder (default: docs)")
    d.set_defaults(func=cmd_docs)
    an = sub.add_parser(
        "analyse", help="network analysis of a build: report, figures (PNG, SVG), GraphML"
    )
    an.add_argument("--graph", help="build folder or RDF file (default: out)")
    an.add_argument("--report", default="analysis", help="output folder (default: analysis)")
    an.set_defaults(func=cmd_analyse)
    ls = sub.add_parser("queries", help="list the saved queries")
    ls.set_defaults(func=cmd_queries)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    err = Console(stderr=True)
    publish.install_signal_handlers()
    try:
        return args.func(args, err)
    except (KeyboardInterrupt, publish.Interrupted) as exc:
        name = exc.name if isinstance(exc, publish.Interrupted) else "SIGINT"
        if publish.published:
            err.print(f"interrupted ({name}) after {publish.published[-1]} was published")
        else:
            err.print(f"interrupted ({name}); previous output left as it was")
        return CANNOT_RUN


if __name__ == "__main__":
    sys.exit(main())
