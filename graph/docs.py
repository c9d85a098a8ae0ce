"""Human documentation of the ontology and schemes, generated from the Turtle.

Writes ``docs/ontology.html`` (every class and property: English and Arabic
labels, definition, domain, range, super-class or super-property and the
reused vocabularies it aligns to) and ``docs/schemes.html`` (every concept of
every SKOS scheme, with notation, labels and definition). Self-contained HTML,
deterministic, so the committed files can be checked to be up to date.
"""

from __future__ import annotations

import html
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph.build import ONTOLOGY, VOCABULARY_FILES
from graph.namespaces import PREFIXES

#: The Arabic label column's heading, "التسمية" (label).
AR_LABEL_HEADING = "\u0627\u0644\u062a\u0633\u0645\u064a\u0629"

STYLE = """body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em}
table{border-collapse:collapse;width:100%;margin:1em 0}td,th{border:1px solid #ccc;
padding:.3em .5em;vertical-align:top;text-align:left}th{background:#f3f3f3}
[lang=ar]{direction:rtl;font-family:'Noto Naskh Arabic','Amiri',serif}code{font-size:.9em}"""


def _curie(node) -> str:
    text = str(node)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if text.startswith(str(ns)):
            return f"{prefix}:{text[len(str(ns)) :]}"
    return text


def _label(g: Graph, node, lang: str, prop=RDFS.label) -> str:
    for value in g.objects(node, prop):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    if prop == RDFS.label:
        return _label(g, node, lang, SKOS.prefLabel)
    return ""


def _cell(text: str, lang: str = "") -> str:
    attr = f' lang="{lang}"' if lang else ""
    return f"<td{attr}>{html.escape(text)}</td>"


def _links(g: Graph, node, *props) -> str:
    found = sorted({_curie(o) for p in props for o in g.objects(node, p) if isinstance(o, URIRef)})
    return ", ".join(found)


def _page(title: str, body: list[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def ontology_page(g: Graph) -> str:
    onto = URIRef("https://w3id.org/palermo/ontology")
    body = [
        f"<h1>{html.escape(_label(g, onto, 'en'))}</h1>",
        f"<p>Version {html.escape(str(g.value(onto, OWL.versionInfo)))} — "
        f"<code>{html.escape(str(g.value(onto, OWL.versionIRI)))}</code>. "
        "Namespace <code>https://w3id.org/palermo/ontology#</code>.</p>",
    ]
    pal = str(PREFIXES["pal"])
    for title, kinds in (
        ("Classes", (OWL.Class,)),
        ("Properties", (OWL.ObjectProperty, OWL.DatatypeProperty)),
    ):
        nodes = sorted(
            {s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(pal)}
        )
        body.append(
            f"<h2>{title} ({len(nodes)})</h2><table><tr><th>term</th><th>label</th>"
            f"<th>{AR_LABEL_HEADING}</th><th>definition</th><th>domain / range</th>"
            "<th>aligned to</th></tr>"
        )
        for node in nodes:
            dr = " → ".join(
                filter(None, [_links(g, node, RDFS.domain), _links(g, node, RDFS.range)])
            )
            body.append(
                "<tr>"
                + _cell(_curie(node))
                + _cell(_label(g, node, "en"))
                + _cell(_label(g, node, "ar"), "ar")
                + _cell(_label(g, node, "en", SKOS.definition))
                + _cell(dr)
                + _cell(
                    _links(g, node, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.seeAlso, OWL.sameAs)
                )
                + "</tr>"
            )
        body.append("</table>")
    return _page("Palermo ontology", body)


def schemes_page(g: Graph) -> str:
    body = ["<h1>Palermo concept schemes</h1>"]
    for scheme in sorted(g.subjects(RDF.type, SKOS.ConceptScheme)):
        concepts = sorted(
            g.subjects(SKOS.inScheme, scheme), key=lambda c: str(g.value(c, SKOS.notation) or c)
        )
        body.append(
            f"<h2>{html.escape(_label(g, scheme, 'en') or str(scheme))} "
            f"({len(concepts)})</h2><p><code>{html.escape(str(scheme))}</code></p>"
        )
        body.append(
            f"<table><tr><th>notation</th><th>label</th><th>{AR_LABEL_HEADING}</th>"
            "<th>definition</th><th>broader</th></tr>"
        )
        for c in concepts:
            body.append(
                "<tr>"
                + _cell(str(g.value(c, SKOS.notation) or _curie(c)))
                + _cell(_label(g, c, "en", SKOS.prefLabel))
                + _cell(_label(g, c, "ar", SKOS.prefLabel), "ar")
                + _cell(
                    _label(g, c, "en", SKOS.definition)
                    or str(g.value(c, URIRef("http://data.europa.eu/eli/ontology#title")) or "")
                )
                + _cell(_links(g, c, SKOS.broader))
                + "</tr>"
            )
        body.append("</table>")
    return _page("Palermo concept schemes", body)


def write(out: Path) -> list[Path]:
    """Write the two pages into ``out``."""
    g = Graph()
    for name in VOCABULARY_FILES:
        if (ONTOLOGY / name).exists():
            g.parse(ONTOLOGY / name, format="turtle")
    out.mkdir(parents=True, exist_ok=True)
    pages = {"ontology.html": ontology_page(g), "schemes.html": schemes_page(g)}
    for name, text in pages.items():
        (out / name).write_text(text, encoding="utf-8")
    return [out / name for name in pages]
