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
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.query import Result
from rdflib.term import Node, Variable

QUERIES = Path(__file__).resolve().parents[1] / "queries"
FORMATS = ("table", "csv", "tsv", "json")


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
    def params(self) -> list[Param]:
        """Parameters declared as ``name = default - description; ...``."""
        out = []
        for part in filter(None, (p.strip() for p in self.header.get("params", "").split(";"))):
            found = re.match(r"(\w+)\s*=\s*(\S*)\s*-?\s*(.*)", part)
            if found:
                default = found.group(2)
                out.append(
                    Param(found.group(1), "" if default == "(all)" else default, found.group(3))
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
            out[Variable(name)] = Literal(value)
    return out


def run(query: SavedQuery, graph: Graph, values: dict[str, str] | None = None) -> Result:
    """Run ``query`` on ``graph`` with ``values`` bound to its parameters."""
    try:
        return graph.query(query.text, initBindings=bindings(query, values or {}))
    except QueryError:
        raise
    except Exception as exc:  # rdflib raises parser errors of several types
        raise QueryError(f"query {query.name!r} ({query.path}) failed: {exc}") from None


def rows(result: Result) -> tuple[list[str], list[list[str]]]:
    """Column names and rows as plain strings (unbound cells are empty)."""
    columns = [str(v) for v in result.vars or []]
    table = [["" if cell is None else str(cell) for cell in row] for row in result]
    return columns, table


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
