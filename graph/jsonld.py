"""JSON-LD that reads as plain JSON: short keys from a published context.

The context (``context.jsonld`` in every build, also embedded in
``palermo.jsonld`` so the file stands alone) maps short names to Palermo's
properties with their value types: ``"text"`` is an Arabic ``schema:text``,
``"partOf"`` an IRI, ``"order"`` an integer. A value that does not fit its term's
coercion (a footnote's English text) is written in expanded form under the
prefixed name, so nothing is lost: the file expands to exactly the graph's triples.
Subjects come in the order of the N-Triples export and keys and values are sorted,
so the output is byte-identical across runs.

Node objects are made from a stream of triples in which each subject's triples are
adjacent (the N-Triples export), one subject at a time, and written as they come
(:func:`write`), so the whole document is never held in memory. Builds make them
from the N-Triples lines as bytes (:mod:`graph.jsonld_lines`; at 100x the seeds 5.9 s
instead of 13.5 s);
:func:`node_objects` makes them from pyoxigraph terms, the reference both must match.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache
from json.encoder import encode_basestring as _encode_string
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


#: What a value must be to take a term's short form: an IRI, Arabic text, a datatype.
_IRI, _ARABIC = "@id", "@ar"


@cache
def _rules() -> dict[str, tuple[str, str, str]]:
    """Property IRI -> (short name, coercion, the datatype IRI its literals need)."""
    rules = {}
    for name, (prop, coercion) in TERMS.items():
        datatype = _expand(coercion) if coercion not in (_IRI, _ARABIC, "") else XSD_STRING
        rules[_expand(prop)] = (name, coercion, datatype)
    return rules


def _short(value, coercion: str, datatype: str):
    """``value`` in the short form of a term with ``coercion``, or None where it does
    not fit (then it is written expanded, under the prefixed property name). Integers
    become JSON numbers (they read back as xsd:integer); the rest strings."""
    if coercion == _IRI:
        return value.value if type(value) is pyoxigraph.NamedNode else None
    if type(value) is not pyoxigraph.Literal:
        return None
    if coercion == _ARABIC:
        return value.value if value.language == "ar" else None
    if value.language is not None or value.datatype.value != datatype:
        return None
    if coercion != "xsd:integer":
        return value.value
    try:
        return int(value.value)
    except ValueError:  # an ill-typed integer is written as it is, expanded
        return None


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


def _sort_key(value) -> str:
    """A value's JSON text, which orders a property's values (json's C string encoder,
    the same text ``json.dumps`` writes, at a tenth of the cost)."""
    if type(value) is str:
        return _encode_string(value)
    if type(value) is int:
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _node_object(iri: str, props: dict[str, list]) -> dict:
    obj: dict = {"id": iri}
    for key in sorted(props):
        values = props[key]
        obj[key] = values[0] if len(values) == 1 else sorted(values, key=_sort_key)
    return obj


def node_objects(triples: Iterable) -> Iterator[tuple[str, dict]]:
    """(subject IRI, node object) for each run of one subject's triples, in stream order."""
    rules = _rules()
    named = pyoxigraph.NamedNode
    current, props = None, {}
    for triple in triples:
        node = triple.subject
        subject = node.value if type(node) is named else f"_:{node.value}"
        if subject != current:
            if current is not None:
                yield current, _node_object(current, props)
            current, props = subject, {}
        p, o = triple.predicate.value, triple.object
        if p == RDF_TYPE and type(o) is named:
            key, value = "type", _curie(o.value)
        else:
            rule = rules.get(p)
            value = None if rule is None else _short(o, rule[1], rule[2])
            key = _curie(p) if value is None else rule[0]
            if value is None:
                value = _expanded(o)
        values = props.get(key)
        if values is None:
            props[key] = [value]
        else:
            values.append(value)
    if current is not None:
        yield current, _node_object(current, props)


def node_texts(triples: Iterable) -> Iterator[bytes]:
    """Each node object of :func:`node_objects` as one line of JSON (json's C encoder:
    indented output goes through its Python encoder, four times slower)."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    for _, obj in node_objects(triples):
        yield dumps(obj).encode()


def head() -> bytes:
    """What :func:`write` writes before the first node: the context, ``"@graph": [``."""
    text = json.dumps({"@context": context()}, ensure_ascii=False, indent=1)
    return text[: -len("\n}")].encode() + b',\n "@graph": ['


def write(fh: BinaryIO, nodes: Iterable[bytes]) -> None:
    """The document: the context embedded (indented), then ``"@graph"`` with one node
    object per line, so a node can be found with grep and read on its own."""
    fh.write(head())
    first = True
    for node in nodes:
        fh.write((b"\n  " if first else b",\n  ") + node)
        first = False
    fh.write(b"]\n}\n" if first else b"\n ]\n}\n")


def context_file() -> bytes:
    return (json.dumps({"@context": context()}, ensure_ascii=False, indent=1) + "\n").encode()
