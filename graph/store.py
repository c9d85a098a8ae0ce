"""Open a build output (a folder or any RDF file) as a graph to query."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.util import guess_format

from graph.export import NTRIPLES

DEFAULT_OUT = Path("out")


class StoreError(Exception):
    """A graph that cannot be opened; the message says what to do."""


def open_graph(path: Path | None = None) -> Graph:
    """The graph at ``path``: a build folder (its N-Triples) or an RDF file."""
    path = path or DEFAULT_OUT
    if path.is_dir():
        path = path / NTRIPLES
        if not path.exists():
            raise StoreError(
                f"{path.parent} holds no {NTRIPLES}: run `palermo build --out "
                f"{path.parent}` first, or give --graph a build folder or RDF file"
            )
    elif not path.exists():
        raise StoreError(
            f"no build output at {path}: run `palermo build` first, or give "
            "--graph a build folder or an RDF file"
        )
    fmt = guess_format(str(path)) or "turtle"
    graph = Graph()
    try:
        graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many types
        raise StoreError(f"{path} could not be read as {fmt}: {exc}") from None
    return graph
