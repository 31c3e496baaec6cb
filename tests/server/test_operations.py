"""Operations: /healthz, /readyz (database and Redis), metrics behind a token, with no personal data."""

from __future__ import annotations

import socket
import warnings
from pathlib import Path

from config.settings import load_settings
from server.app import build_components, create_app
from tests.conftest import TEST_KEY, skip_or_fail

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def app_with(tmp_path: Path, **kw: object) -> TestClient:
    settings = load_settings(
        speakup_env="test",
        speakup_secret_key=TEST_KEY,
        database_url=f"sqlite:///{tmp_path}/o.db",
        **kw,
    )
    parts = build_components(settings)
    parts.db.migrate()
    return TestClient(create_app(settings, parts))


def test_readyz_reports_redis_when_it_is_configured(tmp_path: Path, redactor) -> None:  # type: ignore[no-untyped-def]
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            pass
    except OSError:
        skip_or_fail("Redis is not running on 127.0.0.1:6379")
    with app_with(tmp_path, redis_url="redis://127.0.0.1:6379/14") as c:
        assert c.get("/readyz").json() == {"database": True, "redis": True}
    with app_with(tmp_path, redis_url="redis://127.0.0.1:1/0") as c:
        r = c.get("/readyz")
        assert r.status_code == 503 and r.json()["redis"] is False


def test_metrics_need_the_token_and_carry_no_personal_data(tmp_path: Path, redactor) -> None:  # type: ignore[no-untyped-def]
    token = "metrics-token-0123456789abcdef"
    with app_with(tmp_path, speakup_metrics_token=token) as c:
        for message in ("hi", "1", "call me on 07912 345678", "ngl im gonna kms tonight"):
            c.post("/webhooks/rest/webhook", json={"sender": "+447700900999", "message": message})
        assert c.get("/metrics").status_code == 403
        assert c.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code == 403
        body = c.get("/metrics", headers={"authorization": f"Bearer {token}"}).text
    assert 'speakup_messages_total{channel="rest",outcome="ok"} 4.0' in body
    assert 'speakup_risk_detections_total{level="urgent"} 1.0' in body
    assert "speakup_message_seconds_bucket" in body
    assert "07912" not in body and "447700900999" not in body and "kms" not in body
