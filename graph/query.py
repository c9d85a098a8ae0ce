"""Saved SPARQL queries: find them, read their headers, run them with bound values.

A saved query is a ``.rq`` file in ``queries/`` whose header lines start with
``#+`` (grlc's convention): ``summary``, ``params``, ``example``, ``columns``.
Parameters are bound as values (``initBindings``), never pasted into the query
text, so no value can change a query's structure.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph
from rdflib import Literal
from rdflib.query import Result
from rdflib.term import Node, Variable

from graph import background
from graph.sparql_text import (
    column_subqueries,
    lateral_optionals,
    outer_where,
    selecting,
    trailing_order,
)

QUERIES = Path(__file__).resolve().parents[1] / "queries"
FORMATS = ("table", "csv", "tsv", "json")


@dataclass(frozen=True)
class Endpoint:
    """A remote SPARQL 1.1 query endpoint, optionally over one named graph."""

    url: str
    graph: str | None = None


#: What a saved query answers (``#+ kind:``), which says what to expect of its speed
#: on a large corpus (bench/store_queries.py holds each kind to its goal).
KINDS = {
    "lookup": "about one thing its parameter names (a provision, a theme); rows grow "
    "with what is said about it",
    "aggregate": "counts or checks over the whole corpus in rows that do not grow with it "
    "(a store built with --store answers the GROUP BY ones from its summary)",
    "listing": "a row for each unit, citation, link or reference of the corpus, or of the "
    "document its parameter names",
}


class QueryError(Exception):
    """A query that cannot be found, read or run; the message says what to do."""


@dataclass(frozen=True)
class Param:
    name: str
    default: str
    doc: str


@dataclass
class SavedQuery:
    name: str
    path: Path
    text: str
    header: dict[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return self.header.get("summary", "")

    @property
    def kind(self) -> str:
        """What the query answers, one of :data:`KINDS` ('' if the header names none)."""
        return self.header.get("kind", "")

    @property
    def params(self) -> list[Param]:
        """Parameters declared as ``name = default - description; ...``."""
        out = []
        for part in filter(None, (p.strip() for p in self.header.get("params", "").split(";"))):
            found = re.match(r"(\w+)\s*=\s*(.*?)(?:\s+-\s+(.*))?$", part)
            if found:
                default = found.group(2)
                out.append(
                    Param(
                        found.group(1), "" if default == "(all)" else default, found.group(3) or ""
                    )
                )
        return out


def read_header(text: str) -> dict[str, str]:
    header: dict[str, str] = {}
    for line in text.splitlines():
        found = re.match(r"#\+\s*(\w+)\s*:\s*(.*)", line)
        if found:
            header[found.group(1)] = found.group(2).strip()
    return header


def saved_queries(folder: Path = QUERIES) -> list[SavedQuery]:
    """Every saved query in ``folder`` (not the checks), sorted by name."""
    return [load(p.stem, folder) for p in sorted(folder.glob("*.rq"))]


def load(name_or_file: str, folder: Path = QUERIES) -> SavedQuery:
    """A saved query by name (``recommendations``) or by path to a ``.rq`` file."""
    path = Path(name_or_file)
    if not (path.suffix == ".rq" and path.exists()):
        path = folder / f"{name_or_file}.rq"
    if not path.exists():
        known = ", ".join(p.stem for p in sorted(folder.glob("*.rq")))
        raise QueryError(
            f"no saved query named {name_or_file!r}. Known queries: {known}. "
            "Or give the path of a .rq file."
        )
    text = path.read_text(encoding="utf-8")
    return SavedQuery(path.stem, path, text, read_header(text))


def bindings(query: SavedQuery, values: dict[str, str]) -> dict[Variable, Node]:
    """Values for the query's declared parameters, as RDF literals."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        allowed = ", ".join(declared) or "none"
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(unknown)}; its parameters: {allowed}"
        )
    out: dict[Variable, Node] = {}
    for name, param in declared.items():
        value = values.get(name, param.default)
        if value:
            out[Variable(name)] = Literal(check_value(query, name, value))
    return out


#: Longest parameter value accepted: values are codes, ids and short phrases.
MAX_VALUE = 1000


