"""A delivery is claimed atomically: concurrent retries across workers are processed once."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from privacy import Redactor
from privacy.pseudonym import Pseudonymiser
from storage import Database
from storage.models import Answer
from tests.conftest import Clock, make_service, send_sms
from tests.storage.test_storage import talk


def test_concurrent_retries_on_two_workers_are_processed_once(
    any_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    worker_a = make_service(any_db, redactor, clock, pseudonymiser)
    worker_b = make_service(any_db, redactor, clock, pseudonymiser)  # separate locks, same database
    talk(worker_a, "hi", "1")
    results: list[list[str]] = []

    def deliver(service) -> None:  # type: ignore[no-untyped-def]
        replies = send_sms(service, "my answer", "+447700900555", "SM" + "e" * 32)
        results.append([r.text for r in replies])

    threads = [
        threading.Thread(target=deliver, args=(w,))
        for w in (worker_a, worker_b, worker_a, worker_b)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with any_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Answer)) == 1
    answered = [r for r in results if r]
    assert answered and all(r == answered[0] for r in answered)


def test_a_failed_attempt_releases_its_claim_so_the_retry_is_processed(
    any_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    service = make_service(any_db, redactor, clock, pseudonymiser)
    talk(service, "hi", "1")
    delivery = ("an answer", "+447700900555", "SM" + "f" * 32)  # the same delivery, retried
    original = service._process

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("database went away")

    monkeypatch.setattr(service, "_process", broken)
    first = send_sms(service, *delivery)
    assert "was not saved" in first[-1].text
    monkeypatch.setattr(service, "_process", original)
    retry = send_sms(service, *delivery)
    assert "What works well now" in "\n".join(r.text for r in retry)
