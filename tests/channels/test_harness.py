"""The same inbound cases through every channel (courier's RunIncomingTestCases idea)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from storage.models import Answer
from tests.channels.drivers import Driver
from tests.channels.stack import Stack, running_stack

DRIVERS = ["web", "rest", "twilio", "whatsapp", "telegram"]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("harness")) as s:
        yield s


@dataclass(frozen=True)
class Case:
    label: str
    text: str
    expected_status: int = 200
    expected_text: str | None = None
    forge: bool = False
    media: int = 0
    at_question: bool = True
    only: tuple[str, ...] = tuple(DRIVERS)


CASES = [
    Case("valid first message", "hello", expected_text="Is it OK to start?", at_question=False),
    Case("bad signature or token", "hello", expected_status=403, forge=True, at_question=False),
    Case("empty body", "", expected_text="That message was empty"),
    Case(
        "media only",
        "",
        media=1,
        expected_text="We can only read words",
        only=("twilio", "whatsapp", "telegram"),
    ),
    Case("oversized", "x" * 10_000, expected_text="too long for us to save"),
    Case("keyword", "STOP", expected_text="You will not get more messages"),
    Case("keyword in lower case with a full stop", "bye.", expected_text="This chat has ended"),
    Case("emoji only", "\U0001f44d", expected_text="What works well now"),
]


def at_question(driver: Driver) -> str:
    sender = driver.new_sender()
    driver.send(sender, "hi")
    assert "First question." in "\n".join(driver.send(sender, "1").texts)
    return sender


@pytest.mark.parametrize("driver_name", DRIVERS)
@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_inbound_case(stack: Stack, driver_name: str, case: Case) -> None:
    if driver_name not in case.only:
        pytest.skip(f"{driver_name} has no {case.label}")
    driver = stack.drivers[driver_name]
    sender = at_question(driver) if case.at_question else driver.new_sender()
    sent = driver.send(sender, case.text, forge=case.forge, media=case.media)
    assert sent.status == case.expected_status, sent.raw[:300]
    if case.expected_text:
        assert case.expected_text in "\n".join(sent.texts), sent.texts
    if case.forge:
        assert sent.texts == []


@pytest.mark.parametrize("driver_name", DRIVERS)
def test_a_replayed_delivery_is_processed_once_and_gets_the_same_reply(
    stack: Stack, driver_name: str
) -> None:
    driver = stack.drivers[driver_name]
    sender = at_question(driver)
    with stack.parts.db.session() as s:
        before = s.scalar(select(func.count()).select_from(Answer))
    message_id = {
        "telegram": "987654321",
        "twilio": "SM" + "ab" * 16,
        "whatsapp": "SM" + "cd" * 16,
    }.get(driver_name, "ReplayMessageId_0123456789ab")
    if driver_name == "rest":
        message_id = "rest-replay-1"
    first = driver.send(sender, "my one answer", message_id=message_id)
    again = driver.send(sender, "my one answer", message_id=message_id)
    assert first.status == again.status == 200
    assert again.texts == first.texts and first.texts
    with stack.parts.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Answer)) == (before or 0) + 1
