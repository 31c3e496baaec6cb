"""Where message handling waits: one sender at a time, on a few threads per worker.

Handling a message is blocking work (database, redaction) run on threads beside the event loop.
Measured under load (benchmarks/load.py), 3 or 4 such threads per worker serve 40% more messages a
second than anyio's default 40, because fewer threads fight less over Python's interpreter lock.
A sender's next message waits its turn in the event loop rather than on one of those few threads,
so one person sending a burst cannot hold up everybody else in the worker.
"""

from __future__ import annotations

import asyncio
import functools
import threading
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")
L = TypeVar("L")


def _take(table: dict[str, tuple[L, int]], key: str, new: Callable[[], L]) -> L:
    """The key's lock, made if nobody holds it, with one more user counted."""
    lock, users = table.get(key) or (new(), 0)
    table[key] = (lock, users + 1)
    return lock


def _leave(table: dict[str, tuple[L, int]], key: str) -> None:
    """One user fewer; the last one out removes the key."""
    lock, users = table[key]
    if users == 1:
        del table[key]
    else:
        table[key] = (lock, users - 1)


class KeyedLocks:
    """One lock per key, for threads; a key's lock exists only while someone holds or awaits it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        """Hold ``key``'s lock for the duration of the block."""
        with self._guard:
            lock = _take(self._locks, key, threading.Lock)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                _leave(self._locks, key)

    def __len__(self) -> int:
        return len(self._locks)


@dataclass
class _LoopGate:
    pool: ThreadPoolExecutor
    locks: dict[str, tuple[asyncio.Lock, int]] = field(default_factory=dict)


class HandlerGate:
    """Run blocking handling on at most ``threads`` threads per event loop, one key at a time."""

    def __init__(self, threads: int) -> None:
        self.threads = threads
        # Per event loop: limiters and asyncio locks belong to the loop they were first used in.
        self._gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopGate] = (
            weakref.WeakKeyDictionary()
        )

    def _gate(self) -> _LoopGate:
        loop = asyncio.get_running_loop()
        gate = self._gates.get(loop)
        if gate is None:
            # Made in the process and loop that use it (a pre-forked worker makes its own). A
            # plain executor: anyio's to_thread costs more per call (its cancel scopes and
            # limiter were 8% of a worker's Python time under load).
            pool = ThreadPoolExecutor(self.threads, thread_name_prefix="handler")
            gate = self._gates[loop] = _LoopGate(pool)
        return gate

    async def run(self, key: str, function: Callable[..., T], *args: object) -> T:
        """Wait for ``key``'s earlier calls (arrival order), then run ``function`` on a thread.

        The key's turn ends when the thread's work ends, not when the caller stops waiting: a
        request cancelled mid-message (the client went away) still finishes its work before the
        same key's next call starts.
        """
        gate = self._gate()
        lock = _take(gate.locks, key, asyncio.Lock)  # the event loop's thread only: no guard
        try:
            await lock.acquire()
        except BaseException:
            _leave(gate.locks, key)
            raise
        try:
            work = asyncio.get_running_loop().run_in_executor(
                gate.pool, functools.partial(function, *args)
            )
        except BaseException:
            lock.release()
            _leave(gate.locks, key)
            raise

        def finished(done: asyncio.Future[T]) -> None:
            if not done.cancelled():
                done.exception()  # seen here, whether or not the caller still waits for it
            lock.release()
            _leave(gate.locks, key)

        work.add_done_callback(finished)
        return await asyncio.shield(work)

    def waiting(self) -> int:
        """Keys with a call running or waiting, in this event loop (for tests)."""
        return len(self._gate().locks)
