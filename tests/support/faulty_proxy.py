"""An HTTP proxy on loopback that forwards to a real SPARQL store, or fails on purpose.

Modes, chosen per request path (``/update``, ``/query``) or for all paths:

| mode | what the client sees |
|---|---|
| pass | the store's own answer |
| slow | nothing for ``delay`` seconds, then the request is forwarded (too late for the client) |
| 401, 403, 500 | that status; the body echoes the Authorization header (a careless server) |
| drop-request | the connection closed after part of the request body was read; nothing forwarded |
| drop-response | the whole request forwarded to the store, then the connection closed unanswered |
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class FaultyProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, mode: str = "pass", delay: float = 3.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.upstream = urlsplit(upstream)
        self.modes: dict[str, str] = {}
        self.mode, self.delay = mode, delay
        self.seen: list[tuple[str, str, str | None]] = []  # (path, mode, Authorization)
        self.forwarded = 0
        self.busy = 0
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def mode_for(self, path: str) -> str:
        return self.modes.get(urlsplit(path).path, self.mode)

    def __enter__(self) -> FaultyProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()

    def handle_error(self, request, client_address) -> None:  # dropped sockets: expected
        return

    def wait_idle(self, timeout: float = 30) -> None:
        """Until every request taken has been handled (a slow one forwarded)."""
        end = time.monotonic() + timeout
        while self.busy and time.monotonic() < end:
            time.sleep(0.05)
        assert not self.busy, "the proxy is still handling a request"


class _Handler(BaseHTTPRequestHandler):
    server: FaultyProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep test output clean
        return

    def finish(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            super().finish()

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        proxy = self.server
        mode = proxy.mode_for(self.path)
        with proxy.lock:
            proxy.busy += 1
            proxy.seen.append((self.path, mode, self.headers.get("Authorization")))
        try:
            self._act(mode)
        finally:
            with proxy.lock:
                proxy.busy -= 1

    def _act(self, mode: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if mode == "drop-request":
            self.rfile.read(min(length, 4096))
            self._drop()
            return
        body = self.rfile.read(length)
        if mode in ("401", "403", "500"):
            echo = f"denied: Authorization was {self.headers.get('Authorization')}\n".encode()
            self.send_response(int(mode))
            if mode == "401":
                self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(echo)))
            self.end_headers()
            self.wfile.write(echo)
            return
        if mode == "slow":
            time.sleep(self.server.delay)
        status, headers, answer = self._forward(body)
        if mode == "drop-response":
            self._drop()
            return
        try:
            self.send_response(status)
            for name, value in headers:
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except OSError:
            pass  # the client gave up (slow mode)

    def _forward(self, body: bytes):
        up = self.server.upstream
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        conn.request(self.command, self.path, body=body, headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        conn.close()
        with self.server.lock:
            self.server.forwarded += 1
        return answer.status, answer.getheaders(), data

    def _drop(self) -> None:
        """Close at once (RST), with no answer."""
        linger = struct.pack("ii", 1, 0)
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        self.close_connection = True
        self.connection.close()