def check_value(query: SavedQuery, name: str, value: str) -> str:
    """Refuse values no parameter needs and some stores mishandle: control characters
    (newlines, NUL ...), ``\\u`` escapes (SPARQL decodes them before parsing, so they
    would change the value) and very long strings. Quotes, brackets, keywords and
    right-to-left marks are allowed: they are escaped, and only ever match literally."""
    bad = next((ch for ch in value if unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        raise QueryError(
            f"--param {name} of query {query.name!r} holds the control character "
            f"U+{ord(bad):04X}; give a value on one line, without control characters"
        )
    if re.search(r"\\[uU]", value):
        raise QueryError(
            f"--param {name} of query {query.name!r} holds '\\u' or '\\U', which SPARQL "
            "parsers read as a character escape before the query; leave it out"
        )
    if len(value) > MAX_VALUE:
        raise QueryError(
            f"--param {name} of query {query.name!r} is {len(value)} characters long; "
            f"values are at most {MAX_VALUE}"
        )
    return value


def run(
    query: SavedQuery,
    target,
    values: dict[str, str] | None = None,
    summary: bool = True,
    index: Path | None = None,
):
    """Run ``query`` on ``target`` (an rdflib Graph, a pyoxigraph Store, or an endpoint URL)
    with ``values`` bound to its parameters; returns (columns, rows of strings).

    On a store whose build materialised the query's rows, and unless ``summary`` is
    False, they answer instead, with the same rows: the lookup index at ``index``
    (graph.lookups, in the store's folder) when it is current and the query's key
    is bound, else the summary's read query (graph.summary).
    """
    bound = bindings(query, values or {})
    if summary and index is not None:
        from graph import lookups

        found = lookups.answer(query, index, target, values or {})
        if found is not None:
            return _sort_lists(query, found)
    if summary and isinstance(target, pyoxigraph.Store):
        return _sort_lists(query, _run(_in_place(query, target), target, bound))
    return _sort_lists(query, _run(query, target, bound))


#: Read queries over a build's summary (graph.summary): summary/NAME.rq for NAME.rq.
SUMMARY_QUERIES = QUERIES / "summary"


def _in_place(query: SavedQuery, store: pyoxigraph.Store) -> SavedQuery:
    """The summary's read query for a saved query when ``store`` holds a current
    summary of it, else the query itself."""
    if query.path != QUERIES / f"{query.name}.rq":
        return query  # a .rq file of the user's, whatever its name
    if not (SUMMARY_QUERIES / f"{query.name}.rq").exists():
        return query
    from graph import summary

    return summary.read_query(query.name) if summary.current(store) else query


def _sort_lists(query: SavedQuery, result):
    """Sort the '|'-joined cells of the columns the header names in ``#+ lists:``.

    GROUP_CONCAT has no defined order, so stores differ; sorting here gives the same
    rows from a file and from any endpoint.
    """
    columns, table = result
    names = {n.strip() for n in query.header.get("lists", "").split(",") if n.strip()}
    at = [i for i, c in enumerate(columns) if c in names]
    for row in table:
        for i in at:
            row[i] = "|".join(sorted(filter(None, row[i].split("|"))))
    return columns, table


def _run(query: SavedQuery, target, bound):
    try:
        if isinstance(target, pyoxigraph.Store):
            # a VALUES block, as for endpoints (Oxigraph's substitutions only bind
            # projected variables); values are escaped terms, never raw text
            return _oxigraph_run(query, target, bound)
        if isinstance(target, Endpoint):
            from graph.remote import select

            return select(target.url, with_values(query.text, bound), graph=target.graph)
        return _rdflib_rows(target.query(query.text, initBindings=bound))
    except QueryError:
        raise
    except Exception as exc:  # parsers and stores raise errors of several types
        if type(exc).__name__ == "RemoteError":
            raise
        raise QueryError(f"query {query.name!r} ({query.path}) failed: {exc}") from None


def _oxigraph_run(query: SavedQuery, store: pyoxigraph.Store, bound):
    """Rows from an Oxigraph store. With ``#+ plan: columns`` and nothing bound, each
    column pattern is read whole (graph.sparql_text.column_subqueries); with ``#+
    plan: sort``, the final ORDER BY is done here, on the solutions' terms
    (:func:`sparql_order_key`), its keys selected for it (graph.sparql_text.selecting)."""
    text, plans = planned(query), _plan(query)
    if "columns" in plans and not bound:
        text = column_subqueries(text)
    order = trailing_order(text) if "sort" in plans else None
    widened = None if order is None else selecting(order[0], [name for name, _ in order[1]])
    if widened is None:
        text = with_values(text, bound)
        return _oxigraph_rows(store.query(text, use_default_graph_as_union=True))
    head, added, distinct = widened
    with background.no_collections():  # every row lives until returned: nothing to find
        solutions = store.query(with_values(head, bound), use_default_graph_as_union=True)
        columns = [v.value for v in solutions.variables]
        found = [list(row) for row in solutions]
        sort_rows(found, columns, order[1])
        kept = [at for at, name in enumerate(columns) if name not in added]
        rows = [tuple(row[at] for at in kept) for row in found]
        if distinct and added:
            rows = list(dict.fromkeys(rows))
        table = term_values(rows)
    return [columns[at] for at in kept], table


def sort_rows(rows: list[list], columns: list[str], order: list[tuple[str, bool]]) -> None:
    """Sort solution rows in place as ``ORDER BY`` with ``order``'s (variable,
    descending) keys would (:func:`order_ranks`)."""
    ranks = [order_ranks(rows, columns.index(name), desc) for name, desc in order]
    rows.sort(key=lambda row: tuple(rank[row[at]] for at, rank in ranks))


def term_values(rows) -> list[list[str]]:
    """Rows of terms as rows of their values (an unbound cell empty)."""
    return [["" if cell is None else cell.value for cell in row] for row in rows]


def order_ranks(rows: list[list], at: int, descending: bool) -> tuple[int, dict]:
    """(``at``, each term of column ``at`` -> its place in ORDER BY order, negated
    for DESC): terms that compare equal share a place, so one stable sort on the
    places of every key gives ORDER BY's rows, with each term's key made once."""
    terms = sorted({row[at] for row in rows}, key=sparql_order_key)
    places, place, last = {}, 0, None
    for i, term in enumerate(terms):
        key = sparql_order_key(term)
        if i and key != last:
            place += 1
        places[term], last = (-place if descending else place), key
    return at, places


#: Datatypes ORDER BY compares as numbers.
_NUMERIC = frozenset(
    "http://www.w3.org/2001/XMLSchema#" + name
    for name in [
        "integer",
        "decimal",
        "float",
        "double",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
)


def sparql_order_key(term) -> tuple:
    """What SPARQL's ORDER BY compares a term by (SPARQL 1.1, 15.1): unbound first,
    then blank nodes, IRIs, literals; numbers by value, other literals by their
    lexical form (code point order, as Oxigraph compares strings), then language
    and datatype.

    >>> from pyoxigraph import Literal, NamedNode
    >>> xsd_int = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    >>> sorted(["10", "9"], key=lambda v: sparql_order_key(Literal(v, datatype=xsd_int)))
    ['9', '10']
    """
    if term is None:
        return (0,)
    if isinstance(term, pyoxigraph.BlankNode):
        return (1, term.value)
    if isinstance(term, pyoxigraph.NamedNode):
        return (2, term.value)
    datatype = term.datatype.value
    if datatype in _NUMERIC:
        try:
            number = Decimal(term.value)
        except InvalidOperation:
            number = None  # ill-typed: compared as text
        if number is not None and not number.is_nan():
            return (3, 0, number)
    return (3, 1, term.value, term.language or "", datatype)


def _plan(query: SavedQuery) -> set[str]:
    """The plans the query's ``#+ plan:`` header names before its " - " (lateral,
    sort, columns): how it is run on Oxigraph, for the same rows."""
    names = query.header.get("plan", "").split(" - ", 1)[0]
    return {name for name in re.split(r"[\s,]+", names) if name}


def planned(query: SavedQuery) -> str:
    """The text Oxigraph runs: with ``#+ plan: lateral``, its trailing optionals
    evaluated per solution (graph.sparql_text.lateral_optionals), else as written."""
    if "lateral" in _plan(query):
        return lateral_optionals(query.text) or query.text
    return query.text


def with_values(text: str, bound: dict[Variable, Node]) -> str:
    """The query with a VALUES block for ``bound``, first in its outer WHERE group.

    There the store joins the values before anything else, which was 2 to 8 times
    faster on a large graph than the trailing VALUES block it falls back to when the
    outer group cannot be found. Each value is one escaped term (:func:`sparql_term`),
    so no value can change the
    query's structure.
    """
    if not bound:
        return text
    block = values_block(bound)
    at = outer_where(text)
    if at is None:
        return f"{text.rstrip()}\n{block}\n"
    return f"{text[: at + 1]}\n  {block}{text[at + 1 :]}"


def values_block(bound: dict[Variable, Node]) -> str:
    names = " ".join(f"?{v}" for v in bound)
    terms = " ".join(sparql_term(term) for term in bound.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def sparql_term(term: Node) -> str:
    """A SPARQL term for a bound value: a plain literal in double quotes with only
    backslash and quote escaped (control characters are refused earlier, and no
    ``\\u`` escape is written, which some parsers decode before reading the query).

    >>> print(sparql_term(Literal('a" } ; DROP ALL ; {')))
    "a\\" } ; DROP ALL ; {"
    """
    if isinstance(term, Literal) and term.datatype is None and not term.language:
        value = str(term)
        if any(unicodedata.category(ch) == "Cc" for ch in value):
            raise QueryError("a bound value holds a control character")
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return term.n3()


def _oxigraph_rows(solutions) -> tuple[list[str], list[list[str]]]:
    return [v.value for v in solutions.variables], term_values(solutions)


def _rdflib_rows(result: Result) -> tuple[list[str], list[list[str]]]:
    columns = [str(v) for v in result.vars or []]
    table = [["" if cell is None else str(cell) for cell in row] for row in result]
    return columns, table


def rows(result) -> tuple[list[str], list[list[str]]]:
    """Column names and rows as plain strings (unbound cells are empty)."""
    if isinstance(result, tuple):
        return result
    return _rdflib_rows(result)


def render(columns: list[str], table: list[list[str]], fmt: str) -> str:
    """``table`` as csv, tsv or json text (the table format is drawn by the CLI)."""
    if fmt == "json":
        return (
            json.dumps(
                [dict(zip(columns, r, strict=True)) for r in table], ensure_ascii=False, indent=2
            )
            + "\n"
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(table)
    return buffer.getvalue()
