"""Shared fixtures: the seeds read once per session, and their built graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.build import build_graph
from loaders import read_folder
from loaders.model import Document

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_docs() -> dict[str, Document]:
    docs, errors = read_folder(SEEDS)
    assert not errors, [e.message for e in errors]
    return {d.id: d for d in docs}


@pytest.fixture(scope="session")
def seed_graph(seed_docs):
    return build_graph(list(seed_docs.values()))


def by_label(doc: Document) -> dict:
    """Units of ``doc`` keyed by their notation."""
    return {u.label: u for u in doc.units()}
