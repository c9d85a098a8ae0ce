"""Turn paragraph trees into the RDF graph: documents, meetings, units, footnotes,
and the provenance selectors that tie every unit to its exact source slices.

Each document's statements are written as N-Quads lines into its own named graph
(``<base>graph/doc/<id>``; see :mod:`graph.nquads`) and streamed into an Oxigraph
store (:func:`build_store`); the meetings, States, UN documents, treaties and
provisions they mention are described once in ``graph/entities``; the ontology and
schemes go into ``graph/ontology`` and ``graph/schemes``. :func:`build_graph` gives
the same triples as an rdflib Graph, for small fixtures and tests.

The mapping reuses ELI for the backbone (eli:Work, eli:WorkSubdivision,
eli:is_part_of, eli:number), Web Annotation for provenance (one
oa:SpecificResource per text segment with a TextPositionSelector and a
TextQuoteSelector), schema.org for meetings, and Palermo terms only where
those lack one. No blank nodes: every node has a stable IRI, so two builds of
the same input give the same triples.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from pathlib import Path

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SDO, SKOS, XSD

from graph import relations
from graph.iris import Minter, graph_name
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
from graph.nquads import LineReader, Quads, lit, term, text, typed
from graph.spool import Spool
from loaders.extract.links import Link
from loaders.extract.repetition import search_corpus
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
    """Writes documents as N-Quads lines, each into its own named graph."""

    def __init__(self, base: str | None = None) -> None:
        self.iri = Minter(base) if base else Minter()
        self.entities = Quads(graph_name(self.iri.base, "entities"))
        self.g = Quads()
        self.loaded: dict[str, URIRef] = {}
        self.units_by_label: dict[tuple[str, str], Unit] = {}

    def know(self, docs: list[Document]) -> None:
        """Index the corpus once: links between units and citations of symbols cross
        documents (builders of one dataset share the index via ``share``)."""
        self.units_by_label = {(d.id, u.label): u for d in docs for u in d.units()}
        self.loaded = {d.symbol: self.iri.document(d.id) for d in docs if d.symbol}

    def lines(self, doc: Document) -> list[str]:
        """The N-Quads lines of ``doc``'s named graph (call :meth:`know` first)."""
        self.g = Quads(graph_name(self.iri.base, f"doc/{doc.id}"), shared=self.entities)
        self.add(doc)
        return self.g.lines

    def add(self, doc: Document) -> None:
        node = self.iri.document(doc.id)
        self.year = typed(str(doc.year), XSD.gYear) if doc.year else None
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
        add((node, DCTERMS.identifier, lit(doc.id)))
        if doc.title:
            add((node, ELI.title, text(doc.title, "ar")))
        if doc.title_en:
            add((node, ELI.title, text(doc.title_en, "en")))
        if doc.body:
            add((node, PAL.body, ACTOR[doc.body]))
        if doc.symbol:
            add((node, ELI.id_local, lit(doc.symbol)))
        if doc.decision:
            add((node, PAL.decisionNumber, lit(doc.decision)))
        if doc.date:
            add((node, ELI.date_document, typed(doc.date.isoformat(), XSD.date)))
        if doc.year:
            add((node, PAL.year, typed(str(doc.year), XSD.gYear)))
        if doc.session:
            add((node, PAL.session, lit(int(doc.session))))
        add((node, ELI.language, lit(doc.language)))
        if doc.original_language:
            add((node, PAL.originalLanguage, lit(doc.original_language)))
        if doc.formula:
            add((node, PAL.openingFormula, text(doc.formula, "ar")))
        for key, prop in (
            ("distribution", PAL.distribution),
            ("job_number", PAL.jobNumber),
            ("agenda_item", PAL.agendaItem),
        ):
            if key in doc.header:
                add((node, prop, lit(doc.header[key])))
        if "agenda_title" in doc.header:
            add((node, PAL.agendaTitle, text(doc.header["agenda_title"], "ar")))
        for name in doc.sponsors:
            add((node, PAL.sponsorName, text(name, "ar")))
            state = relations.state_node(self.g, name)
            if state is not None:
                add((node, PAL.sponsor, state))
        add((node, PROV.wasDerivedFrom, self.iri.source(doc.file_name)))

    def _source(self, doc: Document) -> None:
        src = self.iri.source(doc.file_name)
        self.g.add((src, RDF.type, PAL.SourceFile))
        self.g.add((src, SDO.name, lit(doc.file_name)))
        self.g.add((src, PAL.sha256, lit(doc.sha256)))
        self.g.add((src, PAL.encoding, lit(doc.encoding)))

    def _meeting(self, meeting: Meeting, doc: Document, doc_node: URIRef) -> None:
        node = self.iri.meeting(meeting.body, meeting.number)
        add = self.g.describe  # a meeting is described by its report and the compilation
        add((node, RDF.type, SDO.Event))
        add((node, PAL.meetingNumber, lit(meeting.number)))
        add((node, SDO.organizer, ACTOR[meeting.body]))
        if meeting.body == "WorkingGroup" and meeting.number <= len(ORDINALS_EN):
            name = (
                f"{ORDINALS_EN[meeting.number - 1].capitalize()} meeting of the Working "
                "Group on Trafficking in Persons"
            )
            add((node, SDO.name, text(name, "en")))
        if meeting.place:
            add((node, SDO.location, text(meeting.place, "ar")))
        if meeting.start:
            add((node, SDO.startDate, typed(meeting.start.isoformat(), XSD.date)))
        if meeting.end:
            add((node, SDO.endDate, typed(meeting.end.isoformat(), XSD.date)))
        if doc.kind == "wg-report":
            add((node, SDO.recordedIn, doc_node))
        for entry in doc.concordance:
            if entry.get("meeting") == meeting.number:
                report = self.iri.external_document(entry["report"])
                add((node, SDO.recordedIn, report))
                self.g.describe((report, ELI.id_local, lit(entry["report"])))
                self.g.describe((report, RDF.type, ELI.Work))
                add((node, PAL.reportSymbol, lit(entry["report"])))
                add((node, PAL.concordanceOffset, lit(int(entry["offset"]))))

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
        self._materialised(node, doc_node)
        if unit.number and unit.kind != "note":  # notes are unnumbered; note_n is their eId
            add((node, ELI.number, lit(unit.number)))
        if unit.printed:
            add((node, PAL.printedNumber, lit(unit.printed)))
        add((node, PAL.eId, lit(unit.eid)))
        add((node, PAL.unitLabel, lit(unit.label)))
        add((node, PAL.order, lit(unit.order)))
        add((node, SDO.text, text(unit.text, "ar")))
        if unit.heading:
            add((node, PAL.heading, text(unit.heading, "ar")))
        if unit.meeting is not None and doc.body == "WorkingGroup":
            add((node, PAL.meeting, self.iri.meeting("WorkingGroup", unit.meeting)))
        if unit.adopted_at is not None:
            add((node, PAL.adoptedAt, self.iri.meeting("WorkingGroup", unit.adopted_at)))
        if unit.proposed_at is not None:
            add((node, PAL.proposedAt, self.iri.meeting("WorkingGroup", unit.proposed_at)))
        for name in unit.names:
            add((node, PAL.listedName, text(name, "ar")))
            self._attendee(doc, node, name)
        relations.add_references(self.g, self.iri, node, unit.references, self.loaded)
        relations.add_links(self.g, self.iri, node, unit.links, self.units_by_label)
        self._deontic(node, unit)
        for citation in unit.cites:
            add((node, ELI.cites, self._provision(citation.provision)))
        self._provenance(doc, node, unit)

    def _materialised(self, node: URIRef, doc_node: URIRef) -> None:
        """The unit's document and year, stated directly: what ``eli:is_part_of+`` and a
        join to the document would find, precomputed so queries over millions of units
        need no path walk (pal:document is a sub-property of eli:is_part_of)."""
        self.g.add((node, PAL.document, doc_node))
        if self.year is not None:
            self.g.add((node, PAL.year, self.year))

    def _attendee(self, doc: Document, node: URIRef, name: str) -> None:
        """A State or body in an attendance list: on the paragraph and on the meeting."""
        found = relations.listed(self.g, name)
        if found is None:
            return
        prop, target = found
        self.g.add((node, prop, target))
        for meeting in doc.meetings:
            self.g.describe((self.iri.meeting(meeting.body, meeting.number), SDO.attendee, target))

    def _deontic(self, node: URIRef, unit: Unit) -> None:
        """Verb (a concept, never an rdf:type), action category, addressee, named actors."""
        add = self.g.add
        if unit.verb:
            add((node, PAL.verb, VERB[unit.verb]))
        if unit.action is not None and unit.verb:
            add((node, PAL.actionCategory, lit(int(unit.action))))
        if unit.addressee:
            add((node, PAL.addressee, ACTOR[unit.addressee]))
        for code in unit.mentions:
            add((node, PAL.mentions, ACTOR[code]))
        subject, T = term(node), _THEME_TAG
        for tag in unit.themes:  # a fifth of the graph: written as terms
            theme, qualified = _theme(tag.code), term(self.iri.part(node, f"theme_{tag.code}"))
            self.g.add_terms(
                (subject, T["is_about"], theme),
                (subject, T["themeTag"], qualified),
                (qualified, T["type"], T["ThemeTag"]),
                (qualified, T["theme"], theme),
                *((qualified, T["trigger"], _trigger(words)) for words in tag.triggers),
            )

    def _provision(self, provision: Provision) -> URIRef:
        """The provision's node; paragraphs and subparagraphs are created as cited."""
        node = INSTRUMENT[f"{provision.instrument}/{provision.eid}"]
        parent = provision.parent()
        if parent is None:
            return node  # articles are listed in ontology/instruments.ttl
        add = self.g.describe
        add((node, RDF.type, ELI.LegalResourceSubdivision))
        add((node, ELI.is_part_of, self._provision(parent)))
        add((node, ELI.number, lit(provision.subparagraph or str(provision.paragraph))))
        add((node, PAL.eId, lit(provision.eid)))
        add((node, SKOS.notation, lit(provision.notation)))
        return node

    def _provenance(self, doc: Document, node: URIRef, unit: Unit) -> None:
        """One oa:SpecificResource per segment, each with position and quote selectors
        (11 statements a segment, a third of the graph: written as terms)."""
        source, subject, P = term(self.iri.source(doc.file_name)), term(node), _PROVENANCE
        for i, seg in enumerate(unit.segments, start=1):
            res = self.iri.part(node, f"src_{i}")
            pos, quote = term(self.iri.part(res, "pos")), term(self.iri.part(res, "quote"))
            res = term(res)
            exact = doc.source[seg.start : seg.end]
            self.g.add_terms(
                (subject, P["derived"], res),
                (res, P["type"], P["SpecificResource"]),
                (res, P["hasSource"], source),
                (res, P["segmentIndex"], lit(i)),
                (res, P["hasSelector"], pos),
                (res, P["hasSelector"], quote),
                (pos, P["type"], P["TextPositionSelector"]),
                (pos, P["start"], lit(seg.start)),
                (pos, P["end"], lit(seg.end)),
                (quote, P["type"], P["TextQuoteSelector"]),
                (quote, P["exact"], text(exact, "ar" if _is_arabic(exact) else "en")),
            )

    def _footnote(self, doc: Document, doc_node: URIRef, note) -> None:
        node = self.iri.footnote(doc.id, note.label)
        add = self.g.add
        add((node, RDF.type, PAL.Footnote))
        add((node, RDF.type, ELI.WorkSubdivision))
        add((node, ELI.is_part_of, doc_node))
        self._materialised(node, doc_node)
        add((node, PAL.footnoteLabel, lit(note.label)))
        add((node, SDO.text, text(note.text, "ar" if _is_arabic(note.text) else "en")))
        owner = self.iri.unit(doc.id, note.unit.eid) if note.unit else doc_node
        add((owner, PAL.footnote, node))
        fake = Unit("footnote", segments=[note.segment], text=note.text)
        self._provenance(doc, node, fake)
        relations.add_references(self.g, self.iri, node, note.references, self.loaded)
        if note.marker:
            marker = self.iri.part(node, "marker")
            add((node, PAL.marker, marker))
            add((marker, RDF.type, OA.TextPositionSelector))
            add((marker, OA.start, lit(note.marker.start)))
            add((marker, OA.end, lit(note.marker.end)))


