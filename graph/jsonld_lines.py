"""Compact JSON-LD node objects straight from N-Triples lines.

:func:`graph.jsonld.node_texts` makes a pyoxigraph term for every subject, predicate
and object and a Python dict per node; at 100x the seeds (3 million triples) that was
more than three times the store's own serialiser. Here each line is cut into its three
terms as bytes and each value is written as JSON text directly: an N-Triples string
literal, quotes included, *is* its JSON string (Oxigraph escapes ``"``, ``\\``, ``\\b``,
``\\t``, ``\\n``, ``\\f``, ``\\r`` as JSON does), except where it holds a ``\\u`` escape
(Oxigraph writes upper-case hex, JSON lower-case) or DEL, which JSON writes raw. Those
rare lines go through the term-based path of :mod:`graph.jsonld`, so the bytes are
the same either way (tests/test_jsonld_lines.py compares the two).

Values are sorted by their JSON text as bytes, keys by their name as bytes: UTF-8
keeps code point order, so this is the order ``graph.jsonld`` sorts strings in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache

import pyoxigraph

from graph import jsonld

_RDF_TYPE = jsonld.RDF_TYPE.encode()
_INTEGER = "xsd:integer"


#: How a property's values take the short form: as an IRI, a literal, an integer.
_AS_IRI, _AS_LITERAL, _AS_INTEGER = 0, 1, 2
#: An IRI term ``<...>`` to its JSON string ``"..."`` (an IRI holds no ``<`` or ``>``).
_IRI_TO_JSON = bytes.maketrans(b"<>", b'""')


@cache
def _rules() -> dict[bytes, tuple[bytes, int, bytes, int]]:
    """Predicate IRI -> (key, how its values take the short form, how its literals must
    end: ``"@ar``, ``"`` for xsd:string, else ``"^^<datatype>``, and the bytes after
    the closing quote)."""
    out = {}
    for prop, (name, coercion, datatype) in jsonld._rules().items():
        if coercion == jsonld._ARABIC:
            ending = b'"@ar'
        elif datatype == jsonld.XSD_STRING:
            ending = b'"'
        else:
            ending = b'"^^<' + datatype.encode() + b">"
        mode = {jsonld._IRI: _AS_IRI, _INTEGER: _AS_INTEGER}.get(coercion, _AS_LITERAL)
        out[prop.encode()] = (name.encode(), mode, ending, len(ending) - 1)
    return out


@cache
def _curie_key(iri: bytes) -> bytes:
    return jsonld._curie(iri.decode()).encode()


@cache
def _curie_json(iri: bytes) -> bytes:
    return b'"' + _curie_key(iri) + b'"'


#: The rule of a property with no short name: no value fits.
_NO_RULE = (b"", -1, b"\0", 0)

_NOT_A_TRIPLE = "a line of the N-Triples is not <s> <p> o . (cannot write JSON-LD)"


def _expanded(term: bytes) -> bytes:
    """A value that does not fit its term's short form, as JSON-LD writes it expanded."""
    if term[0] == 60:
        return b'{"@id": "' + term[1:-1] + b'"}'
    if term[0] == 95:  # "_"
        return b'{"@id": "' + term + b'"}'
    quote = term.rindex(b'"')
    lexical, suffix = term[: quote + 1], term[quote + 1 :]
    if not suffix:
        return lexical
    if suffix[0] == 64:  # "@"
        return b'{"@value": ' + lexical + b', "@language": "' + suffix[1:] + b'"}'
    return b'{"@value": ' + lexical + b', "@type": "' + suffix[3:-1] + b'"}'


def _integer(lexical: bytes) -> bytes | None:
    """The JSON number of an integer literal's quoted lexical form (None if ill-typed)."""
    try:
        return str(int(lexical[1:-1].decode())).encode()
    except ValueError:
        return None


def _by_terms(s: bytes, p: bytes, o: bytes) -> tuple[bytes, bytes]:
    """(key, JSON value) of a triple through pyoxigraph terms: for literals whose
    escapes differ between N-Triples and JSON."""
    line = b"%s <%s> %s .\n" % (s, p, o)
    (triple,) = pyoxigraph.parse(line, format=pyoxigraph.RdfFormat.N_TRIPLES)
    ((_, node),) = jsonld.node_objects([triple])
    (key, value) = list(node.items())[1]
    return key.encode(), json.dumps(value, ensure_ascii=False).encode()


