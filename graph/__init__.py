"""Palermo graph: build the RDF graph from paragraph trees, export, query, and the CLI.

Stages by module: ``build`` (trees to RDF), ``export`` (files, atomically),
``query`` (saved SPARQL), ``cli`` (the ``palermo`` command).
"""
