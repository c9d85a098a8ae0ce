"""Generate a synthetic corpus that scales the seeds 10x, 100x, 1000x, for benchmarks.

    python bench/corpus.py --scale 100 --out bench/corpora/x100 [--seed 1] [--seeds seeds]

Copy 0 is the seeds themselves (files and manifest entries verbatim), so scale 1
is exactly the seed corpus. Copies 1..N-1 of each seed document are new
documents built on that seed's skeleton, which keeps them readable by the
loaders while changing what extraction has to find:

- **distinct documents**: every copy has its own file, manifest id, date and
  symbol / decision number / session;
- **meetings**: a compilation copy covers 8 meeting numbers drawn from those the
  loaders can read (the ordinal words of ``loaders/data/patterns.toml``: 1-20), a
  report copy one; a meeting number has one calendar across the corpus (the
  seeds' own dates where the seeds hold it), so meeting nodes stay consistent;
- **paragraphs renumbered**: about one numbered recommendation or operative
  paragraph in ten (with its subparagraphs) is left out and the following ones
  renumbered;
- **text recombined**: a paragraph with no citation, reference or footnote gets
  the verb clause of one seed paragraph of its kind and the object clauses of
  another ("،"-separated), and sometimes a clause of a seed citation that names
  its instrument; near-duplicates are realistic, not identical;
- **citations**: every cited article is mapped through a per-document
  permutation of the instrument's articles (UNTOC 1-41, TIP 1-20, SOM 1-25, as
  ``loaders/data/citations.toml`` counts them), so citations move but stay valid.

All Arabic comes from the seeds and the loaders' data files; this file holds
none (only ``\\u`` escapes for punctuation). The same ``--seed`` gives
byte-identical files. ``counts.json`` records what was generated (documents,
units by kind, citations, meetings), counted from the seed trees and the edits
made, so a test can compare it with what the loaders read back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

from loaders import patterns, read_folder  # noqa: E402
from loaders.extract.citations import article_counts  # noqa: E402
from loaders.extract.lexicon import load as load_lexicon  # noqa: E402
from loaders.manifest import load_manifest  # noqa: E402
from loaders.model import Document, Meeting, Unit  # noqa: E402
from loaders.normalise import norm  # noqa: E402

COMMA = "\u060c"  # Arabic comma: the clause separator
AND = "\u0648"  # "and" between the two days of a meeting
TERMINATORS = ".:;!\u061b\u061f\u060c"
INDIC = str.maketrans("0123456789", "".join(chr(0x0660 + i) for i in range(10)))
ASCII = str.maketrans("".join(chr(0x0660 + i) for i in range(10)), "0123456789")
DIGITS = re.compile(r"[0-9\u0660-\u0669]+")
#: What may precede a unit's text on its line: nothing, or a list marker.
MARKER_ONLY = re.compile(
    r"^[\s\-*]*(?:[0-9\u0660-\u0669]{1,3}\s*-|\([^)]{1,3}\)|'[0-9\u0660-\u0669]{1,2}')?[\s*]*$"
)

#: Units whose text is recombined, and the kinds of their top-level unit.
RECOMBINED = ("recommendation", "operative", "preambular", "subparagraph", "point")
TOP_RECOMBINED = ("recommendation", "operative", "preambular")
#: Share of recombined units that also get a citation clause; of numbered units dropped.
CITE_RATE = 0.08
DROP_RATE = 0.1
MEETINGS_PER_COMPILATION = 8


@dataclass
class Piece:
    """A recombinable seed unit: its clauses and the index of the clause with its verb."""

    clauses: list[str]
    head: int


@dataclass
class CiteClause:
    """A seed clause citing a named instrument: its text and the citations in it."""

    text: str
    quotes: list[tuple[str, list]]  # (quote as printed, provisions it cites)

    @property
    def count(self) -> int:
        return sum(
            len({(p.instrument, p.article, p.paragraph, p.subparagraph) for p in provs})
            for _, provs in self.quotes
        )


@dataclass
class Seeds:
    """The seed corpus read once, and everything the copies draw from."""

    docs: list[Document]
    manifest: dict[str, dict]
    folder: Path
    pools: dict[tuple[str, str], list[Piece]] = field(default_factory=dict)
    cite_clauses: list[CiteClause] = field(default_factory=list)
    calendar: dict[int, Meeting] = field(default_factory=dict)
    headings: dict[int, str] = field(default_factory=dict)


# ---------------------------------------------------------------- reading the seeds


def family(doc: Document) -> str:
    """Working Group documents recommend; resolutions and decisions resolve."""
    return "wg" if doc.kind.startswith("wg-") else "res"


def line_bounds(source: str, start: int, end: int) -> tuple[int, int]:
    return source.rfind("\n", 0, start) + 1, (source.find("\n", end) % (len(source) + 1))


def whole_line(doc: Document, unit: Unit) -> bool:
    """The unit's single segment is the rest of its line after a list marker (if any)."""
    if len(unit.segments) != 1:
        return False
    seg = unit.segments[0]
    start, end = line_bounds(doc.source, seg.start, seg.end)
    end = end if end else len(doc.source)
    return (
        bool(MARKER_ONLY.match(doc.source[start : seg.start]))
        and not doc.source[seg.end : end].strip()
    )


