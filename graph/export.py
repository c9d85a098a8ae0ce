"""Write a build's files from its store, atomically: all or nothing, never half-written.

Every file is first written in a staging folder beside the output folder, then the
two folders are swapped in one step (graph.publish): readers, and a build killed at
any moment, see the previous set of files or the new one, never a mix. Each producer
writes its file straight to disk, one graph at a time, from the store (or, when the
store is on disk, from the build's spool of its graphs: graph.spool), so memory grows
with the largest graph, never with copies of the whole. Every format is deterministic:

| file | format |
|---|---|
| palermo.nt | N-Triples: graph by graph in order of graph name, sorted within each |
| palermo.ttl | Turtle, written by Oxigraph's serialiser from the N-Triples, in their order |
| palermo.trig | TriG: the Turtle of each graph in a block: a graph per document, |
| | the shared entities, ontology, schemes |
| palermo.jsonld | JSON-LD, compact, context embedded, subjects in N-Triples order, keys sorted |
| context.jsonld | the JSON-LD context alone, for publishing |
| recommendations.csv | the `recommendations` saved query as CSV |
| warnings.txt | what the loaders doubted |

Order: the named graphs in order of name, and within each graph its lines sorted as
bytes (the same order as code points): from a store, in memory up to :data:`RUN_LINES`
lines, beyond that in sorted runs on disk merged at the end (:class:`SortedLines`); from
a build's spool (graph.spool), as the spool sorted them reading each graph. The whole file
is never sorted at once: at 100x the seeds that sort (3 million lines, merged from
disk) took more time than the store's serialiser. A build puts each statement, and
each subject, in exactly one graph (tests/test_store_scale.py), so every triple is
written once and each subject's triples are adjacent, as Turtle and JSON-LD want;
a store loaded from elsewhere with a triple in two graphs gets it once per graph.
"""

from __future__ import annotations

import heapq
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from functools import cache, partial
from itertools import groupby
from pathlib import Path
from typing import TypeVar

import pyoxigraph

from graph import jsonld, jsonld_lines, publish
from graph.background import ordered_map
from graph.iris import DEFAULT_BASE
from graph.namespaces import PREFIXES
from graph.spool import Spool

NTRIPLES = "palermo.nt"
TURTLE = "palermo.ttl"
TRIG = "palermo.trig"
JSONLD = "palermo.jsonld"
CONTEXT = "context.jsonld"
CSV = "recommendations.csv"
WARNINGS = "warnings.txt"

#: ``palermo export --format`` names -> file name in a build folder.
FORMATS = {"nt": NTRIPLES, "ttl": TURTLE, "trig": TRIG, "jsonld": JSONLD, "csv": CSV}

#: Named graph that holds a source's default-graph triples in a TriG export.
DEFAULT_NAMED_GRAPH = "https://w3id.org/palermo/graph/all"

#: Lines sorted in memory before a sorted run is written to disk (about 250 MB).
RUN_LINES = 1_000_000

#: From this many bytes of N-Triples on, Turtle, JSON-LD and the CSV's statements are
#: made by two processes (the seeds' 5 MB among them: a fork costs a few milliseconds,
#: their JSON-LD 50; below, the fork is not worth it).
PARALLEL_BYTES = 2 << 20

Producer = Callable[[Path], None]
R = TypeVar("R")


class SortedLines:
    """Byte lines sorted and de-duplicated in bounded memory: runs of :data:`RUN_LINES`
    are sorted in memory and, when there is more than one, merged from disk."""

    def __init__(self, work: Path, run_lines: int = RUN_LINES) -> None:
        self.work, self.run_lines = work, run_lines
        self.pending: list[bytes] = []
        self.runs: list[Path] = []

    def extend(self, lines: Iterable[bytes]) -> None:
        self.pending.extend(lines)
        if len(self.pending) >= self.run_lines:
            self._spill()

    def _spill(self) -> None:
        run = self.work / f"run-{id(self)}-{len(self.runs)}"
        with run.open("wb") as fh:
            fh.writelines(line + b"\n" for line in _unique(sorted(self.pending)))
        self.runs.append(run)
        self.pending = []

    def lines(self) -> Iterator[bytes]:
        """Every line once, in order (without newlines)."""
        if not self.runs:
            yield from _unique(sorted(self.pending))
            return
        if self.pending:
            self._spill()
        files = [run.open("rb") for run in self.runs]
        try:
            yield from _unique(line[:-1] for line in heapq.merge(*files))
        finally:
            for fh in files:
                fh.close()
            for run in self.runs:
                run.unlink(missing_ok=True)


