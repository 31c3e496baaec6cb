"""Every YAML conversation test in dialogues/tests/ through every channel, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.bot.test_stories import check_turn, load_stories
from tests.channels.stack import Stack, running_stack

DRIVERS = ["web", "rest", "twilio", "whatsapp", "telegram"]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("stories")) as s:
        yield s


@pytest.mark.parametrize("driver_name", DRIVERS)
@pytest.mark.parametrize("story", load_stories())
def test_story_on_channel(stack: Stack, driver_name: str, story: dict[str, Any]) -> None:
    driver = stack.drivers[driver_name]
    sender = driver.new_sender()
    for number, turn in enumerate(story["steps"], 1):
        sent = driver.send(sender, str(turn["user"]))
        assert sent.status == 200, sent.raw[:200]
        check_turn(f"{driver_name} step {number} ({turn['user']!r})", sent.texts, turn)
