"""Publish a build folder as a whole: readers see the old set of files or the new one, never a mix.

A build is written into a staging folder *beside* the output folder (same parent, so
same file system), then the two folders are swapped in one system call, Linux's
``renameat2(RENAME_EXCHANGE)``. Killed at any moment, even by SIGKILL, a build leaves
``out`` exactly as it was before or exactly as the new build wrote it.

Where that call is missing (not Linux, an old kernel, a file system that refuses it),
the swap takes two renames: ``out`` -> ``.out.palermo-old``, then staging -> ``out``.
A kill between the two leaves ``out`` missing and the old folder complete beside it;
:func:`recover`, run at the start of the next build (and of the next commit), puts it
back. Either way the files of a build change together.

Palermo owns its output folder: it writes a ``.palermo-build`` marker listing the files
of the build, and replaces only a folder that is empty, or holds nothing but that
marker and the files it lists (or, for folders written before markers existed,
nothing but Palermo's file names). Anything else (``--out .`` by accident, a folder of
your own files) is refused, so Palermo never deletes a file it did not write.

Staging folders of builds that were killed (their process is gone) are removed at the
start of the next build. SIGINT and SIGTERM raise :class:`Interrupted` in the main
thread, deferred while a swap is in progress, so staging is removed on the way out.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

MARKER = ".palermo-build"
MARKER_HEAD = "# written by `palermo build`: this folder is replaced as a whole by each build.\n"

#: File names a Palermo build folder held before markers existed.
LEGACY_NAMES = frozenset(
    {
        "palermo.nt",
        "palermo.ttl",
        "palermo.trig",
        "palermo.jsonld",
        "context.jsonld",
        "recommendations.csv",
        "warnings.txt",
    }
)

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class PublishError(Exception):
    """The output folder cannot be replaced; the message says why and what to do."""


class Interrupted(BaseException):
    """SIGINT or SIGTERM: unwinds like KeyboardInterrupt, so ``finally`` blocks run."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


# --- signals ------------------------------------------------------------------------------

_critical = 0
_pending: int | None = None

#: Output folders this process has published (so an interruption can say what it left).
published: list[Path] = []


def _on_signal(signum: int, _frame) -> None:
    global _pending
    if _critical:
        _pending = signum
        return
    raise Interrupted(signum)


def install_signal_handlers() -> None:
    """SIGINT and SIGTERM raise :class:`Interrupted` (in the main thread only)."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _on_signal)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Defer SIGINT/SIGTERM until the swap is done, then raise the first one received."""
    global _critical, _pending
    _critical += 1
    try:
        yield
    finally:
        _critical -= 1
        if not _critical and _pending is not None:
            signum, _pending = _pending, None
            raise Interrupted(signum)


# --- names beside the output folder ---------------------------------------------------------


def _staging_prefix(out: Path, kind: str = "staging") -> str:
    return f".{out.name}.palermo-{kind}-"


def _old(out: Path) -> Path:
    return out.parent / f".{out.name}.palermo-old"


def target(out: Path) -> Path:
    """The absolute output folder (a symbolic link is followed: its target is replaced)."""
    return Path(os.path.abspath(out)).resolve()


def stage(out: Path) -> Path:
    """A new empty staging folder beside ``out``, named with this process's id."""
    out = target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{_staging_prefix(out)}{os.getpid()}-", dir=out.parent))
    mask = os.umask(0o022)
    os.umask(mask)
    staging.chmod(0o777 & ~mask)  # mkdtemp makes it private; the output folder is not
    return staging


#: The folders a build makes beside its output (:func:`scratch`, and its staging).
SCRATCH_KINDS = ("staging", "work", "store", "spool", "links")


def scratch(out: Path, kind: str) -> Path:
    """A new private folder beside ``out`` for a build's temporary files (``kind``:
    ``work`` for export sorting, ``store`` for a disk store, ``spool`` for the graphs
    of a build whose store is on disk, ``links`` for the repetition search's
    statements), on the same file system
    as the output and never inside it; removed by the caller, or by the next build's
    :func:`clean_leftovers` if this process is killed."""
    out = target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(
        tempfile.mkdtemp(prefix=f"{_staging_prefix(out, kind)}{os.getpid()}-", dir=out.parent)
    )


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(out: Path) -> list[Path]:
    """Remove staging and scratch folders of builds into ``out`` whose process is gone; finish a
    two-step swap a kill interrupted. Returns what was removed."""
    out = target(out)
    recover(out)
    kinds = "|".join(SCRATCH_KINDS)
    prefix = re.escape(_staging_prefix(out, "KIND")).replace("KIND", f"(?:{kinds})")
    if not out.parent.is_dir():
        return []
    return remove_orphans(out.parent, re.compile(prefix + r"(\d+)-"))