def _unique(ordered: Iterable[bytes]) -> Iterator[bytes]:
    last = None
    for line in ordered:
        if line != last:
            yield line
            last = line


def ntriples(graph) -> bytes:
    """Sorted N-Triples of a small rdflib graph (test fixtures, pyshacl's side): each
    triple once, one per line, ending with a newline."""
    data = graph.serialize(format="nt", encoding="utf-8")
    # split on newlines only: str.splitlines also splits at U+2028, U+0085 or form feed,
    # which N-Triples literals may hold unescaped
    rows = sorted({line for line in data.split(b"\n") if line.strip()})
    return b"".join(row + b"\n" for row in rows)


def _counted(dump: Callable[[], bytes]) -> tuple[bytes, int]:
    """A graph's lines from the spool, which gives them sorted, each once (as one
    piece: the spool has sorted them in memory), and how many there are."""
    data = dump()
    return data, data.count(b"\n")


def _piece(lines: list[bytes]) -> tuple[bytes, int]:
    """Lines as one text, each ended, and how many there are."""
    return (b"\n".join(lines) + b"\n" if lines else b""), len(lines)


def _one_ahead(fn: Callable, items: list) -> Iterator:
    """``fn(item)`` for each item in order, the next one computed in a thread while
    the caller works on the one before."""
    with ThreadPoolExecutor(1) as pool:
        ahead: deque = deque()
        for item in items:
            ahead.append(pool.submit(fn, item))
            if len(ahead) > 1:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()


def _prefixes() -> dict[str, str]:
    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def _named(store: pyoxigraph.Store) -> list[tuple[str, object]]:
    """(name, graph) of the store's graphs in order of name; the default graph's
    triples are named :data:`DEFAULT_NAMED_GRAPH`."""
    graphs = [(DEFAULT_NAMED_GRAPH, pyoxigraph.DefaultGraph())]
    # a store folder's summary (graph.summary) is derived from the other graphs
    graphs += [(g.value, g) for g in store.named_graphs() if not g.value.endswith(SUMMARY_GRAPH)]
    return sorted(graphs, key=lambda named: named[0])


