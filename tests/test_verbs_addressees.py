"""Verbs, addressees and action categories against the hand-checked units.

tests/data/verbs_addressees.tsv was made by reading every unit of meetings 1, 2,
5 and 6 and every operative paragraph of the three resolutions (281 units),
independently of the extractor, with the rules written in its notes.
"""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import pytest

from loaders.extract import actors, verbs
from loaders.extract.lexicon import load
from loaders.normalise import norm

FIXTURE = Path(__file__).parent / "data" / "verbs_addressees.tsv"


def rows() -> list[dict]:
    with FIXTURE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture(scope="module")
def units(seed_docs) -> dict[tuple[str, str], object]:
    return {(d.file_name, u.label): u for d in seed_docs.values() for u in d.units()}


def test_fixture_covers_the_units_the_issue_names() -> None:
    assert len(rows()) == 281


@pytest.mark.parametrize("field", ["verb", "addressee"])
def test_every_hand_checked_verb_and_addressee_is_right(units, field: str) -> None:
    wrong = [
        (r["unit"], getattr(units[r["file"], r["unit"]], field), r[field])
        for r in rows()
        if getattr(units[r["file"], r["unit"]], field) != r[field]
    ]
    assert wrong == []


def test_action_categories_agree_with_the_analyst(units) -> None:
    """Action grading is a judgement; agreement measured 265/281 (94%) when written."""
    agree = sum(str(units[r["file"], r["unit"]].action) == r["action"] for r in rows())
    assert agree >= 262, f"action categories agree on {agree}/281 units"
    off_by_more = [
        r["unit"]
        for r in rows()
        if abs((units[r["file"], r["unit"]].action or 0) - int(r["action"])) > 2
    ]
    assert off_by_more == []


PREAMBLE = [
    ("ga-79-c3-trafficking-women-girls-draft", "PP 1", "reiterates"),  # "إن تكرار" (damaged)
    ("ga-79-c3-trafficking-women-girls-draft", "PP 3", "recognizes"),  # "وإن تقرر بالأهمية"
    ("ga-79-c3-trafficking-women-girls-draft", "PP 6", "reaffirms"),
    ("ga-79-c3-trafficking-women-girls-draft", "PP 29", "recognizes"),  # "واند تسلم"
    ("ga-79-c3-trafficking-women-girls-draft", "PP 35", "takes-note"),
    ("cop-11-resolution-tip", "PP 1", "reaffirms"),  # "إن يعيد التأكيد"
    ("cop-11-resolution-tip", "PP 13", "welcomes"),
    ("cop-11-resolution-tip", "PP 21", "recognizes"),  # "واقتراناً منه"
    ("cop-decision-3-3", "PP 1", "recalls"),
    ("cop-decision-3-3", "PP 2", "welcomes"),
]


@pytest.mark.parametrize(("doc_id", "label", "verb"), PREAMBLE)
def test_preambular_verbs(seed_docs, doc_id: str, label: str, verb: str) -> None:
    unit = next(u for u in seed_docs[doc_id].units() if u.label == label)
    assert (unit.verb, unit.action, unit.addressee) == (verb, None, "")


def test_every_lexicon_example_gives_its_key() -> None:
    for entry in load("verbs")["verb"]:
        for example in entry.get("examples", []):
            hit = verbs.leading_verb(norm(example))
            assert hit is not None and hit.value == entry["key"], (example, entry["key"])


def test_every_action_example_gives_its_category() -> None:
    for category, examples in load("actions")["examples"].items():
        for example in examples:
            assert verbs.action_of(norm(example), 0) == int(category), example


def test_grading_examples() -> None:
    """A minimal verb stating a need takes the next action; importance is action 1."""
    grading = load("actions")["grading"]
    for examples, verb_is_minimal, action in (
        (grading["need_examples"], True, 5),
        (grading["importance_examples"], False, 1),
    ):
        for example in examples:
            unit = SimpleNamespace()
            verbs.own_reading(unit, norm(example), set())
            assert (unit.verb in verbs.MINIMAL, unit.action) == (verb_is_minimal, action), example


def test_addressee_word_examples_find_an_addressee() -> None:
    for example in load("verbs")["addressee"]["examples"]:
        text = norm(example)
        who = verbs.addressee_of(text, verbs.leading_verb(text), set())
        assert who is not None, example


def test_list_mention_examples() -> None:
    for example in load("verbs")["list_mention"]["examples"]:
        assert verbs.list_mention().search(norm(example)), example


def test_every_actor_example_resolves() -> None:
    for entry in load("actors")["actor"]:
        named = {entry["code"]} if entry.get("after_named") else set()
        for example in entry["examples"]:
            found = {h.value for h in actors.find(norm(example), named)}
            assert entry["code"] in found, (example, entry["code"])


def test_other_conferences_are_not_the_cop() -> None:
    text = norm("اللذين اعتمدهما المؤتمر العالمي الرابع المعني بالمرأة")
    assert actors.find(text) == []
