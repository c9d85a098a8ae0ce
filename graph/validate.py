"""Check a graph against ``ontology/shapes.ttl`` (pyshacl) and the saved
``queries/checks/*-violation.rq`` queries, and report what to fix.

Each problem is reported with its shape, its focus node described as people
know it (document, unit notation, source file and line), the property and the
message. A check query "fails" when it returns rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SDO, SH

from graph.namespaces import ELI, OA, PAL

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
CHECKS = Path(__file__).resolve().parents[1] / "queries" / "checks"
SHAPES = ONTOLOGY / "shapes.ttl"


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


def shapes() -> Graph:
    if not SHAPES.exists():
        raise ValidationError(f"{SHAPES} is missing: cannot validate")
    try:
        return Graph().parse(SHAPES, format="turtle")
    except Exception as exc:  # rdflib parser errors come in many types
        raise ValidationError(f"{SHAPES} cannot be read: {exc}") from None


def describe(g: Graph, node) -> str:
    """Where a node is, as a person finds it: document, unit, source file and line."""
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


def _message(g: Graph, result) -> str:
    messages = list(g.objects(result, SH.resultMessage))
    en = [m for m in messages if isinstance(m, Literal) and m.language in (None, "en")]
    return str((en or messages or [""])[0])


def _local(node) -> str:
    text = str(node) if node is not None else ""
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if text else ""


def run_shapes(data: Graph) -> Report:
    """pyshacl over ``data`` with the shipped shapes."""
    from pyshacl import validate as shacl

    conforms, results, _ = shacl(
        data, shacl_graph=shapes(), inference="none", advanced=True, allow_warnings=True
    )
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = results.value(result, SH.focusNode)
        problems.append(
            Problem(
                shape=_local(results.value(result, SH.sourceShape)) or "shape",
                focus=str(focus),
                where=describe(data, focus),
                path=_local(results.value(result, SH.resultPath)),
                message=_message(results, result),
            )
        )
    problems.sort(key=lambda p: (p.shape, p.where, p.path, p.message))
    return Report(conforms=bool(conforms) or not problems, problems=problems)


def run_checks(data: Graph) -> Report:
    """Every ``queries/checks/*-violation.rq``: rows returned are problems."""
    from graph import query as saved

    problems = []
    for path in sorted(CHECKS.glob("*-violation.rq")):
        q = saved.load(str(path))
        _, rows = saved.run(q, data)
        for row in rows:
            focus = URIRef(row[0])
            problems.append(Problem(path.stem, str(focus), describe(data, focus), "", q.summary))
    return Report(conforms=not problems, problems=problems)


def validate(data: Graph) -> Report:
    """Shapes and checks together."""
    a, b = run_shapes(data), run_checks(data)
    return Report(conforms=a.conforms and b.conforms, problems=a.problems + b.problems)


def validate_store(store) -> Report:
    """Shapes and checks over an Oxigraph store (converted to rdflib for pyshacl; a
    SPARQL-based validator replaces this stub)."""
    from graph.store import to_rdflib

    return validate(to_rdflib(store))
