"""A whole consultation in Debian's Chromium, driven by Playwright, with axe-core on every page.

Phone size (390x844), JavaScript on and off. The walks behind issue 18 (crisis reply on screen,
long answers kept, links and Back, checkboxes) are in tests/server/test_webchat_walk.py; they use
the fixtures and helpers here.
"""

from __future__ import annotations

import pytest

from tests.web.browser import PHONE, SMS_WORDING, Walker, axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("javascript", "scripted"),
    [(True, True), (False, False), (False, True)],
    ids=["with JS", "without JS", "pages without JS, checked by axe"],
)
def test_whole_consultation_in_chromium(  # type: ignore[no-untyped-def]
    browser, base_url: str, javascript: bool, scripted: bool
) -> None:
    # The third run blocks app.js but lets axe run: the pages people without JavaScript get.
    context = browser.new_context(java_script_enabled=scripted, viewport=PHONE)
    if scripted and not javascript:
        context.route("**/static/app.js*", lambda route: route.abort())
    page = context.new_page()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    walk = Walker(page, javascript)
    page.goto(base_url + "/")
    if scripted:
        assert axe_violations(page) == []
    walk.press("Start")
    page.get_by_text("Is it OK to start?").first.wait_for()
    if scripted:
        assert axe_violations(page) == []
    walk.choose("Yes, start")
    page.get_by_text("Your code is").last.wait_for()
    token = page.locator("input[name=conversation]").get_attribute("value")
    answers = [
        "Children need people who stay.",
        "My foster carers.",
        "Moving all the time.",
        "Fewer moves.",
        "Homes near family.",
    ]
    expected_next = [
        "What works well now",
        "What does not work well",
        "change now",
        "next few years",
        "Do any of these fit you?",
    ]
    seen = []
    for answer, following in zip(answers, expected_next, strict=True):
        walk.send(answer)
        page.get_by_text(following).last.wait_for()
        seen.append(page.inner_text("main"))
    # Multi-choice: checkboxes, each choice shown once, no "like 1 3" text-message wording.
    assert page.locator("input[type=checkbox][name=choice]").count() == 9
    assert page.get_by_text("I am in care now").count() == 1
    if javascript:  # "None of these" and "Prefer not to say" untick the others, GOV.UK style
        page.get_by_label("I am in care now", exact=True).check()
        page.get_by_label("None of these", exact=True).check()
        assert not page.get_by_label("I am in care now", exact=True).is_checked()
        page.get_by_label("None of these", exact=True).uncheck()
    if scripted:
        assert axe_violations(page) == []
    walk.choose("Prefer not to say")
    page.get_by_text("How old are you?").last.wait_for()
    assert page.locator("input[type=radio][name=choice]").count() == 8  # single choice: radios
    if scripted:
        assert axe_violations(page) == []
    walk.choose("18 to 24")
    page.get_by_text("Your answers are saved").last.wait_for()
    # The withdrawal code is repeated at the end with how to use it here.
    code_panel = page.locator("#your-code").inner_text()
    assert "DELETE" in code_panel and "press Start" in code_panel
    if scripted:
        assert axe_violations(page) == []
    seen.append(page.inner_text("main"))
    for text in seen:
        for wording in SMS_WORDING:
            assert wording not in text
    assert token is not None and token not in page.url  # the conversation is never in the URL
    assert context.cookies() == []
    if scripted:
        stored = page.evaluate("[localStorage.length, sessionStorage.length]")
        assert stored == [0, 0]
    assert csp_errors == []
    context.close()


@pytest.mark.parametrize(
    "path", ["/privacy", "/accessibility", "/no-such-page", "/?kiosk=library-1", "/?view=gone.x"]
)
def test_every_public_page_has_no_accessibility_violations(
    browser, base_url: str, path: str
) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport=PHONE)
    page.goto(base_url + path)
    assert axe_violations(page) == []
    assert page.title().endswith("Speak Up")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Every page names who runs the service and the data controller, with a contact.
    footer = page.inner_text("footer")
    assert "run by" in footer and "data controller" in footer and "@" in footer
    assert page.locator('footer a[href="tel:116123"]').count() == 1
    assert page.locator('footer a[href^="sms:85258"]').count() == 1
    assert page.locator(".govuk-phase-banner a[href^='mailto:']").count() == 1
    page.close()


def test_privacy_notice_names_the_controller(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(base_url + "/privacy")
    text = page.inner_text("main")
    assert "not anonymous" in text and "data controller is" in text and "privacy@" in text
    page.close()


def test_kiosk_resets_after_finish_and_after_inactivity(browser, kiosk_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport=PHONE)
    walk = Walker(page, javascript=True)
    page.goto(kiosk_url + "/?kiosk=library-1")
    entries = page.evaluate("history.length")
    # "Exit this page" on a lent tablet stays inside the kiosk.
    exit_href = page.locator(".govuk-exit-this-page__button").get_attribute("href")
    assert exit_href == "/?kiosk=library-1"
    walk.press("Start")
    page.get_by_text("This tablet is shared. When you finish").wait_for()
    assert "This phone may be shared" not in page.content()
    walk.choose("Yes, start")
    page.get_by_text("big question").last.wait_for()
    walk.send("Something personal")
    page.get_by_text("What works well now").last.wait_for()
    page.get_by_text("Finish", exact=True).click()
    page.get_by_role("button", name="Yes, finish and save").click()
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=10_000)  # fresh welcome
    assert "Something personal" not in page.content()
    assert page.evaluate("history.length") == entries  # nothing for the next person to go back to
    # Inactivity: a warning first (WCAG 2.2.1), and asking for more time keeps the chat.
    walk.press("Start")
    warning = page.get_by_role("alertdialog")
    warning.wait_for(timeout=15_000)
    assert page.evaluate("document.activeElement.id") == "kiosk-extend"
    page.get_by_role("button", name="I need more time").click()
    assert warning.is_hidden()
    page.wait_for_timeout(6_000)  # past the first reset time
    assert page.get_by_text("Is it OK to start?").count() >= 1
    # Ignored, it resets.
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=25_000)
    assert "Is it OK to start?" not in page.content()
    # "Exit this page" mid-chat: a fresh welcome inside the kiosk, and no way Back to the chat.
    walk.press("Start")
    page.locator(".govuk-exit-this-page__button").click()
    page.get_by_role("button", name="Start", exact=True).wait_for()
    assert page.url == kiosk_url + "/?kiosk=library-1"
    assert page.evaluate("history.length") == entries
    page.close()
