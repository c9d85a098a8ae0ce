"""Ontology hygiene: every term the data uses is declared; every declared term has an
English and an Arabic label and a definition; the generated docs are up to date."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph import docs
from graph.namespaces import PAL
from tests.conftest import ROOT

ONTOLOGY = ROOT / "ontology" / "palermo.ttl"
PAL_NS = str(PAL._NS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


def declared(g: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(PAL_NS)}


def test_every_pal_term_used_in_the_data_is_declared(seed_graph, ontology) -> None:
    used = {
        t
        for triple in seed_graph
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(PAL_NS)
    }
    assert used - declared(ontology) == set()


def test_every_declared_term_has_both_labels_and_a_definition(ontology) -> None:
    missing = []
    for term in sorted(declared(ontology)):
        langs = {
            lit.language for lit in ontology.objects(term, RDFS.label) if isinstance(lit, Literal)
        }
        if not {"en", "ar"} <= langs or ontology.value(term, SKOS.definition) is None:
            missing.append(str(term))
    assert missing == []


def test_the_python_namespace_matches_the_ontology(ontology) -> None:
    names = {str(PAL._NS) + n for n in PAL.__annotations__}
    assert {URIRef(n) for n in names} == declared(ontology)


def test_version_is_in_version_iri_not_in_namespace(ontology) -> None:
    onto = URIRef("https://w3id.org/palermo/ontology")
    version = str(ontology.value(onto, OWL.versionInfo))
    assert str(ontology.value(onto, OWL.versionIRI)).endswith("/" + version)
    assert version not in PAL_NS


def test_generated_docs_are_up_to_date(tmp_path: Path) -> None:
    written = docs.write(tmp_path)
    for path in written:
        committed = ROOT / "docs" / path.name
        assert committed.exists(), f"run `palermo docs` to write {committed}"
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{committed} is stale: run `palermo docs`"
        )
