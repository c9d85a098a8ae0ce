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


def link_corpus(docs) -> None:
    """Cross-document steps: reversed numbers settled by the corpus, report paragraphs
    resolved through the concordances, reiterations, then identical and near-duplicate
    recommendations; problems become warnings."""
    from loaders.extract import links, repetition
    from loaders.tree import warn

    for doc, label, problem in links.link(docs):
        target = doc if doc is not None else (docs[0] if docs else None)
        if target is not None:
            warn(target, _line_of(target, label), label, problem)
    for repeat in repetition.find(docs):
        later = repeat.later.unit
        later.links.append(
            links.Link(repeat.relation, (repeat.earlier.doc_id, repeat.earlier.label), repeat.score)
        )


def _line_of(doc, label: str) -> int:
    """Line of the unit or footnote (``"footnote 14"``) a cross-document warning names."""
    for unit in doc.units():
        if unit.label == label:
            return unit.line
    for note in doc.footnotes:
        if f"footnote {note.label}" == label:
            return note.segment.line
    return 0
