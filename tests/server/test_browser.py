"""A whole consultation in Debian's Chromium, driven by Playwright, with axe-core on every page."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from config.settings import load_settings
from server.app import build_components, create_app
from tests.conftest import TEST_KEY, skip_or_fail
from tests.live import serve

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser")
    settings = load_settings(
        speakup_env="test", speakup_secret_key=TEST_KEY, database_url=f"sqlite:///{tmp}/b.db"
    )
    parts = build_components(settings)
    parts.db.migrate()
    with serve(create_app(settings, parts)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        skip_or_fail("Debian's chromium is not installed (make browser installs it)")
    if not AXE.exists():
        skip_or_fail("node_modules/axe-core is missing (make assets installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def axe_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in result["violations"]]


@pytest.mark.parametrize("javascript", [True, False], ids=["with JS", "without JS"])
def test_whole_consultation_in_chromium(browser, base_url: str, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(base_url + "/")
    if javascript:
        assert axe_violations(page) == []
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_text("Is it OK to start?").wait_for()
    page.get_by_role("button", name="Yes, start").click()
    page.get_by_text("Your code is").wait_for()
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
    for answer, following in zip(answers, expected_next, strict=True):
        page.get_by_label("Your message").fill(answer)
        page.get_by_role("button", name="Send", exact=True).click()
        page.get_by_text(following).last.wait_for()
    page.get_by_role("button", name="Prefer not to say").click()
    page.get_by_text("How old are you?").wait_for()
    if javascript:
        assert axe_violations(page) == []
    page.get_by_role("button", name="18 to 24").click()
    page.get_by_text("Your answers are saved").wait_for()
    assert page.url.rstrip("/") == base_url  # the conversation id never appears in the URL
    assert context.cookies() == []
    if javascript:
        stored = page.evaluate("[localStorage.length, sessionStorage.length]")
        assert stored == [0, 0]
    assert csp_errors == []
    context.close()


def test_privacy_page_has_no_accessibility_violations(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(base_url + "/privacy")
    assert "not anonymous" in page.content()
    assert axe_violations(page) == []
    page.close()


@pytest.fixture(scope="module")
def kiosk_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from config.app import load_config

    tmp = tmp_path_factory.mktemp("kiosk")
    settings = load_settings(
        speakup_env="test", speakup_secret_key=TEST_KEY, database_url=f"sqlite:///{tmp}/k.db"
    )
    config = load_config()
    config = config.model_copy(
        update={"kiosk": config.kiosk.model_copy(update={"idle_seconds": 10, "finish_seconds": 1})}
    )
    parts = build_components(settings, config)
    parts.db.migrate()
    with serve(create_app(settings, parts)) as url:
        yield url


def test_kiosk_resets_after_finish_and_after_inactivity(browser, kiosk_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(kiosk_url + "/?kiosk=library-1")
    entries = page.evaluate("history.length")
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_text("delete this chat").wait_for()  # the partner note for shared devices
    page.get_by_role("button", name="Yes, start").click()
    page.get_by_text("First question.").wait_for()
    page.get_by_label("Your message").fill("Something personal")
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_text("What works well now").wait_for()
    page.get_by_role("button", name="Finish").click()
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=10_000)  # a fresh welcome
    assert "Something personal" not in page.content()
    assert page.evaluate("history.length") == entries  # nothing for the next person to go back to
    # Inactivity alone also resets.
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_text("Is it OK to start?").wait_for()
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=25_000)
    assert "Is it OK to start?" not in page.content()
    page.close()
