"""Where message handling waits: one sender at a time, on a few threads per worker.

Handling a message is blocking work (database, redaction) run on threads beside the event loop.
Measured under load (benchmarks/load.py), 3 or 4 such threads per worker serve 40% more messages a
second than anyio's default 40, because fewer threads fight less over Python's interpreter lock.
A sender's next message waits its turn in the event loop rather than on one of those few threads,
so one person sending a burst cannot hold up everybody else in the worker.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

import anyio
import anyio.to_thread

T = TypeVar("T")


class KeyedLocks:
    """One lock per key, for threads; a key's lock exists only while someone holds or awaits it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        """Hold ``key``'s lock for the duration of the block."""
        with self._guard:
            lock, users = self._locks.get(key, (None, 0))
            lock = lock or threading.Lock()
            self._locks[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


@dataclass
class _LoopGate:
    limiter: anyio.CapacityLimiter
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
            gate = self._gates[loop] = _LoopGate(anyio.CapacityLimiter(self.threads))
        return gate

    async def run(self, key: str, function: Callable[..., T], *args: object) -> T:
        """Wait for ``key``'s earlier calls (arrival order), then run ``function`` on a thread."""
        gate = self._gate()
        lock, users = gate.locks.get(key, (None, 0))
        lock = lock or asyncio.Lock()
        gate.locks[key] = (lock, users + 1)
        try:
            async with lock:
                return await anyio.to_thread.run_sync(function, *args, limiter=gate.limiter)
        finally:
            lock, users = gate.locks[key]
            if users == 1:
                del gate.locks[key]
            else:
                gate.locks[key] = (lock, users - 1)

    def waiting(self) -> int:
        """Keys with a call running or waiting, in this event loop (for tests)."""
        return len(self._gate().locks)
