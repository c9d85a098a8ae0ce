"""SPARQL 1.1 stores beyond this machine: run queries on an endpoint, push a graph into
a named graph, serve a build on loopback.

Credentials come from the environment (``PALERMO_SPARQL_USER``,
``PALERMO_SPARQL_PASSWORD``) or from ``~/.netrc`` for the endpoint's host, and
are never printed or logged. Requests have a timeout and are retried on
connection failures (never on an answer from the server). Every failure is a
:class:`RemoteError` whose message names the endpoint and says what to do.
"""

from __future__ import annotations

import json
import netrc
import os
import time
import urllib.error
from dataclasses import dataclass
from urllib.parse import urlsplit

from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from graph.export import DEFAULT_NAMED_GRAPH

__all__ = ["DEFAULT_NAMED_GRAPH", "RemoteError", "push", "select"]

TIMEOUT_S = 60
RETRIES = 3
BACKOFF_S = 0.5


class RemoteError(Exception):
    """A store that is down, refuses, times out or answers with an error."""


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    def __repr__(self) -> str:  # never show the password, even in a traceback
        return f"Credentials(user={self.user!r}, password=***)"


def credentials(url: str) -> Credentials | None:
    """From PALERMO_SPARQL_USER / PALERMO_SPARQL_PASSWORD, else ~/.netrc for the host."""
    user, password = (
        os.environ.get("PALERMO_SPARQL_USER"),
        os.environ.get("PALERMO_SPARQL_PASSWORD"),
    )
    if user and password is not None:
        return Credentials(user, password)
    host = urlsplit(url).hostname or ""
    try:
        found = netrc.netrc().authenticators(host)
    except (FileNotFoundError, netrc.NetrcParseError, OSError):
        return None
    if found and found[0]:
        return Credentials(found[0], found[2] or "")
    return None


def _client(url: str, timeout: int) -> SPARQLWrapper:
    if urlsplit(url).scheme not in ("http", "https"):
        raise RemoteError(f"{url!r} is not an http(s) SPARQL endpoint URL")
    client = SPARQLWrapper(url)
    client.setTimeout(timeout)
    creds = credentials(url)
    if creds:
        client.setCredentials(creds.user, creds.password)
    return client


def _run(url: str, action, timeout: int):
    """Call ``action(client)``, retrying connection failures; translate errors."""
    last = ""
    for attempt in range(RETRIES):
        try:
            return action(_client(url, timeout))
        except urllib.error.HTTPError as exc:
            raise RemoteError(_http_message(url, exc.code, exc.read()[:300])) from None
        except SPARQLWrapperException as exc:
            raise RemoteError(f"{url} answered with an error: {_first_line(exc)}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            last = str(getattr(exc, "reason", exc))
            time.sleep(BACKOFF_S * (2**attempt))
    raise RemoteError(
        f"cannot reach {url} after {RETRIES} tries ({last}): is the store up and the URL right?"
    )


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300]


def _http_message(url: str, code: int, body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip().splitlines()
    detail = f": {text[0][:200]}" if text else ""
    if code in (401, 403):
        return (
            f"{url} refused the request (HTTP {code}){detail}. Set PALERMO_SPARQL_USER and "
            "PALERMO_SPARQL_PASSWORD, or a ~/.netrc entry for the host"
        )
    return f"{url} answered HTTP {code}{detail}"


def select(
    url: str, query: str, timeout: int = TIMEOUT_S, graph: str | None = None
) -> tuple[list[str], list[list[str]]]:
    """Run a SELECT query on an endpoint, over ``graph`` as default graph if given (the
    protocol's default-graph-uri); (columns, rows of strings)."""

    text = "\n".join(ln for ln in query.splitlines() if not ln.lstrip().startswith("#"))

    def action(client: SPARQLWrapper):
        client.setQuery(text)
        client.queryType = SELECT  # its keyword sniffing takes "addressee" for ADD
        client.setReturnFormat(JSON)
        client.setMethod(POST)
        if graph:
            client.addDefaultGraph(graph)
        return client.query().convert()

    data = _run(url, action, timeout)
    if isinstance(data, bytes):
        data = json.loads(data)
    columns = data["head"]["vars"]
    rows = [[b.get(c, {}).get("value", "") for c in columns] for b in data["results"]["bindings"]]
    return columns, rows


def update(url: str, request: str, timeout: int = TIMEOUT_S) -> None:
    """Send one SPARQL 1.1 Update request (one transaction on stores such as Oxigraph)."""

    def action(client: SPARQLWrapper):
        client.setMethod(POST)
        client.setRequestMethod("postdirectly")
        client.setQuery(request)
        return client.query()

    _run(url, action, timeout)


def replace_graph_request(graph: str, ntriples: str) -> str:
    """DROP and refill ``graph`` in one update request, so readers see old or new, never half.

    ``graph`` is checked to be a plain IRI; the triples are N-Triples, whose syntax is
    valid inside INSERT DATA.
    """
    if any(ch in graph for ch in '<>"{}|^`\\ \n') or urlsplit(graph).scheme not in (
        "http",
        "https",
        "urn",
    ):
        raise RemoteError(f"{graph!r} is not a usable named graph IRI")
    return f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{ntriples}}} }}\n"


def query_url_for(update_url: str) -> str:
    """The query endpoint beside an update endpoint (Oxigraph and Fuseki: /update, /query)."""
    if update_url.rstrip("/").endswith("/update"):
        return update_url.rstrip("/")[: -len("/update")] + "/query"
    return update_url


def count(url: str, graph: str, timeout: int = TIMEOUT_S) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    _, rows = select(url, query, timeout)
    return int(rows[0][0]) if rows else 0


def push(
    ntriples: str,
    update_url: str,
    query_url: str,
    graph: str,
    expected: int,
    timeout: int = TIMEOUT_S,
) -> int:
    """Replace ``graph`` on the store with ``ntriples``; verify the count; return it."""
    update(update_url, replace_graph_request(graph, ntriples), timeout)
    found = count(query_url, graph, timeout)
    if found != expected:
        raise RemoteError(
            f"{query_url} holds {found} triples in <{graph}> after the push, "
            f"{expected} were sent: check the store's logs"
        )
    return found
