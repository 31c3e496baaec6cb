"""Per-channel wording: every web and kiosk text maps back from the engine's default wording."""

from __future__ import annotations

import re

import pytest

from bot.messages import OutboundMessage
from bot.textrules import reading_grade
from config.app import AppConfig
from dialogues import load_dialogue
from dialogues.variants import ChannelWording, drop_first_line
from server.webpages import Presenter, linkify

DIALOGUE = load_dialogue()
VALUES = {
    "privacy_url": "http://x/privacy",
    "max_chars": 2000,
    "partner": "P",
    "respond_within": "a day",
}
KEYWORDS = re.compile(r"\b(send|reply)\s+(BYE|SKIP|START|STOP|HELP|NEW|\d)\b", re.IGNORECASE)


@pytest.mark.parametrize("channel", ["web", "kiosk"])
def test_variants_name_real_texts_keep_placeholders_and_stay_plain(
    channel: str, config: AppConfig
) -> None:
    defaults = {where: text for where, text, _ in DIALOGUE.texts()}
    fixed = {where for where, _, f in DIALOGUE.texts() if f}
    for where, variant in DIALOGUE.channel_texts[channel].items():
        for name in ("code", "meaning", "max_chars", "partner"):
            if "{" + name + "}" in defaults[where]:
                assert "{" + name + "}" in variant, (where, name)
        assert not KEYWORDS.search(variant), f"{where}: text-message wording on the {channel}"
        if where not in fixed and "steps." not in where:
            assert reading_grade(variant) <= config.text_rules.max_reading_grade + 1, where


def test_web_wording_maps_every_engine_text() -> None:
    web = ChannelWording(DIALOGUE, ("web",), VALUES)
    code_text = DIALOGUE.messages.code_issued.replace("{code}", "K7Q-M4X-PRD")
    assert web.which(code_text) == ("messages.code_issued", {"code": "K7Q-M4X-PRD"})
    shown = web.adapt(code_text)
    assert "DELETE K7Q-M4X-PRD" in shown and "press Start" in shown
    assert (
        web.adapt(DIALOGUE.messages.bye.format(**VALUES))
        == DIALOGUE.channel_texts["web"]["messages.bye"]
    )
    prompt = DIALOGUE.step("works_well").prompt
    assert web.adapt(prompt) == drop_first_line(prompt)  # no lock-screen line on a page
    kiosk = ChannelWording(DIALOGUE, ("kiosk", "web"), VALUES)
    assert "tablet" in kiosk.adapt(DIALOGUE.messages.partner_note)
    assert "Send BYE" not in kiosk.adapt(DIALOGUE.messages.welcome)


def test_presenter_offers_checkboxes_radios_and_repeats_the_code() -> None:
    presenter = Presenter(DIALOGUE, VALUES)
    groups = DIALOGUE.step("groups")
    labels = tuple(c.label for c in groups.choices)
    turn = presenter.turn([OutboundMessage(groups.prompt, labels, "prompt")], kiosk=False, code="")
    assert turn.prompt.multiple and turn.prompt.choices == labels
    assert turn.title == "Question 6: Do any of these fit you?"
    age = DIALOGUE.step("age_band")
    turn = presenter.turn(
        [OutboundMessage(age.prompt, tuple(c.label for c in age.choices))], kiosk=False, code=""
    )
    assert not turn.prompt.multiple
    end = presenter.turn(
        [OutboundMessage(DIALOGUE.messages.thanks)], kiosk=False, code="K7Q-M4X-PRD"
    )
    assert end.ended and end.code == "K7Q-M4X-PRD"
    with_code = DIALOGUE.messages.thanks_with_code.replace("{code}", "K7Q-M4X-PRD")
    end = presenter.turn([OutboundMessage(with_code)], kiosk=False, code="")
    assert end.ended and end.code == "K7Q-M4X-PRD"  # the end page's panel, from the text too
    assert "here." not in end.items[0].text  # the web wording says where: "below"
    forged = presenter.turn([], kiosk=False, code="<b>")
    assert forged.code == ""


def test_helplines_become_tel_and_sms_links() -> None:
    html = str(
        linkify(
            "Childline: call 0800 1111. Samaritans 116 123. Shout: text SHOUT to 85258. Call 999. Email help@nspcc.org.uk"
        )
    )
    assert 'href="tel:08001111"' in html and 'href="tel:116123"' in html
    assert 'href="sms:85258?body=SHOUT"' in html and 'href="tel:999"' in html
    assert 'href="mailto:help@nspcc.org.uk"' in html
    assert "<script>" not in str(linkify("<script>0800 1111</script>"))
    assert '<strong class="app-code">K7Q-M4X-PRD</strong>' in str(
        linkify("Your code is K7Q-M4X-PRD.")
    )


def test_a_text_that_says_press_skip_comes_with_the_skip_button() -> None:
    presenter = Presenter(DIALOGUE, VALUES)
    gloss = DIALOGUE.messages.gloss.replace("{meaning}", "Ensure means make sure.")
    for text in (DIALOGUE.messages.empty, DIALOGUE.messages.choice_unclear, gloss):
        turn = presenter.turn([OutboundMessage(text)], kiosk=False, code="")
        assert 'press "Skip this question"' in turn.items[-1].text
        assert turn.prompt.skippable and not turn.ended
