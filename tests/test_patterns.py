"""Every pattern in loaders/data/patterns.toml matches its examples and no counter-example."""

from __future__ import annotations

import pytest

from loaders import patterns
from loaders.normalise import norm

ENTRIES = [(group, name) for group in ("line", "inline") for name in patterns.table()[group]]


@pytest.mark.parametrize(("group", "name"), ENTRIES)
def test_pattern_matches_its_examples(group: str, name: str) -> None:
    entry = patterns.entry(name)
    assert entry["examples"], f"{name} has no examples"
    for example in entry["examples"]:
        text = example if entry.get("raw") else norm(example)
        found = (
            patterns.compiled(name).search(text)
            if entry.get("search") or group == "inline"
            else patterns.match(name, text)
        )
        assert found, f"pattern {name!r} misses its example {example!r}"


@pytest.mark.parametrize(("group", "name"), ENTRIES)
def test_pattern_refuses_its_counter_examples(group: str, name: str) -> None:
    for example in patterns.entry(name).get("counter", []):
        text = norm(example)
        assert not patterns.match(name, text), f"pattern {name!r} wrongly matches {example!r}"


def test_letters_follow_abjad_order() -> None:
    assert [patterns.latin_letter(norm(a)) for a in ["أ", "ب", "ج", "د", "هـ", "و"]] == list(
        "abcdef"
    )
    assert patterns.latin_letter(norm("س")) == "o"
    assert patterns.latin_letter(norm("ف")) == "q"


def test_month_and_ordinal_lookup() -> None:
    assert patterns.month_number(norm("كانون الثاني/يناير")) == 1
    assert patterns.month_number(norm("تشرين الأول")) == 10
    assert patterns.ordinal_number(norm("التاسع")) == 9
    assert patterns.ordinal_number(norm("الحادي عشر")) == 11
