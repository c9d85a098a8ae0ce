"""The JSON-LD written from N-Triples lines is, byte for byte, the JSON-LD written from
pyoxigraph terms (graph.jsonld), on the seeds and on the values where the two
notations part: escapes, DEL, ill-typed literals, blank nodes, unknown properties."""

from __future__ import annotations

import json

import pyoxigraph
import pytest

from graph import jsonld, jsonld_lines
from graph.build import build_store
from graph.export import StoreExports
from graph.store import new_store

NT = pyoxigraph.RdfFormat.N_TRIPLES
PAL = "https://w3id.org/palermo/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def both(data: bytes) -> tuple[list[bytes], list[bytes]]:
    """(term-based, line-based) node texts of N-Triples ``data``."""
    by_terms = list(jsonld.node_texts(pyoxigraph.parse(data, format=NT)))
    return by_terms, list(jsonld_lines.node_texts([data]))


def test_the_seeds_give_the_same_bytes_both_ways(seed_docs, tmp_path) -> None:
    store = build_store(list(seed_docs.values()), new_store())
    exports = StoreExports(store, tmp_path)
    exports.ntriples(tmp_path / "palermo.nt")
    by_terms, by_lines = both((tmp_path / "palermo.nt").read_bytes())
    assert len(by_lines) == 4_153
    assert by_lines == by_terms


def node(subject: str, triples: list[tuple]) -> bytes:
    """N-Triples of ``triples`` about ``subject``, as Oxigraph writes them, sorted."""
    s = pyoxigraph.NamedNode(subject) if "://" in subject else pyoxigraph.BlankNode(subject)
    quads = [pyoxigraph.Triple(s, pyoxigraph.NamedNode(p), o) for p, o in triples]
    lines = pyoxigraph.serialize(quads, None, NT).splitlines(keepends=True)
    return b"".join(sorted(lines))


def lit(value: str, datatype: str | None = None, language: str | None = None):
    if datatype:
        return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(datatype))
    return pyoxigraph.Literal(value, language=language)


HOSTILE = [
    # every control character, DEL, quotes and backslashes in a short-form text
    (PAL.replace("ontology#", "") + "x", [(f"{PAL}printed", lit("".join(map(chr, range(32)))))]),
    ("https://w3id.org/palermo/doc/a", [(f"{PAL}printed", lit('a "q" \\ b\x7f c'))]),
    # an English text under a term coerced to Arabic, and an Arabic one beside it
    (
        "https://w3id.org/palermo/doc/b",
        [
            ("https://schema.org/text", lit("English", language="en")),
            ("https://schema.org/text", lit("\u0646\u0635", language="ar")),
            ("https://schema.org/text", lit("plain")),
        ],
    ),
    # ill-typed and well-typed integers, a decimal under an integer term
    (
        "https://w3id.org/palermo/doc/c",
        [
            (f"{PAL}order", lit("abc", f"{XSD}integer")),
            (f"{PAL}order", lit("12", f"{XSD}integer")),
            (f"{PAL}order", lit("1.5", f"{XSD}decimal")),
        ],
    ),
    # rdf:type of a literal, a blank object, an unknown property with no prefix
    (
        "https://w3id.org/palermo/doc/d",
        [
            ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", lit("not a class")),
            ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", pyoxigraph.NamedNode(f"{PAL}Unit")),
            (f"{PAL}footnote", pyoxigraph.BlankNode("b1")),
            ("urn:example:p", lit("x", "urn:example:type")),
            ("urn:example:p", lit("\u2028 \U0001f600")),
        ],
    ),
    # a blank subject
    ("b2", [(f"{PAL}relation", lit("identical"))]),
]


@pytest.mark.parametrize("subject,triples", HOSTILE, ids=lambda v: str(v)[:30])
def test_hostile_values_give_the_same_bytes_both_ways(subject, triples) -> None:
    by_terms, by_lines = both(node(subject, triples))
    assert by_lines == by_terms
    assert len(by_lines) == 1
    assert json.loads(by_lines[0])["id"].endswith(subject[-2:])


def test_an_ill_typed_integer_is_written_expanded() -> None:
    (text,) = both(node("https://w3id.org/palermo/doc/c", HOSTILE[3][1]))[1]
    expanded = [
        {"@value": "1.5", "@type": f"{XSD}decimal"},
        {"@value": "abc", "@type": f"{XSD}integer"},
    ]
    assert json.loads(text)["pal:order"] == expanded
    assert json.loads(text)["order"] == 12


def test_a_line_that_is_not_a_triple_is_refused() -> None:
    with pytest.raises(ValueError, match="not <s> <p> o"):
        list(jsonld_lines.node_texts([b"<urn:a> <urn:p> <urn:o> .\nnonsense\n"]))


def test_a_memo_shared_across_chunks_and_cleared_when_full_changes_no_byte(
    seed_docs, tmp_path, monkeypatch
) -> None:
    """One memo for a whole file, emptied whenever it fills (here at 50 pairs), with the
    hostile nodes after the seeds: a pair is only ever reused for the same predicate
    and object, and never across the escape forms JSON writes differently."""
    store = build_store(list(seed_docs.values()), new_store())
    StoreExports(store, tmp_path).ntriples(tmp_path / "palermo.nt")
    lines = (tmp_path / "palermo.nt").read_bytes().splitlines(keepends=True)
    chunks = [b"".join(lines[i : i + 500]) for i in range(0, len(lines), 500)]
    chunks += [node(subject, triples) for subject, triples in HOSTILE]
    monkeypatch.setattr(jsonld_lines, "_MEMO_SIZE", 50)
    memo: dict = {}
    by_lines = list(jsonld_lines.node_texts(chunks, memo))
    by_terms = list(jsonld.node_texts(pyoxigraph.parse(b"".join(chunks), format=NT)))
    assert by_lines == by_terms
    assert 0 < len(memo) <= 50
    assert all(b"\\u" not in rest and b"\x7f" not in rest for rest in memo)


@pytest.mark.parametrize(
    "chunk,odd",
    [
        (b'<urn:a> <urn:p> "plain \\" quote\\n" .\n', False),
        (b'<urn:a> <urn:p> "a \\" quote, then \\u2028" .\n', True),
        (b'<urn:a> <urn:p> "\\U0001F600" .\n', True),
        (b'<urn:a> <urn:p> "del \x7f" .\n', True),
        (b'<urn:a> <urn:p> "ends in a backslash \\\\" .\n<urn:a> <urn:p> "u" .\n', False),
        (b"", False),
    ],
)
def test_a_chunk_is_searched_for_what_json_writes_differently(chunk, odd) -> None:
    """Only the escapes JSON writes otherwise (and DEL) send a chunk's literals through
    the term-based path; a backslash before any other letter does not."""
    assert jsonld_lines._writes_differently(chunk) is odd
