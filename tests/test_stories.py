"""Run every YAML conversation test in dialogues/tests/ through the real service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Say, random_sender, texts

STORY_DIR = Path(__file__).resolve().parent.parent / "dialogues" / "tests"


def load_stories() -> list[Any]:
    stories = []
    for path in sorted(STORY_DIR.glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            stories.append(pytest.param(story, id=f"{path.stem}: {story['story']}"))
    return stories


def run_story(say: Say, story: dict[str, Any], **channel: Any) -> None:
    sender = random_sender()
    for number, turn in enumerate(story["steps"], 1):
        replies = say(str(turn["user"]), sender=sender, **channel)
        joined = texts(replies)
        where = f"step {number} ({turn['user']!r})"
        position = 0
        for expected in turn.get("bot", []):
            found = joined.find(expected, position)
            assert found >= 0, (
                f"{where}: expected {expected!r} after position {position} in:\n{joined}"
            )
            position = found + len(expected)
        for unwanted in turn.get("absent", []):
            assert unwanted not in joined, f"{where}: did not expect {unwanted!r} in:\n{joined}"
        if "first" in turn:
            assert replies[0].text.startswith(turn["first"]), (
                f"{where}: first reply was {replies[0].text!r}"
            )


@pytest.mark.parametrize("story", load_stories())
def test_story(say: Say, story: dict[str, Any]) -> None:
    run_story(say, story)