class StoreExports:
    """Producers of every export of one store. The N-Triples are made once, in one
    pass over the graphs, and read by the other formats; Turtle and TriG come from
    one serialisation of each graph. With a ``spool`` (a build whose store is on
    disk), each graph's triples come from it instead of from the store."""

    def __init__(
        self,
        store: pyoxigraph.Store,
        work: Path,
        run_lines: int = RUN_LINES,
        spool: Spool | None = None,
        base: str = DEFAULT_BASE,
        summarised: Callable[[StoreExports], None] | None = None,
    ) -> None:
        self.store, self.work, self.run_lines, self.spool = store, work, run_lines, spool
        self.base, self.summarised = base, summarised
        #: (N-Quads file, observations) of the summary (graph.summary) made beside the
        #: CSV of a store on disk when there is a ``summarised`` to call with these
        #: exports once it is made
        self.summary: tuple[Path, int] | None = None
        #: the lookup index (graph.lookups) made in the same walk, for the store folder
        self.lookups: Path | None = None
        self._nt: Path | None = None
        self._sorting: Future | None = None  # the N-Triples, sorted early (sort_soon)
        self._trig: Path | None = None
        #: (graph name, first byte, end byte) of each graph's lines in the N-Triples
        self.ranges: list[tuple[str, int, int]] = []
        #: file name -> (graph name, or document id in the CSV, first byte, end byte)
        #: of each part of the file: what an incremental build splices (graph.incremental)
        self.layout: dict[str, list[tuple[str, int, int]]] = {}
        #: graph name -> its number of statements
        self.counts: dict[str, int] = {}

    def _sort(self, nt: Path) -> None:
        """Dump each graph once, in order of graph name, sort its lines, and write them
        as they come, noting where each graph's lines sit (:attr:`ranges`)."""
        self.ranges = []
        names, dumps = self._graphs()
        with nt.open("wb") as fh:
            for name, pieces in zip(names, self._sorted_graphs(names, dumps), strict=True):
                start, count = fh.tell(), 0
                for text, lines in pieces:
                    fh.write(text)
                    count += lines
                if fh.tell() > start:
                    self.ranges.append((name, start, fh.tell()))
                    self.counts[name] = count
        self._nt = nt

    def _graphs(self) -> tuple[list[str], list[Callable[[], bytes]]]:
        """The graph names in order, and for each a function giving its N-Triples."""
        if self.spool is not None:
            self.spool.close()  # the build has handed over every graph
            names = self.spool.names()
            return names, [partial(self.spool.ntriples, name) for name in names]
        named = _named(self.store)
        dump = partial(self.store.dump, format=_NT)
        return [name for name, _ in named], [partial(dump, from_graph=g) for _, g in named]

    def _sorted_graphs(
        self, names: list[str], dumps: list[Callable[[], bytes]]
    ) -> Iterator[Iterable[tuple[bytes, int]]]:
        """Each graph's sorted lines, in order, as (text, lines) pieces. From a store in
        memory, the store dumps the next graph (in Rust, without the GIL) while this
        thread sorts the one before; from a spool, where reading a graph is Python
        work too (and sorts it), a forked child reads the graphs from the back."""
        if self.spool is None:
            # (map: no name here keeps a graph's bytes once its lines are split)
            return map(self._sorted_blocks, _one_ahead(lambda dump: dump(), dumps))
        fork = sum(self.spool.size(name) for name in names) >= PARALLEL_BYTES
        return ([whole] for whole in ordered_map(_counted, dumps, self.work, fork))

    def _sorted_blocks(self, data: bytes) -> Iterator[tuple[bytes, int]]:
        """One graph's lines (its N-Triples ``data``), sorted, as (text, lines) pieces:
        the whole graph when it fits in :attr:`run_lines`, else merged from sorted runs
        on disk."""
        lines = data.split(b"\n")
        del data
        lines.pop()  # after the last newline
        if not lines:
            return
        if len(lines) <= self.run_lines:
            lines.sort()
            yield _piece(lines)
            return
        runs = SortedLines(self.work, self.run_lines)
        runs.extend(lines)
        del lines
        block: list[bytes] = []
        for line in runs.lines():
            block.append(line)
            if len(block) >= self.run_lines:
                yield _piece(block)
                block = []
        if block:
            yield _piece(block)

    def ntriples(self, path: Path) -> None:
        """N-Triples, one triple per line, graph by graph, sorted within each graph."""
        if self._nt is None and self._sorting is None:
            self._sort(path)
        else:  # the other formats read the sorted file too: nobody writes it again
            publish.link_or_copy(self._sorted_nt(), path)
        self.layout[NTRIPLES] = list(self.ranges)

    def sort_soon(self) -> None:
        """Start sorting the N-Triples, which every file is made from, in a thread:
        called once the spool holds every graph, while the store on disk still
        ingests the last of them (Rust, without the GIL: at 1000x the seeds 18 s with
        one core idle). What the sorting raises is raised by the first file."""
        pool = ThreadPoolExecutor(1, thread_name_prefix="sort")
        self._sorting = pool.submit(self._sort, self.work / "sorted.nt")
        pool.shutdown(wait=False)

    def settled(self) -> None:
        """Wait for a sorting started by :meth:`sort_soon` (before its folder goes)."""
        if self._sorting is not None:
            wait([self._sorting])

    def _sorted_nt(self) -> Path:
        if self._sorting is not None:
            self._sorting.result()
        if self._nt is None:
            self._sort(self.work / "sorted.nt")
        return self._nt

    def _per_graph(self, fn: Callable[[bytes], R]) -> Iterator[tuple[str, R]]:
        """(graph name, ``fn`` of its N-Triples lines) of each graph in turn."""
        return self.each_graph(lambda _, data: fn(data))

    def each_graph(self, fn: Callable[[str, bytes], R]) -> Iterator[tuple[str, R]]:
        """(graph name, ``fn`` of its name and N-Triples lines) of each graph in turn,
        made by two processes when the N-Triples reach :data:`PARALLEL_BYTES` (a
        forked child makes them from the back: graph.background.ordered_map)."""
        path = self._sorted_nt()

        def of(at: tuple[str, int, int]) -> R:
            with path.open("rb") as fh:
                fh.seek(at[1])
                return fn(at[0], fh.read(at[2] - at[1]))

        fork = sum(end - start for _, start, end in self.ranges) >= PARALLEL_BYTES
        made = ordered_map(of, self.ranges, self.work, fork)
        return zip((name for name, _, _ in self.ranges), made, strict=True)

    def graphs_named(self, names: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """(name, N-Triples) of those of ``names`` that the graph has, from the sorted
        N-Triples (so after the exports, read again, not made again)."""
        wanted, path = set(names), self._sorted_nt()
        with path.open("rb") as fh:
            for name, start, end in self.ranges:
                if name in wanted:
                    fh.seek(start)
                    yield name, fh.read(end - start)

    def _graph_turtle(self) -> Iterator[tuple[str, bytes]]:
        """(graph name, Turtle of its triples without the prefix lines), graph by
        graph, by Oxigraph's serialiser reading the N-Triples range by range."""
        return self._per_graph(turtle_body)

    def turtle(self, path: Path) -> None:
        """Turtle by Oxigraph's serialiser, graph by graph from the N-Triples (a
        subject's triples adjacent); the TriG is written from the same text."""
        trig = self.work / "palermo.trig"
        parts: dict[str, list[tuple[str, int, int]]] = {TURTLE: [], TRIG: []}
        with path.open("wb") as ttl, trig.open("wb") as blocks:
            for i, (name, body) in enumerate(self._graph_turtle()):
                if i == 0:  # as the serialisers do: no prefixes without triples
                    ttl.write(_turtle_header())
                    blocks.write(_turtle_header())
                for fh, data, key in ((ttl, body, TURTLE), (blocks, _trig_block(name, body), TRIG)):
                    start = fh.tell()
                    fh.write(data)
                    parts[key].append((name, start, fh.tell()))
        self._trig = trig
        self.layout.update(parts)

    def trig(self, path: Path) -> None:
        """TriG, one block per graph: each graph's Turtle indented by a tab, the bytes
        Oxigraph's TriG serialiser writes (tests/test_store_scale.py), without
        serialising the graph a second time."""
        if self._trig is None:
            self.turtle(self.work / "palermo.ttl")
        shutil.move(self._trig, path)
        self._trig = None

    def jsonld(self, path: Path) -> None:
        """Compact JSON-LD: one node object per subject, in the order of the N-Triples
        (where each subject's triples are adjacent), written as they come."""
        memo: dict = {}  # across graphs (in each process): types, kinds, themes recur

        def nodes(data: bytes) -> list[bytes]:
            return list(jsonld_lines.node_texts([data], memo))

        with path.open("wb") as fh:
            self.layout[JSONLD] = write_jsonld(fh, self._per_graph(nodes))

    def recommendations_csv(self, path: Path) -> None:
        """The ``recommendations`` saved query as CSV: over the store in memory, or,
        when the store is on disk (a spool), document by document."""
        from graph import query as saved

        if self.spool is not None:
            self._csv_by_document(path)
            return
        columns, rows = saved.run(saved.load("recommendations"), self.store)
        with path.open("wb") as fh:
            self.layout[CSV] = write_csv(fh, columns, rows)

    def _csv_by_document(self, path: Path) -> None:
        """The CSV from each document graph in turn (graph.per_document), in the order
        of the query's ``ORDER BY ?document``: graph names are a prefix and the id.
        With :attr:`summarised`, the same walk makes the summary's observations
        (graph.summary) into :attr:`summary` and the lookup index (graph.lookups) into
        :attr:`lookups`."""
        from graph import lookups, summary
        from graph import query as saved
        from graph.per_document import DocumentStore, context_names, doc_prefix

        query = saved.load("recommendations")
        columns, _ = saved.run(query, pyoxigraph.Store(), summary=False)
        made = summary.Observations(self.base) if self.summarised else None
        index = lookups.Rows() if self.summarised else None
        texts = [query.text] + (made.texts() + index.texts() if made and index else [])
        docs = DocumentStore(self.base, texts, lambda: self.graphs_named(context_names(self.base)))

        def of(name: str, nt: bytes) -> tuple[str, bytes, bytes, list] | None:
            doc_id = docs.doc_id(name)
            if doc_id is None:
                return None
            with docs.loaded(name, nt) as store:
                _, rows = saved.run(query, store, summary=False)
                observed = made.of(doc_id, name, store) if made else b""
                indexed = index.of(store, name) if index else None
            return (rows[0][0] if rows else doc_id), csv_rows(columns, rows), observed, indexed

        parts, observations, count = [], self.work / "summary.nq", 0
        with path.open("wb") as fh, ExitStack() as stack:
            obs = stack.enter_context(observations.open("wb")) if made else None
            filed = None
            if index is not None:
                filed = lookups.Writer(self.work / lookups.FILE, doc_prefix(self.base))
            fh.write(csv_header(columns))
            for name, done in self.each_graph(of):
                if done is None:
                    continue
                key, text, observed, indexed = done
                if text:
                    start = fh.tell()
                    fh.write(text)
                    parts.append((key, start, fh.tell()))
                if obs is not None:
                    obs.write(observed)
                    count += summary.count(observed)
                if filed is not None:
                    filed.add(name, indexed)
            self.lookups = None if filed is None else filed.close()
        self.layout[CSV] = parts
        if made is not None:
            self.summary = (observations, count)
            self.summarised(self)

    def producers(self) -> dict[str, Producer]:
        return {
            NTRIPLES: self.ntriples,
            TURTLE: self.turtle,
            TRIG: self.trig,
            JSONLD: self.jsonld,
            CSV: self.recommendations_csv,
        }


_NT = pyoxigraph.RdfFormat.N_TRIPLES
#: How the name of the graph of materialised aggregates ends (graph.summary).
SUMMARY_GRAPH = "/graph/summary"
_TURTLE = pyoxigraph.RdfFormat.TURTLE


def turtle_body(nt: bytes) -> bytes:
    """A graph's Turtle (from its N-Triples) by Oxigraph's serialiser, without the
    prefix lines the file has once."""
    triples = pyoxigraph.parse(nt, format=_NT)
    text = pyoxigraph.serialize(triples, None, _TURTLE, prefixes=_prefixes())
    return text[len(_turtle_header()) :]


def csv_header(columns: list[str]) -> bytes:
    """The CSV's header line, as the saved-query renderer writes it (so the file
    written whole and the file spliced by an append start the same)."""
    from graph import query as saved

    return saved.render(columns, [], "csv").encode("utf-8")


def write_jsonld(fh, graphs: Iterable[tuple[str, list[bytes]]]) -> list[tuple[str, int, int]]:
    """Compact JSON-LD (:func:`graph.jsonld.write`) of each (name, node texts) graph
    in turn; returns where each graph's node objects sit (from its first node to the
    end of its last, the separators between graphs left out)."""
    parts: list[tuple[str, int, int]] = []

    def blocks() -> Iterator[bytes]:
        """Each graph's nodes as one block, joined as write() joins nodes: one write
        a graph, not one a node (the seeds' 4,000 nodes: 1 to 3 ms of 37)."""
        for name, texts in graphs:
            if texts:
                block = b",\n  ".join(texts)
                yield block
                # the block was written: it ends where the file does
                parts.append((name, fh.tell() - len(block), fh.tell()))

    jsonld.write(fh, blocks())
    return parts


def write_csv(fh, columns: list[str], rows: list[list[str]]) -> list[tuple[str, int, int]]:
    """The rows as CSV, the header first; returns where each document's rows sit
    (rows come ordered by document, its id in the first column)."""
    fh.write(csv_header(columns))
    parts: list[tuple[str, int, int]] = []
    for doc, group in groupby(rows, key=lambda row: row[0]):
        start = fh.tell()
        fh.write(csv_rows(columns, list(group)))
        parts.append((doc, start, fh.tell()))
    return parts


def csv_rows(columns: list[str], rows: list[list[str]]) -> bytes:
    """The CSV lines of ``rows``, without the header."""
    from graph import query as saved

    return saved.render(columns, rows, "csv").split("\n", 1)[1].encode("utf-8")


@cache
def _turtle_header() -> bytes:
    """The ``@prefix`` lines Oxigraph's Turtle and TriG serialisers begin with (they
    write them before the first triple, so one is written and cut off)."""
    probe = pyoxigraph.NamedNode("urn:palermo:probe")
    text = pyoxigraph.serialize(
        [pyoxigraph.Triple(probe, probe, probe)], None, _TURTLE, prefixes=_prefixes()
    )
    return text[: text.index(b"<urn:palermo:probe>")]


def _trig_block(name: str, turtle: bytes) -> bytes:
    """A graph's TriG block from its Turtle: every line one tab deeper. A raw newline
    only ends a line (the serialiser escapes those in literals)."""
    return f"<{name}> {{\n\t".encode() + turtle[:-1].replace(b"\n", b"\n\t") + b"\n}\n"


def build_files(producers: dict[str, Producer], warnings: list[str]) -> dict[str, Producer]:
    """Producers of every build output, in the order they are written: the graph's
    (``producers``: :meth:`StoreExports.producers`, or an append build's), the context
    and the warnings."""
    files = dict(producers)
    files[CONTEXT] = lambda path: path.write_bytes(jsonld.context_file())
    files[WARNINGS] = lambda path: path.write_bytes(
        "".join(w + "\n" for w in warnings).encode("utf-8")
    )
    # the CSV right after the N-Triples it reads: a build's summary, made with it, is
    # then loaded into the store beside the Turtle and JSON-LD (graph.cli)
    return {name: files[name] for name in (NTRIPLES, CSV, TURTLE, TRIG, JSONLD, CONTEXT, WARNINGS)}


def write_atomically(
    out: Path, files: dict[str, Producer], extra: Callable[[Path], None] | None = None
) -> list[Path]:
    """Write ``files`` (name -> producer writing that file at the path it is given) as
    the whole content of the folder ``out``, published at once by :func:`commit`;
    ``extra`` may add to the staged folder (the document cache). Nothing changes if a
    producer fails."""
    publish.clean_leftovers(out)
    publish.check_target(out)
    staging: Path | None = None
    try:
        with publish.signals_deferred():  # a signal now still leaves ``staging`` to remove
            staging = publish.stage(out)
        for name, produce in files.items():
            produce(staging / name)
        if extra is not None:
            extra(staging)
        commit(staging, out)
        return [out / name for name in files]
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def commit(staging: Path, out: Path) -> list[Path]:
    """Replace the folder ``out`` by ``staging`` in one step (see graph.publish)."""
    return publish.commit(staging, out)


def count_lines(path: Path) -> int:
    """Lines in a file (triples in an N-Triples file), read in blocks."""
    with path.open("rb") as fh:
        return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))


