"""Exact facts about ontology/verbs.ttl and ontology/actors.ttl: the verb and addressee codes."""

import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from rdflib import OWL, RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, SKOS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
PATTERNS = ROOT / "loaders" / "data" / "patterns.toml"

PAL = Namespace("https://w3id.org/palermo/ontology#")
VERB = "https://w3id.org/palermo/verb/"
ACTOR = "https://w3id.org/palermo/actor/"
VERB_SCHEME = URIRef(VERB)
ACTOR_SCHEME = URIRef(ACTOR)

ARABIC = re.compile(r"[\u0600-\u06FF]")

MODALITIES = {
    name: URIRef(f"{VERB}modality/{name}")
    for name in ("obligation", "recommendation", "permission", "non-normative")
}

# key: (modality, pal:actionWeight)
VERBS = {
    "must": ("obligation", 5),
    "should": ("recommendation", 3),
    "may": ("permission", 1),
    "recommends": ("recommendation", 3),
    "proposes": ("recommendation", 2),
    "requests": ("recommendation", 4),
    "urges": ("recommendation", 4),
    "strongly-urges": ("recommendation", 5),
    "calls-upon": ("recommendation", 4),
    "encourages": ("recommendation", 2),
    "invites": ("recommendation", 2),
    "welcomes": ("non-normative", 1),
    "takes-note": ("non-normative", 1),
    "recalls": ("non-normative", 1),
    "recognizes": ("non-normative", 1),
    "reaffirms": ("non-normative", 1),
    "reiterates": ("recommendation", 3),
    "stresses": ("non-normative", 1),
    "reminds": ("recommendation", 3),
    "decides": ("recommendation", 4),
}

VERB_LABELS = {
    "must": ("must", "يجب"),
    "should": ("should", "ينبغي"),
    "may": ("may", "يجوز"),
    "recommends": ("recommends", "يوصي"),
    "proposes": ("proposes", "يقترح"),
    "requests": ("requests", "يطلب"),
    "urges": ("urges", "يحث"),
    "strongly-urges": ("strongly urges", "يحث بشدة"),
    "calls-upon": ("calls upon", "يهيب"),
    "encourages": ("encourages", "يشجع"),
    "invites": ("invites", "يدعو"),
    "welcomes": ("welcomes", "يرحب"),
    "takes-note": ("takes note", "يحيط علماً"),
    "recalls": ("recalls", "يشير إلى"),
    "recognizes": ("recognizes", "يسلّم"),
    "reaffirms": ("reaffirms", "يؤكد من جديد"),
    "reiterates": ("reiterates", "يكرر تأكيد"),
    "stresses": ("stresses", "يشدد"),
    "reminds": ("reminds", "يذكّر"),
    "decides": ("decides", "يقرر"),
}

# Feminine General Assembly forms that must be findable as altLabels.
FEMININE = {"urges": "تحث", "calls-upon": "تهيب", "encourages": "تشجع", "invites": "تدعو"}

ORGANIZATIONS = {
    "ConferenceOfTheParties",
    "WorkingGroup",
    "Secretariat",
    "UNODC",
    "CommissionOnTheStatusOfWomen",
    "UNWomen",
    "INTERPOL",
    "ILO",
    "IOM",
    "OHCHR",
    "GeneralAssembly",
    "HumanRightsCouncil",
    "ECOSOC",
    "SecurityCouncil",
    "EuropeanUnion",
}
POSTS = {"SecretaryGeneral", "SpecialRapporteur"}
GROUPS = {
    "StatesParties",
    "States",
    "MemberStates",
    "Governments",
    "UNSystem",
    "CivilSociety",
    "PrivateSector",
    "Media",
    "Donors",
}
ACTORS = ORGANIZATIONS | POSTS | GROUPS

ACTOR_ARABIC = {
    "StatesParties": "الدول الأطراف",
    "States": "الدول",
    "MemberStates": "الدول الأعضاء",
    "Governments": "الحكومات",
    "Secretariat": "الأمانة",
    "UNODC": "مكتب الأمم المتحدة المعني بالمخدرات والجريمة",
    "SecretaryGeneral": "الأمين العام",
    "UNSystem": "منظومة الأمم المتحدة",
    "SpecialRapporteur": "المقررة الخاصة المعنية بالاتجار بالأشخاص، لا سيما النساء والأطفال",
    "CommissionOnTheStatusOfWomen": "لجنة وضع المرأة",
    "UNWomen": "هيئة الأمم المتحدة للمساواة بين الجنسين وتمكين المرأة (هيئة الأمم المتحدة للمرأة)",
    "CivilSociety": "المجتمع المدني",
    "PrivateSector": "القطاع الخاص",
    "Media": "وسائط الإعلام",
    "INTERPOL": "المنظمة الدولية للشرطة الجنائية (الإنتربول)",
    "ILO": "منظمة العمل الدولية",
    "IOM": "المنظمة الدولية للهجرة",
    "OHCHR": "مفوضية الأمم المتحدة السامية لحقوق الإنسان",
    "Donors": "الجهات المانحة",
    "GeneralAssembly": "الجمعية العامة",
    "EuropeanUnion": "الاتحاد الأوروبي",
}

