"""The SPARQL validation engine (graph/shacl_sparql.py) against pyshacl, the reference.

Both engines must report the same results, as (shape, focus, path, value) with their counts:
on every fixture of tests/shapes/, on the seeds, on the seeds damaged in named ways (each
named damage must be caught), and on seeded random damage to one document's graph. The
compiler must refuse, naming the shape, any SHACL it does not translate.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from graph import cli
from graph.build import (
    VOCABULARY_FILES,
    build_graph,
)
from graph.export import ntriples
from graph.shacl_sparql import CompileError, compile_shapes
from graph.validate import (
    Report,
    describe,
    describe_store,
    pyshacl_results,
    sparql_results,
    store_of,
    validate,
    validate_store,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "shapes"
VOCABULARY = VOCABULARY_FILES
PAL = "https://w3id.org/palermo/ontology#"
ELI = "http://data.europa.eu/eli/ontology#"
OA = "http://www.w3.org/ns/oa#"
SDO = "https://schema.org/"
DOC = "https://w3id.org/palermo/doc/"
REC = URIRef(DOC + "ctoc-cop-wg4-2019-5/mtg_1__para_5")


def results(found) -> Counter:
    return Counter((r.shape.rsplit("#", 1)[-1], r.focus, r.path, r.value) for r in found)


def both(data: Graph, shapes_graph: Graph | None = None) -> tuple[Counter, Counter]:
    checks = compile_shapes(shapes_graph) if shapes_graph is not None else None
    reference = results(pyshacl_results(data, shapes_graph))
    return reference, results(sparql_results(store_of(data), checks=checks))


def assert_same(data: Graph, shapes_graph: Graph | None = None) -> Counter:
    reference, fast = both(data, shapes_graph)
    assert fast == reference, {"pyshacl only": reference - fast, "sparql only": fast - reference}
    return fast


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    g = Graph()
    for name in VOCABULARY:
        g.parse(ROOT / "ontology" / name, format="turtle")
    return g


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.ttl")), ids=lambda p: p.stem)
def test_fixture_results_are_the_same(path: Path, vocabulary: Graph) -> None:
    data = Graph()
    data += vocabulary
    data.parse(path, format="turtle")
    found = assert_same(data)
    assert bool(found) == (".violation" in path.name)


def test_seeds_conform_in_both(seed_graph: Graph) -> None:
    assert assert_same(seed_graph) == Counter()


def _set(g: Graph, s, p: str, o) -> None:
    g.remove((s, URIRef(p), None))
    g.add((s, URIRef(p), o))


def _one(g: Graph, query: str):
    rows = list(g.query(query))
    assert rows, query
    return sorted(rows)[0]


#: Damage done to a copy of the seeds, and the shape that must then report a violation
#: (None: a value both engines must accept, where a careless translation would not).
DAMAGE = {
    "text removed": ("Unit-text", lambda g: g.remove((REC, URIRef(SDO + "text"), None))),
    "order as a string": ("Unit-order", lambda g: _set(g, REC, PAL + "order", Literal("3"))),
    # (not on pal:order: sh:lessThan compares it with the parent's, and rdflib orders an
    # ill-typed literal where SHACL and SPARQL call it incomparable, a violation)
    "ill-typed action category": (
        "Unit-actionCategory",
        lambda g: _set(g, REC, PAL + "actionCategory", Literal("abc", datatype=XSD.integer)),
    ),
    "citation of a missing article": (
        "InstrumentCitationShape",
        lambda g: g.add(
            (REC, URIRef(ELI + "cites"), URIRef("https://w3id.org/palermo/instrument/TIP/art_99"))
        ),
    ),
    "English text": (
        "Unit-text",
        lambda g: _set(g, REC, SDO + "text", Literal("text", lang="en")),
    ),
    "regional Arabic tag": (
        None,
        lambda g: _set(
            g,
            URIRef(DOC + "ctoc-cop-wg4-2019-5/mtg_1__para_6"),
            SDO + "text",
            Literal("نص", lang="ar-EG"),
        ),
    ),
    "number ending in a newline": (
        None,  # Python's $ matches before a final newline: pyshacl accepts "6\n"
        lambda g: _set(
            g, URIRef(DOC + "ctoc-cop-wg4-2019-5/mtg_1__para_6"), ELI + "number", Literal("6\n")
        ),
    ),
    "blank citation": ("Unit-cites", lambda g: g.add((REC, URIRef(ELI + "cites"), BNode()))),
    "ill-typed year": (
        None,  # rdflib cannot read gYear, so pyshacl accepts any lexical form
        lambda g: _set(
            g, URIRef(DOC + "cop-decision-3-3"), PAL + "year", Literal("20x0", datatype=XSD.gYear)
        ),
    ),
    "ill-typed date": (
        "Document-date",
        lambda g: _set(
            g,
            URIRef(DOC + "cop-decision-3-3"),
            ELI + "date_document",
            Literal("2006-13-45", datatype=XSD.date),
        ),
    ),
    "two English titles": (
        "Document-title",
        lambda g: g.add(
            (URIRef(DOC + "cop-decision-3-3"), URIRef(ELI + "title"), Literal("Another", lang="EN"))
        ),
    ),
    "subparagraph before its chapeau": ("Unit-orderAfterParent", lambda g: _chapeau_order(g)),
    "duplicate number": ("UniqueNumberShape", lambda g: _duplicate_number(g)),
    "explicit WorkSubdivision type removed": (
        "Unit-type",  # sh:class eli:WorkSubdivision still holds through rdfs:subClassOf
        lambda g: g.remove(
            (URIRef(DOC + "cop-decision-3-3/para_a"), RDF.type, URIRef(ELI + "WorkSubdivision"))
        ),
    ),
    "subclass axiom removed too": (
        "Document-hasPart",  # now para_a is no eli:WorkSubdivision at all
        lambda g: g.remove(
            (URIRef(PAL + "OperativeParagraph"), RDFS.subClassOf, URIRef(ELI + "WorkSubdivision"))
        ),
    ),
    "selector start after its end": ("TextPositionSelector-start", lambda g: _selector(g)),
    "addressee outside the actor scheme": (
        "Unit-addresseeScheme",
        lambda g: _set(g, REC, PAL + "addressee", URIRef("https://w3id.org/palermo/verb/urges")),
    ),
    "footnote with two owners": ("Footnote-owner", lambda g: _footnote_owners(g)),
    "orphan provision": ("Provision-isPartOf", lambda g: _orphan_provision(g)),
    "literal attendee": ("Meeting-attendee", lambda g: _attendee(g)),
}


def _chapeau_order(g: Graph) -> None:
    child, parent_order = _one(
        g,
        f"SELECT ?c ?po WHERE {{ ?c <{ELI}is_part_of> ?p . ?p <{PAL}order> ?po . "
        f"?p a <{ELI}WorkSubdivision> }}",
    )
    _set(g, child, PAL + "order", parent_order)


def _duplicate_number(g: Graph) -> None:
    unit, number = _one(
        g,
        f"SELECT ?b ?n WHERE {{ ?a a <{PAL}OperativeParagraph> ; <{ELI}is_part_of> ?p ; "
        f"<{ELI}number> ?n . ?b a <{PAL}OperativeParagraph> ; <{ELI}is_part_of> ?p ; "
        f"<{ELI}number> ?m . FILTER(?a != ?b) }}",
    )
    _set(g, unit, ELI + "number", number)


def _selector(g: Graph) -> None:
    (selector,) = _one(g, f"SELECT ?s WHERE {{ ?s a <{OA}TextPositionSelector> }}")
    _set(g, selector, OA + "start", Literal(10**9))


def _footnote_owners(g: Graph) -> None:
    (footnote,) = _one(g, f"SELECT ?f WHERE {{ ?f a <{PAL}Footnote> }}")
    g.add((REC, URIRef(PAL + "footnote"), footnote))


def _orphan_provision(g: Graph) -> None:
    provision = URIRef("https://w3id.org/palermo/instrument/TIP/art_6__para_7")
    g.add((provision, RDF.type, URIRef(ELI + "LegalResourceSubdivision")))


def _attendee(g: Graph) -> None:
    (meeting,) = _one(g, f"SELECT ?m WHERE {{ ?m a <{SDO}Event> }}")
    g.add((meeting, URIRef(SDO + "attendee"), Literal("Germany")))


def test_named_damage_is_reported_alike(seed_graph: Graph) -> None:
    """All the damage at once (one pyshacl run of the seeds), each caught by its shape."""
    data = Graph()
    data += seed_graph
    for _, damage in DAMAGE.values():
        damage(data)
    found = assert_same(data)
    shapes = {shape for shape, *_ in found}
    missing = sorted(name for name, (shape, _) in DAMAGE.items() if shape and shape not in shapes)
    assert not missing


def _random_damage(g: Graph, rng: random.Random, pool: list) -> None:
    triples = sorted(
        (t for t in g if str(t[0]).startswith(DOC)), key=lambda t: t[0].n3() + t[1].n3() + t[2].n3()
    )
    s, p, o = rng.choice(triples)
    kind = rng.choice(("delete", "replace", "add"))
    if kind in ("delete", "replace"):
        g.remove((s, p, o))
    if kind in ("replace", "add"):
        g.add((s, p, rng.choice(pool)))


def test_random_damage_is_reported_alike(seed_docs) -> None:
    """30 random deletions, replacements and additions (seeded), three to a graph."""
    base = build_graph([seed_docs["cop-decision-3-3"]])
    nodes = sorted({o for o in base.objects() if isinstance(o, URIRef)})
    pool = [
        *random.Random(1).sample(nodes, 20),
        Literal("x"),
        Literal(""),
        Literal(0),
        Literal(7),
        Literal("2"),
        Literal("نص", lang="ar"),
        Literal("text", lang="en"),
        Literal("2020-01-01", datatype=XSD.date),
        Literal("0.5", datatype=XSD.decimal),
        Literal("abc", datatype=XSD.integer),
        BNode(),
    ]
    rng = random.Random(20241123)
    seen = Counter()
    for _ in range(10):
        data = Graph()
        data += base
        for _ in range(3):
            _random_damage(data, rng, pool)
        seen += assert_same(data)
    assert len(seen) > 10  # the damage was found, not only agreed upon


SHAPES_HEAD = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def test_datatypes_and_comparisons_read_as_pyshacl_reads_them() -> None:
    """Valid and ill-typed literals of every datatype the shapes use, ranges and patterns."""
    shapes_graph = Graph().parse(
        data=SHAPES_HEAD
        + """
        ex:S a sh:NodeShape ; sh:targetClass ex:T ;
            sh:property ex:int, ex:dec, ex:bool, ex:date, ex:day, ex:year, ex:str, ex:lang, ex:pat .
        ex:int a sh:PropertyShape ; sh:path ex:int ; sh:datatype xsd:integer ;
            sh:minInclusive 1 ; sh:maxInclusive 5 .
        ex:dec a sh:PropertyShape ; sh:path ex:dec ; sh:datatype xsd:decimal ; sh:minInclusive 0 .
        ex:bool a sh:PropertyShape ; sh:path ex:bool ; sh:datatype xsd:boolean .
        ex:date a sh:PropertyShape ; sh:path ex:date ; sh:datatype xsd:date ;
            sh:lessThanOrEquals ex:end .
        ex:day a sh:PropertyShape ; sh:path ex:day ; sh:datatype xsd:date .
        ex:year a sh:PropertyShape ; sh:path ex:year ; sh:datatype xsd:gYear .
        ex:str a sh:PropertyShape ; sh:path ex:str ; sh:datatype xsd:string ; sh:minLength 2 .
        ex:lang a sh:PropertyShape ; sh:path ex:lang ; sh:languageIn ( "ar" "en" ) ;
            sh:uniqueLang true .
        ex:pat a sh:PropertyShape ; sh:path ex:pat ; sh:pattern "^a+$" ; sh:flags "i" .
        """,
        format="turtle",
    )
    data = Graph().parse(
        data=SHAPES_HEAD
        + """
        ex:n1 a ex:T ; ex:int 3, 0, 9, "4", "x"^^xsd:integer, 2.5 ;
            ex:dec 0.5, -1.5, "x"^^xsd:decimal ;
            ex:bool true, "1"^^xsd:boolean, "x"^^xsd:integer ;
            ex:date "2020-01-01"^^xsd:date, "2021-01-01"^^xsd:date ; ex:day "2020-02-30"^^xsd:date ;
            ex:end "2020-06-01"^^xsd:date ;
            ex:year "2020"^^xsd:gYear, "20x0"^^xsd:gYear, 2020 ;
            ex:str "ab", "a", "abc"@en, ex:iri ;
            ex:lang "x"@ar, "y"@AR, "z"@en-GB, "w"@fr, "v" ;
            ex:pat "AAA", "aab", "aa\\n", "b" .
        ex:n2 a ex:T ; ex:lang "x"@en, "y"@EN .
        """,
        format="turtle",
    )
    found = assert_same(data, shapes_graph)
    assert sum(found.values()) == 25


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ("ex:S sh:property ex:P . ex:P sh:path ex:p ; sh:maxLength 3 .", "shapes#P"),
        ("ex:S sh:closed true .", "example.org/S"),
        ("ex:S sh:targetNode ex:x .", "example.org/S"),
        ("ex:S sh:property ex:P . ex:P sh:path [ sh:zeroOrMorePath ex:p ] .", "example.org/P"),
        ("ex:S sh:property ex:P . ex:P sh:path ex:p ; sh:datatype xsd:anyURI .", "example.org/P"),
        ("ex:S sh:or ( ex:A ) . ex:A sh:path ex:p ; sh:maxCount 1 .", "example.org/A"),
    ],
)
def test_unsupported_shacl_is_refused_naming_the_shape(extra: str, named: str) -> None:
    shapes_graph = Graph().parse(
        data=SHAPES_HEAD
        + "ex:S a sh:NodeShape ; sh:targetClass ex:T .\n"
        + extra.replace("shapes#P", "ex:P"),
        format="turtle",
    )
    with pytest.raises(CompileError, match=named.replace("shapes#P", "example.org/P")):
        compile_shapes(shapes_graph)


def test_every_shipped_shape_compiles_to_checks() -> None:
    shapes_graph = Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")
    checks = compile_shapes(shapes_graph)
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.target)
    targeted = {s for t in targets for s in shapes_graph.subjects(t, None)}
    used = {p for s in targeted for p in shapes_graph.objects(s, SH.property)}
    expected = used | {s for s in targeted if (s, SH.path, None) in shapes_graph}
    assert expected - {URIRef(c.shape) for c in checks} == set()
    assert len(checks) == 354


def test_describe_from_the_store_matches_the_graph(seed_graph: Graph) -> None:
    nodes = [
        str(REC),
        DOC + "cop-decision-3-3/para_a",
        DOC + "cop-decision-3-3",
        "https://w3id.org/palermo/nowhere",
    ]
    store = store_of(seed_graph)
    assert describe_store(store, nodes) == {n: describe(seed_graph, URIRef(n)) for n in nodes}
    assert describe_store(store, nodes)[str(REC)].startswith("ctoc-cop-wg4-2019-5, 1/5, ")


def _problems(report: Report) -> list[tuple[str, str, str, str]]:
    return [(p.shape, p.focus, p.where, p.path) for p in report.problems]


def test_reports_are_the_same_from_a_graph_and_a_store(seed_graph: Graph) -> None:
    data = Graph()
    data += seed_graph
    data.remove((REC, URIRef(SDO + "text"), None))
    data.remove((REC, URIRef(ELI + "number"), None))
    fast, reference = validate(data), validate(data, engine="pyshacl")
    assert not fast.conforms and not reference.conforms
    assert _problems(fast) == _problems(reference)
    assert [(p.shape, p.path) for p in fast.problems] == [
        ("Recommendation-number", "number"),
        ("Unit-text", "text"),
    ]
    store = pyoxigraph.Store()
    store.bulk_load(ntriples(data), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert _problems(validate_store(store)) == _problems(fast)


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_cli_validate_engines(engine: str, seed_graph: Graph, tmp_path: Path, capsys) -> None:
    good, bad = tmp_path / "good.nt", tmp_path / "bad.nt"
    good.write_bytes(ntriples(seed_graph))
    data = Graph()
    data += seed_graph
    data.remove((REC, URIRef(SDO + "text"), None))
    bad.write_bytes(ntriples(data))
    assert cli.main(["validate", "--graph", str(good), "--engine", engine]) == 0
    assert cli.main(["validate", "--graph", str(bad), "--engine", engine]) == 1
    text = " ".join(capsys.readouterr().err.split())
    assert "Unit-text" in text and "ctoc-cop-wg4-2019-5, 1/5" in text
    with pytest.raises(SystemExit):
        cli.main(["validate", "--graph", str(good), "--engine", "jena"])
