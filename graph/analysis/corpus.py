"""Read what the analysis needs from the graph, once, into plain Python records.

The graph is read through Oxigraph with the saved queries of ``queries/analysis/``
(units, their themes, citations and links, the schemes' concepts and the
instruments' provisions). Every projection and measure then works on this
:class:`Corpus`, so each query runs once however many measures use its rows, and the
tests can build a corpus from a few lines of Turtle.

Examples
--------
>>> corpus = example()
>>> [u.name for u in corpus.units.values()]
['cop OP 1', 'cop OP 2', 'wg 1/1', 'wg 1/2', 'wg 2/1']
>>> corpus.label("https://w3id.org/palermo/theme/children")
'children'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from graph import query as saved

QUERIES = saved.QUERIES / "analysis"
EXAMPLE = Path(__file__).resolve().parent / "data" / "example.ttl"

THEMES = "https://w3id.org/palermo/theme/"
VERBS = "https://w3id.org/palermo/verb/"
ACTORS = "https://w3id.org/palermo/actor/"


@dataclass(frozen=True)
class Unit:
    """A unit with a notation: a recommendation, an operative or preambular paragraph ..."""

    iri: str
    document: str
    body: str
    label: str
    kind: str
    order: int
    verb: str
    weight: int | None
    action: int | None
    addressee: str
    year: int | None
    meeting: int | None
    text: str

    @property
    def name(self) -> str:
        """How the report names the unit: document id and notation (``wg 4/46(c)``)."""
        return f"{self.document} {self.label}"

    @property
    def key(self) -> tuple[str, int]:
        """Reading order across the corpus: by document id, then within the document."""
        return (self.document, self.order)


@dataclass(frozen=True)
class Concept:
    """A scheme concept (theme, verb, actor) with its labels; ``group`` is a theme's P."""

    iri: str
    scheme: str
    notation: str
    en: str
    ar: str
    group: str


@dataclass(frozen=True)
class Provision:
    """An article of an instrument, or a paragraph / subparagraph below one."""

    iri: str
    notation: str
    article: str
    number: int
    instrument: str
    title: str

    @property
    def is_article(self) -> bool:
        return self.iri == self.article


@dataclass(frozen=True)
class Link:
    """A link between units: refers-to, reiterates, identical or near-duplicate."""

    source: str
    relation: str
    target: str
    score: float


@dataclass
class Corpus:
    """Everything the projections and measures read, keyed by IRI and sorted."""

    units: dict[str, Unit] = field(default_factory=dict)
    themes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    citations: list[tuple[str, str]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    concepts: dict[str, Concept] = field(default_factory=dict)
    provisions: dict[str, Provision] = field(default_factory=dict)

    def label(self, iri: str) -> str:
        """The English label of a concept or the notation of a provision, else the IRI's tail."""
        if iri in self.concepts:
            concept = self.concepts[iri]
            return concept.en or concept.notation
        if iri in self.provisions:
            return self.provisions[iri].notation
        return iri.rstrip("/").rsplit("/", 1)[-1]

    def notation(self, iri: str) -> str:
        """A concept's code (``StatesParties``, ``urges``), else its label."""
        concept = self.concepts.get(iri)
        return concept.notation if concept else self.label(iri)


def _rows(store: pyoxigraph.Store, name: str) -> list[dict[str, str]]:
    columns, table = saved.run(saved.load(name, QUERIES), store)
    return [dict(zip(columns, row, strict=True)) for row in table]


def _int(value: str) -> int | None:
    return int(value) if value else None


def _units(rows: list[dict[str, str]]) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for r in rows:
        if r["unit"] in units:  # a second verb, date ... : the first row (query order) wins
            continue
        units[r["unit"]] = Unit(
            iri=r["unit"],
            document=r["document"],
            body=r["body"],
            label=r["label"],
            kind=r["kind"],
            order=int(r["order"]),
            verb=r["verb"],
            weight=_int(r["weight"]),
            action=_int(r["action"]),
            addressee=r["addressee"],
            year=_int(r["year"]),
            meeting=_int(r["meeting"]),
            text=r["text"],
        )
    return dict(sorted(units.items(), key=lambda item: item[1].key))


def read(store: pyoxigraph.Store) -> Corpus:
    """The corpus held by an Oxigraph store (see ``graph.store.open_store``)."""
    units = _units(_rows(store, "units"))
    themes: dict[str, list[str]] = {}
    for r in _rows(store, "unit-themes"):
        if r["unit"] in units:
            themes.setdefault(r["unit"], []).append(r["theme"])
    concepts = {
        r["concept"]: Concept(
            r["concept"], r["scheme"], r["notation"], r["label_en"], r["label_ar"], r["group"]
        )
        for r in _rows(store, "concepts")
    }
    provisions = {
        r["provision"]: Provision(
            r["provision"],
            r["notation"],
            r["article"],
            int(r["number"]),
            r["instrument"],
            r["title"],
        )
        for r in _rows(store, "provisions")
    }
    citations = sorted(
        {(r["unit"], r["provision"]) for r in _rows(store, "unit-citations") if r["unit"] in units}
    )
    links = sorted(
        {
            Link(r["unit"], r["relation"], r["target"], float(r["score"] or 1))
            for r in _rows(store, "unit-links")
            if r["unit"] in units and r["target"] in units
        },
        key=lambda link: (units[link.source].key, link.relation, units[link.target].key),
    )
    return Corpus(
        units=units,
        themes={u: tuple(sorted(set(t))) for u, t in sorted(themes.items())},
        citations=citations,
        links=links,
        concepts=dict(sorted(concepts.items())),
        provisions=dict(sorted(provisions.items())),
    )


def from_turtle(text: str) -> Corpus:
    """The corpus of a Turtle text (for tests and examples)."""
    store = pyoxigraph.Store()
    store.bulk_load(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    return read(store)


def example() -> Corpus:
    """The tiny corpus of ``graph/analysis/data/example.ttl``, whose answers are known."""
    return from_turtle(EXAMPLE.read_text(encoding="utf-8"))