ACRONYMS = {"UNODC": "UNODC", "ILO": "ILO", "IOM": "IOM", "OHCHR": "OHCHR", "INTERPOL": "INTERPOL"}

BROADER = {
    "StatesParties": {"States"},
    "MemberStates": {"States"},
    "Governments": {"States"},
    "UNODC": {"UNSystem"},
    "UNWomen": {"UNSystem"},
    "ILO": {"UNSystem"},
    "IOM": {"UNSystem"},
    "OHCHR": {"UNSystem"},
}

SUB_ORGANIZATION_OF = {
    "WorkingGroup": "ConferenceOfTheParties",
    "Secretariat": "UNODC",
    "CommissionOnTheStatusOfWomen": "ECOSOC",
    "HumanRightsCouncil": "GeneralAssembly",
}

# Only ids checked against two independent sources; anything else is left out on purpose.
WIKIDATA = {
    "GeneralAssembly": "Q47423",
    "SecurityCouncil": "Q37470",
    "ECOSOC": "Q170075",
    "HumanRightsCouncil": "Q205650",
    "OHCHR": "Q656812",
    "UNWomen": "Q641576",
    "ILO": "Q54129",
    "INTERPOL": "Q8475",
    "EuropeanUnion": "Q458",
    "SecretaryGeneral": "Q81066",
}


def parse(name: str) -> Graph:
    g = Graph()
    g.parse(ONTOLOGY / name, format="turtle")
    return g


@pytest.fixture(scope="module")
def verbs() -> Graph:
    return parse("verbs.ttl")


@pytest.fixture(scope="module")
def actors() -> Graph:
    return parse("actors.ttl")


def verb(key: str) -> URIRef:
    return URIRef(VERB + key)


def actor(code: str) -> URIRef:
    return URIRef(ACTOR + code)


def concepts(g: Graph, scheme: URIRef) -> set[URIRef]:
    return {c for c in g.subjects(SKOS.inScheme, scheme) if (c, RDF.type, SKOS.Concept) in g}


def labels(g: Graph, node: URIRef, prop: URIRef, lang: str) -> list[str]:
    return [str(o) for o in g.objects(node, prop) if isinstance(o, Literal) and o.language == lang]


def notations(g: Graph, nodes: set[URIRef]) -> set[str]:
    return {str(n) for c in nodes for n in g.objects(c, SKOS.notation)}


# ---------------------------------------------------------------- both files


@pytest.mark.parametrize("name", ["verbs.ttl", "actors.ttl"])
def test_file_parses_and_is_utf8(name):
    (ONTOLOGY / name).read_text(encoding="utf-8")
    assert len(parse(name)) > 0


@pytest.mark.parametrize(("fixture", "scheme"), [("verbs", VERB_SCHEME), ("actors", ACTOR_SCHEME)])
def test_every_concept_is_labelled_and_defined(request, fixture, scheme):
    g = request.getfixturevalue(fixture)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert labels(g, scheme, SKOS.prefLabel, "en")
    assert labels(g, scheme, SKOS.prefLabel, "ar")
    for c in concepts(g, scheme):
        en = labels(g, c, SKOS.prefLabel, "en")
        ar = labels(g, c, SKOS.prefLabel, "ar")
        assert len(en) == 1, c
        assert len(ar) == 1, c
        assert ARABIC.search(ar[0]), c
        assert not ARABIC.search(en[0]), c
        assert labels(g, c, SKOS.definition, "en"), c
        assert len(list(g.objects(c, SKOS.notation))) == 1, c
        for label in labels(g, c, SKOS.altLabel, "ar"):
            assert ARABIC.search(label), (c, label)
        for label in labels(g, c, SKOS.altLabel, "en"):
            assert not ARABIC.search(label), (c, label)


@pytest.mark.parametrize(("fixture", "scheme"), [("verbs", VERB_SCHEME), ("actors", ACTOR_SCHEME)])
def test_no_label_is_used_twice_in_a_language(request, fixture, scheme):
    g = request.getfixturevalue(fixture)
    for lang in ("en", "ar"):
        pref = Counter(
            text for c in concepts(g, scheme) for text in labels(g, c, SKOS.prefLabel, lang)
        )
        assert [text for text, n in pref.items() if n > 1] == [], lang
        # No label (pref, alt or hidden) points at two concepts: matching by label is unambiguous.
        owner: dict[str, URIRef] = {}
        for c in sorted(concepts(g, scheme)):
            for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                for text in labels(g, c, prop, lang):
                    assert owner.setdefault(text, c) == c, (lang, text, owner[text], c)


@pytest.mark.parametrize(("fixture", "scheme"), [("verbs", VERB_SCHEME), ("actors", ACTOR_SCHEME)])
def test_top_concepts_are_the_concepts_without_broader(request, fixture, scheme):
    g = request.getfixturevalue(fixture)
    top = set(g.objects(scheme, SKOS.hasTopConcept))
    assert top == set(g.subjects(SKOS.topConceptOf, scheme))
    assert top == {c for c in concepts(g, scheme) if (c, SKOS.broader, None) not in g}


