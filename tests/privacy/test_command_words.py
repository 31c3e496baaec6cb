"""Words the conversation acts on are never taken for a name (vicary lists "Skip" as a given name;
redacted to "[name]", SKIP stopped working and the load benchmark lost one answer a person)."""

from __future__ import annotations

import pytest

from bot.keywords import _WORDS
from dialogues import load_dialogue
from privacy import Redactor


def _choice_words() -> set[str]:
    """Every one-word label a person may send back, from the consultation's choices."""
    text = load_dialogue().model_dump_json()
    words: set[str] = set()
    for token in text.replace('"', " ").split():
        word = token.strip(".,!?:;()[]{}'").lower()
        if word.isalpha() and len(word) > 2:
            words.add(word)
    return words


@pytest.mark.parametrize("word", sorted(_WORDS))
def test_a_keyword_sent_alone_survives_redaction(redactor: Redactor, word: str) -> None:
    for form in (word, word.upper(), word.capitalize()):
        assert redactor.redact(form).text == form


def test_no_word_of_the_consultation_sent_alone_is_taken_for_a_name(redactor: Redactor) -> None:
    changed = sorted(w for w in _choice_words() if redactor.redact(w).text != w)
    assert not changed
