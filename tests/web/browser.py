"""Browser test helpers: Debian's Chromium driven by Playwright, axe-core, a phone-size walker."""

from __future__ import annotations

import shutil
from pathlib import Path

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
PHONE = {"width": 390, "height": 844}
SMS_WORDING = ("Send BYE", "send BYE", "This phone may be shared", "Next question.", "send SKIP")


def axe_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']]})"
        for v in result["violations"]
    ]


class Walker:
    """One person at a phone: presses buttons and waits for the answer, with or without JS."""

    def __init__(self, page, javascript: bool) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.javascript = javascript

    def press(self, name: str) -> None:
        count = self.page.locator("#chat-log > li").count()
        if self.javascript:  # a turn that ends the chat opens the end page instead: a new page
            self.page.evaluate("window.walkerPressed = true")
        self.page.get_by_role("button", name=name, exact=True).click()
        if self.javascript:
            self.page.wait_for_function(
                "n => !window.walkerPressed"
                " || document.querySelectorAll('#chat-log > li').length > n",
                arg=count,
            )
        self.page.wait_for_load_state()
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.page.viewport_size["width"], f"the page scrolls sideways ({width}px)"

    def send(self, text: str) -> None:
        self.page.get_by_label("Your answer").fill(text)
        self.press("Send")

    def choose(self, *labels: str) -> None:
        for label in labels:
            self.page.get_by_label(label, exact=True).check()
        self.press("Continue")

    def start(self, base: str, path: str = "/") -> None:
        self.page.goto(base + path)
        self.press("Start")
        self.choose("Yes, start")
        self.page.get_by_text("Your code is").last.wait_for()
