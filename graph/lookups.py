"""The lookup index: the rows of the saved queries a user looks one thing up in
(``#+ index:`` in their header), made per document at build time and filed by the
value of the parameter they are looked up by, in ``lookups.sqlite`` inside a store
folder (``palermo build --store DIR``).

Why: at 1000x the seeds, the disk store reads each pattern of each row in 6 to 10
microseconds, so one addressee's 29,529 rows of addressee-asks took 1.05 to 1.25 s
from the summary, where a lookup must answer under 1 s. Here they are one indexed
read of rows Oxigraph serialised as SPARQL TSV results, parsed back by Oxigraph,
sorted and projected as graph.query does: 0.46 s.

How a query's index rows are made (:func:`of`): the saved query with nothing bound,
its key variable first and its ORDER BY keys selected, its final ORDER BY left to
the lookup, and a long text column (``text from ?u <IRI>``) read as the unit it
belongs to, each unit's text filed once beside the rows rather than once for each
key the unit has. Every unit sits in one document graph, so the rows over the corpus
are the rows over each document, as for the summary (graph.summary). Where another
form of that query makes the same rows for less, ``rows from FILE`` (under queries/)
names it: it must select the same variables, and tests/test_lookups.py checks its
rows and answers against the query's. The lookup binds the key, filters on any
other bound parameter that is a column, sorts by the ORDER BY, adds the texts, and
keeps the first of DISTINCT duplicates (SPARQL orders before it projects).

Indexed as shipped: addressee-asks (each document's rows cost 0.7 ms to make at
1000x the seeds) and theme-across-years, by theme and top concept (1.8 million rows
at 1000x; 4.5 ms a document from queries/index/theme-across-years.rq, against 7.1
from the query as written, plus about 1.4 ms to read and file the texts). Reading
the texts from the disk store instead took 0.37 to 0.6 s of a lookup of 14,104
units.

A ``--store`` build makes it in the walk of the recommendations CSV
(graph.export); ``palermo summarise`` in the summary's walk (graph.summary). The
index is used only when current (:func:`current`): made by these query texts
and covering exactly the store's document graphs; otherwise the query runs as
before. tests/test_lookups.py checks its rows equal the query's, key by key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pyoxigraph
from rdflib import Literal

from graph import query as saved
from graph.sparql_text import projection, selecting, trailing_order

#: The index file inside a store folder (RocksDB leaves files it does not know).
FILE = "lookups.sqlite"

#: Changes when the index is written differently.
LAYOUT = "2"

_TSV = pyoxigraph.QueryResultsFormat.TSV

#: ``#+ index: KEY [; COLUMN from ?VAR <PREDICATE>] [; rows from FILE] [- why]``, FILE
#: under queries/ (:func:`of`)
_HEADER = re.compile(
    r"^(?P<key>\w+)(?:\s*;\s*(?P<column>\w+)\s+from\s+\?(?P<var>\w+)\s+<(?P<iri>[^<>\s]+)>)?"
    r"(?:\s*;\s*rows\s+from\s+(?P<rows>[\w./-]+\.rq))?"
    r"(?:\s+-\s+.*)?$"
)


class NotIndexable(Exception):
    """A saved query whose ``#+ index:`` header cannot be followed."""


@dataclass(frozen=True)
class Indexed:
    """One indexed saved query: what its index rows are and how to read them back."""

    query: saved.SavedQuery
    key: str
    text: str  # the index query
    columns: list[str]  # the saved query's columns
    order: list[tuple[str, bool]]  # its ORDER BY keys
    distinct: bool
    fetched: tuple[str, str, str] | None  # (column, unit variable, predicate IRI)


def indexed_queries() -> list[Indexed]:
    """Every saved query whose header asks for an index, by name."""
    return [of(q) for q in saved.saved_queries() if q.header.get("index")]


