"""References to other UN documents, resolutions, decisions, reports and treaties.

Each reference keeps its printed form and what it denotes: a document symbol
(CTOC/COP/WG.4/2009/2), a resolution or decision (A/RES/64/293,
CTOC/COP/res/5/2, CTOC/COP/dec/3/3), a report paragraph, a treaty by UN Treaty
Series volume and number, a sales number. Numbers that these Arabic texts print
reversed are put right by, in order: the date printed beside them and the
session calendar; which order is possible at the document's date; a dated
mention of the same numbers elsewhere in the corpus (:func:`resolve_corpus`);
the acts listed as known in ``references.toml``; and last, the reversed order,
with a warning. The printed form is always kept.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from loaders import patterns
from loaders.dates import parse_range
from loaders.extract.lexicon import DATA, load
from loaders.normalise import norm, normalise

ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


@dataclass
class Reference:
    """One reference, as printed and as resolved."""

    kind: str
    printed: str
    normalised: str = ""
    year: int | None = None
    reversed: bool = False
    how: str = ""
    numbers: tuple[int, int] | None = None
    body: str = ""
    target_unit: tuple[str, str] | None = None  # (document id, unit label), once resolved
    notes: list[str] = field(default_factory=list)


@cache
def compiled(name: str) -> re.Pattern[str]:
    return re.compile(load("references")["pattern"][name]["regex"], re.VERBOSE)


@cache
def treaties() -> dict[tuple[int, int], str]:
    """(UNTS volume, number) -> treaty key."""
    with (DATA / "treaties.tsv").open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return {(int(r["unts_volume"]), int(r["unts_number"])): r["key"] for r in rows}


def cop_calendar() -> dict[int, int]:
    return {int(year): session for year, session in load("references")["calendar"]["cop"].items()}


def known_acts() -> set[str]:
    return set(load("references")["known"]["acts"])


@cache
def word(table: str, key: str) -> str:
    """A normalised word from a ``references.toml`` table (``[act_kind]``, ...)."""
    return norm(load("references")[table][key])


def _slice(text: str, n, start: int, end: int) -> str:
    s, e = n.source_span(start, end)
    return text[s:e]


def find(text: str, doc_body: str, doc_year: int | None) -> list[Reference]:
    """Every reference in a unit's or footnote's ``text`` (raw)."""
    n = normalise(text)
    t = n.text
    out: list[Reference] = []
    for m in compiled("un_symbol").finditer(t):
        symbol = m.group("symbol").rstrip(".")
        if any(ch.isdigit() for ch in symbol):
            out.append(Reference("un-symbol", symbol, symbol))
    for m in compiled("sales_number").finditer(t):
        out.append(Reference("sales-number", m.group("sales"), m.group("sales")))
    out += _treaties(text, n)
    out += _report_paragraphs(text, n)
    out += _acts(text, n, doc_body, doc_year)
    return out


def _treaties(text: str, n) -> list[Reference]:
    out = []
    for m in compiled("treaty_volume").finditer(n.text):
        if m.group("vol_ar"):
            pairs = [(int(m.group("vol_ar")), int(m.group("no_ar")))]
        else:
            number = int(m.group("no_en"))
            pairs = [(int(v), number) for v in re.findall(r"\d+", m.group("vols"))]
        printed = _slice(text, n, m.start(), m.end())
        for pair in pairs:
            key = treaties().get(pair, "")
            ref = Reference("treaty-unts", printed, key)
            if not key:
                ref.notes.append(
                    f"no treaty with UNTS volume {pair[0]}, No. {pair[1]} in treaties.tsv"
                )
            out.append(ref)
    return out


def _report_paragraphs(text: str, n) -> list[Reference]:
    out = []
    for m in compiled("report_paragraph").finditer(n.text):
        tail = re.split(r"\.\s|\.$", m.group("tail"))[0]  # the same sentence only
        symbol = compiled("un_symbol").search(tail)
        year = compiled("report_year").search(tail)
        dates = parse_range(tail)
        ref = Reference("report-paragraph", _slice(text, n, m.start(), m.start("tail")))
        ref.numbers = (int(m.group("para")), 0)
        if symbol:
            ref.normalised = symbol.group("symbol").rstrip(".")
            ref.printed = _slice(text, n, m.start(), m.start("tail") + symbol.end() + 1)
        ref.year = int(year.group("year")) if year else (dates[0].year if dates else None)
        if dates:
            ref.notes.append(dates[0].isoformat())
        out.append(ref)
    return out


def _acts(text: str, n, doc_body: str, doc_year: int | None) -> list[Reference]:
    t = n.text
    out = []
    for m in compiled("old_ga_resolution").finditer(t):
        session = int(m.group("session"))
        ref = Reference(
            "ga-resolution",
            _slice(text, n, m.start(), m.end()),
            f"A/RES/{m.group('number')}({_roman(session)})",
            body="GA",
        )
        ref.year = 1945 + session
        out.append(ref)
    last_kind = None
    for m in compiled("act_number").finditer(t):
        trigger = _trigger(t, m.start())
        if trigger is None:
            between = t[last_kind[2] : m.start()] if last_kind else ""
            if last_kind is None or not compiled("act_and").fullmatch(between):
                continue
            kind, body, explicit = last_kind[0], last_kind[1], True
        else:
            kind, body = trigger
            explicit = bool(body)
            body = body or _default_body(t[: m.start()], doc_body)
        ref = Reference(
            f"{body.lower()}-{kind}" if body == "COP" else f"ga-{kind}",
            _slice(text, n, m.start("a"), m.end("b")),
            body=body,
        )
        ref.numbers = (int(m.group("a")), int(m.group("b")))
        _order(ref, t[m.end() : m.end() + 60], t, doc_year, explicit)
        last_kind = (kind, ref.body, m.end())
        out.append(ref)
    return out


def _roman(n: int) -> str:
    tens, ones = divmod(n, 10)
    return "X" * tens + ROMAN[ones]


def _trigger(t: str, pos: int) -> tuple[str, str] | None:
    """(resolution|decision, GA|COP|"") of the words just before a number, if they name one."""
    before = t[max(0, pos - 40) : pos]
    m = compiled("act_trigger").search(before)
    if not m:
        return None
    resolution = m.group("kind").startswith(word("act_kind", "resolution"))
    kind = "resolution" if resolution else "decision"
    body = m.group("body") or ""
    ga = word("general_assembly", "body_word") in body
    return kind, ("GA" if ga else "COP" if body else "")


def _default_body(before: str, doc_body: str) -> str:
    """The body of an act named without one: the GA if the sentence just named it, COP
    if a COP symbol precedes, else the document's own body."""
    sentence = re.split(f"[.{patterns.ARABIC_SEMICOLON}]", before)[-1][-160:]
    if "CTOC/COP" in sentence:
        return "COP"
    if word("general_assembly", "name") in sentence:
        return "GA"
    return "GA" if doc_body == "GeneralAssembly" else "COP"


