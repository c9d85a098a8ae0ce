"""Who is asked to do what, how strongly: verb, action category and addressee of a unit.

The verb is that of the unit's leading clause, from the lexicon in
``loaders/data/verbs.toml`` (damaged spellings included). A modal ("ينبغي")
takes its addressee from "ينبغي للدول الأطراف" or "ينبغي أن تكثف الأمانة", and
none when impersonal ("ينبغي التشجيع على"); other normative verbs take the
actor that follows them ("تحث الحكومات", "يهيب بالدول الأطراف"), or, for a
passive, the one just before ("الدول الأطراف مُشجّعة"). The action category is
that of the first action verb after the verb (``actions.toml``): "أن تنظر في" is
3 whatever follows. Non-normative verbs (welcomes, recalls …) are action 1 with
no addressee. A lettered subparagraph without its own verb inherits its
chapeau's verb and addressee and takes its own action; a chapeau that only
introduces a list ("بما يلي:") takes the highest action of its items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from loaders.extract import actors
from loaders.extract.lexicon import Hit, Lexicon, load
from loaders.normalise import norm

NON_NORMATIVE = {"welcomes", "takes-note", "recalls", "recognizes", "reaffirms", "stresses"}
MODAL = {"must", "should", "may"}
#: Words skipped between a verb and its addressee ("يطلب أيضا إلى", "تحث كذلك").
FILLER = {"ايضا", "كذلك", "بشده", "الي", "علي", "ب", "ان", "انه", "مع", "التقدير"}
#: How many words after a verb the addressee may be sought.
ADDRESSEE_WINDOW = 6
#: A verb at most this many characters into a subparagraph is its own.
OWN_VERB_WITHIN = 3


@dataclass
class Deontic:
    """Verb key, action category (1-5) and addressee code of one unit."""

    verb: str = ""
    action: int | None = None
    addressee: str = ""
    evidence: str = ""
    inherited: bool = False


@cache
def verb_lexicons() -> tuple[Lexicon, Lexicon, dict[str, bool]]:
    """(anywhere forms, start-only forms, key -> is modal)."""
    anywhere, start_only, modal = [], [], {}
    for entry in load("verbs")["verb"]:
        target = start_only if entry.get("start_only") else anywhere
        target += [(form, entry["key"]) for form in entry["forms"]]
        modal[entry["key"]] = entry.get("modal", False)
    return Lexicon(anywhere, prefixes="و"), Lexicon(start_only, prefixes="و"), modal


@cache
def form_flags() -> dict[str, dict]:
    """Normalised form -> its entry's flags (``followed_by``, ``passive``)."""
    return {norm(f): e for e in load("verbs")["verb"] for f in e["forms"]}


def _allowed(hit: Hit, text: str) -> bool:
    need = form_flags()[hit.form].get("followed_by")
    return not need or text[hit.end :].lstrip().startswith(norm(need))


@cache
def action_lexicon() -> Lexicon:
    cats = load("actions")["categories"]
    return Lexicon([(form, cat) for cat, forms in cats.items() for form in forms])


@cache
def openers() -> re.Pattern[str]:
    forms = sorted((norm(f) for f in load("verbs")["opener"]["forms"]), key=len, reverse=True)
    return re.compile(r"^\s*(?:" + "|".join(map(re.escape, forms)) + r")\s+")


def content_start(text: str) -> int:
    """Where the unit's clause starts, after a preambular opener ("وإذ", damaged "وإن")."""
    found = openers().match(text)
    return found.end() if found else len(text) - len(text.lstrip())


def leading_verb(text: str) -> Hit | None:
    """The verb of the leading clause of normalised ``text``."""
    anywhere, start_only, _ = verb_lexicons()
    start = content_start(text)
    first = start_only.match_at(text, start)
    hits = [h for h in anywhere.find_all(text) if _allowed(h, text)]
    if first and (not hits or hits[0].start >= first.start):
        return first
    return hits[0] if hits else None


def _skip_fillers(text: str, pos: int) -> int:
    while True:
        rest = text[pos:]
        stripped = rest.lstrip(" ،")
        word = stripped.split(" ", 1)[0] if stripped else ""
        if word in FILLER:
            pos += len(rest) - len(stripped) + len(word)
            continue
        return pos + len(rest) - len(stripped)


