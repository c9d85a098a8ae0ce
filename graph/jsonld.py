"""JSON-LD that reads as plain JSON: short keys from a published context.

The context (``context.jsonld`` in every build, also embedded in
``palermo.jsonld`` so the file stands alone) maps short names to Palermo's
properties with their value types: ``"text"`` is an Arabic ``schema:text``,
``"partOf"`` an IRI, ``"order"`` an integer. A value that does not fit its term's
coercion (a footnote's English text) is written in expanded form under the
prefixed name, so nothing is lost: the file expands to exactly the graph's triples.
Subjects come in the order of the sorted N-Triples and keys and values are sorted,
so the output is byte-identical across runs.

Node objects are made from a stream of Oxigraph triples in which each subject's
triples are adjacent (sorted N-Triples), one subject at a time, and written as
they come (:func:`write`), so the whole document is never held in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache
from typing import BinaryIO

import pyoxigraph

from graph.namespaces import PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: short name -> (property as prefixed name, coercion): "@id", "@ar", an xsd type, or "".
TERMS: dict[str, tuple[str, str]] = {
    "text": ("schema:text", "@ar"),
    "number": ("eli:number", ""),
    "eId": ("pal:eId", ""),
    "label": ("pal:unitLabel", ""),
    "order": ("pal:order", "xsd:integer"),
    "partOf": ("eli:is_part_of", "@id"),
    "hasPart": ("eli:has_part", "@id"),
    "unitKind": ("pal:unitKind", "@id"),
    "documentKind": ("pal:documentKind", "@id"),
    "identifier": ("dcterms:identifier", ""),
    "title": ("eli:title", "@ar"),
    "date": ("eli:date_document", "xsd:date"),
    "body": ("pal:body", "@id"),
    "verb": ("pal:verb", "@id"),
    "action": ("pal:actionCategory", "xsd:integer"),
    "addressee": ("pal:addressee", "@id"),
    "mentions": ("pal:mentions", "@id"),
    "about": ("eli:is_about", "@id"),
    "cites": ("eli:cites", "@id"),
    "themeTag": ("pal:themeTag", "@id"),
    "theme": ("pal:theme", "@id"),
    "trigger": ("pal:trigger", "@ar"),
    "derivedFrom": ("prov:wasDerivedFrom", "@id"),
    "source": ("oa:hasSource", "@id"),
    "selector": ("oa:hasSelector", "@id"),
    "start": ("oa:start", "xsd:integer"),
    "end": ("oa:end", "xsd:integer"),
    "exact": ("oa:exact", "@ar"),
    "segment": ("pal:segmentIndex", "xsd:integer"),
    "meeting": ("pal:meeting", "@id"),
    "proposedAt": ("pal:proposedAt", "@id"),
    "adoptedAt": ("pal:adoptedAt", "@id"),
    "startDate": ("schema:startDate", "xsd:date"),
    "endDate": ("schema:endDate", "xsd:date"),
    "attendee": ("schema:attendee", "@id"),
    "sponsor": ("pal:sponsor", "@id"),
    "footnote": ("pal:footnote", "@id"),
    "reference": ("pal:reference", "@id"),
    "refKind": ("pal:refKind", ""),
    "printed": ("pal:printed", ""),
    "normalised": ("pal:normalised", ""),
    "link": ("pal:link", "@id"),
    "relation": ("pal:relation", ""),
    "target": ("pal:target", "@id"),
    "score": ("pal:score", "xsd:decimal"),
    "refersTo": ("pal:refersTo", "@id"),
    "reiterates": ("pal:reiterates", "@id"),
    "notation": ("skos:notation", ""),
}


def context() -> dict:
    """The JSON-LD context: prefixes, then the short terms with their coercions."""
    ctx: dict = {"@version": 1.1, "id": "@id", "type": "@type"}
    ctx.update({p: str(ns) for p, ns in sorted(PREFIXES.items())})
    for name, (prop, coercion) in TERMS.items():
        if coercion == "@ar":
            ctx[name] = {"@id": prop, "@language": "ar"}
        elif coercion:
            ctx[name] = {"@id": prop, "@type": coercion}
        else:
            ctx[name] = {"@id": prop}
    return ctx


def _expand(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return str(PREFIXES[prefix]) + local


_BY_LENGTH = sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda kv: -len(kv[1]))


@cache
def _curie(iri: str) -> str:
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and "/" not in iri[len(ns) :]:
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _fits(value, coercion: str) -> bool:
    if coercion == "@id":
        return isinstance(value, pyoxigraph.NamedNode)
    if not isinstance(value, pyoxigraph.Literal):
        return False
    if coercion == "@ar":
        return value.language == "ar"
    if coercion:
        return value.datatype.value == _expand(coercion)
    return value.language is None and value.datatype.value == XSD_STRING


def _compact(value, coercion: str):
    """Integers as JSON numbers (they read back as xsd:integer); the rest as strings."""
    if coercion == "xsd:integer":
        return int(value.value)
    return value.value


def _expanded(value):
    if isinstance(value, pyoxigraph.NamedNode):
        return {"@id": value.value}
    if isinstance(value, pyoxigraph.BlankNode):
        return {"@id": f"_:{value.value}"}
    if value.language:
        return {"@value": value.value, "@language": value.language}
    if value.datatype.value != XSD_STRING:
        return {"@value": value.value, "@type": value.datatype.value}
    return value.value


def _subject(node) -> str:
    return f"_:{node.value}" if isinstance(node, pyoxigraph.BlankNode) else node.value


def _node_object(iri: str, props: dict[str, list]) -> dict:
    obj: dict = {"id": iri}
    for key in sorted(props):
        values = props[key]
        if len(values) == 1:
            obj[key] = values[0]
        else:
            obj[key] = sorted(values, key=lambda v: json.dumps(v, ensure_ascii=False))
    return obj


def node_objects(triples: Iterable) -> Iterator[tuple[str, dict]]:
    """(subject IRI, node object) for each run of one subject's triples, in stream order."""
    by_prop = {_expand(prop): name for name, (prop, _) in TERMS.items()}
    current, props = None, {}
    for triple in triples:
        subject = _subject(triple.subject)
        if subject != current:
            if current is not None:
                yield current, _node_object(current, props)
            current, props = subject, {}
        p, o = triple.predicate.value, triple.object
        if p == RDF_TYPE:
            props.setdefault("type", []).append(_curie(o.value))
            continue
        name = by_prop.get(p)
        if name and _fits(o, TERMS[name][1]):
            props.setdefault(name, []).append(_compact(o, TERMS[name][1]))
        else:
            props.setdefault(_curie(p), []).append(_expanded(o))
    if current is not None:
        yield current, _node_object(current, props)


def node_texts(triples: Iterable) -> Iterator[bytes]:
    """Each node object of :func:`node_objects` as one line of JSON (json's C encoder:
    indented output goes through its Python encoder, four times slower)."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    for _, obj in node_objects(triples):
        yield dumps(obj).encode()


def write(fh: BinaryIO, nodes: Iterable[bytes]) -> None:
    """The document: the context embedded (indented), then ``"@graph"`` with one node
    object per line, so a node can be found with grep and read on its own."""
    head = json.dumps({"@context": context()}, ensure_ascii=False, indent=1)
    fh.write(head[: -len("\n}")].encode() + b',\n "@graph": [')
    first = True
    for node in nodes:
        fh.write((b"\n  " if first else b",\n  ") + node)
        first = False
    fh.write(b"]\n}\n" if first else b"\n ]\n}\n")


def context_file() -> bytes:
    return (json.dumps({"@context": context()}, ensure_ascii=False, indent=1) + "\n").encode()
