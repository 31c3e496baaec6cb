"""The check flow on every channel, over real HTTP, with a detector double.

The double says "check" for any message with the word "maybe-risk" in it and asks the real
detector otherwise, so these tests hold whatever the rules or the learned model decide about real
sentences (the YAML stories in dialogues/tests/check_stories.yml use a real "check" sentence).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from safeguarding import Detector, RiskAssessment, load_detector
from tests.channels.drivers import Driver
from tests.channels.stack import Stack, running_stack

DRIVERS = ["web", "rest", "twilio", "whatsapp", "telegram"]
MAYBE = "things at home are hard maybe-risk"
CHECK = RiskAssessment(level="check", who="self", kinds=("abuse",), reasons=("double: check",))


class CheckDouble:
    """Says "check" for the marked messages, and otherwise what the real detector says."""

    def __init__(self, real: Detector) -> None:
        self.real = real

    def assess(self, text: str) -> RiskAssessment:
        return CHECK if "maybe-risk" in text else self.real.assess(text)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("check")) as s:
        s.parts.service.detector = CheckDouble(load_detector())  # type: ignore[assignment]
        yield s


def talk(driver: Driver, sender: str, text: str) -> str:
    sent = driver.send(sender, text)
    assert sent.status == 200, sent.raw[:200]
    return "\n".join(sent.texts)


def at_question(driver: Driver, *before: str) -> str:
    sender = driver.new_sender()
    for text in (*before, "1") if before else ("hi", "1"):
        talk(driver, sender, text)
    return sender


@pytest.mark.parametrize("name", DRIVERS)
@pytest.mark.parametrize("answer", ["2", "3", "no not really", "idk", "Not sure"])
def test_no_or_not_sure_gets_the_urgent_handoff(stack: Stack, name: str, answer: str) -> None:
    driver = stack.drivers[name]
    sender = at_question(driver)
    asked = talk(driver, sender, MAYBE)
    assert asked.startswith("Speak Up") and "116 123" in asked
    assert "Are you safe right now?" in asked and "What works well now" not in asked
    reply = talk(driver, sender, answer)
    assert reply.startswith("Speak Up") and "Childline" in reply and "not your fault" in reply
    assert "Please get help first." in reply


@pytest.mark.parametrize("name", DRIVERS)
@pytest.mark.parametrize("answer", ["1", "yeah im ok", "Yes, I'm safe"])
def test_yes_goes_on_with_the_script(stack: Stack, name: str, answer: str) -> None:
    driver = stack.drivers[name]
    sender = at_question(driver)
    talk(driver, sender, MAYBE)
    reply = talk(driver, sender, answer)
    assert "We are glad" in reply and "What works well now" in reply
    assert "not your fault" not in reply


@pytest.mark.parametrize("name", DRIVERS)
@pytest.mark.parametrize("word", ["STOP", "BYE"])
def test_stop_and_bye_win(stack: Stack, name: str, word: str) -> None:
    driver = stack.drivers[name]
    sender = at_question(driver)
    talk(driver, sender, MAYBE)
    reply = talk(driver, sender, word)
    assert "Are you safe right now?" not in reply and "116 123" in reply
    assert "Hi, this is Speak Up." in talk(driver, sender, "hi")


@pytest.mark.parametrize("name", DRIVERS)
def test_first_message_and_consent(stack: Stack, name: str) -> None:
    driver = stack.drivers[name]
    sender = driver.new_sender()
    first = talk(driver, sender, MAYBE)
    assert "Are you safe right now?" in first and "Hi, this is Speak Up." not in first
    assert "Is it OK to start?" in talk(driver, sender, "yes")
    assert "Are you safe right now?" in talk(driver, sender, MAYBE)  # at consent
    assert "Is it OK to start?" in talk(driver, sender, "dunno")  # Not sure: handoff, then on


@pytest.mark.parametrize("name", DRIVERS)
@pytest.mark.parametrize(
    ("code", "wording", "handoff"),
    [("HMPEXAMPLE", "Listener", "prison may see this device"), ("HOSTEL7", "staff here", "")],
)
def test_prison_and_partner_wordings(
    stack: Stack, name: str, code: str, wording: str, handoff: str
) -> None:
    driver = stack.drivers[name]
    sender = at_question(driver, f"START {code}")
    asked = talk(driver, sender, MAYBE)
    assert wording in asked and "Are you safe right now?" in asked
    reply = talk(driver, sender, "no")
    assert reply.startswith("Speak Up") and handoff in reply
