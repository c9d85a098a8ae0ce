"""The append path of ``palermo build`` (see graph.incremental): when documents are
only added, and change nothing built before, extract, link, build and validate the
new ones and splice them into the published files."""

from __future__ import annotations

import mmap
import pickle
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rich.console import Console
from rich.markup import escape

from graph import incremental, publish
from graph.build import GraphBuilder, graph_name, load_vocabulary
from graph.cache import CACHE_DIR, DocumentCache
from graph.export import NTRIPLES, build_files, write_atomically
from graph.incremental import BuildState, Part, Plan, Splice
from graph.validate import Report, validate_store
from loaders import LoadError
from loaders.extract import add_repetitions, link_corpus_new, repetition
from loaders.manifest import load_manifest
from loaders.read import folder_files

_NQ = pyoxigraph.RdfFormat.N_QUADS
_NT = pyoxigraph.RdfFormat.N_TRIPLES


@dataclass(frozen=True)
class _Target:
    """A unit of an earlier document as a link needs it: its eId."""

    eid: str


class NotAppendable(Exception):
    """Why this build cannot take the append path (said to the user, who gets a full
    build instead)."""


def prepare(args, seeds: Path, out: Path, reader: DocumentCache) -> tuple[Plan, list] | None:
    """The plan and new documents of an append build, None when there is no earlier
    state to append to; raises :class:`NotAppendable` saying why not."""
    if args.no_cache or args.store:
        return None
    state = incremental.load(publish.target(out))
    if state is None:
        return None
    if state.version != incremental.code_version():
        raise NotAppendable("the code or the vocabulary changed since the last build")
    if state.base != args.base:
        raise NotAppendable(f"the last build used the base IRI {state.base}")
    if not args.no_validate and not state.validated:
        raise NotAppendable("the last build was not validated")
    if not incremental.unchanged_files(state, publish.target(out)):
        raise NotAppendable(f"files in {out} changed since the last build")
    try:
        found = incremental.plan(state, folder_files(seeds), load_manifest(seeds))
    except LoadError as exc:
        raise NotAppendable(exc.message) from None
    if isinstance(found, str):
        raise NotAppendable(found)
    try:
        new = [reader.read(path, entry) for path, entry in found.new]
    except LoadError:
        raise NotAppendable("a new document cannot be read") from None
    found.search, found.items = state.search(), repetition.items(new)
    _check(state, found, new)
    return found, new


def _check(state: BuildState, plan: Plan, new: list) -> None:
    """Raise :class:`NotAppendable` if a new document changes one built before."""
    ids = {r.id for r in state.docs}
    for doc in new:
        if doc.id in ids:
            raise NotAppendable(f"{doc.file_name} has the id {doc.id} of an earlier document")
        ids.add(doc.id)
    cited = set().union(*(r.cites for r in state.docs)) if state.docs else set()
    for doc in new:
        if doc.symbol and doc.symbol in cited:
            raise NotAppendable(f"earlier documents cite {doc.symbol}, now {doc.file_name}")
    affected = state.links.affected_by(new)
    if affected:
        some = ", ".join(sorted(affected)[:3])
        raise NotAppendable(f"the new documents change the links of {len(affected)} ({some})")
    items, searched = plan.items, plan.search.items
    if items and searched and items[0].when <= searched[-1].when:
        raise NotAppendable(
            f"{items[0].doc_id} {items[0].label} comes before units already built "
            "(repetitions of it would change theirs)"
        )


# ---------------------------------------------------------------------- the build


def builder_for(state: BuildState, new: list, base: str) -> GraphBuilder:
    """A builder knowing the whole corpus from the state and the new documents, its
    entities graph holding what the earlier documents described."""
    builder = GraphBuilder(base)
    targets = {(r.id, label): _Target(eid) for r in state.docs for label, eid in r.eids.items()}
    targets.update({(d.id, u.label): u for d in new for u in d.units()})
    builder.units_by_label = targets
    everyone = sorted(
        [(r.file_name, r.id, r.symbol) for r in state.docs]
        + [(d.file_name, d.id, d.symbol) for d in new]
    )
    builder.loaded = {sym: builder.iri.document(i) for _, i, sym in everyone if sym}
    builder.entities.extend_once(state.entities)
    return builder


def build_new(plan: Plan, new: list, base: str) -> tuple[dict[str, str], list[str], str]:
    """(graph name -> N-Quads text) of the new documents, then the entities graph's
    lines and name."""
    state = plan.state
    link_corpus_new(state.links, new)
    repeats = plan.search.extend(plan.items)
    add_repetitions(new, [r.compact() for r in repeats])
    builder = builder_for(state, new, base)
    graphs = {}
    for doc in new:
        lines = builder.lines(doc)
        graphs[builder.g.graph] = "".join(lines)
    return graphs, builder.entities.lines, builder.entities.graph


def _store(graphs: dict[str, str], entities: list[str], base: str) -> pyoxigraph.Store:
    """The vocabulary, the new graphs and the entities graph, in memory."""
    store = pyoxigraph.Store()
    load_vocabulary(store, base)
    store.bulk_load("".join([*graphs.values(), *entities]).encode("utf-8"), format=_NQ)
    return store


