"""Link footnotes to the marker that calls them ("⁽¹⁾", "^(١)", "*").

A footnote is linked to the unit whose text holds its marker (the last such
marker before the footnote block, since numbers can restart); a star footnote
to the header line ending in "*". Footnotes without a marker, and markers
without a footnote, are reported as warnings, never dropped.
"""

from __future__ import annotations

from loaders import patterns
from loaders.blocks import line_at
from loaders.model import Document, Segment
from loaders.normalise import norm
from loaders.tree import warn


def _markers(doc: Document):
    """(label, unit, source segment) for every inline footnote marker in the units."""
    for unit in doc.units():
        for seg in unit.segments:
            text = doc.source[seg.start : seg.end]
            for found in patterns.search_all("footnote_marker", text):
                label = norm(found.group("sup") or found.group("caret"))
                at = Segment(seg.start + found.start(), seg.start + found.end(), seg.line)
                yield label, unit, at


def link(doc: Document) -> None:
    """Set ``unit`` and ``marker`` on each footnote of ``doc``; warn on loose ends."""
    markers = list(_markers(doc))
    used = set()
    for note in doc.footnotes:
        if note.label == "*":
            _link_star(doc, note)
            continue
        candidates = [m for m in markers if m[0] == note.label and m[2].start < note.segment.start]
        candidates = candidates or [m for m in markers if m[0] == note.label]
        if not candidates:
            warn(
                doc,
                note.segment.line,
                f"footnote {note.label}",
                f"footnote ({note.label}) at line {note.segment.line} has no marker in the text",
            )
            continue
        label, unit, at = candidates[-1]
        note.unit, note.marker = unit, at
        used.add((label, at.start))
    for label, unit, at in markers:
        if (label, at.start) not in used:
            warn(
                doc,
                at.line,
                unit,
                f"footnote marker ({label}) at line {at.line} has no footnote text",
            )


def _link_star(doc: Document, note) -> None:
    star = doc.source.rfind("*", 0, note.segment.start - 2)
    if star >= 0:
        line = line_at(doc.source, star)
        note.marker = Segment(star, star + 1, line)
