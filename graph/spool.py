"""Each named graph's statements as the build wrote them, kept on disk for the exports.

A build whose store is on disk (``--store DIR``, or a corpus beyond
``graph.store.DISK_THRESHOLD_BYTES``) writes its exports from here, not from the
store: reading a graph back from Oxigraph's on-disk store costs a key-value lookup
per term. At 10x the seeds a dump from disk took ten times as long as from memory;
at 1000x the seeds the N-Triples export took 500 s of a 25-minute build.

The builder hands each graph's N-Quads text over as it loads it into the store
(:meth:`Spool.add`; a document graph comes in two parts, its statements and then its
repetition links), and the vocabulary graphs as their Turtle files. For the export,
one graph at a time is loaded into a small in-memory store and dumped
(:meth:`Spool.ntriples`): the bytes a dump of the big store gives for that graph, as
the same serialiser writes them (tests/test_store_scale.py compares the two).
"""

from __future__ import annotations

import os
from collections import defaultdict
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
        self._parts: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._files: dict[str, list[Path]] = defaultdict(list)

    def add(self, graph: str, text: str) -> None:
        """N-Quads ``text``, every line in ``graph``."""
        data = text.encode("utf-8")
        start = self._fh.tell()
        self._fh.write(data)
        self._parts[graph].append((start, start + len(data)))

    def add_files(self, graph: str, files: list[Path]) -> None:
        """Turtle ``files`` whose triples make up ``graph``."""
        self._files[graph].extend(files)

    def names(self) -> list[str]:
        """The graphs, in order of name."""
        return sorted(set(self._parts) | set(self._files))

    def close(self) -> None:
        """No more graphs: what was added can be read back (closing twice is harmless)."""
        self._fh.close()

    def ntriples(self, graph: str) -> bytes:
        """``graph``'s triples as Oxigraph writes N-Triples (each statement once, in the
        store's order: callers sort). Call :meth:`close` first; safe in threads."""
        store = pyoxigraph.Store()
        fd = os.open(self.path, os.O_RDONLY)
        try:
            for start, end in self._parts.get(graph, []):
                store.bulk_load(os.pread(fd, end - start, start), format=_NQ)
        finally:
            os.close(fd)
        node = pyoxigraph.NamedNode(graph)
        for file in self._files.get(graph, []):
            store.bulk_load(path=str(file), format=_TURTLE, to_graph=node)
        return store.dump(format=_NT, from_graph=node)
