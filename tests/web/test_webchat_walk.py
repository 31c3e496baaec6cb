"""Issue 18's walks at phone size (390x844), JavaScript on and off: what a person sees and keeps."""

from __future__ import annotations

import gzip
import re

import httpx
import pytest

from tests.web.browser import PHONE, Walker, axe_violations

pytestmark = pytest.mark.browser
MODES = pytest.mark.parametrize("javascript", [True, False], ids=["with JS", "without JS"])


def _walker(browser, javascript: bool) -> tuple[object, Walker]:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=javascript, viewport=PHONE)
    return context, Walker(context.new_page(), javascript)


@MODES
def test_crisis_reply_is_on_screen_and_announced(browser, base_url: str, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    context, walk = _walker(browser, javascript)
    page = walk.page
    walk.start(base_url)
    walk.send("I want to kill myself tonight")
    handoff = page.locator(".app-chat-log__handoff").last
    handoff.wait_for()
    box = handoff.bounding_box()
    assert box is not None
    exit_button = page.locator(".govuk-exit-this-page__button").bounding_box()
    assert exit_button is not None
    top_clear = max(0.0, exit_button["y"] + exit_button["height"]) if javascript else 0.0
    print(f"\ncrisis reply at y={box['y']:.0f} to {box['y'] + box['height']:.0f} of 844 px")
    # Wholly inside the viewport, below the sticky Exit button.
    assert box["y"] >= top_clear - 1, (box, exit_button)
    assert box["y"] + box["height"] <= PHONE["height"], box
    if javascript:  # focus moves to it, so a screen reader reads it first
        assert page.evaluate("document.activeElement.classList.contains('app-chat-log__handoff')")
    else:  # the page opens at it (#reply), and its title says so
        assert page.url.endswith("#reply") and handoff.get_attribute("id") == "reply"
    assert page.title().startswith("Help is available")
    # Helpline numbers are links everywhere on the web.
    assert handoff.locator('a[href="tel:08001111"]').count() == 1
    assert handoff.locator('a[href="tel:116123"]').count() == 1
    if javascript:
        assert axe_violations(page) == []
    context.close()  # type: ignore[attr-defined]


@MODES
def test_a_5000_character_answer_is_kept_with_a_count(
    browser, base_url: str, javascript: bool
) -> None:  # type: ignore[no-untyped-def]
    context, walk = _walker(browser, javascript)
    page = walk.page
    walk.start(base_url)
    long = ("We need carers who stay and listen. " * 140)[:5000]
    page.get_by_label("Your answer").fill(long)
    if javascript:  # a live count, in characters
        assert "characters too many" in page.locator(".govuk-character-count__status").inner_text()
    walk.press("Send")
    page.get_by_text("There is a problem").wait_for()
    assert page.get_by_label("Your answer").input_value() == long  # nothing typed is lost
    text = page.inner_text("main")
    assert "5,000 characters" in text and "letters" not in text
    assert page.title().startswith("Error:")
    if javascript:
        assert axe_violations(page) == []
    # Shortened, it is saved and the chat moves on.
    page.get_by_label("Your answer").fill(long[:1500])
    walk.press("Send")
    page.get_by_text("What works well now").last.wait_for()
    context.close()  # type: ignore[attr-defined]


@MODES
def test_privacy_notice_mid_chat_and_back_keeps_the_conversation(
    browser, base_url: str, javascript: bool
) -> None:  # type: ignore[no-untyped-def]
    context, walk = _walker(browser, javascript)
    page = walk.page
    walk.start(base_url)
    walk.send("Children need people who stay.")
    page.get_by_text("What works well now").last.wait_for()
    token = page.locator("input[name=conversation]").get_attribute("value")
    page.get_by_role("link", name="Privacy notice").click()
    page.get_by_role("heading", name="Privacy notice: Speak Up").wait_for()
    page.go_back()
    page.get_by_text("What works well now").last.wait_for()
    assert page.locator("input[name=conversation]").get_attribute("value") == token
    walk.send("My foster carers.")  # and it carries on where it was
    page.get_by_text("What does not work well").last.wait_for()
    context.close()  # type: ignore[attr-defined]


@MODES
def test_back_after_send_never_shows_a_resubmission_page(
    browser, base_url: str, javascript: bool
) -> None:  # type: ignore[no-untyped-def]
    context, walk = _walker(browser, javascript)
    page = walk.page
    walk.start(base_url)
    walk.send("Children need people who stay.")
    walk.send("My foster carers.")
    page.get_by_text("What does not work well").last.wait_for()
    for _ in range(2):  # without JavaScript each Send is a page; with it, one page in all
        response = page.go_back()
        page.wait_for_load_state()
        if not page.url.startswith(base_url):
            break  # back before the chat: left it, with no form to resubmit
        assert response is None or response.request.method == "GET"
        assert "Have your say" in page.content()
        assert "ERR_CACHE_MISS" not in page.content()
    context.close()  # type: ignore[attr-defined]


@MODES
def test_finish_and_delete_ask_first(browser, base_url: str, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    context, walk = _walker(browser, javascript)
    page = walk.page
    walk.start(base_url)
    walk.send("Children need people who stay.")
    # Typed DELETE asks to confirm and says what happens; nothing is deleted yet.
    walk.page.get_by_label("Your answer").fill("delete")
    page.get_by_role("button", name="Send", exact=True).click()
    confirm = page.get_by_role("button", name="Yes, delete my answers")
    confirm.wait_for()
    assert "cannot be undone" in page.locator("#delete").inner_text()
    walk.press("Yes, delete my answers")
    page.get_by_text("Your answers from this chat are deleted").last.wait_for()
    context.close()  # type: ignore[attr-defined]


def test_what_does_stigma_mean_gets_an_answer(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    context, walk = _walker(browser, True)
    page = walk.page
    walk.start(base_url)
    walk.send("what does ensure mean?")
    page.get_by_text("Ensure means make sure").last.wait_for()
    walk.send("Children need people who stay.")  # the question is still open: this answers it
    page.get_by_text("What works well now").last.wait_for()
    context.close()  # type: ignore[attr-defined]


PAGE_BUDGET_BYTES = 50_000  # the chat page, its CSS and scripts as sent (gzip); 34.5 KB in Nov 2026


def test_page_weight_budget_and_asset_caching(base_url: str) -> None:
    with httpx.Client(base_url=base_url, headers={"accept-encoding": "gzip"}) as client:
        page = client.get("/")
        assert client.head("/").status_code == 200
        total = len(page.content)
        assets = sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)))
        assets.append("/static/govuk-frontend.min.js")  # imported by app.js
        for url in assets:
            r = client.get(url)
            assert r.status_code == 200, url
            sent = int(r.headers.get("content-length", len(r.content)))
            assert r.headers["content-encoding"] == "gzip", url
            assert "etag" in r.headers and r.headers["vary"] == "accept-encoding"
            if "?v=" in url:
                assert "immutable" in r.headers["cache-control"], url
            else:
                assert r.headers["cache-control"] == "public, no-cache", url
                again = client.get(url, headers={"if-none-match": r.headers["etag"]})
                assert again.status_code == 304
            total += sent  # the gzipped size (httpx hands back the decoded body)
        print(f"\nchat page weight, as sent: {total} bytes (budget {PAGE_BUDGET_BYTES})")
        assert total <= PAGE_BUDGET_BYTES
        css = client.get(assets[0])
        assert len(gzip.compress(css.content)) < len(css.content)  # it was worth compressing


