"""Run one function in a forked process while this one goes on with other work.

``palermo build`` searches for repeated recommendations (pure Python, 16 s at 100x the
seeds) in a child process while it loads the rest of the graph into the store; the
child shares the documents copy-on-write, so nothing is pickled on the way in, and
sends back only its small result. Where ``fork`` is missing (Windows, macOS default
is spawn), or for small corpora, the function simply runs here.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
from collections.abc import Callable
from multiprocessing import get_all_start_methods, get_context
from typing import TypeVar

T = TypeVar("T")


class BackgroundError(Exception):
    """The child process ended without a result."""


def in_background(fn: Callable[..., T], *args, fork: bool = True) -> Callable[[], T]:
    """Start ``fn(*args)``; return a function that waits for its value (or raises
    what it raised). With ``fork`` False, or no fork on this system, it runs now."""
    if not fork or "fork" not in get_all_start_methods():
        value = fn(*args)
        return lambda: value
    ctx = get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(fn, args, send, os.getpid()), daemon=True)
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


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a worker process: have Linux kill it when its parent dies, and end it now if
    the parent is already gone. A build killed with SIGKILL must not leave workers
    waiting forever for work, holding the pipes of whoever started the build."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: nothing to ask for
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _child(fn: Callable, args: tuple, send, parent: int) -> None:
    die_with_parent(parent)
    try:
        outcome = fn(*args)
    except Exception as exc:  # sent back to be raised where the work was asked for
        outcome = exc
    try:
        send.send(outcome)
    except (OSError, ValueError):
        pass  # the parent is gone: nobody to tell
    finally:
        send.close()
