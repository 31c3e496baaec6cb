"""The name filter: which of the tagger's guesses to believe, positive and negative cases; and
the words the conversation acts on, which are never taken for a name (vicary lists "Skip" as a
given name: redacted to "[name]", a SKIP sent alone lost its meaning)."""

from __future__ import annotations

import pytest

from bot.keywords import _WORDS
from dialogues import load_dialogue
from privacy import Redactor
from privacy.namefilter import NameFilter


@pytest.mark.parametrize(
    ("text", "word", "believed"),
    [
        # A name that is also a word, where a person stands, scored high by the tagger.
        ("joy on the front desk lets me charge my phone", "joy", True),
        ("drew got sent to a secure unit in scotland", "drew", True),
        ("i was with amber and her mum", "amber", True),
        ("Then Victoria rang the duty team.", "Victoria", True),
        # The same words as words: after an article, a number or a copula, before a noun or an
        # object, lower case in a writer who uses capitals, or a capital starting a sentence.
        ("victoria sponge at my review lol", "victoria", False),
        ("Mark my words nothing will change", "Mark", False),
        ("Joy is a strong word but i was happy", "Joy", False),
        ("i dont want a pat on the back", "pat", False),
        ("Thank you for your complaint dated 3rd April.", "April", False),
        ("a family in Devon, 200 miles from us.", "miles", False),
        ("my stuff is precious to me", "precious", False),
        ("I had to get the coach from Victoria at 6am.", "Victoria", False),
        ("Faith keeps a lot of people going. Hope said no.", "Hope", False),
        ("We were told. The judge gave him a teddy and left.", "teddy", False),
        ("I spent months as a bargain hunter in charity shops.", "hunter", False),
    ],
)
def test_a_word_name_is_believed_from_the_tagger_only_where_a_name_stands(
    text: str, word: str, believed: bool
) -> None:
    names = NameFilter(confident=0.85)
    start = text.index(word)
    assert names.plausible(text, start, start + len(word), reads_case=False, score=0.99) is believed


def test_a_word_name_below_the_confident_score_is_not_believed() -> None:
    text = "drew got sent to a secure unit"
    assert not NameFilter(confident=0.85).plausible(text, 0, 4, reads_case=False, score=0.8)
    assert not NameFilter().plausible(text, 0, 4, reads_case=False, score=0.99)  # off by default


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


@pytest.mark.parametrize(
    "text", ["she lives in west bromwich now", "north shields foster carers are good"]
)
def test_a_town_that_begins_with_a_compass_word_is_not_a_name(
    redactor: Redactor, text: str
) -> None:
    assert redactor.redact(text).text == text