#: Runs of the letters (``str.isalpha``) of the Arabic block, U+0600-U+06FF.
_ARABIC_RUN = re.compile(
    "[" + "".join(c for c in map(chr, range(0x600, 0x700)) if c.isalpha()) + "]+"
)
#: Runs of what may be another letter: word characters neither digits, "_" nor in
#: the Arabic block (every letter is a word character; these are checked one by one).
_OTHER_RUN = re.compile("[^\\W\\d_\u0600-\u06ff]+")


#: The IRIs of the provenance statements, as N-Triples terms.
_PROVENANCE = {
    "derived": term(PROV.wasDerivedFrom),
    "type": term(RDF.type),
    "SpecificResource": term(OA.SpecificResource),
    "hasSource": term(OA.hasSource),
    "segmentIndex": term(PAL.segmentIndex),
    "hasSelector": term(OA.hasSelector),
    "TextPositionSelector": term(OA.TextPositionSelector),
    "start": term(OA.start),
    "end": term(OA.end),
    "TextQuoteSelector": term(OA.TextQuoteSelector),
    "exact": term(OA.exact),
}


#: ... and of a unit's theme tags.
_THEME_TAG = {
    "is_about": term(ELI.is_about),
    "themeTag": term(PAL.themeTag),
    "type": term(RDF.type),
    "ThemeTag": term(PAL.ThemeTag),
    "theme": term(PAL.theme),
    "trigger": term(PAL.trigger),
}


