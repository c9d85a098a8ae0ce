"""Shared fixtures: the seeds read once per session, and their built graph."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from graph.build import build_graph
from loaders import read_folder
from loaders.model import Document

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
#: What ``palermo build`` leaves in its output folder, sorted: the ownership marker,
#: the document cache and the seven files (spelled out, not read from the code).
BUILD_FOLDER = [
    ".palermo-build",
    ".palermo-cache",
    "context.jsonld",
    "palermo.jsonld",
    "palermo.nt",
    "palermo.trig",
    "palermo.ttl",
    "recommendations.csv",
    "warnings.txt",
]


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


def provenance_problems(doc: Document) -> list[tuple[str, str]]:
    """Units and footnotes whose source slices (joined by a space) differ from their text."""
    bad = []
    for unit in doc.units():
        if " ".join(doc.source[s.start : s.end] for s in unit.segments) != unit.text:
            bad.append((unit.label, unit.text[:40]))
    for note in doc.footnotes:
        if doc.source[note.segment.start : note.segment.end] != note.text:
            bad.append((f"footnote {note.label}", note.text[:40]))
    return bad


def unplaced_warnings(doc: Document) -> list[str]:
    """Warnings that do not name a line and a unit."""
    return [str(w) for w in doc.warnings if w.line < 1 or not w.unit]


def bench_module(name: str):
    """A module of ``bench/`` (not a package), imported by path."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def synthetic_corpus(tmp_path_factory) -> Path:
    """The seeds three times over (bench/corpus.py, seed 1): 15 documents."""
    out = tmp_path_factory.mktemp("synthetic") / "x3"
    bench_module("corpus").generate(3, out, seed=1)
    return out


@pytest.fixture(scope="session")
def synthetic_docs(synthetic_corpus) -> list[Document]:
    docs, errors = read_folder(synthetic_corpus, repetitions=False)
    assert not errors, [e.message for e in errors]
    return docs


def with_late_document(store):
    """A copy of ``store`` (in memory) with a document graph its build did not make:
    what a materialised summary or index must notice it does not cover."""
    import pyoxigraph

    base = "https://w3id.org/palermo/"
    copy = pyoxigraph.Store()
    copy.extend(store.quads_for_pattern(None, None, None, None))
    copy.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(f"{base}doc/late"),
            pyoxigraph.NamedNode("http://purl.org/dc/terms/identifier"),
            pyoxigraph.Literal("late"),
            pyoxigraph.NamedNode(f"{base}graph/doc/late"),
        )
    )
    return copy