def test_the_pages_without_javascript_have_no_accessibility_violations(
    browser, base_url: str
) -> None:  # type: ignore[no-untyped-def]
    """Error, crisis, confirmation and end pages as people without JavaScript get them (app.js
    blocked, so the forms post; the page may still run axe)."""
    context = browser.new_context(viewport=PHONE)
    context.route("**/static/app.js*", lambda route: route.abort())
    walk = Walker(context.new_page(), javascript=False)
    page = walk.page
    walk.start(base_url)
    walk.send("x" * 5000)
    page.get_by_text("There is a problem").wait_for()
    assert axe_violations(page) == []
    walk.send("I want to kill myself tonight")
    page.locator(".app-chat-log__handoff").wait_for()
    assert axe_violations(page) == []
    walk.choose("Carry on")
    page.get_by_label("Your answer").fill("delete")
    walk.press("Send")
    page.get_by_role("button", name="Yes, delete my answers").wait_for()
    assert axe_violations(page) == []
    page.get_by_text("Finish", exact=True).click()
    walk.press("Yes, finish and save")
    page.get_by_text("Your code:").wait_for()
    assert axe_violations(page) == []
    context.close()


def test_finish_leaves_only_the_end_page(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    """A shared phone: after a disclosure and Finish, nothing said stays on screen or in Back."""
    context, walk = _walker(browser, True)
    page = walk.page
    page.goto(base_url + "/privacy")  # something before the chat for Back to go to
    walk.start(base_url)
    disclosure = "my stepdad hits me when mum is at work"
    walk.send(disclosure)
    page.locator(".app-chat-log__handoff").last.wait_for()
    page.get_by_text("Finish", exact=True).click()
    walk.press("Yes, finish and save")
    page.get_by_text("This chat has ended").wait_for()
    print("\nend page:\n" + page.inner_text("main"))

    def nothing_said() -> None:
        html = page.content()
        assert disclosure not in html
        assert page.locator(".app-chat-log__handoff").count() == 0
        assert "Help is available" not in page.title()
        assert page.locator(".app-chat-log__you").count() == 0

    nothing_said()
    code_panel = page.locator("#your-code").inner_text()  # the code is repeated, as without JS
    assert "DELETE" in code_panel
    assert page.locator("#new-chat").count() == 1
    page.go_back()
    page.wait_for_load_state()
    assert "/privacy" in page.url
    nothing_said()
    page.go_forward()
    page.wait_for_load_state()
    nothing_said()
    context.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("how", ["button", "shift three times"])
def test_exit_this_page_leaves_no_way_back_to_the_help(browser, base_url: str, how: str) -> None:  # type: ignore[no-untyped-def]
    context, walk = _walker(browser, True)
    context.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(body="Weather"))  # type: ignore[attr-defined]
    page = walk.page
    page.goto(base_url + "/privacy")
    walk.start(base_url)
    walk.send("my stepdad hits me when mum is at work")
    page.locator(".app-chat-log__handoff").last.wait_for()
    if how == "button":
        page.locator(".govuk-exit-this-page__button").click()
    else:  # GOV.UK's keyboard shortcut
        for _ in range(3):
            page.keyboard.press("Shift")
    page.get_by_text("Weather").wait_for()  # (the first, pushing navigation was cancelled)
    assert page.url.startswith("https://www.bbc.co.uk/")
    page.go_back()
    page.wait_for_load_state()
    assert "/privacy" in page.url
    assert "It's not your fault" not in page.content()
    context.close()  # type: ignore[attr-defined]


@MODES
def test_an_empty_answer_offers_the_skip_it_names(browser, base_url: str, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    context, walk = _walker(browser, javascript)
    page = walk.page
    walk.start(base_url)
    walk.send("   ")
    page.get_by_text("That message was empty").last.wait_for()
    assert 'press "Skip this question"' in page.inner_text("main")
    walk.press("Skip this question")
    page.get_by_text("What works well now").last.wait_for()
    context.close()  # type: ignore[attr-defined]
