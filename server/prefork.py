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

import asyncio
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
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger("speakup.serve")

RESTART_BACKOFF_SECONDS = 0.5  # a worker that dies at once is not restarted in a tight loop
GRACE_SECONDS = 20.0
HEADER_SECONDS = 10.0  # a request's line and headers must arrive within this long
MAX_HEADER_BYTES = 16 * 1024  # request line and headers together (nginx's default is 8 KB)
CONNECTIONS_PER_WORKER = 1000  # more get a 503 at once rather than a slow queue


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol with a header read timeout and a header size limit.

    uvicorn waits for headers without limit (a client trickling a byte at a time holds the
    connection), and its parser takes headers of any size. Here the request line and headers
    must arrive within ``HEADER_SECONDS`` of the connection opening (or of the last response on
    a kept-alive one), and together stay under ``MAX_HEADER_BYTES``: else 431, or the
    connection is closed. The body's own time limit is in ``server.middleware``.
    """

    _head_bytes = 0
    _head_too_big = False
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def _arm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_bytes = 0
        self._head_timer = self.loop.call_later(HEADER_SECONDS, self._head_timeout)

    def _head_timeout(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def on_url(self, url: bytes) -> None:
        self._count_head(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_head(len(name) + len(value) + 4)
        super().on_header(name, value)

    def _count_head(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > MAX_HEADER_BYTES:
            self._head_too_big = True
            raise ValueError("headers too large")  # the parser stops and reports an error

    def on_headers_complete(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        pipelined = bool(self.pipeline)  # a queued request already has its headers
        super().on_response_complete()
        if not pipelined and not self.transport.is_closing():
            self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        if not self._head_too_big:
            super().send_400_response(msg)
            return
        body = b"Request headers too large"
        self.transport.write(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(body), body)
        )
        self.transport.close()


def server_options() -> dict[str, object]:
    """uvicorn options for every way the service is served: our own access log (templated, no
    addresses), the guarded protocol, bounded keep-alive and connections. Client addresses are
    taken from X-Forwarded-For only when the connection comes from ``FORWARDED_ALLOW_IPS``
    (by default this machine: the reverse proxy in front, see README), and are never logged."""
    return {
        "access_log": False,
        "log_config": None,
        "http": GuardedProtocol,
        "proxy_headers": True,
        "timeout_keep_alive": 5,
        "limit_concurrency": CONNECTIONS_PER_WORKER,
        "server_header": False,
    }


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
            timeout_graceful_shutdown=int(GRACE_SECONDS) - 5,
            **server_options(),  # type: ignore[arg-type]
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
