"""Incremental builds: a document whose bytes, manifest entry and loader version have
not changed is not read and extracted again.

Each document's extraction (the :class:`loaders.model.Document` as
``read_document`` returns it, before cross-document linking) is pickled in
``<out>/.palermo-cache/<key>.pickle``, where the key is the sha256 of the file's
path and bytes, its manifest entry and the *loader version*: a hash of every
source and data file under ``loaders/``, so changing a pattern, a lexicon or the
code invalidates every entry. Linking across documents still runs over all of
them on every build (it is cheap: see ``loaders.extract.links``).

Documents not in the cache are read in parallel worker processes when there are
enough of them to pay for starting the workers. A cache file that cannot be read
is ignored with a warning and rewritten. The cache is written into the staged output
folder with the build's files (graph.publish swaps them in together), so it is published
only with a build that succeeded and holds exactly the entries that build used.
``--no-cache`` reads nothing from the old cache and writes a fresh one.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from multiprocessing import get_context
from pathlib import Path

from graph import publish
from graph.background import as_worker, can_fork, frozen_gc
from loaders import LoadError
from loaders.manifest import load_manifest
from loaders.model import Document
from loaders.read import folder_files, read_document

LOADERS = Path(__file__).resolve().parents[1] / "loaders"
#: Folder of the cache inside a build's output folder.
CACHE_DIR = ".palermo-cache"
#: Fewer uncached documents than this are read in this process. Forked workers start in
#: milliseconds (they re-import nothing); under spawn they cost about 0.5 s.
PARALLEL_FROM = 2


@cache
def loader_version() -> str:
    """sha256 over every file under ``loaders/`` (code and data), by relative path."""
    digest = hashlib.sha256()
    for path in sorted(LOADERS.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(LOADERS)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(path: Path, data: bytes, entry: dict | None) -> str:
    digest = hashlib.sha256()
    digest.update(loader_version().encode() + b"\0" + str(path).encode() + b"\0")
    digest.update(json.dumps(entry or {}, sort_keys=True, default=str).encode() + b"\0")
    digest.update(data)
    return digest.hexdigest()


def _extract(path: Path, entry: dict | None) -> bytes | LoadError:
    """In a worker: the pickled document, or the error reading it."""
    try:
        return pickle.dumps(read_document(path, entry), protocol=pickle.HIGHEST_PROTOCOL)
    except LoadError as exc:
        return exc


def _extract_to(path: Path, entry: dict | None, folder: Path) -> Path | LoadError:
    """In a worker: the pickled document written to a file in ``folder`` (its name
    returned), or the error reading it. Through the pool's one result pipe, shared by
    the workers, each 1 MB pickle waited for the parent to read it, and the parent,
    unpickling the documents as they came, read slowly: the workers stalled."""
    found = _extract(path, entry)
    if isinstance(found, LoadError):
        return found
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".pickle", delete=False) as fh:
        fh.write(found)
    return Path(fh.name)


def _taken(found: Path | bytes | LoadError) -> tuple[bytes, Document] | LoadError:
    """An extraction's result: the pickle (for the cache) and its document, or the
    error. A worker's pickle comes in a file, read and removed here."""
    if isinstance(found, LoadError):
        return found
    if isinstance(found, Path):
        data = found.read_bytes()
        found.unlink()
    else:
        data = found
    return data, pickle.loads(data)


