"""A coder's session in Debian's Chromium: define themes, code ten answers with the keyboard,
see the background refresh suggest themes, read the findings (chart and table), download the
codings; axe-core finds no violations on any theme page."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import func, select

from config.settings import load_settings
from review.auth import SecretBox
from review.staff import add_staff
from server.app import build_components, create_app
from storage import Database
from storage.models import Answer, Conversation, ThemeSuggestion
from tests.conftest import TEST_KEY
from tests.live import serve
from tests.web.browser import axe_violations

pytestmark = pytest.mark.browser

ANSWERS = {
    "housing": [
        "the council put me in a hostel at 18",
        "I was homeless after leaving my placement",
        "no flat, sofa surfing for months",
        "the deposit for a tenancy was impossible",
        "the B&B was dangerous and dirty",
    ],
    "money": [
        "my allowance does not cover food",
        "the leaving care grant ran out fast",
        "pocket money was stopped as a punishment",
        "we were in debt and nobody helped with benefits",
        "bus fares to see my brother cost too much",
    ],
    "school": [
        "I moved school four times in a year",
        "excluded from school with no tutor",
        "college said I could not get a bursary",
        "my teacher never knew I was in care",
    ],
}
YAML = """themes:
  - id: money
    name: Money and allowances
    description: "Allowances, grants, pocket money, benefits, debt and poverty."
  - id: school
    name: Education and school
    description: "School, college, exclusions, tutoring and bursaries."
"""


def add_answers(db: Database) -> None:
    now = datetime.now(UTC)
    with db.session() as s:
        for n, (_, texts) in enumerate(sorted(ANSWERS.items())):
            for i, text in enumerate(texts):
                cid = str(uuid.uuid4())
                s.add(
                    Conversation(
                        id=cid,
                        dialogue_id="consultation",
                        channel=("sms", "web")[i % 2],
                        consented=True,
                        groups=["care_leaver"],
                        age_band="18-25",
                        state={},
                        started_at=now,
                        updated_at=now,
                    )
                )
                s.flush()
                s.add(
                    Answer(
                        conversation_id=cid, question_id="not_working", text=text, created_at=now
                    )
                )
            assert n < 3


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str, str, Database]]:
    tmp = tmp_path_factory.mktemp("themes")
    settings = load_settings(
        speakup_env="test", speakup_secret_key=TEST_KEY, database_url=f"sqlite:///{tmp}/t.db"
    )
    parts = build_components(settings)
    parts.db.migrate()
    add_answers(parts.db)
    with parts.db.session() as s:
        account = add_staff(
            s,
            SecretBox(settings.session_secret()),
            "coder@review.example.org",
            "admin",
            datetime.now(UTC),
        )
    with serve(create_app(settings, parts)) as url:
        yield url, account.email, account.password, account.totp_secret, parts.db


def theme_of(text: str) -> str:
    return next(theme for theme, texts in ANSWERS.items() if text in texts)


def test_coding_with_the_keyboard(browser, site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, email, password, secret, db = site
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(url + "/review/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Dashboard").wait_for()

    # Define the codebook: two themes imported, one added by hand.
    page.get_by_role("link", name="Themes").click()
    page.get_by_role("heading", name="Themes", exact=True).wait_for()
    assert axe_violations(page) == []
    page.get_by_label(
        "Codebook YAML (themes it names replace those with the same id; others are retired)"
    ).fill(YAML)
    page.get_by_role("button", name="Import").click()
    page.locator(".govuk-details__summary-text", has_text="Education and school").wait_for()
    page.get_by_label("Id (lower case letters, digits and _)").fill("housing")
    page.get_by_label("Name", exact=True).last.fill("Housing")
    page.get_by_label("Description", exact=True).fill("Homes, hostels, tenancies, homelessness.")
    page.get_by_role("button", name="Add theme").click()
    page.locator(".govuk-details__summary-text", has_text="Housing").wait_for()
    assert "retired" not in page.locator(".govuk-details__summary-text").last.inner_text()
    assert axe_violations(page) == []

    # Code ten answers with the keyboard only: number keys toggle, Enter confirms.
    page.goto(url + "/review/themes/code")
    assert axe_violations(page) == []
    order = ["money", "school", "housing"]  # codebook order after the import: keys 1, 2, 3
    for _ in range(10):
        text = page.locator("#answer-text").inner_text()
        want = theme_of(text)
        for n, theme in enumerate(order, 1):
            if page.locator(f"#theme-key-{n}").is_checked() != (theme == want):
                page.keyboard.press(str(n))
        assert page.locator(f"#theme-key-{order.index(want) + 1}").is_checked()
        with page.expect_navigation():
            page.keyboard.press("Enter")

    # The background refresh has learned from the ten: every answer has suggestions.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with db.session() as s:
            versions = s.scalar(select(func.count(func.distinct(ThemeSuggestion.model_version))))
            scored = s.scalar(select(func.count(func.distinct(ThemeSuggestion.answer_id))))
        if scored == 14 and versions == 1:
            break
        time.sleep(0.5)
    with db.session() as s:
        chosen = s.execute(
            select(ThemeSuggestion.answer_id, ThemeSuggestion.theme_id, Answer.text)
            .join(Answer, Answer.id == ThemeSuggestion.answer_id)
            .where(ThemeSuggestion.chosen.is_(True))
        ).all()
    right = [aid for aid, theme, text in chosen if theme == theme_of(text)]
    assert len(right) >= 10, chosen  # most answers get their own theme suggested
    page.goto(f"{url}/review/themes/code?answer={right[-1]}")
    assert page.locator(".govuk-tag", has_text="suggested").count() >= 1
    with page.expect_navigation():
        page.keyboard.press("p")  # previous: the last answer coded
    page.get_by_text("Coded already").wait_for()

    page.get_by_role("link", name="Findings").first.click()
    page.get_by_role("heading", name="Theme findings").wait_for()
    assert page.locator("figure svg").count() == 1
    assert page.get_by_role("table").first.is_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Housing").click()
    page.get_by_role("heading", name="Answers about Housing").wait_for()
    assert axe_violations(page) == []

    page.goto(url + "/review/themes")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the codings (CSV)").click()
    saved = tmp_path / "codings.csv"
    info.value.save_as(saved)
    lines = saved.read_text().splitlines()
    assert lines[0] == "answer_id,theme_id,confirmed_by,confirmed_at,suggested"
    assert len(lines) == 11 and all(email in line for line in lines[1:])
