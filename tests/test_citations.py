"""Article citations: every one in the seeds, at the right unit, and nothing else.

The expected list, tests/data/article_citations.tsv, was built by reading the
seeds by hand (27 citations), independently of the extractor.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from loaders.extract import citations
from loaders.provisions import Provision, ProvisionError

FIXTURE = Path(__file__).parent / "data" / "article_citations.tsv"


def expected() -> list[tuple[str, str, str]]:
    with FIXTURE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    out = []
    for r in rows:
        p = Provision(
            r["instrument"],
            int(r["article"]),
            int(r["paragraph"]) if r["paragraph"] else None,
            r["subparagraph"] or None,
        )
        out.append((r["file"], r["unit"], p.notation))
    return out


def found(seed_docs) -> list[tuple[str, str, str]]:
    return [
        (d.file_name, u.label, c.provision.notation)
        for d in seed_docs.values()
        for u in d.units()
        for c in u.cites
    ]


def test_exactly_the_hand_checked_citations(seed_docs) -> None:
    assert len(expected()) == 27
    assert sorted(found(seed_docs)) == sorted(expected())


def test_citation_quotes_are_the_printed_words(seed_docs) -> None:
    with FIXTURE.open(encoding="utf-8") as fh:
        quotes = {(r["unit"], r["quote"]) for r in csv.DictReader(fh, delimiter="\t")}
    for doc in seed_docs.values():
        for unit in doc.units():
            for c in unit.cites:
                assert c.quote in unit.text
                hand = [q for u, q in quotes if u == unit.label]
                assert any(c.quote in q or q in c.quote for q in hand), (unit.label, c.quote)


CASES = [
    ("وفقاً للفقرة الفرعية ٢ من المادة ٦ من بروتوكول الاتجار بالأشخاص", "", ["TIP 6(2)"]),
    ("مراعاةً للمادتين ٣٢ و٣٧ من الاتفاقية المذكورة", "", ["UNTOC 32", "UNTOC 37"]),
    (
        "أحكام الفقرتين 2 و 3 من المادة 26 من اتفاقية الجريمة المنظمة",
        "",
        ["UNTOC 26(2)", "UNTOC 26(3)"],
    ),
    ("بروتوكول مكافحة تهريب المهاجرين ... في المادة 6 من ذلك البروتوكول", "", ["SOM 6"]),
    (
        "الدول الأطراف في بروتوكول منع وقمع ومعاقبة الاتجار بالأشخاص وفي بروتوكول مكافحة تهريب "
        "المهاجرين المشار إليها في المادة 12 من هذين البروتوكولين",
        "",
        ["TIP 12", "SOM 12"],
    ),
    ("يهيب بالدول الأطراف في البروتوكول، عملاً بالمادة 9 منه", "", ["TIP 9"]),
    ("وفقاً للفقرة الفرعية ٣ (د) من المادة ٦ من البروتوكول", "", ["TIP 6(3)(d)"]),
    ("وفقا للفقرة 2 (ج) من المادة 33 من الاتفاقية", "", ["UNTOC 33(2)(c)"]),
    ("المادة 5 من بروتوكول الأسلحة النارية", "", ["FIREARMS 5"]),
    ("المادة 3 من بروتوكول مكافحة تهريب المهاجرين", "", ["SOM 3"]),
    # not article citations
    ("المسؤولية المبينة في الفقرة ٤٤ من قرار الجمعية العامة ٦٤/٢٩٣", "", []),
    ("التوصيات الواردة في الفقرة ١٧ من تقرير الفريق العامل", "", []),
    ("تطبيق الالتزامات الواردة في المواد ذات الصلة من هذين البروتوكولين", "", []),
]


@pytest.mark.parametrize(("text", "context", "notations"), CASES)
def test_citation_forms(text: str, context: str, notations: list[str]) -> None:
    cites, _ = citations.find(text, context, ["TIP"])
    assert [c.provision.notation for c in cites] == notations


def test_article_beyond_the_instrument_is_reported_not_linked() -> None:
    cites, problems = citations.find("المادة 45 من بروتوكول الاتجار بالأشخاص", "", ["TIP"])
    assert cites == []
    assert problems == [
        "'المادة 45 من بروتوكول الاتجار بالأشخاص' cites article 45 of TIP, which has 20 articles"
    ]


def test_article_counts_agree_with_the_instruments_scheme() -> None:
    from rdflib import Graph, URIRef

    from tests.conftest import ROOT

    g = Graph().parse(ROOT / "ontology" / "instruments.ttl")
    part_of = URIRef("http://data.europa.eu/eli/ontology#is_part_of")
    for key, count in citations.article_counts().items():
        inst = URIRef(f"https://w3id.org/palermo/instrument/{key}")
        assert len(set(g.subjects(part_of, inst))) == count


@pytest.mark.parametrize("bad", ["TIP", "TIP six", "XYZ 6", "TIP 6(2", "TIP 6 (2) (d) x", ""])
def test_provision_notation_errors_say_how_to_write_it(bad: str) -> None:
    with pytest.raises(ProvisionError, match="KEY ARTICLE"):
        Provision.parse(bad)
