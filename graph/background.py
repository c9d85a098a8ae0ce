"""Run one function in a forked process while this one goes on with other work.

``palermo build`` searches for repeated recommendations (pure Python, 16 s at 100x the
seeds) in a child process while it loads the rest of the graph into the store; the
child shares the documents copy-on-write, so nothing is pickled on the way in, and
sends back only its small result. The exports made in Python (Turtle's parts, the
JSON-LD, the CSV's statements) use both cores the same way: :func:`ordered_map` has a
child make a file's parts from the back while this process makes and writes them from
the front. Where ``fork`` is missing (Windows, macOS default is spawn), or for small
corpora, the work simply runs here.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


class BackgroundError(Exception):
    """The child process ended without a result."""


@contextlib.contextmanager
def frozen_gc() -> Iterator[None]:
    """Fork children inside this: what exists now is never collected by them.

    Two reasons. The child's collections leave the pages it shares with this process
    unwritten. And garbage this process holds may include an on-disk store in a
    reference cycle (a frame kept by a parser's cached exception, say): a child that
    collects it closes RocksDB, which waits for background threads that only this
    process has, and hangs (seen when one process built two store folders in turn).
    Inside :func:`long_lived`, whatever is frozen stays frozen until it ends.
    """
    frozen_before = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()


@contextlib.contextmanager
def no_collections() -> Iterator[None]:
    """Automatic collections paused, for objects made by the thousand that all live
    on (a query's rows): a collection would traverse them and find nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """For objects made by the million that live until the build is done with them
    (the documents): automatic collections are paused while they are made, and they
    are frozen on leaving, so that no collection traverses them again until
    :func:`thaw`. At 100x the seeds, 10 full collections while reading found nothing
    and took 2.5 s; at 1000x ten times the objects were traversed as often. Frees
    nothing early: a document tree, a cycle, is freed by :func:`loaders.model.release`."""
    with no_collections():
        try:
            yield
        finally:
            gc.freeze()


def thaw() -> None:
    """Make everything frozen collectable again (once the long-lived objects are
    released; a no-op when nothing is frozen)."""
    gc.unfreeze()


def can_fork() -> bool:
    """Whether this system starts processes by fork (Linux; not Windows or macOS's default)."""
    return "fork" in get_all_start_methods()


def in_background(fn: Callable[..., T], *args, fork: bool = True) -> Callable[[], T]:
    """Start ``fn(*args)``; return a function that waits for its value (or raises
    what it raised). With ``fork`` False, or no fork on this system, it runs now."""
    if not fork or not can_fork():
        value = fn(*args)
        return lambda: value
    ctx = get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(fn, args, send, os.getpid()), daemon=True)
    with frozen_gc():
        child.start()
    send.close()

    def result() -> T:
        try:
            outcome = receive.recv()
        except EOFError:
            child.join()  # so that its exit code is known
            outcome = BackgroundError(
                f"{fn.__name__} ended without a result (exit code {child.exitcode})"
            )
        finally:
            receive.close()
            child.join()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return result


_UNSET = object()


class Handover:
    """One value this process gives a child it forks *before* the value exists: the
    child starts on what it has and takes the rest when it needs it.

    ``palermo build`` forks the search for repeated recommendations before linking
    the documents across the corpus (24 s of one core at 1000x the seeds), and hands
    the search what it needs of the links afterwards. Without fork, the value is given
    before the work runs, here, and :meth:`take` returns it.
    """

    def __init__(self, fork: bool = True) -> None:
        """``fork``: whether a child will be forked to take the value (else no pipe)."""
        self._value: object = _UNSET
        self._receive = self._send = None
        if fork and can_fork():
            self._receive, self._send = get_context("fork").Pipe(duplex=False)

    def give(self, value: object) -> None:
        """Hand ``value`` over (once). Sent by a thread: a pipe holds 64 KB, and a child
        takes the value only when it gets to it, so a large one would block here."""
        self._value = value
        if self._send is None:
            return
        send, self._send = self._send, None
        self._receive.close()
        threading.Thread(target=_deliver, args=(send, value), name="handover", daemon=True).start()

    def take(self) -> object:
        """The value given: here, or in the forked child, as soon as it is sent."""
        if self._value is not _UNSET:
            return self._value
        if self._send is not None:
            self._send.close()  # this end is the parent's: the child must see it close
        try:
            return self._receive.recv()
        except EOFError:
            raise BackgroundError("the process that forked this one gave it nothing") from None


def ordered_map(
    fn: Callable[[T], R], items: Sequence[T], work: Path, fork: bool = True
) -> Iterator[R]:
    """``fn`` of each item, in order, made by two processes: this one takes items from
    the front and yields each result as it makes it, a forked child takes them from
    the back and writes its results to a file in ``work``, until they meet; then the
    child's are yielded, in order. Neither waits for the other at the end more than
    one item takes (a split fixed in advance, by bytes, left one core idle for 6 to 8 s
    at the end of each export at 1000x the seeds: bytes of different graphs cost
    differently). For pure Python work (one core each) whose results are written in
    order, such as a file's parts: the writing stays here, one code path for both
    halves. What the child raises is raised here."""
    if not fork or not can_fork() or len(items) < 2:
        yield from map(fn, items)
        return
    path = work / f"ordered-map-{os.getpid()}-{id(items)}.pickle"
    ctx = get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    ends = ctx.Array("q", [0, len(items)])  # [next from the front, after the last left]
    with frozen_gc():
        child = ctx.Process(
            target=_child,
            args=(_from_back, (fn, items, ends, path), send, os.getpid()),
            daemon=True,
        )
        child.start()
    send.close()
    try:
        while (at := _take(ends, front=True)) is not None:
            yield fn(items[at])
        try:
            outcome = receive.recv()
        except EOFError:
            child.join()
            outcome = BackgroundError(
                f"{fn.__name__} ended without a result (exit code {child.exitcode})"
            )
        if isinstance(outcome, BaseException):
            raise outcome
        with path.open("rb") as fh:
            for offset in outcome:  # where each of the child's results starts, in order
                fh.seek(offset)
                yield pickle.load(fh)
    finally:
        if child.is_alive():  # this side failed or was abandoned: the child's work is moot
            child.terminate()
        child.join()
        receive.close()
        path.unlink(missing_ok=True)


def _take(ends, front: bool) -> int | None:
    """The index of the next item to make, from the front or the back; None when the
    two ends have met."""
    with ends.get_lock():
        first, last = ends[0], ends[1]
        if first >= last:
            return None
        if front:
            ends[0] = first + 1
            return first
        ends[1] = last - 1
        return last - 1


def _from_back(fn: Callable, items: Sequence, ends, path: Path) -> list[int]:
    """In the child: results from the back until the front is reached, pickled to
    ``path``; returns their offsets in the items' order."""
    offsets = []
    with path.open("wb") as fh:
        while (at := _take(ends, front=False)) is not None:
            offsets.append(fh.tell())
            pickle.dump(fn(items[at]), fh, protocol=pickle.HIGHEST_PROTOCOL)
    return offsets[::-1]


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a worker process: have Linux kill it when its parent dies, and end it now if
    the parent is already gone. A build killed with SIGKILL must not leave workers
    waiting forever for work, holding the pipes of whoever started the build."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: nothing to ask for
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def as_worker(parent: int) -> None:
    """In a worker process, first: it dies with its parent (:func:`die_with_parent`),
    ignores Ctrl-C, and ends quietly when its parent ends it. A Ctrl-C reaches the
    whole process group, and the parent decides; its SIGTERM, when it ends a daemon
    child on its way out or terminates a pool, would otherwise meet the handler the
    fork copied from it (graph.publish raises Interrupted) and print a traceback."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _child(fn: Callable, args: tuple, send, parent: int) -> None:
    as_worker(parent)
    try:
        outcome = fn(*args)
    except Exception as exc:  # sent back to be raised where the work was asked for
        outcome = exc
    _deliver(send, outcome)


def _deliver(send, value: object) -> None:
    """Send ``value`` down the pipe end ``send`` and close it; a reader gone is no error
    (nobody is left to tell)."""
    try:
        send.send(value)
    except (OSError, ValueError):
        pass
    finally:
        send.close()
