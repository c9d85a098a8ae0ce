"""Extraction over the paragraph tree: verbs and action categories, addressees and
named actors, article citations, other references, links between recommendations,
and States. Each module reads its lexicon or patterns from ``loaders/data``."""

from __future__ import annotations


def annotate(doc) -> None:
    """Run every extractor over ``doc``'s units, in dependency order."""
    from loaders.extract import citations, verbs

    verbs.annotate(doc)
    citations.annotate(doc)
