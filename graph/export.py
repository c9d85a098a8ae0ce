"""Write a build's files from its store, atomically: all or nothing, never half-written.

Every file is first written in a staging folder beside the output folder, then the
two folders are swapped in one step (graph.publish): readers, and a build killed at
any moment, see the previous set of files or the new one, never a mix. Each producer
writes its file straight to disk from the store, so memory grows with the graph, never
with copies of it. Every format is deterministic:

| file | format |
|---|---|
| palermo.nt | N-Triples, sorted, each triple once |
| palermo.ttl | Turtle, written by Oxigraph's serialiser from the sorted N-Triples |
| palermo.trig | TriG by Oxigraph from sorted N-Quads: a graph per document, ontology, schemes |
| palermo.jsonld | JSON-LD, compact, context embedded, subjects in N-Triples order, keys sorted |
| context.jsonld | the JSON-LD context alone, for publishing |
| recommendations.csv | the `recommendations` saved query as CSV |
| warnings.txt | what the loaders doubted |

Sorting: lines are sorted as bytes (the same order as code points) in memory up to
:data:`RUN_LINES` lines, and beyond that in sorted runs on disk merged at the end
(:class:`SortedLines`), so a graph of any size sorts in bounded memory.
"""

from __future__ import annotations

import contextlib
import heapq
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph

from graph import jsonld, publish
from graph.namespaces import PREFIXES

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

Producer = Callable[[Path], None]


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

    def write(self, path: Path) -> None:
        with path.open("wb") as fh:
            fh.writelines(line + b"\n" for line in self.lines())


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


def _prefixes() -> dict[str, str]:
    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def _named(store: pyoxigraph.Store) -> list[tuple[str, object]]:
    """(name, graph) of the store's graphs in order of name; the default graph's
    triples are named :data:`DEFAULT_NAMED_GRAPH`."""
    graphs = [(DEFAULT_NAMED_GRAPH, pyoxigraph.DefaultGraph())]
    graphs += [(g.value, g) for g in store.named_graphs()]
    return sorted(graphs, key=lambda named: named[0])


class StoreExports:
    """Producers of every export of one store. The sorted N-Triples and N-Quads are
    made once, from one dump of each graph, and shared by the formats read from them."""

    def __init__(self, store: pyoxigraph.Store, work: Path) -> None:
        self.store, self.work = store, work
        self._nt: Path | None = None
        self._nq: Path | None = None

    def _sort(self, nt: Path | None, nq: Path | None) -> None:
        """Dump each graph once, in order of graph name, and sort its lines: the
        N-Quads are written graph by graph as they come (sorted within each graph, so
        TriG has one block per graph), and the N-Triples sorted as a whole."""
        triples = SortedLines(self.work)
        with open(nq, "wb") if nq is not None else contextlib.nullcontext() as quads:
            for name, graph in _named(self.store):
                data = self.store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=graph)
                lines = data.split(b"\n")
                lines.pop()  # after the last newline
                if nt is not None:
                    triples.extend(lines)
                if quads is not None:
                    lines.sort()
                    suffix = f" <{name}> .\n".encode()
                    quads.writelines(line[:-2] + suffix for line in lines)
        if nt is not None:
            triples.write(nt)
            self._nt = nt
        if nq is not None:
            self._nq = nq

    def ntriples(self, path: Path) -> None:
        """Sorted N-Triples, one triple per line (a triple in several graphs once)."""
        if self._nt is not None:
            shutil.copyfile(self._nt, path)
            return
        self._sort(path, None if self._nq else self.work / "sorted.nq")

    def _sorted_nt(self) -> Path:
        if self._nt is None:
            self.ntriples(self.work / "sorted.nt")
        return self._nt

    def _sorted_nq(self) -> Path:
        if self._nq is None:
            self._sort(None, self.work / "sorted.nq")
        return self._nq

    def turtle(self, path: Path) -> None:
        """Turtle by Oxigraph's serialiser from the sorted N-Triples (subjects in order)."""
        triples = pyoxigraph.parse(path=str(self._sorted_nt()), format=_NT)
        pyoxigraph.serialize(triples, str(path), pyoxigraph.RdfFormat.TURTLE, prefixes=_prefixes())

    def trig(self, path: Path) -> None:
        """TriG by Oxigraph's serialiser from the sorted N-Quads."""
        quads = pyoxigraph.parse(path=str(self._sorted_nq()), format=pyoxigraph.RdfFormat.N_QUADS)
        pyoxigraph.serialize(quads, str(path), pyoxigraph.RdfFormat.TRIG, prefixes=_prefixes())

    def jsonld(self, path: Path) -> None:
        """Compact JSON-LD: one node object per subject, in the order of the sorted
        N-Triples (where each subject's triples are adjacent), written as they come."""
        triples = pyoxigraph.parse(path=str(self._sorted_nt()), format=_NT)
        with path.open("wb") as fh:
            jsonld.write(fh, jsonld.node_texts(triples))

    def recommendations_csv(self, path: Path) -> None:
        """The ``recommendations`` saved query over the store, as CSV."""
        from graph import query as saved

        columns, rows = saved.run(saved.load("recommendations"), self.store)
        path.write_bytes(saved.render(columns, rows, "csv").encode("utf-8"))

    def producers(self) -> dict[str, Producer]:
        return {
            NTRIPLES: self.ntriples,
            TURTLE: self.turtle,
            TRIG: self.trig,
            JSONLD: self.jsonld,
            CSV: self.recommendations_csv,
        }


_NT = pyoxigraph.RdfFormat.N_TRIPLES


def build_files(exports: StoreExports, warnings: list[str]) -> dict[str, Producer]:
    """Producers of every build output, in the order they are written."""
    files = exports.producers()
    files[CONTEXT] = lambda path: path.write_bytes(jsonld.context_file())
    files[WARNINGS] = lambda path: path.write_bytes(
        "".join(w + "\n" for w in warnings).encode("utf-8")
    )
    return {name: files[name] for name in (NTRIPLES, TURTLE, TRIG, JSONLD, CONTEXT, CSV, WARNINGS)}


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


def write_build(
    out: Path,
    store: pyoxigraph.Store,
    warnings: list[str],
    extra: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Every build output of ``store``, atomically; sorting runs in a scratch folder
    beside ``out`` (never inside it, which a build replaces as a whole)."""
    work = publish.scratch(out, "work")
    try:
        return write_atomically(out, build_files(StoreExports(store, work), warnings), extra)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def export_one(store: pyoxigraph.Store, fmt: str, path: Path) -> None:
    """One export format (``nt``, ``ttl``, ``trig``, ``jsonld``, ``csv``) of ``store``."""
    work = Path(tempfile.mkdtemp(prefix=".palermo-work-", dir=path.parent))
    try:
        StoreExports(store, work).producers()[FORMATS[fmt]](path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
