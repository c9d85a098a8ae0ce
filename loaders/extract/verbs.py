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
from functools import cache

from loaders import patterns
from loaders.extract import actors
from loaders.extract.lexicon import Hit, Lexicon, load
from loaders.normalise import norm

NON_NORMATIVE = {"welcomes", "takes-note", "recalls", "recognizes", "reaffirms", "stresses"}
MODAL = {"must", "should", "may"}
#: How many words after a verb the addressee may be sought.
ADDRESSEE_WINDOW = 6
#: A verb at most this many characters into a subparagraph is its own.
OWN_VERB_WITHIN = 3


@cache
def verb_lexicons() -> tuple[Lexicon, Lexicon, dict[str, bool]]:
    """(anywhere forms, start-only forms, key -> is modal)."""
    anywhere, start_only, modal = [], [], {}
    for entry in load("verbs")["verb"]:
        target = start_only if entry.get("start_only") else anywhere
        target += [(form, entry["key"]) for form in entry["forms"]]
        modal[entry["key"]] = entry.get("modal", False)
    prefixes = load("verbs")["lexicon"]["prefixes"]
    return Lexicon(anywhere, prefixes=prefixes), Lexicon(start_only, prefixes=prefixes), modal


@cache
def addressee_words() -> dict[str, str]:
    """The ``[addressee]`` words of verbs.toml, normalised: ``modal_that``, ``inline_on``."""
    table = load("verbs")["addressee"]
    return {key: norm(table[key]) for key in ("modal_that", "inline_on")}


@cache
def fillers() -> frozenset[str]:
    """Words skipped between a verb and its addressee ("يطلب أيضا إلى", "تحث كذلك")."""
    return frozenset(norm(w) for w in load("verbs")["addressee"]["filler"])


@cache
def form_flags() -> dict[str, dict]:
    """Normalised form -> its entry's flags (``followed_by``, ``passive``)."""
    return {norm(f): e for e in load("verbs")["verb"] for f in e["forms"]}


def _allowed(hit: Hit, text: str) -> bool:
    need = form_flags()[hit.form].get("followed_by")
    return not need or text[hit.end :].lstrip().startswith(norm(need))


@cache
def action_lexicon() -> Lexicon:
    """Action forms -> category; feminine "ت" forms are also read with masculine "ي"."""
    entries = []
    for cat, forms in load("actions")["categories"].items():
        for form in forms:
            entries.append((form, cat))
            if form.startswith("\u062a"):
                entries.append(("\u064a" + form[1:], cat))
    return Lexicon(entries)


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
        stripped = rest.lstrip(" " + patterns.ARABIC_COMMA)
        word = stripped.split(" ", 1)[0] if stripped else ""
        if word in fillers():
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
    that = addressee_words()["modal_that"] + " "
    if rest.startswith(that):
        after_an = pos + (len(text[pos:]) - len(rest)) + len(that)
        word_end = text.find(" ", after_an)
        if word_end > 0:
            return actors.at(text, _skip_fillers(text, word_end), named)
    return None


def addressee_of(text: str, verb: Hit, named: set[str]) -> Hit | None:
    _, _, modal = verb_lexicons()
    if verb.value in NON_NORMATIVE:
        return None
    on = addressee_words()["inline_on"] + " "
    if verb.form.startswith(on):
        return actors.at(text, verb.start + len(on), named)
    if modal[verb.value]:
        return modal_addressee(text, verb, named)
    before = [h for h in actors.find(text[: verb.start], named) if verb.start - h.end <= 2]
    if form_flags()[verb.form].get("passive"):
        return before[-1] if before else None
    after = _actor_after(text, verb.end, named, ADDRESSEE_WINDOW)
    if after:
        return after
    return before[-1] if before else None


@cache
def ignored() -> re.Pattern[str]:
    phrases = sorted((norm(p) for p in load("actions")["ignore"]["phrases"]), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, phrases)))


def action_of(text: str, start: int, verb: str = "") -> int:
    """Category of the first action verb from ``start``; 1 for non-normative verbs."""
    if verb in NON_NORMATIVE:
        return 1
    text = ignored().sub(lambda m: " " * len(m.group(0)), text)
    hits = action_lexicon().find_all(text, start)
    return int(hits[0].value) if hits else 4


def is_list_chapeau(text: str) -> bool:
    return text.rstrip().endswith(":")


#: Unit kinds that carry a verb.
ACTIONABLE = {"recommendation", "operative", "preambular", "subparagraph", "point"}
#: ... when they belong to one of these.
TOP_ACTIONABLE = {"recommendation", "operative", "preambular"}
#: Verbs that ask for nothing new: minimal action (1) unless they state a need.
MINIMAL = NON_NORMATIVE | {"reminds"}


@cache
def grading(key: str) -> tuple[str, ...]:
    """A normalised word list of ``[grading]`` in actions.toml: ``need_words`` after a
    minimal verb ("تشدد على ضرورة إنشاء"), ``importance_words`` ("تكرر تأكيد أهمية"),
    ``list_actions`` that only introduce a list ("أن تقوم بما يلي:")."""
    return tuple(norm(w) for w in load("actions")["grading"][key])


@cache
def need_prefix() -> str:
    """The prefix a need word may carry ("بضرورة"), normalised."""
    return norm(load("actions")["grading"]["need_prefix"])


@cache
def list_mention() -> re.Pattern[str]:
    """Words by which a chapeau points at its list ("بما يلي:", "التالية المبينة أدناه:")."""
    words = [norm(w) for w in load("verbs")["list_mention"]["words"]]
    return re.compile("|".join(map(re.escape, words)))


