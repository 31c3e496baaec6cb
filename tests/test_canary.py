"""Nothing raw at rest: planted identifiers in answers and as senders, on every channel, then a
scan of every table and column, every log line and Redis finds none of them."""

from __future__ import annotations

import io
import logging
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.messages import ChannelOptions, HttpRequest
from channels import CHANNELS
from server.logfilter import JsonFormatter, ScrubFilter
from tests.fakes import BOT_TOKEN

PLANTED_ANSWER = (
    "my sw kelly said ring 07912 345678 or email jay.k99@example.co.uk, we live at 14 Acacia Avenue "
    "LS6 2AB, his nhs number is 943 476 5919 and my NI is JT 48 29 17 A, the Okonkwo family took "
    "us in when dad was in HMP Styal. snap is deano.x99 and my vids r on youtube.com/@deanox_music, "
    "my bday is 7th aug, i go riverside pru, court ref MA24P00187, i live at Larkspur House"
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
    "Okonkwo",
    "Styal",
    "deano.x99",
    "deanox_music",
    "7th aug",
    "riverside",
    "MA24P00187",
    "Larkspur",
]


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


def test_no_raw_identifier_reaches_the_database_the_logs_or_redis(
    tmp_path: Path, captured_logs: io.StringIO, redactor
) -> None:  # type: ignore[no-untyped-def]
    from tests.channels.stack import running_stack

    raw_values = list(IDENTIFIERS)
    with running_stack(tmp_path) as stack:
        assert {d.name for d in stack.drivers.values()} == set(CHANNELS), (
            "add a driver for the new channel"
        )
        for name, driver in stack.drivers.items():
            sender = driver.new_sender()
            raw_values += [
                sender,
                sender.removeprefix("whatsapp:"),
                sender.removeprefix("whatsapp:+"),
            ]
            for message in (
                "hi",
                "1",
                PLANTED_ANSWER,
                "im gonna kms tonight, call me on 07912 345678",
                "1",
                "BYE",
            ):
                assert driver.send(sender, message).status == 200, name
        parts = stack.parts
        raw_values += [
            "Jaz Test",
            "jaz_test_user",
            "Tester",
        ]  # WhatsApp ProfileName, Telegram names
        # Each channel declares what in its requests is personal (RapidPro's "redact these keys");
        # every declared value, from every request sent, must be absent everywhere.
        options = ChannelOptions(
            public_base_url=stack.base_url,
            development=False,
            rest_token="r" * 32,
            twilio_auth_token="t" * 32,
            telegram_token=BOT_TOKEN,
            telegram_secret="s" * 32,
        )
        for driver in stack.drivers.values():
            channel = CHANNELS[driver.name].configure(options)
            assert channel is not None
            for form, body in driver.sent_requests:
                request = HttpRequest(
                    method="POST", url=stack.base_url, path="/", headers={}, body=body, form=form
                )
                declared = channel.redact_values(request)
                assert declared, f"{driver.name} declares nothing personal in its requests"
                raw_values += [
                    v
                    for v in declared
                    if len(v) >= 4
                    and v not in PLANTED_ANSWER
                    and "[" not in v
                    and v not in ("hi", "BYE")
                    and "kms" not in v
                ]
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
    raw_file = (tmp_path / "stack.db").read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("stack.db-*")
    )
    for value in raw_values:
        assert value.encode() not in raw_file, f"database file holds {value!r}"
    # Every log line, and no client IPs.
    logs = captured_logs.getvalue()
    assert (
        '"path": "/webhooks/twilio/webhook"' in logs
        and '"path": "/webhooks/telegram/webhook"' in logs
    )
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
    from server.logfilter import sensitive

    with sensitive("my secret story", "+447700900123"):
        logging.getLogger("some.library").warning(
            "got %s from %s", "my secret story", "+447700900123"
        )
        logging.getLogger("other").error("boom", exc_info=ValueError("my secret story"))
    out = captured_logs.getvalue()
    assert "my secret story" not in out and "+447700900123" not in out
    assert "[redacted]" in out


def test_secrets_never_reach_a_log_line(captured_logs: io.StringIO) -> None:
    from server.logfilter import register_secrets

    register_secrets("twilio-auth-token-abcdef123456")
    logging.getLogger("twilio.http_client").debug("auth with twilio-auth-token-abcdef123456")
    logging.getLogger("telegram.ext").debug(
        "Set Bot API URL: http://x/bot987654:AAbbCCddEEffGGhhIIjjKKll"
    )
    out = captured_logs.getvalue()
    assert "twilio-auth-token-abcdef123456" not in out and "AAbbCCddEEffGGhhIIjjKKll" not in out


