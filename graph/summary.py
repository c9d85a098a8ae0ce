"""Materialised aggregates: the rows of the whole-corpus GROUP BY queries, made per
document when a store folder is built, kept in the store as RDF Data Cube
observations, and read back in their place.

At 1000x the seeds a GROUP BY over every unit on the disk store takes 18 to 55 s
(addressee-asks, cited-documents, themes-over-time). Each of them counts units, and
every unit sits in one document graph, so its rows over the corpus are sums (and a
MIN, and a union of printed forms) of its rows over each document. ``palermo build
--store DIR`` runs each query as written on every document graph in turn, in a small
store holding that graph with the vocabulary and the entities (graph.per_document; in
the same walk over the graphs as the recommendations CSV), and writes the rows
as ``qb:Observation`` nodes of one ``qb:DataSet`` per query in the named graph
``graph/summary``. ``queries/summary/NAME.rq`` adds them up; graph.query runs it in
place of ``queries/NAME.rq`` on a store whose summary is current: it covers exactly
the store's document graphs and was made by these query texts (:func:`current`).
Elsewhere (files, endpoints, stores built before) the query runs as written, and
``palermo query --no-summary`` always does.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pyoxigraph

from graph import lookups
from graph import query as saved
from graph.export import SUMMARY_GRAPH
from graph.iris import graph_name
from graph.per_document import DocumentStore, context_names, doc_prefix
from graph.projection import RDF_TYPE, read_terms
from graph.store import StoreError, is_store_dir

#: The summary's own terms: one qb:DataSet per query, one property per column.
SUM = "https://w3id.org/palermo/summary#"
QB = "http://purl.org/linked-data/cube#"

#: The read queries: queries/summary/NAME.rq stands for queries/NAME.rq.
FOLDER = saved.SUMMARY_QUERIES

#: Changes when the observations are written differently.
LAYOUT = "1"

_NT = pyoxigraph.RdfFormat.N_TRIPLES
_NQ = pyoxigraph.RdfFormat.N_QUADS


def summarised() -> list[str]:
    """Names of the saved queries that have a read query over the summary."""
    return sorted(p.stem for p in FOLDER.glob("*.rq"))


def read_query(name: str) -> saved.SavedQuery:
    return saved.load(name, FOLDER)


def digest() -> str:
    """What the summary was made by: the layout and the text of each query it holds
    the rows of (the read queries only read it: changing them needs no new build)."""
    h = hashlib.sha256(LAYOUT.encode())
    for name in summarised():
        h.update(saved.load(name).text.encode("utf-8"))
    return h.hexdigest()


def summary_graph(base: str) -> str:
    return graph_name(base, "summary")


# ---------------------------------------------------------------------- making it


class Observations:
    """Each summarised query's rows over one document, as observation N-Quads."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.queries = [saved.load(name) for name in summarised()]
        self.target = f"<{summary_graph(base)}>"

    def texts(self) -> list[str]:
        """The queries (what a document's graph is projected on for them)."""
        return [query.text for query in self.queries]

    def of(self, doc_id: str, graph: str, store: pyoxigraph.Store) -> bytes:
        """The summary graph's N-Quads for the document graph ``graph`` (the one
        document graph in ``store``): its rows of every summarised query, and that it
        is covered."""
        lines = [f"{self.target} <{SUM}covers> <{graph}> {self.target} .\n"]
        for query in self.queries:
            lines += _observation_lines(self.base, query, doc_id, store, self.target)
        return "".join(lines).encode("utf-8")


def count(observations: bytes) -> int:
    """How many observations N-Quads ``observations`` (from :meth:`Observations.of`) make."""
    return observations.count(f"<{QB}Observation>".encode())


def _observation_lines(
    base: str, query: saved.SavedQuery, doc_id: str, store: pyoxigraph.Store, target: str
) -> list[str]:
    """One observation per row of ``query`` over the store: its dataset, and each bound
    cell as the value of the column's property (a '|'-joined list cell as one value
    per item)."""
    lists = {n.strip() for n in query.header.get("lists", "").split(",") if n.strip()}
    solutions = store.query(query.text, use_default_graph_as_union=True)
    columns = [v.value for v in solutions.variables]
    lines = []
    for i, row in enumerate(solutions):
        obs = f"<{base}summary/{query.name}/{doc_id}/{i}>"
        lines.append(f"{obs} <{RDF_TYPE}> <{QB}Observation> {target} .\n")
        lines.append(f"{obs} <{QB}dataSet> <{SUM}{query.name}> {target} .\n")
        for column, cell in zip(columns, row, strict=True):
            if cell is None:
                continue
            values = [cell]
            if column in lists:
                values = [pyoxigraph.Literal(v) for v in sorted(set(cell.value.split("|"))) if v]
            lines += [f"{obs} <{SUM}{column}> {v} {target} .\n" for v in values]
    return lines


def head_lines(base: str) -> bytes:
    """The summary graph's description: its datasets, and what made it."""
    target = f"<{summary_graph(base)}>"
    lines = [f'{target} <{SUM}digest> "{digest()}" {target} .\n']
    for name in summarised():
        lines.append(f"<{SUM}{name}> <{RDF_TYPE}> <{QB}DataSet> {target} .\n")
    return "".join(lines).encode("utf-8")


