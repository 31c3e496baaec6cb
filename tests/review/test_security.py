"""Issue 17's staff-app findings, one regression test (or a few) per finding, named after it."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import warnings
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from review.audit import record
from review.auth import SecretBox
from review.staff import add_staff, disable_staff
from storage.models import Answer, AuditEvent, StaffUser
from tests.review.conftest import ReviewEnv

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

COOKIE = "speakup_staff"


def other_client(env: ReviewEnv, host: str) -> TestClient:
    """Another browser, at another address, on the same running app."""
    return TestClient(env.client.app, client=(host, 40000))


def attempt(client: TestClient, email: str, password: str, code: str) -> int:
    r = client.post(
        "/review/login",
        data={"email": email, "password": password, "code": code},
        follow_redirects=False,
    )
    return r.status_code


def sign_in(env: ReviewEnv, role: str, client: TestClient | None = None) -> TestClient:
    client = client or env.client
    s = env.staff[role]
    assert attempt(client, s.email, s.password, s.code()) == 303
    return client


def csrf(client: TestClient, path: str = "/review") -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert match, path
    return match.group(1)


def audit_actions(env: ReviewEnv, *actions: str) -> list[AuditEvent]:
    with env.parts.db.session() as s:
        rows = list(s.scalars(select(AuditEvent).where(AuditEvent.action.in_(actions))))
        for row in rows:
            s.expunge(row)
        return rows


def transcript_with_answer(env: ReviewEnv, word: str) -> tuple[str, int]:
    with env.parts.db.session() as s:
        answer = s.scalars(select(Answer).where(Answer.text.contains(word))).first()
        assert answer is not None
        return answer.conversation_id, answer.id


# --- H1: sign out signs out; sessions can be ended at once ----------------------------------------


def test_H1_a_copied_cookie_is_refused_after_sign_out(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    copied = env.client.cookies.get(COOKIE)
    assert copied
    env.client.post("/review/logout", data={"csrf": env.csrf()})
    env.client.cookies.set(COOKIE, copied, path="/review")
    r = env.client.get("/review", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/review/login"


def test_H1_disabling_an_account_ends_its_open_session_at_once(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    assert env.client.get("/review", follow_redirects=False).status_code == 200
    with env.parts.db.session() as s:
        assert disable_staff(s, env.staff["reviewer"].email, datetime.now(UTC))
    assert env.client.get("/review", follow_redirects=False).status_code == 303


def test_H1_a_role_change_ends_the_session_at_once(env: ReviewEnv) -> None:
    env.sign_in("admin")
    assert env.client.get("/review/users", follow_redirects=False).status_code == 200
    with env.parts.db.session() as s:
        s.execute(
            update(StaffUser)
            .where(StaffUser.email == env.staff["admin"].email)
            .values(role="reviewer")
        )
    assert env.client.get("/review/users", follow_redirects=False).status_code == 303


def test_H1_resetting_an_account_ends_its_sessions(env: ReviewEnv) -> None:
    env.sign_in("admin")
    with env.parts.db.session() as s:
        box = SecretBox(env.parts.settings.session_secret())
        add_staff(s, box, env.staff["admin"].email, "reviewer", datetime.now(UTC))
    assert env.client.get("/review", follow_redirects=False).status_code == 303


def test_H1_an_admin_can_sign_everyone_out(env: ReviewEnv) -> None:
    reviewer = sign_in(env, "reviewer", other_client(env, "192.0.2.10"))
    assert reviewer.get("/review", follow_redirects=False).status_code == 200
    env.sign_in("admin")
    r = env.client.post(
        "/review/users/sign-out-everyone",
        data={"csrf": env.csrf("/review/users")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert reviewer.get("/review", follow_redirects=False).status_code == 303
    assert env.client.get("/review", follow_redirects=False).status_code == 303
    assert audit_actions(env, "signout_everyone")


def test_H1_the_command_line_can_end_one_account_or_everyone(env: ReviewEnv) -> None:
    from review.staff import sign_out_staff

    reviewer = sign_in(env, "reviewer", other_client(env, "192.0.2.11"))
    env.sign_in("admin")
    with env.parts.db.session() as s:
        assert sign_out_staff(s, env.staff["reviewer"].email, datetime.now(UTC)) == 1
        assert sign_out_staff(s, "nobody@example.org", datetime.now(UTC)) is None
    assert reviewer.get("/review", follow_redirects=False).status_code == 303
    assert env.client.get("/review", follow_redirects=False).status_code == 200
    with env.parts.db.session() as s:
        assert sign_out_staff(s, None, datetime.now(UTC)) == 1
    assert env.client.get("/review", follow_redirects=False).status_code == 303


def test_info_the_session_cookie_is_an_opaque_id(env: ReviewEnv) -> None:
    env.sign_in("admin")
    cookie = (env.client.cookies.get(COOKIE) or "").strip('"')
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", cookie), cookie  # one random token, no fields
    for readable in ("admin", "review.example.org", "role", "csrf"):
        assert readable not in cookie
    with env.parts.db.session() as s:
        from storage.models import StaffSessionRow

        stored = list(s.scalars(select(StaffSessionRow.id_hash)))
    assert stored == [hashlib.sha256(cookie.encode()).hexdigest()]  # only its hash is kept


# --- M4: sign-in limits per account and per client; a dummy hash; no audit flood --------------------


def test_M4_a_flood_of_junk_does_not_lock_staff_out(env: ReviewEnv) -> None:
    junk = other_client(env, "203.0.113.66")
    codes = [attempt(junk, f"nobody{i}@example.org", "x", "123456") for i in range(70)]
    assert codes[0] == 401 and codes[-1] == 429  # the flooding client is itself held back
    for role, host in (("reviewer", "192.0.2.20"), ("safeguarding", "192.0.2.21")):
        sign_in(env, role, other_client(env, host))


def test_M4_wrong_attempts_cannot_lock_an_owner_out_of_their_own_browser(env: ReviewEnv) -> None:
    owner, s = env.client, env.staff["reviewer"]
    sign_in(env, "reviewer", owner)  # the owner has signed in here before
    owner.post("/review/logout", data={"csrf": csrf(owner)})
    attacker = other_client(env, "203.0.113.7")
    results = [attempt(attacker, s.email, "guess", "000000") for _ in range(6)]
    assert results == [401] * 5 + [429]
    for host in ("203.0.113.8", "203.0.113.9", "203.0.113.10", "203.0.113.11"):
        other = other_client(env, host)
        for _ in range(5):
            attempt(other, s.email, "guess", "000000")
    assert attempt(owner, s.email, s.password, s.code()) == 303


def test_M4_successful_sign_ins_do_not_count(env: ReviewEnv) -> None:
    s = env.staff["reviewer"]
    for _ in range(7):
        env.client.cookies.clear()
        if hasattr(StaffUser, "totp_last_step"):  # let one code step serve again for this test
            with env.parts.db.session() as db:
                db.execute(update(StaffUser).values(totp_last_step=None))
        s.used = -1
        assert attempt(env.client, s.email, s.password, s.code()) == 303


def test_M4_an_unknown_email_checks_a_password_hash_too(
    env: ReviewEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    import review.app

    checked: list[str] = []
    real = review.app.check_password

    def spy(stored: str, password: str) -> bool:
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(review.app, "check_password", spy)
    assert attempt(env.client, "nobody@example.org", "x", "123456") == 401
    assert len(checked) == 1 and checked[0].startswith("$argon2id$")
    with env.parts.db.session() as s:
        disable_staff(s, env.staff["reviewer"].email, datetime.now(UTC))
    s_ = env.staff["reviewer"]
    assert attempt(env.client, s_.email, s_.password, s_.code()) == 401
    assert len(checked) == 2  # a disabled account takes as long to refuse


def test_M4_refused_attempts_cannot_flood_the_audit_log(env: ReviewEnv) -> None:
    for i in range(8):
        client = other_client(env, f"198.51.100.{i}")
        for j in range(6):
            attempt(client, f"junk{i}-{j}@example.org", "x", "000000")
    rows = audit_actions(env, "signin_failed", "signin_limited")
    assert 1 <= len(rows) <= 2, [r.detail for r in rows]
    assert "failures_last_minute=" in rows[0].detail


def test_info_audit_rows_name_accounts_by_a_keyed_hash(env: ReviewEnv) -> None:
    email = env.staff["reviewer"].email
    attempt(env.client, email, "wrong", "000000")
    detail = " ".join(r.detail for r in audit_actions(env, "signin_failed", "signin_limited"))
    assert "account=" in detail
    assert hashlib.sha256(email.encode()).hexdigest()[:24] not in detail
    assert email not in detail


# --- M5: ids validated; every CSV spreadsheet-safe ------------------------------------------------


def test_M5_step_back_refuses_an_id_that_is_not_a_transcript(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    token = env.csrf()
    for bad in (
        '=HYPERLINK("x.example","click")',
        "x",
        "00000000-0000-0000-0000-000000000000",
    ):
        r = env.client.post(
            f"/review/transcripts/{bad}/step-back", data={"csrf": token}, follow_redirects=False
        )
        assert r.status_code == 404, bad
        assert env.client.get(f"/review/transcripts/{bad}").status_code == 404
    assert not audit_actions(env, "stepped_back")


FORMULA = set("=+-@\t\r")


def formula_cells(text: str) -> list[str]:
    return [
        cell
        for row in csv.reader(io.StringIO(text))
        for cell in row
        if cell and unicodedata.normalize("NFKC", cell.lstrip(" ")[:1]) in FORMULA
    ]


def test_M5_the_audit_csv_is_spreadsheet_safe(env: ReviewEnv) -> None:
    with env.parts.db.session() as s:
        for value in (
            '=HYPERLINK("http://x.example","x")',
            "\uff1d1+1",
            "\uff0bcmd",
            "\uff20SUM(A1)",
            "\tx",
            "-1",
        ):
            record(s, value, "test", value, datetime.now(UTC))
    env.sign_in("admin")
    text = env.client.get("/review/audit.csv").text
    assert "HYPERLINK" in text
    assert formula_cells(text) == []


def test_M5_the_answer_export_is_spreadsheet_safe(env: ReviewEnv) -> None:
    with env.parts.db.session() as s:
        for answer, value in zip(
            s.scalars(select(Answer)), ("\uff1d1+1", "@SUM(A1)", "\uff0d2"), strict=False
        ):
            answer.text = value
    env.sign_in("admin")
    r = env.client.post(
        "/review/export", data={"csrf": env.csrf("/review/export"), "format": "csv"}
    )
    assert "1+1" in r.text and formula_cells(r.text) == []


# --- L2: a TOTP code works once -------------------------------------------------------------------


def test_L2_a_totp_code_works_once(env: ReviewEnv) -> None:
    s = env.staff["reviewer"]
    code = s.code()
    assert attempt(env.client, s.email, s.password, code) == 303
    env.client.post("/review/logout", data={"csrf": env.csrf()})
    assert attempt(env.client, s.email, s.password, code) == 401
    assert attempt(other_client(env, "192.0.2.30"), s.email, s.password, code) == 401
    assert attempt(env.client, s.email, s.password, s.code()) == 303  # the next code works


# --- L6: stepping back covers every action; hiding needs a reason and can be undone --------------


def test_L6_step_back_applies_to_reporting_and_hiding(env: ReviewEnv) -> None:
    cid, aid = transcript_with_answer(env, "lonely")
    env.sign_in("reviewer")
    token = env.csrf(f"/review/transcripts/{cid}")
    env.client.post(f"/review/transcripts/{cid}/step-back", data={"csrf": token, "confirm": "yes"})
    r = env.client.post(
        f"/review/answers/{aid}/report",
        data={"csrf": token, "reason": "name", "confirm": "yes"},
        follow_redirects=False,
    )
    assert r.status_code == 404
    assert env.client.get(f"/review/transcripts/{cid}").status_code == 403  # says you stepped back
    with env.parts.db.session() as s:
        answer = s.get(Answer, aid)
        assert answer is not None and not answer.hidden and not answer.reported


def test_L6_hiding_needs_a_reason(env: ReviewEnv) -> None:
    cid, aid = transcript_with_answer(env, "lonely")
    env.sign_in("reviewer")
    token = env.csrf(f"/review/transcripts/{cid}")
    for reason in ("", "because I said so"):
        r = env.client.post(f"/review/answers/{aid}/report", data={"csrf": token, "reason": reason})
        assert r.status_code == 400
    with env.parts.db.session() as s:
        answer = s.get(Answer, aid)
        assert answer is not None and not answer.hidden


def test_L6_a_lead_or_admin_can_undo_a_hide_and_it_is_audited(env: ReviewEnv) -> None:
    cid, aid = transcript_with_answer(env, "lonely")
    env.sign_in("reviewer")
    token = env.csrf(f"/review/transcripts/{cid}")
    env.client.post(
        f"/review/answers/{aid}/report", data={"csrf": token, "reason": "other", "confirm": "yes"}
    )
    with env.parts.db.session() as s:
        answer = s.get(Answer, aid)
        assert answer is not None and answer.hidden  # nothing to re-redact: it stays hidden
    r = env.client.post(
        f"/review/answers/{aid}/unhide", data={"csrf": token}, follow_redirects=False
    )
    assert r.status_code == 403  # a reviewer cannot undo
    env.sign_in("safeguarding")
    page = env.client.get(f"/review/transcripts/{cid}").text
    assert "Show this answer again" in page
    token = env.csrf(f"/review/transcripts/{cid}")
    env.client.post(f"/review/answers/{aid}/unhide", data={"csrf": token})
    with env.parts.db.session() as s:
        answer = s.get(Answer, aid)
        assert answer is not None and not answer.hidden
    reported = audit_actions(env, "leak_reported")
    assert reported and "reason=other" in reported[0].detail
    assert [e.detail for e in audit_actions(env, "answer_unhidden")] == [f"answer={aid}"]


# --- the same server-side state on SQLite and PostgreSQL -----------------------------------------


def test_H1_L2_M4_server_side_state_on_both_databases(any_db) -> None:  # type: ignore[no-untyped-def]
    import pyotp

    from review.signin import SessionStore, SigninGuard, end_sessions, use_totp

    store = SessionStore(idle_seconds=1800, max_seconds=43200)
    guard = SigninGuard(b"k" * 32, per_account_client=5)
    box = SecretBox(b"k" * 32)
    now = datetime.now(UTC)
    with any_db.session() as s:
        account = add_staff(s, box, "lead@review.example.org", "admin", now)
        user = s.scalars(select(StaffUser)).one()
        token = store.start(s, user, now)
    with any_db.session() as s:
        found = store.load(s, token, now, queue=True)
        assert found is not None and found.role == "admin" and found.queue_since is not None
        assert store.load(s, token + "x", now) is None
    with any_db.session() as s:
        store.end(s, token)
    with any_db.session() as s:
        assert store.load(s, token, now) is None
        user = s.scalars(select(StaffUser)).one()
        second = store.start(s, user, now)
        assert end_sessions(s) == 1
        assert store.load(s, second, now) is None
    code = pyotp.TOTP(account.totp_secret).at(now)
    with any_db.session() as s:
        user = s.scalars(select(StaffUser)).one()
        assert use_totp(s, user, account.totp_secret, code, now)
    with any_db.session() as s:
        user = s.scalars(select(StaffUser)).one()
        assert not use_totp(s, user, account.totp_secret, code, now)
    attempt_ = guard.attempt("lead@review.example.org", "192.0.2.1", None)
    with any_db.session() as s:
        for _ in range(5):
            assert guard.allowed(s, attempt_, now)
            guard.failed(s, attempt_, now)
        assert not guard.allowed(s, attempt_, now)
        assert guard.allowed(s, guard.attempt("lead@review.example.org", "192.0.2.2", None), now)
