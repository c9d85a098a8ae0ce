"""The pipeline a user would otherwise write with rdflib alone: the benchmarks' baseline.

Read the documents with Palermo's loaders (nobody rewrites those), put the
triples in an rdflib Graph (Palermo's own rdflib builder while ``build_graph``
still returns an rdflib Graph, else a plain construction of the core triples),
validate with pyshacl against ``ontology/shapes.ttl``, and serialise Turtle,
N-Triples and JSON-LD with rdflib. Prints one JSON object of stage seconds.

    python bench/baseline_rdflib.py --seeds DIR --out DIR [--no-validate]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rdflib import Graph, Literal, Namespace, URIRef  # noqa: E402
from rdflib.namespace import RDF  # noqa: E402

BASE = "https://w3id.org/palermo/"
ELI = Namespace("http://data.europa.eu/eli/ontology#")
PAL = Namespace("https://w3id.org/palermo/ontology#")
FORMATS = {"turtle": "palermo.ttl", "nt": "palermo.nt", "json-ld": "palermo.jsonld"}


def plain_graph(docs) -> Graph:
    """Documents and units with their text, parent, verb and citations: the core triples."""
    g = Graph()
    for doc in docs:
        node = URIRef(f"{BASE}doc/{doc.id}")
        g.add((node, RDF.type, ELI.Work))
        g.add((node, ELI.title, Literal(doc.title, lang="ar")))
        for unit in doc.units():
            u = URIRef(f"{BASE}doc/{doc.id}/{unit.eid}")
            parent = unit.parent
            up = (
                node
                if parent is None or parent is doc.root
                else URIRef(f"{BASE}doc/{doc.id}/{parent.eid}")
            )
            g.add((u, RDF.type, ELI.WorkSubdivision))
            g.add((u, ELI.is_part_of, up))
            g.add((u, ELI.number, Literal(unit.number)))
            g.add((u, PAL.text, Literal(unit.text, lang="ar")))
            if unit.verb:
                g.add((u, PAL.verb, URIRef(f"{BASE}verb/{unit.verb}")))
            for cite in unit.cites:
                p = cite.provision
                g.add((u, ELI.cites, URIRef(f"{BASE}instrument/{p.instrument}/art_{p.article}")))
    return g


def rdflib_graph(docs) -> tuple[Graph, str]:
    try:
        from graph.build import build_graph

        g = build_graph(docs)
        if isinstance(g, Graph):
            return g, "graph.build.build_graph (rdflib)"
    except Exception:  # the builder moved on: use the plain construction
        pass
    return plain_graph(docs), "plain rdflib construction"


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--seeds", required=True)
    args.add_argument("--out", required=True)
    args.add_argument("--no-validate", action="store_true")
    opts = args.parse_args(argv)
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    times: dict = {}
    start = time.perf_counter()
    from loaders import read_folder

    docs, errors = read_folder(Path(opts.seeds))
    times["read"] = time.perf_counter() - start
    if errors:
        print(json.dumps({"error": errors[0].message}))
        return 2
    start = time.perf_counter()
    g, how = rdflib_graph(docs)
    times["build"] = time.perf_counter() - start
    times["builder"] = how
    times["triples"] = len(g)
    if opts.no_validate:
        times["validate"] = "skipped"
    else:
        import pyshacl

        start = time.perf_counter()
        shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")
        conforms, _, _ = pyshacl.validate(
            g, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
        )
        times["validate"] = time.perf_counter() - start
        times["conforms"] = bool(conforms)
    for fmt, name in FORMATS.items():
        start = time.perf_counter()
        g.serialize(destination=str(out / name), format=fmt, encoding="utf-8")
        times[f"serialise {fmt}"] = time.perf_counter() - start
    print(json.dumps(times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
