"""Map references, links between units, and States into the graph.

Split from :mod:`graph.build` so each stays short (statements go to the builder's
:class:`graph.nquads.Quads`): references become
``pal:Reference`` nodes keeping the printed form (reversed numbers included)
and pointing with ``eli:cites`` to what they resolve to; links become direct
``pal:refersTo`` / ``pal:reiterates`` triples plus a qualified ``pal:Link``
node with its score; States named in attendance and sponsor lists become
``schema:Country`` nodes under their ISO 3166-1 alpha-3 code.
"""

from __future__ import annotations

import csv
from functools import cache

from rdflib import URIRef
from rdflib.namespace import OWL, RDF, SDO, SKOS, XSD

from graph.iris import Minter
from graph.namespaces import ACTOR, ELI, INSTRUMENT, PAL, STATE, TREATY
from graph.nquads import Quads, decimal, lit, term, text, typed
from loaders.extract import states
from loaders.extract.lexicon import DATA
from loaders.provisions import KEYS

LINK_PROPERTY = {
    "refers-to": PAL.refersTo,
    "reiterates": PAL.reiterates,
    "identical": PAL.identicalTo,
    "near-duplicate": PAL.nearDuplicateOf,
}
WIKIDATA = "http://www.wikidata.org/entity/"


@cache
def treaty_rows() -> dict[str, dict]:
    with (DATA / "treaties.tsv").open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return {r["key"]: r for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)}


def add_references(g: Quads, iri: Minter, owner: URIRef, refs, loaded=None) -> None:
    """Reference nodes ``<owner>/ref_<n>`` and ``eli:cites`` to what they resolve to: a
    loaded document when its symbol is cited, else a stand-in node for the symbol."""
    for n, ref in enumerate(refs, start=1):
        node = iri.part(owner, f"ref_{n}")
        g.add((owner, PAL.reference, node))
        g.add((node, RDF.type, PAL.Reference))
        g.add((node, PAL.refKind, lit(ref.kind)))
        g.add((node, PAL.printed, lit(ref.printed)))
        if ref.normalised:
            g.add((node, PAL.normalised, lit(ref.normalised)))
        if ref.year:
            g.add((node, PAL.year, typed(str(ref.year), XSD.gYear)))
        if ref.numbers and ref.kind.endswith(("resolution", "decision")):
            g.add((node, PAL.printedReversed, lit(ref.reversed)))
            g.add((node, PAL.resolvedBy, lit(ref.how)))
        target = _target(g, iri, ref, loaded or {})
        if target is not None:
            g.add((node, ELI.cites, target))
            g.add((owner, ELI.cites, target))


def _target(g: Quads, iri: Minter, ref, loaded: dict) -> URIRef | None:
    if not ref.normalised:
        return None
    if ref.kind == "treaty-unts":
        return _treaty(g, ref.normalised)
    symbol = ref.normalised.split(" para ")[0]
    if symbol in loaded:
        return loaded[symbol]
    node = iri.external_document(symbol)
    g.describe((node, RDF.type, ELI.Work))
    g.describe((node, ELI.id_local, lit(symbol)))
    return node


def _treaty(g: Quads, key: str) -> URIRef:
    if key in KEYS:
        return INSTRUMENT[key]
    node = TREATY[key]
    row = treaty_rows().get(key, {})
    g.describe((node, RDF.type, ELI.LegalResource))
    g.describe((node, SKOS.notation, lit(key)))
    if row.get("name_en"):
        g.describe((node, SKOS.prefLabel, text(row["name_en"], "en")))
    if row.get("name_ar"):
        g.describe((node, SKOS.prefLabel, text(row["name_ar"], "ar")))
    if row.get("unts_volume"):
        g.describe((node, PAL.untsVolume, lit(int(row["unts_volume"]))))
        g.describe((node, PAL.untsNumber, lit(row["unts_number"])))
    if row.get("wikidata"):
        g.describe((node, OWL.sameAs, URIRef(WIKIDATA + row["wikidata"])))
    return node


#: The terms of a link's statements, as N-Triples writes them.
_LINK_TERMS = {name: term(prop) for name, prop in LINK_PROPERTY.items()}
_RELATION_TERMS = {name: lit(name) for name in LINK_PROPERTY}
_PAL_LINK, _LINK_CLASS, _RDF_TYPE = term(PAL.link), term(PAL.Link), term(RDF.type)
_RELATION, _TARGET, _SCORE = term(PAL.relation), term(PAL.target), term(PAL.score)


def add_links(
    g: Quads,
    iri: Minter,
    node: URIRef,
    links,
    units_by_label,
    first: int = 1,
    targets: dict[tuple[str, str], str] | None = None,
) -> None:
    """Direct link triples plus qualified ``pal:Link`` nodes with their scores, for a
    unit's ``links``, numbered from ``first`` (the node names number a unit's links).
    ``targets``, a dict kept across calls, remembers each target's IRI: at 1000x the
    seeds a million repetition links point at a third as many units, and minting an
    IRI (checked, then checked again by rdflib) was most of writing them."""
    targets = {} if targets is None else targets
    subject = term(node)
    for n, link in enumerate(links, start=first):
        target = targets.get(link.target)
        if target is None:
            target_unit = units_by_label.get(link.target)
            if target_unit is None:
                continue
            target = targets[link.target] = term(iri.unit(link.target[0], target_unit.eid))
        qualified = term(iri.part(node, f"link_{n}"))
        g.add_terms(
            (subject, _LINK_TERMS[link.relation], target),
            (subject, _PAL_LINK, qualified),
            (qualified, _RDF_TYPE, _LINK_CLASS),
            (qualified, _RELATION, _RELATION_TERMS[link.relation]),
            (qualified, _TARGET, target),
            (qualified, _SCORE, decimal(link.score)),
        )


def listed(g: Quads, name: str) -> tuple[URIRef, URIRef] | None:
    """How a paragraph names a listed name: (pal:listedState, State) or, for a body,
    (pal:mentions, actor); None when it is neither."""
    node = state_node(g, name)
    if node is not None:
        return PAL.listedState, node
    code = states.resolve_actor(name)
    return (PAL.mentions, ACTOR[code]) if code else None


def state_node(g: Quads, name: str) -> URIRef | None:
    """The State an Arabic name denotes, described in ``g``; None if it is not a State."""
    state = states.resolve(name)
    if state is None:
        return None
    node = STATE[state.iso3]
    g.describe((node, RDF.type, SDO.Country))
    g.describe((node, SKOS.notation, lit(state.iso3)))
    g.describe((node, SKOS.prefLabel, text(state.name_en, "en")))
    g.describe((node, SKOS.prefLabel, text(state.name_ar, "ar")))
    if state.wikidata:
        g.describe((node, OWL.sameAs, URIRef(WIKIDATA + state.wikidata)))
    return node
