"""References to other documents, resolutions, decisions, report paragraphs and treaties;
links between recommendations; States in attendance and sponsor lists.

tests/data/references.tsv was built by reading the seeds by hand; here every row of
the kinds the extractor covers must be found at its line with the same meaning.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import SDO

from graph.namespaces import PAL, STATE
from loaders.extract import links, references
from loaders.normalise import norm

FIXTURE = Path(__file__).parent / "data" / "references.tsv"
KINDS = (
    "un-symbol",
    "ga-resolution",
    "cop-resolution",
    "cop-decision",
    "report-paragraph",
    "treaty-unts",
    "sales-number",
)


def expected() -> Counter:
    with FIXTURE.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["kind"] in KINDS]
    return Counter((r["file"], int(r["line"]), r["kind"], r["normalised"]) for r in rows)


def found(seed_docs) -> Counter:
    out = Counter()
    for doc in seed_docs.values():
        owners = [(u.segments, u.references) for u in doc.units()]
        owners += [([n.segment], n.references) for n in doc.footnotes]
        for segments, refs in owners:
            for ref in refs:
                line = _line(doc, segments, ref.printed)
                out[(doc.file_name, line, ref.kind, ref.normalised)] += 1
    return out


def _line(doc, segments, printed: str) -> int:
    for seg in segments:
        if printed.split()[0] in doc.source[seg.start : seg.end]:
            return seg.line
    return segments[0].line


def test_every_hand_checked_reference_is_found_and_nothing_else(seed_docs) -> None:
    want, got = expected(), found(seed_docs)
    assert sum(want.values()) == 84
    assert got - want == Counter(), "found but not in the hand-checked list"
    assert want - got == Counter(), "in the hand-checked list but not found"


REVERSED = [
    ("293/64", "GA", 2024, "A/RES/64/293"),
    ("25/55", "GA", 2006, "A/RES/55/25"),
    ("266/76", "GA", 2024, "A/RES/76/266"),
]


@pytest.mark.parametrize(("printed", "body", "year", "normalised"), REVERSED)
def test_reversed_numbers_are_put_right(printed, body, year, normalised) -> None:
    doc_body = "GeneralAssembly" if body == "GA" else "ConferenceOfTheParties"
    refs = references.find(f"القرار {printed}", doc_body, year)
    references.resolve_corpus(refs)
    assert [r.normalised for r in refs] == [normalised]
    assert refs[0].printed == printed and refs[0].reversed


def test_a_date_beside_the_number_fixes_the_session() -> None:
    text = (
        "وإن يشير إلى قراره 2/5 المؤرخ 22 تشرين الأول/أكتوبر 2010 و3/10 المؤرخ 16 تشرين "
        "الأول/أكتوبر 2020، ومقرره 3/2 المؤرخ 20 تشرين الأول/أكتوبر 2005"
    )
    refs = references.find(text, "ConferenceOfTheParties", 2022)
    assert [(r.kind, r.normalised, r.year, r.how) for r in refs] == [
        ("cop-resolution", "CTOC/COP/res/5/2", 2010, "date"),
        ("cop-resolution", "CTOC/COP/res/10/3", 2020, "date"),
        ("cop-decision", "CTOC/COP/dec/2/3", 2005, "date"),
    ]


def test_an_undecidable_order_is_read_reversed_with_a_warning() -> None:
    refs = references.find("القرار 1/79", "GeneralAssembly", 2024)
    warnings = references.resolve_corpus(refs)
    assert refs[0].normalised == "A/RES/79/1"
    assert len(warnings) == 1 and "check it" in warnings[0][1]


PATTERNS = sorted(references.load("references")["pattern"])


@pytest.mark.parametrize("name", PATTERNS)
def test_every_reference_pattern_matches_its_examples(name: str) -> None:
    entry = references.load("references")["pattern"][name]
    how = entry.get("match", "search")  # the re function the extractor uses
    assert entry["examples"], f"{name} has no examples"
    for example in entry["examples"]:
        found = getattr(references.compiled(name), how)(norm(example))
        assert found, f"pattern {name!r} misses its example {example!r}"


def test_act_words_tell_kind_and_body() -> None:
    refs = references.find(
        "قرار الجمعية العامة 64/293 ومقرر مؤتمر الأطراف 3/3", "ConferenceOfTheParties", 2022
    )
    assert [(r.kind, r.body) for r in refs] == [
        ("ga-resolution", "GA"),
        ("cop-decision", "COP"),
    ]


REFERS_TO = [
    ("2/8", "1/16"),
    ("2/15", "1/18"),
    ("2/17", "1/17"),
    ("2/24(b)", "1/6"),
    ("2/34", "1/10"),
    ("2/43", "1/11"),
]


def test_the_six_cross_references_of_meeting_2_resolve(seed_docs) -> None:
    doc = seed_docs["ctoc-cop-wg4-2019-5"]
    found_links = [
        (u.label, lk.target[1]) for u in doc.units() for lk in u.links if lk.relation == "refers-to"
    ]
    assert found_links == REFERS_TO


def test_reiterations(seed_docs) -> None:
    doc = seed_docs["ctoc-cop-wg4-2019-5"]
    found_links = {
        (u.label, lk.target[1]): lk.score
        for u in doc.units()
        for lk in u.links
        if lk.relation == "reiterates"
    }
    assert set(found_links) == {("2/43", "1/11"), ("7/1(f)", "4/24")}
    assert found_links["2/43", "1/11"] == 1.0
    assert found_links["7/1(f)", "4/24"] >= links.REITERATE_THRESHOLD


def test_similarity_is_symmetric_and_bounded() -> None:
    a, b = "ينبغي للدول الأطراف أن تنظر في منح الضحايا مهلة", "منح الضحايا مهلة زمنية كافية"
    assert links.similarity(a, b) == links.similarity(b, a)
    assert 0 < links.similarity(a, b) < 1
    assert links.similarity(a, a) == 1.0


def test_links_query_rows(seed_graph) -> None:
    from graph import query as saved

    columns, rows = saved.rows(saved.run(saved.load("links"), seed_graph))
    assert columns == ["document", "unit", "relation", "target_document", "target_unit", "score"]
    assert [(r[1], r[2], r[4]) for r in rows] == [
        ("2/8", "refers-to", "1/16"),
        ("2/15", "refers-to", "1/18"),
        ("2/17", "refers-to", "1/17"),
        ("2/24(b)", "refers-to", "1/6"),
        ("2/34", "refers-to", "1/10"),
        ("2/43", "refers-to", "1/11"),
        ("2/43", "reiterates", "1/11"),
        ("5/35", "identical", "5/34"),
        ("7/1(f)", "reiterates", "4/24"),
        ("7/2(b)", "near-duplicate", "1/11(b)"),
        ("8/1(c)", "near-duplicate", "1/11(b)"),
        ("8/1(c)", "near-duplicate", "7/2(b)"),
    ]


def test_attendance_and_sponsors_are_states_with_iso_codes(seed_graph) -> None:
    g = seed_graph
    meeting = URIRef("https://w3id.org/palermo/meeting/wg-tip/9")
    attendees = set(g.objects(meeting, SDO.attendee))
    states_at_9 = {a for a in attendees if str(a).startswith(str(STATE))}
    assert len(states_at_9) == 81 + 7
    assert STATE.CZE in states_at_9 and STATE.VEN in states_at_9 and STATE.IRN in states_at_9
    assert URIRef("https://w3id.org/palermo/actor/EuropeanUnion") in attendees
    ga = URIRef("https://w3id.org/palermo/doc/ga-79-c3-trafficking-women-girls-draft")
    sponsors = {str(s).rsplit("/", 1)[1] for s in g.objects(ga, PAL.sponsor)}
    assert sponsors == {"DEU", "ATG", "CZE", "LKA", "SWE", "GTM", "PHL", "VEN", "NIC", "HND"}