def _actionable(unit) -> bool:
    return unit.kind in ACTIONABLE and unit.top.kind in TOP_ACTIONABLE


def _graded_action(text: str, verb: Hit, start: int) -> int:
    """Action of a unit whose verb is ``verb``; minimal verbs grade a stated need."""
    after = text[verb.end :].split()[:3]
    if verb.value in MINIMAL:
        prefix = need_prefix()
        if any(w.lstrip(prefix).startswith(n) for w in after for n in grading("need_words")):
            return action_of(text, verb.end)
        return 1
    if after and after[0].strip(patterns.ARABIC_COMMA) in grading("importance_words"):
        return 1
    return action_of(text, start)


def own_reading(unit, text: str, named: set[str]) -> None:
    """Pass 1: the unit's own verb, addressee and action, from its own text."""
    verb = leading_verb(text)
    unit.own_verb = verb
    if verb is None:
        unit.verb, unit.addressee, unit.verb_evidence = "", "", ""
        unit.action = action_of(text, content_start(text))
        return
    who = addressee_of(text, verb, named)
    action_from = verb.end
    if who is not None and who.start == _skip_fillers(text, verb.end):
        action_from = who.end
    unit.verb, unit.addressee = verb.value, who.value if who else ""
    unit.action = _graded_action(text, verb, action_from)
    unit.verb_evidence = text[verb.start : max(verb.end, who.end if who else 0)]


def _list_clause(parent, named: set[str]) -> tuple[str, str]:
    """Verb and addressee of the chapeau clause that introduces its list.

    When the chapeau mentions the list more than once ("... أن تنجز الإجراءات التالية
    المبينة أدناه، ويطلب إلى المكتب ... المبينة أدناه:"), the introducing clause is the
    first normative verb after the last earlier mention.
    """
    text = norm(parent.text)
    mentions = [m.end() for m in list_mention().finditer(text)][:-1]
    start = mentions[-1] if mentions else 0
    anywhere, _, _ = verb_lexicons()
    hits = [
        h for h in anywhere.find_all(text, start) if _allowed(h, text) and h.value not in MINIMAL
    ]
    if not start or not hits:
        return parent.verb, parent.addressee
    who = addressee_of(text, hits[0], named)
    return hits[0].value, who.value if who else ""


def _has_own_verb(unit, text: str) -> bool:
    """A subparagraph's verb is its own when it names who acts, or opens the item with a
    minimal verb; a bare impersonal modal inside an item ("يجوز إثبات") is its content."""
    verb = unit.own_verb
    if verb is None:
        return False
    if unit.addressee:
        return True
    return verb.value in MINIMAL and verb.start <= content_start(text) + OWN_VERB_WITHIN


def _leading_actor(text: str, named: set[str]) -> str:
    """An item opening "<verb> <actor>" ("يقدم المؤتمر الإرشادات") names its own actor."""
    words = text.split(" ", 2)
    if len(words) < 2:
        return ""
    hit = actors.at(text, len(words[0]) + 1, named)
    return hit.value if hit else ""


def annotate(doc) -> None:
    """Set verb, action, addressee and actor mentions on every actionable unit of ``doc``."""
    named: set[str] = set()
    texts: dict[int, str] = {}
    seen: dict[int, set[str]] = {}
    for unit in doc.units():
        text = texts[id(unit)] = norm(unit.text)
        hits = actors.find(text, named)
        unit.mentions = sorted({h.value for h in hits})
        seen[id(unit)] = set(named)
        if _actionable(unit):
            own_reading(unit, text, named)
        named.update(h.value for h in hits)
    units = [u for u in doc.units() if _actionable(u)]
    for unit in units:  # pass 2, top-down: chapeaux without a verb, items inheriting
        _chapeau_from_items(unit)
        if unit.kind in ("subparagraph", "point") and unit.parent is not None:
            _inherit(unit, texts[id(unit)], seen[id(unit)])
        if unit.kind == "preambular":
            unit.action = None  # action categories grade what operative text asks for
    for unit in reversed(units):  # pass 3, bottom-up: list chapeaux graded by their items
        _grade_list_chapeau(unit, texts[id(unit)])


def _chapeau_from_items(unit) -> None:
    if unit.verb or not unit.children or not is_list_chapeau(norm(unit.text)):
        return
    for child in unit.children:
        if child.verb:
            unit.verb = child.verb
            return


def _inherit(unit, text: str, named: set[str]) -> None:
    parent = unit.parent
    if not parent.verb or _has_own_verb(unit, text):
        return
    unit.verb, unit.addressee = _list_clause(parent, named)
    unit.addressee = _leading_actor(text, named) or unit.addressee
    unit.verb_evidence = parent.verb_evidence
    if unit.verb in MINIMAL:
        unit.action = 1
    elif not _opens_with_action(text) and parent.action is not None:
        unit.action = parent.action  # an object of the chapeau's verb ("ما يلي:")
    else:
        unit.action = action_of(text, 0)


def _opens_with_action(text: str) -> bool:
    first = action_lexicon().find_all(text)
    return bool(first) and first[0].start <= content_start(text) + OWN_VERB_WITHIN


def _grade_list_chapeau(unit, text: str) -> None:
    kids = [c.action for c in unit.children if c.action is not None]
    if not kids or not is_list_chapeau(text):
        return
    own = action_lexicon().find_all(text, unit.own_verb.end if unit.own_verb else 0)
    if not own or own[0].form in grading("list_actions") or not unit.own_verb:
        unit.action = max(kids)
