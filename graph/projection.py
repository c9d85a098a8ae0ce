"""A graph's N-Triples projected on what a SPARQL query reads: the lines of the
predicates its triple patterns (and property paths) name, and ``rdf:type`` lines only
with a class it asks for. The query's rows over the projection are its rows over the
graph, and loading the projection costs a fraction of loading the graph (the
recommendations CSV at 1000x the seeds; each document's summary, 14% of its bytes).

What a query reads comes from its algebra (rdflib's parser), so editing a query
cannot leave out what it reads; a query with a variable predicate projects on
nothing (every line is kept).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from rdflib import RDF, URIRef, Variable

RDF_TYPE = str(RDF.type)


def read_terms(texts: Iterable[str]) -> tuple[list[str], list[str]] | None:
    """(predicates the queries' patterns name, classes their ``rdf:type`` patterns
    name), or None if a pattern has a variable predicate."""
    # imported here: graph.query reads the summary through graph.summary, which
    # imports this module, and rdflib's SPARQL parser takes 0.15 s to import
    from rdflib.plugins.sparql import prepareQuery

    predicates: set[str] = set()
    classes: set[str] = set()
    for text in texts:
        if not _read(prepareQuery(text).algebra, predicates, classes):
            return None
    return sorted(predicates - {RDF_TYPE}), sorted(classes)


def _read(node, predicates: set[str], classes: set[str]) -> bool:
    """Add what the triple patterns under ``node`` read; False at a variable predicate."""
    if isinstance(node, dict):
        if getattr(node, "name", None) == "BGP":
            return all(_pattern(t, predicates, classes) for t in node["triples"])
        return all(_read(v, predicates, classes) for v in node.values())
    if isinstance(node, list | tuple):
        return all(_read(v, predicates, classes) for v in node)
    return True


def _pattern(triple, predicates: set[str], classes: set[str]) -> bool:
    _, predicate, obj = triple
    if isinstance(predicate, Variable):
        return False
    if predicate == RDF.type and isinstance(obj, URIRef):
        classes.add(str(obj))
    _iris(predicate, predicates)  # an IRI, or a property path of them
    return True


def _iris(node, out: set[str]) -> None:
    if isinstance(node, URIRef):
        out.add(str(node))
    elif isinstance(node, list | tuple):
        for value in node:
            _iris(value, out)
    elif hasattr(node, "__dict__") and not isinstance(node, str):
        for value in vars(node).values():
            _iris(value, out)


@dataclass(frozen=True)
class Projection:
    """What :meth:`lines` keeps of a graph's N-Triples: the lines whose predicate is
    one of :attr:`predicates`, and the ``rdf:type`` lines whose object is one of
    :attr:`classes` (each as written in N-Triples: ``<iri>``)."""

    predicates: frozenset[bytes]
    classes: frozenset[bytes]

    def lines(self, data: bytes) -> bytes:
        """The lines of N-Triples ``data`` kept, in their order. Each line is split
        once (a subject holds no space): at 1000x the seeds that took 2.3 ms a
        document graph, against 5.3 ms searching the text once per predicate."""
        keep, classes, kind = self.predicates, self.classes, _TYPE
        kept = []
        for line in data.split(b"\n"):
            parts = line.split(b" ", 2)
            if len(parts) == 3 and (
                parts[1] in keep or (parts[1] == kind and parts[2][:-2] in classes)
            ):
                kept.append(line)
        return b"\n".join(kept) + b"\n" if kept else b""


_TYPE = f"<{RDF_TYPE}>".encode()


@cache
def projection(texts: tuple[str, ...]) -> Projection | None:
    """The projection on what the queries ``texts`` read (None: keep every line).
    Parsed once per process."""
    terms = read_terms(texts)
    if terms is None:
        return None
    predicates, classes = terms
    return Projection(
        frozenset(f"<{iri}>".encode() for iri in predicates),
        frozenset(f"<{iri}>".encode() for iri in classes),
    )
