"""Check a graph against ``ontology/shapes.ttl`` and the saved
``queries/checks/*-violation.rq`` queries, and report what to fix.

Two engines check the shapes. ``sparql`` (the default) runs the shapes compiled to SPARQL
(graph/shacl_sparql.py) on an Oxigraph store: it scales to millions of triples.
``pyshacl`` is the reference implementation, kept to cross-check the compiler (the tests
require both to report the same results) and for shapes the compiler does not know yet.

Each problem is reported with its shape, its focus node described as people
know it (document, unit notation, source file and offset), the property and the
message. A check query "fails" when it returns rows.
"""

from __future__ import annotations

import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SH

from graph.namespaces import ELI, OA, PAL
from graph.shacl_sparql import Check, CompileError, compile_shapes, path_text

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
CHECKS = Path(__file__).resolve().parents[1] / "queries" / "checks"
SHAPES = ONTOLOGY / "shapes.ttl"
ENGINES = ("sparql", "pyshacl")
VIOLATION = str(SH.Violation)


class ValidationError(Exception):
    """Validation could not run (shapes unreadable, graph missing)."""


@dataclass(frozen=True)
class Problem:
    shape: str
    focus: str
    where: str
    path: str
    message: str


@dataclass
class Report:
    conforms: bool
    problems: list[Problem] = field(default_factory=list)

    def by_shape(self) -> dict[str, list[Problem]]:
        grouped: dict[str, list[Problem]] = defaultdict(list)
        for p in self.problems:
            grouped[p.shape].append(p)
        return dict(sorted(grouped.items()))


@dataclass(frozen=True)
class Result:
    """One validation result, engine-neutral: what the equivalence tests compare."""

    shape: str
    focus: str
    path: str
    value: str | None
    message: str


def shapes() -> Graph:
    if not SHAPES.exists():
        raise ValidationError(f"{SHAPES} is missing: cannot validate")
    from graph.store import to_rdflib

    try:  # Oxigraph's parser: 15 times faster than rdflib's, which was 0.3 s of a seeds build
        return to_rdflib(pyoxigraph.parse(path=str(SHAPES), format=pyoxigraph.RdfFormat.TURTLE))
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(f"{SHAPES} cannot be read: {exc}") from None


@lru_cache(maxsize=4)
def _compiled(path: str, mtime: float) -> tuple[Check, ...]:
    try:
        return tuple(compile_shapes(shapes()))
    except CompileError as exc:
        raise ValidationError(f"{SHAPES}: {exc}") from None


def compiled_checks() -> tuple[Check, ...]:
    """The shapes compiled to SPARQL, once per process (again if shapes.ttl changes)."""
    if not SHAPES.exists():
        raise ValidationError(f"{SHAPES} is missing: cannot validate")
    return _compiled(str(SHAPES), SHAPES.stat().st_mtime)


# ---------------------------------------------------------------------- describing a focus node


def describe(g: Graph, node) -> str:
    """Where a node is, as a person finds it: document, unit, source file and offset."""
    if not isinstance(node, URIRef):
        return str(node)
    label = g.value(node, PAL.unitLabel)
    doc = next(
        (
            d
            for d in g.transitive_objects(node, ELI.is_part_of)
            if (d, RDF.type, ELI.Work) in g and d != node
        ),
        None,
    )
    doc_id = g.value(doc, DCTERMS.identifier) if doc else None
    parts = [str(doc_id)] if doc_id else []
    if label is not None:
        parts.append(str(label))
    for res in g.objects(node, PROV.wasDerivedFrom):
        source = g.value(res, OA.hasSource)
        name = g.value(source, SDO.name) if source else None
        pos = next(
            (
                s
                for s in g.objects(res, OA.hasSelector)
                if (s, RDF.type, OA.TextPositionSelector) in g
            ),
            None,
        )
        start = g.value(pos, OA.start) if pos else None
        if name is not None:
            parts.append(f"{name} @{start}" if start is not None else str(name))
            break
    return ", ".join(parts)