def remove_orphans(folder: Path, pattern: re.Pattern) -> list[Path]:
    """Remove the entries of ``folder`` whose name ``pattern`` matches with, as its
    first group, the pid of a process that is gone (nor this one); what was removed."""
    removed = []
    for entry in folder.iterdir():
        found = pattern.match(entry.name)
        if found and int(found.group(1)) != os.getpid() and not alive(int(found.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def recover(out: Path) -> None:
    """Repair a two-step swap cut short: restore the old folder if ``out`` is missing,
    else drop the old folder (the new one is in place)."""
    out = target(out)
    old = _old(out)
    if not old.exists():
        return
    if out.exists():
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(old, out)


# --- ownership ------------------------------------------------------------------------------


def _listed(folder: Path) -> set[str]:
    marker = folder / MARKER
    try:
        text = marker.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    return {ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")}


def check_target(out: Path) -> None:
    """Refuse an output folder Palermo did not make, before any work is done."""
    out = target(out)
    if not out.exists():
        return
    if not out.is_dir():
        raise PublishError(f"{out} is a file, not a folder: give --out a folder name")
    if out in (Path(out.anchor), Path.home()) or out in (Path.cwd(), *Path.cwd().parents):
        raise PublishError(
            f"{out} cannot be an output folder (it is a root, home or working folder): "
            "give --out a folder of its own, such as out"
        )
    names = {p.name for p in out.iterdir()}
    if not names:
        return
    listed = _listed(out)
    allowed = (listed | {MARKER}) if MARKER in names else LEGACY_NAMES
    foreign = sorted(n for n in names - allowed if not n.startswith(".staging-"))
    if foreign:
        shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise PublishError(
            f"{out} holds files Palermo did not write ({shown}); a build replaces its output "
            "folder as a whole, so it will not publish there. Give --out a new or empty "
            "folder, or one an earlier `palermo build` wrote"
        )


# --- writing and swapping -------------------------------------------------------------------


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_marker(staging: Path) -> None:
    """List the staged files in the marker, so the next build knows what it may replace."""
    names = sorted(p.name for p in staging.iterdir() if p.name != MARKER)
    (staging / MARKER).write_text(MARKER_HEAD + "".join(n + "\n" for n in names), "utf-8")


def _libc_renameat2():
    name = ctypes.util.find_library("c")
    if not name:
        return None
    libc = ctypes.CDLL(name, use_errno=True)
    call = getattr(libc, "renameat2", None)
    if call is not None:
        call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        call.argtypes.append(ctypes.c_uint)
        call.restype = ctypes.c_int
    return call


_renameat2 = _libc_renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (``renameat2(RENAME_EXCHANGE)``). False when the system
    cannot; raises OSError on any other failure."""
    if _renameat2 is None:
        return False
    done = _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _two_step(staging: Path, out: Path) -> None:
    """Fallback swap; a kill between the renames is repaired by :func:`recover`."""
    old = _old(out)
    shutil.rmtree(old, ignore_errors=True)
    os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def commit(staging: Path, out: Path) -> list[Path]:
    """Make the staged folder the output folder in one step; return the published files.

    The previous output (if any) ends up in ``staging``'s place, for the caller to remove.
    """
    out = target(out)
    recover(out)
    check_target(out)
    write_marker(staging)
    for path in staging.iterdir():
        _fsync(path)
    _fsync(staging)
    with signals_deferred():
        if not out.exists():
            os.rename(staging, out)
        elif not exchange(staging, out):
            _two_step(staging, out)
        published.append(out)
        _fsync(out.parent)
    return sorted(p for p in out.iterdir() if not p.name.startswith("."))


def link_or_copy(source: Path, dest: Path) -> None:
    """``dest`` (replaced if it exists) as a hard link to ``source`` where the file
    system allows it, else a copy: for files nobody writes again (a cache entry, the
    sorted N-Triples the other exports read), at 1000x the seeds gigabytes not copied."""
    temp = dest.with_name(f".{dest.name}.link")
    try:
        os.link(source, temp)
        os.replace(temp, dest)
    except OSError:
        if os.path.lexists(temp):
            os.unlink(temp)
        shutil.copyfile(source, dest)


def write_file(path: Path, data: bytes) -> Path:
    """One file written atomically: a temporary file beside it, renamed into place."""
    return write_with(path, lambda tmp: tmp.write_bytes(data))


def write_with(path: Path, produce: Callable[[Path], None]) -> Path:
    """One file written atomically by ``produce`` (which writes the path it is given):
    a temporary file beside ``path``, synced, then renamed into place."""
    path = Path(os.path.abspath(path))
    if path.is_dir():
        raise PublishError(f"{path} is a folder: give --out a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.palermo-", dir=path.parent)
    os.close(fd)
    try:
        produce(Path(tmp))
        _fsync(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