# ---------------------------------------------------------------- verbs


def test_verb_keys_are_exactly_the_design_list(verbs):
    members = concepts(verbs, VERB_SCHEME) - set(MODALITIES.values())
    assert members == {verb(k) for k in VERBS}
    for key in VERBS:
        assert list(verbs.objects(verb(key), SKOS.notation)) == [Literal(key)]


def test_modalities_are_the_four_top_concepts(verbs):
    assert set(verbs.objects(VERB_SCHEME, SKOS.hasTopConcept)) == set(MODALITIES.values())
    for name, node in MODALITIES.items():
        assert (node, RDF.type, SKOS.Concept) in verbs
        # Never a bare key: "recommendation" is also a unit-kind notation the queries select by.
        assert list(verbs.objects(node, SKOS.notation)) == [Literal(f"modality/{name}")]


@pytest.mark.parametrize("key", list(VERBS))
def test_verb_modality_weight_and_labels(verbs, key):
    modality, weight = VERBS[key]
    node = verb(key)
    assert list(verbs.objects(node, SKOS.broader)) == [MODALITIES[modality]]
    weights = list(verbs.objects(node, PAL.actionWeight))
    assert len(weights) == 1
    assert weights[0].datatype == XSD.integer
    assert 1 <= weights[0].toPython() <= 5
    assert weights[0].toPython() == weight
    en, ar = VERB_LABELS[key]
    assert labels(verbs, node, SKOS.prefLabel, "en") == [en]
    assert labels(verbs, node, SKOS.prefLabel, "ar") == [ar]


@pytest.mark.parametrize(("key", "form"), list(FEMININE.items()))
def test_feminine_forms_are_alt_labels(verbs, key, form):
    assert form in labels(verbs, verb(key), SKOS.altLabel, "ar")


def test_action_weight_is_declared():
    ontology = Graph().parse(ONTOLOGY / "palermo.ttl")
    assert (PAL.actionWeight, RDF.type, OWL.DatatypeProperty) in ontology


# ---------------------------------------------------------------- actors


def test_actor_codes_are_exactly_the_design_list(actors):
    assert concepts(actors, ACTOR_SCHEME) == {actor(c) for c in ACTORS}
    assert notations(actors, concepts(actors, ACTOR_SCHEME)) == ACTORS
    for code in ACTORS:
        assert list(actors.objects(actor(code), SKOS.notation)) == [Literal(code)]


def test_original_resources_are_kept(actors):
    wg, cop, ga = actor("WorkingGroup"), actor("ConferenceOfTheParties"), actor("GeneralAssembly")
    assert labels(actors, wg, SKOS.prefLabel, "en") == ["Working Group on Trafficking in Persons"]
    assert labels(actors, cop, SKOS.prefLabel, "ar") == [
        "مؤتمر الأطراف في اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية"
    ]
    assert labels(actors, ga, SKOS.prefLabel, "en") == ["General Assembly"]
    assert labels(actors, ACTOR_SCHEME, SKOS.prefLabel, "en") == ["Actors and addressees"]


@pytest.mark.parametrize("code", sorted(ACTORS))
def test_actor_typing(actors, code):
    types = set(actors.objects(actor(code), RDF.type))
    if code in ORGANIZATIONS:
        assert types == {SKOS.Concept, ORG.Organization}
    elif code in POSTS:
        assert types == {SKOS.Concept, ORG.Post}
    else:
        assert types == {SKOS.Concept}


@pytest.mark.parametrize("code", sorted(ACTOR_ARABIC))
def test_actor_arabic_names(actors, code):
    assert labels(actors, actor(code), SKOS.prefLabel, "ar") == [ACTOR_ARABIC[code]]


@pytest.mark.parametrize(("code", "acronym"), list(ACRONYMS.items()))
def test_acronyms_are_alt_labels(actors, code, acronym):
    assert acronym in labels(actors, actor(code), SKOS.altLabel, "en")


def test_broader_and_sub_organizations(actors):
    for code in ACTORS:
        broader = {str(o).removeprefix(ACTOR) for o in actors.objects(actor(code), SKOS.broader)}
        assert broader == BROADER.get(code, set()), code
        parents = list(actors.objects(actor(code), ORG.subOrganizationOf))
        expected = [actor(SUB_ORGANIZATION_OF[code])] if code in SUB_ORGANIZATION_OF else []
        assert parents == expected, code
    assert list(actors.objects(actor("SpecialRapporteur"), ORG.postIn)) == [
        actor("HumanRightsCouncil")
    ]


def test_wikidata_links_are_only_the_checked_ones(actors):
    found = {
        str(s).removeprefix(ACTOR): str(o).removeprefix("http://www.wikidata.org/entity/")
        for s, o in actors.subject_objects(OWL.sameAs)
    }
    assert found == WIKIDATA


def test_loader_body_codes_exist(actors):
    bodies = tomllib.loads(PATTERNS.read_text(encoding="utf-8"))["vocab_extra"]["bodies"]
    for _, code in bodies:
        assert code in ACTORS, code
        assert (actor(code), SKOS.inScheme, ACTOR_SCHEME) in actors