def _node(subject: bytes, props: dict[bytes, list[bytes]]) -> bytes:
    """One node object: ``id`` first, then the keys sorted, each value alone or a
    sorted list, spaced as json's encoder spaces them."""
    parts = [b'{"id": "', subject[1:-1] if subject[0] == 60 else subject, b'"']
    for key in sorted(props):
        values = props[key]
        parts += (b', "', key, b'": ')
        if len(values) == 1:
            parts.append(values[0])
        else:
            values.sort()
            parts += (b"[", b", ".join(values), b"]")
    parts.append(b"}")
    return b"".join(parts)


#: Memoised (key, value) pairs are kept for lines shorter than this after the subject
#: (types, kinds, themes, orders, links: three quarters of the lines at 10x the seeds
#: repeat one seen before); longer ones are texts, seldom repeated.
_MEMO_LINE = 160
#: ... and at most this many, so the memo stays within tens of MB at any scale.
_MEMO_SIZE = 200_000


def _key_value(s: bytes, p: bytes, o: bytes, odd: bool) -> tuple[bytes, bytes]:
    """(key, JSON value) of one triple (``p`` without its brackets, ``o`` as
    written): the short form where the value fits the term (graph.jsonld._short),
    else the expanded form under the prefixed name."""
    kind = o[0]
    if odd and kind == 34 and (b"\\u" in o or b"\\U" in o or b"\x7f" in o):
        return _by_terms(s, p, o)
    if kind == 60 and p == _RDF_TYPE:
        return b"type", _curie_json(o[1:-1])
    key, mode, ending, cut = _rules().get(p, _NO_RULE)
    if mode == _AS_IRI:
        value = o.translate(_IRI_TO_JSON) if kind == 60 else None
    elif kind != 34 or not o.endswith(ending):
        value = None
    elif mode == _AS_LITERAL:
        value = o[:-cut] if cut else o
    else:
        value = _integer(o[:-cut])
    if value is None:
        return _curie_key(p), _expanded(o)
    return key, value


def _writes_differently(chunk: bytes) -> bool:
    """Whether ``chunk`` may hold a ``\\u``/``\\U`` escape or DEL, which N-Triples and
    JSON write differently. Backslashes are rare (about one in 50,000 bytes of the
    seeds' N-Triples), and finding one byte is a memchr, while searching for the
    two-byte ``\\u`` in Arabic text took a tenth of the whole JSON-LD writing."""
    at = chunk.find(b"\\")
    while at != -1:
        if chunk[at + 1 : at + 2] in (b"u", b"U"):
            return True
        at = chunk.find(b"\\", at + 1)
    return b"\x7f" in chunk


def node_texts(chunks: Iterable[bytes], memo: dict | None = None) -> Iterator[bytes]:
    """One line of JSON per subject, from N-Triples ``chunks`` (whole lines) in which
    each subject's triples are adjacent: the bytes :func:`graph.jsonld.node_texts`
    writes for the same triples. ``memo`` (pass one dict for a whole file) keeps the
    (key, value) of short predicate-object pairs: a pair's JSON does not depend on
    its subject, and most pairs recur (at 10x the seeds 20% faster)."""
    memo = {} if memo is None else memo
    current, props = None, {}
    for chunk in chunks:
        lines = chunk.split(b"\n")
        if lines.pop():  # each line is checked to end " ." below (or was, if memoised)
            raise ValueError(_NOT_A_TRIPLE)
        # literals are searched for what JSON writes differently only if the chunk has it
        odd = _writes_differently(chunk)
        for line in lines:
            # no space inside a subject or a predicate; a raw newline in no literal
            s, _, rest = line.partition(b" ")
            if s != current:
                if current is not None:
                    yield _node(current, props)
                current, props = s, {}
            # texts, seldom repeated, are not hashed only to miss
            pair = memo.get(rest) if len(rest) < _MEMO_LINE else None
            if pair is None:
                p, space, o = rest.partition(b" ")
                if not space or p[:1] != b"<" or not o.endswith(b" ."):
                    raise ValueError(_NOT_A_TRIPLE)
                pair = _key_value(s, p[1:-1], o[:-2], odd)
                if len(rest) < _MEMO_LINE and not odd:
                    if len(memo) >= _MEMO_SIZE:
                        memo.clear()
                    memo[rest] = pair
            key, value = pair
            values = props.get(key)
            if values is None:
                props[key] = [value]
            else:
                values.append(value)
    if current is not None:
        yield _node(current, props)
