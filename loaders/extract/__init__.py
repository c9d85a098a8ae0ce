"""Extraction over the paragraph tree: verbs and action categories, addressees and
named actors, article citations, other references, links between recommendations,
and States. Each module reads its lexicon or patterns from ``loaders/data``."""

from __future__ import annotations


def annotate(doc) -> None:
    """Run every extractor over ``doc``'s units, in dependency order."""
    from loaders.extract import citations, references, themes, verbs

    verbs.annotate(doc)
    citations.annotate(doc)
    references.annotate(doc)
    themes.annotate(doc)


def link_corpus(docs, repetitions: bool = True) -> None:
    """Cross-document steps: reversed numbers settled by the corpus, report paragraphs
    resolved through the concordances, reiterations, then (unless told not to)
    identical and near-duplicate recommendations; problems become warnings."""
    from loaders.extract import links, repetition
    from loaders.tree import warn

    for doc, label, problem in links.link(docs):
        target = doc if doc is not None else (docs[0] if docs else None)
        if target is not None:
            warn(target, _line_of(target, label), label, problem)
    if repetitions:
        add_repetitions(docs, repetition.find_compact(docs))


def link_corpus_new(index, docs) -> None:
    """:func:`link_corpus` for ``docs`` added to a corpus linked before, through its
    :class:`links.LinkIndex` (when ``index.affected_by(docs)`` is empty): their links
    and warnings are those a link over the whole corpus gives them. Repetitions are
    left to the caller (:class:`repetition.Repetitions`)."""
    from loaders.tree import warn

    for doc, label, problem in index.link_new(docs):
        warn(doc, _line_of(doc, label), label, problem)


def add_repetitions(docs, repeats: list[tuple]) -> dict[tuple[str, str], int]:
    """Append the links of :meth:`repetition.Repeat.compact` tuples to their units,
    after each unit's other links (as :func:`link_corpus` does). Returns, for each
    unit that gained links, the number (from 1) of its first new link."""
    from loaders.extract import links

    units = {(d.id, u.label): u for d in docs for u in d.units()}
    first: dict[tuple[str, str], int] = {}
    for later_doc, later_label, earlier_doc, earlier_label, relation, score in repeats:
        unit = units[(later_doc, later_label)]
        first.setdefault((later_doc, later_label), len(unit.links) + 1)
        unit.links.append(links.Link(relation, (earlier_doc, earlier_label), score))
    return first


def _line_of(doc, label: str) -> int:
    """Line of the unit or footnote (``"footnote 14"``) a cross-document warning names."""
    for unit in doc.units():
        if unit.label == label:
            return unit.line
    for note in doc.footnotes:
        if f"footnote {note.label}" == label:
            return note.segment.line
    return 0
