"""Saved queries run on one document graph at a time.

Every unit sits in one document graph with everything the unit queries read of it;
the vocabulary and the entities graph hold the rest. So a query over units, run on a
small in-memory store of one document graph and those context graphs, gives that
document's rows of the query over the whole corpus. A build whose store is on disk
makes the recommendations CSV and the summary of the GROUP BY queries
(graph.summary) this way, in one walk over the graphs on two processes
(graph.export.StoreExports.each_graph), instead of querying tens of millions of
statements at once (at 1000x the seeds, the CSV's query over the disk store took
327 s).

Each graph is first projected on what the queries read (graph.projection): the
queries' rows over the projection are their rows over the graph.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator

import pyoxigraph

from graph.iris import graph_name
from graph.projection import projection

#: The graphs every document's rows are computed with (the links graph is not read).
CONTEXT = ("ontology", "schemes", "entities")

_NT = pyoxigraph.RdfFormat.N_TRIPLES

#: Documents loaded into one store and removed before it is made anew: Oxigraph's
#: memory store keeps what was removed, and each document's queries scan it (at 1000x
#: the seeds, 7.5 ms a document at first and 17 ms after 1,000 documents). Making it
#: anew reloads the context graphs, projected as the documents are (about 2.5 ms).
#: Over 500 documents of 1000x the seeds (every tenth), a document's whole work in the
#: walk (projection, load, the CSV's, summary's and lookup index's queries) took, in
#: medians of three interleaved runs, 22.6 ms made anew every 50 with the context
#: whole (as before), 19.8 every 10 and 19.1 every 20 with it projected.
RENEW = 20


def doc_prefix(base: str) -> str:
    """How the name of a document graph begins."""
    return graph_name(base, "doc/")


def context_names(base: str) -> list[str]:
    return [graph_name(base, name) for name in CONTEXT]


class DocumentStore:
    """A small in-memory store with the :data:`CONTEXT` graphs (read once per
    process: a forked child reads its own), into which one document graph at a time
    is loaded, projected on what the query ``texts`` read."""

    def __init__(
        self,
        base: str,
        texts: Iterable[str],
        context: Callable[[], Iterable[tuple[str, bytes]]],
    ) -> None:
        self.base, self.context = base, context
        self.projection = projection(tuple(texts))
        self._store: pyoxigraph.Store | None = None
        self._context: list[tuple[str, bytes]] = []
        self._pid = 0
        self._loads = 0

    def doc_id(self, name: str) -> str | None:
        """The document id of graph ``name``, or None if it is not a document graph."""
        prefix = doc_prefix(self.base)
        return name[len(prefix) :] if name.startswith(prefix) else None

    def _ready(self) -> pyoxigraph.Store:
        """The store, made anew in a new process and every :data:`RENEW` documents."""
        if self._pid != os.getpid():
            # projected too: the queries' rows over it are their rows over the graphs,
            # and a store made anew loads in 2.5 ms instead of 14 (at 1000x the seeds)
            keep = self.projection.lines if self.projection is not None else (lambda nt: nt)
            context = [(name, keep(data)) for name, data in self.context()]
            self._context, self._pid, self._store = context, os.getpid(), None
        if self._store is None or self._loads >= RENEW:
            store = pyoxigraph.Store()
            for name, data in self._context:
                store.bulk_load(data, format=_NT, to_graph=pyoxigraph.NamedNode(name))
            self._store, self._loads = store, 0
        self._loads += 1
        return self._store

    @contextlib.contextmanager
    def loaded(self, name: str, nt: bytes) -> Iterator[pyoxigraph.Store]:
        """The store holding graph ``name`` (its N-Triples ``nt``) while in the block."""
        store, graph = self._ready(), pyoxigraph.NamedNode(name)
        if self.projection is not None:
            nt = self.projection.lines(nt)
        # load, not bulk_load: faster for a graph this small (0.16 s against 0.21 s
        # for the 50 documents of 10x the seeds)
        store.load(nt, format=_NT, to_graph=graph)
        try:
            yield store
        finally:
            store.remove_graph(graph)
