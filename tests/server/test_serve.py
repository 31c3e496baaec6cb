"""`speakup serve --workers N`: load once, fork N workers, replace one that dies, stop cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL, _pg_available, skip_or_fail
from tests.live import free_port


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in path.read_text().split()} if path.exists() else set()


def _wait(what: str, check, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A database of its own on the local PostgreSQL (several processes share it)."""
    if not _pg_available():
        skip_or_fail("PostgreSQL is not running on 127.0.0.1:5432")
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"serve_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield PG_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


METRICS_TOKEN = "metrics-token-0123456789abcdef"


def _start(url: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    env = {
        **os.environ,
        "SPEAKUP_ENV": "development",
        "SPEAKUP_SECRET_KEY": "s" * 40,
        "DATABASE_URL": url,
        "SPEAKUP_METRICS_TOKEN": METRICS_TOKEN,
    }
    env.pop("REDIS_URL", None)
    speakup = Path(sys.executable).with_name("speakup")
    server = subprocess.Popen(
        [str(speakup), "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    _wait("the service", lambda: _ok(base + "/healthz"))
    return server, base


def test_a_killed_worker_is_replaced_and_the_service_stops_cleanly(pg_url: str) -> None:
    server, base = _start(pg_url)
    try:
        _wait("two workers", lambda: len(_children(server.pid)) == 2, timeout=10)
        first = _children(server.pid)
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        _wait(
            "a replacement worker",
            lambda: len(_children(server.pid)) == 2 and victim not in _children(server.pid),
            timeout=10,
        )
        for i in range(12):  # both workers answer (the kernel spreads connections)
            with httpx.Client() as client:  # a new connection each time
                r = client.post(
                    base + "/webhooks/rest/webhook",
                    json={"sender": f"+4477009000{i:02d}", "message": "hi"},
                    timeout=10,
                )
            assert r.status_code == 200
        auth = {"authorization": f"Bearer {METRICS_TOKEN}"}
        for _ in range(4):  # whichever worker answers, the counts are every worker's
            body = httpx.get(base + "/metrics", headers=auth, timeout=10).text
            assert 'speakup_messages_total{channel="rest",outcome="ok"} 12.0' in body
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in _children(server.pid))
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    _, log = server.communicate()
    assert "worker died; starting another" in log


def test_workers_do_not_outlive_a_killed_supervisor(pg_url: str) -> None:
    server, _ = _start(pg_url)
    _wait("two workers", lambda: len(_children(server.pid)) == 2, timeout=10)
    workers = _children(server.pid)
    server.kill()  # SIGKILL: the supervisor gets no chance to stop them
    server.communicate()
    _wait(
        "the orphaned workers to stop",
        lambda: not any(_alive(pid) for pid in workers),
        timeout=30,
    )


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "State:\tZ" not in status.read_text()
    except FileNotFoundError:
        return False


def test_several_workers_on_sqlite_are_refused(tmp_path: Path) -> None:
    env = {**os.environ, "SPEAKUP_ENV": "development", "SPEAKUP_SECRET_KEY": "s" * 40}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'speakup.db'}"
    done = subprocess.run(
        [str(Path(sys.executable).with_name("speakup")), "serve", "--workers", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "SQLite serves one process; use PostgreSQL" in done.stderr


def test_connections_on_the_shared_socket_send_small_writes_at_once() -> None:
    from server.prefork import bind

    sock = bind("127.0.0.1", 0)
    seen: dict[str, int] = {}

    async def main() -> None:
        async def accepted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            conn = writer.get_extra_info("socket")
            seen["nodelay"] = conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            writer.close()

        server = await asyncio.start_server(accepted, sock=sock)
        reader, writer = await asyncio.open_connection(*sock.getsockname()[:2])
        await reader.read()
        writer.close()
        server.close()
        await server.wait_closed()

    asyncio.run(main())
    assert seen["nodelay"]  # Nagle off: a response's headers and body leave together
