"""Issue 18, the staff walk in Chromium at phone size (390x844): confirmations with undo, GOV.UK
error summaries, readable labels, the dashboard, the per-question view, the export and staff
management. axe-core finds no violations on any page, the new ones included."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from config.settings import load_settings
from review.auth import SecretBox
from review.staff import add_staff
from server.app import build_components, create_app
from storage.models import Answer, Flag
from tests.conftest import TEST_KEY
from tests.live import serve
from tests.review.conftest import Staff, seed
from tests.web.browser import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Staff]]:
    tmp = tmp_path_factory.mktemp("walk")
    settings = load_settings(
        speakup_env="test", speakup_secret_key=TEST_KEY, database_url=f"sqlite:///{tmp}/w.db"
    )
    parts = build_components(settings)
    parts.db.migrate()
    seed(parts)
    with parts.db.session() as s:
        first = s.scalars(select(Answer).where(Answer.question_id == "big_question")).first()
        assert first is not None
        s.add(  # a tester's finding: one very long word widened the per-question page
            Answer(
                conversation_id=first.conversation_id,
                question_id="big_question",
                text="https://example.org/" + "averyveryverylongpath" * 15,
                entity_types=[],
                created_at=datetime.now(UTC),
            )
        )
        s.add(
            Flag(
                level="urgent",
                kinds=["threat_to_others", "violence"],
                who="self",
                reasons=["threat_by_writer"],
                text="he will hurt my little sister",
                created_at=datetime.now(UTC),
            )
        )
        account = add_staff(
            s,
            SecretBox(settings.session_secret()),
            "walker@review.example.org",
            "admin",
            datetime.now(UTC),
        )
    with serve(create_app(settings, parts)) as url:
        yield url, Staff(account.email, account.password, account.totp_secret)


def clean(page) -> None:  # type: ignore[no-untyped-def]
    """axe finds nothing, and the page fits a phone's width (no sideways scrolling)."""
    assert axe_violations(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def summary_links(page) -> list[str]:  # type: ignore[no-untyped-def]
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert summary.locator("[role=alert]").count() == 1  # announced
    return [a.get_attribute("href") for a in summary.locator("a").all()]


def test_the_staff_walk_on_a_phone(browser, site: tuple[str, Staff], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, me = site
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()

    # Sign-in errors: linked, announced, the email kept.
    page.goto(url + "/review/login")
    page.get_by_label("Email address").fill(me.email)
    page.get_by_role("button", name="Sign in").click()
    assert summary_links(page) == ["#password", "#code"]
    assert page.title().startswith("Error: ")
    assert page.get_by_label("Email address").input_value() == me.email
    clean(page)
    page.get_by_role("link", name="Enter your password").click()
    assert page.evaluate("document.activeElement.id") == "password"
    page.get_by_label("Password").fill(me.password)
    page.get_by_label("Code from your authenticator app").fill(me.code())
    page.get_by_role("button", name="Sign in").click()

    # Dashboard: headline numbers, breakdowns with small numbers suppressed, readable on a phone.
    page.get_by_role("heading", name="Dashboard").wait_for()
    assert page.locator("#headline-total").inner_text() == "3"
    assert page.get_by_text("fewer than 10").first.is_visible()
    label = page.locator("svg.app-chart text").first.bounding_box()
    assert label is not None and label["height"] >= 11  # chart text stays readable at 390 px
    clean(page)

    # Transcripts: an impossible date is an error, not ignored.
    page.goto(url + "/review/transcripts?start=31/02/2026")
    assert summary_links(page) == ["#start"]
    assert page.get_by_label("From date").input_value() == "31/02/2026"
    clean(page)
    page.goto(url + "/review/transcripts?q=lonely")
    assert page.locator("td", has_text="Text message (SMS)").first.is_visible()
    page.locator("a[href^='/review/transcripts/']").first.click()
    page.get_by_role("heading", name="Transcript", exact=True).wait_for()
    assert page.get_by_role("heading", name="The big question").is_visible()
    clean(page)

    # Reporting personal data: a reason is needed, then a confirmation says what happens.
    page.get_by_role("button", name="Report personal data left in this answer").first.click()
    assert summary_links(page)[0].startswith("#reason-")
    clean(page)
    page.get_by_label("Why should this answer be hidden?").first.select_option("name")
    page.get_by_role("button", name="Report personal data left in this answer").first.click()
    page.get_by_role("heading", name="Hide this answer?").wait_for()
    clean(page)
    page.get_by_role("button", name="Yes, hide this answer").click()
    page.locator(".govuk-notification-banner--success").wait_for()
    clean(page)
    if page.get_by_role("button", name="Show this answer again").count():
        page.get_by_role("button", name="Show this answer again").first.click()
        page.get_by_text("Answer shown again").wait_for()

    # Stepping back: confirm, a plain message with an undo, and the undo works.
    page.get_by_role("button", name="Step back from this transcript").click()
    page.get_by_role("heading", name="Step back from this transcript?").wait_for()
    clean(page)
    transcript_url = page.url.rsplit("/step-back", 1)[0]
    page.get_by_role("button", name="Yes, step back").click()
    page.get_by_text("You stepped back from a transcript").wait_for()
    clean(page)
    page.goto(transcript_url)
    page.get_by_role("heading", name="You stepped back from this transcript").wait_for()
    clean(page)
    page.get_by_role("button", name="Undo: show it to me again").click()
    page.get_by_text("You can see this transcript again").wait_for()

    # The queue: a short redacted preview, levels and who is at risk in words.
    page.goto(url + "/review/safeguarding")
    row = page.locator("tr", has_text="he will hurt my little sister")
    assert "Someone other than the writer" in row.inner_text()
    assert "threat_to_others" not in page.content() and "Open item" not in page.inner_text("main")
    clean(page)
    row.get_by_role("link").click()
    page.get_by_role("button", name="Mark as reviewed").click()
    assert summary_links(page) == ["#decision"]
    clean(page)
    page.get_by_role("button", name="Save the true level").click()
    assert summary_links(page) == ["#true-urgent"]
    clean(page)

    # The per-question view, with search.
    page.goto(url + "/review/questions")
    clean(page)
    page.get_by_role("link", name="The big question").click()
    page.get_by_text("averyveryverylongpath", exact=False).first.wait_for()
    clean(page)  # the long word wraps: the page does not scroll sideways
    page.get_by_label("Search these answers").fill("lonely")
    page.get_by_role("button", name="Filter").click()
    page.get_by_text("1 answer.").wait_for()
    clean(page)

    # The export: errors in a summary; the file has a BOM and risk columns.
    page.goto(url + "/review/export")
    page.get_by_label("Answers from (optional)").fill("soon")
    page.get_by_role("button", name="Download export").click()
    assert summary_links(page) == ["#start"]
    clean(page)
    page.get_by_label("Answers from (optional)").fill("")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download export").click()
    path = tmp_path / "export.csv"
    info.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfexport_id") and b"risk_level,answer_flag" in raw

    # Staff management: add (errors first), change a role with a confirmation, disable.
    page.goto(url + "/review/users")
    clean(page)
    page.get_by_label("Their work email address").fill("not an email")
    page.get_by_role("button", name="Add this person").click()
    assert summary_links(page) == ["#email", "#role"]
    clean(page)
    page.get_by_label("Their work email address").fill("newcomer@review.example.org")
    page.get_by_label("Reviewer: reads").check()
    page.get_by_role("button", name="Add this person").click()
    page.get_by_role("heading", name="Give these to newcomer@review.example.org").wait_for()
    clean(page)
    page.goto(url + "/review/users")
    page.get_by_role("link", name="newcomer@review.example.org").click()
    clean(page)
    page.get_by_label("Safeguarding lead").check()
    page.get_by_role("button", name="Change role").click()
    page.get_by_role("heading", name="Change this role?").wait_for()
    clean(page)
    page.get_by_role("button", name="Yes, change the role").click()
    page.get_by_text("Role changed").wait_for()
    clean(page)
    page.get_by_role("button", name="Disable this account").click()
    page.get_by_role("button", name="Yes, disable it").click()
    page.get_by_text("Account disabled").wait_for()
    page.get_by_role("button", name="Reset two-factor").click()
    page.get_by_role("heading", name="Reset two-factor?").wait_for()
    clean(page)
    page.goto(url + "/review/audit")
    for action in ("staff_added", "staff_role_changed", "staff_disabled", "stepped_back"):
        assert page.get_by_text(action).count() >= 1, action
    clean(page)
    context.close()