def _order(ref: Reference, after: str, t: str, doc_year: int | None, explicit: bool) -> None:
    """Decide session/number order (see the module docstring)."""
    a, b = ref.numbers
    dated = compiled("dated").match(after)
    if dated and parse_range(dated.group("date")):
        day = parse_range(dated.group("date"))[0]
        ref.year = day.year
        bodies = [ref.body] if explicit else [ref.body, "GA" if ref.body == "COP" else "COP"]
        for body in bodies:
            fits = [o for o in ((a, b), (b, a)) if o[0] in _sessions(body, day.year, day.month)]
            if fits:
                if body != ref.body:
                    ref.body = body
                    ref.kind = ("cop-" if body == "COP" else "ga-") + ref.kind.split("-", 1)[1]
                _set(ref, fits[0], "date")
                return
    symbol_year = re.search(r"CTOC/COP/(\d{4})/", t)
    if symbol_year and ref.body == "COP":
        sessions = _sessions("COP", int(symbol_year.group(1)), 12)
        fits = [o for o in ((a, b), (b, a)) if o[0] in sessions]
        if fits:
            ref.year = int(symbol_year.group(1))
            _set(ref, fits[0], "symbol")
            return
    possible = [o for o in ((a, b), (b, a)) if _possible(ref.body, o[0], doc_year)]
    if a == b or len(possible) == 1:
        _set(ref, possible[0] if possible else (a, b), "possible")
        return
    _set(ref, (b, a), "undecided")  # resolved later by the corpus or the known acts


