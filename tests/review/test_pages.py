"""What staff see and do: transcripts, leaks, stepping back, the queue, exports and the audit log."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select, text

from storage.models import Answer, Flag
from tests.review.conftest import ReviewEnv


def first_transcript(env: ReviewEnv, **params: str) -> str:
    page = env.client.get("/review/transcripts", params=params).text
    ids = re.findall(r'href="/review/transcripts/([0-9a-f-]{36})"', page)
    assert ids, page[:500]
    return ids[0]


def test_answers_with_html_show_as_text(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    cid = first_transcript(env, q="kinship")
    page = env.client.get(f"/review/transcripts/{cid}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "loving, stable and safe families" in page  # the bot's prompt is shown with the answer


def test_filters_and_search(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    assert "3 conversations" in env.client.get("/review/transcripts").text
    assert "1 conversation." in env.client.get("/review/transcripts", params={"q": "lonely"}).text
    assert (
        "1 conversation." in env.client.get("/review/transcripts", params={"risk": "urgent"}).text
    )
    assert (
        "0 conversations"
        in env.client.get("/review/transcripts", params={"channel": "telegram"}).text
    )
    assert (
        "3 conversations"
        in env.client.get(
            "/review/transcripts", params={"question": "big_question", "finished": "no"}
        ).text
    )


def test_reporting_a_leak_hides_the_answer_at_once(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    cid = first_transcript(env, q="lonely")
    with env.parts.db.session() as s:
        answer = s.scalars(select(Answer).where(Answer.conversation_id == cid)).one()
        # a name the redactor missed, pretend: staff report it
        s.execute(
            text("update answers set text = :t where id = :i"),
            {"t": "my sw Zebedee Quux, ring 07912 345678", "i": answer.id},
        )
        answer_id = answer.id
    page = env.client.get(f"/review/transcripts/{cid}").text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = env.client.post(
        f"/review/answers/{answer_id}/report", data={"csrf": token, "reason": "name"}
    )
    assert r.status_code == 200 and "Hide this answer?" in r.text  # asks first
    with env.parts.db.session() as s:
        assert not s.get(Answer, answer_id).reported  # type: ignore[union-attr]
    r = env.client.post(
        f"/review/answers/{answer_id}/report",
        data={"csrf": token, "reason": "name", "confirm": "yes"},
    )
    assert r.status_code == 200
    assert "Personal data removed" in r.text or "Answer hidden" in r.text
    with env.parts.db.session() as s:
        stored = s.get(Answer, answer_id)
        assert stored is not None and stored.reported and "07912" not in stored.text


def test_stepping_back_hides_a_transcript_from_that_person_only(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    cid = first_transcript(env, q="lonely")
    token = env.csrf(f"/review/transcripts/{cid}")
    asked = env.client.post(f"/review/transcripts/{cid}/step-back", data={"csrf": token})
    assert "Step back from this transcript?" in asked.text
    assert env.client.get(f"/review/transcripts/{cid}").status_code == 200  # not yet
    done = env.client.post(
        f"/review/transcripts/{cid}/step-back", data={"csrf": token, "confirm": "yes"}
    )
    assert "You stepped back from a transcript" in done.text and "Undo" in done.text
    again = env.client.get(f"/review/transcripts/{cid}")
    assert again.status_code == 403 and "You stepped back from this transcript" in again.text
    assert "There is no transcript here" not in again.text
    assert "2 conversations" in env.client.get("/review/transcripts").text
    env.sign_in("admin")
    assert env.client.get(f"/review/transcripts/{cid}").status_code == 200


def test_queue_puts_urgent_first_and_records_decisions(env: ReviewEnv) -> None:
    env.sign_in("safeguarding")
    page = env.client.get("/review/safeguarding").text
    levels = re.findall(r'data-level="(\w+)"', page)
    assert levels[0] == "urgent" and "support" in levels
    assert "Open item" not in page and "gonna kms tonight" in page  # a short redacted preview
    assert "Suicide" in page and "The person writing" in page and "1 minutes" not in page
    fid = re.findall(r"/review/safeguarding/(\d+)", page)[0]
    item = env.client.get(f"/review/safeguarding/{fid}").text
    assert "Show the message" in item
    token = re.search(r'name="csrf" value="([^"]+)"', item).group(1)  # type: ignore[union-attr]
    assert (
        "Write what you decided"
        in env.client.post(f"/review/safeguarding/{fid}", data={"csrf": token}).text
    )
    env.client.post(
        f"/review/safeguarding/{fid}",
        data={"csrf": token, "decision": "No one identifiable; no referral."},
    )
    with env.parts.db.session() as s:
        flag = s.get(Flag, int(fid))
        assert flag is not None and flag.reviewed_by == "safeguarding@review.example.org"


def test_export_download_is_audited_and_safe(env: ReviewEnv) -> None:
    env.sign_in("admin")
    token = env.csrf("/review/export")
    r = env.client.post("/review/export", data={"csrf": token, "format": "csv"})
    assert r.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and all(row["exported_by"] == "admin@review.example.org" for row in rows)
    assert all(
        row["route"] in ("", "suppressed") for row in rows
    )  # groups of fewer than 10 are coarsened
    audit = env.client.get("/review/audit").text
    assert "export" in audit and "chain of" in audit and "intact" in audit


def test_audit_log_is_append_only_and_chained(env: ReviewEnv) -> None:
    import pytest
    from sqlalchemy.exc import DatabaseError

    from review.audit import verify_chain

    env.sign_in("admin")
    env.client.get("/review/transcripts", params={"q": "money"})
    with env.parts.db.session() as s:
        intact, count = verify_chain(s)
        assert intact and count >= 5
    for statement in ("update audit_events set actor = 'someone'", "delete from audit_events"):
        with pytest.raises(DatabaseError), env.parts.db.session() as s:
            s.execute(text(statement))
    csv_text = env.client.get("/review/audit.csv").text
    assert csv_text.startswith("id,at,actor,action,detail,prev_hash,hash")
    assert "money" not in csv_text  # searches are recorded, their words are not


def test_dashboard_has_server_side_charts(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    page = env.client.get("/review").text
    assert page.count("<svg") == 7 and "<script" not in page.split("<body", 1)[1]
    assert page.count("<table") == 7  # a table of the figures beside every chart


def _age_session(env: ReviewEnv, **seconds_ago: float) -> None:
    """Move the signed-in session's times back (the cookie holds only an id)."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from storage.models import StaffSessionRow

    now = datetime.now(UTC)
    values = {k: now - timedelta(seconds=v) for k, v in seconds_ago.items()}
    with env.parts.db.session() as s:
        s.execute(update(StaffSessionRow).values(**values))


def test_a_gentle_welfare_reminder_after_time_on_the_queue(env: ReviewEnv) -> None:
    env.sign_in("safeguarding")
    first = env.client.get("/review/safeguarding")
    assert "A reminder" not in first.text
    cfg = env.parts.config.review
    _age_session(env, queue_since=(cfg.welfare_reminder_minutes + 5) * 60)
    assert "A reminder" in env.client.get("/review/safeguarding").text


def test_sessions_expire_after_idle_time(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    assert env.client.get("/review", follow_redirects=False).status_code == 200
    cfg = env.parts.config.review
    _age_session(env, seen_at=cfg.session_idle_minutes * 60 + 5)
    assert env.client.get("/review", follow_redirects=False).status_code == 303


def test_sessions_end_after_their_absolute_lifetime(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    cfg = env.parts.config.review
    _age_session(env, created_at=cfg.session_max_hours * 3600 + 5)
    assert env.client.get("/review", follow_redirects=False).status_code == 303


def test_every_risk_rule_has_a_label_staff_can_read() -> None:
    from review.pages.labels import REASONS
    from safeguarding.detector import load_rules

    missing = [r.id for r in load_rules().rules if r.id not in REASONS]
    assert not missing, f"add a staff label in review/pages/labels.py for {missing}"
