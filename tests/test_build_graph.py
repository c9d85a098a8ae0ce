"""The RDF graph of the seeds: structure, provenance selectors, meetings, stable IRIs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SDO, XSD

from graph.build import build_graph, build_store
from graph.export import StoreExports
from graph.iris import IRIError, Minter
from graph.namespaces import ELI, OA, PAL
from graph.store import new_store
from tests.conftest import SEEDS

BASE = "https://w3id.org/palermo/"
DOC = BASE + "doc/"


def test_unit_node_has_class_number_eid_parent_and_text(seed_graph) -> None:
    unit = URIRef(DOC + "ctoc-cop-wg4-2019-5/mtg_4__para_46__subpara_i__point_ii")
    g = seed_graph
    assert (unit, RDF.type, PAL.Recommendation) in g
    assert (unit, RDF.type, ELI.WorkSubdivision) in g
    assert g.value(unit, ELI.number) == Literal("ii")
    assert g.value(unit, PAL.unitLabel) == Literal("4/46(i)(ii)")
    assert g.value(unit, ELI.is_part_of) == URIRef(
        DOC + "ctoc-cop-wg4-2019-5/mtg_4__para_46__subpara_i"
    )
    assert g.value(unit, PAL.proposedAt) == URIRef(BASE + "meeting/wg-tip/3")
    assert g.value(unit, PAL.adoptedAt) == URIRef(BASE + "meeting/wg-tip/4")
    assert str(g.value(unit, SDO.text)).startswith("وجود أحكام تتيح للمحاكم الجنائية")


def test_every_selector_slices_the_source_file_to_the_unit_text(seed_graph) -> None:
    g = seed_graph
    files = {}
    for src in g.subjects(RDF.type, PAL.SourceFile):
        name = str(g.value(src, SDO.name))
        files[src] = (SEEDS / name).read_text(encoding="utf-8")
    checked = 0
    for node, text in g.subject_objects(SDO.text):
        segments = []
        for res in g.objects(node, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")):
            if (res, RDF.type, OA.SpecificResource) not in g:
                continue
            pos = next(
                s
                for s in g.objects(res, OA.hasSelector)
                if (s, RDF.type, OA.TextPositionSelector) in g
            )
            quote = next(
                s
                for s in g.objects(res, OA.hasSelector)
                if (s, RDF.type, OA.TextQuoteSelector) in g
            )
            source = files[g.value(res, OA.hasSource)]
            piece = source[int(g.value(pos, OA.start)) : int(g.value(pos, OA.end))]
            assert piece == str(g.value(quote, OA.exact))
            segments.append((int(g.value(res, PAL.segmentIndex)), piece))
        if not segments:
            continue
        assert " ".join(p for _, p in sorted(segments)) == str(text), node
        checked += 1
    assert checked == 568 + 50  # units + footnotes


def test_meetings_are_events_with_dates_and_reports(seed_graph) -> None:
    g = seed_graph
    m2 = URIRef(BASE + "meeting/wg-tip/2")
    assert (m2, RDF.type, SDO.Event) in g
    assert g.value(m2, SDO.startDate) == Literal("2010-01-27", datatype=XSD.date)
    assert g.value(m2, SDO.endDate) == Literal("2010-01-29", datatype=XSD.date)
    assert g.value(m2, PAL.reportSymbol) == Literal("CTOC/COP/WG.4/2010/6")
    m9 = URIRef(BASE + "meeting/wg-tip/9")
    assert g.value(m9, SDO.recordedIn) == URIRef(DOC + "wg-tip-2019-draft-report")
    assert len(set(g.subjects(RDF.type, SDO.Event))) == 9


def test_document_node(seed_graph) -> None:
    g = seed_graph
    doc = URIRef(DOC + "cop-decision-3-3")
    assert (doc, RDF.type, ELI.Work) in g
    assert g.value(doc, ELI.date_document) == Literal("2006-10-18", datatype=XSD.date)
    assert g.value(doc, PAL.decisionNumber) == Literal("3/3")
    assert g.value(doc, PAL.body) == URIRef(BASE + "actor/ConferenceOfTheParties")
    ga = URIRef(DOC + "ga-79-c3-trafficking-women-girls-draft")
    assert len(set(g.objects(ga, PAL.sponsorName))) == 10


def test_no_blank_nodes_in_the_data(seed_graph) -> None:
    data = [t for t in seed_graph if any(str(x).startswith(DOC) for x in t)]
    assert data
    assert not any(type(x).__name__ == "BNode" for t in data for x in t)


def exported(docs, folder, name: str = "palermo.nt") -> bytes:
    """One export of ``docs`` built in a fresh in-memory store."""
    folder.mkdir()
    exports = StoreExports(build_store(docs, new_store()), folder)
    exports.producers()[name](folder / name)
    return (folder / name).read_bytes()


def test_two_builds_give_byte_identical_ntriples(seed_docs, tmp_path) -> None:
    docs = list(seed_docs.values())
    nt = exported(docs, tmp_path / "a")
    assert nt == exported(list(reversed(docs)), tmp_path / "b")
    assert len(nt.splitlines()) == len(build_graph(docs))


def test_configurable_base(seed_docs) -> None:
    g = build_graph(
        [seed_docs["cop-decision-3-3"]], base="http://example.org/tip/", with_vocabulary=False
    )
    assert (
        URIRef("http://example.org/tip/doc/cop-decision-3-3/para_m"),
        RDF.type,
        PAL.OperativeParagraph,
    ) in g


@pytest.mark.parametrize("bad", ["ftp://x/", "https://x/no-slash", "https://x/<a>/", "urn:x"])
def test_bad_base_is_refused(bad: str) -> None:
    with pytest.raises(IRIError):
        Minter(bad)


@pytest.mark.parametrize("bad", ["a b", "x>", "Doc", "../x", "a\nb", ""])
def test_document_ids_cannot_change_iri_structure(bad: str) -> None:
    with pytest.raises(IRIError):
        Minter().document(bad)


def test_turtle_and_ntriples_exports_hold_the_same_graph(seed_docs, seed_graph, tmp_path) -> None:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    docs = list(seed_docs.values())
    ttl = exported(docs, tmp_path / "a", "palermo.ttl")
    nt = exported(docs, tmp_path / "b")
    from_ttl = Graph().parse(data=ttl.decode("utf-8"), format="turtle")
    from_nt = Graph().parse(data=nt.decode("utf-8"), format="nt")
    assert len(from_ttl) == len(seed_graph) == len(from_nt)
    assert isomorphic(from_ttl, from_nt)
    assert isomorphic(from_nt, seed_graph)


@pytest.mark.parametrize(
    ("text", "arabic"),
    [
        ("\u0641\u064a\u064a\u0646\u0627", True),  # Vienna in Arabic
        ("Vienna", False),
        ("abc \u0627\u0628\u062a", True),  # half the letters: Arabic
        ("abcd \u0627\u0628\u062a", False),
        ("\u0661\u0662\u0663 123", False),  # digits are not letters
        ("", False),
    ],
)
def test_quotes_are_tagged_arabic_when_half_their_letters_are(text: str, arabic: bool) -> None:
    from graph.build import _is_arabic

    assert _is_arabic(text) is arabic


def _half_arabic(text: str) -> bool:
    """The definition, letter by letter (what graph.build._is_arabic computes faster)."""
    letters = [c for c in text if c.isalpha()]
    arabic = [c for c in letters if "\u0600" <= c <= "\u06ff"]
    return bool(letters) and 2 * len(arabic) >= len(letters)


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        st.sampled_from(
            "ab\u00e9\u0436_1\u0661\u00b2 .\u060c\u0627\u0644\u064e\u0670\u06f1\u06d5\u0750\ufb50"
        )
    )
)
def test_arabic_quotes_match_the_letter_by_letter_definition(text: str) -> None:
    from graph.build import _is_arabic

    assert _is_arabic(text) is _half_arabic(text)


def test_repetition_links_are_the_statements_one_pass_writes(tmp_path) -> None:
    """The links a search finds, made apart from the documents (in the search's
    child process), are the statements the builder writes once the units carry them,
    numbered after each unit's other links; the documents are left as they were."""
    from graph.build import document_lines, repetition_links
    from loaders.extract import add_repetitions
    from loaders.extract.repetition import search_corpus
    from loaders.read import read_folder

    docs, _ = read_folder(SEEDS, repetitions=False)
    found = search_corpus(docs)[0]
    counts = [len(unit.links) for doc in docs for unit in doc.units()]
    path, parts = repetition_links(docs, found, tmp_path / "links.nq")
    data = path.read_bytes()
    assert [len(unit.links) for doc in docs for unit in doc.units()] == counts
    plain = {line for _, lines in document_lines(docs) for line in lines}
    add_repetitions(docs, found)
    one_pass = {line for _, lines in document_lines(docs) for line in lines}
    made = data.decode("utf-8").splitlines(keepends=True)
    assert len(made) == len(set(made)) == 24
    assert set(made) == one_pass - plain
    assert [(start, end) for _, start, end in parts] == [(0, len(data))]  # one document
    for graph, start, end in parts:
        lines = data[start:end].decode("utf-8").splitlines(keepends=True)
        assert all(line.endswith(f" <{graph}> .\n") for line in lines)
