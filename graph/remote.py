"""SPARQL 1.1 stores beyond this machine: run queries on an endpoint, push a graph into
a named graph.

Requests follow the SPARQL 1.1 Protocol (POST, ``application/sparql-query`` or
``application/sparql-update``) through urllib, so every status code, timeout and dropped
connection is ours to report. Credentials come from the environment
(``PALERMO_SPARQL_USER``, ``PALERMO_SPARQL_PASSWORD``) or from ``~/.netrc`` for the
endpoint's host, never from the URL; they are sent as HTTP basic auth and never printed,
logged or kept in an exception: every message is scrubbed of them. Each blocking step
(connect, send, each read) has a timeout. A refused or dropped connection is retried
(a push is one idempotent request: DROP and refill); a timeout or an answer from the
server is not. Every failure is a :class:`RemoteError` whose one-line message names the
endpoint and says what to do, and whose ``applied`` says what the store may hold.
"""

from __future__ import annotations

import base64
import http.client
import json
import netrc
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from graph.export import DEFAULT_NAMED_GRAPH
from graph.iris import IRIError, check_graph_iri

__all__ = ["DEFAULT_NAMED_GRAPH", "RemoteError", "push", "select"]

TIMEOUT_S = 60
RETRIES = 3
BACKOFF_S = 0.5

#: What a failed update left on the store.
UNCHANGED, UNKNOWN, APPLIED = "unchanged", "unknown", "applied"


class RemoteError(Exception):
    """A store that is down, refuses, times out or answers with an error.

    ``applied`` is UNCHANGED when the request cannot have changed the store, UNKNOWN when
    it may have been applied (sent, then no answer), APPLIED when the store accepted it.
    """

    def __init__(self, message: str, applied: str = UNCHANGED) -> None:
        super().__init__(message)
        self.applied = applied


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = ""

    def __repr__(self) -> str:  # never show the password, even in a traceback
        return f"Credentials(user={self.user!r}, password=***)"

    def header(self) -> str:
        token = f"{self.user}:{self.password}".encode()
        return "Basic " + base64.b64encode(token).decode("ascii")

    def scrub(self, text: str) -> str:
        """``text`` with the password, and the header that carries it, blanked out."""
        for secret in (self.header()[6:], self.password):
            if secret:
                text = text.replace(secret, "***")
        return text


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


def check_url(url: str) -> str:
    """An http(s) endpoint URL without credentials in it (they would show in messages,
    shell history and process lists); raise RemoteError otherwise."""
    if any(ord(ch) < 0x21 for ch in url) or len(url) > 2000:
        raise RemoteError("the endpoint URL holds spaces or control characters, or is too long")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise RemoteError("the endpoint URL cannot be read as a URL") from None
    if parts.username is not None or parts.password is not None:
        raise RemoteError(
            "the endpoint URL carries a user name or password: remove it and set "
            "PALERMO_SPARQL_USER and PALERMO_SPARQL_PASSWORD, or a ~/.netrc entry"
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteError(f"{url!r} is not an http(s) SPARQL endpoint URL")
    return url


def _request(url: str, body: bytes, content_type: str, accept: str, timeout: int) -> bytes:
    """POST ``body``; the answer's bytes. Raises urllib/socket/http.client errors."""
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": content_type, "Accept": accept}
    )
    creds = credentials(url)
    if creds:
        request.add_unredirected_header("Authorization", creds.header())
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return answer.read()


#: A connection closed after the request went out (or while it was going out).
_DROPPED = (
    http.client.HTTPException,
    ConnectionResetError,
    ConnectionAbortedError,
    BrokenPipeError,
)


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    return (type(reason).__name__ + (f": {reason}" if str(reason) else "")).splitlines()[0][:200]


def _call(url: str, body: bytes, content_type: str, accept: str, timeout: int, update: bool):
    """:func:`_request` with retries on refused or dropped connections; RemoteError else."""
    creds = credentials(url)
    scrub = creds.scrub if creds else (lambda text: text)
    caveat = (
        "; the update may still have been applied: the named graph is either the old or "
        "the new one in full (one transaction); push again, or check it with `palermo query "
        "--endpoint`"
        if update
        else ""
    )
    last: BaseException | None = None
    for attempt in range(RETRIES):
        if attempt:
            time.sleep(BACKOFF_S * (2 ** (attempt - 1)))
        try:
            return _request(url, body, content_type, accept, timeout)
        except urllib.error.HTTPError as exc:
            message = scrub(_http_message(url, exc, creds))
            if update and exc.code >= 500:
                message += caveat
            raise RemoteError(message, _after_status(exc.code)) from None
        except TimeoutError:
            raise _timeout(url, timeout, caveat, update) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _timeout(url, timeout, caveat, update) from None
            last = exc  # refused, unknown host, or dropped while sending
        except (http.client.HTTPException, OSError) as exc:
            last = exc  # sent, then the connection closed before an answer; or refused
    assert last is not None
    sent = update and isinstance(last, _DROPPED)
    if isinstance(last, _DROPPED) or isinstance(getattr(last, "reason", None), _DROPPED):
        raise RemoteError(
            scrub(
                f"{url} closed the connection before answering, {RETRIES} times "
                f"({_reason(last)}): check the store's logs and any proxy in between"
                + (caveat if sent else "")
            ),
            UNKNOWN if sent else UNCHANGED,
        ) from None
    raise RemoteError(
        scrub(
            f"cannot reach {url} after {RETRIES} tries ({_reason(last)}): "
            "is the store up and the URL right?"
        )
    ) from None