def of(query: saved.SavedQuery) -> Indexed:
    """How ``query``'s ``#+ index:`` header is followed; raises :class:`NotIndexable`
    when it cannot be (a test runs this on every saved query)."""
    found = _HEADER.match(query.header.get("index", "").strip())
    if found is None:
        raise NotIndexable(
            f"{query.path}: '#+ index:' is not 'KEY [; COLUMN from ?VAR <IRI>] [; rows from FILE]'"
        )
    key, column, var = found.group("key"), found.group("column"), found.group("var")
    rows_from = found.group("rows")
    fetched = (column, var, found.group("iri")) if column else None
    if key not in {p.name for p in query.params}:
        raise NotIndexable(f"{query.path}: the index key {key!r} is not one of its parameters")
    ordered = trailing_order(query.text)
    if ordered is None:
        raise NotIndexable(f"{query.path}: an indexed query must end in ORDER BY over variables")
    text, order = ordered
    found = projection(text)
    if found is not None:  # plain variables: the key first, a fetched column's unit
        start, end, columns = found
        chosen = [key] + [var if name == column else name for name in columns]
        text = text[:start] + "".join(f" ?{n}" for n in dict.fromkeys(chosen)) + text[end:]
        widened = selecting(text, [name for name, _ in order])
        if widened is None:
            raise NotIndexable(f"{query.path}: its projection cannot be widened for the index")
        text, distinct = widened[0], widened[2]
    else:  # a grouped query: it must already select the key first and every order key
        columns, distinct = _columns(query.text), False
        if fetched or columns[:1] != [key] or any(n not in columns for n, _ in order):
            raise NotIndexable(
                f"{query.path}: a grouped indexed query must select its key first and "
                "every ORDER BY key, and fetch no column"
            )
    if rows_from:
        text = _rows_from(query, rows_from, text)
    return Indexed(query, key, text, columns, order, distinct, fetched)


def _rows_from(query: saved.SavedQuery, name: str, derived: str) -> str:
    """The text of a ``rows from FILE`` header: another form of the index query, kept
    when Oxigraph makes its rows for less (tests/test_lookups.py checks its answers
    equal the query's, key by key). It must select what the derived one does."""
    path = (saved.QUERIES / name).resolve()
    if saved.QUERIES.resolve() not in path.parents or not path.is_file():
        raise NotIndexable(f"{query.path}: 'rows from {name}': no such file under queries/")
    text = path.read_text(encoding="utf-8")
    try:
        chosen = _columns(text)
    except SyntaxError as exc:
        raise NotIndexable(f"{path}: not a SPARQL query ({exc})") from None
    wanted = _columns(derived)
    if chosen != wanted:
        raise NotIndexable(
            f"{path}: selects {' '.join(chosen)}; the index of {query.name} needs "
            f"{' '.join(wanted)}, in that order"
        )
    return text


def _columns(text: str) -> list[str]:
    """The columns of a query text, as an empty store answers them."""
    return [v.value for v in pyoxigraph.Store().query(text).variables]


def digest(indexed: list[Indexed] | None = None) -> str:
    """What an index was made by: the layout, and each indexed query's text and
    index query."""
    h = hashlib.sha256(LAYOUT.encode())
    for one in indexed if indexed is not None else indexed_queries():
        h.update(f"{one.query.name}\n{one.query.text}\n{one.text}\n".encode())
    return h.hexdigest()


def covers(names) -> str:
    """A digest of a set of document graph names."""
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()


# ---------------------------------------------------------------------- making it