def has_marker(text: str) -> bool:
    return bool(patterns.compiled("footnote_marker").search(text))


def recombinable(doc: Document, unit: Unit) -> bool:
    """Units whose text can be replaced without moving a citation, reference or footnote."""
    return (
        unit.kind in RECOMBINED
        and unit.top.kind in TOP_RECOMBINED
        and not unit.children
        and not unit.cites
        and not unit.references
        and not unit.links
        and whole_line(doc, unit)
        and not has_marker(unit.text)
        and not any(f in norm(unit.text) for f in reiterate_forms())
    )


def reiterate_forms() -> list[str]:
    return [norm(f) for f in load_lexicon("references")["reiterate"]["forms"]]


def clauses(text: str) -> list[str]:
    return [c.strip() for c in text.split(COMMA) if c.strip()]


def verb_clause(unit: Unit, parts: list[str]) -> int:
    """Index of the first clause through which the unit's verb evidence is read."""
    evidence = unit.verb_evidence
    if not evidence:
        return 0
    for i in range(len(parts)):
        if evidence in norm(COMMA.join(parts[: i + 1])):
            return i
    return 0


def cite_clauses(doc: Document, unit: Unit) -> list[CiteClause]:
    """Clauses of ``unit`` whose citations all name their instrument."""
    out = []
    for part in clauses(unit.text):
        inside = [c for c in unit.cites if c.quote in part]
        if (
            not inside
            or has_marker(part)
            or any(c.resolved_by not in article_counts() for c in inside)
        ):
            continue
        if any(c.quote in part for c in unit.cites if c not in inside):
            continue
        by_quote: dict[str, list] = {}
        for c in inside:
            by_quote.setdefault(c.quote, []).append(c.provision)
        out.append(CiteClause(part.rstrip(TERMINATORS).rstrip(), list(by_quote.items())))
    return out


def read_seeds(folder: Path) -> Seeds:
    docs, errors = read_folder(folder)
    if errors:
        raise SystemExit("the seeds do not read: " + "; ".join(e.message for e in errors))
    seeds = Seeds(docs, load_manifest(folder), folder)
    for doc in docs:
        for unit in doc.units():
            if recombinable(doc, unit):
                parts = clauses(unit.text)
                key = (family(doc), unit.kind)
                seeds.pools.setdefault(key, []).append(Piece(parts, verb_clause(unit, parts)))
            if unit.cites:
                seeds.cite_clauses += cite_clauses(doc, unit)
        for meeting in doc.meetings:
            if meeting.body == "WorkingGroup" and meeting.start:
                seeds.calendar.setdefault(meeting.number, meeting)
        if doc.kind == "wg-compilation":
            for unit in doc.units():
                if unit.kind == "meeting":
                    seeds.headings[int(unit.number)] = split_heading(unit.text)[1]
    return seeds


# ---------------------------------------------------------------- meetings and dates


def ordinals() -> list[str]:
    return patterns.vocab("meeting_ordinals")


def meeting_of(seeds: Seeds, number: int) -> Meeting:
    """Meeting ``number`` as the whole corpus has it: the seeds' when they hold it."""
    if number in seeds.calendar:
        return seeds.calendar[number]
    place = next(iter(seeds.calendar.values())).place
    start = dt.date(2009 + number, (number * 5) % 12 + 1, 3 + (number * 7) % 20)
    return Meeting("WorkingGroup", number, place, start, start + dt.timedelta(days=2))


