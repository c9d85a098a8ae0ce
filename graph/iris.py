"""Mint every IRI Palermo writes, from a configurable base (one place, cobalt's habit).

IRIs are readable and stable: built from document ids, AKN-style eIds, meeting
numbers and codes, never from run order or random ids. Every piece is checked
against a strict pattern, so no value can change an IRI's structure.

>>> m = Minter()
>>> str(m.unit("cop-decision-3-3", "para_a"))
'https://w3id.org/palermo/doc/cop-decision-3-3/para_a'
>>> str(m.meeting("WorkingGroup", 9))
'https://w3id.org/palermo/meeting/wg-tip/9'
"""

from __future__ import annotations

import re
from urllib.parse import quote

from rdflib import URIRef

DEFAULT_BASE = "https://w3id.org/palermo/"

_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,120}$")
_EID = re.compile(r"^[a-z]+_[a-zA-Z0-9]+(?:__[a-z]+_[a-zA-Z0-9]+)*$")
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,60}$")
_PART = re.compile(r"^[a-z]+(?:_[a-z0-9-]+)?$")
_BASE = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~%-]*)*/$")

#: Path segment of each body's meetings.
MEETING_SERIES = {
    "WorkingGroup": "wg-tip",
    "ConferenceOfTheParties": "cop",
    "GeneralAssembly": "ga",
}


class IRIError(ValueError):
    """A value that cannot be part of an IRI."""


#: Characters an IRI may not hold (RFC 3987 and SPARQL's IRIREF): controls and space,
#: <>"{}|^`\\, and the bidirectional formatting marks (RFC 3987 section 4.1).
_NOT_IN_IRI = re.compile('[\x00-\x20<>"{}|^`\\\\\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]')
_GRAPH_IRI = re.compile(r"^(?:https?://[^/?#@]+(?:[/?#].*)?|urn:[A-Za-z0-9][A-Za-z0-9-]*:.+)$")


def check_graph_iri(iri: str, max_length: int = 2000) -> str:
    """A named graph IRI given by a user (``--named-graph``): absolute http(s) or urn, no
    character that could end it or change how it reads; raise IRIError otherwise.

    >>> check_graph_iri("https://w3id.org/palermo/graph/all")
    'https://w3id.org/palermo/graph/all'
    >>> check_graph_iri("http://x/> } ; DROP ALL ; {")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    graph.iris.IRIError: ...: not a usable named graph IRI: ...
    """
    shown = iri if len(iri) <= 80 else iri[:80] + f"... ({len(iri)} characters)"
    if len(iri) > max_length:
        raise IRIError(f"{shown!r} is not a usable named graph IRI: longer than {max_length}")
    bad = _NOT_IN_IRI.search(iri)
    if bad:
        raise IRIError(f"{shown!r} is not a usable named graph IRI: it holds {bad.group()!r}")
    if not _GRAPH_IRI.match(iri):
        raise IRIError(f"{shown!r} is not a usable named graph IRI: expected http(s)://... or urn:")
    return iri


def _check(pattern: re.Pattern[str], value: str, what: str) -> str:
    if not pattern.match(value):
        raise IRIError(f"{what} {value!r} is not allowed in an IRI (expected {pattern.pattern})")
    return value


class Minter:
    """Makes the IRIs of one build, under ``base``."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = _check(_BASE, base, "base IRI")

    def document(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}doc/{_check(_DOC_ID, doc_id, 'document id')}")

    def unit(self, doc_id: str, eid: str) -> URIRef:
        return URIRef(f"{self.document(doc_id)}/{_check(_EID, eid, 'eId')}")

    def footnote(self, doc_id: str, label: str) -> URIRef:
        name = "star" if label == "*" else _check(re.compile(r"^\d{1,4}$"), label, "footnote")
        return URIRef(f"{self.document(doc_id)}/fn_{name}")

    def part(self, node: URIRef, name: str) -> URIRef:
        """A node belonging to ``node`` (a selector, a marker): ``<node>/<name>``."""
        return URIRef(f"{node}/{_check(_PART, name, 'part')}")

    def source(self, file_name: str) -> URIRef:
        return URIRef(f"{self.base}source/{quote(file_name, safe='')}")

    def meeting(self, body: str, number: int) -> URIRef:
        series = MEETING_SERIES.get(body) or _check(_CODE, body, "body").lower()
        return URIRef(f"{self.base}meeting/{series}/{int(number)}")

    def external_document(self, symbol: str) -> URIRef:
        """A UN document known only by its symbol (CTOC/COP/WG.4/2009/2)."""
        safe = re.sub(r"[^A-Za-z0-9]+", "-", symbol).strip("-").lower()
        return URIRef(f"{self.base}un-doc/{_check(_DOC_ID, safe, 'symbol')}")


def graph_name(base: str, name: str) -> str:
    """IRI of a named graph: ``ontology``, ``schemes`` or ``doc/<id>``."""
    return f"{base}graph/{name}"