class Rows:
    """Each indexed query's rows over one document, filed by key, and the values of
    their fetched columns."""

    def __init__(self) -> None:
        self.indexed = indexed_queries()
        self.fetches = sorted({one.fetched[2] for one in self.indexed if one.fetched})

    def texts(self) -> list[str]:
        """The index queries and fetches (what a document's graph is projected on)."""
        return [one.text for one in self.indexed] + [_fetch(iri) for iri in self.fetches]

    def of(self, store: pyoxigraph.Store, graph: str) -> Filed:
        """Document graph ``graph``'s rows in ``store``: (query, key's TSV term, TSV
        header, TSV lines) of each key, and (predicate, unit's TSV term, TSV line) of
        each unit's fetched value. The TSV is Oxigraph's, so no cell passes through
        Python (at 1000x the seeds, 1.8 million rows of themes)."""
        out, units = [], {}
        for one in self.indexed:
            data = store.query(one.text, use_default_graph_as_union=True).serialize(format=_TSV)
            head, _, body = data.partition(b"\n")
            by_key: dict[bytes, list[bytes]] = {}
            for line in body.splitlines(keepends=True):
                by_key.setdefault(line.partition(b"\t")[0], []).append(line)
            name = one.query.name
            out += [(name, k.decode(), head, b"".join(v)) for k, v in by_key.items()]
            if one.fetched:
                at = head.split(b"\t").index(b"?" + one.fetched[1].encode())
                found = units.setdefault(one.fetched[2], set())
                found.update(line.split(b"\t")[at].rstrip(b"\n") for line in body.splitlines())
        return Filed(out, self._fetched(store, graph, units))

    def _fetched(self, store, graph: str, units: dict[str, set[bytes]]) -> list:
        """The fetched values of the units in the rows, by unit, from their graph."""
        out = []
        for iri in self.fetches:
            wanted = units.get(iri, set())
            data = store.query(_fetch(iri), default_graph=pyoxigraph.NamedNode(graph))
            for line in data.serialize(format=_TSV).splitlines(keepends=True)[1:]:
                unit = line.partition(b"\t")[0]
                if unit in wanted:
                    wanted.discard(unit)  # the first value of each (a unit is in one graph)
                    out.append((iri, unit.decode(), line))
        return out


class Filed(NamedTuple):
    """One document's index rows (:meth:`Rows.of`)."""

    rows: list[tuple[str, str, bytes, bytes]]
    fetched: list[tuple[str, str, bytes]]


def _fetch(iri: str) -> str:
    """Each unit's value of predicate ``iri``: one per unit, as for schema:text
    (palsh:Unit-text); were there more, the first found is kept."""
    return f"SELECT ?unit ?value WHERE {{ ?unit <{iri}> ?value }}"


class Writer:
    """The index file being made: rows added document by document, committed with
    what made it and which document graphs it covers by :meth:`close`."""

    def __init__(self, path: Path, prefix: str) -> None:
        path.unlink(missing_ok=True)
        self.path, self.prefix, self.names = path, prefix, []
        self.db = sqlite3.connect(path)
        self.db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
            "CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE heads(query TEXT PRIMARY KEY, head BLOB);"
            "CREATE TABLE rows(query TEXT, key TEXT, doc TEXT, tsv BLOB);"
            "CREATE TABLE fetched(predicate TEXT, unit TEXT, tsv BLOB);"
        )

    def add(self, graph: str, filed: Filed) -> None:
        """The rows of document graph ``graph`` (from :meth:`Rows.of`)."""
        self.names.append(graph)
        heads = {(name, head) for name, _, head, _ in filed.rows}
        self.db.executemany("INSERT OR IGNORE INTO heads VALUES (?, ?)", heads)
        self.db.executemany(
            "INSERT INTO rows VALUES (?, ?, ?, ?)",
            [(name, key, graph, tsv) for name, key, _, tsv in filed.rows],
        )
        self.db.executemany("INSERT INTO fetched VALUES (?, ?, ?)", filed.fetched)

    def close(self) -> Path:
        """Commit the index (indexed by query and key); its path."""
        meta = [("digest", digest()), ("prefix", self.prefix), ("covers", covers(self.names))]
        self.db.executemany("INSERT INTO meta VALUES (?, ?)", meta)
        self.db.execute("CREATE INDEX by_key ON rows(query, key)")
        # an index beside the table, not a WITHOUT ROWID key: rows of texts this long
        # spill over pages there (at 1000x the seeds 1.09 GB for 0.59 GB of rows)
        self.db.execute("CREATE UNIQUE INDEX by_unit ON fetched(predicate, unit)")
        self.db.commit()
        self.db.close()
        return self.path


# ---------------------------------------------------------------------- reading it


def beside(store_dir: Path) -> Path:
    """Where a store folder's index is."""
    return store_dir / FILE