def date_range(meeting: Meeting, indic: bool) -> str:
    """ "9 و 11 <month> 2019" in the loaders' month names (patterns.toml)."""
    lev, eg = patterns.vocab("months")[meeting.start.month - 1]
    days = f"{meeting.start.day} {AND} {meeting.end.day}"
    if meeting.start == meeting.end:
        days = str(meeting.start.day)
    text = f"{days} {lev}/{eg} {meeting.start.year}"
    return text.translate(INDIC) if indic else text


def split_heading(text: str) -> tuple[str, str]:
    """A chapter heading's ordinal prefix ("... -") and its title."""
    cut = text.index("-") + 1
    return text[:cut], text[cut:].strip()


def meeting_title(seeds: Seeds, number: int, word: str) -> str:
    """The title of a compilation's meeting chapter: the seeds' own where they print it."""
    if number in seeds.headings:
        return seeds.headings[number]
    m = meeting_of(seeds, number)
    return f"{word} {ordinals()[number - 1]}{COMMA} {m.place}{COMMA} {date_range(m, True)}"


# ---------------------------------------------------------------- one copy


@dataclass
class Copy:
    """The edits making copy ``k`` of one seed document, and what they produce."""

    seeds: Seeds
    doc: Document
    k: int
    rng: random.Random
    edits: list[tuple[int, int, str]] = field(default_factory=list)
    units: Counter = field(default_factory=Counter)
    citations: int = 0
    meetings: list[int] = field(default_factory=list)
    entry: dict = field(default_factory=dict)
    #: the GA session of a resolution copy (None: drawn at random)
    session: int | None = None

    def replace(self, start: int, end: int, text: str) -> None:
        self.edits.append((start, end, text))

    def text(self) -> str:
        out, at = [], 0
        for start, end, new in sorted(self.edits):
            if start < at:
                raise AssertionError(f"overlapping edits in {self.doc.file_name} at {start}")
            out += [self.doc.source[at:start], new]
            at = end
        out.append(self.doc.source[at:])
        return "".join(out)


def permutation(rng: random.Random) -> dict[str, dict[int, int]]:
    """Per instrument, old article -> new article (a bijection: distinct stay distinct)."""
    out = {}
    for key, count in sorted(article_counts().items()):
        new = list(range(1, count + 1))
        rng.shuffle(new)
        out[key] = dict(zip(range(1, count + 1), new, strict=True))
    return out


def renumber_quote(quote: str, provisions: list, perm: dict[str, dict[int, int]]) -> str:
    """The quote with each cited article number (its last occurrence) mapped."""
    tokens = list(DIGITS.finditer(quote))
    changes = {}
    counts = article_counts()
    keys: dict[int, set[str]] = {}
    for p in provisions:
        keys.setdefault(p.article, set()).add(p.instrument)
    for article, cited in sorted(keys.items()):
        # one number cited in several instruments ("هذين البروتوكولين"): map it through
        # the smallest instrument's permutation, so it exists in all of them
        key = min(sorted(cited), key=lambda k: counts[k])
        hits = [t for t in tokens if int(t.group().translate(ASCII)) == article]
        if hits and hits[-1].start() not in changes:
            new = str(perm[key][article])
            indic = hits[-1].group() != hits[-1].group().translate(ASCII)
            changes[hits[-1].start()] = (hits[-1].end(), new.translate(INDIC) if indic else new)
    out, at = [], 0
    for start in sorted(changes):
        end, new = changes[start]
        out += [quote[at:start], new]
        at = end
    return "".join(out) + quote[at:]


def recite(copy: Copy, perm) -> None:
    """Map the article numbers of every citation kept in place."""
    source = copy.doc.source
    for unit in copy.doc.units():
        quotes: dict[str, list] = {}
        for c in unit.cites:
            quotes.setdefault(c.quote, []).append(c.provision)
        for seg in unit.segments:
            for quote, provs in quotes.items():
                at = source.find(quote, seg.start, seg.end)
                while at >= 0:
                    copy.replace(at, at + len(quote), renumber_quote(quote, provs, perm))
                    at = source.find(quote, at + len(quote), seg.end)


