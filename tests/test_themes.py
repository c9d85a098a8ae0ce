"""Theme tags: every recommendation and operative unit tagged, few tags each, every tag
justified by words of the text, and the analyst's spot checks (tests/data/themes_spotcheck.tsv,
which includes the issue's: non-punishment on 1/11, 7/2(b), 8/1(c); organ removal across
meeting 4's first eight; recruitment fees in meeting 6; consent in meeting 5; demand in
meeting 2's 31-42; supply chains in 9/9-9/11)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SKOS

from loaders.extract import themes
from loaders.extract.lexicon import load
from loaders.normalise import norm
from tests.conftest import ROOT

FIXTURE = Path(__file__).parent / "data" / "themes_spotcheck.tsv"


def actionable(seed_docs):
    return [
        (d, u)
        for d in seed_docs.values()
        for u in d.units()
        if u.kind in ("recommendation", "operative")
        or (u.kind in ("subparagraph", "point") and u.verb and u.parent.kind != "paragraph")
    ]


def test_every_actionable_unit_has_a_theme_and_few(seed_docs) -> None:
    units = actionable(seed_docs)
    assert len(units) == 422
    assert [(d.id, u.label) for d, u in units if not u.themes] == []
    average = sum(len(u.themes) for _, u in units) / len(units)
    assert average <= 4, average


def test_spot_checks(seed_docs) -> None:
    with FIXTURE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    units = {(d.file_name, u.label): u for d in seed_docs.values() for u in d.units()}
    missed = [
        (r["unit"], r["theme"])
        for r in rows
        if r["theme"] not in {t.code for t in units[r["file"], r["unit"]].themes}
    ]
    assert len(rows) >= 250
    assert missed == []


ISSUE_CHECKS = [
    ("non-punishment", ["1/11", "7/2(b)", "8/1(c)"]),
    ("organ-removal", [f"4/{n}" for n in range(1, 9)]),
    ("labour-recruitment", ["6/1", "6/2"]),
    ("key-concepts", ["5/6", "5/7", "5/8", "5/9", "5/10", "5/11"]),
    ("supply-chains", ["9/9", "9/10", "9/11"]),
]


@pytest.mark.parametrize(("code", "labels"), ISSUE_CHECKS)
def test_the_issue_spot_checks(seed_docs, code: str, labels: list[str]) -> None:
    units = {u.label: u for d in seed_docs.values() for u in d.units()}
    assert [lb for lb in labels if code not in {t.code for t in units[lb].themes}] == []


def test_demand_in_meeting_2_31_to_42(seed_docs) -> None:
    units = {u.label: u for u in seed_docs["ctoc-cop-wg4-2019-5"].units()}
    demand = [
        n for n in range(31, 43) if "demand-reduction" in {t.code for t in units[f"2/{n}"].themes}
    ]
    assert len(demand) >= 9, demand


def test_every_tag_keeps_words_of_its_text(seed_docs) -> None:
    for _, unit in actionable(seed_docs):
        context = unit.text + " " + (unit.parent.text if unit.parent else "")
        for child in unit.children:
            context += " " + child.text
        for tag in unit.themes:
            assert tag.triggers, (unit.label, tag.code)
            assert all(w in context for w in tag.triggers), (unit.label, tag.code)


def test_chapeau_topic_phrase_tags_its_items(seed_docs) -> None:
    units = {u.label: u for u in seed_docs["ctoc-cop-wg4-2019-5"].units()}
    assert "non-punishment" in {t.code for t in units["1/11(a)"].themes}
    assert themes.topic_phrase(units["1/11"].text).startswith("فيما يتعلق بضمان عدم معاقبة")


def test_lexicon_examples_and_counter_examples() -> None:
    for entry in load("themes")["theme"]:
        for example in entry.get("examples", []):
            assert entry["code"] in themes.tag_text(example), (entry["code"], example)
        for phrase in entry.get("not", []):
            assert entry["code"] not in themes.tag_text(phrase), (entry["code"], phrase)


def test_lexicon_codes_are_the_scheme_codes() -> None:
    g = Graph().parse(ROOT / "ontology" / "themes.ttl")
    codes = {str(n) for n in g.objects(None, SKOS.notation)}
    lexicon = {e["code"] for e in load("themes")["theme"]}
    assert lexicon == codes - {"PREVENTION", "PROTECTION", "PROSECUTION", "PARTNERSHIP"}
    assert len(lexicon) == 34
    assert all(norm(t) for e in load("themes")["theme"] for t in e["triggers"])
