"""M7: a withdrawn or re-redacted word leaves the database files, not only the tables.

Each test plants a canary word in an answer, removes it the way the service or staff would, then
reads the SQLite file and its write-ahead log as bytes: the word must be in neither.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, text

from config.app import AppConfig
from privacy import Entity, RedactionResult
from privacy.pseudonym import Pseudonymiser
from storage import Database
from storage.maintenance import purge, reredact_answer
from storage.models import Answer
from tests.conftest import Clock, make_service
from tests.storage.test_storage import code_from, talk

CANARY = "quillowisp"  # a word no redactor removes: only a withdrawal takes it out


def file_bytes(db: Database) -> bytes:
    """The database file and everything beside it (-wal, -shm), lower-cased."""
    path = Path(str(db.engine.url.database))
    return b"".join(p.read_bytes() for p in (path, *path.parent.glob(path.name + "-*"))).lower()


def in_index(db: Database, word: str) -> int:
    with db.engine.connect() as conn:
        query = "SELECT count(*) FROM answers_fts WHERE answers_fts MATCH :w"
        return int(conn.execute(text(query), {"w": word}).scalar() or 0)


def planted(db: Database) -> None:
    assert CANARY.encode() in file_bytes(db), "the canary never reached the file"
    assert in_index(db, CANARY) == 1


class StubRedactor:
    """Removes the canary, as a newer redactor would remove an identifier an older one missed."""

    def redact(self, text_: str) -> RedactionResult:
        start = text_.find(CANARY)
        if start < 0:
            return RedactionResult(text_, ())
        entity = Entity("PERSON", start, start + len(CANARY), 1.0)
        return RedactionResult(text_.replace(CANARY, "[name]"), (entity,))


def others_answer(service, n: int = 5) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        talk(
            service,
            "hi",
            "1",
            f"care was hard but the staff listened {i}",
            sender=f"+4477009001{i:02d}",
        )


def test_M7_an_answer_withdrawn_by_code_leaves_the_file_and_the_log(
    sqlite_db: Database, redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:  # type: ignore[no-untyped-def]
    service = make_service(sqlite_db, redactor, clock, pseudonymiser)
    others_answer(service)
    code = code_from(talk(service, "hi", "1", f"the {CANARY} club kept me going", "BYE"))
    others_answer(service)
    planted(sqlite_db)
    assert "deleted" in talk(service, f"DELETE {code}", sender="+447700900777")[0]
    assert in_index(sqlite_db, CANARY) == 0
    assert CANARY.encode() not in file_bytes(sqlite_db)
    assert in_index(sqlite_db, "listened") == 10  # the rest of the index still answers


def test_M7_deleting_the_current_conversation_leaves_no_word_in_the_file(
    sqlite_db: Database, redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:  # type: ignore[no-untyped-def]
    service = make_service(sqlite_db, redactor, clock, pseudonymiser)
    others_answer(service)
    talk(service, "hi", "1", f"i feel so lonely, only {CANARY} club helped")
    planted(sqlite_db)
    assert "deleted" in talk(service, "DELETE")[0]
    with sqlite_db.session() as s:
        assert all(CANARY not in a.text for a in s.scalars(select(Answer)))
    assert CANARY.encode() not in file_bytes(sqlite_db)  # answer, flag text, index and log


def test_M7_the_retention_purge_leaves_no_word_in_the_file(
    sqlite_db: Database, redactor, clock: Clock, pseudonymiser: Pseudonymiser, config: AppConfig
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    service = make_service(sqlite_db, redactor, clock, pseudonymiser)
    talk(service, "hi", "1", f"the {CANARY} club kept me going", "BYE")
    clock.advance(days=config.retention.answers_days + 1)
    others_answer(service)
    planted(sqlite_db)
    with sqlite_db.session() as s:
        report = purge(s, config.retention, resume_window=timedelta(hours=72), now=clock.now)
    assert report.answers == 1
    assert CANARY.encode() not in file_bytes(sqlite_db)


def test_M7_a_staff_leak_report_re_redacts_and_the_old_word_leaves_the_file(
    sqlite_db: Database, redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:  # type: ignore[no-untyped-def]
    service = make_service(sqlite_db, redactor, clock, pseudonymiser)
    others_answer(service)
    talk(service, "hi", "1", f"the {CANARY} form never comes back")
    planted(sqlite_db)
    with sqlite_db.session() as s:
        answer_id = s.scalars(select(Answer.id).where(Answer.text.contains(CANARY))).one()
    with sqlite_db.session() as s:  # what the staff app's "report a leak" does
        assert reredact_answer(s, StubRedactor(), answer_id) == "re-redacted"
    with sqlite_db.session() as s:
        assert s.get(Answer, answer_id).text == "the [name] form never comes back"  # type: ignore[union-attr]
    assert in_index(sqlite_db, CANARY) == 0 and in_index(sqlite_db, "name") == 1
    assert CANARY.encode() not in file_bytes(sqlite_db)


def _wait_until_clean(db: Database, seconds: float = 5.0) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while CANARY.encode() in file_bytes(db):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _delete_all(db: Database) -> None:
    from storage.scrub import mark_removed

    with db.session() as s:
        s.execute(text("DELETE FROM answers"))
        mark_removed(s)


def test_a_scrub_that_cannot_finish_is_retried_on_a_timer(sqlite_db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import storage.scrub

    calls: list[str] = []
    real = storage.scrub.scrub_sqlite

    def busy_once(engine):  # type: ignore[no-untyped-def]
        calls.append("scrub")
        return real(engine) if len(calls) > 1 else False  # a reader held the log the first time

    monkeypatch.setattr(storage.scrub, "scrub_sqlite", busy_once)
    monkeypatch.setattr(storage.scrub, "RETRY_SECONDS", 0.2)
    _store(sqlite_db, f"the {CANARY} club")
    _delete_all(sqlite_db)  # the commit stands; the scrub is owed
    assert _wait_until_clean(sqlite_db) and len(calls) == 2


def test_withdrawals_close_together_share_one_scrub_and_none_is_skipped(
    sqlite_db: Database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import storage.scrub

    calls: list[str] = []
    real = storage.scrub.scrub_sqlite
    monkeypatch.setattr(storage.scrub, "MIN_INTERVAL", 0.5)
    monkeypatch.setattr(
        storage.scrub, "scrub_sqlite", lambda engine: calls.append("scrub") or real(engine)
    )
    _store(sqlite_db, "first answer")
    _delete_all(sqlite_db)  # scrubbed at once
    for _ in range(3):
        _store(sqlite_db, f"the {CANARY} club")
        _delete_all(sqlite_db)  # within the interval: owed, on the timer
    assert calls == ["scrub"] and CANARY.encode() in file_bytes(sqlite_db)
    assert _wait_until_clean(sqlite_db) and calls == ["scrub", "scrub"]


def test_a_unit_of_work_that_fails_leaves_no_mark_on_the_pooled_connection(
    sqlite_db: Database,
) -> None:
    from storage.scrub import REMOVED, mark_removed

    try:
        with sqlite_db.transaction() as conn:
            mark_removed(conn)
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    with sqlite_db.transaction() as conn:
        assert REMOVED not in conn.info


def _store(db: Database, answer_text: str, version: str | None = None) -> int:
    from storage.models import Conversation

    now = datetime.now(UTC)
    with db.session() as s:
        if s.get(Conversation, "c1") is None:
            s.add(
                Conversation(
                    id="c1",
                    dialogue_id="d",
                    channel="web",
                    status="finished",
                    state={},
                    started_at=now,
                    updated_at=now,
                )
            )
            s.flush()
        answer = Answer(
            conversation_id="c1",
            question_id="q",
            text=answer_text,
            entity_types=[],
            created_at=now,
            redaction_version=version,
        )
        s.add(answer)
        s.flush()
        return answer.id
