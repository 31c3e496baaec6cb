"""A reviewer's day in Debian's Chromium: sign in with TOTP, filter, read, report, work the queue,
download an export; axe-core finds no violations on any page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest

from config.settings import load_settings
from review.auth import SecretBox
from review.staff import add_staff
from server.app import build_components, create_app
from tests.conftest import TEST_KEY
from tests.live import serve
from tests.review.conftest import seed
from tests.web.browser import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str, str]]:
    tmp = tmp_path_factory.mktemp("staff")
    settings = load_settings(
        speakup_env="test", speakup_secret_key=TEST_KEY, database_url=f"sqlite:///{tmp}/s.db"
    )
    parts = build_components(settings)
    parts.db.migrate()
    seed(parts)
    with parts.db.session() as s:
        account = add_staff(
            s,
            SecretBox(settings.session_secret()),
            "lead@review.example.org",
            "admin",
            datetime.now(UTC),
        )
    with serve(create_app(settings, parts)) as url:
        yield url, account.email, account.password, account.totp_secret


def test_a_reviewers_day(browser, site: tuple[str, str, str, str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, email, password, secret = site
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(url + "/review")
    assert axe_violations(page) == []
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Dashboard").wait_for()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Transcripts").first.click()
    page.get_by_label("Search answers").fill("kinship")
    page.get_by_role("button", name="Filter").click()
    page.get_by_text("1 conversation.").wait_for()
    assert axe_violations(page) == []
    page.locator("a[href^='/review/transcripts/']").first.click()
    page.get_by_role("heading", name="Transcript").wait_for()
    assert "<script>alert(1)</script>" in page.locator(".app-answer").first.inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Why should this answer be hidden?").first.select_option("name")
    page.get_by_role("button", name="Report personal data left in this answer").first.click()
    page.get_by_role("heading", name="Hide this answer?").wait_for()  # asks first
    page.get_by_role("button", name="Yes, hide this answer").click()
    page.get_by_role("heading", name="Transcript", exact=True).wait_for()

    page.get_by_role("link", name="Safeguarding queue").click()
    page.get_by_role("heading", name="Safeguarding queue").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Open item").first.click()
    page.get_by_text("Show the message (redacted)").click()
    assert axe_violations(page) == []
    page.get_by_label("Decision and reason").fill(
        "Nobody identifiable. No referral under the policy."
    )
    page.get_by_role("button", name="Mark as reviewed").click()
    page.get_by_role("heading", name="Safeguarding queue").wait_for()

    page.get_by_role("link", name="Export").click()
    assert axe_violations(page) == []
    with page.expect_download() as info:
        page.get_by_role("button", name="Download export").click()
    path = tmp_path / "export.csv"
    info.value.save_as(path)
    assert path.read_text(encoding="utf-8-sig").startswith("export_id,exported_by")

    page.get_by_role("link", name="Audit log").click()
    page.get_by_text("is intact").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Users").click()
    assert axe_violations(page) == []
    context.close()
