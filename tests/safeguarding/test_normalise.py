# ruff: noqa: RUF001, RUF003  (look-alike letters are the point of these cases)
"""Normalisation before judging: disguised words come out plain; ordinary text is not damaged."""

from __future__ import annotations

import pytest

from safeguarding.normalise import normalise

DISGUISED = [
    # look-alike letters: Cyrillic і, е, о, а, у and Greek ο, α, ι inside Latin words
    ("I want to kіll myself", "i want to kill myself"),
    ("he hurts mе", "he hurts me"),
    ("sоmeone tоuches me", "someone touches me"),
    ("my dаd hits me", "my dad hits me"),
    ("kill mуself", "kill myself"),
    ("suιcιde", "suicide"),
    ("οverdοse tοnight", "overdose tonight"),
    ("ΚΙLL", "kill"),
    # digits and symbols for letters, inside words
    ("I want to k1ll mys3lf tonight", "i want to kill myself tonight"),
    ("su1c1de", "suicide"),
    ("h4rm myself", "harm myself"),
    ("wanna d!e", "wanna die"),
    ("s3lf h@rm", "self harm"),
    ("0verd0se", "0verdose"),  # a leading digit stays: only digits between letters are read
    # spaced-out words
    ("k i l l myself", "kill myself"),
    ("s u i c i d e", "suicide"),
    ("i want to d-i-e", "i want to die"),
    ("r.a.p.e", "rape"),
    # euphemisms
    ("thinking about unaliving myself", "thinking about killing myself"),
    ("gonna unalive myself", "gonna kill myself"),
    ("sewerslide tonight", "suicide tonight"),
    ("sewer slide", "suicide"),
    ("ngl gonna kms", "ngl gonna kill myself"),
    ("kys", "kill yourself"),
    ("want to self delete", "want to kill myself"),
    ("he wants my n00dz", "he wants my nude pictures"),
    # compatibility forms and invisible characters
    ("ｋｉｌｌ", "kill"),
    ("ki\u200bll my\u00adself", "kill myself"),
    ("Can’t  cope", "cant cope"),
]

ORDINARY = [
    "asking 4 pics",
    "ring 0800 1111",
    "call 999 or 111",
    "on 12/03/2024 at 3pm",
    "year 9",
    "b4 gr8 every1 2nite",
    "im 14yo and in y10",
    "u r a star",
    "i am a carer",
    "a b c",
    "email me at sam@example.org",
    "@sam_99 on insta",
    "£82 and 10p",
    "cool cool cool",
    "kill bill is a film",
    "the sun is out",
    "привет мир",
    "καλημέρα",
    "shelter 0808 800 4444",
    "mp3 and 4x4",
]


@pytest.mark.parametrize(("text", "expected"), DISGUISED)
def test_disguised_words_come_out_plain(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert normalise(text) == " ".join(text.lower().split())


def test_repeated_letters_are_shortened_and_spaces_folded() -> None:
    assert normalise("  pleeeease   help\n\nme ") == "pleease help me"
