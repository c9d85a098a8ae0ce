"""The paragraph tree a loader produces: documents, units, footnotes, meetings.

Plain dataclasses, no RDF: ``graph.build`` maps them to the vocabulary. Every
unit keeps the exact source slices its text was read from (``segments``); a
unit broken by a page break or a footnote block has several, and its text is
their contents joined by one space.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
    """A slice ``[start, end)`` of the decoded source text, with its first line."""

    start: int
    end: int
    line: int


@dataclass
class Unit:
    """A node of the paragraph tree.

    ``kind`` is one of: ``chapter``, ``section``, ``meeting``, ``paragraph``,
    ``recommendation``, ``preambular``, ``operative``, ``subparagraph``,
    ``point``, ``agenda_item``, ``note``. ``number`` is the unit's own number
    as used in the notation (``"5"``, ``"a"``, ``"ii"``); ``printed`` keeps the
    number as printed when the loader had to correct it.
    """

    kind: str
    number: str = ""
    segments: list[Segment] = field(default_factory=list)
    text: str = ""
    parent: Unit | None = None
    children: list[Unit] = field(default_factory=list)
    printed: str = ""
    heading: str = ""
    meeting: int | None = None
    proposed_at: int | None = None
    adopted_at: int | None = None
    names: list[str] = field(default_factory=list)
    eid: str = ""
    label: str = ""
    order: int = 0
    verb: str = ""
    action: int | None = None
    addressee: str = ""
    verb_evidence: str = ""
    own_verb: object = None
    mentions: list[str] = field(default_factory=list)
    cites: list = field(default_factory=list)
    references: list = field(default_factory=list)
    links: list = field(default_factory=list)
    themes: list = field(default_factory=list)

    @property
    def top(self) -> Unit:
        """The numbered unit a subparagraph or point belongs to (itself otherwise)."""
        unit = self
        while unit.kind in ("subparagraph", "point") and unit.parent is not None:
            unit = unit.parent
        return unit

    @property
    def line(self) -> int:
        return self.segments[0].line if self.segments else 0

    def add(self, child: Unit) -> Unit:
        child.parent = self
        self.children.append(child)
        return child

    def walk(self):
        """This unit and all its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Footnote:
    """A footnote: its label, text slice and the unit (or header) whose marker it explains."""

    label: str
    segment: Segment
    text: str
    unit: Unit | None = None
    marker: Segment | None = None
    references: list = field(default_factory=list)


@dataclass
class Meeting:
    """A meeting of a body (a Working Group meeting, a COP session)."""

    body: str
    number: int
    place: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    printed: str = ""


@dataclass
class Document:
    """One source document, read."""

    path: str
    file_name: str
    source: str
    encoding: str
    sha256: str
    id: str = ""
    kind: str = ""
    body: str = ""
    symbol: str = ""
    decision: str = ""
    date: dt.date | None = None
    year: int | None = None
    session: int | None = None
    language: str = "ar"
    original_language: str = ""
    title: str = ""
    title_en: str = ""
    title_segment: Segment | None = None
    formula: str = ""
    header: dict[str, str] = field(default_factory=dict)
    #: Line each header fact was read from (``"english_date"``, ``"body"`` …), for warnings.
    lines: dict[str, int] = field(default_factory=dict)
    root: Unit = field(default_factory=lambda: Unit("document"))
    footnotes: list[Footnote] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    sponsors: list[str] = field(default_factory=list)
    concordance: list[dict] = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def units(self) -> list[Unit]:
        """Every unit below the root, in document order."""
        return [u for u in self.root.walk() if u is not self.root]

    def slice(self, segment: Segment) -> str:
        return self.source[segment.start : segment.end]


def release(docs: list[Document]) -> None:
    """Empty ``docs``, freeing the documents at once.

    A unit tree is a reference cycle (each child names its parent), so without this
    the documents wait for the cyclic collector, which may not run before the process
    exits: at 1000x the seeds, 8 million objects held through the exports and
    collected at exit in about 18 s. Cutting the parent links leaves reference
    counting to free every tree as the list empties."""
    for doc in docs:
        for unit in doc.root.walk():
            unit.parent = None
    docs.clear()
