"""The networks as GraphML, for Gephi, yEd or networkx again.

Node ids are IRIs; attributes are str, int or float only (GraphML's string, long and
double), so ``networkx.read_graphml`` gives back the same graph. Multigraphs (the
lineage) keep their edge keys (the relation) as GraphML edge ids; read them with
``force_multigraph=True, edge_key_type=str``.

Examples
--------
>>> g = nx.Graph(name="tiny")
>>> g.add_node("https://example.org/a", label="a", units=2)
>>> g.add_edge("https://example.org/a", "https://example.org/b", weight=1.5)
>>> back = nx.read_graphml(io.BytesIO(to_bytes(g)))
>>> back.nodes["https://example.org/a"], back.edges["https://example.org/a", "https://example.org/b"]
({'label': 'a', 'units': 2}, {'weight': 1.5})
"""

from __future__ import annotations

import io

import networkx as nx

ALLOWED = (str, int, float)


class GraphMLError(ValueError):
    """A graph holding an attribute GraphML cannot carry as it is."""


def check(g: nx.Graph) -> None:
    """Refuse attributes other than str, int and float (bool is refused: GraphML reads it
    back as bool only with a declared type, and a missing one would turn into a string)."""
    items = [(n, d) for n, d in g.nodes(data=True)] + [
        ((a, b), d) for a, b, d in g.edges(data=True)
    ]
    for where, data in items:
        for key, value in data.items():
            if isinstance(value, bool) or not isinstance(value, ALLOWED):
                raise GraphMLError(
                    f"{g.name or 'graph'}: attribute {key!r} of {where} is "
                    f"{type(value).__name__}; GraphML needs str, int or float"
                )


def to_bytes(g: nx.Graph) -> bytes:
    """The GraphML text of ``g`` as UTF-8 bytes (node and edge order as in ``g``)."""
    check(g)
    buffer = io.BytesIO()
    nx.write_graphml(g, buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buffer.getvalue()
