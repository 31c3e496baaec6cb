"""The queue explains each item; a safeguarding lead sets its true level; the TSV teaches the model."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from review.audit import verify_chain
from storage import Repository
from storage.models import AuditEvent, Flag
from tests.review.conftest import ReviewEnv


def add_flag(env: ReviewEnv, level: str, text: str | None, **kw: object) -> int:
    with env.parts.db.transaction() as conn:
        Repository(conn).add_flag(
            None,
            level,
            ["abuse"],
            "self",
            list(kw.get("reasons", ["model: urgent 0.71", "like: mum hits me when shes drunk"])),  # type: ignore[call-overload]
            text,
            datetime.now(UTC),
            score=kw.get("score", 0.71),  # type: ignore[arg-type]
        )
    with env.parts.db.session() as s:
        return max(f.id for f in s.scalars(select(Flag)))


def item_csrf(env: ReviewEnv, fid: int) -> str:
    page = env.client.get(f"/review/safeguarding/{fid}").text
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match
    return match.group(1)


def test_the_queue_shows_each_items_level_and_why(env: ReviewEnv) -> None:
    fid = add_flag(env, "check", "i dont feel safe at home", score=0.43)
    env.sign_in("safeguarding")
    page = env.client.get("/review/safeguarding").text
    levels = re.findall(r'data-level="(\w+)"', page)
    assert levels.index("urgent") < levels.index("check") < levels.index("support")
    assert "govuk-tag--orange" in page  # check
    assert "model: urgent 0.71" in page and "like: mum hits me when shes drunk" in page
    assert "score 0.43" in page
    assert "i dont feel safe at home" in page  # a short redacted preview opens the item
    item = env.client.get(f"/review/safeguarding/{fid}").text
    assert "<li>model: urgent 0.71</li>" in item and "0.43" in item
    assert "What level should this message have had?" in item
    # a rule's reason is shown in words on the queue, and with its rule id on the item
    seeded = env.client.get("/review/safeguarding").text
    assert not re.search(r"suicide_\w+", seeded) and "end their life" in seeded


@pytest.mark.parametrize("role", ["safeguarding", "admin"])
def test_a_lead_sets_the_true_level_and_it_is_audited(env: ReviewEnv, role: str) -> None:
    fid = add_flag(env, "urgent", "my mum hits me [person] knows")
    env.sign_in(role)
    token = item_csrf(env, fid)
    r = env.client.post(
        f"/review/safeguarding/{fid}/level",
        data={"csrf": token, "true_level": "check"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/review/safeguarding/{fid}"
    with env.parts.db.session() as s:
        flag = s.get(Flag, fid)
        assert flag is not None and flag.true_level == "check"
        assert flag.corrected_by == f"{role}@review.example.org"
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "flag_corrected")).one()
        assert event.detail == f"flag={fid} detected=urgent unset->check"
        assert "hits" not in event.detail
        assert verify_chain(s)[0]
    assert "Check (asked if safe), set by" in env.client.get(f"/review/safeguarding/{fid}").text
    assert "corrected to Check (asked if safe)" in env.client.get("/review/safeguarding").text


def test_an_unknown_level_or_item_is_refused(env: ReviewEnv) -> None:
    fid = add_flag(env, "urgent", "x")
    env.sign_in("safeguarding")
    token = item_csrf(env, fid)
    bad = env.client.post(
        f"/review/safeguarding/{fid}/level", data={"csrf": token, "true_level": "maybe"}
    )
    assert bad.status_code == 400 and 'href="#true-urgent"' in bad.text  # an error summary
    missing = env.client.post(
        "/review/safeguarding/99999/level", data={"csrf": token, "true_level": "none"}
    )
    assert missing.status_code == 404
    no_csrf = env.client.post(f"/review/safeguarding/{fid}/level", data={"true_level": "none"})
    assert no_csrf.status_code == 403


def test_a_reviewer_can_neither_correct_nor_export(env: ReviewEnv) -> None:
    fid = add_flag(env, "urgent", "x")
    env.sign_in("reviewer")
    token = env.csrf("/review")
    r = env.client.post(
        f"/review/safeguarding/{fid}/level",
        data={"csrf": token, "true_level": "none"},
        follow_redirects=False,
    )
    assert r.status_code == 403
    assert env.client.get("/review/safeguarding/corrections.tsv").status_code == 403
    env.client.cookies.clear()
    anonymous = env.client.get("/review/safeguarding/corrections.tsv", follow_redirects=False)
    assert anonymous.status_code == 303
    with env.parts.db.session() as s:
        flag = s.get(Flag, fid)
        assert flag is not None and flag.true_level is None


def test_the_tsv_holds_corrected_redacted_text_only_one_line_each(env: ReviewEnv) -> None:
    with_tabs = add_flag(env, "urgent", "he hits me\tevery night\nring [phone number]")
    no_text = add_flag(env, "urgent", None)
    uncorrected = add_flag(env, "support", "i feel low")
    none_level = add_flag(env, "check", "i dont feel safe at home lol jk about the game")
    env.sign_in("safeguarding")
    for fid, level in ((with_tabs, "urgent"), (no_text, "urgent"), (none_level, "none")):
        env.client.post(
            f"/review/safeguarding/{fid}/level",
            data={"csrf": item_csrf(env, fid), "true_level": level},
        )
    r = env.client.get("/review/safeguarding/corrections.tsv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    assert r.headers["content-disposition"].startswith('attachment; filename="risk-corrections-')
    assert r.text == (
        "urgent\the hits me every night ring [phone number]\n"
        "none\ti dont feel safe at home lol jk about the game\n"
    )
    for line in r.text.splitlines():
        level, text = line.split("\t")
        assert level in ("urgent", "check", "support", "none") and text
    assert uncorrected  # never corrected: not exported
    with env.parts.db.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "corrections_export")).one()
        assert event.detail == "rows=2" and event.actor == "safeguarding@review.example.org"
