"""Assemble a resolution or decision: title, opening formula, preambular and
operative paragraphs and operative subparagraphs.

Preambular paragraphs are counted in order (``PP n``), including clauses that
sit inline in the opening sentence, as in COP decision 3/3 ("إن مؤتمر الأطراف
...، إذ يستذكر ...، وإذ يرحب ...:"). An unnumbered block in the preamble is a new
paragraph when the one before ends with a comma, and a continuation (page
break) when it stops mid-sentence. A decision whose operative part is only
lettered has units ``OP (a)`` ….
"""

from __future__ import annotations

from itertools import pairwise

from loaders import patterns
from loaders.blocks import Block
from loaders.model import Document, Segment, Unit
from loaders.tree import Sequence, add_footnote, extend, is_open, letter_check, unit_from, warn


def opening_index(blocks: list[Block]) -> int:
    """Index of the block holding the opening formula ("إن الجمعية العامة،")."""
    for i, block in enumerate(blocks):
        if block.type == "text" and patterns.match("opening", block.text):
            return i
    return len(blocks)


class ResolutionReader:
    """Walks the blocks after the opening formula."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.preamble = True
        self.op: Unit | None = None
        self.last: Unit | None = None
        self.ops = Sequence()

    def read_formula(self, block: Block) -> None:
        """Record the opening formula; split off any inline preambular clauses."""
        clauses = patterns.search_all("preamble_clause", block.text)
        formula_end = block.norm.source_offset(clauses[0].start("opener")) if clauses else None
        if formula_end is None:
            self.doc.formula = block.raw
            return
        self.doc.formula = block.raw[: formula_end - block.start].rstrip()
        starts = [block.norm.source_offset(c.start("opener")) for c in clauses] + [block.end]
        for start, nxt in pairwise(starts):
            end = start + len(block.raw[start - block.start : nxt - block.start].rstrip())
            unit = Unit(
                "preambular",
                segments=[Segment(start, end, block.line)],
                text=block.raw[start - block.start : end - block.start],
            )
            self.last = self.doc.root.add(unit)

    def read(self, blocks: list[Block]) -> None:
        for block in blocks:
            getattr(self, "on_" + block.type, self.on_text)(block)

    def on_footnote(self, block: Block) -> None:
        add_footnote(self.doc, block)

    def on_furniture(self, block: Block) -> None:
        return

    def on_numbered(self, block: Block) -> None:
        self.preamble = False
        unit = unit_from(block, "operative")
        self.ops.take(unit, int(block.value), self.doc, block)
        self.op = self.last = self.doc.root.add(unit)

    def on_lettered(self, block: Block) -> None:
        if self.op is None:
            # a decision whose operative part is only lettered: OP (a), OP (b) ...
            self.preamble = False
            self.last = self.doc.root.add(unit_from(block, "operative", block.value))
        else:
            self.last = self.op.add(unit_from(block, "subparagraph", block.value))
        letter_check(self.last, self.doc, block)

    def on_text(self, block: Block) -> None:
        if self.last is not None and is_open(self.last):
            extend(self.last, block)
        elif self.preamble:
            self.last = self.doc.root.add(unit_from(block, "preambular"))
        elif self.last is not None:
            extend(self.last, block)
        else:
            warn(self.doc, block, "text", "text before the first paragraph; skipped")

    on_roman = on_text
    on_chapter = on_text
    on_section = on_text
    on_recommendation = on_text


def read_resolution(doc: Document, blocks: list[Block]) -> None:
    """Build ``doc``'s tree from the blocks from the opening formula on."""
    reader = ResolutionReader(doc)
    reader.read_formula(blocks[0])
    reader.read(blocks[1:])
    for n, unit in enumerate((u for u in doc.root.children if u.kind == "preambular"), start=1):
        unit.number = str(n)
