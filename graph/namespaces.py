"""Every namespace Palermo uses, bound in one place (py-brickschema's habit).

``PAL`` and ``ELI`` are closed :class:`DefinedNamespace` s, so a misspelt term
fails loudly at import instead of minting a stray IRI.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace


class PAL(DefinedNamespace):
    """Palermo's own terms: the few ELI, SKOS and Web Annotation lack."""

    _NS = Namespace("https://w3id.org/palermo/ontology#")
    _fail = True

    Recommendation: URIRef
    PreambularParagraph: URIRef
    OperativeParagraph: URIRef
    ReportParagraph: URIRef
    AgendaItem: URIRef
    ListItem: URIRef
    Note: URIRef
    Chapter: URIRef
    Section: URIRef
    MeetingSection: URIRef
    Footnote: URIRef
    SourceFile: URIRef
    DocumentKind: URIRef
    UnitKind: URIRef
    Reference: URIRef
    Link: URIRef
    ThemeTag: URIRef

    eId: URIRef
    unitLabel: URIRef
    unitKind: URIRef
    order: URIRef
    printedNumber: URIRef
    heading: URIRef
    segmentIndex: URIRef
    proposedAt: URIRef
    adoptedAt: URIRef
    meeting: URIRef
    meetingNumber: URIRef
    footnote: URIRef
    footnoteLabel: URIRef
    marker: URIRef
    listedName: URIRef
    sponsorName: URIRef
    documentKind: URIRef
    body: URIRef
    session: URIRef
    year: URIRef
    distribution: URIRef
    originalLanguage: URIRef
    jobNumber: URIRef
    agendaItem: URIRef
    agendaTitle: URIRef
    openingFormula: URIRef
    sha256: URIRef
    encoding: URIRef
    decisionNumber: URIRef
    document: URIRef
    verb: URIRef
    actionCategory: URIRef
    addressee: URIRef
    mentions: URIRef
    reiterates: URIRef
    nearDuplicateOf: URIRef
    identicalTo: URIRef
    refersTo: URIRef
    concordanceOffset: URIRef
    reportSymbol: URIRef
    reference: URIRef
    themeTag: URIRef
    theme: URIRef
    trigger: URIRef
    refKind: URIRef
    printed: URIRef
    normalised: URIRef
    printedReversed: URIRef
    resolvedBy: URIRef
    link: URIRef
    relation: URIRef
    target: URIRef
    score: URIRef
    sponsor: URIRef
    listedState: URIRef
    untsVolume: URIRef
    untsNumber: URIRef
    actionWeight: URIRef
    adoptedBy: URIRef
    supplements: URIRef


class ELI(DefinedNamespace):
    """The ELI ontology terms Palermo uses."""

    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True

    Work: URIRef
    WorkSubdivision: URIRef
    LegalResource: URIRef
    LegalResourceSubdivision: URIRef
    is_part_of: URIRef
    has_part: URIRef
    number: URIRef
    title: URIRef
    title_alternative: URIRef
    cites: URIRef
    is_about: URIRef
    date_document: URIRef
    id_local: URIRef
    language: URIRef
    first_date_entry_in_force: URIRef


class OA(DefinedNamespace):
    """The Web Annotation terms Palermo uses (closed, as PAL and ELI are: a term of a
    plain Namespace is made anew at each lookup, on every text segment of a build)."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    start: URIRef
    end: URIRef
    exact: URIRef


#: Fixed vocabulary IRIs (the schemes in ontology/), independent of a build's data base.
VOCAB_BASE = "https://w3id.org/palermo/"
DOCKIND = Namespace(VOCAB_BASE + "scheme/document-kind/")
UNITKIND = Namespace(VOCAB_BASE + "scheme/unit-kind/")
ACTOR = Namespace(VOCAB_BASE + "actor/")
INSTRUMENT = Namespace(VOCAB_BASE + "instrument/")
VERB = Namespace(VOCAB_BASE + "verb/")
STATE = Namespace(VOCAB_BASE + "state/")
THEME = Namespace(VOCAB_BASE + "theme/")
TREATY = Namespace(VOCAB_BASE + "treaty/")

PREFIXES = {
    "pal": PAL._NS,
    "eli": ELI._NS,
    "oa": OA._NS,
    "prov": PROV,
    "schema": SDO,
    "skos": SKOS,
    "org": ORG,
    "dcterms": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
}


def bind_all(graph: Graph, base: str | None = None) -> Graph:
    """Bind every Palermo prefix on ``graph`` (and the data base as ``data:``)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    if base:
        graph.bind("data", Namespace(base), override=True)
    return graph


def _terms_as_attributes(ns: type[DefinedNamespace], names=None) -> None:
    """Store terms of a closed namespace (``names``, default all) as class attributes:
    the same URIRefs, found by plain attribute lookup instead of the metaclass's
    ``__getattr__`` (1 microsecond each, a few per triple: seconds at 100x the
    seeds). Terms not declared still fail as before."""
    for name in names or ns.__annotations__:
        if not name.startswith("_") and name not in vars(ns):
            type.__setattr__(ns, name, ns[name])


for _ns in (PAL, ELI, OA, RDF, RDFS, OWL, SKOS, DCTERMS, PROV, XSD):
    _terms_as_attributes(_ns)
# schema.org has 2767 terms (0.2 s to store them all): only those the build writes
_terms_as_attributes(
    SDO,
    (
        "Country",
        "Event",
        "attendee",
        "endDate",
        "location",
        "name",
        "organizer",
        "recordedIn",
        "startDate",
        "text",
    ),
)
