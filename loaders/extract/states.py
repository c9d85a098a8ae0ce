"""States named in attendance lists and sponsor lists, resolved to ISO 3166-1 alpha-3.

The table ``loaders/data/states.tsv`` holds the UN Arabic short name of every
Member and observer State with its variants (damaged spellings included);
names are matched exactly after normalisation. Names that are not States
(the European Union, organisations) are resolved as actors where the actor
lexicon knows them, and otherwise kept as printed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from loaders.extract import actors
from loaders.extract.lexicon import DATA
from loaders.normalise import norm


@dataclass(frozen=True)
class State:
    iso3: str
    name_en: str
    name_ar: str
    wikidata: str


@cache
def table() -> dict[str, State]:
    """Normalised Arabic name or variant -> State."""
    with (DATA / "states.tsv").open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    out: dict[str, State] = {}
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        state = State(row["iso3"], row["name_en"], row["name_ar"], row["wikidata"])
        for name in [row["name_ar"], *filter(None, row["variants_ar"].split("|"))]:
            out[_key(name)] = state
    return out


def _key(name: str) -> str:
    return " ".join(norm(name).replace("(", " ( ").replace(")", " ) ").split())


def resolve(name: str) -> State | None:
    """The State an Arabic name denotes, or None."""
    return table().get(_key(name))


def resolve_actor(name: str) -> str:
    """Actor code of a non-State name that names one actor from its start ("المنظمة الدولية
    للشرطة الجنائية (الإنتربول)" names INTERPOL twice), or ``""``."""
    text = norm(name)
    hits = actors.find(text)
    codes = {h.value for h in hits}
    return hits[0].value if len(codes) == 1 and hits[0].start == 0 else ""