def _timeout(url: str, timeout: int, caveat: str, update: bool) -> RemoteError:
    return RemoteError(
        f"{url} did not answer within {timeout} s: the store may be busy or the request "
        f"large; try a larger --timeout{caveat}",
        UNKNOWN if update else UNCHANGED,
    )


def _after_status(code: int) -> str:
    """A 4xx answer means the request was refused; a 5xx may come from a gateway after
    the store applied it."""
    return UNCHANGED if code < 500 else UNKNOWN


def _http_message(url: str, exc: urllib.error.HTTPError, creds: Credentials | None) -> str:
    try:
        body = exc.read()[:2000]
    except (OSError, http.client.HTTPException):
        body = b""
    lines = [ln for ln in body.decode("utf-8", "replace").splitlines() if ln.strip()]
    detail = f": {lines[0].strip()[:200]}" if lines else ""
    code = exc.code
    if code in (401, 403):
        sent = "the credentials sent were not accepted" if creds else "no credentials were sent"
        return (
            f"{url} refused the request (HTTP {code}{detail}); {sent}: set "
            "PALERMO_SPARQL_USER and PALERMO_SPARQL_PASSWORD, or a ~/.netrc entry for "
            f"{urlsplit(url).hostname}, for a user allowed to write"
        )
    if code >= 500:
        return f"{url} answered HTTP {code}{detail}: the store failed; check its logs"
    return f"{url} answered HTTP {code}{detail}: check the endpoint URL and the request"


def select(
    url: str, query: str, timeout: int = TIMEOUT_S, graph: str | None = None
) -> tuple[list[str], list[list[str]]]:
    """Run a SELECT query on an endpoint, over ``graph`` as default graph if given (the
    protocol's default-graph-uri); (columns, rows of strings)."""
    check_url(url)
    if graph:
        try:
            check_graph_iri(graph)
        except IRIError as exc:
            raise RemoteError(str(exc)) from None
        parts = urlsplit(url)
        extra = urlencode({"default-graph-uri": graph})
        url = urlunsplit(parts._replace(query="&".join(filter(None, (parts.query, extra)))))
    data = _call(
        url,
        query.encode("utf-8"),
        "application/sparql-query; charset=utf-8",
        "application/sparql-results+json",
        timeout,
        update=False,
    )
    try:
        parsed = json.loads(data)
        columns = parsed["head"]["vars"]
        bindings = parsed["results"]["bindings"]
        rows = [[b.get(c, {}).get("value", "") for c in columns] for b in bindings]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise RemoteError(
            f"{url} did not answer with SPARQL JSON results: is it a SPARQL query endpoint?"
        ) from None
    return columns, rows


def update(url: str, request: str, timeout: int = TIMEOUT_S) -> None:
    """Send one SPARQL 1.1 Update request (one transaction on stores such as Oxigraph)."""
    check_url(url)
    _call(
        url,
        request.encode("utf-8"),
        "application/sparql-update; charset=utf-8",
        "*/*",
        timeout,
        update=True,
    )


def _graph(graph: str) -> str:
    try:
        return check_graph_iri(graph)
    except IRIError as exc:
        raise RemoteError(f"{exc}: give --named-graph a plain http(s) or urn IRI") from None


def replace_graph_request(graph: str, ntriples: str) -> str:
    """DROP and refill ``graph`` in one update request, so readers see old or new, never half.

    ``graph`` is checked to be a plain IRI (graph.iris.check_graph_iri); the triples are
    N-Triples, whose syntax is valid inside INSERT DATA.
    """
    graph = _graph(graph)
    return f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{ntriples}}} }}\n"


def query_url_for(update_url: str) -> str:
    """The query endpoint beside an update endpoint (Oxigraph and Fuseki: /update, /query)."""
    if update_url.rstrip("/").endswith("/update"):
        return update_url.rstrip("/")[: -len("/update")] + "/query"
    return update_url


def count(url: str, graph: str, timeout: int = TIMEOUT_S) -> int:
    """Triples in ``graph`` (a checked IRI, so it cannot change the query)."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{_graph(graph)}> {{ ?s ?p ?o }} }}"
    _, rows = select(url, query, timeout)
    try:
        return int(rows[0][0]) if rows else 0
    except ValueError:
        raise RemoteError(f"{url} answered a count that is not a number") from None


def push(
    ntriples: str,
    update_url: str,
    query_url: str,
    graph: str,
    expected: int,
    timeout: int = TIMEOUT_S,
) -> int:
    """Replace ``graph`` on the store with ``ntriples`` in one request; verify the count.

    Every RemoteError raised says, in its message and ``applied``, what the store holds.
    """
    request = replace_graph_request(graph, ntriples)
    check_url(query_url)
    try:
        update(update_url, request, timeout)
    except RemoteError as exc:
        if exc.applied == UNCHANGED:
            raise RemoteError(f"{exc}; <{graph}> on the store is unchanged") from None
        raise
    try:
        found = count(query_url, graph, timeout)
    except RemoteError as exc:
        raise RemoteError(
            f"{update_url} accepted the update, so <{graph}> should hold the new graph, but it "
            f"could not be counted: {exc}. Check it with `palermo query --endpoint {query_url}`",
            APPLIED,
        ) from None
    if found != expected:
        raise RemoteError(
            f"{query_url} holds {found} triples in <{graph}> after the push, "
            f"{expected} were sent: check the store's logs",
            APPLIED,
        )
    return found
