"""Screenshots of every public page at phone size (390x844), for reviewers who do not run the service.

``make screenshots`` runs this: it starts the app on a loopback port with a throwaway SQLite
database, walks the web chat in Debian's Chromium (Playwright drives it; nothing is downloaded)
with JavaScript on and off, and writes full-page PNGs to ``screenshots/`` (gitignored).
"""

from __future__ import annotations

import secrets
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
PHONE = {"width": 390, "height": 844}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


def main() -> int:
    """Take the screenshots; print where each one went."""
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from config.app import load_config
    from config.settings import load_settings
    from server.app import build_components, create_app
    from tests.live import serve

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            speakup_env="development",
            speakup_secret_key=secrets.token_urlsafe(48),
            database_url=f"sqlite:///{tmp}/shots.db",
        )
        config = load_config()
        kiosk = config.kiosk.model_copy(update={"idle_seconds": 40})
        parts = build_components(settings, config.model_copy(update={"kiosk": kiosk}))
        parts.db.migrate()
        with serve(create_app(settings, parts)) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
            for javascript in (True, False):
                walk(browser, base, javascript)
            browser.close()
    return 0


def walk(browser, base: str, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    """One person's way through the service, a screenshot at each page."""
    suffix = "js" if javascript else "nojs"
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()

    def shot(name: str, full: bool = True) -> None:
        path = OUT / f"{name}-{suffix}.png"
        page.screenshot(path=str(path), full_page=full)
        sys.stdout.write(f"{path.relative_to(ROOT)}\n")

    def press(name: str) -> None:
        """Press a button and wait for the reply (a new page, or new items with JavaScript)."""
        count = page.locator("#chat-log > li").count()
        page.get_by_role("button", name=name, exact=True).click()
        if javascript:
            page.wait_for_function(
                "n => document.querySelectorAll('#chat-log > li').length > n", arg=count
            )
        page.wait_for_load_state()

    def send(text: str) -> None:
        page.get_by_label("Your answer").fill(text)
        press("Send")

    page.goto(base + "/")
    shot("01-start")
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_text("Is it OK to start?").first.wait_for()
    shot("02-consent")
    page.get_by_label("Yes, start").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("big question").first.wait_for()
    shot("03-first-question")
    send("what does ensure mean?")
    page.get_by_text("Ensure means make sure").last.wait_for()
    shot("04-word-meaning")
    page.get_by_label("Your answer").fill("A long answer. " * 340)
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_text("There is a problem").wait_for()
    shot("05-too-long")
    send("I want to kill myself tonight")
    page.get_by_text("Help is available").first.wait_for()
    shot("06-help-reply", full=False)
    page.get_by_label("Carry on").check()
    press("Continue")
    for _ in range(4):
        press("Skip this question")
    page.get_by_text("Do any of these fit you?").last.wait_for()
    shot("07-checkboxes")
    page.get_by_label("I have been in care").check()
    press("Continue")
    page.get_by_text("lifelong relationships").last.wait_for()
    press("Skip this question")
    page.get_by_text("Stigma means").first.wait_for()
    shot("08-word-meanings-under-question")
    page.get_by_text("Delete my answers", exact=True).click()
    shot("09-delete-confirm")
    page.get_by_text("Finish", exact=True).click()
    page.get_by_role("button", name="Yes, finish and save").click()
    page.get_by_text("Your code:").wait_for()
    shot("10-ended-with-code")
    for path, name in (
        ("/privacy", "11-privacy"),
        ("/accessibility", "12-accessibility"),
        ("/no-such-page", "13-not-found"),
        ("/?kiosk=library-1", "14-kiosk-start"),
    ):
        page.goto(base + path)
        shot(name)
    if javascript:
        page.get_by_role("button", name="Start", exact=True).click()
        page.get_by_text("This tablet is shared").last.wait_for()
        page.get_by_role("heading", name="This chat will clear in").wait_for(timeout=30_000)
        shot("15-kiosk-warning", full=False)
    context.close()


if __name__ == "__main__":
    raise SystemExit(main())
