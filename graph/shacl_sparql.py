"""Compile SHACL shapes into SPARQL SELECT queries, to validate a large graph in Oxigraph.

pyshacl walks the graph node by node in Python: about 4 s for the seeds' 25k triples, hours at
100x. The shapes of ``ontology/shapes.ttl`` say nothing a SPARQL query cannot, so this module
turns every constraint of every targeted shape into one query that returns the offending focus
nodes (and values) in a single pass over the store. pyshacl stays the reference: the tests
check that both engines report the same (shape, focus, path) results on every fixture, the
seeds and mutated seeds.

Only the constraint components ``shapes.ttl`` uses are compiled, each with pyshacl's reading
of the spec where the two could differ (datatype validity, language matching, comparisons
that fail). Any other ``sh:`` term on a shape raises :class:`CompileError` naming the shape,
so a shape added later is never skipped silently: extend this module (with a test) or run
``palermo validate --engine pyshacl``.

One check is one component of one shape; its query projects ``?this`` and, where SHACL
reports a value, ``?value``. Each solution is one validation result, as pyshacl reports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
#: Where ``Check.text`` lists a shape's target classes and their subclasses.
SUBCLASSES = "__SUBCLASSES__"

#: Terms a shape may carry that say nothing about what to check.
ANNOTATIONS = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group}
TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.target}
#: Components that constrain each value node on its own (pyshacl: one result per value).
VALUE_COMPONENTS = (
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.pattern,
    SH.minLength,
    SH["in"],
    SH.languageIn,
    SH.minInclusive,
    SH.maxInclusive,
    SH["or"],
    SH.node,
)
NODE_ONLY = {SH.property, SH.sparql}
PROPERTY_ONLY = {
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH.hasValue,
    SH.uniqueLang,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
}
SUPPORTED = ANNOTATIONS | TARGETS | set(VALUE_COMPONENTS) | NODE_ONLY | PROPERTY_ONLY | {SH.flags}

#: Datatypes whose lexical forms pyshacl checks (rdflib's ill-typed literals), and the SPARQL
#: cast that accepts exactly the valid ones. Other datatypes known here are matched on the
#: datatype IRI alone, as pyshacl does (rdflib has no parser for them).
CAST_CHECKED = (XSD.integer, XSD.decimal, XSD.boolean, XSD.date)
IRI_ONLY = (XSD.gYear,)
NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
STRINGISH = (
    f"(isIRI({{v}}) || (isLiteral({{v}}) && "
    f"datatype({{v}}) IN (<{XSD.string}>, <{RDF.langString}>)))"
)


@dataclass(frozen=True)
class Focus:
    """A shape's focus nodes: ``pattern`` binds ``?this`` to each (maybe more than once, so
    queries select DISTINCT); ``classes`` are its target classes (see ``Check.text``)."""

    pattern: str
    classes: tuple[str, ...] = ()

    @property
    def group(self) -> str:
        """Each focus node exactly once."""
        return f"{{ SELECT DISTINCT ?this WHERE {{ {self.pattern} }} }}"


class CompileError(Exception):
    """A shape uses SHACL this compiler does not translate; the message names the shape."""


@dataclass(frozen=True)
class Check:
    """One constraint component of one shape, as a query over the data.

    ``query`` is a SPARQL SELECT projecting ``?this`` (the focus node) and ``?value`` when the
    component reports one; every solution is one validation result.
    """

    shape: str
    path: str
    component: str
    severity: str
    message: str
    query: str
    classes: tuple[str, ...] = ()

    def text(self, subclasses: dict[str, set[str]]) -> str:
        """The query to run, the target classes and their subclasses (read from the data, as
        SHACL's rdf:type/rdfs:subClassOf* asks) listed in place."""
        if not self.classes:
            return self.query
        found = set(self.classes).union(*(subclasses.get(c, set()) for c in self.classes))
        return self.query.replace(SUBCLASSES, " ".join(f"<{c}>" for c in sorted(found)))


def local(node) -> str:
    text = str(node) if node is not None else ""
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def path_text(g: Graph, path) -> str:
    """A SHACL path as people write it: local names, ``a/b``, ``^p``, ``p+``; '' for none."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return local(path)
    if (path, RDF.first, None) in g:
        return "/".join(path_text(g, p) for p in Collection(g, path))
    for prop, fmt in (
        (SH.inversePath, "^{}"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = g.value(path, prop)
        if inner is not None:
            return fmt.format(path_text(g, inner))
    alternatives = g.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(path_text(g, p) for p in Collection(g, alternatives))
    return str(path)


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every check of every targeted shape in ``shapes``, in a stable order."""
    return list(_Compiler(shapes).checks())


def _iri(node) -> str:
    if not isinstance(node, URIRef) or re.search(r'[\s<>"{}|^`\\]', str(node)):
        raise CompileError(f"{node!r} is not an IRI that can be written in SPARQL")
    return f"<{node}>"


def _term(node) -> str:
    if isinstance(node, URIRef):
        return _iri(node)
    if isinstance(node, Literal):
        return node.n3()
    raise CompileError(f"{node!r}: a blank node cannot be a constant in a query")


def _python_regex(pattern: str) -> str:
    """``pattern`` for Rust's regex crate (Oxigraph) with Python's meaning, as pyshacl reads it.

    Python's ``$`` (without the m flag) also matches before a final newline; Rust's does not.
    """
    out, in_class, i = [], False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        elif c == "$" and not in_class:
            c = "(?:\\n?$)"
        out.append(c)
        i += 1
    return "".join(out)


def _string(text: str) -> str:
    """A SPARQL string literal holding ``text`` exactly."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


class _Compiler:
    def __init__(self, g: Graph) -> None:
        self.g = g
        self.counter = 0
        self.prefix_text = ""
        self.classes: tuple[str, ...] = ()

    # ------------------------------------------------------------------ shapes and targets

    def checks(self) -> Iterator[Check]:
        for shape in sorted(self.shape_nodes()):
            self.check_terms(shape)
        targeted = {s for t in TARGETS for s in self.g.subjects(t, None)}
        for t in (SH.targetNode, SH.targetObjectsOf):
            for s in self.g.subjects(t, None):
                raise CompileError(f"{s}: sh:{local(t)} is not supported by the SPARQL engine")
        for shape in sorted(targeted):
            self.prefix_text = self.prefixes(shape)
            focus = self.focus(shape)
            self.classes = focus.classes
            if self.is_property_shape(shape):
                yield from self.property_checks(shape, focus)
            else:
                yield from self.node_checks(shape, focus)

    def shape_nodes(self) -> set:
        g = self.g
        nodes = set(g.subjects(RDF.type, SH.NodeShape)) | set(
            g.subjects(RDF.type, SH.PropertyShape)
        )
        nodes |= set(g.objects(None, SH.property)) | set(g.objects(None, SH.node))
        nodes |= set(g.objects(None, SH.qualifiedValueShape))
        for lst in g.objects(None, SH["or"]):
            nodes |= set(Collection(g, lst))
        return nodes

    def check_terms(self, shape) -> None:
        """Refuse any ``sh:`` term this compiler does not translate."""
        for p in set(self.g.predicates(shape, None)):
            if str(p).startswith(str(SH)) and p not in SUPPORTED:
                raise CompileError(
                    f"shape {shape}: sh:{local(p)} is not supported by the SPARQL validation "
                    "engine (graph/shacl_sparql.py); add it there with a test, or validate "
                    "with --engine pyshacl"
                )
        wrong = (NODE_ONLY if self.is_property_shape(shape) else PROPERTY_ONLY) & set(
            self.g.predicates(shape, None)
        )
        if wrong:
            names = ", ".join(sorted(f"sh:{local(p)}" for p in wrong))
            raise CompileError(f"shape {shape}: {names} is not supported on this kind of shape")

    def is_property_shape(self, shape) -> bool:
        return (shape, SH.path, None) in self.g

    def one(self, shape, prop):
        values = list(self.g.objects(shape, prop))
        if len(values) > 1:
            raise CompileError(f"shape {shape}: several sh:{local(prop)} values are not supported")
        return values[0] if values else None

    def focus(self, shape) -> Focus:
        """A pattern binding ``?this`` to the focus nodes of ``shape`` (some maybe twice).

        Class targets are written ``?this rdf:type ?this_type`` over a VALUES list of the
        class and its subclasses, filled in at run time from the data (``Check.text``): a
        plain index lookup, where the path rdf:type/rdfs:subClassOf* costs a sub-query.
        """
        g = self.g
        classes = tuple(str(c) for c in sorted(g.objects(shape, SH.targetClass)))
        parts = []
        if classes:
            for c in classes:
                _iri(URIRef(c))
            parts.append(f"VALUES ?this_type {{ {SUBCLASSES} }} ?this <{RDF.type}> ?this_type .")
        parts += [
            f"{{ SELECT DISTINCT ?this WHERE {{ ?this {_iri(p)} [] }} }}"
            for p in sorted(g.objects(shape, SH.targetSubjectsOf))
        ]
        for target in g.objects(shape, SH.target):
            parts.append(self.sparql_target(shape, target))
        if len(parts) == 1:
            pattern = parts[0] if not parts[0].startswith("SELECT") else f"{{ {parts[0]} }}"
        else:
            pattern = " UNION ".join(f"{{ {p} }}" for p in parts)
        return Focus(pattern, classes)

    def sparql_target(self, shape, target) -> str:
        g = self.g
        if (target, RDF.type, SH.SPARQLTarget) not in g:
            raise CompileError(f"shape {shape}: only sh:SPARQLTarget targets are supported")
        allowed = {RDF.type, SH.select, SH.prefixes}
        extra = set(g.predicates(target, None)) - allowed
        if extra:
            raise CompileError(f"shape {shape}: its sh:target uses unsupported {sorted(extra)}")
        return self.select_body(shape, self.one(target, SH.select))

    def select_body(self, shape, select) -> str:
        text = str(select or "")
        if not re.match(r"\s*SELECT\b", text, re.I):
            raise CompileError(f"shape {shape}: its sh:select is not a SELECT query")
        for var in ("path", "failure", "PATH", "currentShape", "shapesGraph"):
            if re.search(rf"[?$]{var}\b", text):
                raise CompileError(f"shape {shape}: ${var} in SPARQL is not supported")
        return text.strip()

    def prefixes(self, shape) -> str:
        """PREFIX lines for the SPARQL of ``shape``'s targets and constraints: the sh:declare
        of what their sh:prefixes point at."""
        g = self.g
        holders = list(g.objects(shape, SH.target)) + list(g.objects(shape, SH.sparql))
        lines = {}
        for holder in holders:
            for ontology in g.objects(holder, SH.prefixes):
                for decl in g.objects(ontology, SH.declare):
                    prefix, namespace = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
                    lines[str(prefix)] = f"PREFIX {prefix}: {_iri(URIRef(str(namespace)))}"
        return "\n".join(lines[k] for k in sorted(lines))

    # ------------------------------------------------------------------ checks

    def check(self, shape, path, component, query: str) -> Check:
        message = self.message(shape)
        severity = self.one(shape, SH.severity) or SH.Violation
        text = f"{self.prefix_text}\n{query}" if self.prefix_text else query
        classes = self.classes if SUBCLASSES in text else ()
        return Check(
            str(shape), path_text(self.g, path), component, str(severity), message, text, classes
        )

    def message(self, shape) -> str:
        messages = list(self.g.objects(shape, SH.message))
        en = [m for m in messages if isinstance(m, Literal) and m.language in (None, "en")]
        return str((en or messages or [""])[0])

    def node_checks(self, shape, focus: Focus) -> Iterator[Check]:
        for component in VALUE_COMPONENTS:
            param = self.one(shape, component)
            if param is None:
                continue
            if component == SH["class"]:
                test = f"MINUS {{ ?this {TYPE_PATH} {_iri(param)} }}"
            else:
                test = f"FILTER(!({self.value_ok(shape, component, param, '?this')}))"
            query = f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {focus.pattern} {test} }}"
            yield self.check(shape, None, local(component), query)
        for constraint in sorted(self.g.objects(shape, SH.sparql)):
            yield self.sparql_check(shape, constraint, focus)
        for prop in sorted(self.g.objects(shape, SH.property)):
            yield from self.property_checks(prop, focus)

    def sparql_check(self, shape, constraint, focus: Focus) -> Check:
        g = self.g
        allowed = {RDF.type, RDFS.label, SH.message, SH.select, SH.prefixes, SH.severity}
        extra = {p for p in g.predicates(constraint, None) if p not in allowed}
        if extra or (constraint, RDF.type, SH.SPARQLConstraint) not in g:
            raise CompileError(f"shape {shape}: SPARQL constraint {constraint} is not supported")
        body = self.select_body(constraint, self.one(constraint, SH.select))
        query = f"SELECT ?this ?value WHERE {{ {focus.group} {{ {body} }} }}"
        return self.check(shape, None, "sparql", query)

    @staticmethod
    def restrict(focus: Focus, pattern: str, condition: str = "") -> str:
        """``pattern`` (binding ?this) for the focus nodes, kept where ``condition`` holds."""
        return f"{focus.pattern} {pattern}" + (f" FILTER({condition})" if condition else "")

    def max_count_query(self, focus: Focus, pe: str, high: int) -> str:
        """Focus nodes with more than ``high`` values. For one (most shapes), two
        different values of each focus node are looked up: a quarter faster at 100x
        the seeds than counting the values of every subject that has the property."""
        if high == 1:
            pattern = f"?this {pe} ?value . ?this {pe} ?other ."
            where = self.restrict(focus, pattern, "!sameTerm(?value, ?other)")
            return f"SELECT DISTINCT ?this WHERE {{ {where} }}"
        many = (
            f"{{ SELECT ?this WHERE {{ ?this {pe} ?value }} GROUP BY ?this "
            f"HAVING (COUNT(DISTINCT ?value) > {high}) }}"
        )
        return f"SELECT DISTINCT ?this WHERE {{ {self.restrict(focus, many)} }}"

    def property_checks(self, prop, focus: Focus) -> Iterator[Check]:
        g = self.g
        path = self.one(prop, SH.path)
        pe = self.path(prop, path)
        for component in VALUE_COMPONENTS:
            param = self.one(prop, component)
            if param is None:
                continue
            classes = self.classes_of(prop, component, param)
            if classes is not None:
                pattern = f"?this {pe} ?value . MINUS {{ {self.instance('?value', classes)} }}"
                where = self.restrict(focus, pattern)
            else:
                ok = self.value_ok(prop, component, param, "?value")
                where = self.restrict(focus, f"?this {pe} ?value .", f"!({ok})")
            query = f"SELECT DISTINCT ?this ?value WHERE {{ {where} }}"
            yield self.check(prop, path, local(component), query)
        low = self.one(prop, SH.minCount)
        if low is not None and int(low) > 0:
            yield self.check(prop, path, "minCount", self.min_count_query(focus, pe, int(low)))
        high = self.one(prop, SH.maxCount)
        if high is not None:
            yield self.check(prop, path, "maxCount", self.max_count_query(focus, pe, int(high)))
        has = self.one(prop, SH.hasValue)
        if has is not None:
            query = (
                f"SELECT DISTINCT ?this WHERE {{ {focus.pattern} "
                f"MINUS {{ ?this {pe} {_term(has)} }} }}"
            )
            yield self.check(prop, path, "hasValue", query)
        if self.one(prop, SH.uniqueLang) is not None and bool(self.one(prop, SH.uniqueLang).value):
            same = (
                'isLiteral(?a) && isLiteral(?b) && !sameTerm(?a, ?b) && LANG(?a) != "" '
                "&& LCASE(LANG(?a)) = LCASE(LANG(?b))"
            )
            where = self.restrict(focus, f"?this {pe} ?a . ?this {pe} ?b .", same)
            query = (
                f"SELECT DISTINCT ?this ?lang WHERE {{ {where} BIND(LCASE(LANG(?a)) AS ?lang) }}"
            )
            yield self.check(prop, path, "uniqueLang", query)
        for component, op in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
            other = self.one(prop, component)
            if other is not None:
                yield self.check(
                    prop, path, local(component), self.pair_query(focus, pe, other, op)
                )
        qualified = self.one(prop, SH.qualifiedValueShape)
        if qualified is not None:
            yield self.qualified_check(prop, path, pe, focus, qualified)
        elif (prop, SH.qualifiedMinCount, None) in g:
            raise CompileError(f"shape {prop}: sh:qualifiedMinCount without sh:qualifiedValueShape")

    def min_count_query(self, focus: Focus, pe: str, n: int) -> str:
        """Focus nodes with fewer than ``n`` values. For one, each focus node's values
        are looked up (FILTER NOT EXISTS), faster in Oxigraph than MINUS, which first
        collects every subject that has the property."""
        if n == 1:
            test = f"FILTER NOT EXISTS {{ ?this {pe} ?value }}"
            return f"SELECT DISTINCT ?this WHERE {{ {focus.pattern} {test} }}"
        return (
            f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE "
            f"{{ {focus.group} OPTIONAL {{ ?this {pe} ?value }} }} GROUP BY ?this }} "
            f"FILTER(?n < {n}) }}"
        )

    def pair_query(self, focus: Focus, pe: str, other, op: str) -> str:
        """sh:lessThan(OrEquals): one result per (value, other value) pair that fails, with
        pyshacl's rule: IRIs and strings compare as strings, a string never with a non-string."""
        vs, os_ = STRINGISH.format(v="?value"), STRINGISH.format(v="?other")
        ok = (
            f"IF({vs} && {os_}, STR(?value) {op} STR(?other), "
            f"IF({vs} || {os_}, false, COALESCE(?value {op} ?other, false)))"
        )
        pattern = f"?this {pe} ?value . ?this {_iri(other)} ?other ."
        where = self.restrict(focus, pattern, f"!COALESCE({ok}, false)")
        return f"SELECT DISTINCT ?this ?value ?other WHERE {{ {where} }}"

    def qualified_check(self, prop, path, pe: str, focus: Focus, qualified) -> Check:
        low = self.one(prop, SH.qualifiedMinCount)
        if low is None:
            raise CompileError(f"shape {prop}: sh:qualifiedValueShape needs sh:qualifiedMinCount")
        v = self.fresh()
        n = int(low)
        classes = self.classes_of(prop, SH.node, qualified)
        if n == 1 and classes is not None:
            query = (
                f"SELECT DISTINCT ?this WHERE {{ {focus.pattern} MINUS {{ ?this {pe} {v} . "
                f"{self.instance(v, classes)} }} }}"
            )
            return self.check(prop, path, "qualifiedValueShape", query)
        conforms = self.conforms(qualified, v)
        if n == 1:
            query = (
                f"SELECT DISTINCT ?this WHERE {{ {focus.pattern} MINUS {{ ?this {pe} {v} . "
                f"FILTER({conforms}) }} }}"
            )
        else:
            query = (
                f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT {v}) AS ?n) WHERE "
                f"{{ {focus.group} OPTIONAL {{ ?this {pe} {v} . FILTER({conforms}) }} }} "
                f"GROUP BY ?this }} FILTER(?n < {n}) }}"
            )
        return self.check(prop, path, "qualifiedValueShape", query)

    # ------------------------------------------------------------------ expressions

    def classes_of(self, shape, component, param) -> list | None:
        """The classes a value must be an instance of (any one) when that is all the component
        asks: sh:class, or sh:node / sh:or of shapes that only have an sh:class. Such a test is
        written as a MINUS of all instances, one anti-join instead of a lookup per value."""
        if component == SH["class"]:
            return [param]
        members = list(Collection(self.g, param)) if component == SH["or"] else [param]
        if component not in (SH["or"], SH.node):
            return None
        classes = []
        for m in members:
            self.check_terms(m)
            said = {p for p in self.g.predicates(m, None) if str(p).startswith(str(SH))}
            if said - ANNOTATIONS != {SH["class"]} or self.is_property_shape(m):
                return None
            classes.append(self.one(m, SH["class"]))
        return classes

    @staticmethod
    def instance(v: str, classes: list) -> str:
        """A pattern matching ``v`` when it is a SHACL instance of one of ``classes``."""
        if len(classes) == 1:
            return f"{v} {TYPE_PATH} {_iri(classes[0])} ."
        listed = " ".join(_iri(c) for c in classes)
        return f"VALUES ?class_ {{ {listed} }} {v} {TYPE_PATH} ?class_ ."

    def fresh(self) -> str:
        self.counter += 1
        return f"?v{self.counter}"

    def path(self, shape, path) -> str:
        """The SPARQL property path of a SHACL path (predicate, sequence, ^p, p+)."""
        g = self.g
        if isinstance(path, URIRef):
            return _iri(path)
        if path is not None and (path, RDF.first, None) in g:
            return "(" + "/".join(self.path(shape, p) for p in Collection(g, path)) + ")"
        if isinstance(path, BNode):
            inverse, more = g.value(path, SH.inversePath), g.value(path, SH.oneOrMorePath)
            if inverse is not None and len(set(g.predicates(path, None))) == 1:
                return f"^({self.path(shape, inverse)})"
            if more is not None and len(set(g.predicates(path, None))) == 1:
                return f"({self.path(shape, more)})+"
        raise CompileError(f"shape {shape}: this sh:path is not supported by the SPARQL engine")

    def value_ok(self, shape, component, param, v: str) -> str:
        """A SPARQL expression, never an error, true when value ``v`` meets the component."""
        if component == SH["class"]:
            return f"EXISTS {{ {v} {TYPE_PATH} {_iri(param)} }}"
        if component == SH.datatype:
            return self.datatype_ok(shape, param, v)
        if component == SH.nodeKind:
            if param not in NODE_KINDS:
                raise CompileError(f"shape {shape}: unknown sh:nodeKind {param}")
            return NODE_KINDS[param].format(v=v)
        if component == SH.pattern:
            flags = "".join(c for c in str(self.one(shape, SH.flags) or "").lower() if c in "im")
            regex = _python_regex(str(param)) if "m" not in flags else str(param)
            return f"(!isBlank({v}) && REGEX(STR({v}), {_string(regex)}, {_string(flags)}))"
        if component == SH.minLength:
            n = int(param)
            return "true" if n == 0 else f"(!isBlank({v}) && STRLEN(STR({v})) >= {n})"
        if component == SH["in"]:
            members = list(Collection(self.g, param))
            return (
                "(" + " || ".join(f"sameTerm({v}, {_term(m)})" for m in members) + ")"
                if members
                else "false"
            )
        if component == SH.languageIn:
            return self.language_ok(param, v)
        if component in (SH.minInclusive, SH.maxInclusive):
            if not isinstance(param, Literal) or isinstance(param.value, str):
                raise CompileError(f"shape {shape}: only numeric or date bounds are supported")
            op = ">=" if component == SH.minInclusive else "<="
            return f"COALESCE({v} {op} {_term(param)}, false)"
        if component == SH["or"]:
            members = list(Collection(self.g, param))
            return "(" + " || ".join(self.conforms(m, v) for m in members) + ")"
        if component == SH.node:
            return self.conforms(param, v)
        raise CompileError(f"shape {shape}: sh:{local(component)} is not supported")

    def datatype_ok(self, shape, datatype, v: str) -> str:
        if datatype == RDF.langString:
            return f'(isLiteral({v}) && LANG({v}) != "")'
        base = f"(isLiteral({v}) && sameTerm(datatype({v}), {_iri(datatype)})"
        if datatype == XSD.string or datatype in IRI_ONLY:
            return base + ")"
        if datatype in CAST_CHECKED:
            return base + f" && COALESCE(isLiteral({_iri(datatype)}(STR({v}))), false))"
        raise CompileError(f"shape {shape}: sh:datatype {datatype} is not supported yet")

    def language_ok(self, param, v: str) -> str:
        tags = [str(t).lower() for t in Collection(self.g, param)]
        if "*" in tags:
            return f'(isLiteral({v}) && LANG({v}) != "")'
        listed = ", ".join(_string(t) for t in tags)
        return (
            f'(isLiteral({v}) && LANG({v}) != "" && (LCASE(LANG({v})) IN ({listed}) || '
            f'LCASE(STRBEFORE(LANG({v}), "-")) IN ({listed})))'
        )

    def conforms(self, shape, v: str) -> str:
        """True when node ``v`` conforms to ``shape`` (for sh:or, sh:node, qualified shapes)."""
        self.check_terms(shape)
        g = self.g
        nested = {SH.maxCount, SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals, SH.sparql}
        nested |= {SH.qualifiedValueShape}
        used = nested & set(g.predicates(shape, None))
        if used:
            names = ", ".join(sorted(f"sh:{local(p)}" for p in used))
            raise CompileError(f"shape {shape}: {names} is not supported inside sh:or/sh:node")
        if self.is_property_shape(shape):
            return self.property_conforms(shape, v)
        parts = []
        for component in VALUE_COMPONENTS:
            param = self.one(shape, component)
            if param is not None:
                parts.append(self.value_ok(shape, component, param, v))
        parts += [self.property_conforms(p, v) for p in sorted(g.objects(shape, SH.property))]
        return "(" + " && ".join(parts or ["true"]) + ")"

    def property_conforms(self, prop, v: str) -> str:
        self.check_terms(prop)
        g = self.g
        for p in (SH.maxCount, SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals):
            if (prop, p, None) in g:
                raise CompileError(f"shape {prop}: sh:{local(p)} is not supported inside sh:or")
        if (prop, SH.qualifiedValueShape, None) in g:
            raise CompileError(f"shape {prop}: qualified shapes are not supported inside sh:or")
        pe = self.path(prop, self.one(prop, SH.path))
        parts = []
        low = self.one(prop, SH.minCount)
        if low is not None and int(low) > 1:
            raise CompileError(f"shape {prop}: sh:minCount above 1 is not supported inside sh:or")
        if low is not None and int(low) == 1:
            parts.append(f"EXISTS {{ {v} {pe} {self.fresh()} }}")
        has = self.one(prop, SH.hasValue)
        if has is not None:
            parts.append(f"EXISTS {{ {v} {pe} {_term(has)} }}")
        for component in VALUE_COMPONENTS:
            param = self.one(prop, component)
            if param is not None:
                u = self.fresh()
                ok = self.value_ok(prop, component, param, u)
                parts.append(f"NOT EXISTS {{ {v} {pe} {u} . FILTER(!({ok})) }}")
        return "(" + " && ".join(parts or ["true"]) + ")"
