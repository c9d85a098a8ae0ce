"""Reading SPARQL text without parsing it: where a query's outer WHERE group opens,
and a rewrite of its trailing OPTIONALs for Oxigraph.

Both skip comments, strings and IRIs, so no value or comment can move them. They read
the saved queries of this project; for text they cannot read with certainty they
answer None and the query runs as written.
"""

from __future__ import annotations

import re

#: What the scanner skips: comments, strings (long first), IRIs.
_SKIP = re.compile(
    r"""\#[^\n]*|'{3}(?:[^\\]|\\.)*?'{3}|"{3}(?:[^\\]|\\.)*?"{3}"""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>""",
    re.DOTALL,
)
_TOKEN = re.compile(r"[{}]|\bWHERE\b|\b(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def outer_where(text: str) -> int | None:
    """Index of the ``{`` opening the outer WHERE group of a SELECT or ASK query, or
    None when it cannot be told for certain (comments, strings and IRIs skipped)."""
    depth, form, after_where, pos = 0, "", False, 0
    while pos < len(text):
        skip = _SKIP.match(text, pos)
        if skip:
            pos = skip.end()
            continue
        token = _TOKEN.match(text, pos)
        if not token:
            pos += 1
            continue
        word = token.group(0).upper()
        pos = token.end()
        if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and depth == 0:
            form = form or word
        elif word == "WHERE" and depth == 0:
            after_where = True
        elif word == "{":
            if depth == 0 and form in ("SELECT", "ASK") and (after_where or form == "ASK"):
                return token.start()
            if depth == 0 and form == "SELECT" and not after_where:
                return token.start()  # SELECT ... { } with WHERE left out
            depth += 1
        elif word == "}":
            depth -= 1
    return None


_OPEN = {"(": ")", "[": "]", "{": "}"}
_KEYWORD = re.compile(
    r"(?<![\w?$:])(OPTIONAL|FILTER|BIND|MINUS|VALUES|GRAPH|SERVICE|UNION|LATERAL)\b",
    re.IGNORECASE,
)


def closing(text: str, pos: int) -> int | None:
    """Index after the bracket that closes the one at ``pos``, or None."""
    stack = []
    while pos < len(text):
        skip = _SKIP.match(text, pos)
        if skip:
            pos = skip.end()
            continue
        ch = text[pos]
        if ch in _OPEN:
            stack.append(_OPEN[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
            if not stack:
                return pos + 1
        pos += 1
    return None


def _element_end(text: str, keyword: str, pos: int) -> int | None:
    """Where the element that ``keyword`` (ending at ``pos``) opens ends: its group,
    or for FILTER and BIND its bracketed expression or call."""
    if keyword in ("FILTER", "BIND"):
        found = re.compile(r"\s*(?:(\()|(?:NOT\s+)?EXISTS\s*(\{)|[\w:]+\s*(\())", re.I)
        call = found.match(text, pos)
        return None if call is None else closing(text, call.start(call.lastindex))
    brace = text.find("{", pos)
    return None if brace < 0 else closing(text, brace)


def top_elements(text: str, start: int, end: int) -> list[tuple[str, int, int]] | None:
    """(keyword, start, end) of each keyword element directly in the group body
    ``text[start:end]``, and ("", start, end) for each stretch of anything else
    (triples, nested groups); None if the body cannot be read."""
    out: list[tuple[str, int, int]] = []
    pos, other = start, None
    while pos < end:
        skip = _SKIP.match(text, pos)
        keyword = None if skip else _KEYWORD.match(text, pos)
        if keyword:
            stop = _element_end(text, keyword.group(1).upper(), keyword.end())
            if stop is None or stop > end:
                return None
            if other is not None:
                out.append(("", other, pos))
                other = None
            out.append((keyword.group(1).upper(), pos, stop))
            pos = stop
            continue
        if not (skip or text[pos].isspace()) and other is None:
            other = pos
        if skip:
            pos = skip.end()
        elif text[pos] in _OPEN:
            stop = closing(text, pos)
            if stop is None:
                return None
            pos = stop
        else:
            pos += 1
    if other is not None:
        out.append(("", other, end))
    return out


def lateral_optionals(text: str) -> str | None:
    """The query with each OPTIONAL that ends its outer WHERE group evaluated once
    per solution of what comes before (``{ A } LATERAL { OPTIONAL { B } }``), or
    None when its shape is not that: optionals, BINDs and FILTERs after the patterns.

    Why: Oxigraph 0.5 evaluates such an OPTIONAL by a hash join over the whole
    graph, however few solutions come before it. Tracing one provision on the 1000x
    store took 3.4 s so and 0.09 s per solution. It is the same result when each
    optional shares with what comes before only variables bound there (so the
    saved queries that ask for it, ``#+ plan: lateral``); the FILTERs, which apply to
    the whole group wherever they stand, are moved after the optionals. LATERAL is
    SPARQL 1.2 work (SEP-0006) that rdflib and most endpoints do not read, so only
    Oxigraph stores get this text.
    """
    at = outer_where(text)
    stop = None if at is None else closing(text, at)
    parts = None if stop is None else top_elements(text, at + 1, stop - 1)
    if not parts:
        return None
    kinds = [kind for kind, _, _ in parts]
    if "OPTIONAL" not in kinds:
        return None
    first = kinds.index("OPTIONAL")
    if not set(kinds[first:]) <= {"OPTIONAL", "BIND", "FILTER"}:
        return None
    head = [text[a:b].strip() for kind, a, b in parts[:first] if kind != "FILTER"]
    tail = [
        f"LATERAL {{ {text[a:b]} }}" if kind == "OPTIONAL" else text[a:b]
        for kind, a, b in parts[first:]
        if kind != "FILTER"
    ]
    filters = [text[a:b] for kind, a, b in parts if kind == "FILTER"]
    # the group closes on a line of its own: the head may end in a comment
    body = "\n  ".join(["{ " + "\n    ".join(head) + "\n  }", *tail, *filters])
    return f"{text[: at + 1]}\n  {body}\n{text[stop - 1 :]}"