DESCRIBE = f"""
SELECT ?node (MIN(?docId) AS ?doc) (MIN(?label0) AS ?label) (MIN(?at) AS ?where) WHERE {{
    OPTIONAL {{ ?node <{PAL.unitLabel}> ?label0 }}
    OPTIONAL {{
        ?node <{ELI.is_part_of}>+ ?d . ?d a <{ELI.Work}> ; <{DCTERMS.identifier}> ?docId .
        FILTER(?d != ?node)
    }}
    OPTIONAL {{
        ?node <{PROV.wasDerivedFrom}> ?res . ?res <{OA.hasSource}>/<{SDO.name}> ?name .
        OPTIONAL {{
            ?res <{OA.hasSelector}> ?pos . ?pos a <{OA.TextPositionSelector}> ; <{OA.start}> ?start
        }}
        BIND(IF(BOUND(?start), CONCAT(STR(?name), " @", STR(?start)), STR(?name)) AS ?at)
    }}
}} GROUP BY ?node
"""


def describe_store(store: pyoxigraph.Store, nodes: list[str]) -> dict[str, str]:
    """``describe`` for many IRIs of a store at once (one query, the nodes bound by VALUES)."""
    iris = sorted({n for n in nodes if n.startswith(("http://", "https://", "urn:"))})
    found: dict[str, str] = {}
    for start in range(0, len(iris), 500):
        chunk = " ".join(str(pyoxigraph.NamedNode(n)) for n in iris[start : start + 500])
        query = DESCRIBE.replace("WHERE {", f"WHERE {{ VALUES ?node {{ {chunk} }}", 1)
        for row in store.query(query, use_default_graph_as_union=True):
            parts = [row[i].value for i in (1, 2, 3) if row[i] is not None]
            found[row[0].value] = ", ".join(parts)
    return {n: found.get(n, n if n not in iris else "") for n in nodes}


# ---------------------------------------------------------------------- the SPARQL engine


def _term(term) -> str | None:
    """A value as text; blank nodes, whose labels differ between engines, as None."""
    if term is None or isinstance(term, pyoxigraph.BlankNode):
        return None
    return term.value


def _focus(term) -> str:
    return f"_:{term.value}" if isinstance(term, pyoxigraph.BlankNode) else term.value


def subclasses(store: pyoxigraph.Store, checks) -> dict[str, set[str]]:
    """Every target class's subclasses in the data (rdfs:subClassOf+), one query each."""
    found: dict[str, set[str]] = {}
    for c in sorted({c for check in checks for c in check.classes}):
        query = (
            f"SELECT DISTINCT ?sub WHERE {{ ?sub <{RDFS.subClassOf}>+ {pyoxigraph.NamedNode(c)} }}"
        )
        rows = store.query(query, use_default_graph_as_union=True)
        found[c] = {row[0].value for row in rows if isinstance(row[0], pyoxigraph.NamedNode)}
    return found


def _run_check(store: pyoxigraph.Store, check: Check, classes: dict[str, set[str]]) -> list[Result]:
    rows = store.query(check.text(classes), use_default_graph_as_union=True)
    names = [v.value for v in rows.variables]
    has_value = "value" in names
    return [
        Result(
            check.shape,
            _focus(row["this"]),
            check.path,
            _term(row["value"]) if has_value else None,
            check.message,
        )
        for row in rows
    ]


def sparql_results(
    store: pyoxigraph.Store, workers: int | None = None, checks: list[Check] | None = None
) -> list[Result]:
    """Every Violation the compiled shapes (``checks``, default the shipped shapes') find."""
    checks = [c for c in (checks or compiled_checks()) if c.severity == VIOLATION]
    if workers is None:  # Oxigraph releases the GIL: threads run checks side by side
        workers = int(os.environ.get("PALERMO_WORKERS", os.cpu_count() or 1))
    try:
        classes = subclasses(store, checks)
        if workers > 1:
            with ThreadPoolExecutor(workers) as pool:
                batches = list(pool.map(lambda c: _run_check(store, c, classes), checks))
        else:
            batches = [_run_check(store, c, classes) for c in checks]
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(f"a compiled shape query failed: {exc}") from None
    return [r for batch in batches for r in batch]


# ---------------------------------------------------------------------- the pyshacl engine