def recombine(copy: Copy, unit: Unit, perm) -> str:
    """New text for ``unit``: a verb clause, another unit's object clauses, maybe a citation."""
    pool = copy.seeds.pools[(family(copy.doc), unit.kind)]
    a = copy.rng.choice(pool)
    tail: list[str] = []
    for _ in range(3):  # a donor with object clauses after its verb clause
        b = copy.rng.choice(pool)
        if b is not a and b.clauses[b.head + 1 :]:
            tail = b.clauses[b.head + 1 :]
            break
    parts = a.clauses[: a.head + 1] + tail
    parts = [p.rstrip(TERMINATORS).rstrip() for p in parts]
    if copy.seeds.cite_clauses and copy.rng.random() < CITE_RATE:
        clause = copy.rng.choice(copy.seeds.cite_clauses)
        text = clause.text
        for quote, provs in clause.quotes:
            text = text.replace(quote, renumber_quote(quote, provs, perm))
        parts.append(text)
        copy.citations += clause.count
    end = unit.text.rstrip()[-1:]
    return f"{COMMA} ".join(p for p in parts if p) + (end if end in TERMINATORS else "")


def droppable(doc: Document, unit: Unit) -> bool:
    """A numbered paragraph that can go with its subtree: whole lines, nothing cited."""
    subtree = list(unit.walk())
    return (
        unit.number.isdigit()
        and unit.kind in ("recommendation", "operative")
        and all(whole_line(doc, u) for u in subtree)
        and not any(u.cites or u.references or u.links or has_marker(u.text) for u in subtree)
    )


def drop_and_renumber(copy: Copy) -> set[int]:
    """Leave out about one numbered paragraph in ten; renumber the following siblings."""
    dropped: set[int] = set()
    doc = copy.doc
    parents = [doc.root] + [u for u in doc.units() if u.kind == "meeting"]
    for parent in parents:
        numbered = [u for u in parent.children if u.kind in ("recommendation", "operative")]
        gone = 0
        for unit in numbered:
            if gone < len(numbered) - 1 and droppable(doc, unit) and copy.rng.random() < DROP_RATE:
                first, last = unit.segments[0], list(unit.walk())[-1].segments[-1]
                start, _ = line_bounds(doc.source, first.start, first.end)
                end = doc.source.find("\n", last.end)
                copy.replace(start, end + 1 if end >= 0 else len(doc.source), "")
                dropped.update(id(u) for u in unit.walk())
                gone += 1
            elif gone and unit.number.isdigit():
                renumber(copy, unit, int(unit.number) - gone)
    return dropped


def renumber(copy: Copy, unit: Unit, number: int) -> None:
    seg = unit.segments[0]
    start, _ = line_bounds(copy.doc.source, seg.start, seg.end)
    marker = copy.doc.source[start : seg.start]
    found = DIGITS.search(marker)
    if found:
        old = found.group()
        new = str(number).translate(INDIC) if old != old.translate(ASCII) else str(number)
        copy.replace(start + found.start(), start + found.end(), new)


def retext(copy: Copy, dropped: set[int], perm) -> None:
    """Recombine the text of every recombinable unit that stays; count what stays."""
    for unit in copy.doc.units():
        if id(unit) in dropped:
            continue
        copy.units[unit.kind] += 1
        copy.citations += len(unit.cites)
        if recombinable(copy.doc, unit) and (family(copy.doc), unit.kind) in copy.seeds.pools:
            seg = unit.segments[0]
            copy.replace(seg.start, seg.end, recombine(copy, unit, perm))


# ---------------------------------------------------------------- headers, per kind


def header_lines(doc: Document):
    """(start, end, normalised text) of every line before the first unit."""
    first = min((u.segments[0].start for u in doc.units() if u.segments), default=len(doc.source))
    at = 0
    for raw in doc.source[:first].split("\n"):
        yield at, at + len(raw.rstrip("\r")), norm(raw.strip())
        at += len(raw) + 1


def redate(copy: Copy, date: dt.date) -> None:
    for start, end, text in header_lines(copy.doc):
        if patterns.match("english_date", text):
            copy.replace(start, end, f"{date.day} {date:%B} {date.year}")


def compilation(copy: Copy) -> dt.date:
    """New meeting numbers (ordered) for the meeting chapters; the date after the last."""
    chapters = [u for u in copy.doc.units() if u.kind == "meeting"]
    chosen = sorted(copy.rng.sample(range(1, len(ordinals()) + 1), len(chapters)))
    for unit, number in zip(chapters, chosen, strict=True):
        seg = unit.segments[0]
        prefix, title = split_heading(unit.text)
        new = meeting_title(copy.seeds, number, title.split()[0])
        copy.replace(seg.start, seg.end, f"{prefix} {new}")
        copy.meetings.append(number)
    last = meeting_of(copy.seeds, chosen[-1])
    date = last.end + dt.timedelta(days=60 + copy.k % 200)
    redate(copy, date)
    copy.entry.update(
        date=date.isoformat(),
        meetings=chosen,
        symbol=f"CTOC/COP/WG.4/{date.year}/{100 + copy.k}",
    )
    return date


