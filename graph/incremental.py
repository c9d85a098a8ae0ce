"""Incremental builds: documents added to a corpus already built cost about themselves.

A full build leaves, with its document cache, a :class:`BuildState`: a record of each
document (its cache key, symbol, summary row, warnings, unit labels and eIds), the
shared entities graph, the repetition search and the cross-document link index as
they stood, and where each graph (each document, in the CSV) sits in every published
file. The next ``palermo build`` into the same folder takes the *append* path when
every document of the last build is unchanged and the new ones change nothing that
was built before:

- no earlier document's links or references would resolve differently
  (:meth:`loaders.extract.links.LinkIndex.affected_by`), none cites a new symbol;
- the new documents' compared units all come after the earlier ones in time (the
  repetition search resumes: :class:`loaders.extract.repetition.Repetitions`).

It then extracts, links and builds only the new documents, validates them (with the
entities graph, the vocabulary and the nodes they link to: the earlier graphs were
validated and have not changed) and writes every file by splicing the new graphs'
parts between the earlier bytes, which are copied, not re-serialised. The files are
byte-identical to a full build's (tests/test_incremental.py). Anything else (a
changed or removed document, new code, another base IRI, ``--store``, ``--no-cache``,
files edited since) takes the full path, which says why.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from graph import jsonld
from graph.cache import CACHE_DIR, cache_key, loader_version
from graph.export import (
    CSV,
    JSONLD,
    NTRIPLES,
    TRIG,
    TURTLE,
    Producer,
    _trig_block,
    _turtle_header,
    csv_header,
    turtle_body,
    write_csv,
)
from graph.spool import ntriples_of
from loaders.extract.repetition import Repetitions

#: The state file inside the cache folder.
STATE = "build-state.pickle"
ROOT = Path(__file__).resolve().parents[1]
#: What the graph of a document depends on besides the loaders: code, vocabulary, queries.
CODE = ("graph", "ontology", "queries")
#: The spliced files (the others are written whole).
SPLICED = (NTRIPLES, TURTLE, TRIG, JSONLD, CSV)


@cache
def code_version() -> str:
    """sha256 over the loaders' version and every file the graph is made with."""
    digest = hashlib.sha256(loader_version().encode())
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass
class DocRecord:
    """What a later build needs of a document it does not read again."""

    file_name: str
    key: str
    id: str
    symbol: str
    row: tuple[str, ...]
    warnings: list[str]
    #: unit label -> eId (the targets of the new documents' links)
    eids: dict[str, str]
    #: symbols its references resolve to, sorted (a new document with one changes it)
    cites: tuple[str, ...]


@dataclass
class BuildState:
    version: str
    base: str
    validated: bool
    docs: list[DocRecord]
    entities: list[str]
    #: the repetition search, pickled (:meth:`search`)
    repetitions: bytes
    links: object
    #: file name -> [(graph name or document id, first byte, end byte)]
    layout: dict[str, list[tuple[str, int, int]]]
    #: file name -> its :func:`fingerprint` as published: a file changed since is not spliced
    files: dict[str, str] = field(default_factory=dict)
    #: graph name -> its number of statements
    counts: dict[str, int] = field(default_factory=dict)

    def search(self) -> Repetitions:
        """The repetition search as the build left it (unpickled anew at each call)."""
        found = pickle.loads(self.repetitions)
        if not isinstance(found, Repetitions):
            raise TypeError("the saved repetition search is not one")
        return found


def cited_symbols(doc) -> tuple[str, ...]:
    """The UN symbols ``doc``'s references resolve to (as graph.relations reads them)."""
    refs = [r for u in doc.units() for r in u.references]
    refs += [r for n in doc.footnotes for r in n.references]
    symbols = ((r.normalised or "").split(" para ")[0] for r in refs if r.kind != "treaty-unts")
    return tuple(sorted({s for s in symbols if s}))


def record(doc, key: str, row: tuple[str, ...]) -> DocRecord:
    return DocRecord(
        file_name=doc.file_name,
        key=key,
        id=doc.id,
        symbol=doc.symbol or "",
        row=row,
        warnings=[str(w) for w in doc.warnings],
        eids={u.label: u.eid for u in doc.units()},
        cites=cited_symbols(doc),
    )


def save(state: BuildState, folder: Path, published: Path) -> None:
    """Write ``state`` into the cache ``folder`` of the staged build ``published``,
    with a :func:`fingerprint` of each file it will splice. It holds no set of strings
    (their order differs between processes): two builds of the same documents write
    the same bytes."""
    state.files = {name: fingerprint(published / name, state.layout[name]) for name in SPLICED}
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / STATE).open("wb") as fh:
        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)


#: Bytes read at each end of a file and of each part of it by :func:`fingerprint`.
SAMPLE = 64


def fingerprint(path: Path, parts: list[tuple[str, int, int]]) -> str:
    """The size of ``path`` and a hash of its bytes around every part's ends, the first
    and the last: what an append build checks before copying the earlier parts. A file
    cut, extended or edited so that anything moved no longer matches; it costs a few
    reads (hashing the whole gigabyte at 100x the seeds took a second), and, unlike a
    modification time, two builds of the same documents write the same state."""
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        digest.update(str(size).encode())
        ends = {0, size} | {at for _, start, end in parts for at in (start, end)}
        for at in sorted(ends):
            digest.update(os.pread(fh.fileno(), 2 * SAMPLE, max(0, at - SAMPLE)))
    return digest.hexdigest()


def load(out: Path) -> BuildState | None:
    """The state the last build left in ``out``, if it is there and readable."""
    path = out / CACHE_DIR / STATE
    try:
        with path.open("rb") as fh:
            state = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return state if isinstance(state, BuildState) else None


