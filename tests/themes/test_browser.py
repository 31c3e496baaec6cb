"""A coder's session in Debian's Chromium: define themes, code ten answers with the keyboard,
see the background refresh suggest themes, read the findings (chart and table), download the
codings; axe-core finds no violations on any theme page."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyotp
import pytest
from sqlalchemy import func, select

from config.settings import load_settings
from review.auth import SecretBox
from review.staff import add_staff
from server.app import build_components, create_app
from storage import Database
from storage.models import Answer, ThemeCoding, ThemeDismissed, ThemeSuggestion
from tests.conftest import TEST_KEY
from tests.live import serve
from tests.themes.conftest import add_answers
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
Site = tuple[str, str, str, str, Database]
YAML = """themes:
  - id: money
    name: Money and allowances
    description: "Allowances, grants, pocket money, benefits, debt and poverty."
  - id: school
    name: Education and school
    description: "School, college, exclusions, tutoring and bursaries."
"""


def sign_in(page: Any, url: str, email: str, password: str, secret: str) -> None:
    page.goto(url + "/review/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Dashboard").wait_for()


@contextmanager
def running(tmp: Path, answers: dict[str, list[str]]) -> Iterator[Site]:
    """The app on a loopback port with ``answers`` stored and one admin account."""
    settings = load_settings(
        speakup_env="test", speakup_secret_key=TEST_KEY, database_url=f"sqlite:///{tmp}/t.db"
    )
    parts = build_components(settings)
    parts.db.migrate()
    add_answers(parts.db, answers)
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


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running(tmp_path_factory.mktemp("themes"), ANSWERS) as found:
        yield found


def theme_of(text: str) -> str:
    return next(theme for theme, texts in ANSWERS.items() if text in texts)


def test_coding_with_the_keyboard(browser, site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, email, password, secret, db = site
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, url, email, password, secret)

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


DENTIST = [
    "I waited two years for a dentist",
    "no dentist would take me on in the new town",
    "my teeth hurt and the dentist list was closed",
    "the dentist appointment got cancelled when I moved",
]


def test_discovering_themes(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Before any coding, answers no theme fits come back as groups: staff add one to the
    codebook with its answers as examples, and dismiss another."""
    from review.themes_staff.store import save_codebook
    from themes.codebook import load_yaml

    answers = {"housing": ANSWERS["housing"], "dentist": DENTIST}
    with running(tmp_path, answers) as (url, email, password, secret, db):
        with db.session() as s:
            book = load_yaml(YAML)  # money and school: neither fits these answers
            save_codebook(s, book, actor="test", action="import", detail="", now=datetime.now(UTC))
        page = browser.new_context().new_page()
        sign_in(page, url, email, password, secret)
        page.get_by_role("link", name="Themes").click()
        page.get_by_role("button", name="Refresh suggestions now").click()
        page.get_by_text("Suggestions are being refreshed in the background.").wait_for()

        page.get_by_role("link", name="Discover new themes").click()
        page.get_by_role("heading", name="Discover new themes").wait_for()
        dentist = page.locator("section", has=page.get_by_role("heading", name=re.compile("dent")))
        housing = page.locator("section", has_text="hostel")
        deadline = time.monotonic() + 120
        while dentist.count() == 0 or housing.count() == 0:  # grouped after the refresh
            assert time.monotonic() < deadline, page.locator("main").inner_text()
            time.sleep(1)
            page.reload()
        assert axe_violations(page) == []
        assert dentist.locator("li").count() == len(DENTIST)

        dentist.locator("summary", has_text="as a new theme").click()
        dentist.get_by_label("Name").fill("Dentists")
        dentist.get_by_label("Record the 4 answers shown as confirmed examples of it").check()
        dentist.get_by_role("button", name="Add as a new theme").click()
        page.get_by_text("The new theme is in the codebook.").wait_for()
        assert dentist.count() == 0 and housing.count() == 1
        assert axe_violations(page) == []
        housing.get_by_role("button", name=re.compile("Dismiss group")).click()
        page.get_by_text("The group was dismissed").wait_for()
        assert housing.count() == 0
        with db.session() as s:
            coded = s.scalars(select(Answer.text).join(ThemeCoding)).all()
            dismissed = s.scalars(select(Answer.text).join(ThemeDismissed)).all()
        assert sorted(coded) == sorted(DENTIST)
        assert len(dismissed) >= 3 and set(dismissed) <= set(ANSWERS["housing"])
        page.get_by_role("link", name="Codebook").first.click()
        page.locator(".govuk-details__summary-text", has_text="Dentists").wait_for()
