"""Asking what a hard word in the review's question means gets its meaning; answers are answers."""

from __future__ import annotations

import pytest

from bot.glossary import gloss_for
from dialogues import load_dialogue

STIGMA = load_dialogue().step("stigma")
BIG = load_dialogue().step("big_question")


@pytest.mark.parametrize(
    "text",
    [
        "what does stigma mean?",
        "What does 'stigma' mean",
        "whats stigma",
        "what is stigma?",
        "stigma?",
        "meaning of stigma",
        "I don't know what stigma means",
    ],
)
def test_a_question_about_a_glossed_word_gets_its_meaning(text: str) -> None:
    meaning = gloss_for(text, STIGMA)
    assert meaning is not None and meaning.startswith("Stigma means")


@pytest.mark.parametrize(
    "text",
    [
        "Stigma is everywhere: teachers treat you differently.",
        "what does it mean to be in care?",
        "what does love mean",
        "People should stop the stigma?" + " and more" * 10,
    ],
)
def test_answers_and_other_questions_are_not_glosses(text: str) -> None:
    assert gloss_for(text, STIGMA) is None


def test_the_big_questions_hard_words_have_glosses() -> None:
    assert gloss_for("what does ensure mean?", BIG) == "Ensure means make sure."
    assert gloss_for("foundations?", BIG) is not None
    hindered = load_dialogue().step("helped_hindered")
    assert gloss_for("what does hindered mean", hindered) is not None


def test_the_engine_answers_the_word_question_and_stores_nothing() -> None:
    from tests.bot.test_engine import at_question, run

    result = run(at_question(), "what does ensure mean?")
    assert [r.text for r in result.replies] == [
        "A word.\nEnsure means make sure.\nAnswer when you are ready, or send SKIP."
    ]
    assert result.effects == []
    assert result.state is not None and result.state.step == "big_question"  # still open
