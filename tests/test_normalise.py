"""Normalisation for matching, and the offset map back to the source."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.normalise import norm, normalise

# The examples documented in loaders/data/arabic.toml.
CASES = [
    ("أولاً", "اولا"),
    ("هـ", "ه"),
    ("٢٠١٩", "2019"),
    ("⁽¹²⁾", "(12)"),
    ("**تحث**", "تحث"),
    ("- ١٢ - فيما", "12 - فيما"),
    ("مؤتمر", "موتمر"),
    ("الدولُ الأطرافُ", "الدول الاطراف"),
    ("يُتَّبَع", "يتبع"),
    ("مكتب\u200f الأمم", "مكتب الامم"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalise_examples(raw: str, expected: str) -> None:
    assert norm(raw) == expected


def test_offsets_point_at_the_source_character() -> None:
    source = "xx - ينبغي للدولِ الأطراف ٥"
    n = normalise(source[3:], base=3)
    start = n.text.index("للدول")
    s, e = n.source_span(start, start + len("للدول"))
    assert source[s:e] == "للدول"  # the kasra after the last letter is outside the span
    s, e = n.source_span(len(n.text) - 1, len(n.text))
    assert source[s:e] == "٥"


@given(st.text(alphabet=st.sampled_from(list("أإآابةىـًٌٍَُِّْ٠١٩ - *\u200fabc()⁽¹⁾")), max_size=60))
def test_every_normalised_character_maps_back_into_the_source(text: str) -> None:
    n = normalise(text)
    assert len(n.offsets) == len(n.text)
    assert list(n.offsets) == sorted(n.offsets)
    for ch, off in zip(n.text, n.offsets, strict=True):
        assert 0 <= off < len(text)
        assert norm(text[off]) in (ch, "") or ch == norm(text[off])[:1] or text[off] == ch


@given(st.text(alphabet=st.sampled_from(list("أإآابةىـًٌٍَُِّْ٠١٩ - *\u200fabc()⁽¹⁾,;")), max_size=60))
def test_the_composed_pass_equals_the_steps_one_by_one(text: str) -> None:
    from loaders.normalise import STEPS

    fast = normalise(text, base=7)
    slow = normalise(text, base=7, steps=tuple(list(STEPS)))  # a new tuple: the slow path
    assert (fast.text, fast.offsets) == (slow.text, slow.offsets)
