"""JSON-LD that reads as plain JSON: short keys from a published context.

The context (``context.jsonld`` in every build, also embedded in
``palermo.jsonld`` so the file stands alone) maps short names to Palermo's
properties with their value types: ``"text"`` is an Arabic ``schema:text``,
``"partOf"`` an IRI, ``"order"`` an integer. A value that does not fit its term's
coercion (a footnote's English text) is written in expanded form under the
prefixed name, so nothing is lost: the file expands to exactly the graph's triples.
Subjects and keys are sorted, so the output is byte-identical across runs.
"""

from __future__ import annotations

import json
from collections import defaultdict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.namespaces import PREFIXES

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


def _curie(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if iri.startswith(str(ns)) and "/" not in iri[len(str(ns)) :]:
            return f"{prefix}:{iri[len(str(ns)) :]}"
    return iri


def _fits(value, coercion: str) -> bool:
    if coercion == "@id":
        return isinstance(value, URIRef)
    if not isinstance(value, Literal):
        return False
    if coercion == "@ar":
        return value.language == "ar"
    if coercion:
        return value.datatype == URIRef(_expand(coercion))
    return value.language is None and value.datatype in (None, XSD.string)


def _compact(value, coercion: str):
    """Integers as JSON numbers (they read back as xsd:integer); the rest as strings."""
    if coercion == "xsd:integer":
        return int(value)
    return str(value)


def _expanded(value):
    if isinstance(value, URIRef):
        return {"@id": str(value)}
    if isinstance(value, BNode):
        return {"@id": f"_:{value}"}
    if value.language:
        return {"@value": str(value), "@language": value.language}
    if value.datatype and value.datatype != XSD.string:
        return {"@value": str(value), "@type": str(value.datatype)}
    return str(value)


def node_objects(graph: Graph) -> list[dict]:
    """One JSON object per subject, sorted by IRI."""
    by_prop = {_expand(prop): name for name, (prop, _) in TERMS.items()}
    subjects: dict[str, dict] = defaultdict(dict)
    for s, p, o in graph:
        obj = subjects[str(s)]
        if p == RDF.type:
            obj.setdefault("type", []).append(_curie(str(o)))
            continue
        name = by_prop.get(str(p))
        if name and _fits(o, TERMS[name][1]):
            obj.setdefault(name, []).append(_compact(o, TERMS[name][1]))
        else:
            obj.setdefault(_curie(str(p)), []).append(_expanded(o))
    out = []
    for iri in sorted(subjects):
        obj = {"id": iri}
        for key in sorted(subjects[iri]):
            values = sorted(subjects[iri][key], key=lambda v: json.dumps(v, ensure_ascii=False))
            obj[key] = values[0] if len(values) == 1 else values
        out.append(obj)
    return out


def jsonld(graph: Graph) -> bytes:
    """The whole graph as compact JSON-LD with the context embedded."""
    doc = {"@context": context(), "@graph": node_objects(graph)}
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode()


def context_file() -> bytes:
    return (json.dumps({"@context": context()}, ensure_ascii=False, indent=1) + "\n").encode()