@cache
def _theme(code: str) -> str:
    """A theme's IRI as a term (a few dozen themes, tagged a million times)."""
    return term(THEME[code])


@lru_cache(maxsize=1 << 16)
def _trigger(words: str) -> str:
    """A theme's trigger words as a literal (the lexicon's entries recur)."""
    return text(words, "ar")


def _is_arabic(text: str) -> bool:
    """At least half the letters are in the Arabic block. This runs on every quote:
    counted character by character it was 2.4 s of building 100x the seeds, so a
    quote with no other letter (nearly all) only looks for one Arabic letter, and the
    rest count runs of letters, not letters."""
    other = _OTHER_RUN.findall(text)
    if not other:
        return _ARABIC_RUN.search(text) is not None
    others = sum(map(str.isalpha, "".join(other)))
    arabic = sum(map(len, _ARABIC_RUN.findall(text)))
    return arabic + others > 0 and arabic >= others


#: Vocabulary files of the "ontology" named graph; the rest are the "schemes" graph.
ONTOLOGY_FILES = ("palermo.ttl",)


def vocabulary_graphs() -> list[tuple[str, list[Path]]]:
    """(named graph, Turtle files) of the shipped vocabulary."""
    schemes = [f for f in VOCABULARY_FILES if f not in ONTOLOGY_FILES]
    return [
        (name, [ONTOLOGY / f for f in files if (ONTOLOGY / f).exists()])
        for name, files in (("ontology", ONTOLOGY_FILES), ("schemes", schemes))
    ]


