"""N-Quads lines: what the graph builder writes, and what the store bulk-loads.

The builder formats each statement as one N-Quads line in plain Python (no rdflib
term objects, no per-triple index): a few hundred nanoseconds a triple, and the
lines stream straight into Oxigraph's bulk loader. IRIs are minted by
:mod:`graph.iris` (checked patterns), so only literals need escaping.

Literals are written in the form a store keeps them: an ``xsd:decimal`` is
canonical (``"1"``, ``"0.5"``), because Oxigraph stores decimals by value and an
export from the store must equal the build's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from io import RawIOBase

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
#: What needs escaping; most texts hold none of it, and a search costs a tenth of a
#: translation (str.translate with a table looks up every character in Python).
_SPECIAL = re.compile('[\\\\"\n\r]')


def _escaped(value: str) -> str:
    return value.translate(_ESCAPES) if _SPECIAL.search(value) else value


class Lit(str):
    """A literal already written as an N-Triples term (``"..."@ar``, ``"1"^^<...>``)."""

    __slots__ = ()


def text(value: str, lang: str | None = None) -> Lit:
    """A plain string literal, or a language-tagged one."""
    quoted = '"' + _escaped(value) + '"'
    return Lit(f"{quoted}@{lang}" if lang else quoted)


def typed(value: str, datatype: str) -> Lit:
    return Lit('"' + _escaped(value) + f'"^^<{datatype}>')


def integer(value: int) -> Lit:
    return Lit(f'"{int(value)}"^^<{XSD}integer>')


def decimal(value: float, places: int = 3) -> Lit:
    """``value`` rounded to ``places``, in canonical form (no trailing zeros)."""
    lexical = f"{value:.{places}f}".rstrip("0").rstrip(".") or "0"
    return Lit(f'"{lexical}"^^<{XSD}decimal>')


def lit(value) -> Lit:
    """A literal typed as rdflib types Python values: bool, int, else a plain string."""
    if isinstance(value, bool):
        return Lit(f'"{str(value).lower()}"^^<{XSD}boolean>')
    if isinstance(value, int):
        return integer(value)
    return text(str(value))


def term(node) -> str:
    """An IRI (``str``/rdflib ``URIRef``) as ``<...>``; a :class:`Lit` as itself."""
    return node if isinstance(node, Lit) else f"<{node}>"


class Quads:
    """Collects N-Quads lines for one named graph at a time (``graph`` may change).

    Statements about entities that many documents mention (a State, a cited UN
    document, a treaty, a paragraph of a Protocol) go through :meth:`describe` into
    ``shared``, one graph written once for the whole corpus. Were they repeated in
    each document's graph, the union of the graphs would hold each such triple once
    per document, and every query over the union (validation above all) would join
    the copies: at 100x the seeds, a country's labels matched 50 x 50 times.
    """

    def __init__(self, graph: str = "", shared: Quads | None = None) -> None:
        self.lines: list[str] = []
        self.graph = graph
        self.shared = shared
        self._seen: set[str] = set()

    def add(self, triple: tuple) -> None:
        """Same call as ``rdflib.Graph.add``, so mapping code reads the same."""
        self.lines.append(self._line(triple))

    def add_terms(self, *triples: tuple[str, str, str]) -> None:
        """Add statements whose terms are already written as N-Triples terms
        (``<iri>``, literals as :class:`Lit` writes them): no term is checked or
        formatted again, for statements made by the million (links)."""
        end = f" <{self.graph}> .\n"
        self.lines += [f"{s} {p} {o}{end}" for s, p, o in triples]

    def describe(self, triple: tuple) -> None:
        """Add a statement about a shared entity: once, in the shared graph (in this
        graph when there is none)."""
        (self.shared if self.shared is not None else self).add_once(triple)

    def add_once(self, triple: tuple) -> None:
        line = self._line(triple)
        if line not in self._seen:
            self._seen.add(line)
            self.lines.append(line)

    def extend_once(self, lines: list[str]) -> None:
        """Lines of this graph written before (by an earlier build), each kept once."""
        for line in lines:
            if line not in self._seen:
                self._seen.add(line)
                self.lines.append(line)

    def _line(self, triple: tuple) -> str:
        s, p, o = triple
        o = o if isinstance(o, Lit) else f"<{o}>"
        return f"<{s}> <{p}> {o} <{self.graph}> .\n"

    def __len__(self) -> int:
        return len(self.lines)


class LineReader(RawIOBase):
    """A binary file over an iterator of UTF-8 chunks, for ``Store.bulk_load``: the
    store reads as the builder writes, so the whole N-Quads text never sits in memory."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks: Iterator[bytes] = iter(chunks)
        self._buffer = memoryview(b"")
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while self._at >= len(self._buffer):
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buffer, self._at = memoryview(chunk), 0
        n = min(len(target), len(self._buffer) - self._at)
        target[:n] = self._buffer[self._at : self._at + n]
        self._at += n
        return n