def _sessions(body: str, year: int, month: int) -> set[int]:
    if body == "GA":
        return {year - 1945 if month >= 9 else year - 1946}
    return {s for y, s in cop_calendar().items() if y == year}


def _possible(body: str, session: int, doc_year: int | None) -> bool:
    latest = (
        (doc_year or 2100) - 1945
        if body == "GA"
        else max((s for y, s in cop_calendar().items() if y <= (doc_year or 2100)), default=99)
    )
    return 1 <= session <= latest


def _set(ref: Reference, order: tuple[int, int], how: str) -> None:
    session, number = order
    ref.reversed = order != ref.numbers
    ref.how = how
    kind = ref.kind.split("-", 1)[1]
    if ref.body == "GA":
        ref.normalised = f"A/RES/{session}/{number}"
    else:
        ref.normalised = f"CTOC/COP/{'res' if kind == 'resolution' else 'dec'}/{session}/{number}"
    if ref.year is None and ref.body == "COP":
        years = [y for y, s in cop_calendar().items() if s == session]
        ref.year = years[0] if years else None


#: How a reference whose order was undecided after its own document ends up read.
SETTLED = ("corpus", "known", "reversed-default")


def twin_key(ref: Reference) -> tuple:
    """What a dated mention must share with an undecided one to settle it."""
    return (ref.body, ref.kind, frozenset(ref.numbers))


def is_decided(ref: Reference) -> bool:
    """A mention whose order its own document fixed (a date, a symbol): it can settle twins."""
    return bool(ref.numbers) and ref.how in ("date", "symbol")


def resolve_corpus(all_refs: list[Reference]) -> list[tuple[Reference, str]]:
    """Settle undecided orders from dated mentions of the same numbers, then the known
    acts, then read them reversed; return (reference, warning) for the last case. The
    last dated mention of a key in ``all_refs`` wins."""
    decided = {twin_key(r): (r.normalised, r.year) for r in all_refs if is_decided(r)}
    return settle(all_refs, decided)


def settle(refs: list[Reference], decided: Mapping) -> list[tuple[Reference, str]]:
    """:func:`resolve_corpus` given the dated mentions already gathered (``decided``:
    :func:`twin_key` -> (normalised, year)), so that a corpus index can stand in for
    the documents that hold them."""
    warnings = []
    for ref in refs:
        if ref.how != "undecided":
            continue
        twin = decided.get(twin_key(ref))
        if twin:
            ref.normalised, ref.year = twin
            ref.reversed = ref.normalised.split("/")[-2:] != [str(n) for n in ref.numbers]
            ref.how = "corpus"
            continue
        a, b = ref.numbers
        kind = ref.kind.split("-", 1)[1]
        known = [o for o in ((a, b), (b, a)) if f"{ref.body}/{kind}/{o[0]}/{o[1]}" in known_acts()]
        if known:
            _set(ref, known[0], "known")
            continue
        ref.how = "reversed-default"
        warnings.append(
            (
                ref,
                f"'{ref.printed}' could be {a}/{b} or {b}/{a}; read as "
                f"{ref.normalised} (these texts print numbers reversed); check it",
            )
        )
    return warnings


def annotate(doc) -> None:
    """Set ``references`` on every unit and footnote of ``doc``."""
    for unit in doc.units():
        unit.references = find(unit.text, doc.body, doc.year)
    previous: list[Reference] = []
    for note in doc.footnotes:
        refs = find(note.text, doc.body, doc.year)
        if not refs and patterns.match("ibid", normalise(note.text).text):
            refs = [
                Reference(
                    r.kind,
                    note.text.strip(),
                    r.normalised,
                    r.year,
                    r.reversed,
                    "ibid",
                    r.numbers,
                    r.body,
                )
                for r in previous
            ]
        note.references = refs
        previous = refs or previous
