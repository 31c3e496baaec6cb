"""Bounded database pool: when every connection is busy, a message fails fast and clearly.

The other bounds have their own tests: body size (test_app), message length and odd input
(test_bad_input), per-sender rate (test_ratelimit), redaction time (below).
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from privacy import Redactor
from privacy.pseudonym import Pseudonymiser
from storage import Database
from storage.models import Answer
from tests.conftest import Clock, make_service, send_sms


def test_an_exhausted_pool_says_not_saved_at_once_and_still_hands_off(
    any_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    tiny = Database(
        any_db.url,
        pool_size=1,
        max_overflow=0,
        pool_timeout=0.3,
        connect_args=any_db.connect_args,  # the per-test PostgreSQL schema, if any
    )
    service = make_service(tiny, redactor, clock, pseudonymiser)
    sender = "+447700900888"
    send_sms(service, "hi", sender)
    send_sms(service, "1", sender)
    held = tiny.engine.connect()  # another request holds the only connection
    try:
        started = time.monotonic()
        replies = send_sms(service, "I want to kill myself tonight", sender)
        waited = time.monotonic() - started
    finally:
        held.close()
    assert waited < 3  # bounded by pool_timeout, not a hung request
    assert replies[0].kind == "handoff" and "Samaritans" in replies[0].text
    assert "was not saved" in replies[-1].text and "send it again" in replies[-1].text
    with tiny.session() as s:
        assert s.scalar(select(func.count()).select_from(Answer)) == 0
    # Once a connection is free the same person carries on where they were.
    again = send_sms(service, "my answer", sender)
    assert "What works well now" in "\n".join(r.text for r in again)
    tiny.dispose()


def test_redaction_over_its_time_limit_saves_nothing_and_says_so(
    sqlite_db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = make_service(sqlite_db, redactor, clock, pseudonymiser)
    sender = "+447700900889"
    send_sms(service, "hi", sender)
    send_sms(service, "1", sender)
    monkeypatch.setattr(
        redactor, "policy", redactor.policy.model_copy(update={"timeout_seconds": 0.05})
    )

    def crawl(text: str, *_: object) -> object:
        time.sleep(0.3)
        raise AssertionError("never reached in time")

    monkeypatch.setattr(redactor, "_redact", crawl)
    replies = send_sms(service, "my foster carer is called Sam Jones", sender)
    assert "could not save that answer safely" in "\n".join(r.text for r in replies)
    with sqlite_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Answer)) == 0


def test_a_sender_stuck_behind_a_hung_transaction_waits_only_so_long(pg_db: Database) -> None:
    from sqlalchemy.exc import OperationalError

    from storage import Repository

    with pg_db.transaction() as holder:
        Repository(holder).start_message("same-sender")  # a hung first message holds the lock
        started = time.monotonic()
        with pytest.raises(OperationalError, match="lock timeout"), pg_db.transaction() as second:
            Repository(second).start_message("same-sender", wait_seconds=0.3)
        assert 0.25 < time.monotonic() - started < 3