def document_lines(
    docs: list[Document], base: str | None = None
) -> Iterator[tuple[str, list[str]]]:
    """(named graph, N-Quads lines) of each document, one document at a time (the
    corpus is indexed once, for links and citations across documents), then of
    ``graph/entities``: what the documents say about the States, UN documents,
    treaties and provisions they mention, each statement once."""
    builder = GraphBuilder(base)
    builder.know(docs)
    for doc in docs:
        lines = builder.lines(doc)
        yield builder.g.graph, lines
    yield builder.entities.graph, builder.entities.lines


#: A repetition search's link statements: (N-Quads file, (document graph, first byte,
#: end byte) of each graph's part in it), from :func:`repetition_links`. A file, not
#: bytes sent back: at 100x the seeds those raised the build's peak by 250 MB.
Links = tuple[Path, list[tuple[str, int, int]]]

#: Lines handed to the store per read (a few MB): the builder never holds more.
CHUNK_LINES = 20_000


def _chunks(
    docs: list[Document],
    base: str | None,
    progress: Callable[[int], None],
    spool: Spool | None,
    entities: list[str] | None,
    links: Callable[[], Links] | None,
    spooled: Callable[[], None] | None = None,
):
    pending: list[bytes] = []
    count = 0
    for graph, lines in document_lines(docs, base):
        if entities is not None and graph.endswith("/graph/entities"):
            entities.extend(lines)
        data = "".join(lines).encode("utf-8")  # once, for the spool and the store
        if spool is not None:
            spool.add(graph, data)
        pending.append(data)
        count += len(lines)
        progress(len(lines))
        if count >= CHUNK_LINES:
            yield b"".join(pending)
            pending, count = [], 0
    if pending:
        yield b"".join(pending)
    if links is not None:
        path, parts = links()
        with path.open("rb") as fh:
            for graph, start, end in parts:
                data = fh.read(end - start)
                if spool is not None:
                    spool.add(graph, data)
                progress(data.count(b"\n"))
                yield data
    if spool is not None and spooled is not None:
        spooled()


def load_vocabulary(store: pyoxigraph.Store, base: str, spool: Spool | None = None) -> None:
    """Load the ontology and schemes into their named graphs of ``store`` (and hand
    their files to ``spool``, if given)."""
    for name, files in vocabulary_graphs():
        graph = graph_name(base, name)
        if spool is not None:
            spool.add_files(graph, files)
        for file in files:
            store.bulk_load(
                path=str(file),
                format=pyoxigraph.RdfFormat.TURTLE,
                to_graph=pyoxigraph.NamedNode(graph),
            )


