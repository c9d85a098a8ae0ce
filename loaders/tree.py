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
        last,
        "unnumbered text after a complete paragraph; read as a continuation of it",
    )
    extend(last, block)


def add_footnote(doc: Document, block: Block) -> None:
    seg = Segment(block.content_start, block.content_end, block.line)
    doc.footnotes.append(Footnote(block.value, seg, doc.source[seg.start : seg.end]))


def warn(doc: Document, at: Block | Unit | int | None, unit: Unit | str, message: str) -> None:
    """Record a warning on ``doc``: ``at`` gives the line (a block, a unit, or a line
    number), ``unit`` the unit it concerns (a :class:`Unit`, named once ids are minted,
    or a name such as ``"footnote 3"``)."""
    line = at.line if isinstance(at, Block | Unit) else at or 0
    ref = unit if isinstance(unit, Unit) else None
    name = "" if ref is not None else unit
    doc.warnings.append(LoadWarning(doc.file_name, line, name, message, ref))


class Sequence:
    """Checks that sibling numbers run 1, 2, 3 …, reporting what does not.

    - a gap (1, 2, 4) is reported and the printed number kept;
    - a number lower than expected that no sibling has yet (1, 2, 4, 3: out of
      order) is kept as printed and reported;
    - a number a sibling already has (a repeat, or a misprint like the "٢٧" printed
      where 37 belongs) is replaced by the expected one, the printed number kept
      in ``Unit.printed``, and reported: two units never share a number. A
      paragraph printed twice (1, 2, 3, 3, 4) therefore moves each number after it
      up by one, each move reported, since nothing on the page says which 3 is wrong.
    """

    def __init__(self) -> None:
        self.expected = 1
        self.used: dict[int, int] = {}  # number -> line of the unit that has it

    def take(self, unit: Unit, printed: int, doc: Document, block: Block) -> None:
        """Set ``unit.number`` (and ``unit.printed`` when corrected) from ``printed``."""
        number = printed
        if printed in self.used:
            number = self.expected
            unit.printed = str(printed)
            warn(
                doc,
                block,
                unit,
                f"number {printed} repeats the number of line {self.used[printed]}; "
                f"read as {number} (the printed number is kept as printedNumber)",
            )
        elif printed < self.expected:
            warn(
                doc,
                block,
                unit,
                f"number {printed} out of order: expected {self.expected}; read as {printed}",
            )
        elif printed > self.expected:
            missing = _span(self.expected, printed - 1)
            warn(doc, block, unit, f"{missing} missing before {printed}")
        unit.number = str(number)
        self.used[number] = block.line
        self.expected = max(self.expected, number + 1)


def _span(first: int, last: int) -> str:
    """``number 3`` or ``numbers 3 to 5``."""
    return f"number {first}" if first == last else f"numbers {first} to {last}"


def letter_check(unit: Unit, doc: Document, block: Block) -> None:
    """Warn when a lettered item just added does not follow its sibling in abjad order."""
    from loaders.patterns import letter_index, vocab

    parent = unit.parent
    siblings = [c for c in parent.children if c.kind in ("subparagraph", "operative")]
    expected = len([c for c in siblings[:-1] if c.number.isalpha()]) + 1
    if letter_index(unit.number) != expected:
        latin = vocab("latin")
        want = f"({latin[expected - 1]})" if expected <= len(latin) else f"letter {expected}"
        warn(
            doc,
            block,
            unit,
            f"list letter ({unit.number}) out of order: expected {want}",
        )