def current(
    path: Path, store: pyoxigraph.Store, made_by: str | None = None
) -> sqlite3.Connection | None:
    """The index at ``path`` opened read-only, if it was made by these queries (their
    :func:`digest`, ``made_by`` when already known) and covers exactly the store's
    document graphs; else None."""
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        meta = dict(db.execute("SELECT name, value FROM meta"))
    except sqlite3.Error:
        return None
    prefix = meta.get("prefix") or "\0"
    names = [g.value for g in store.named_graphs() if g.value.startswith(prefix)]
    if meta.get("digest") != (made_by or digest()) or meta.get("covers") != covers(names):
        db.close()
        return None
    return db


def answer(query: saved.SavedQuery, path: Path | None, store, values: dict[str, str]):
    """(columns, rows) of ``query`` from the index at ``path``, or None when the index
    cannot answer it: the query not indexed or not the saved one, its key not bound,
    another bound parameter not a column, or the index not current."""
    if path is None or not isinstance(store, pyoxigraph.Store):
        return None
    indexed = indexed_queries()
    one = next((one for one in indexed if one.query.text == query.text), None)
    if one is None or query.path != saved.QUERIES / f"{query.name}.rq":
        return None
    bound = {str(name): str(value) for name, value in saved.bindings(query, values).items()}
    if one.key not in bound or any(k not in one.columns for k in bound if k != one.key):
        return None
    db = current(path, store, digest(indexed))
    if db is None:
        return None
    with contextlib.closing(db):
        return _read(one, db, bound)


def _read(one: Indexed, db: sqlite3.Connection, bound: dict[str, str]):
    """The rows of the key's value, filtered, sorted, with their texts, projected."""
    name, key = one.query.name, saved.sparql_term(Literal(bound[one.key]))
    head = db.execute("SELECT head FROM heads WHERE query = ?", (name,)).fetchone()
    ask = "SELECT tsv FROM rows WHERE query = ? AND key = ?"
    blocks = db.execute(ask, (name, key)).fetchall()
    if head is None or not blocks:
        return one.columns, []
    data = head[0] + b"\n" + b"".join(tsv for (tsv,) in blocks)
    solutions = pyoxigraph.parse_query_results(data, format=_TSV)
    names = [v.value for v in solutions.variables]
    found = list(solutions)
    for column, value in bound.items():
        if column != one.key:
            at, term = names.index(column), pyoxigraph.Literal(value)
            found = [row for row in found if row[at] == term]
    saved.sort_rows(found, names, one.order)
    cells = [_column_of(one, names, column) for column in one.columns]
    texts = _texts(one, names, found, db)
    rows = [tuple(texts[row[at]] if fetch else row[at] for fetch, at in cells) for row in found]
    if one.distinct:
        rows = list(dict.fromkeys(rows))
    return one.columns, saved.term_values(rows)


def _column_of(one: Indexed, names: list[str], column: str) -> tuple[bool, int]:
    """(whether the column is fetched by unit, where its value or unit is)."""
    if one.fetched is not None and column == one.fetched[0]:
        return True, names.index(one.fetched[1])
    return False, names.index(column)


def _texts(one: Indexed, names: list[str], rows: list, db: sqlite3.Connection) -> dict:
    """The fetched column's value of each unit in ``rows``, filed once per unit when
    the index was made: at 1000x the seeds, reading 14,104 texts from the disk store
    took 0.37 to 0.6 s, a lookup's whole budget."""
    if one.fetched is None:
        return {}
    at, predicate = names.index(one.fetched[1]), one.fetched[2]
    units = {row[at] for row in rows}
    # one read, joined on the key, for all units (one read each took 0.16 s of 14,104)
    ask = "SELECT tsv FROM fetched WHERE predicate = ? AND unit IN (SELECT value FROM json_each(?))"
    listed = json.dumps(sorted(str(unit) for unit in units))
    lines = [tsv for (tsv,) in db.execute(ask, (predicate, listed))]
    data = b"?unit\t?value\n" + b"".join(lines)
    out: dict = dict.fromkeys(units)
    out.update(pyoxigraph.parse_query_results(data, format=_TSV))
    return out