def unchanged_files(state: BuildState, out: Path) -> bool:
    """Whether the published files are as the last build wrote them (:func:`fingerprint`)."""
    if set(state.files) != set(SPLICED):
        return False
    try:
        return all(
            fingerprint(out / name, state.layout[name]) == state.files[name] for name in SPLICED
        )
    except OSError:
        return False


@dataclass
class Plan:
    """The documents of an append build: the earlier ones by record, the new by path."""

    state: BuildState
    new: list[tuple[Path, dict | None]]
    #: the repetition search of the last build, to resume, and the new units it compares
    search: Repetitions | None = None
    items: list = field(default_factory=list)


def plan(state: BuildState, files: list[Path], manifest: dict) -> Plan | str:
    """The append plan for the documents ``files``, or why there is none."""
    by_name = {p.name: p for p in files}
    for rec in state.docs:
        path = by_name.pop(rec.file_name, None)
        if path is None:
            return f"{rec.file_name} was removed"
        try:
            data = path.read_bytes()
        except OSError:
            return f"{rec.file_name} cannot be read"
        if cache_key(path, data, manifest.get(path.name)) != rec.key:
            return f"{rec.file_name} changed"
    new = [(p, manifest.get(p.name)) for p in sorted(by_name.values())]
    return Plan(state, new)


# ---------------------------------------------------------------------- graphs


def graph_ntriples(lines: Iterable[str], graph: str) -> bytes:
    """One graph's N-Quads ``lines`` as sorted N-Triples, as the exports write them
    (each statement once, Oxigraph's canonical terms)."""
    rows = ntriples_of("".join(lines).encode("utf-8"), graph).split(b"\n")
    rows.pop()
    rows.sort()
    return b"".join(row + b"\n" for row in rows)


def jsonld_nodes(nt: bytes) -> bytes:
    """A graph's JSON-LD node objects, as they sit between others in the file."""
    from graph import jsonld_lines

    return b",\n  ".join(jsonld_lines.node_texts([nt]))


@dataclass
class Part:
    """A new or rewritten graph: its bytes in each file."""

    nt: bytes = b""
    ttl: bytes = b""
    trig: bytes = b""
    jsonld: bytes = b""

    @classmethod
    def of(cls, name: str, nt: bytes) -> Part:
        body = turtle_body(nt) if nt else b""
        return cls(nt, body, _trig_block(name, body) if nt else b"", jsonld_nodes(nt))


def csv_rows(columns: list[str], rows: list[list[str]]) -> dict[str, bytes]:
    """Each document's rows of the recommendations CSV, as graph.export writes them."""
    sink = io.BytesIO()
    parts = write_csv(sink, columns, rows)
    data = sink.getvalue()
    return {doc: data[start:end] for doc, start, end in parts}


# ---------------------------------------------------------------------- splicing


def _copy(src, dst, start: int, end: int) -> None:
    """Bytes ``start:end`` of the open file ``src`` appended to ``dst``, in the kernel."""
    src_fd, dst_fd = src.fileno(), dst.fileno()
    dst.flush()
    offset, left = start, end - start
    while left > 0:
        sent = os.copy_file_range(src_fd, dst_fd, left, offset_src=offset)
        if sent <= 0:
            raise OSError(f"could not copy {src.name}")
        offset += sent
        left -= sent
    dst.seek(0, os.SEEK_END)


class Splice:
    """The files of an append build: each earlier part copied from the published file,
    each new part written, in the order of the keys (graph names; documents in the CSV)."""

    def __init__(self, out: Path, state: BuildState, parts: dict[str, Part], csv: dict) -> None:
        self.out, self.state, self.parts, self.csv = out, state, parts, csv
        self.layout: dict[str, list[tuple[str, int, int]]] = {}

    def _pieces(self, name: str, new: dict[str, bytes]) -> Iterator[tuple[str, object]]:
        """(key, bytes or an earlier range) of ``name``'s parts in order."""
        old = {key: (start, end) for key, start, end in self.state.layout.get(name, [])}
        for key in sorted(set(old) | set(new)):
            if key in new:
                if new[key]:
                    yield key, new[key]
            else:
                yield key, old[key]

    def _write(self, name: str, path: Path, new: dict[str, bytes], head: bytes, sep: bytes) -> None:
        """``head``, then the parts with ``sep`` between them (a file's last bytes
        after its parts are the same in every build: copied from the published one)."""
        parts = []
        with (self.out / name).open("rb") as src, path.open("wb") as dst:
            for i, (key, piece) in enumerate(self._pieces(name, new)):
                dst.write(head if i == 0 else sep)
                start = dst.tell()
                if isinstance(piece, bytes):
                    dst.write(piece)
                else:
                    _copy(src, dst, *piece)
                parts.append((key, start, dst.tell()))
            size = os.fstat(src.fileno()).st_size
            before = self.state.layout.get(name)
            _copy(src, dst, before[-1][2] if before else size, size)
        self.layout[name] = parts

    def producers(self, csv_columns: list[str]) -> dict[str, Producer]:
        def of(attr: str) -> dict[str, bytes]:
            return {name: getattr(part, attr) for name, part in self.parts.items()}

        def write(name: str, new: dict[str, bytes], head: bytes, sep: bytes = b"") -> Producer:
            return lambda path: self._write(name, path, new, head, sep)

        ttl = _turtle_header()
        return {
            NTRIPLES: write(NTRIPLES, of("nt"), b""),
            TURTLE: write(TURTLE, of("ttl"), ttl),
            TRIG: write(TRIG, of("trig"), ttl),
            JSONLD: write(JSONLD, of("jsonld"), jsonld.head() + b"\n  ", b",\n  "),
            CSV: write(CSV, self.csv, csv_header(csv_columns)),
        }