def pyshacl_results(data: Graph, shapes_graph: Graph | None = None) -> list[Result]:
    """The results pyshacl reports at the top of its report (not those nested in sh:detail)."""
    from pyshacl import validate as shacl

    _, results, _ = shacl(
        data,
        shacl_graph=shapes_graph if shapes_graph is not None else shapes(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    report = results.value(predicate=RDF.type, object=SH.ValidationReport, any=False)
    out = []
    for result in results.objects(report, SH.result):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        value = results.value(result, SH.value)
        out.append(
            Result(
                str(results.value(result, SH.sourceShape)),
                str(results.value(result, SH.focusNode)),
                path_text(results, results.value(result, SH.resultPath)),
                None if value is None or isinstance(value, BNode) else str(value),
                _message(results, result),
            )
        )
    return out


def _message(g: Graph, result) -> str:
    messages = list(g.objects(result, SH.resultMessage))
    en = [m for m in messages if isinstance(m, Literal) and m.language in (None, "en")]
    return str((en or messages or [""])[0])


def _local(node) -> str:
    text = str(node) if node is not None else ""
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if text else ""


# ---------------------------------------------------------------------- reports


def _report(results: list[Result], where: dict[str, str]) -> Report:
    problems = [
        Problem(
            shape=_local(r.shape) or "shape",
            focus=r.focus,
            where=where.get(r.focus, r.focus),
            path=r.path,
            message=r.message,
        )
        for r in results
    ]
    problems.sort(key=lambda p: (p.shape, p.where, p.path, p.message, p.focus))
    return Report(conforms=not problems, problems=problems)


def run_shapes(data: Graph) -> Report:
    """pyshacl over ``data`` with the shipped shapes."""
    results = pyshacl_results(data)
    return _report(results, {r.focus: describe(data, URIRef(r.focus)) for r in results})


def run_shapes_store(store: pyoxigraph.Store) -> Report:
    """The compiled shapes over ``store``."""
    results = sparql_results(store)
    return _report(results, describe_store(store, [r.focus for r in results]))


def run_checks(data: Graph | pyoxigraph.Store) -> Report:
    """Every ``queries/checks/*-violation.rq``: rows returned are problems.

    They run on Oxigraph (a graph is copied into a store first): they are written for it, and
    rdflib joins sub-selects that BIND a variable wrongly (duplicate-eid-violation)."""
    from graph import query as saved

    store = data if isinstance(data, pyoxigraph.Store) else store_of(data)
    found = []
    for path in sorted(CHECKS.glob("*-violation.rq")):
        q = saved.load(str(path))
        _, rows = saved.run(q, store)
        found += [(path.stem, row[0], q.summary) for row in rows]
    where = describe_store(store, [focus for _, focus, _ in found])
    problems = [Problem(stem, focus, where[focus], "", summary) for stem, focus, summary in found]
    return Report(conforms=not problems, problems=problems)


def store_of(data: Graph) -> pyoxigraph.Store:
    """An in-memory Oxigraph store holding the triples of ``data``."""
    store = pyoxigraph.Store()
    store.bulk_load(
        data.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES
    )
    return store


def graph_of(store: pyoxigraph.Store) -> Graph:
    """An rdflib graph of every triple of ``store`` (all graphs merged), for pyshacl."""
    lines = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in store)
    return Graph().parse(data=lines, format="nt")


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ValidationError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")


def validate_store(store: pyoxigraph.Store, engine: str = "sparql") -> Report:
    """Shapes and checks over an Oxigraph store (queries read the union of its graphs)."""
    _check_engine(engine)
    a = run_shapes(graph_of(store)) if engine == "pyshacl" else run_shapes_store(store)
    b = run_checks(store)
    return Report(conforms=a.conforms and b.conforms, problems=a.problems + b.problems)


def validate(data: Graph, engine: str = "sparql") -> Report:
    """Shapes and checks together, on an rdflib graph."""
    _check_engine(engine)
    if engine == "pyshacl":
        a, b = run_shapes(data), run_checks(data)
        return Report(conforms=a.conforms and b.conforms, problems=a.problems + b.problems)
    return validate_store(store_of(data))
