"""The staff theme pages: codebook edits (audited), coding without JavaScript, findings."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from review.themes_staff.engine import ThemeEngine
from storage.models import Answer, AuditEvent, ThemeCoding, ThemeSuggestion
from tests.review.conftest import ReviewEnv

BOOK = """themes:
  - id: money
    name: Money and allowances
    description: "Money, allowances, grants, benefits and poverty."
  - id: leaving_care
    name: Leaving care
    description: "Leaving care at 18, loneliness and support after care."
  - id: safety
    name: Feeling safe
    description: "Danger, fear, self-harm and feeling unsafe."
"""


def post(env: ReviewEnv, path: str, data: dict[str, Any]) -> Any:
    csrf = env.csrf("/review/themes")
    return env.client.post(path, data={"csrf": csrf, **data}, follow_redirects=False)


def test_only_reviewers_and_admins_use_the_theme_pages(env: ReviewEnv) -> None:
    env.sign_in("safeguarding")
    assert env.client.get("/review/themes").status_code == 403
    assert env.client.get("/review/themes/code").status_code == 403
    env.sign_in("reviewer")
    assert env.client.get("/review/themes").status_code == 200
    assert env.client.get("/review/themes/codings.csv").status_code == 403  # export is admin's


def test_codebook_edits_are_audited_and_bad_ones_explained(env: ReviewEnv) -> None:
    env.sign_in("reviewer")
    r = post(env, "/review/themes", {"action": "import", "yaml": BOOK})
    assert r.status_code == 303
    r = post(env, "/review/themes", {"action": "add", "id": "Bad id", "name": "x"})
    assert r.status_code == 400 and "lower case" in r.text
    post(env, "/review/themes", {"action": "merge", "theme": "safety", "into": "leaving_care"})
    post(env, "/review/themes", {"action": "edit", "theme": "money", "name": "Money"})
    page = env.client.get("/review/themes").text
    assert "merged into leaving_care" in page and ">Money <" in page
    yml = env.client.get("/review/themes/codebook.yml").text
    assert "id: money" in yml and "id: safety" not in yml
    with env.parts.db.session() as s:
        actions = list(s.scalars(select(AuditEvent.action)))
    assert {"theme_import", "theme_merge", "theme_edit", "themes_export"} <= set(actions)


def test_coding_without_javascript_then_suggestions_and_findings(env: ReviewEnv) -> None:
    env.sign_in("admin")
    post(env, "/review/themes", {"action": "import", "yaml": BOOK})
    engine = ThemeEngine(env.parts.db)
    assert engine.refresh() == 3  # descriptions alone
    with env.parts.db.session() as s:
        assert s.scalar(select(ThemeSuggestion.theme_id).where(ThemeSuggestion.chosen)) is not None
        lonely = s.scalar(select(Answer.id).where(Answer.text.contains("lonely")))
    page = env.client.get(f"/review/themes/code?answer={lonely}").text
    assert "lonely" in page and 'id="theme-key-1"' in page and "/review/themes/keys.js" in page
    assert re.search(r'value="leaving_care" id="theme-key-2"\s+checked', page)  # suggested
    r = post(
        env,
        "/review/themes/code",
        {"answer": lonely, "theme": ["leaving_care", "safety"], "do": "confirm"},
    )
    assert r.status_code == 303 and r.headers["location"] == f"/review/themes/code?after={lonely}"
    nxt = env.client.get(r.headers["location"]).text
    assert "Code answers" in nxt and "Previous" in nxt
    with env.parts.db.session() as s:
        rows = {(c.theme_id, c.suggested, c.confirmed_by) for c in s.scalars(select(ThemeCoding))}
    assert rows == {
        ("leaving_care", True, "admin@review.example.org"),
        ("safety", False, "admin@review.example.org"),
    }
    findings = env.client.get("/review/themes/findings", params={"by": "channel"}).text
    assert "<svg" in findings and "<table" in findings
    assert "fewer than 10" in findings  # one person: suppressed
    theme_page = env.client.get("/review/themes/findings", params={"theme": "leaving_care"}).text
    assert "Answers about Leaving care" in theme_page and "lonely" in theme_page
    csv_text = env.client.get("/review/themes/codings.csv").text
    assert csv_text.splitlines()[0] == "answer_id,theme_id,confirmed_by,confirmed_at,suggested"
    assert f"{lonely},leaving_care,admin@review.example.org" in csv_text
    assert (
        env.client.get("/review/themes/keys.js")
        .headers["content-type"]
        .startswith("text/javascript")
    )
