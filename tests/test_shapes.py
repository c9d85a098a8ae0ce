"""SHACL shapes (ontology/shapes.ttl), tested W3C-style.

Each file in tests/shapes/ is a small data graph copied from real build output, opened by
comment lines that say what validating it must give:

    # expect: conforms
    # expect: violation <source shape local name> <result path or 'none'> <count>

one ``violation`` line per (shape, path) pair expected, with the number of results. A path is
written as its local name, ``a/b`` for a sequence, ``^p`` for an inverse and ``p+`` for one or
more. Each fixture is validated together with the vocabulary files of ontology/ (as the build
merges them) and must give exactly the results announced. Fixtures are named
``<NodeShape>.conforms*.ttl`` and ``<NodeShape>.violation*.ttl``; every targeted shape has both,
and every property shape and node-level constraint is violated by at least one fixture.

The seeds build must conform, and must stop conforming when a recommendation loses its text and
number. Fixtures are validated by both engines, pyshacl and the shapes compiled to SPARQL
(tests/test_validate_engines.py checks them result by result against each other).
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from graph.build import VOCABULARY_FILES, build_graph
from graph.shacl_sparql import local, path_text
from graph.validate import sparql_results, store_of
from loaders import read_folder

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "shapes"
SHAPES_NS = "https://w3id.org/palermo/shapes#"
#: The vocabulary the shapes look into: the class hierarchy and the schemes values are drawn from.
VOCABULARY = VOCABULARY_FILES
RECOMMENDATION = URIRef("https://w3id.org/palermo/doc/ctoc-cop-wg4-2019-5/mtg_1__para_5")
SDO_TEXT = URIRef("https://schema.org/text")
ELI_NUMBER = URIRef("http://data.europa.eu/eli/ontology#number")
NODE_LEVEL = (SH.pattern, SH.nodeKind, SH["class"], SH["or"], SH.sparql)
TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
#: pyshacl, the reference, and the shapes compiled to SPARQL on Oxigraph (graph/shacl_sparql.py).
ENGINES = ("pyshacl", "sparql")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    g = Graph()
    for name in VOCABULARY:
        g.parse(ONTOLOGY / name, format="turtle")
    return g


def run(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    conforms, results, _ = validate(data, shacl_graph=shapes, advanced=True, inference="none")
    return bool(conforms), results


def path_name(g: Graph, path) -> str:
    """A SHACL path as written in the expect lines ("none" where a result has none)."""
    return path_text(g, path) or "none"


def top_results(results: Graph) -> list:
    """The results of the report itself (not the sh:detail results nested in them)."""
    assert isinstance(results, Graph), f"pyshacl could not validate: {results}"
    report = results.value(predicate=RDF.type, object=SH.ValidationReport, any=False)
    return list(results.objects(report, SH.result))


def found(results: Graph) -> Counter:
    """(source shape, path) -> number of results, for every result of the report."""
    counts: Counter = Counter()
    for r in top_results(results):
        assert results.value(r, SH.resultSeverity) == SH.Violation
        shape = local(results.value(r, SH.sourceShape))
        counts[(shape, path_name(results, results.value(r, SH.resultPath)))] += 1
    return counts


def expectations(path: Path) -> tuple[bool, Counter]:
    """What the header of a fixture announces: conforms, or the violations by (shape, path)."""
    conforms, counts = False, Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        words = line.lstrip("#").split()
        if words[:1] != ["expect:"]:
            continue
        if words[1:] == ["conforms"]:
            conforms = True
        elif words[1] == "violation" and len(words) == 5:
            counts[(words[2], words[3])] += int(words[4])
        else:
            raise ValueError(f"{path.name}: cannot read {line!r}")
    if conforms == bool(counts):
        raise ValueError(f"{path.name}: expect either 'conforms' or violations")
    return conforms, counts


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.ttl"))


def found_sparql(data: Graph) -> Counter:
    """(source shape, path) -> number of results, from the SPARQL engine."""
    return Counter((local(r.shape), r.path or "none") for r in sparql_results(store_of(data)))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.stem)
def test_fixture(path: Path, engine: str, shapes: Graph, vocabulary: Graph) -> None:
    want_conforms, want = expectations(path)
    data = Graph()
    data += vocabulary
    data.parse(path, format="turtle")
    if engine == "sparql":
        got = found_sparql(data)
        conforms = not got
    else:
        conforms, results = run(data, shapes)
        got = found(results)
    assert conforms == want_conforms, f"{path.name}: unexpected results {dict(got)}"
    assert got == want


def targeted_shapes(shapes: Graph, kind: URIRef = SH.NodeShape) -> set[URIRef]:
    return {s for t in TARGETS for s in shapes.subjects(t, None) if (s, RDF.type, kind) in shapes}


def test_every_targeted_shape_has_both_fixtures(shapes: Graph) -> None:
    names = {
        p.name.split(".")[0] + "." + p.name.split(".")[1].split("-")[0] for p in fixture_files()
    }
    missing = sorted(
        f"{local(s)}.{kind}"
        for s in targeted_shapes(shapes)
        for kind in ("conforms", "violation")
        if f"{local(s)}.{kind}" not in names
    )
    assert not missing


def test_every_constraint_is_violated_by_some_fixture(shapes: Graph) -> None:
    expected = set()
    for path in fixture_files():
        expected |= {shape for shape, _ in expectations(path)[1]}
    needed = {local(s) for s in targeted_shapes(shapes, SH.PropertyShape)}
    for s in targeted_shapes(shapes):
        needed |= {local(p) for p in shapes.objects(s, SH.property)}
        if any((s, p, None) in shapes for p in NODE_LEVEL):
            needed.add(local(s))
    assert not sorted(needed - expected)


def test_shapes_are_named_labelled_and_bilingual(shapes: Graph) -> None:
    kinds = (SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint)
    nodes = {s for k in kinds for s in shapes.subjects(RDF.type, k)}
    referenced = set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.sparql))
    assert all(isinstance(n, URIRef) and str(n).startswith(SHAPES_NS) for n in nodes | referenced)
    assert referenced <= nodes
    for n in sorted(nodes):
        for prop in (RDFS.label, SH.message):
            langs = {o.language for o in shapes.objects(n, prop) if isinstance(o, Literal)}
            assert {"en", "ar"} <= langs, f"{local(n)} lacks an @en or @ar {local(prop)}"


@pytest.fixture(scope="module")
def seed_graph() -> Graph:
    docs, errors = read_folder(SEEDS)
    assert not errors, [e.message for e in errors]
    return build_graph(docs)


def test_seeds_build_conforms(seed_graph: Graph, shapes: Graph) -> None:
    started = time.perf_counter()
    conforms, results = run(seed_graph, shapes)
    seconds = time.perf_counter() - started
    messages = sorted(
        f"{local(results.value(r, SH.sourceShape))} {results.value(r, SH.focusNode)}"
        for r in top_results(results)
    )
    assert conforms, messages[:20]
    assert seconds < 30, f"validating the seeds took {seconds:.1f} s"


def test_recommendation_without_text_and_number_fails(seed_graph: Graph, shapes: Graph) -> None:
    data = Graph()
    data += seed_graph
    assert (RECOMMENDATION, SDO_TEXT, None) in data and (RECOMMENDATION, ELI_NUMBER, None) in data
    data.remove((RECOMMENDATION, SDO_TEXT, None))
    data.remove((RECOMMENDATION, ELI_NUMBER, None))
    conforms, results = run(data, shapes)
    assert not conforms
    reported = {
        (results.value(r, SH.focusNode), local(results.value(r, SH.sourceShape)))
        for r in top_results(results)
    }
    assert reported == {
        (RECOMMENDATION, "Unit-text"),
        (RECOMMENDATION, "Recommendation-number"),
    }
    fast = {(URIRef(r.focus), local(r.shape)) for r in sparql_results(store_of(data))}
    assert fast == reported


def test_seeds_build_conforms_sparql(seed_graph: Graph) -> None:
    started = time.perf_counter()
    store = store_of(seed_graph)
    assert sparql_results(store) == []
    seconds = time.perf_counter() - started
    assert seconds < 10, f"validating the seeds (SPARQL engine) took {seconds:.1f} s"
