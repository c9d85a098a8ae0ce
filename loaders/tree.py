"""Shared steps of the assemblers: units from blocks, page-break joins, numbering checks."""

from __future__ import annotations

from loaders.blocks import Block, ends_sentence
from loaders.errors import LoadWarning
from loaders.model import Document, Footnote, Segment, Unit
from loaders.normalise import norm

#: A unit's segments are joined by this when a page break or footnote splits it.
JOIN = " "


def unit_from(block: Block, kind: str, number: str = "") -> Unit:
    """A unit whose text is the block's content after its marker."""
    seg = Segment(block.content_start, block.content_end, block.line)
    return Unit(kind=kind, number=number, segments=[seg], text=block.raw[_rel(block, seg)])


def _rel(block: Block, seg: Segment) -> slice:
    return slice(seg.start - block.start, seg.end - block.start)


def extend(unit: Unit, block: Block) -> None:
    """Append a continuation block (after a page break or footnote block) to ``unit``."""
    seg = Segment(block.start, block.end, block.line)
    unit.segments.append(seg)
    unit.text = unit.text + JOIN + block.raw
    if not unit.text.strip():
        unit.text = block.raw


def set_text(unit: Unit, block: Block) -> None:
    """Give ``unit`` the whole block as its text (a recommendation under its heading)."""
    unit.segments = [Segment(block.start, block.end, block.line)]
    unit.text = block.raw


def is_open(unit: Unit | None) -> bool:
    """True if ``unit``'s text stops mid-sentence (no final punctuation)."""
    return unit is not None and bool(unit.text) and ends_sentence(norm(unit.text)) == "open"


def ends_clause(unit: Unit | None) -> bool:
    """True if ``unit``'s text ends with a comma (a clause, not a sentence)."""
    return unit is not None and ends_sentence(norm(unit.text)) == "clause"


def continue_with_warning(doc: Document, block: Block, last: Unit) -> None:
    """Unnumbered text after a complete paragraph: kept, as its continuation, and reported."""
    warn(
        doc,
        block,
        last.label,
        "unnumbered text after a complete paragraph; read as a continuation of it",
    )
    extend(last, block)


def add_footnote(doc: Document, block: Block) -> None:
    seg = Segment(block.content_start, block.content_end, block.line)
    doc.footnotes.append(Footnote(block.value, seg, doc.source[seg.start : seg.end]))


def warn(doc: Document, block: Block | None, unit: str, message: str) -> None:
    doc.warnings.append(LoadWarning(doc.file_name, block.line if block else 0, unit, message))


class Sequence:
    """Checks that sibling numbers run 1, 2, 3 …, correcting repeats and reporting gaps.

    A number lower than expected (repeated or out of order, like a "٢٧" printed
    where 37 belongs) is replaced by the expected one and the printed number is
    kept; a gap is reported and the printed number kept.
    """

    def __init__(self) -> None:
        self.expected = 1

    def take(self, printed: int, doc: Document, block: Block, what: str) -> tuple[int, str]:
        number, note = printed, ""
        if printed < self.expected:
            number, note = self.expected, str(printed)
            warn(
                doc,
                block,
                what,
                f"number {printed} out of sequence; read as {number} "
                "(the printed number is kept as printedNumber)",
            )
        elif printed > self.expected:
            missing = ", ".join(str(n) for n in range(self.expected, printed))
            warn(doc, block, what, f"number(s) {missing} missing before {printed}")
        self.expected = number + 1
        return number, note


def letter_check(parent: Unit, letter: str, doc: Document, block: Block) -> None:
    """Warn when a lettered item does not follow its sibling in abjad order."""
    from loaders.patterns import letter_index

    siblings = [c for c in parent.children if c.kind in ("subparagraph", "operative")]
    expected = len([c for c in siblings if c.number.isalpha()]) + 1
    if letter_index(letter) != expected:
        warn(
            doc,
            block,
            parent.label or parent.number,
            f"list letter ({letter}) where the {expected}th letter was expected",
        )
