"""Pre-fork serving: load once, then fork workers that share what was loaded.

The expensive part of start-up is importing spaCy and Presidio and loading the model (about two
seconds here). Loading it once in the parent and forking the workers (as ``gunicorn --preload``
does) makes start-up one load, not one per worker, and lets the workers share the model's memory
copy-on-write. The parent only supervises: a worker that dies (a crash, an out-of-memory kill, a
kill mid-request) is replaced at once, and SIGTERM or SIGINT stops every worker gracefully.

Only fork-safe things are built before the fork: no database connection, no thread is open in the
parent (the redactor makes its thread pool in the process that first uses it).
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import signal
import socket
import time
from collections.abc import Callable

import uvicorn
from starlette.types import ASGIApp

log = logging.getLogger("speakup.serve")

RESTART_BACKOFF_SECONDS = 0.5  # a worker that dies at once is not restarted in a tight loop
GRACE_SECONDS = 20.0


def bind(host: str, port: int) -> socket.socket:
    """The listening socket every worker accepts on (the kernel shares connections out)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # Name the protocol: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on connections
    # whose socket says IPPROTO_TCP, and accepted connections inherit it from this one. Without
    # it a response's headers and body wait on the client's delayed ACK: +40 ms a request on a
    # busy kept-alive connection (measured with benchmarks/load.py --rate).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _die_with_parent(parent: int) -> None:
    """Linux: SIGTERM this worker if the supervisor dies (even by SIGKILL), so none is orphaned."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the supervisor died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


def _child(sock: socket.socket, make_app: Callable[[], ASGIApp], parent: int) -> None:
    """Runs in a forked worker; never returns."""
    code = 0
    try:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        _die_with_parent(parent)
        config = uvicorn.Config(
            make_app(),
            access_log=False,
            log_config=None,
            proxy_headers=False,
            timeout_graceful_shutdown=int(GRACE_SECONDS) - 5,
        )
        uvicorn.Server(config).run(sockets=[sock])
    except BaseException as exc:  # report the type only, then leave
        log.error("worker failed: %s", type(exc).__name__)
        code = 1
    finally:
        os._exit(code)


class Supervisor:
    """Forks ``workers`` copies of the app onto one socket and keeps that many alive."""

    def __init__(self, sock: socket.socket, make_app: Callable[[], ASGIApp], workers: int) -> None:
        self.sock = sock
        self.make_app = make_app
        self.workers = workers
        self.children: dict[int, float] = {}  # pid -> started (monotonic)
        self.stopping = False

    def spawn(self) -> int:
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            _child(self.sock, self.make_app, parent)
        self.children[pid] = time.monotonic()
        return pid

    def _stop(self, *_: object) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        gc.collect()
        gc.freeze()  # what the parent loaded stays shared: the collector will not touch its pages
        for _ in range(self.workers):
            self.spawn()
        log.info("serving", extra={"workers": self.workers})
        while not self.stopping:
            self._reap_and_replace()
            time.sleep(0.1)
        return self.shutdown()

    def _reap_and_replace(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            started = self.children.pop(pid, None)
            if started is None or self.stopping:
                continue
            log.warning(
                "worker died; starting another",
                extra={"status": os.waitstatus_to_exitcode(status)},
            )
            if time.monotonic() - started < RESTART_BACKOFF_SECONDS:
                time.sleep(RESTART_BACKOFF_SECONDS)
            self.spawn()

    def shutdown(self) -> int:
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                self.children.pop(pid, None)
        deadline = time.monotonic() + GRACE_SECONDS
        while self.children and time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid:
                self.children.pop(pid, None)
            else:
                time.sleep(0.05)
        for pid in self.children:
            os.kill(pid, signal.SIGKILL)
        self.sock.close()
        return 0
