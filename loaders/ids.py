"""Mint AKN-style eIds and Palermo unit notation from a paragraph tree.

One place decides how a unit is named (cobalt's habit): the eId is the path of
``<kind>_<number>`` steps joined by ``__``; the notation is the one analysts
use (DESIGN.md): ``M/P(x)(i)`` for Working Group recommendations, ``PP n``,
``OP n(x)`` and ``OP (x)`` for resolutions and decisions.

>>> parse_eid("mtg_4__para_46__subpara_i__point_ii")
[('mtg', '4'), ('para', '46'), ('subpara', 'i'), ('point', 'ii')]
>>> format_eid(parse_eid("mtg_4__para_46__subpara_i__point_ii"))
'mtg_4__para_46__subpara_i__point_ii'
"""

from __future__ import annotations

from loaders.model import Document, Unit

#: eId step name per unit kind.
STEP = {
    "meeting": "mtg",
    "chapter": "chp",
    "section": "sec",
    "recommendation": "para",
    "paragraph": "para",
    "preambular": "recital",
    "operative": "para",
    "subparagraph": "subpara",
    "point": "point",
    "agenda_item": "item",
    "item": "item",
    "note": "note",
}

#: Kinds whose eId does not include their ancestors' steps (numbered through the document).
FLAT = {"paragraph", "preambular"}


def format_eid(steps: list[tuple[str, str]]) -> str:
    return "__".join(f"{name}_{number}" for name, number in steps)


def parse_eid(eid: str) -> list[tuple[str, str]]:
    return [tuple(step.split("_", 1)) for step in eid.split("__")]  # type: ignore[misc]


def eid_of(unit: Unit, doc_kind: str) -> str:
    """The unit's eId: its own step after its parent's eId (report paragraphs and
    recommendations, numbered through the document, stand alone)."""
    step = (STEP[unit.kind], unit.number)
    if unit.kind == "recommendation" and doc_kind == "wg-report":
        step = ("rec", unit.number)
        return format_eid([step])
    if unit.kind in FLAT or unit.parent is None or unit.parent.kind == "document":
        return format_eid([step])
    return unit.parent.eid + "__" + format_eid([step])


def label_of(unit: Unit, doc_kind: str) -> str:
    """The unit's notation, e.g. ``1/5(a)``, ``9/3``, ``OP 4(a)``, ``PP 2``, ``para 31``."""
    if (
        doc_kind in ("wg-compilation", "wg-report")
        and unit.kind in ("recommendation", "subparagraph", "point")
        and unit.meeting is not None
    ):
        return _wg_label(unit)
    if unit.kind == "preambular":
        return f"PP {unit.number}"
    if unit.kind == "operative":
        return f"OP ({unit.number})" if unit.number.isalpha() else f"OP {unit.number}"
    if unit.kind in ("subparagraph", "point", "agenda_item", "item"):
        suffix = (
            f"({unit.number})"
            if unit.kind in ("subparagraph", "point")
            else (f" item {unit.number}")
        )
        return (unit.parent.label if unit.parent else "") + suffix
    if unit.kind == "paragraph":
        return f"para {unit.number}"
    if unit.kind == "meeting":
        return f"meeting {unit.number}"
    if unit.kind == "note":
        return f"{unit.meeting}/note {unit.number}" if unit.meeting else f"note {unit.number}"
    if unit.kind == "chapter":
        return f"chapter {unit.number}"
    if unit.kind == "section":
        return f"{unit.parent.label if unit.parent else ''} section {unit.number.upper()}".strip()
    return unit.number


def _wg_label(unit: Unit) -> str:
    if unit.kind == "recommendation":
        return f"{unit.meeting}/{unit.number}"
    return f"{unit.parent.label}({unit.number})" if unit.parent else unit.number


def assign(doc: Document) -> None:
    """Give every unit of ``doc`` its eId, notation and document order."""
    for order, unit in enumerate(doc.units(), start=1):
        unit.eid = eid_of(unit, doc.kind)
        unit.label = label_of(unit, doc.kind)
        unit.order = order
