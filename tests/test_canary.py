"""Nothing raw at rest: planted identifiers in answers and as senders, on every channel, then a
scan of every table and column, every log line and Redis finds none of them."""

from __future__ import annotations

import io
import logging
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import inspect, text

from bot.app import build_components, create_app
from bot.logfilter import JsonFormatter, ScrubFilter
from bot.settings import load_settings
from channels import CHANNELS
from tests.conftest import TEST_KEY
from tests.live import serve

PLANTED_ANSWER = (
    "my sw kelly said ring 07912 345678 or email jay.k99@example.co.uk, we live at 14 Acacia Avenue "
    "LS6 2AB, his nhs number is 943 476 5919 and my NI is JT 48 29 17 A"
)
IDENTIFIERS = [
    "kelly",
    "07912 345678",
    "07912345678",
    "jay.k99",
    "Acacia",
    "LS6 2AB",
    "943 476 5919",
    "9434765919",
    "JT 48 29 17 A",
    "JT482917A",
]
REST_SENDER = "+447700900777"
WEB_TOKEN = "PlantedWebToken_abcdefghijklmnop"


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ScrubFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


def conversation(client: httpx.Client, send: object) -> None:
    for message in (
        "hi",
        "1",
        PLANTED_ANSWER,
        "im gonna kms tonight, call me on 07912 345678",
        "1",
        "BYE",
    ):
        send(client, message)  # type: ignore[operator]


def test_no_raw_identifier_reaches_the_database_the_logs_or_redis(
    tmp_path: Path, captured_logs: io.StringIO, redactor
) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(
        speakup_env="test", speakup_secret_key=TEST_KEY, database_url=f"sqlite:///{tmp_path}/c.db"
    )
    parts = build_components(settings)
    parts.db.migrate()
    assert set(CHANNELS) == {"web", "rest"}, "add the new channel's conversation to this test"
    with serve(create_app(settings, parts)) as url, httpx.Client(base_url=url) as client:

        def rest(c: httpx.Client, message: str) -> None:
            assert (
                c.post(
                    "/webhooks/rest/webhook", json={"sender": REST_SENDER, "message": message}
                ).status_code
                == 200
            )

        def web(c: httpx.Client, message: str) -> None:
            form = {
                "conversation": WEB_TOKEN,
                "message": message,
                "message_id": f"Msg_{abs(hash(message))}_padpadpadpad",
            }
            assert c.post("/", data=form, headers={"origin": url}).status_code == 200

        conversation(client, rest)
        conversation(client, web)

    raw_values = [*IDENTIFIERS, REST_SENDER, WEB_TOKEN]
    # Every table, every column.
    with parts.db.engine.connect() as conn:
        dump = []
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                dump.append(" ".join(str(v) for v in row))
    everything = "\n".join(dump)
    assert "[phone number]" in everything  # the answers were stored, redacted
    for value in raw_values:
        assert value.lower() not in everything.lower(), f"database holds {value!r}"
    digits = re.sub(r"\D", "", everything)
    assert "07912345678" not in digits and "9434765919" not in digits
    # The SQLite file itself (free pages included, thanks to secure_delete).
    raw_file = (tmp_path / "c.db").read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("c.db-*")
    )
    for value in raw_values:
        assert value.encode() not in raw_file, f"database file holds {value!r}"
    # Every log line, and no client IPs.
    logs = captured_logs.getvalue()
    assert '"path": "/webhooks/rest/webhook"' in logs
    for value in [*raw_values, "127.0.0.1"]:
        assert value not in logs, f"logs hold {value!r}"
    # Redis: the service writes no raw text there; scan whatever is in it.
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            pass
    except OSError:
        return
    import redis

    r = redis.Redis(host="127.0.0.1", port=6379)
    for key in r.scan_iter(count=1000):
        blob = key + (r.dump(key) or b"")
        for value in raw_values:
            assert value.encode() not in blob, f"Redis holds {value!r}"


@pytest.mark.parametrize("name", sorted(CHANNELS))
def test_every_channel_declares_its_personal_fields(name: str) -> None:
    assert CHANNELS[name].personal_fields, (
        f"{name} must declare which request fields identify a person"
    )


def test_log_filter_scrubs_raw_values_wherever_a_log_call_comes_from(
    captured_logs: io.StringIO,
) -> None:
    from bot.logfilter import sensitive

    with sensitive("my secret story", "+447700900123"):
        logging.getLogger("some.library").warning(
            "got %s from %s", "my secret story", "+447700900123"
        )
        logging.getLogger("other").error("boom", exc_info=ValueError("my secret story"))
    out = captured_logs.getvalue()
    assert "my secret story" not in out and "+447700900123" not in out
    assert "[redacted]" in out
