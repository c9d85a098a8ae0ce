"""Reading SPARQL text without parsing it: where a query's outer WHERE group opens,
and the rewrites graph.query asks for on Oxigraph (``#+ plan:``): trailing OPTIONALs
evaluated per solution, a final ORDER BY split off to be done on the rows found, and
a summary read query's column patterns read as whole columns.

The readers skip comments, strings and IRIs, so no value or comment can move them; the
column rewrite changes only lines of one exact shape, which the summary's read
queries are written in. They read the saved queries of this project; for text they
cannot read with certainty they answer None and the query runs as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: What the scanner skips: comments, strings (long first), IRIs.
_SKIP = re.compile(
    r"""\#[^\n]*|'{3}(?:[^\\]|\\.)*?'{3}|"{3}(?:[^\\]|\\.)*?"{3}"""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>""",
    re.DOTALL,
)
_TOKEN = re.compile(r"[{}]|\bWHERE\b|\b(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def _tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """(word in capitals, start, depth) of each brace and query keyword (SELECT, ASK,
    CONSTRUCT, DESCRIBE, WHERE), comments, strings and IRIs skipped; ``depth`` is
    the braces open before it."""
    depth, pos = 0, 0
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
        if word == "}":
            depth -= 1
        yield word, token.start(), depth
        if word == "{":
            depth += 1
        pos = token.end()


def outer_where(text: str) -> int | None:
    """Index of the ``{`` opening the outer WHERE group of a SELECT or ASK query, or
    None when it cannot be told for certain (comments, strings and IRIs skipped)."""
    form, after_where = "", False
    for word, start, depth in _tokens(text):
        if depth:
            continue
        if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            form = form or word
        elif word == "WHERE":
            after_where = True
        elif word == "{":
            if form in ("SELECT", "ASK") and (after_where or form == "ASK"):
                return start
            if form == "SELECT" and not after_where:
                return start  # SELECT ... { } with WHERE left out
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


#: The last element of a query, when it is an ORDER BY over plain variables only:
#: ``?x``, ``ASC(?x)``, ``DESC(?x)``. (Nothing may follow it: no LIMIT, no OFFSET.)
_ORDER_KEY = r"(?:\?\w+|(?:ASC|DESC)\s*\(\s*\?\w+\s*\))"
_TRAILING_ORDER = re.compile(rf"\bORDER\s+BY((?:\s+{_ORDER_KEY})+)\s*$", re.IGNORECASE)
_ONE_KEY = re.compile(r"(?:(ASC|DESC)\s*\(\s*)?\?(\w+)", re.IGNORECASE)


def trailing_order(text: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """(the query without its final ORDER BY, [(variable, descending)] of each key),
    or None when the query does not end in an ORDER BY over plain variables (an
    expression, a LIMIT after it, a comment or string that holds the words).

    >>> trailing_order("SELECT ?a ?b WHERE { ?a ?p ?b }\\nORDER BY ?a DESC(?b)")
    ('SELECT ?a ?b WHERE { ?a ?p ?b }\\n', [('a', False), ('b', True)])
    >>> trailing_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY STR(?a)") is None
    True
    """
    found = _TRAILING_ORDER.search(text)
    at = None if found is None else outer_where(text)
    stop = None if at is None else closing(text, at)
    # after the outer group, with no comment before it that could hold the words
    if stop is None or found.start() < stop or "#" in text[stop : found.start()]:
        return None
    keys = [(name, (way or "").upper() == "DESC") for way, name in _ONE_KEY.findall(found.group(1))]
    return text[: found.start()], keys


#: An outer projection of plain variables: ``SELECT [DISTINCT|REDUCED] ?a ?b``.
_PROJECTION = re.compile(
    r"SELECT(\s+(?:DISTINCT|REDUCED))?((?:\s+\?\w+)+)(?=\s*(?:WHERE\b|\{))", re.IGNORECASE
)
_GROUPED = re.compile(r"\b(?:GROUP\s+BY|HAVING)\b", re.IGNORECASE)


def _outer_select(text: str) -> int | None:
    """Index of the outer SELECT keyword, if the query is a SELECT."""
    first = next(_tokens(text), None)
    return first[1] if first is not None and first[0] == "SELECT" else None


def projection(text: str) -> tuple[int, int, list[str]] | None:
    """(start, end, names) of the outer SELECT's variables when it selects plain
    variables only, else None.

    >>> projection("SELECT DISTINCT ?a ?b WHERE { ?a ?p ?b }")
    (15, 21, ['a', 'b'])
    """
    found = _projection_match(text)
    if found is None:
        return None
    return found.start(2), found.end(2), [name[1:] for name in found.group(2).split()]


def _projection_match(text: str) -> re.Match | None:
    """The outer SELECT matched by :data:`_PROJECTION` (plain variables only)."""
    at = _outer_select(text)
    return None if at is None else _PROJECTION.match(text, at)


def selecting(text: str, names: list[str]) -> tuple[str, list[str], bool] | None:
    """(the query also selecting those of ``names`` it does not, the names so added,
    whether it is DISTINCT), or None when its outer SELECT is not plain variables or
    it groups (a key there is a group's, not a row's).

    Why: the ``sort`` plan sorts the rows found by the ORDER BY keys, which it must
    read; selecting a key costs one column, where Oxigraph's own sort reads each
    term's text at every comparison (one theme's 14,104 units at 1000x the seeds:
    0.3 s). SPARQL orders before it projects and removes duplicates, so the rows are
    the same once the added columns are dropped and, for DISTINCT, the first of
    each duplicate kept.

    >>> selecting("SELECT DISTINCT ?a WHERE { ?a ?p ?n }", ["n", "a"])
    ('SELECT DISTINCT ?a ?n WHERE { ?a ?p ?n }', ['n'], True)
    >>> selecting("SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?p ?b } GROUP BY ?a", ["a"]) is None
    True
    """
    found = _projection_match(text)
    where = None if found is None else outer_where(text)
    stop = None if where is None else closing(text, where)
    if stop is None or _GROUPED.search(text, stop):
        return None
    chosen = found.group(2).split()
    added = [name for name in dict.fromkeys(names) if f"?{name}" not in chosen]
    widened = text[: found.end()] + "".join(f" ?{name}" for name in added) + text[found.end() :]
    return widened, added, found.group(1) is not None and "DISTINCT" in found.group(1).upper()


#: A line holding one column pattern of a summary read query (queries/summary):
#: ``?obs sum:COLUMN ?value .``, or the same inside ``OPTIONAL { }``.
_COLUMN_LINE = re.compile(r"^([ \t]*)\?obs (sum:[\w-]+) \?(\w+) \.[ \t]*$", re.MULTILINE)
_OPTIONAL_COLUMN_LINE = re.compile(
    r"^([ \t]*)OPTIONAL \{ \?obs (sum:[\w-]+) \?(\w+) \}[ \t]*$", re.MULTILINE
)


def column_subqueries(text: str) -> str:
    """The query with each column pattern on a line of its own read as a whole column:
    ``{ SELECT ?obs ?value WHERE { ?obs sum:COLUMN ?value } }``.

    Why: over every observation, Oxigraph 0.5 evaluates the patterns of one subject
    one lookup at a time (about 50 microseconds each on a disk store: 16 s for the
    94,000 observations of addressee-asks at 1000x the seeds); subqueries make it
    read each column once and join them by hashing. With a parameter bound the
    patterns as written are faster (one theme's rows of themes-over-time: 0.2 s
    against 0.9 s), so graph.query rewrites only when nothing is bound.

    >>> print(column_subqueries("{\\n  ?obs sum:units ?n .\\n  OPTIONAL { ?obs sum:year ?y }\\n}"))
    {
      { SELECT ?obs ?n WHERE { ?obs sum:units ?n } }
      OPTIONAL { SELECT ?obs ?y WHERE { ?obs sum:year ?y } }
    }
    """
    text = _COLUMN_LINE.sub(r"\1{ SELECT ?obs ?\3 WHERE { ?obs \2 ?\3 } }", text)
    return _OPTIONAL_COLUMN_LINE.sub(r"\1OPTIONAL { SELECT ?obs ?\3 WHERE { ?obs \2 ?\3 } }", text)