def test_reredact_all_mends_answers_an_older_redactor_let_through(tmp_path: Path) -> None:
    """The re-redaction path: identifiers already stored (as an older redactor left them) are
    gone from the table, the search index, the export and the database file's bytes after
    ``speakup reredact --all`` runs the current redactor; each answer records the version."""
    import os
    import subprocess
    import sys
    from datetime import UTC, datetime

    from sqlalchemy import select, update

    from dialogues import load_dialogue
    from privacy import REDACTION_VERSION
    from review.export import export_answers
    from storage import Database
    from storage.models import Answer, Conversation
    from tests.conftest import TEST_KEY

    path = tmp_path / "old.db"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    now = datetime.now(UTC)
    with db.session() as s:
        for i in range(5):
            s.add(
                Conversation(
                    id=f"c{i}",
                    dialogue_id="consultation",
                    channel="web",
                    status="finished",
                    state={},
                    started_at=now,
                    updated_at=now,
                )
            )
        s.flush()
        texts = [PLANTED_ANSWER] + [f"care was hard but staff listened {i}" for i in range(4)]
        for i, answer in enumerate(texts):
            s.add(
                Answer(
                    conversation_id=f"c{i}",
                    question_id="q1",
                    text=answer,
                    entity_types=[],
                    created_at=now,
                )
            )
        s.flush()
        s.execute(update(Answer).values(redaction_version=None))  # stored before versions

    def stored() -> bytes:
        return b"".join(p.read_bytes() for p in (path, *tmp_path.glob("old.db-*")))

    assert b"07912 345678" in stored()
    env = {
        **os.environ,
        "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
        "SPEAKUP_ENV": "development",
        "SPEAKUP_SECRET_KEY": TEST_KEY,
        "DATABASE_URL": f"sqlite:///{path}",
    }
    run = subprocess.run(
        [sys.executable, "-m", "commands.cli", "reredact", "--all", "--batch-size", "2"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "5/5 checked" in run.stderr and "[#" in run.stderr  # the progress bar
    assert f"redaction version {REDACTION_VERSION}: 5 checked, 1 changed" in run.stdout
    for value in IDENTIFIERS:  # no output line quotes what it found
        assert value not in run.stdout + run.stderr
    with db.session() as s:
        rows = s.scalars(select(Answer).order_by(Answer.id)).all()
        assert {a.redaction_version for a in rows} == {REDACTION_VERSION}
        assert "[phone number]" in rows[0].text and not rows[0].hidden
        out = io.StringIO()
        export_answers(s, load_dialogue(), out, fmt="jsonl", by="test", now=now, min_group=1)
    with db.engine.connect() as conn:
        for word in ("kelly", "345678", "acacia", "jay"):
            hits = conn.execute(
                text("SELECT count(*) FROM answers_fts WHERE answers_fts MATCH :w"), {"w": word}
            ).scalar()
            assert hits == 0, f"the search index still finds {word!r}"
        assert (
            conn.execute(
                text("SELECT count(*) FROM answers_fts WHERE answers_fts MATCH 'listened'")
            ).scalar()
            == 4
        )
    exported = out.getvalue()
    assert "[phone number]" in exported
    raw_file = stored()
    for value in IDENTIFIERS:
        assert value.lower() not in exported.lower(), f"the export holds {value!r}"
        assert value.lower().encode() not in raw_file.lower(), f"the database file holds {value!r}"
    db.dispose()


# The types added for writers the redactor had not seen (issue 16) and the audit's M6 cases:
# each planted answer goes in on its own conversation, and none of its identifiers may be found
# in any table or in the database file.
NEW_TYPE_ANSWERS = {
    "i was on bramble ward 5 months, now at the greenhouse foyer": ["bramble", "greenhouse"],
    "sc is deano.x and my twitch ttv_kamil": ["deano.x", "ttv_kamil"],
    "court ref MA24P00187 and crime ref 13/228764/23": ["MA24P00187", "228764"],
    "my birthday is boxing day, 7th aug is my sisters bday": ["boxing day", "7th aug"],
    "email zeb at example dot org": ["zeb at example"],
    "top flat over the chinese on market st, or im at 27c": ["market st", "27c"],
    "i go leeds city college": ["leeds city college"],
}
M6_ANSWERS = {
    "tell hope i said thanks, gethin n dafydd r my foster brothers": ["hope", "gethin", "dafydd"],
    "Quintrell family were kind": ["Quintrell"],
    "ring 0 7 9 1 2 3 4 5 6 7 8": ["0 7 9 1 2"],
    "ring \uff10\uff17\uff19\uff11\uff12 \uff13\uff14\uff15\uff16\uff17\uff18": [
        "\uff10\uff17\uff19"
    ],
}


def _planted_answers_leave_no_trace(tmp_path: Path, answers: dict[str, list[str]]) -> str:
    from tests.channels.stack import running_stack

    with running_stack(tmp_path) as stack:
        drivers = [stack.drivers["web"], stack.drivers["rest"]]
        for n, answer in enumerate(answers):
            driver = drivers[n % 2]
            sender = driver.new_sender()
            for message in ("hi", "1", answer):
                assert driver.send(sender, message).status == 200
        with stack.parts.db.engine.connect() as conn:
            everything = "\n".join(
                " ".join(str(v) for v in row)
                for table in inspect(conn).get_table_names()
                for row in conn.execute(text(f'SELECT * FROM "{table}"'))
            )
    raw_file = (tmp_path / "stack.db").read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("stack.db-*")
    )
    low_text, low_file = everything.lower(), raw_file.lower()
    for pieces in answers.values():
        for piece in pieces:  # as a word: "27c" may be part of a random id
            word = re.escape(piece.lower())
            assert not re.search(rf"(?<![a-z0-9]){word}(?![a-z0-9])", low_text), (
                f"database holds {piece!r}"
            )
            word_b = re.escape(piece.lower().encode())
            assert not re.search(rb"(?<![a-z0-9])" + word_b + rb"(?![a-z0-9])", low_file), (
                f"database file holds {piece!r}"
            )
    digits = re.sub(r"\D", "", everything)
    assert "07912345678" not in digits
    return everything


def test_new_identifier_types_never_reach_the_database(tmp_path: Path, redactor) -> None:  # type: ignore[no-untyped-def]
    stored = _planted_answers_leave_no_trace(tmp_path, NEW_TYPE_ANSWERS)
    for placeholder in ("[place]", "[handle]", "[case number]", "[date of birth]", "[email]"):
        assert placeholder in stored


def test_M6_lower_case_names_a_surname_alone_and_spaced_or_fullwidth_digits_are_not_stored(
    tmp_path: Path, redactor
) -> None:  # type: ignore[no-untyped-def]
    stored = _planted_answers_leave_no_trace(tmp_path, M6_ANSWERS)
    assert "[name]" in stored and "[phone number]" in stored
