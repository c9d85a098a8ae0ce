"""Turn paragraph trees into the RDF graph: documents, meetings, units, footnotes,
and the provenance selectors that tie every unit to its exact source slices.

The mapping reuses ELI for the backbone (eli:Work, eli:WorkSubdivision,
eli:is_part_of, eli:number), Web Annotation for provenance (one
oa:SpecificResource per text segment with a TextPositionSelector and a
TextQuoteSelector), schema.org for meetings, and Palermo terms only where
those lack one. No blank nodes: every node has a stable IRI, so two builds of
the same input give the same triples.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SDO, SKOS, XSD

from graph import relations
from graph.iris import Minter
from graph.namespaces import (
    ACTOR,
    DOCKIND,
    ELI,
    INSTRUMENT,
    OA,
    PAL,
    THEME,
    UNITKIND,
    VERB,
    bind_all,
)
from loaders.model import Document, Meeting, Unit
from loaders.provisions import Provision

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
#: Vocabulary files merged into every build, so the output describes itself.
VOCABULARY_FILES = (
    "palermo.ttl",
    "kinds.ttl",
    "actors.ttl",
    "instruments.ttl",
    "verbs.ttl",
    "themes.ttl",
)

#: RDF class and unit-kind code of each loader kind, per document kind where it differs.
UNIT_CLASS = {
    "recommendation": (PAL.Recommendation, "recommendation"),
    "preambular": (PAL.PreambularParagraph, "preambular"),
    "operative": (PAL.OperativeParagraph, "operative"),
    "paragraph": (PAL.ReportParagraph, "paragraph"),
    "agenda_item": (PAL.AgendaItem, "agenda-item"),
    "item": (PAL.ListItem, "item"),
    "note": (PAL.Note, "note"),
    "chapter": (PAL.Chapter, "chapter"),
    "section": (PAL.Section, "section"),
    "meeting": (PAL.MeetingSection, "meeting"),
}

ORDINALS_EN = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
]


def unit_class(unit: Unit) -> tuple[URIRef, str]:
    """Class and kind code of ``unit``: subparagraphs take their top-level ancestor's."""
    return UNIT_CLASS.get(unit.top.kind, (PAL.ReportParagraph, "paragraph"))


def vocabulary() -> Graph:
    """The ontology and schemes shipped in ``ontology/``."""
    g = Graph()
    for name in VOCABULARY_FILES:
        path = ONTOLOGY / name
        if path.exists():
            g.parse(path, format="turtle")
    return g