def subject_lines(data, start: int, end: int, subject: bytes) -> bytes:
    """The lines of ``data[start:end]`` (sorted N-Triples lines) whose subject is
    ``subject`` (``<iri>``), found by bisection."""
    prefix = subject + b" "

    def line_at(pos: int) -> int:
        """Start of the line holding ``pos``."""
        return data.rfind(b"\n", start, pos) + 1 if pos > start else start

    lo, hi = start, end
    while lo < hi:  # first line >= prefix
        mid = line_at((lo + hi) // 2)
        nl = data.find(b"\n", mid, end)
        if data[mid : nl + 1] < prefix:
            lo = nl + 1
        else:
            hi = mid
    stop = lo
    while stop < end and data[stop : stop + len(prefix)] == prefix:
        stop = data.find(b"\n", stop, end) + 1
    return data[lo:stop]


def linked_lines(state: BuildState, out: Path, parts: dict[str, Part], base: str) -> bytes:
    """The statements of the earlier units the new graphs point to (their types, for
    the shapes that check a link's target), from the published N-Triples."""
    ids = {r.id for r in state.docs}
    head = f"<{base}doc/".encode()
    where = {name: (start, end) for name, start, end in state.layout[NTRIPLES]}
    wanted: dict[bytes, str] = {}
    for part in parts.values():
        for line in part.nt.split(b"\n")[:-1]:
            obj = line.split(b" ", 2)[2][:-2]  # an IRI object has no space
            if obj.startswith(head):
                doc_id = obj[len(head) : -1].split(b"/", 1)[0].decode()
                if doc_id in ids:
                    wanted[obj] = doc_id
    found = []
    with (
        (out / NTRIPLES).open("rb") as fh,
        mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        for obj, doc_id in sorted(wanted.items()):
            start, end = where[graph_name(base, f"doc/{doc_id}")]
            found.append(subject_lines(data, start, end, obj))
    return b"".join(found)


def validate_new(store: pyoxigraph.Store, parts: dict[str, Part]) -> Report:
    """The shapes and checks over the new graphs and the entities graph (with the
    vocabulary and the nodes they link to in the store): the problems whose focus
    is one of their subjects. The earlier graphs conformed and have not changed."""
    subjects = {
        line.split(b" ", 1)[0][1:-1].decode()
        for part in parts.values()
        for line in part.nt.split(b"\n")
        if line.startswith(b"<")
    }
    report = validate_store(store)
    kept = [p for p in report.problems if p.focus in subjects]
    return Report(conforms=not kept, problems=kept)


def csv_parts(store: pyoxigraph.Store, new: list) -> tuple[list[str], dict[str, bytes]]:
    """The recommendations CSV's columns, and the rows of each new document."""
    from graph import query as saved

    columns, rows = saved.run(saved.load("recommendations"), store)
    ids = {d.id for d in new}
    found = incremental.csv_rows(columns, rows)
    return columns, {doc: text for doc, text in found.items() if doc in ids}


def append(
    args, plan: Plan, new: list, out: Path, reader: DocumentCache, rows_of
) -> tuple[list[Path], list[str], list[tuple[str, ...]], int] | Report:
    """Build and publish the append build; (files written, warnings, summary rows,
    triples), or the report of the new graphs' violations (nothing written)."""
    state, base = plan.state, args.base
    graphs, entities, entities_name = build_new(plan, new, base)
    texts = {**{name: [text] for name, text in graphs.items()}, entities_name: entities}
    parts = {name: Part.of(name, incremental.graph_ntriples(t, name)) for name, t in texts.items()}
    store = _store(graphs, entities, base)
    target = publish.target(out)
    linked = pyoxigraph.NamedNode(graph_name(base, "linked"))
    store.bulk_load(linked_lines(state, target, parts, base), format=_NT, to_graph=linked)
    if not args.no_validate:
        report = validate_new(store, parts)
        if not report.conforms:
            return report
    columns, csv = csv_parts(store, new)
    keys = [r.key for r in state.docs]
    records = list(state.docs)
    rows = dict(zip([d.id for d in new], rows_of(new), strict=True))
    for doc, (path, _) in zip(new, plan.new, strict=True):
        records.append(incremental.record(doc, reader.key_of(path), rows[doc.id]))
    records.sort(key=lambda r: r.file_name)
    warnings = [w for r in records for w in r.warnings]
    splice = Splice(target, state, parts, csv)
    counts = dict(state.counts)
    counts.update({name: part.nt.count(b"\n") for name, part in parts.items()})
    counts = dict(sorted(counts.items()))  # in graph order, as a full build has them
    files = build_files(splice.producers(columns), warnings)

    def extra(staging: Path) -> None:
        reader.keep(keys)
        reader.save(staging / CACHE_DIR)
        state.links.add(new)
        after = BuildState(
            version=state.version,
            base=base,
            validated=not args.no_validate,
            docs=records,
            entities=entities,
            repetitions=pickle.dumps(plan.search, protocol=pickle.HIGHEST_PROTOCOL),
            links=state.links,
            layout=splice.layout,
            counts=counts,
        )
        incremental.save(after, staging / CACHE_DIR, staging)

    written = write_atomically(out, files, extra)
    return written, warnings, [r.row for r in records], sum(counts.values())


def note(err: Console, why: str) -> None:
    err.print(f"[dim]full build: {escape(why)}[/]")