class DocumentCache:
    """A reader for ``read_folder`` that reuses cached extractions (``folder`` None:
    no old cache to read, every document is read and extracted)."""

    def __init__(self, folder: Path | None, workers: int | None = None) -> None:
        self.folder = folder
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.extracted = 0  # documents read and extracted by this build
        self.reused = 0  # documents taken from the cache
        self.warnings: list[str] = []
        self._ready: dict[Path, tuple[bytes, Document] | LoadError] = {}
        self._used: set[str] = set()
        self._new: dict[str, bytes] = {}
        #: file name -> cache key of each document read
        self.keys: dict[str, str] = {}

    def _file(self, key: str) -> Path | None:
        return self.folder / f"{key}.pickle" if self.folder else None

    def _cached(self, key: str) -> Document | None:
        if key in self._new:  # extracted earlier in this build
            return pickle.loads(self._new[key])
        file = self._file(key)
        if file is None or not file.exists():
            return None
        try:
            doc = pickle.loads(file.read_bytes())
            if not isinstance(doc, Document):
                raise TypeError(f"holds a {type(doc).__name__}, not a Document")
        except Exception as exc:  # a damaged file can raise nearly anything
            self.warnings.append(f"cache file {file} could not be read ({exc}); re-reading")
            return None
        return doc

    def _store(self, key: str, data: bytes) -> None:
        """Keep a new entry until :meth:`save`: a build that fails writes nothing."""
        self._new[key] = data

    def key_of(self, path: Path) -> str:
        """The cache key of a document this reader read."""
        return self.keys[path.name]

    def keep(self, keys: list[str]) -> None:
        """Entries a build uses without reading them (graph.incremental): saved too."""
        self._used.update(keys)

    def save(self, dest: Path) -> None:
        """Write the cache of this build into ``dest``, the cache folder of the staged
        output: the entries it used, new ones written and reused ones hard-linked (or
        copied) from the old cache. Entries it did not use (documents changed or gone)
        go away with the previous output. A cache that cannot be written is a warning,
        never a failed build."""
        try:
            dest.mkdir(parents=True, exist_ok=True)
            for key in sorted(self._used):
                file = dest / f"{key}.pickle"
                if key in self._new:
                    file.write_bytes(self._new[key])
                elif self.folder is not None and (self.folder / file.name).exists():
                    # the old output folder, which holds it, goes after the swap
                    publish.link_or_copy(self.folder / file.name, file)
        except OSError as exc:
            self.warnings.append(f"the cache in {dest} could not be written ({exc})")
        self._new.clear()

    def prefetch(self, folder: Path, progress: Callable[[], None] = lambda: None) -> None:
        """Read every document of ``folder`` the cache lacks, in parallel when they are
        many; ``progress`` is called as each is done."""
        manifest = load_manifest(folder)
        todo = []
        for path in folder_files(folder):
            entry = manifest.get(path.name)
            key = cache_key(path, path.read_bytes(), entry)
            if self._file(key) is None or not self._file(key).exists():
                todo.append((path, entry))
        if len(todo) < PARALLEL_FROM or self.workers < 2:
            return
        # fork where there is one: workers start at once and re-import nothing (they
        # only read files and extract; the parent's threads draw progress, no more)
        method = "fork" if can_fork() else "spawn"
        context = get_context(method)
        workers = min(self.workers, len(todo))
        with (
            tempfile.TemporaryDirectory(prefix="palermo-extracted-") as scratch,
            ProcessPoolExecutor(
                workers, context, initializer=as_worker, initargs=(os.getpid(),)
            ) as pool,
        ):
            with frozen_gc():  # the workers are forked at the first submit
                futures = [
                    (path, pool.submit(_extract_to, path, entry, Path(scratch)))
                    for path, entry in todo
                ]
            # unpickled here as they come, beside the workers: after them, it was a
            # stretch with one core idle (28 s at 1000x the seeds)
            for path, future in futures:
                self._ready[path] = _taken(future.result())
                progress()

    def read(self, path: Path, entry: dict | None = None) -> Document:
        """Like :func:`loaders.read.read_document`, from the cache when it can."""
        try:
            data = path.read_bytes()
        except OSError:
            return read_document(path, entry)  # which reports the error for people
        key = cache_key(path, data, entry)
        self._used.add(key)
        self.keys[path.name] = key
        doc = None if path in self._ready else self._cached(key)
        if doc is not None:
            self.reused += 1
            return doc
        found = self._ready.pop(path, None)
        if found is None:
            found = _taken(_extract(path, entry))
        if isinstance(found, LoadError):
            raise found
        self.extracted += 1
        data, doc = found
        self._store(key, data)
        return doc
