"""Assemble a Working Group meeting report: chapters, lettered sections, numbered
report paragraphs, "التوصية N" recommendations, agenda items and attendance lists.

Report paragraphs are numbered through the whole report. A list numbered from 1
under a paragraph that ends with ":" (the agenda adopted) is read as items of
that paragraph, not as paragraphs. Recommendations "التوصية ٣" of meeting M are
units ``M/3``; they belong to the lettered section (recommendation group) they
sit in, even an empty one such as the 2019 report's group جيم.
"""

from __future__ import annotations

import re

from loaders import patterns
from loaders.blocks import Block, ends_sentence
from loaders.model import Document, Unit
from loaders.normalise import normalise
from loaders.tree import (
    Sequence,
    add_footnote,
    continue_with_warning,
    ends_clause,
    extend,
    is_open,
    set_text,
    unit_from,
    warn,
)


def body_start(blocks: list[Block]) -> int:
    """Index of the first chapter heading."""
    return next((i for i, b in enumerate(blocks) if b.type == "chapter"), len(blocks))


def section_letter(name: str) -> str:
    return dict(patterns.table()["vocab_extra"]["section_latin"])[name]


class ReportReader:
    """Walks a report's body blocks, tracking chapter, section, paragraph and lists."""

    def __init__(self, doc: Document, meeting: int | None) -> None:
        self.doc = doc
        self.meeting = meeting
        self.chapter: Unit | None = None
        self.section: Unit | None = None
        self.para: Unit | None = None
        self.list_parent: Unit | None = None
        self.item: Unit | None = None
        self.rec: Unit | None = None
        self.awaiting_rec_text = False
        self.last: Unit | None = None
        self.paras = Sequence()
        self.items = Sequence()

    def read(self, blocks: list[Block]) -> None:
        for block in blocks:
            getattr(self, "on_" + block.type, self.on_text)(block)

    def container(self) -> Unit:
        return self.section or self.chapter or self.doc.root

    def on_footnote(self, block: Block) -> None:
        add_footnote(self.doc, block)

    def on_furniture(self, block: Block) -> None:
        return

    def on_chapter(self, block: Block) -> None:
        number = patterns.vocab("chapter_ordinals").index(block.groups["ordinal"]) + 1
        unit = unit_from(block, "chapter", str(number))
        unit.heading = block.raw
        self.chapter = self.doc.root.add(unit)
        self.section = self.para = self.list_parent = self.item = self.rec = self.last = None

    def on_section(self, block: Block) -> None:
        unit = unit_from(block, "section", section_letter(block.groups["letter"]))
        unit.heading = block.raw
        self.section = (self.chapter or self.doc.root).add(unit)
        self.para = self.list_parent = self.item = self.rec = self.last = None

    def on_recommendation(self, block: Block) -> None:
        unit = unit_from(block, "recommendation", block.value)
        unit.heading, unit.text, unit.segments = block.raw, "", []
        unit.meeting = unit.adopted_at = self.meeting
        self.rec = self.container().add(unit)
        self.awaiting_rec_text = True
        self.last = None

    def on_numbered(self, block: Block) -> None:
        value = int(block.value)
        if self.list_parent is not None and value == self.paras.expected:
            self.list_parent = self.item = None
        if self.list_parent is None and self._starts_list(value):
            self.list_parent = self.para
            self.items = Sequence()
        if self.list_parent is not None:
            self._item(block, value)
            return
        unit = unit_from(block, "paragraph")
        self.paras.take(unit, value, self.doc, block)
        self.para = self.container().add(unit)
        self.rec = self.item = None
        self.awaiting_rec_text = False
        self.last = unit

    def _starts_list(self, value: int) -> bool:
        return (
            value == 1
            and self.paras.expected > 1
            and self.para is not None
            and ends_sentence(normalise(self.para.text).text) == "sentence"
            and normalise(self.para.text).text.rstrip().endswith(":")
        )

    def _item(self, block: Block, value: int) -> None:
        unit = unit_from(block, "agenda_item" if _is_agenda(self.list_parent) else "item")
        self.item = self.list_parent.add(unit)
        self.items.take(unit, value, self.doc, block)
        self.last = unit

    def on_lettered(self, block: Block) -> None:
        parent = self.item or self.para
        if parent is None:
            taken = self.on_text(block, quiet=True)
            warn(
                self.doc,
                block,
                taken if taken is not None else f"list item ({block.value})",
                f"list item ({block.value}) with no numbered paragraph above it: expected a "
                "numbered paragraph (such as '1- ...') before it; "
                + ("read as text, not as a subparagraph" if taken is not None else "skipped"),
            )
            return
        unit = unit_from(block, "subparagraph", block.value)
        self.last = parent.add(unit)

    def on_roman(self, block: Block) -> None:
        self.on_text(block)

    def on_text(self, block: Block, quiet: bool = False) -> Unit | None:
        """Give the block's text to the unit it belongs to; return that unit (None: skipped).

        ``quiet`` leaves the warning to the caller (a list item read as text)."""
        if self.rec is not None and self.awaiting_rec_text:
            set_text(self.rec, block)
            self.awaiting_rec_text = False
            self.last = self.rec
        elif self.last is not None and (is_open(self.last) or ends_clause(self.last)):
            extend(self.last, block)
        elif self.last is not None:
            if quiet:
                extend(self.last, block)
            else:
                continue_with_warning(self.doc, block, self.last)
        elif not quiet:
            warn(
                self.doc,
                block,
                self.container() if self.container() is not self.doc.root else "text",
                "text with no numbered paragraph above it; skipped",
            )
        return self.last


def _is_agenda(para: Unit | None) -> bool:
    if para is None:
        return False
    text = normalise(para.text).text
    return any(word in text for word in patterns.table()["vocab_extra"]["agenda_words"])


def attendance_names(unit: Unit) -> list[str]:
    """Names listed in an attendance paragraph: after ":" split on "،", or the one body
    named after "بمراقب" when no colon introduces a list."""
    text = unit.text
    if ":" in text:
        listed = text.split(":", 1)[1]
        names = [n.strip() for n in listed.split(patterns.ARABIC_COMMA)]
    else:
        norm = normalise(text).text
        for word in patterns.table()["vocab_extra"]["observer_words"]:
            if word + " " in norm:
                # cut the raw text at the same word count as in the normalised text
                words_before = len(norm.split(word + " ", 1)[0].split())
                rest = " ".join(text.split()[words_before + 1 :])
                names = [rest.split(patterns.ARABIC_COMMA)[0].strip()]
                break
        else:
            return []
    cleaned = [re.sub(r"\s*\[\.\.\.\]\s*", "", n).strip().rstrip(".").strip() for n in names]
    return [n for n in cleaned if n]


def read_report(doc: Document, blocks: list[Block], meeting: int | None) -> None:
    """Build ``doc``'s tree from the body blocks of a Working Group report."""
    ReportReader(doc, meeting).read(blocks)
    headings = patterns.table()["vocab_extra"]["attendance_headings"]
    for unit in doc.units():
        if unit.kind == "section" and normalise(unit.heading).text.split("-", 1)[-1].strip() in (
            headings
        ):
            for para in unit.children:
                para.names = attendance_names(para)
