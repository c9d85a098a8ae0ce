"""Each named graph's statements as the build wrote them, kept on disk for the exports.

A build whose store is on disk (``--store DIR``, or a corpus beyond
``graph.store.DISK_THRESHOLD_BYTES``) writes its exports from here, not from the
store: reading a graph back from Oxigraph's on-disk store costs a key-value lookup
per term. At 10x the seeds a dump from disk took ten times as long as from memory;
at 1000x the seeds the N-Triples export took 500 s of a 25-minute build.

The builder hands each graph's N-Quads text over as it loads it into the store
(:meth:`Spool.add`; a document graph comes in two parts, its statements and then its
repetition links), and the vocabulary graphs as their Turtle files. For the export,
:meth:`Spool.ntriples` gives the lines a dump of the big store gives for that graph.
The builder writes each statement as the store's serialiser does (graph.nquads), so a
graph's lines are its N-Quads with the graph name cut off, duplicates dropped, with
no store loaded and dumped per graph (about 0.6 us a line at 1000x the seeds). A graph
with a control character, which the serialiser escapes and the builder writes raw,
and the vocabulary graphs (Turtle files) still go through a small in-memory store
(tests/test_spool.py compares the two ways on every graph).
"""

from __future__ import annotations

import os
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pyoxigraph

_NQ = pyoxigraph.RdfFormat.N_QUADS
_NT = pyoxigraph.RdfFormat.N_TRIPLES
_TURTLE = pyoxigraph.RdfFormat.TURTLE


class Spool:
    """Graph texts appended to one file in ``work``, with where each part sits."""

    def __init__(self, work: Path) -> None:
        self.path = work / "statements.nq"
        self._fh = self.path.open("wb")
        self._parts: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
        self._files: dict[str, list[Path]] = defaultdict(list)

    def add(self, graph: str, data: bytes) -> None:
        """N-Quads ``data`` (UTF-8), every line in ``graph``."""
        start = self._fh.tell()
        self._fh.write(data)
        self._parts[graph].append((start, start + len(data)))

    def add_files(self, graph: str, files: list[Path]) -> None:
        """Turtle ``files`` whose triples make up ``graph``."""
        self._files[graph].extend(files)

    def names(self) -> list[str]:
        """The graphs, in order of name."""
        return sorted(set(self._parts) | set(self._files))

    def size(self, graph: str) -> int:
        """Bytes of ``graph``'s statements and files: how much work reading it is."""
        parts = sum(end - start for start, end in self._parts.get(graph, []))
        return parts + sum(file.stat().st_size for file in self._files.get(graph, []))

    def close(self) -> None:
        """No more graphs: what was added can be read back (closing twice is harmless)."""
        self._fh.close()

    def ntriples(self, graph: str) -> bytes:
        """``graph``'s triples as Oxigraph writes N-Triples, each statement once, the
        lines sorted as bytes. Call :meth:`close` first; safe in threads."""
        return ntriples_of(self._read(graph), graph, self._files.get(graph, []))

    def _read(self, graph: str) -> bytes:
        fd = os.open(self.path, os.O_RDONLY)
        try:
            return b"".join(os.pread(fd, end - start, start) for start, end in self._parts[graph])
        finally:
            os.close(fd)


def ntriples_of(nquads: bytes, graph: str, files: list[Path] = ()) -> bytes:
    """The builder's N-Quads lines of ``graph`` (and the triples of Turtle ``files``)
    as Oxigraph writes N-Triples, each statement once, sorted as bytes: straight from
    the lines (:func:`as_triples`) where they are already so written, else through a
    small in-memory store."""
    if not files:
        lines = as_triples(nquads, graph)
        if lines is not None:
            return lines
    store = pyoxigraph.Store()
    store.bulk_load(nquads, format=_NQ)
    node = pyoxigraph.NamedNode(graph)
    for file in files:
        store.bulk_load(path=str(file), format=_TURTLE, to_graph=node)
    dumped = store.dump(format=_NT, from_graph=node).split(b"\n")
    dumped.pop()  # after the last newline
    return b"".join(line + b"\n" for line in sorted(dumped))


#: Bytes the N-Triples serialiser escapes and the builder writes raw (graph.nquads
#: escapes only quote, backslash, CR and LF): tab and the other controls, and DEL.
ESCAPED_BY_STORE = bytes([*range(0x00, 0x0A), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def as_triples(nquads: bytes, graph: str) -> bytes | None:
    """The builder's N-Quads lines of ``graph`` as N-Triples, each once and sorted, or
    None where the store would write them otherwise (a control character) or a line
    is not in ``graph``. (At 1000x the seeds a regular expression looking for the
    controls took 28 s and a set of the lines 20 s; deleting the controls and
    comparing lengths, and sorting, which the export does anyway, take a fraction.)"""
    if len(nquads.translate(None, ESCAPED_BY_STORE)) != len(nquads):
        return None
    suffix = f" <{graph}> .\n".encode()
    lines = nquads.count(b"\n")
    triples = nquads.replace(suffix, b" .\n")
    # each line ends with the graph, and no literal holds a raw newline: one cut a line
    if len(nquads) - len(triples) != lines * (len(suffix) - 3) or not nquads.endswith(b"\n"):
        return None
    sorted_lines = triples.split(b"\n")
    del triples
    sorted_lines.pop()  # after the last newline
    sorted_lines.sort()
    unique = [a for a, b in pairwise(sorted_lines) if a != b] + sorted_lines[-1:]
    return b"\n".join(unique) + b"\n" if unique else b""
