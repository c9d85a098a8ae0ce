"""Open a build output (a folder or any RDF file) for querying or validating.

Queries run on an in-memory Oxigraph store (``open_store``): parsing and SPARQL
there are one to two orders of magnitude faster than rdflib's. Validation needs
an rdflib graph (pyshacl), which ``open_graph`` gives.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
from rdflib import Graph
from rdflib.util import guess_format

from graph.export import NTRIPLES

DEFAULT_OUT = Path("out")

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


class StoreError(Exception):
    """A graph that cannot be opened; the message says what to do."""


def resolve(path: Path | None) -> Path:
    """The RDF file a --graph value names: a build folder's N-Triples or the file itself."""
    path = path or DEFAULT_OUT
    if path.is_dir():
        if not (path / NTRIPLES).exists():
            raise StoreError(
                f"{path} holds no {NTRIPLES}: run `palermo build --out {path}` "
                "first, or give --graph a build folder or RDF file"
            )
        return path / NTRIPLES
    if not path.exists():
        raise StoreError(
            f"no build output at {path}: run `palermo build` first, or give "
            "--graph a build folder or an RDF file"
        )
    return path


def open_store(path: Path | None = None) -> pyoxigraph.Store:
    """An in-memory Oxigraph store holding the graph at ``path``; named graphs (TriG, N-Quads)
    stay named, and queries read the union of all graphs (see graph.query)."""
    file = resolve(path)
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


def open_graph(path: Path | None = None) -> Graph:
    """The graph at ``path`` as an rdflib Graph (for validation)."""
    file = resolve(path)
    fmt = guess_format(str(file)) or "turtle"
    graph = Graph()
    try:
        graph.parse(file, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many types
        raise StoreError(f"{file} could not be read as {fmt}: {exc}") from None
    return graph