def report(copy: Copy) -> None:
    """A new meeting number, its place and dates in the header, its ordinal in the text."""
    number = copy.rng.randint(1, len(ordinals()))
    meeting = meeting_of(copy.seeds, number)
    for start, end, text in header_lines(copy.doc):
        if patterns.match("place_dates", text):
            indic = bool(re.search(r"[\u0660-\u0669]", copy.doc.source[start:end]))
            copy.replace(start, end, f"{meeting.place}{COMMA} {date_range(meeting, indic)}")
    held = patterns.table()["vocab_extra"]["meeting_held"]
    for unit in copy.doc.units():
        if held_ordinal(copy, unit, held, number):
            break
    copy.meetings.append(number)
    redate(copy, meeting.start)
    copy.entry.update(date=meeting.start.isoformat(), meetings=[number])


def held_ordinal(copy: Copy, unit: Unit, held: list[str], number: int) -> bool:
    """Replace the ordinal after "عقد الاجتماع" in ``unit``'s first segment, if there."""
    from loaders.normalise import normalise

    seg = unit.segments[0] if unit.segments else None
    if seg is None:
        return False
    text = copy.doc.source[seg.start : seg.end]
    found = normalise(text, base=seg.start)
    for phrase in held:
        at = found.text.find(phrase)
        if at < 0:
            continue
        tail = at + len(phrase) + 1
        for word in sorted(ordinals(), key=len, reverse=True):
            if found.text.startswith(word, tail):
                start = found.source_offset(tail)
                end = found.source_offset(tail + len(word) - 1) + 1
                copy.replace(start, end, ordinals()[number - 1])
                return True
    return False