def _actor_after(text: str, pos: int, named: set[str], words: int) -> Hit | None:
    """First actor whose name starts within ``words`` words after ``pos``."""
    limit = pos
    for _ in range(words):
        nxt = text.find(" ", limit + 1)
        limit = len(text) if nxt < 0 else nxt
    for hit in actors.find(text, named):
        if pos <= hit.start <= limit:
            return hit
    return None


def modal_addressee(text: str, verb: Hit, named: set[str]) -> Hit | None:
    """ "ينبغي للدول", "ينبغي أن تكثف الأمانة", "ينبغي أن يطلب إلى المكتب"; else impersonal."""
    pos = verb.end
    hit = actors.at(text, _skip_fillers(text, pos), named)
    if hit:
        return hit
    rest = text[pos:].lstrip()
    if rest.startswith("ان "):
        after_an = pos + (len(text[pos:]) - len(rest)) + 3
        word_end = text.find(" ", after_an)
        if word_end > 0:
            return actors.at(text, _skip_fillers(text, word_end), named)
    return None


def addressee_of(text: str, verb: Hit, named: set[str]) -> Hit | None:
    _, _, modal = verb_lexicons()
    if verb.value in NON_NORMATIVE:
        return None
    if verb.form.startswith("علي "):
        return actors.at(text, verb.start + 4, named)
    if modal[verb.value]:
        return modal_addressee(text, verb, named)
    before = [h for h in actors.find(text[: verb.start], named) if verb.start - h.end <= 2]
    if form_flags()[verb.form].get("passive"):
        return before[-1] if before else None
    after = _actor_after(text, verb.end, named, ADDRESSEE_WINDOW)
    if after:
        return after
    return before[-1] if before else None


def action_of(text: str, start: int, verb: str = "") -> int:
    """Category of the first action verb from ``start``; 1 for non-normative verbs."""
    if verb in NON_NORMATIVE:
        return 1
    hits = action_lexicon().find_all(text, start)
    return int(hits[0].value) if hits else 4


def read_unit(text: str, named: set[str]) -> tuple[Deontic, Hit | None]:
    """Verb, addressee and action of one unit's own text (normalised)."""
    verb = leading_verb(text)
    if verb is None:
        return Deontic(action=action_of(text, content_start(text))), None
    who = addressee_of(text, verb, named)
    action_from = verb.end
    if who is not None and who.start == _skip_fillers(text, verb.end):
        action_from = who.end
    deontic = Deontic(
        verb=verb.value,
        action=action_of(text, action_from, verb.value),
        addressee=who.value if who else "",
        evidence=text[verb.start : (who.end if who and who.end > verb.end else verb.end)],
    )
    return deontic, verb


def is_list_chapeau(text: str) -> bool:
    return text.rstrip().endswith(":")


#: Unit kinds that carry a verb.
ACTIONABLE = {"recommendation", "operative", "preambular", "subparagraph", "point"}


def _actionable(unit) -> bool:
    if unit.kind not in ACTIONABLE:
        return False
    top = unit
    while top.kind in ("subparagraph", "point") and top.parent is not None:
        top = top.parent
    return top.kind in ("recommendation", "operative", "preambular")


def annotate(doc) -> None:
    """Set verb, action, addressee and actor mentions on every actionable unit of ``doc``."""
    named: set[str] = set()
    for unit in doc.units():
        text = norm(unit.text)
        hits = actors.find(text, named)
        unit.mentions = sorted({h.value for h in hits})
        if _actionable(unit):
            _annotate_unit(unit, text, named)
        named.update(h.value for h in hits)
    for unit in reversed(doc.units()):
        kids = [c.action for c in unit.children if c.action is not None and c.kind != "note"]
        if kids and is_list_chapeau(norm(unit.text)) and _actionable(unit):
            unit.action = max(kids)


def _annotate_unit(unit, text: str, named: set[str]) -> None:
    own, verb = read_unit(text, named)
    parent = unit.parent
    inherits = unit.kind in ("subparagraph", "point") and parent is not None and parent.verb
    if inherits and (verb is None or verb.start > content_start(text) + OWN_VERB_WITHIN):
        unit.verb, unit.addressee = parent.verb, parent.addressee
        unit.action = 1 if parent.verb in NON_NORMATIVE else action_of(text, 0)
        unit.verb_evidence = parent.verb_evidence
        return
    unit.verb, unit.action, unit.addressee = own.verb, own.action, own.addressee
    unit.verb_evidence = own.evidence
    if unit.kind == "preambular":
        unit.action = None  # action categories grade what operative text asks for