@contextmanager
def build_exports(
    out: Path,
    store: pyoxigraph.Store,
    spool: Spool | None = None,
    base: str = DEFAULT_BASE,
    summarised: Callable[[StoreExports], None] | None = None,
) -> Iterator[StoreExports]:
    """The exports of a build of ``store`` (its graphs read from ``spool`` when
    given), with a scratch folder beside ``out`` to sort in (never inside it, which a
    build replaces as a whole), removed on leaving. With ``summarised``, the summary of
    a store on disk is made with the CSV and ``summarised`` is given the exports then,
    while the other files are still to write."""
    work = publish.scratch(out, "work")
    exports = None
    try:
        exports = StoreExports(store, work, spool=spool, base=base, summarised=summarised)
        yield exports
    finally:
        if exports is not None:
            exports.settled()
        shutil.rmtree(work, ignore_errors=True)


def write_build(
    out: Path,
    exports: StoreExports,
    warnings: list[str],
    extra: Callable[[Path, StoreExports], None] | None = None,
) -> list[Path]:
    """Every build output, atomically. ``extra`` is given the staged folder and the
    exports once every file is written."""
    then = None if extra is None else (lambda staging: extra(staging, exports))
    return write_atomically(out, build_files(exports.producers(), warnings), then)


def export_one(store: pyoxigraph.Store, fmt: str, path: Path) -> None:
    """One export format (``nt``, ``ttl``, ``trig``, ``jsonld``, ``csv``) of ``store``."""
    work = Path(tempfile.mkdtemp(prefix=".palermo-work-", dir=path.parent))
    try:
        StoreExports(store, work).producers()[FORMATS[fmt]](path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
