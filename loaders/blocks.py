"""Split a decoded document into typed blocks: one per non-empty line.

In these texts a line is a paragraph, a list item, a heading, a footnote or
page furniture. A :class:`Block` records its source span, its normalised text
(with the offset map) and, when a list marker opens it, the marker's value and
where the content after the marker starts. Assemblers for each document kind
then turn blocks into the paragraph tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders import patterns
from loaders.normalise import Normalised, normalise

#: Line types, tried in order; the first that matches wins.
MARKER_TYPES = ("footnote_star", "footnote", "footnote_reversed", "numbered", "lettered", "roman")
HEADING_TYPES = ("recommendation", "chapter", "section", "furniture")

#: Characters that end a sentence (". ؛ : ! ؟") or a clause ("،") for the page-break test.
SENTENCE_END = "." + patterns.ARABIC_SEMICOLON + ":!" + patterns.ARABIC_QUESTION
CLAUSE_END = patterns.ARABIC_COMMA


@dataclass
class Block:
    """One non-empty line of the source, typed."""

    line: int
    start: int
    end: int
    raw: str
    norm: Normalised
    type: str = "text"
    value: str = ""
    content_start: int = 0
    content_end: int = 0
    groups: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Normalised text of the whole line."""
        return self.norm.text


def split_lines(source: str) -> list[Block]:
    """Every non-empty line of ``source`` as an untyped block with exact offsets."""
    blocks: list[Block] = []
    pos = 0
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            start = pos + (len(body) - len(body.lstrip()))
            end = start + len(stripped)
            blocks.append(Block(number, start, end, stripped, normalise(stripped, start)))
        pos += len(line)
    return blocks


def line_at(source: str, offset: int) -> int:
    """1-based line number of ``offset``, counting line breaks as :func:`split_lines` does
    (LF, CRLF, CR and the other Unicode line boundaries)."""
    return len((source[:offset] + "x").splitlines())


def classify(block: Block) -> Block:
    """Set the block's type, marker value and content span from the line patterns."""
    block.content_start, block.content_end = block.start, block.end
    for name in MARKER_TYPES + HEADING_TYPES:
        raw = patterns.entry(name).get("raw", False)
        found = patterns.match(name, block.raw if raw else block.text)
        if not found:
            continue
        block.type = _type_name(name)
        block.groups = {k: v for k, v in found.groupdict().items() if v is not None}
        block.value = _value(name, block.groups)
        if name in MARKER_TYPES:
            _set_content(block, found, raw, reversed_label=name == "footnote_reversed")
        return block
    return block


def _type_name(pattern: str) -> str:
    return "footnote" if pattern.startswith("footnote") else pattern


def _value(name: str, groups: dict[str, str]) -> str:
    if name == "lettered":
        return patterns.latin_letter(groups["letter"])
    if name == "footnote_star" or groups.get("star"):
        return "*"
    return groups.get("num") or groups.get("label") or ""


def _set_content(block: Block, found, raw: bool, reversed_label: bool) -> None:
    """Content starts after the marker, spaces skipped; a footnote whose label was moved
    to the end ("... No. 44910 (23)") keeps its whole line but the label."""
    if reversed_label:
        block.content_end = block.start + len(block.raw[: block.raw.rfind("(")].rstrip())
        return
    # just after the marker's last character (mapped back from normalised text)
    cut = block.start + found.end() if raw else block.norm.offsets[found.end() - 1] + 1
    while cut < block.end and block.raw[cut - block.start].isspace():
        cut += 1
    block.content_start = cut


def read_blocks(source: str) -> list[Block]:
    """Split and classify every line of ``source``."""
    return [classify(b) for b in split_lines(source)]


def ends_sentence(text: str) -> str:
    """How a unit's normalised text ends: ``"sentence"``, ``"clause"`` or ``"open"``.

    Trailing footnote markers, brackets and spaces are ignored, so
    ``"...الوطنية،(1)"`` ends a clause.
    """
    t = text.rstrip()
    while True:
        stripped = t.rstrip(" )]*").rstrip("0123456789").rstrip(" (^[")
        if stripped == t:
            break
        t = stripped
    if not t:
        return "open"
    if t[-1] in SENTENCE_END:
        return "sentence"
    if t[-1] in CLAUSE_END:
        return "clause"
    return "open"
