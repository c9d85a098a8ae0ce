"""Property-based tests: whatever bytes the loaders are given, they read them or refuse
them with a LoadError, never crash; and every unit and footnote they do produce has
provenance slices equal to its text (issue 8, part 2).

Deterministic (``derandomize=True``): the same examples every run, so a failure is
reproducible; each crash found is also kept as a regular test (tests/test_input_matrix.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import LoadError, read_document
from loaders.manifest import load_manifest
from tests.conftest import SEEDS, provenance_problems, unplaced_warnings

FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MANIFEST = load_manifest(SEEDS)
SEED_FILES = sorted(SEEDS.glob("*.txt"))
KINDS = [None, "wg-compilation", "wg-report", "ga-resolution", "cop-resolution", "cop-decision"]

#: Pieces of the seeds' syntax, so random text often looks like the real thing.
PIECES = [
    "١- ",
    "\n٢- ",
    "\n(أ) ",
    "\n(ب) ",
    "\n'١' ",
    "\n- ",
    "^(١)",
    "\u207d\u00b9\u207e",
    "\n(١) ",
    "\n* ",
    "*",
    "\u060c",
    ",",
    ":",
    "\n",
    "\r\n",
    "\r",
    "\u2028",
    "\u200f",
    "\u0640",
    "\u064e",
    "\nإن الجمعية العامة،\n",
    "\nإن مؤتمر الأطراف،\n",
    "\nأولاً- الاجتماع الأول، فيينا، ١٤ و ١٥ نيسان/أبريل ٢٠٠٩\n",
    "\nثانياً - الاجتماع الثاني\n",
    "\nالتوصية ٣\n",
    "\nألف - توصيات عامة\n",
    "\nعُقد الاجتماع التاسع\n",
    "فيينا، ٩-١١ أيلول/سبتمبر ٢٠١٩",
    "7 August 2019",
    "القرار 293/64",
    "المادة 6 من البروتوكول",
    "الفقرة ١٧ من تقرير",
]

TEXT = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
        st.text(st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), max_size=30),
    ),
    max_size=40,
).map("".join)


def read_or_refuse(data: bytes, name: str, entry: dict | None) -> None:
    """Read ``data`` as file ``name``: a LoadError is fine; any other exception fails the
    test, and so does a unit whose provenance differs from its text."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            doc = read_document(path, entry)
        except LoadError as exc:
            assert exc.message.startswith(str(path)), exc.message
            return
    assert provenance_problems(doc) == []
    assert unplaced_warnings(doc) == []


@settings(FUZZ, max_examples=150)
@given(text=TEXT, kind=st.sampled_from(KINDS))
def test_random_text_is_read_or_refused(text: str, kind: str | None) -> None:
    read_or_refuse(text.encode("utf-8"), "random.txt", {"kind": kind} if kind else None)


@settings(FUZZ, max_examples=80)
@given(data=st.binary(max_size=400))
def test_random_bytes_are_read_or_refused(data: bytes) -> None:
    read_or_refuse(data, "random.txt", None)


def damage(lines: list[str], data: st.DataObject) -> list[str]:
    """Delete, duplicate, move, shuffle or cut the seed's lines, a few times at random."""
    lines = list(lines)
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        if not lines:
            break
        op = data.draw(st.sampled_from(["delete", "duplicate", "move", "shuffle", "truncate"]))
        i = data.draw(st.integers(0, len(lines) - 1), label="line")
        if op == "delete":
            del lines[i : i + data.draw(st.integers(1, 5))]
        elif op == "duplicate":
            lines.insert(data.draw(st.integers(0, len(lines))), lines[i])
        elif op == "move":
            lines.insert(data.draw(st.integers(0, len(lines))), lines.pop(i))
        elif op == "shuffle":
            block = lines[i : i + data.draw(st.integers(2, 12))]
            lines[i : i + len(block)] = data.draw(st.permutations(block))
        else:
            lines = lines[:i]
    return lines


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name.split("_")[0])
@settings(FUZZ, max_examples=12)
@given(data=st.data())
def test_damaged_seed_lines_are_read_or_refused(path: Path, data: st.DataObject) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    damaged = "".join(damage(lines, data)).encode("utf-8")
    entry = MANIFEST[path.name] if data.draw(st.booleans(), label="manifest") else None
    read_or_refuse(damaged, path.name, entry)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name.split("_")[0])
@settings(FUZZ, max_examples=6)
@given(data=st.data())
def test_seed_cut_at_any_byte_is_read_or_refused(path: Path, data: st.DataObject) -> None:
    raw = path.read_bytes()
    cut = data.draw(st.integers(1, len(raw) - 1), label="cut")
    read_or_refuse(raw[:cut], path.name, MANIFEST[path.name])
