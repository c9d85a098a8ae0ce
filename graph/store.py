"""One store interface: an Oxigraph store for building, querying and exporting.

A build loads into an in-memory store when the corpus is small and into an
on-disk store (RocksDB, ``--store DIR``) when it is large or asked: see
:func:`new_store` and :data:`DISK_THRESHOLD_BYTES`. Queries, traces, exports,
``serve`` and ``push`` open any of

* a build folder (its ``palermo.nt``, loaded into memory),
* an RDF file (N-Triples, Turtle, TriG, N-Quads, JSON-LD, RDF/XML; named graphs stay
  named, queries read their union),
* an Oxigraph store folder written by ``palermo build --store DIR`` (opened read-only,
  nothing loaded: lookups on a large graph answer at once),

with :func:`open_store`; all give the same rows. rdflib is used only where a library
needs it (pyshacl) and for small fixtures: :func:`to_rdflib` converts.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.util import guess_format

from graph.export import NTRIPLES

DEFAULT_OUT = Path("out")

#: Source documents larger than this in total are built in an on-disk store even without
#: ``--store``: an in-memory store takes about 40 bytes of memory per byte of Arabic text
#: (100 copies of the seeds, 27 MB, hold 2.3 M triples in about 1 GB), so beyond this size
#: (about 250 copies of the seeds) the 2 GB a build may use would not suffice.
DISK_THRESHOLD_BYTES = 64 * 1024 * 1024

#: File extensions Oxigraph reads, and their formats.
OXIGRAPH_FORMATS = {
    ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".trig": pyoxigraph.RdfFormat.TRIG,
    ".nq": pyoxigraph.RdfFormat.N_QUADS,
    ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
    ".rdf": pyoxigraph.RdfFormat.RDF_XML,
    ".owl": pyoxigraph.RdfFormat.RDF_XML,
}

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class StoreError(Exception):
    """A graph that cannot be opened; the message says what to do."""


def is_store_dir(path: Path) -> bool:
    """Whether ``path`` is an Oxigraph (RocksDB) store folder."""
    return path.is_dir() and (path / "CURRENT").is_file() and any(path.glob("OPTIONS-*"))


def new_store(directory: Path | None = None) -> pyoxigraph.Store:
    """An empty store: in memory, or on disk in ``directory`` (created, must be empty)."""
    if directory is None:
        return pyoxigraph.Store()
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise StoreError(f"{directory} is not empty: give --store a new or empty folder")
    try:
        return pyoxigraph.Store(str(directory))
    except OSError as exc:
        raise StoreError(f"cannot create a store in {directory}: {exc}") from None


def replace_dir(new: Path, target: Path) -> None:
    """Put the store folder ``new`` at ``target``, replacing an older store there."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        if not is_store_dir(target):
            raise StoreError(f"{target} exists and is not an Oxigraph store: not replacing it")
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def resolve(path: Path | None) -> Path:
    """The RDF file or store folder a --graph value names: a build folder's N-Triples,
    a store folder, or the file itself."""
    path = path or DEFAULT_OUT
    if is_store_dir(path):
        return path
    if path.is_dir():
        if not (path / NTRIPLES).exists():
            raise StoreError(
                f"{path} holds no {NTRIPLES}: run `palermo build --out {path}` "
                "first, or give --graph a build folder, an RDF file or a store folder"
            )
        return path / NTRIPLES
    if not path.exists():
        raise StoreError(
            f"no build output at {path}: run `palermo build` first, or give "
            "--graph a build folder, an RDF file or a store folder"
        )
    return path


def open_store(path: Path | None = None) -> pyoxigraph.Store:
    """The graph at ``path`` in an Oxigraph store: a store folder opened read-only, any
    other source loaded into memory. Named graphs (TriG, N-Quads, stores) stay named;
    queries read the union of all graphs (see graph.query)."""
    file = resolve(path)
    if file.is_dir():
        try:
            return pyoxigraph.Store.read_only(str(file))
        except OSError as exc:
            raise StoreError(f"{file}: the store cannot be opened ({exc})") from None
    fmt = OXIGRAPH_FORMATS.get(file.suffix.lower())
    if fmt is None:
        raise StoreError(
            f"{file}: unknown RDF format {file.suffix!r}; use one of "
            + ", ".join(sorted(OXIGRAPH_FORMATS))
        )
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=str(file), format=fmt)
    except (OSError, SyntaxError, ValueError) as exc:
        raise StoreError(f"{file} could not be read as {file.suffix}: {exc}") from None
    return store


def store_from_ntriples(data: bytes) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.bulk_load(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def _rdflib_term(node, iris: dict):
    if isinstance(node, pyoxigraph.NamedNode):
        found = iris.get(node.value)
        if found is None:
            found = iris[node.value] = URIRef(node.value)
        return found
    if isinstance(node, pyoxigraph.BlankNode):
        return BNode(node.value)
    if node.language:
        return Literal(node.value, lang=node.language)
    datatype = node.datatype.value
    return Literal(node.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))


def to_rdflib(quads: Iterable, graph: Graph | None = None) -> Graph:
    """The triples of ``quads`` (a store, or parsed quads or triples) in an rdflib Graph:
    the union of their graphs."""
    graph = Graph() if graph is None else graph
    iris: dict[str, URIRef] = {}
    term = _rdflib_term
    graph.addN(
        (term(q.subject, iris), term(q.predicate, iris), term(q.object, iris), graph) for q in quads
    )
    return graph


def open_graph(path: Path | None = None) -> Graph:
    """The graph at ``path`` as an rdflib Graph (the union of its named graphs)."""
    file = resolve(path)
    if file.is_dir() or file.suffix.lower() in (".trig", ".nq"):
        return to_rdflib(open_store(file))
    fmt = guess_format(str(file)) or "turtle"
    graph = Graph()
    try:
        graph.parse(file, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many types
        raise StoreError(f"{file} could not be read as {fmt}: {exc}") from None
    return graph