def build_store(
    docs: list[Document],
    store: pyoxigraph.Store,
    base: str | None = None,
    progress: Callable[[int], None] = lambda n: None,
    spool: Spool | None = None,
    entities: list[str] | None = None,
    links: Callable[[], Links] | None = None,
    spooled: Callable[[], None] | None = None,
) -> pyoxigraph.Store:
    """Bulk-load the vocabulary and every document's named graph into ``store``.

    The N-Quads stream from the builder into the store's bulk loader through a file
    object, so neither a copy of the graph nor its whole text is ever held.
    ``progress`` is called with each document's number of statements; ``spool``, if
    given, gets each graph too (the exports of a store on disk are written from it);
    ``entities``, if given, gets the lines of the shared entities graph. ``links``,
    if given, is called once the documents are read for the :func:`repetition_links`
    to load with them, in the same bulk load: a search running beside the build
    (:func:`search_and_link`) has the time of the whole load to finish. What
    ``links`` raises is raised here. ``spooled``, if given, is called once ``spool``
    holds every graph, while the store still ingests the last statements (its bulk loader
    sorts and writes the last batches after reading them: at 1000x the seeds 18 s).
    """
    iri = Minter(base) if base else Minter()
    load_vocabulary(store, iri.base, spool)
    reader = LineReader(_chunks(docs, base, progress, spool, entities, links, spooled))
    store.bulk_load(reader, format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def search_and_link(
    docs: list[Document],
    path: Path,
    base: str | None = None,
    before: Callable[[], dict[tuple[str, str], int]] | None = None,
) -> tuple[bytes, Links]:
    """The search for repeated recommendations (:func:`search_corpus`) and the
    statements of the links it finds, written to ``path`` (:func:`repetition_links`):
    what ``palermo build`` runs in a child process beside :func:`build_store`, so that
    making the links' statements (36 s at 1000x the seeds) is off the main process
    too. Returns the search's state (for the next build) and the :data:`Links`; the
    links themselves stay in the child, whose statements say all of them.

    The search reads only the units' texts and places, so it can start before the
    documents are linked across the corpus; ``before``, if given, is called after it
    for what the statements need of that linking (:func:`links_before`)."""
    found, search = search_corpus(docs)
    return search, repetition_links(docs, found, path, base, before() if before else None)


def links_before(docs: list[Document]) -> dict[tuple[str, str], int]:
    """(document id, unit label) -> the number of links of each unit that has any: a
    unit's repetition links are numbered after them."""
    return {(d.id, u.label): len(u.links) for d in docs for u in d.units() if u.links}


def repetition_links(
    docs: list[Document],
    repeats: list[tuple],
    path: Path,
    base: str | None = None,
    before: dict[tuple[str, str], int] | None = None,
) -> Links:
    """Write the statements of a repetition search's links (:meth:`Repeat.compact`
    tuples) to ``path`` as N-Quads, each unit's appended to its links and numbered
    after them as one pass would have numbered them (after ``before``'s count, if
    given, else the unit's links), and say where each document graph's part is.
    ``docs`` are left as they are."""
    new: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for later_doc, later_label, earlier_doc, earlier_label, relation, score in repeats:
        new[(later_doc, later_label)].append(Link(relation, (earlier_doc, earlier_label), score))
    builder = GraphBuilder(base)
    builder.know(docs)
    parts: list[tuple[str, int, int]] = []
    targets: dict[tuple[str, str], str] = {}  # each target's IRI, made once
    with path.open("wb") as fh:
        for doc in docs:
            g = Quads(graph_name(builder.iri.base, f"doc/{doc.id}"), shared=builder.entities)
            for unit in doc.units():
                links = new.get((doc.id, unit.label))
                if links:
                    node = builder.iri.unit(doc.id, unit.eid)
                    done = (
                        len(unit.links) if before is None else before.get((doc.id, unit.label), 0)
                    )
                    first = done + 1
                    relations.add_links(
                        g, builder.iri, node, links, builder.units_by_label, first, targets
                    )
            if g.lines:
                start = fh.tell()
                fh.write("".join(g.lines).encode("utf-8"))
                parts.append((g.graph, start, fh.tell()))
    return path, parts


def build_graph(
    docs: list[Document], base: str | None = None, with_vocabulary: bool = True
) -> Graph:
    """The graph of ``docs`` (plus the shipped vocabulary unless told otherwise) as one
    rdflib Graph: the union of the named graphs :func:`build_store` loads. For small
    fixtures and tests; builds use the store."""
    from graph.store import to_rdflib

    g = bind_all(Graph(), (Minter(base) if base else Minter()).base)
    if with_vocabulary:
        g += vocabulary()
    data = "".join(line for _, lines in document_lines(docs, base) for line in lines)
    return to_rdflib(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_QUADS), g)
