"""Issue 18, staff app: readable labels, error summaries, the export's risk columns and filters,
the per-question view and staff management (admin only, audited, sessions ended)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

from sqlalchemy import select

from review.pages.labels import at_risk, plural, preview, waiting, when
from storage.models import AuditEvent, Flag, StaffSessionRow, StaffUser
from tests.review.conftest import ReviewEnv


def audit_actions(env: ReviewEnv) -> list[str]:
    with env.parts.db.session() as s:
        return [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_label_helpers() -> None:
    assert plural(1, "minute") == "1 minute" and plural(2, "minute") == "2 minutes"
    assert waiting(1) == "1 minute" and waiting(180) == "3 hours" and waiting(3000) == "2 days"
    assert when(datetime(2026, 11, 30, 14, 5, tzinfo=UTC)) == "30 Nov 2026, 14:05"
    assert when(datetime(2026, 7, 1, 9, 0, tzinfo=UTC)) == "1 Jul 2026, 10:00"  # UK summer time
    assert preview("a " * 100, 20).endswith("…") and len(preview("a " * 100, 20)) <= 21
    # A threat someone else makes ("he will hurt my little sister") is not the writer's threat.
    assert at_risk(["threat_to_others", "violence"], "self") == "Someone other than the writer"
    assert at_risk(["suicide"], "self") == "The person writing"
    assert at_risk(["neglect"], "child") == "A child the writer tells us about"


def test_pages_show_words_not_ids(env: ReviewEnv) -> None:
    with env.parts.db.session() as s:
        s.add(
            Flag(
                conversation_id=None,
                level="urgent",
                kinds=["threat_to_others", "violence"],
                who="self",
                reasons=["threat_by_writer"],
                text="he will hurt my little sister",
                created_at=datetime.now(UTC),
            )
        )
        s.add(Flag(level="audit_sample", kinds=[], text="x", created_at=datetime.now(UTC)))
    env.sign_in("safeguarding")
    queue = env.client.get("/review/safeguarding").text
    row = next(r for r in queue.split("<tr") if "little sister" in r)
    assert "Someone other than the writer" in row and "The person writing" not in row
    assert "threat_to_others" not in queue and "threat_by_writer" not in queue
    assert "Audit sample (judged no risk)" in queue and ">audit_sample<" not in queue
    assert "1 minutes" not in queue and "Open item" not in queue
    listing = env.client.get("/review/transcripts").text
    assert re.search(r"\d{1,2} \w{3} \d{4}, \d\d:\d\d", listing)  # a time, not only the day
    assert "Text message (SMS)" in listing
    cid = re.findall(r'href="/review/transcripts/([0-9a-f-]{36})"', listing)[0]
    page = env.client.get(f"/review/transcripts/{cid}").text
    assert "The big question" in page and "big_question" not in page.replace('"big_question', "")


def test_invalid_filter_dates_get_an_error_summary(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    r = env.client.get("/review/transcripts", params={"start": "31/02/2026", "end": "soon"})
    assert r.status_code == 400
    assert "govuk-error-summary" in r.text and 'href="#start"' in r.text and 'href="#end"' in r.text
    assert 'value="31/02/2026"' in r.text and "<title>Error: " in r.text  # values kept
    ok = env.client.get("/review/transcripts", params={"start": "1/1/2020", "end": "2099-01-01"})
    assert ok.status_code == 200 and "3 conversations" in ok.text
    back = env.client.get(
        "/review/transcripts", params={"start": "2026-12-01", "end": "2026-11-01"}
    )
    assert "same as or after" in back.text


def test_sign_in_errors_are_linked_and_keep_the_email(env: ReviewEnv) -> None:
    env.client.cookies.clear()
    r = env.client.post("/review/login", data={"email": "Someone@Example.org", "password": ""})
    assert r.status_code == 400 and 'href="#password"' in r.text and 'href="#code"' in r.text
    assert 'value="someone@example.org"' in r.text and 'role="alert"' in r.text
    r = env.client.post(
        "/review/login", data={"email": "someone@example.org", "password": "x", "code": "123456"}
    )
    assert r.status_code == 401 and 'href="#email"' in r.text and "Those details" in r.text


def test_export_has_risk_columns_filters_and_a_bom(env: ReviewEnv) -> None:
    env.sign_in("admin")
    token = env.csrf("/review/export")
    r = env.client.post("/review/export", data={"csrf": token, "format": "csv"})
    assert r.content.startswith("\ufeff".encode()) and "charset=utf-8" in r.headers["content-type"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {"risk_level", "answer_flag"} <= set(rows[0])
    assert any(row["risk_level"] == "urgent" and row["answer_flag"] == "urgent" for row in rows)
    assert any(row["answer_flag"] == "" for row in rows)
    one = env.client.post(
        "/review/export", data={"csrf": token, "format": "csv", "question": "big_question"}
    )
    assert {row["question_id"] for row in csv.DictReader(io.StringIO(one.text[1:]))} == {
        "big_question"
    }
    none = env.client.post(
        "/review/export", data={"csrf": token, "format": "jsonl", "group": "adopter"}
    )
    assert none.text == ""  # nobody in the seed said they are an adopter
    bad = env.client.post(
        "/review/export", data={"csrf": token, "start": "yesterday", "question": "nope"}
    )
    assert bad.status_code == 400 and 'href="#start"' in bad.text and 'href="#question"' in bad.text
    assert 'value="yesterday"' in bad.text
    assert "export" in audit_actions(env)


def test_the_per_question_view(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    index = env.client.get("/review/questions").text
    assert 'href="/review/questions/big_question"' in index and "The big question" in index
    page = env.client.get("/review/questions/big_question")
    assert page.status_code == 200 and "3 answers." in page.text
    assert "kinship carers" in page.text and "lonely" in page.text
    found = env.client.get("/review/questions/big_question", params={"q": "lonely"}).text
    assert "1 answer." in found and "kinship carers" not in found
    assert (
        "0 answers."
        in env.client.get("/review/questions/big_question", params={"channel": "web"}).text
    )
    assert (
        "0 answers."
        in env.client.get("/review/questions/big_question", params={"group": "in_care"}).text
    )
    bad = env.client.get("/review/questions/big_question", params={"end": "2026-13-01"})
    assert bad.status_code == 400 and 'href="#end"' in bad.text
    assert env.client.get("/review/questions/nope").status_code == 404
    assert "question_view" in audit_actions(env)


def test_staff_management_is_admin_only_audited_and_ends_sessions(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    assert env.client.get("/review/users").status_code == 403
    reviewer_session = env.client.cookies.get("speakup_staff")
    env.client.cookies.clear()
    env.sign_in("admin")
    token = env.csrf("/review/users")
    bad = env.client.post("/review/users/add", data={"csrf": token, "email": "nope"})
    assert bad.status_code == 400 and 'href="#email"' in bad.text and 'href="#role"' in bad.text
    assert 'value="nope"' in bad.text
    added = env.client.post(
        "/review/users/add",
        data={"csrf": token, "email": "New@Review.example.org", "role": "reviewer"},
    )
    assert added.status_code == 200 and "no-store" in added.headers["cache-control"]
    assert re.search(r'data-secret="totp">[A-Z2-7]{32}<', added.text)
    again = env.client.post(
        "/review/users/add",
        data={"csrf": token, "email": "new@review.example.org", "role": "admin"},
    )
    assert "already an account" in again.text
    with env.parts.db.session() as s:
        target = s.scalars(
            select(StaffUser).where(StaffUser.email == "reviewer@review.example.org")
        ).one()
        me = s.scalars(select(StaffUser).where(StaffUser.email == "admin@review.example.org")).one()
        uid, my_id = target.id, me.id
    assert (
        "Manage" in env.client.get("/review/users").text
        or "manage" in env.client.get("/review/users").text
    )
    asked = env.client.post(f"/review/users/{uid}/role", data={"csrf": token, "role": "admin"})
    assert "Change this role?" in asked.text and "Administrator" in asked.text
    with env.parts.db.session() as s:
        assert s.get(StaffUser, uid).role == "reviewer"  # type: ignore[union-attr]
    done = env.client.post(
        f"/review/users/{uid}/role", data={"csrf": token, "role": "safeguarding", "confirm": "yes"}
    )
    assert "Role changed" in done.text
    with env.parts.db.session() as s:
        assert s.get(StaffUser, uid).role == "safeguarding"  # type: ignore[union-attr]
        assert not s.scalars(select(StaffSessionRow).where(StaffSessionRow.staff_id == uid)).all()
    assert reviewer_session
    env.client.post(f"/review/users/{uid}/disable", data={"csrf": token, "confirm": "yes"})
    env.client.post(f"/review/users/{uid}/reset-two-factor", data={"csrf": token, "confirm": "yes"})
    with env.parts.db.session() as s:
        assert s.get(StaffUser, uid).disabled  # type: ignore[union-attr]
    own = env.client.post(f"/review/users/{my_id}/disable", data={"csrf": token, "confirm": "yes"})
    assert own.status_code == 400 and "cannot disable your own" in own.text
    actions = audit_actions(env)
    for action in ("staff_added", "staff_role_changed", "staff_disabled", "staff_two_factor_reset"):
        assert action in actions


def test_dashboard_headlines_breakdowns_suppression_and_dates(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    page = env.client.get("/review").text
    assert re.search(r'id="headline-total">3<', page)
    assert re.search(r'id="headline-week">3<', page) and 'id="headline-completion"' in page
    for heading in ("by group", "By age", "By channel", "By partner route"):
        assert heading in page
    assert "fewer than 10" in page  # three people by SMS: too few to show
    assert ">3<" not in page.split('id="h-channels"', 1)[1].split("</section>", 1)[0]
    for section in ("per-day", "drop-off"):  # counts of people are suppressed everywhere
        part = page.split(f'id="h-{section}"', 1)[1].split("</section>", 1)[0]
        assert "fewer than 10" in part and not re.search(r">[1-9]<", part), section
    assert "The big question" in page and "big_question" not in page
    none = env.client.get("/review", params={"start": "2000-01-01", "end": "2000-01-02"}).text
    assert re.search(r'id="headline-total">0<', none)
    bad = env.client.get("/review", params={"start": "32/01/2026"})
    assert (
        bad.status_code == 400 and 'href="#start"' in bad.text and 'value="32/01/2026"' in bad.text
    )