class GraphBuilder:
    """Adds documents to one graph."""

    def __init__(self, base: str | None = None, with_vocabulary: bool = True) -> None:
        self.iri = Minter(base) if base else Minter()
        self.g = bind_all(Graph(), self.iri.base)
        self.loaded: dict[str, URIRef] = {}
        self.units_by_label: dict[tuple[str, str], Unit] = {}
        if with_vocabulary:
            self.g += vocabulary()

    def know(self, docs: list[Document]) -> None:
        """Index the corpus once: links between units and citations of symbols cross
        documents (builders of one dataset share the index via ``share``)."""
        self.units_by_label = {(d.id, u.label): u for d in docs for u in d.units()}
        self.loaded = {d.symbol: self.iri.document(d.id) for d in docs if d.symbol}

    def share(self, other: GraphBuilder) -> GraphBuilder:
        self.units_by_label, self.loaded = other.units_by_label, other.loaded
        return self

    def add_all(self, docs: list[Document]) -> None:
        """Add ``docs`` to this one graph."""
        self.know(docs)
        for doc in docs:
            self.add(doc)

    def add(self, doc: Document) -> None:
        node = self.iri.document(doc.id)
        self._document(doc, node)
        self._source(doc)
        for meeting in doc.meetings:
            self._meeting(meeting, doc, node)
        for unit in doc.units():
            self._unit(doc, node, unit)
        for note in doc.footnotes:
            self._footnote(doc, node, note)

    def _document(self, doc: Document, node: URIRef) -> None:
        add = self.g.add
        add((node, RDF.type, ELI.Work))
        add((node, PAL.documentKind, DOCKIND[doc.kind]))
        add((node, DCTERMS.identifier, Literal(doc.id)))
        if doc.title:
            add((node, ELI.title, Literal(doc.title, lang="ar")))
        if doc.title_en:
            add((node, ELI.title, Literal(doc.title_en, lang="en")))
        if doc.body:
            add((node, PAL.body, ACTOR[doc.body]))
        if doc.symbol:
            add((node, ELI.id_local, Literal(doc.symbol)))
        if doc.decision:
            add((node, PAL.decisionNumber, Literal(doc.decision)))
        if doc.date:
            add((node, ELI.date_document, Literal(doc.date.isoformat(), datatype=XSD.date)))
        if doc.year:
            add((node, PAL.year, Literal(str(doc.year), datatype=XSD.gYear)))
        if doc.session:
            add((node, PAL.session, Literal(int(doc.session))))
        add((node, ELI.language, Literal(doc.language)))
        if doc.original_language:
            add((node, PAL.originalLanguage, Literal(doc.original_language)))
        if doc.formula:
            add((node, PAL.openingFormula, Literal(doc.formula, lang="ar")))
        for key, prop in (
            ("distribution", PAL.distribution),
            ("job_number", PAL.jobNumber),
            ("agenda_item", PAL.agendaItem),
        ):
            if key in doc.header:
                add((node, prop, Literal(doc.header[key])))
        if "agenda_title" in doc.header:
            add((node, PAL.agendaTitle, Literal(doc.header["agenda_title"], lang="ar")))
        for name in doc.sponsors:
            add((node, PAL.sponsorName, Literal(name, lang="ar")))
            state = relations.state_node(self.g, name)
            if state is not None:
                add((node, PAL.sponsor, state))
        add((node, PROV.wasDerivedFrom, self.iri.source(doc.file_name)))

    def _source(self, doc: Document) -> None:
        src = self.iri.source(doc.file_name)
        self.g.add((src, RDF.type, PAL.SourceFile))
        self.g.add((src, SDO.name, Literal(doc.file_name)))
        self.g.add((src, PAL.sha256, Literal(doc.sha256)))
        self.g.add((src, PAL.encoding, Literal(doc.encoding)))

    def _meeting(self, meeting: Meeting, doc: Document, doc_node: URIRef) -> None:
        node = self.iri.meeting(meeting.body, meeting.number)
        add = self.g.add
        add((node, RDF.type, SDO.Event))
        add((node, PAL.meetingNumber, Literal(meeting.number)))
        add((node, SDO.organizer, ACTOR[meeting.body]))
        if meeting.body == "WorkingGroup" and meeting.number <= len(ORDINALS_EN):
            name = (
                f"{ORDINALS_EN[meeting.number - 1].capitalize()} meeting of the Working "
                "Group on Trafficking in Persons"
            )
            add((node, SDO.name, Literal(name, lang="en")))
        if meeting.place:
            add((node, SDO.location, Literal(meeting.place, lang="ar")))
        if meeting.start:
            add((node, SDO.startDate, Literal(meeting.start.isoformat(), datatype=XSD.date)))
        if meeting.end:
            add((node, SDO.endDate, Literal(meeting.end.isoformat(), datatype=XSD.date)))
        if doc.kind == "wg-report":
            add((node, SDO.recordedIn, doc_node))
        for entry in doc.concordance:
            if entry.get("meeting") == meeting.number:
                report = self.iri.external_document(entry["report"])
                add((node, SDO.recordedIn, report))
                add((report, ELI.id_local, Literal(entry["report"])))
                add((report, RDF.type, ELI.Work))
                add((node, PAL.reportSymbol, Literal(entry["report"])))
                add((node, PAL.concordanceOffset, Literal(int(entry["offset"]))))

    def _unit(self, doc: Document, doc_node: URIRef, unit: Unit) -> None:
        node = self.iri.unit(doc.id, unit.eid)
        cls, kind = unit_class(unit)
        add = self.g.add
        add((node, RDF.type, cls))
        add((node, RDF.type, ELI.WorkSubdivision))
        add((node, PAL.unitKind, UNITKIND[kind]))
        parent = (
            doc_node
            if unit.parent is None or unit.parent.kind == "document"
            else (self.iri.unit(doc.id, unit.parent.eid))
        )
        add((node, ELI.is_part_of, parent))
        add((parent, ELI.has_part, node))
        if unit.number and unit.kind != "note":  # notes are unnumbered; note_n is their eId
            add((node, ELI.number, Literal(unit.number)))
        if unit.printed:
            add((node, PAL.printedNumber, Literal(unit.printed)))
        add((node, PAL.eId, Literal(unit.eid)))
        add((node, PAL.unitLabel, Literal(unit.label)))
        add((node, PAL.order, Literal(unit.order)))
        add((node, SDO.text, Literal(unit.text, lang="ar")))
        if unit.heading:
            add((node, PAL.heading, Literal(unit.heading, lang="ar")))
        if unit.meeting is not None and doc.body == "WorkingGroup":
            add((node, PAL.meeting, self.iri.meeting("WorkingGroup", unit.meeting)))
        if unit.adopted_at is not None:
            add((node, PAL.adoptedAt, self.iri.meeting("WorkingGroup", unit.adopted_at)))
        if unit.proposed_at is not None:
            add((node, PAL.proposedAt, self.iri.meeting("WorkingGroup", unit.proposed_at)))
        for name in unit.names:
            add((node, PAL.listedName, Literal(name, lang="ar")))
            self._attendee(doc, node, name)
        relations.add_references(self.g, self.iri, node, unit.references, self.loaded)
        relations.add_links(self.g, self.iri, node, unit, self.units_by_label)
        self._deontic(node, unit)
        for citation in unit.cites:
            add((node, ELI.cites, self._provision(citation.provision)))
        self._provenance(doc, node, unit)

    def _attendee(self, doc: Document, node: URIRef, name: str) -> None:
        """A State or body in an attendance list: on the paragraph and on the meeting."""
        found = relations.listed(self.g, name)
        if found is None:
            return
        prop, target = found
        self.g.add((node, prop, target))
        for meeting in doc.meetings:
            self.g.add((self.iri.meeting(meeting.body, meeting.number), SDO.attendee, target))

    def _deontic(self, node: URIRef, unit: Unit) -> None:
        """Verb (a concept, never an rdf:type), action category, addressee, named actors."""
        add = self.g.add
        if unit.verb:
            add((node, PAL.verb, VERB[unit.verb]))
        if unit.action is not None and unit.verb:
            add((node, PAL.actionCategory, Literal(int(unit.action))))
        if unit.addressee:
            add((node, PAL.addressee, ACTOR[unit.addressee]))
        for code in unit.mentions:
            add((node, PAL.mentions, ACTOR[code]))
        for tag in unit.themes:
            theme = THEME[tag.code]
            add((node, ELI.is_about, theme))
            qualified = self.iri.part(node, f"theme_{tag.code}")
            add((node, PAL.themeTag, qualified))
            add((qualified, RDF.type, PAL.ThemeTag))
            add((qualified, PAL.theme, theme))
            for words in tag.triggers:
                add((qualified, PAL.trigger, Literal(words, lang="ar")))

    def _provision(self, provision: Provision) -> URIRef:
        """The provision's node; paragraphs and subparagraphs are created as cited."""
        node = INSTRUMENT[f"{provision.instrument}/{provision.eid}"]
        parent = provision.parent()
        if parent is None:
            return node  # articles are listed in ontology/instruments.ttl
        add = self.g.add
        add((node, RDF.type, ELI.LegalResourceSubdivision))
        add((node, ELI.is_part_of, self._provision(parent)))
        add((node, ELI.number, Literal(provision.subparagraph or str(provision.paragraph))))
        add((node, PAL.eId, Literal(provision.eid)))
        add((node, SKOS.notation, Literal(provision.notation)))
        return node

    def _provenance(self, doc: Document, node: URIRef, unit: Unit) -> None:
        """One oa:SpecificResource per segment, each with position and quote selectors."""
        source = self.iri.source(doc.file_name)
        for i, seg in enumerate(unit.segments, start=1):
            res = self.iri.part(node, f"src_{i}")
            pos, quote = self.iri.part(res, "pos"), self.iri.part(res, "quote")
            add = self.g.add
            add((node, PROV.wasDerivedFrom, res))
            add((res, RDF.type, OA.SpecificResource))
            add((res, OA.hasSource, source))
            add((res, PAL.segmentIndex, Literal(i)))
            add((res, OA.hasSelector, pos))
            add((res, OA.hasSelector, quote))
            add((pos, RDF.type, OA.TextPositionSelector))
            add((pos, OA.start, Literal(seg.start)))
            add((pos, OA.end, Literal(seg.end)))
            add((quote, RDF.type, OA.TextQuoteSelector))
            exact = doc.source[seg.start : seg.end]
            add((quote, OA.exact, Literal(exact, lang="ar" if _is_arabic(exact) else "en")))

    def _footnote(self, doc: Document, doc_node: URIRef, note) -> None:
        node = self.iri.footnote(doc.id, note.label)
        add = self.g.add
        add((node, RDF.type, PAL.Footnote))
        add((node, RDF.type, ELI.WorkSubdivision))
        add((node, ELI.is_part_of, doc_node))
        add((node, PAL.footnoteLabel, Literal(note.label)))
        add((node, SDO.text, Literal(note.text, lang="ar" if _is_arabic(note.text) else "en")))
        owner = self.iri.unit(doc.id, note.unit.eid) if note.unit else doc_node
        add((owner, PAL.footnote, node))
        fake = Unit("footnote", segments=[note.segment], text=note.text)
        self._provenance(doc, node, fake)
        relations.add_references(self.g, self.iri, node, note.references, self.loaded)
        if note.marker:
            marker = self.iri.part(node, "marker")
            add((node, PAL.marker, marker))
            add((marker, RDF.type, OA.TextPositionSelector))
            add((marker, OA.start, Literal(note.marker.start)))
            add((marker, OA.end, Literal(note.marker.end)))


