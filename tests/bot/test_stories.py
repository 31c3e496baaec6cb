"""Run every YAML conversation test in dialogues/tests/ through the real service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Say, random_sender, texts

STORY_DIR = Path(__file__).resolve().parents[2] / "dialogues" / "tests"


def load_stories() -> list[Any]:
    stories = []
    for path in sorted(STORY_DIR.glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            stories.append(pytest.param(story, id=f"{path.stem}: {story['story']}"))
    return stories


def check_turn(where: str, texts: list[str], turn: dict[str, Any]) -> None:
    """Assert one turn's expectations against the bot texts a channel showed."""
    joined = "\n".join(texts)
    position = 0
    for expected in turn.get("bot", []):
        found = joined.find(expected, position)
        assert found >= 0, f"{where}: expected {expected!r} after position {position} in:\n{joined}"
        position = found + len(expected)
    for unwanted in turn.get("absent", []):
        assert unwanted not in joined, f"{where}: did not expect {unwanted!r} in:\n{joined}"
    if "first" in turn:
        assert texts and texts[0].startswith(turn["first"]), (
            f"{where}: first reply was {texts[:1]!r}"
        )


@pytest.mark.parametrize("story", load_stories())
def test_story(say: Say, story: dict[str, Any]) -> None:
    sender = random_sender()
    for number, turn in enumerate(story["steps"], 1):
        replies = say(str(turn["user"]), sender=sender)
        check_turn(f"step {number} ({turn['user']!r})", [texts([r]) for r in replies], turn)
