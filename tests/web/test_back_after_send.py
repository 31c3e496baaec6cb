"""Issue 18: Back after every kind of Send, at phone size, with JavaScript on and off.

Every form post is answered with a redirect (post/redirect/get), a too-long answer too: so Back
never meets the browser's "Confirm form resubmission" page (ERR_CACHE_MISS). After "Exit this
page", Back reopens nothing of the chat (a shared phone).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.web.browser import PHONE, Walker, axe_violations

pytestmark = pytest.mark.browser
MODES = pytest.mark.parametrize("javascript", [True, False], ids=["with JS", "without JS"])
DISCLOSURE = "my stepdad hits me when mum is at work"
LONG = ("We need carers who stay and listen to us. " * 130)[:5000]


def _walker(browser, javascript: bool) -> tuple[object, Walker]:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=javascript, viewport=PHONE)
    context.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(body="Weather"))
    return context, Walker(context.new_page(), javascript)


def _back(page) -> None:  # type: ignore[no-untyped-def]
    """Press Back: never an error page, never a form posted again."""
    try:
        response = page.go_back()
    except PlaywrightError as exc:  # Chromium's resubmission page comes as net::ERR_CACHE_MISS
        pytest.fail(f"Back showed an error page: {exc}")
    page.wait_for_load_state()
    assert response is None or response.request.method == "GET", "Back posted a form again"
    html = page.content()
    assert "ERR_CACHE_MISS" not in html and "Confirm Form Resubmission" not in html


def _back_to_before_the_chat(page, base_url: str, check) -> int:  # type: ignore[no-untyped-def]
    """Back until the page before the chat (the privacy notice), checking each page; the count."""
    pages = 0
    while True:
        _back(page)
        if page.url == base_url + "/privacy" or not page.url.startswith(base_url):
            return pages
        pages += 1
        assert pages < 12, "Back never left the chat"
        check()


@MODES
def test_back_after_every_kind_of_send(browser, base_url: str, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    context, walk = _walker(browser, javascript)
    page = walk.page
    page.goto(base_url + "/privacy")  # where the person was before the chat
    walk.start(base_url)
    walk.send("Children need people who stay.")  # a normal answer
    page.get_by_text("What works well now").last.wait_for()
    page.get_by_label("Your answer").fill(LONG)  # a too-long answer: kept, not saved
    walk.press("Send")
    page.get_by_text("There is a problem").wait_for()
    assert page.get_by_label("Your answer").input_value() == LONG
    if not javascript:  # its own page now, reopened by GET: Reload and Back are safe
        assert "view=" in page.url
        page.reload()
        assert page.get_by_label("Your answer").input_value() == LONG
    walk.send(LONG[:1500])
    page.get_by_text("What does not work well").last.wait_for()
    walk.send(DISCLOSURE)  # a disclosure
    page.locator(".app-chat-log__handoff").last.wait_for()
    walk.choose("Carry on")
    page.get_by_role("link", name="Privacy notice").click()  # the notice, and back to the chat
    page.get_by_role("heading", name="Privacy notice: Speak Up").wait_for()
    _back(page)
    page.locator("#send").wait_for()  # the chat, where it was

    def a_chat_page() -> None:
        assert "Have your say" in page.title()
        assert page.locator("#chat-form").count() == 1

    a_chat_page()
    pages = _back_to_before_the_chat(page, base_url, a_chat_page)
    print(f"\nBack went through {pages} chat pages ({'with' if javascript else 'without'} JS)")
    if javascript:
        assert pages == 0  # one page for the whole chat: each turn replaced it
    else:  # each Send was a page reopened by GET; the too-long one keeps what was typed
        assert pages >= 6
    context.close()  # type: ignore[attr-defined]


@MODES
def test_back_to_a_too_long_answer_still_shows_it(browser, base_url: str, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    context, walk = _walker(browser, javascript)
    page = walk.page
    walk.start(base_url)
    page.get_by_label("Your answer").fill(LONG)
    walk.press("Send")
    page.get_by_text("There is a problem").wait_for()
    if javascript:  # (axe cannot run where JavaScript is off: the app.js-blocked walk checks it)
        assert axe_violations(page) == []
    walk.send("Children need people who stay.")
    page.get_by_text("What works well now").last.wait_for()
    if not javascript:
        _back(page)
        assert page.get_by_label("Your answer").input_value() == LONG
        assert page.title().startswith("Error:")
    context.close()  # type: ignore[attr-defined]


@MODES
@pytest.mark.parametrize("where", ["chat", "notice"])
def test_back_after_exit_reopens_nothing_of_the_chat(  # type: ignore[no-untyped-def]
    browser, base_url: str, javascript: bool, where: str
) -> None:
    context, walk = _walker(browser, javascript)
    page = walk.page
    page.goto(base_url + "/privacy")
    walk.start(base_url)
    walk.send("Children need people who stay.")
    page.get_by_text("What works well now").last.wait_for()
    walk.send(DISCLOSURE)
    page.locator(".app-chat-log__handoff").last.wait_for()
    if where == "notice":  # Exit pressed on the notice opened mid-chat
        page.get_by_role("link", name="Privacy notice").click()
        page.get_by_role("heading", name="Privacy notice: Speak Up").wait_for()
    page.locator(".govuk-exit-this-page__button").click()
    page.get_by_text("Weather").wait_for()
    assert page.url.startswith("https://www.bbc.co.uk/")

    def nothing_of_the_chat() -> None:
        html = page.content()
        assert DISCLOSURE not in html and "It's not your fault" not in html
        assert "What works well now" not in html
        assert page.locator(".app-chat-log__handoff").count() == 0
        assert page.locator("#chat-log > li").count() == 0
        assert "Help is available" not in page.title()
        if javascript:  # the notice with its view, the closed chat's page
            assert axe_violations(page) == [], page.url

    pages = _back_to_before_the_chat(page, base_url, nothing_of_the_chat)
    print(f"\nafter Exit, Back went through {pages} pages, none showing the chat")
    context.close()  # type: ignore[attr-defined]
