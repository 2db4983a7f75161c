"""A process pool for independent shift-plan blocks that Ctrl-C stops at once (private).

At a terminal, Ctrl-C sends SIGINT to every process of the command, the pool's
workers included. A worker that takes it dies with a traceback of its own, and the
pool's ``shutdown(wait=True)`` may then wait forever on it. So the workers never take
SIGINT (they are started while the parent ignores it, which they inherit, and their
initializer ignores it again), only the parent takes it, and on any exception the
parent cancels what has not started, shuts the pool down without waiting and
terminates the workers.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

__all__ = ["MAX_WORKERS", "interruptible_pool"]

#: Most worker processes: each holds a copy of the solver and a day's model, and the
#: work (one block per day) rarely has more independent pieces than a month's days.
MAX_WORKERS = 32


def _owns_interrupt() -> bool:
    """Whether this thread may change the SIGINT handler (the main thread, Python's own)."""
    return (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is not None)


def _ignore_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _starting_workers() -> Iterator[None]:
    """Start processes that ignore SIGINT, holding the parent's own back where it can.

    SIGINT is blocked in this thread, then ignored: a process started meanwhile
    inherits the ignored disposition through ``exec`` (not the mask: the spawn clears
    it). A SIGINT sent to this process in those few milliseconds stays pending and is
    taken when the handler is back and the signal unblocked, unless the kernel hands it
    to another thread (numpy's BLAS threads do not block it), which drops it: Ctrl-C
    must then be pressed again. Only where both calls exist (POSIX) and in the main
    thread; elsewhere the workers' initializer alone ignores SIGINT.
    """
    if not hasattr(signal, "pthread_sigmask") or not _owns_interrupt():
        yield
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, handler)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


@contextlib.contextmanager
def _interrupt_ignored() -> Iterator[None]:
    if not _owns_interrupt():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the queued work, do not wait for the running one, end the workers now."""
    with _interrupt_ignored():  # a second Ctrl-C must not break off the cleanup
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.terminate()
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(timeout=2.0)


@contextlib.contextmanager
def interruptible_pool(workers: int, pieces: int) -> Iterator[ProcessPoolExecutor | None]:
    """A spawn-started pool of ``workers`` processes (``None`` for one: work in this process).

    ``pieces`` (the independent parts of the work, e.g. days) bounds how many workers
    are started up front.
    """
    if workers <= 1:
        yield None
        return
    with _starting_workers():
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupt,
                                   mp_context=multiprocessing.get_context("spawn"))
        try:
            for _ in range(max(1, min(workers, pieces))):
                pool.submit(int)
        except BaseException:
            _stop(pool)
            raise
    try:
        yield pool
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
