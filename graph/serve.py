"""Serve a graph from an Oxigraph server on loopback (``palermo serve``), and start one
for tests: the ``oxigraph`` command from the ``oxigraph`` package, read-only, bound
to 127.0.0.1, with its own temporary store that is removed when it stops."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from graph.publish import remove_orphans

READY_TIMEOUT_S = 30

#: A temporary store's folder: this prefix, then the pid of the process that made it.
STORE_PREFIX = "palermo-oxigraph-"
_STORE_DIR = re.compile(re.escape(STORE_PREFIX) + r"(\d+)-")


class ServeError(Exception):
    """The server could not be started; the message says why."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_command() -> str:
    found = shutil.which("oxigraph")
    if not found:
        raise ServeError("the `oxigraph` command is missing: pip install oxigraph")
    return found


def remove_leftovers(folder: Path | None = None) -> list[Path]:
    """Remove the temporary stores (in ``folder``, the temporary folder by default) of
    servers whose process is gone: :meth:`Server.stop` removes its own, but a process
    killed outright cannot (the test suite's and ``palermo serve``'s stores are the
    size of the graph). Returns what was removed."""
    return remove_orphans(Path(folder or tempfile.gettempdir()), _STORE_DIR)


class Server:
    """An Oxigraph server for ``file`` on 127.0.0.1:``port`` (read-only unless asked)."""

    def __init__(
        self, file: Path | None, port: int = 0, writable: bool = False, store: bool = False
    ) -> None:
        """``file`` is an RDF file loaded into a temporary store, or with ``store`` an
        Oxigraph store folder served as it is (read-only, never removed)."""
        self.file, self.port, self.writable = file, port or free_port(), writable
        self.store = store
        self.url = f"http://127.0.0.1:{self.port}"
        self.dir: str | None = None
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        command = oxigraph_command()
        if self.store and self.file is not None:
            self._serve(command, str(self.file))
            return
        remove_leftovers()
        self.dir = tempfile.mkdtemp(prefix=f"{STORE_PREFIX}{os.getpid()}-")
        store = str(Path(self.dir) / "store")
        if self.file is not None:
            loaded = subprocess.run(
                [command, "load", "--location", store, "--file", str(self.file)],
                capture_output=True,
                text=True,
            )
            if loaded.returncode != 0:
                self.stop()
                raise ServeError(
                    f"oxigraph could not load {self.file}: {loaded.stderr.strip()[:300]}"
                )
        self._serve(command, store)

    def _serve(self, command: str, store: str) -> None:
        mode = "serve" if self.writable else "serve-read-only"
        self.process = subprocess.Popen(
            [command, mode, "--location", store, "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                message = self.process.stderr.read().decode("utf-8", "replace")[:300]
                self.stop()
                raise ServeError(f"oxigraph stopped at once (port {self.port} taken?): {message}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise ServeError(f"oxigraph did not answer on {self.url} within {READY_TIMEOUT_S} s")

    def wait(self) -> None:
        if self.process is not None:
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