def _is_arabic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum("\u0600" <= c <= "\u06ff" for c in letters) * 2 >= len(letters)


def build_graph(
    docs: list[Document], base: str | None = None, with_vocabulary: bool = True
) -> Graph:
    """The graph of ``docs`` (plus the shipped vocabulary unless told otherwise)."""
    builder = GraphBuilder(base, with_vocabulary)
    builder.add_all(docs)
    return builder.g


#: Vocabulary files of the "ontology" named graph; the rest are the "schemes" graph.
ONTOLOGY_FILES = ("palermo.ttl",)


def build_dataset(docs: list[Document], base: str | None = None) -> list[tuple[URIRef, Graph]]:
    """Named graphs: one per source document, plus the ontology and the schemes.

    Their union is exactly :func:`build_graph`'s graph; TriG exports keep them apart
    so a store can replace one document's graph without touching the others.
    """
    iri = Minter(base) if base else Minter()
    out: list[tuple[URIRef, Graph]] = []
    for name, files in (
        ("ontology", ONTOLOGY_FILES),
        ("schemes", tuple(f for f in VOCABULARY_FILES if f not in ONTOLOGY_FILES)),
    ):
        g = bind_all(Graph(), iri.base)
        for file in files:
            if (ONTOLOGY / file).exists():
                g.parse(ONTOLOGY / file, format="turtle")
        out.append((URIRef(f"{iri.base}graph/{name}"), g))
    index = GraphBuilder(base, with_vocabulary=False)
    index.know(docs)
    for doc in docs:
        builder = GraphBuilder(base, with_vocabulary=False).share(index)
        builder.add(doc)
        out.append((URIRef(f"{iri.base}graph/doc/{doc.id}"), builder.g))
    return out


def union(dataset: list[tuple[URIRef, Graph]]) -> Graph:
    """All triples of the named graphs in one graph."""
    g = bind_all(Graph())
    for _, graph in dataset:
        g += graph
    return g
