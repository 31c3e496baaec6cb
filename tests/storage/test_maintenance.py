"""Retention, withdrawals since an export, re-redaction, exports and key rotation."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from sqlalchemy import select

from config.app import AppConfig
from dialogues import load_dialogue
from privacy import Redactor
from privacy.pseudonym import Pseudonymiser
from review.export import export_answers, spreadsheet_safe
from storage import Database
from storage.maintenance import key_versions_in_use, purge, reredact_answer, withdrawals_since
from storage.models import Answer, Conversation, Flag, SenderLink
from tests.conftest import Clock, make_service
from tests.storage.test_storage import code_from, talk


def test_purge_removes_only_what_is_past_retention(
    any_db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig,
) -> None:
    service = make_service(any_db, redactor, clock, pseudonymiser)
    talk(service, "hi", "1", "old answer, i feel so lonely", "BYE", sender="+447700900001")
    clock.advance(days=config.retention.answers_days + 1)
    talk(service, "hi", "1", "new answer", sender="+447700900002")
    with any_db.session() as s:
        report = purge(s, config.retention, resume_window=timedelta(hours=72), now=clock.now)
    assert report.answers == 1 and report.flags == 1 and report.conversations == 1
    with any_db.session() as s:
        assert [a.text for a in s.scalars(select(Answer))] == ["new answer"]
        assert s.scalars(select(Flag)).all() == []
        assert len(s.scalars(select(Conversation)).all()) == 1


def test_withdrawals_since_an_export_lists_what_to_remove(
    any_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    service = make_service(any_db, redactor, clock, pseudonymiser)
    code = code_from(talk(service, "hi", "1", "an answer", "BYE"))
    out = io.StringIO()
    with any_db.session() as s:
        result = export_answers(
            s,
            load_dialogue(),
            out,
            fmt="jsonl",
            by="analyst@example.org",
            now=clock.now,
            min_group=1,
        )
    row = json.loads(out.getvalue().splitlines()[0])
    assert row["export_id"] == result.id and row["exported_by"] == "analyst@example.org"
    assert row["day"] == clock.now.date().isoformat() and "T" not in row["day"]
    clock.advance(hours=1)
    talk(service, f"DELETE {code}", sender="+447700900003")
    with any_db.session() as s:
        _, ids = withdrawals_since(s, result.id)
    assert ids == [row["conversation"]]


def test_csv_export_is_safe_to_open_in_a_spreadsheet(
    any_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    service = make_service(any_db, redactor, clock, pseudonymiser)
    talk(service, "hi", "1", '=HYPERLINK("http://evil","click")')
    out = io.StringIO()
    with any_db.session() as s:
        export_answers(s, load_dialogue(), out, fmt="csv", by="me", now=clock.now)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["answer"].startswith("'=")
    assert spreadsheet_safe("-1+1") == "'-1+1" and spreadsheet_safe("fine") == "fine"


def test_reredact_fixes_a_leak_or_hides_the_answer(any_db: Database, redactor: Redactor) -> None:
    from datetime import UTC, datetime

    with any_db.session() as s:
        s.add(
            Conversation(
                id="c1",
                dialogue_id="d",
                channel="web",
                status="finished",
                state={},
                started_at=datetime.now(UTC),
                updated_at=datetime.now(UTC),
            )
        )
        s.flush()
        s.add(
            Answer(
                conversation_id="c1",
                question_id="q",
                text="ring 07912 345678",
                entity_types=[],
                created_at=datetime.now(UTC),
            )
        )
        s.flush()
        answer_id = s.scalars(select(Answer.id)).one()
    with any_db.session() as s:
        assert reredact_answer(s, redactor, answer_id) == "re-redacted"
    with any_db.session() as s:
        answer = s.get(Answer, answer_id)
        assert answer is not None and answer.text == "ring [phone number]"
        assert reredact_answer(s, redactor, answer_id) == "unchanged"
        assert reredact_answer(s, redactor, answer_id, hide=True) == "hidden"
    with any_db.session() as s:
        answer = s.get(Answer, answer_id)
        assert answer is not None and answer.hidden


def test_key_rotation_rekeys_lazily_and_shows_when_old_keys_can_retire(
    any_db: Database, redactor: Redactor, clock: Clock
) -> None:
    old = Pseudonymiser(keys={"1": b"o" * 40}, current="1")
    talk(make_service(any_db, redactor, clock, old), "hi", "1", "first answer")
    rotated = Pseudonymiser(keys={"2": b"n" * 40, "1": b"o" * 40}, current="2")
    service = make_service(any_db, redactor, clock, rotated)
    with any_db.session() as s:
        assert key_versions_in_use(s) == {"1": 1}
    replies = talk(service, "second answer")
    assert (
        "change now" not in replies[0] and "does not work well" in replies[0]
    )  # same conversation
    with any_db.session() as s:
        assert key_versions_in_use(s) == {"2": 1}
        link = s.scalars(select(SenderLink)).one()
        assert link.sender_hash == rotated.sender("sms", "+447700900555")
        assert len(s.scalars(select(Answer)).all()) == 2


def test_small_groups_are_coarsened_then_suppressed() -> None:
    from review.export import coarsen

    rows = [
        {"route": "", "age_band": "18_24", "day": f"2026-11-2{i % 3}", "conversation": str(i)}
        for i in range(12)
    ]
    coarsen(rows, 10)
    assert {r["day"] for r in rows} == {"2026-W47"}  # three days of four people: one week of twelve
    lonely = [{"route": "hostel-7", "age_band": "16_17", "day": "2026-11-20", "conversation": "a"}]
    coarsen(lonely, 10)
    assert lonely[0] == {
        "route": "suppressed",
        "age_band": "suppressed",
        "day": "2026-11",
        "conversation": "a",
    }


def test_the_redaction_version_fits_its_column() -> None:
    from privacy import REDACTION_VERSION
    from storage.models import Answer

    assert len(REDACTION_VERSION) <= Answer.__table__.c.redaction_version.type.length
