"""Exact facts about ontology/instruments.ttl: UNTOC, its three Protocols and every article."""

import re
from datetime import date
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

TTL = Path(__file__).resolve().parents[1] / "ontology" / "instruments.ttl"

ELI = Namespace("http://data.europa.eu/eli/ontology#")
PAL = Namespace("https://w3id.org/palermo/ontology#")
BASE = "https://w3id.org/palermo/instrument/"
SCHEME = URIRef(BASE)

ARTICLE_COUNTS = {"UNTOC": 41, "TIP": 20, "SOM": 25, "FIREARMS": 21}

# key: (UNTS volume, adopted by, adoption date, entry into force)
INSTRUMENT_FACTS = {
    "UNTOC": (2225, "A/RES/55/25 annex I", date(2000, 11, 15), date(2003, 9, 29)),
    "TIP": (2237, "A/RES/55/25 annex II", date(2000, 11, 15), date(2003, 12, 25)),
    "SOM": (2241, "A/RES/55/25 annex III", date(2000, 11, 15), date(2004, 1, 28)),
    "FIREARMS": (2326, "A/RES/55/255 annex", date(2001, 5, 31), date(2005, 7, 3)),
}

ARABIC_TITLES = {
    "UNTOC": "اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية",
    "TIP": "بروتوكول منع وقمع ومعاقبة الاتجار بالأشخاص، وبخاصة النساء والأطفال",
    "SOM": "بروتوكول مكافحة تهريب المهاجرين عن طريق البر والبحر والجو",
    "FIREARMS": (
        "بروتوكول مكافحة صنع الأسلحة النارية وأجزائها ومكوناتها والذخيرة"
        " والاتجار بها بصورة غير مشروعة"
    ),
}

ALT_LABELS = {
    "UNTOC": [("Palermo Convention", "en"), ("اتفاقية الجريمة المنظمة", "ar")],
    "TIP": [("Trafficking in Persons Protocol", "en"), ("بروتوكول الاتجار بالأشخاص", "ar")],
    "SOM": [("Smuggling of Migrants Protocol", "en"), ("بروتوكول تهريب المهاجرين", "ar")],
    "FIREARMS": [("Firearms Protocol", "en"), ("بروتوكول الأسلحة النارية", "ar")],
}

RELATION = "Relation with the United Nations Convention against Transnational Organized Crime"

SPOT_CHECKS = [
    ("UNTOC", 1, "Statement of purpose"),
    ("UNTOC", 2, "Use of terms"),
    ("UNTOC", 5, "Criminalization of participation in an organized criminal group"),
    ("UNTOC", 14, "Disposal of confiscated proceeds of crime or property"),
    ("UNTOC", 22, "Establishment of criminal record"),
    ("UNTOC", 25, "Assistance to and protection of victims"),
    ("UNTOC", 26, "Measures to enhance cooperation with law enforcement authorities"),
    (
        "UNTOC",
        28,
        "Collection, exchange and analysis of information on the nature of organized crime",
    ),
    (
        "UNTOC",
        30,
        "Other measures: implementation of the Convention through economic development"
        " and technical assistance",
    ),
    ("UNTOC", 32, "Conference of the Parties to the Convention"),
    ("UNTOC", 37, "Relation with protocols"),
    ("UNTOC", 41, "Depositary and languages"),
    ("TIP", 1, RELATION),
    ("TIP", 3, "Use of terms"),
    ("TIP", 5, "Criminalization"),
    ("TIP", 6, "Assistance to and protection of victims of trafficking in persons"),
    ("TIP", 7, "Status of victims of trafficking in persons in receiving States"),
    ("TIP", 8, "Repatriation of victims of trafficking in persons"),
    ("TIP", 9, "Prevention of trafficking in persons"),
    ("TIP", 12, "Security and control of documents"),
    ("TIP", 14, "Saving clause"),
    ("TIP", 20, "Depositary and languages"),
    ("SOM", 5, "Criminal liability of migrants"),
    ("SOM", 6, "Criminalization"),
    ("SOM", 8, "Measures against the smuggling of migrants by sea"),
    ("SOM", 16, "Protection and assistance measures"),
    ("SOM", 18, "Return of smuggled migrants"),
    ("SOM", 25, "Depositary and languages"),
    ("FIREARMS", 1, RELATION),
    ("FIREARMS", 3, "Use of terms"),
    ("FIREARMS", 8, "Marking of firearms"),
    (
        "FIREARMS",
        10,
        "General requirements for export, import and transit licensing or authorization systems",
    ),
    ("FIREARMS", 15, "Brokers and brokering"),
    ("FIREARMS", 21, "Depositary and languages"),
]


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    g.parse(TTL, format="turtle")
    return g


def instrument(key: str) -> URIRef:
    return URIRef(BASE + key)


def article(key: str, n: int) -> URIRef:
    return URIRef(f"{BASE}{key}/art_{n}")


def titles(g: Graph, node: URIRef, lang: str) -> list[str]:
    return [str(o) for o in g.objects(node, ELI.title) if o.language == lang]


