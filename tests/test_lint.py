"""ruff is configured in pyproject.toml and the tree is clean."""

from __future__ import annotations

import re
import shutil
import subprocess
import tokenize
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_ruff_check_is_clean() -> None:
    result = subprocess.run(["ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def _arabic_in_code(path: Path, root: Path = ROOT) -> list[str]:
    """Lines of ``path`` where Arabic letters sit in code: strings that are not docstrings.
    Comments and docstrings may quote the texts; logic must use \\u escapes or data files."""
    found = []
    previous = tokenize.NEWLINE
    with path.open("rb") as fh:
        for tok in tokenize.tokenize(fh.readline):
            statement_start = previous in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
            if tok.type == tokenize.STRING and ARABIC.search(tok.string) and not statement_start:
                found.append(f"{path.relative_to(root)}:{tok.start[0]}")
            if tok.type not in (tokenize.NL, tokenize.COMMENT, tokenize.ENCODING):
                previous = tok.type
    return found


def test_no_arabic_letters_in_code() -> None:
    files = [p for folder in ("loaders", "graph", "bench") for p in (ROOT / folder).rglob("*.py")]
    assert files
    offenders = [line for path in sorted(files) for line in _arabic_in_code(path)]
    assert offenders == []


def test_the_arabic_check_sees_code_strings(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Docstring: \u0641\u064a\u0645\u0627."""\n# comment \u0641\u064a\u0645\u0627\n'
        'x = "\u0641\u064a\u0645\u0627"\n',
        encoding="utf-8",
    )
    assert _arabic_in_code(sample, tmp_path) == ["sample.py:3"]
