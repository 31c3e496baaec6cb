"""speakup reredact --all: batches, versions, resuming after an interruption, failing closed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from commands.data import progress_bar
from privacy import REDACTION_VERSION, RedactionError, RedactionResult
from storage import Database
from storage.maintenance import ReredactReport, reredact_all
from storage.models import Answer, Conversation, Flag
from tests.storage.test_scrub import CANARY, StubRedactor, file_bytes, in_index


class CountingRedactor(StubRedactor):
    """The stub, counting what it is asked to redact and failing on the word "explode"."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def redact(self, text_: str) -> RedactionResult:
        self.seen.append(text_)
        if "explode" in text_:
            raise RedactionError("timed out")
        return super().redact(text_)


def store(db: Database, texts: list[str], *, version: str | None, flag: str | None = None) -> None:
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
        for t in texts:
            s.add(
                Answer(
                    conversation_id="c1",
                    question_id="q",
                    text=t,
                    entity_types=[],
                    created_at=now,
                    redaction_version=version,
                )
            )
        if flag is not None:
            s.add(
                Flag(
                    conversation_id="c1",
                    level="support",
                    kinds=[],
                    reasons=[],
                    text=flag,
                    created_at=now,
                    redaction_version=version,
                )
            )
        s.flush()
        if version is None:  # the ORM writes the column's default for None: these are older rows
            for model in (Answer, Flag):
                s.execute(
                    update(model)
                    .where(
                        model.redaction_version == REDACTION_VERSION, model.text.in_([*texts, flag])
                    )
                    .values(redaction_version=None)
                )


def answers(db: Database) -> list[Answer]:
    with db.session() as s:
        return list(s.scalars(select(Answer).order_by(Answer.id)))


def test_reredact_all_brings_older_answers_to_the_current_version_in_batches(
    any_db: Database,
) -> None:
    old = [f"answer {i}" for i in range(4)] + [f"my worker {CANARY} never calls"]
    store(any_db, old, version=None, flag=f"{CANARY} hurts me")
    store(any_db, ["already current"], version=REDACTION_VERSION)
    redactor, reports = CountingRedactor(), []
    report = reredact_all(
        any_db, redactor, batch_size=2, progress=lambda r: reports.append(vars(r).copy())
    )
    assert (report.total, report.done, report.changed, report.hidden) == (6, 6, 2, 0)
    assert sorted(redactor.seen) == sorted([*old, f"{CANARY} hurts me"])  # current one skipped
    assert [r["done"] for r in reports] == [2, 4, 5, 6]  # 3 batches of answers, 1 of flags
    assert report.swept
    stored = answers(any_db)
    assert {a.redaction_version for a in stored} == {REDACTION_VERSION}
    assert stored[4].text == "my worker [name] never calls" and stored[4].entity_types == ["PERSON"]
    with any_db.session() as s:
        assert s.scalars(select(Flag.text)).one() == "[name] hurts me"
    again = reredact_all(any_db, redactor)
    assert (again.total, again.done) == (0, 0)  # nothing left at an older version
    forced = reredact_all(any_db, redactor, force=True)
    assert (forced.total, forced.done, forced.changed) == (7, 7, 0)


def test_reredact_all_can_be_interrupted_and_resumed(sqlite_db: Database) -> None:
    store(sqlite_db, [f"{CANARY} said hi", "b", "c", "d", "e"], version=None)
    redactor = CountingRedactor()

    def stop(report: ReredactReport) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        reredact_all(sqlite_db, redactor, batch_size=2, progress=stop)
    versions = [a.redaction_version for a in answers(sqlite_db)]
    assert versions == [REDACTION_VERSION] * 2 + [None] * 3  # the first batch stands
    assert CANARY.encode() not in file_bytes(sqlite_db)  # swept even though interrupted
    assert in_index(sqlite_db, CANARY) == 0
    report = reredact_all(sqlite_db, redactor, batch_size=2)
    assert (report.total, report.done) == (3, 3)
    assert len(redactor.seen) == 5  # each answer redacted once over both runs
    assert {a.redaction_version for a in answers(sqlite_db)} == {REDACTION_VERSION}


def test_reredact_all_fails_closed(any_db: Database) -> None:
    store(any_db, ["fine", "this will explode"], version=None, flag="flag will explode")
    report = reredact_all(any_db, CountingRedactor())
    assert (report.hidden, report.blanked) == (1, 1)
    fine, failed = answers(any_db)
    assert not fine.hidden and fine.redaction_version == REDACTION_VERSION
    assert failed.hidden and failed.redaction_version is None  # hidden, and retried next run
    with any_db.session() as s:
        assert s.scalars(select(Flag.text)).one() is None
    assert reredact_all(any_db, CountingRedactor()).total == 1


def test_the_progress_bar_shows_counts_and_never_text() -> None:
    report = ReredactReport(total=400, done=100, changed=7, hidden=1)
    line = progress_bar(report, width=20)
    assert line == "[#####---------------] 100/400 checked, 7 changed, 1 hidden"
    assert (
        progress_bar(ReredactReport(total=0), width=4) == "[----] 0/0 checked, 0 changed, 0 hidden"
    )


def test_answers_the_service_stores_carry_the_current_redaction_version(
    sqlite_db: Database, redactor, clock, pseudonymiser
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_service
    from tests.storage.test_storage import talk

    talk(make_service(sqlite_db, redactor, clock, pseudonymiser), "hi", "1", "an answer")
    assert [a.redaction_version for a in answers(sqlite_db)] == [REDACTION_VERSION]
    assert reredact_all(sqlite_db, redactor).total == 0


def test_an_answer_withdrawn_during_a_batch_does_not_stop_the_run(any_db: Database) -> None:
    from sqlalchemy import delete

    store(any_db, ["first", "withdrawn mid-batch", "third"], version=None)

    class WithdrawsDuringTheBatch(CountingRedactor):
        def redact(self, text_: str) -> RedactionResult:
            if text_ == "first" and not self.seen:  # the person sends DELETE meanwhile
                with any_db.transaction() as conn:
                    conn.execute(delete(Answer).where(Answer.text == "withdrawn mid-batch"))
            return super().redact(text_)

    report = reredact_all(any_db, WithdrawsDuringTheBatch())
    assert report.done == 2
    assert [(a.text, a.redaction_version) for a in answers(any_db)] == [
        ("first", REDACTION_VERSION),
        ("third", REDACTION_VERSION),
    ]