def add(
    store: pyoxigraph.Store,
    base: str,
    each_graph,
    context,
    filed: lookups.Writer | None = None,
) -> int:
    """Compute and load the summary of every document graph; the observations made.
    With ``filed``, each document's rows of the lookup index (graph.lookups) go to it.

    ``each_graph(fn)`` gives (graph name, ``fn(name, N-Triples)``) of each graph;
    ``context()`` the (name, N-Triples) of the graph.per_document.CONTEXT graphs."""
    made = Observations(base)
    rows = lookups.Rows() if filed is not None else None
    docs = DocumentStore(base, made.texts() + (rows.texts() if rows else []), context)

    def observations(name: str, nt: bytes) -> bytes:
        doc_id = docs.doc_id(name)
        if doc_id is None:
            return b""
        with docs.loaded(name, nt) as small:
            if rows is not None:
                filed.add(name, rows.of(small, name))
            return made.of(doc_id, name, small)

    store.remove_graph(pyoxigraph.NamedNode(summary_graph(base)))
    total, pending, size = 0, [head_lines(base)], 0
    for _, data in each_graph(observations):
        total += count(data)
        pending.append(data)
        size += len(data)
        if size >= LOAD_BYTES:
            store.bulk_load(b"".join(pending), format=_NQ)
            pending, size = [], 0
    store.bulk_load(b"".join(pending), format=_NQ)
    return total


#: Observations handed to the store per load: a bulk load into a disk store writes
#: and syncs files, so one per document (5,000 at 1000x the seeds) took minutes.
LOAD_BYTES = 64 << 20


def add_from(store: pyoxigraph.Store, base: str, exports) -> int:
    """Load the summary a build's exports made beside the recommendations CSV
    (graph.export.StoreExports with ``summarised``: one walk over the document graphs
    for both); the observations made."""
    if exports.summary is None:
        raise ValueError("the exports were not asked to summarise (StoreExports summarised)")
    path, made = exports.summary
    store.remove_graph(pyoxigraph.NamedNode(summary_graph(base)))
    store.bulk_load(head_lines(base), format=_NQ)
    store.bulk_load(path=str(path), format=_NQ)
    return made


def add_to_folder(path: Path, base: str, progress: Callable[[], None] = lambda: None) -> int:
    """:func:`add` on a store folder built before the summary existed (``palermo
    summarise``), its lookup index (graph.lookups) made in the same walk and put in
    place once whole: each graph is read from the store in turn, in this process (a
    forked child may not share an open RocksDB)."""
    if not is_store_dir(path):
        raise StoreError(f"{path} is not an Oxigraph store folder (palermo build --store DIR)")
    try:
        store = pyoxigraph.Store(str(path))
    except OSError as exc:
        raise StoreError(f"{path} cannot be opened for writing ({exc}); is it in use?") from None
    filed = lookups.Writer(path / f".{lookups.FILE}.new", doc_prefix(base))
    try:
        made = _add_from_store(store, base, progress, filed)
        os.replace(filed.close(), lookups.beside(path))
    finally:
        filed.path.unlink(missing_ok=True)
    store.flush()
    # closed here, not when a collection finds it: rdflib's parser (graph.projection)
    # leaves cycles of frames that hold the frames above, and a store reopened while
    # this one still compacts finds files gone
    del store
    gc.collect()
    return made


def _add_from_store(
    store: pyoxigraph.Store, base: str, progress: Callable[[], None], filed: lookups.Writer
) -> int:
    names = sorted(g.value for g in store.named_graphs() if g.value.startswith(doc_prefix(base)))
    if not names:
        raise StoreError(f"the store has no document graphs under {doc_prefix(base)} (--base?)")
    texts = [saved.load(name).text for name in summarised()]
    terms = read_terms(texts + lookups.Rows().texts())
    patterns = _patterns(terms)

    def dump(name: str) -> bytes:
        return store.dump(format=_NT, from_graph=pyoxigraph.NamedNode(name))

    def projected(name: str) -> bytes:
        """Only what the queries read, by index range: at 1000x the seeds the whole
        summary took 7.5 min so, and dumping every graph whole had not done in 12."""
        if patterns is None:
            return dump(name)
        graph = pyoxigraph.NamedNode(name)
        quads = (q for p, o in patterns for q in store.quads_for_pattern(None, p, o, graph))
        triples = (pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads)
        return pyoxigraph.serialize(triples, format=_NT) or b""

    def each_graph(fn):
        for name in names:
            yield name, fn(name, projected(name))
            progress()

    def context():
        return ((n, dump(n)) for n in context_names(base))

    return add(store, base, each_graph, context, filed)


def _patterns(terms: tuple[list[str], list[str]] | None) -> list[tuple] | None:
    """(predicate, object or None) of each index range a projection reads."""
    if terms is None:
        return None
    named, classes = terms
    kind = pyoxigraph.NamedNode(RDF_TYPE)
    return [(pyoxigraph.NamedNode(p), None) for p in named] + [
        (kind, pyoxigraph.NamedNode(c)) for c in classes
    ]


# ---------------------------------------------------------------------- reading it


def current(store: pyoxigraph.Store) -> bool:
    """Whether ``store`` holds a summary made by these queries that covers exactly its
    document graphs (a few small lookups: no query over the units)."""
    found = list(store.query(f"SELECT ?g ?d WHERE {{ GRAPH ?g {{ ?g <{SUM}digest> ?d }} }}"))
    if len(found) != 1 or found[0]["d"].value != digest():
        return False
    graph = found[0]["g"]
    if not graph.value.endswith(SUMMARY_GRAPH):
        return False
    prefix = graph.value[: -len("summary")] + "doc/"
    ask = f"SELECT ?c WHERE {{ GRAPH {graph} {{ {graph} <{SUM}covers> ?c }} }}"
    covered = {row["c"].value for row in store.query(ask)}
    return covered == {g.value for g in store.named_graphs() if g.value.startswith(prefix)}
