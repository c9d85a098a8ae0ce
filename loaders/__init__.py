"""Palermo loaders: read Arabic UN documents into paragraph trees.

The pipeline reads as its module names: ``decode`` bytes into text,
``normalise`` it for matching (keeping a map back to the source), ``blocks``
splits it into typed lines, and one assembler per document kind
(``compilation``, ``report``, ``resolution``) builds the tree that
``graph.build`` turns into RDF. ``read`` is the entry point.
"""

from loaders.errors import LoadError, LoadWarning
from loaders.read import read_document, read_folder

__all__ = ["LoadError", "LoadWarning", "read_document", "read_folder"]
