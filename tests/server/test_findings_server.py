"""Issue 17's findings on the server itself (L5, L7 and the Info items), each named after it."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import event

from config.settings import Settings, load_settings
from server import middleware, prefork
from server.app import build_components, create_app
from tests.conftest import TEST_KEY
from tests.live import free_port

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

DISCLOSURE = "I want to kill myself tonight"
METRICS_TOKEN = "metrics-token-0123456789abcdef"


def _settings(tmp: Path, **extra: object) -> Settings:
    return load_settings(
        speakup_env="test",
        speakup_secret_key=TEST_KEY,
        database_url=f"sqlite:///{tmp / 'app.db'}",
        **extra,
    )


@contextmanager
def _client(settings: Settings) -> Iterator[TestClient]:
    parts = build_components(settings)
    parts.db.migrate()
    with TestClient(create_app(settings, parts)) as c:
        yield c


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with _client(_settings(tmp_path, speakup_metrics_token=METRICS_TOKEN)) as c:
        yield c


@contextmanager
def _served(tmp: Path) -> Iterator[int]:
    """The app on loopback with the options ``speakup serve`` uses."""
    settings = _settings(tmp)
    parts = build_components(settings)
    parts.db.migrate()
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, parts), host="127.0.0.1", port=port, **prefork.server_options()
        )  # type: ignore[arg-type]
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _exchange(port: int, data: bytes, wait: float = 0.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        time.sleep(wait)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
        return out


# --- L5: header and body read timeouts, a header size limit ------------------------------------
def test_L5_the_server_limits_header_size_and_header_and_body_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prefork, "HEADER_SECONDS", 0.5)
    monkeypatch.setattr(middleware, "BODY_SECONDS", 0.5)
    with _served(tmp_path) as port:
        big = b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: " + b"a" * 20_000 + b"\r\n\r\n"
        assert _exchange(port, big).startswith(b"HTTP/1.1 431")
        started = time.monotonic()
        assert _exchange(port, b"GET /healthz HTTP/1.1\r\nhost: x\r\n") == b""  # never finished
        assert time.monotonic() - started < 5
        slow_body = (
            b"POST /chat HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded"
            b"\r\ncontent-length: 100\r\n\r\nmessage=hi"
        )
        assert _exchange(port, slow_body).startswith(b"HTTP/1.1 408")
        ok = _exchange(port, b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        assert ok.startswith(b"HTTP/1.1 200")


# --- L7: the access log names route templates, never raw paths --------------------------------
def test_L7_the_access_log_writes_route_templates_not_paths(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="speakup.app"):
        client.get("/Zebedee-Quintrell-07700900417?name=Zebedee")
        client.get("/static/Zebedee-Quintrell.css")
        client.post("/webhooks/rest/webhook?who=Zebedee", json={"sender": "s", "message": "hi"})
    logged = [r for r in caplog.records if r.getMessage() == "request"]
    assert [r.path for r in logged] == [  # type: ignore[attr-defined]
        "(no route)",
        "/static/{path}",
        "/webhooks/rest/webhook",
    ]
    everything = " ".join(str(vars(r)) for r in logged)
    assert "Zebedee" not in everything and "07700900417" not in everything


def test_L1_an_unexpected_error_is_logged_by_its_type_alone(
    client: TestClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = client.app.state.components.service  # type: ignore[attr-defined]

    async def broken(*_: object) -> object:
        raise ValueError("invalid literal: 'Zebedee Quintrell 07700900417'")

    monkeypatch.setattr(service, "handle_async", broken)
    with caplog.at_level(logging.DEBUG):
        r = client.post("/webhooks/rest/webhook", json={"sender": "s", "message": "hi"})
    assert r.status_code == 500 and "Quintrell" not in r.text
    assert "Quintrell" not in caplog.text
    assert any(m.getMessage() == "unhandled error: ValueError" for m in caplog.records)


# --- Info -------------------------------------------------------------------------------------
def test_Info_hsts_is_sent_when_the_public_url_is_https(tmp_path: Path) -> None:
    with _client(_settings(tmp_path, public_base_url="https://speakup.example")) as c:
        assert "max-age=" in c.get("/healthz").headers["strict-transport-security"]
    (tmp_path / "plain").mkdir()
    with _client(_settings(tmp_path / "plain", public_base_url="http://127.0.0.1:1")) as c:
        assert "strict-transport-security" not in c.get("/healthz").headers


def test_Info_readyz_notices_a_database_it_cannot_write(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with _client(settings) as c:
        assert c.get("/readyz").json() == {"database": True}
    parts = build_components(settings)  # the same file, now refusing every write
    event.listen(parts.db.engine, "connect", lambda conn, _: conn.execute("PRAGMA query_only = ON"))
    with TestClient(create_app(settings, parts)) as c:
        r = c.get("/readyz")
        assert r.status_code == 503 and r.json() == {"database": False}
        # A message on a read-only database: the helplines first, then a plain "not saved".
        out = c.post("/webhooks/rest/webhook", json={"sender": "ro", "message": DISCLOSURE})
        assert out.status_code == 200
        texts = [m["text"] for m in out.json()]
        assert "Samaritans" in texts[0] and "was not saved" in texts[-1]


def test_Info_a_disclosure_inside_an_oversized_body_still_gets_the_helplines(
    client: TestClient,
) -> None:
    fields = dict(
        re.findall(r'name="(conversation|message_id)" value="([^"]+)"', client.get("/").text)
    )
    r = client.post("/", data={**fields, "message": DISCLOSURE + " " + "x" * 40_000})
    assert r.status_code == 413
    assert "Samaritans" in r.text and "too much to send" in r.text
    plain = client.post("/", data={**fields, "message": "x" * 40_000})
    assert plain.status_code == 413 and "Samaritans" not in plain.text


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_Info_metrics_accept_bearer_in_any_case(client: TestClient, scheme: str) -> None:
    ok = client.get("/metrics", headers={"authorization": f"{scheme} {METRICS_TOKEN}"})
    assert ok.status_code == 200
    assert client.get("/metrics", headers={"authorization": f"{scheme} wrong"}).status_code == 403


@pytest.mark.parametrize("command", [["migrate"], ["serve", "--port", "1"]])
def test_Info_a_database_that_cannot_be_written_stops_the_service_with_a_plain_message(
    tmp_path: Path, command: list[str]
) -> None:
    env = {
        **os.environ,
        "SPEAKUP_ENV": "development",
        "SPEAKUP_SECRET_KEY": "s" * 40,
        "DATABASE_URL": f"sqlite:///file:{tmp_path / 'absent.db'}?mode=ro&uri=true",
    }
    speakup = Path(sys.executable).with_name("speakup")
    done = subprocess.run(
        [str(speakup), *command], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "the database cannot be opened or written" in done.stderr
    assert "Traceback" not in done.stderr
