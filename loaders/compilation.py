"""Assemble a Working Group compilation: meeting chapters, numbered recommendations,
lettered subparagraphs and roman sub-subparagraphs (CTOC/COP/WG.4/2019/5).

Paragraph numbers restart in each meeting chapter; a unit is ``M/P``,
``M/P(x)`` or ``M/P(x)(i)``. A recommendation that adopts what an earlier
meeting proposed ("التي كانت قد اقترحتها ... يوم ١٩ تشرين الأول/أكتوبر ٢٠١٠")
is marked proposed at that meeting and adopted at this one.
"""

from __future__ import annotations

from loaders import patterns
from loaders.blocks import Block
from loaders.dates import all_ranges, parse_range
from loaders.model import Document, Meeting, Unit
from loaders.normalise import normalise
from loaders.tree import (
    Sequence,
    add_footnote,
    continue_with_warning,
    ends_clause,
    extend,
    is_open,
    letter_check,
    unit_from,
    warn,
)


def is_meeting_heading(block: Block) -> bool:
    return block.type == "chapter" and bool(patterns.match("meeting", block.groups["title"]))


def body_start(blocks: list[Block]) -> int:
    """Index of the first meeting chapter heading."""
    return next((i for i, b in enumerate(blocks) if is_meeting_heading(b)), len(blocks))


class CompilationReader:
    """Walks the body blocks of a compilation, keeping the current meeting and list levels."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.meeting: Unit | None = None
        self.para: Unit | None = None
        self.sub: Unit | None = None
        self.last: Unit | None = None
        self.numbers = Sequence()

    def read(self, blocks: list[Block]) -> None:
        for block in blocks:
            handler = getattr(self, "on_" + block.type, self.on_text)
            handler(block)
        self._mark_proposed()

    def on_footnote(self, block: Block) -> None:
        add_footnote(self.doc, block)

    def on_furniture(self, block: Block) -> None:
        return

    def on_chapter(self, block: Block) -> None:
        title = block.groups["title"]
        found = patterns.match("meeting", title)
        if not found:
            self.on_text(block)
            return
        number = patterns.ordinal_number(found.group("ordinal"))
        dates = parse_range(found.group("dates")) if found.group("dates") else None
        meeting = Meeting("WorkingGroup", number, self._raw(block, title, found, "place"))
        meeting.start, meeting.end = dates or (None, None)
        meeting.printed = block.raw
        self.doc.meetings.append(meeting)
        unit = unit_from(block, "meeting", str(number))
        unit.heading, unit.meeting = block.raw, number
        self.meeting = self.doc.root.add(unit)
        self.para = self.sub = self.last = None
        self.numbers = Sequence()
        if dates is None:
            warn(
                self.doc,
                block,
                unit,
                "meeting heading without a date it can read: expected the place and dates "
                f"after the meeting's name, as in '{patterns.entry('meeting')['examples'][0]}'; "
                "the meeting is read without dates",
            )

    @staticmethod
    def _raw(block: Block, title: str, found, group: str) -> str:
        """The raw (unnormalised) text of a group of the meeting pattern, stripped."""
        if found.group(group) is None:
            return ""
        base = block.text.index(title)
        start, end = block.norm.source_span(base + found.start(group), base + found.end(group))
        return block.raw[start - block.start : end - block.start].strip()

    def on_numbered(self, block: Block) -> None:
        if self.meeting is None:
            warn(
                self.doc,
                block,
                f"paragraph {block.value}",
                "numbered paragraph before any meeting heading; skipped",
            )
            return
        unit = unit_from(block, "recommendation")
        self.numbers.take(unit, int(block.value), self.doc, block)
        unit.meeting = self.meeting.meeting
        self.para = self.meeting.add(unit)
        self.sub = None
        self.last = unit

    def on_lettered(self, block: Block) -> None:
        if self.para is None:
            self.on_text(block)
            warn(
                self.doc,
                block,
                self.last if self.last is not None else f"list item ({block.value})",
                f"list item ({block.value}) with no numbered paragraph above it: expected a "
                "numbered paragraph (such as '1- ...') before it; "
                "read as text, not as a subparagraph",
            )
            return
        unit = unit_from(block, "subparagraph", block.value)
        unit.meeting = self.para.meeting
        self.sub = self.para.add(unit)
        letter_check(unit, self.doc, block)
        self.last = unit

    def on_roman(self, block: Block) -> None:
        parent = self.sub or self.para
        if parent is None:
            warn(
                self.doc,
                block,
                f"point ({to_roman(int(block.value))})",
                "roman item with no paragraph above it; skipped",
            )
            return
        unit = unit_from(block, "point", to_roman(int(block.value)))
        unit.meeting = parent.meeting
        self.last = parent.add(unit)

    def on_recommendation(self, block: Block) -> None:
        self.on_text(block)

    def on_section(self, block: Block) -> None:
        self.on_text(block)

    def on_text(self, block: Block) -> None:
        if self.last is not None and (is_open(self.last) or ends_clause(self.last)):
            extend(self.last, block)
        elif self.meeting is not None and self.para is None:
            unit = unit_from(block, "note", str(len(self.meeting.children) + 1))
            unit.meeting = self.meeting.meeting
            self.last = self.meeting.add(unit)
        elif self.last is not None:
            continue_with_warning(self.doc, block, self.last)
        else:
            warn(self.doc, block, "text", "text before the first meeting heading; skipped")

    def _mark_proposed(self) -> None:
        """Recommendations adopting proposals of an earlier meeting, found by its date."""
        starts = {m.start: m.number for m in self.doc.meetings if m.start}
        words = patterns.table()["vocab_extra"]["proposed_words"]
        for meeting in self.doc.root.children:
            for para in (u for u in meeting.children if u.kind == "recommendation"):
                text = normalise(para.text).text
                if not any(w in text for w in words):
                    continue
                for start, _ in all_ranges(text):
                    earlier = starts.get(start)
                    if earlier and earlier != meeting.meeting:
                        for unit in para.walk():
                            unit.proposed_at, unit.adopted_at = earlier, meeting.meeting


def to_roman(n: int) -> str:
    """Lower-case roman numeral: ``to_roman(4) == 'iv'``."""
    numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out


def read_compilation(doc: Document, blocks: list[Block]) -> None:
    """Build ``doc``'s tree from the body blocks of a compilation."""
    CompilationReader(doc).read(blocks)
    for unit in doc.units():
        if unit.kind in ("recommendation", "subparagraph", "point") and unit.adopted_at is None:
            unit.adopted_at = unit.meeting