def ga_resolution(copy: Copy) -> None:
    """A new session, date and symbol; a subset of the sponsors, shuffled."""
    drawn = copy.rng.randint(55, 79)
    session = copy.session or drawn
    date = dt.date(1945 + session, 11, 1 + copy.k % 28)
    redate(copy, date)
    for start, end, text in header_lines(copy.doc):
        if patterns.match("sponsors", text):
            raw = copy.doc.source[start:end]
            cut = raw.rfind(":")
            names = [n.strip() for n in raw[:cut].split(COMMA) if n.strip()]
            keep = copy.rng.sample(names, copy.rng.randint(max(1, len(names) // 2), len(names)))
            copy.replace(start, start + cut, f"{COMMA} ".join(keep))
    copy.entry.update(
        date=date.isoformat(), session=session, symbol=f"A/C.3/{session}/L.{100 + copy.k}"
    )


def cop_sessions() -> dict[int, int]:
    """COP session -> year, from the loaders' calendar."""
    return {s: int(y) for y, s in load_lexicon("references")["calendar"]["cop"].items()}


def cop_document(copy: Copy) -> None:
    sessions = cop_sessions()
    session = copy.rng.choice(sorted(sessions))
    year = sessions[session]
    copy.entry.update(session=session)
    if copy.doc.kind == "cop-decision":
        date = dt.date(year, 10, 1 + copy.k % 28)
        copy.entry.update(decision=f"{session}/{100 + copy.k}", date=date.isoformat())
    else:
        copy.entry.update(year=year)


#: The GA session of :func:`add_latest`'s resolution: 2030, after every corpus date.
LATEST_SESSION = 85


def make_copy(
    seeds: Seeds, doc: Document, k: int, seed: int, session: int | None = None
) -> tuple[str, Copy]:
    """Text and manifest entry of copy ``k`` (>= 1) of seed document ``doc``."""
    base = seeds.manifest.get(doc.file_name, {})
    copy = Copy(seeds, doc, k, random.Random(f"{seed}:{k}:{doc.file_name}"), session=session)
    stem = doc.file_name.split(".")[0]
    copy.entry = {
        "file": f"{stem}.x{k:04d}.ar.txt",
        "id": f"{base.get('id', stem)}-x{k:04d}",
        "kind": doc.kind,
        "body": doc.body,
        "language": doc.language,
    }
    if doc.original_language:
        copy.entry["original_language"] = doc.original_language
    if base.get("title_en"):
        copy.entry["title_en"] = f"{base['title_en']} (synthetic copy {k})"
    {
        "wg-compilation": compilation,
        "wg-report": report,
        "ga-resolution": ga_resolution,
    }.get(doc.kind, cop_document)(copy)
    perm = permutation(copy.rng)
    dropped = drop_and_renumber(copy)
    retext(copy, dropped, perm)
    recite(copy, perm)
    return copy.text(), copy


# ---------------------------------------------------------------- the corpus


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def manifest_text(entries: list[dict], scale: int, seed: int) -> str:
    lines = [
        f"# Synthetic corpus: the seeds x{scale} (bench/corpus.py --scale {scale} --seed {seed}).",
        "# Copy 0 is the seeds; see bench/corpus.py for how the copies are made.",
        "",
    ]
    for entry in entries:
        lines.append("[[document]]")
        tables = {
            k: v for k, v in entry.items() if isinstance(v, list) and v and isinstance(v[0], dict)
        }
        lines += [f"{k} = {toml_value(v)}" for k, v in entry.items() if k not in tables]
        for name, rows in tables.items():
            for row in rows:
                lines += ["", f"  [[document.{name}]]"]
                lines += [f"  {k} = {toml_value(v)}" for k, v in row.items()]
        lines.append("")
    return "\n".join(lines)


def seed_counts(docs: list[Document]) -> tuple[Counter, int]:
    units: Counter = Counter()
    cites = 0
    for doc in docs:
        for unit in doc.units():
            units[unit.kind] += 1
            cites += len(unit.cites)
    return units, cites


def add_latest(folder: Path, k: int, seed: int = 1, seeds_dir: Path = ROOT / "seeds") -> str:
    """Add to the corpus in ``folder`` copy ``k`` of the seeds' General Assembly
    resolution, dated after every document of a generated corpus (the next year's
    resolution: what an analyst adds to a corpus most often). Returns its file name."""
    seeds = read_seeds(seeds_dir)
    doc = next(d for d in seeds.docs if d.kind == "ga-resolution")
    text, copy = make_copy(seeds, doc, k, seed, session=LATEST_SESSION)
    (folder / copy.entry["file"]).write_text(text, encoding="utf-8")
    entry = manifest_text([copy.entry], 0, seed).split("\n", 3)[3]
    with (folder / "manifest.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n" + entry)
    return copy.entry["file"]


def generate(scale: int, out: Path, seed: int = 1, seeds_dir: Path = ROOT / "seeds") -> dict:
    """Write the corpus into ``out`` (replaced if it exists); return its counts."""
    seeds = read_seeds(seeds_dir)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with (seeds_dir / "manifest.toml").open("rb") as fh:
        entries = list(tomllib.load(fh).get("document", []))
    units, citations = seed_counts(seeds.docs)
    meetings = {m.number for d in seeds.docs for m in d.meetings}
    for doc in seeds.docs:
        shutil.copyfile(doc.path, out / doc.file_name)
    for k in range(1, scale):
        for doc in seeds.docs:
            text, copy = make_copy(seeds, doc, k, seed)
            (out / copy.entry["file"]).write_text(text, encoding="utf-8")
            entries.append(copy.entry)
            units += copy.units
            citations += copy.citations
            meetings.update(copy.meetings)
    (out / "manifest.toml").write_text(manifest_text(entries, scale, seed), encoding="utf-8")
    counts = {
        "scale": scale,
        "seed": seed,
        "documents": len(entries),
        "units": dict(sorted(units.items())),
        "citations": citations,
        "meetings": sorted(meetings),
    }
    (out / "counts.json").write_text(json.dumps(counts, indent=1) + "\n", encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--scale", type=int, required=True, help="copies of each seed (1 = seeds)")
    args.add_argument("--out", type=Path, required=True, help="folder to write (replaced)")
    args.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    args.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="seed folder")
    opts = args.parse_args(argv)
    if opts.scale < 1:
        print("error: --scale must be 1 or more", file=sys.stderr)
        return 2
    started = time.perf_counter()
    counts = generate(opts.scale, opts.out, opts.seed, opts.seeds)
    print(
        f"wrote {counts['documents']} documents to {opts.out}: "
        f"{sum(counts['units'].values())} units, {counts['citations']} citations, "
        f"{len(counts['meetings'])} meeting numbers, {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
