"""Odd messages each get a sensible reply and never crash anything."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.textnorm import clean_text
from server.service import ConversationService
from storage.models import Answer
from tests.conftest import Say, random_sender, texts

CASES = {
    "empty": ("", "That message was empty"),
    "whitespace": ("   \n\t  ", "That message was empty"),
    "ten thousand characters": ("a" * 10_000, "too long for us to save"),
    "emoji only": ("\U0001f62d\U0001f62d\U0001f44d", "What works well now"),
    "right to left": (
        "\u0645\u0631\u062d\u0628\u0627 \u0627\u0644\u0639\u0627\u0644\u0645",
        "What works well now",
    ),
    "zero width": ("\u200b\u200b\u200b", "That message was empty"),
    "control characters": ("\x00\x01\x07\x1b[31m", "What works well now"),
    "binary junk": ("\ufffd\x00\x00\xff", "What works well now"),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_bad_input_gets_a_clear_answer(say: Say, text: str, expected: str) -> None:
    sender = random_sender()
    say("hi", sender=sender)
    say("1", sender=sender)
    replies = say(text, sender=sender)
    assert expected in texts(replies)


def test_zero_width_characters_cannot_hide_a_keyword(say: Say) -> None:
    sender = random_sender()
    say("hi", sender=sender)
    assert "You will not get more messages" in texts(say("S\u200bT\u200bO\u200bP", sender=sender))


def test_clean_text_keeps_words_and_drops_invisible_and_control_characters() -> None:
    assert clean_text(" a\u200bb\x00c\u202e d \n") == "abc d"
    assert clean_text("e\u0301") == "\u00e9"


def test_redaction_crash_stores_nothing_and_says_so(
    service: ConversationService, say: Say, monkeypatch: pytest.MonkeyPatch
) -> None:
    from privacy import RedactionError

    def broken(text: str) -> object:
        raise RedactionError("boom")

    sender = random_sender()
    say("hi", sender=sender)
    say("1", sender=sender)
    monkeypatch.setattr(service.redactor, "redact", broken)
    replies = say("im gonna kms tonight, my name is Sam", sender=sender)
    assert replies[0].kind == "handoff"
    assert "could not save that answer safely" in texts(replies)
    with service.db.session() as s:
        assert s.scalars(select(Answer)).all() == []


def test_storage_failure_still_hands_off_and_says_not_saved(
    service: ConversationService, say: Say, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down() -> object:
        raise ConnectionError("database down")

    monkeypatch.setattr(service.db, "transaction", down)
    replies = say("ngl im gonna kms tonight")
    assert replies[0].kind == "handoff" and "Childline" in replies[0].text
    assert "was not saved" in replies[-1].text