def test_file_is_utf8_and_declares_the_prefixes():
    text = TTL.read_text(encoding="utf-8")
    for prefix, iri in [
        ("eli", "http://data.europa.eu/eli/ontology#"),
        ("skos", "http://www.w3.org/2004/02/skos/core#"),
        ("dcterms", "http://purl.org/dc/terms/"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
        ("owl", "http://www.w3.org/2002/07/owl#"),
        ("pal", "https://w3id.org/palermo/ontology#"),
    ]:
        assert f"@prefix {prefix}: <{iri}> ." in text


def test_scheme(graph):
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in graph
    labels = {o.language: str(o) for o in graph.objects(SCHEME, SKOS.prefLabel)}
    assert labels["en"] == "Instruments: UNTOC and its Protocols"
    assert labels["ar"]
    top = set(graph.objects(SCHEME, SKOS.hasTopConcept))
    assert top == {instrument(k) for k in ARTICLE_COUNTS}


@pytest.mark.parametrize("key", list(INSTRUMENT_FACTS))
def test_instrument_facts(graph, key):
    volume, adopted_by, adopted, in_force = INSTRUMENT_FACTS[key]
    node = instrument(key)
    assert (node, RDF.type, ELI.LegalResource) in graph
    assert (node, RDF.type, SKOS.Concept) in graph
    assert (node, SKOS.inScheme, SCHEME) in graph
    assert list(graph.objects(node, SKOS.notation)) == [Literal(key)]
    assert list(graph.objects(node, PAL.untsVolume)) == [Literal(volume, datatype=XSD.integer)]
    assert list(graph.objects(node, PAL.untsNumber)) == [Literal("39574")]
    assert list(graph.objects(node, PAL.adoptedBy)) == [Literal(adopted_by)]
    assert list(graph.objects(node, ELI.date_document)) == [Literal(adopted, datatype=XSD.date)]
    assert list(graph.objects(node, ELI.first_date_entry_in_force)) == [
        Literal(in_force, datatype=XSD.date)
    ]


@pytest.mark.parametrize("key", list(ARABIC_TITLES))
def test_instrument_labels(graph, key):
    node = instrument(key)
    pref = {}
    for o in graph.objects(node, SKOS.prefLabel):
        assert o.language not in pref, f"{key}: two prefLabels @{o.language}"
        pref[o.language] = str(o)
    assert set(pref) == {"en", "ar"}
    assert pref["ar"] == ARABIC_TITLES[key]
    alt = {(str(o), o.language) for o in graph.objects(node, SKOS.altLabel)}
    for label in ALT_LABELS[key]:
        assert label in alt


def test_protocols_supplement_the_convention(graph):
    untoc = instrument("UNTOC")
    for key in ("TIP", "SOM", "FIREARMS"):
        assert (instrument(key), PAL.supplements, untoc) in graph
        assert (instrument(key), DCTERMS.relation, untoc) in graph
    assert (untoc, PAL.supplements, None) not in graph


@pytest.mark.parametrize(("key", "count"), list(ARTICLE_COUNTS.items()))
def test_article_count_and_numbering(graph, key, count):
    parts = set(graph.subjects(ELI.is_part_of, instrument(key)))
    assert len(parts) == count
    numbers = sorted(int(graph.value(a, ELI.number)) for a in parts)
    assert numbers == list(range(1, count + 1))
    assert parts == {article(key, n) for n in range(1, count + 1)}


def test_nothing_else_is_part_of_anything(graph):
    total = len(set(graph.subjects(ELI.is_part_of, None)))
    assert total == sum(ARTICLE_COUNTS.values())


@pytest.mark.parametrize("key", list(ARTICLE_COUNTS))
def test_every_article_is_complete(graph, key):
    for n in range(1, ARTICLE_COUNTS[key] + 1):
        node = article(key, n)
        assert (node, RDF.type, ELI.LegalResourceSubdivision) in graph
        assert list(graph.objects(node, ELI.is_part_of)) == [instrument(key)]
        assert list(graph.objects(node, ELI.number)) == [Literal(str(n))]
        assert list(graph.objects(node, PAL.eId)) == [Literal(f"art_{n}")]
        assert list(graph.objects(node, SKOS.notation)) == [Literal(f"{key} {n}")]
        english = titles(graph, node, "en")
        assert len(english) == 1, f"{key} {n}: {english}"
        assert english[0].strip() == english[0] and english[0]


@pytest.mark.parametrize(("key", "n", "title"), SPOT_CHECKS)
def test_article_titles(graph, key, n, title):
    assert titles(graph, article(key, n), "en") == [title]


def test_file_order_is_instrument_then_article_number():
    text = TTL.read_text(encoding="utf-8")
    subjects = re.findall(
        r"^<https://w3id\.org/palermo/instrument/(\w+)/art_(\d+)> a ", text, flags=re.M
    )
    expected = [(k, str(n)) for k, c in ARTICLE_COUNTS.items() for n in range(1, c + 1)]
    assert subjects == expected
