"""Dates of birth and first names: positive and negative cases."""

from __future__ import annotations

import pytest

from privacy.recognizers.dates import BirthdayRecognizer, DateOfBirthRecognizer
from privacy.recognizers.names import FirstNameRecognizer
from tests.privacy.helpers import found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dob 14/03/2008 if u need it", ["14/03/2008"]),
        ("my dob is 12.11.06", ["12.11.06"]),
        ("born 2nd feb 2010", ["2nd feb 2010"]),
        ("born on the 3rd of may 2007", ["the 3rd of may 2007"]),
        ("her birthday is 7th July 2009", ["7th July 2009"]),
        ("review in May and nothing happened", []),
        ("in care since 2015", []),
        ("my review is on the 3rd june", []),
    ],
)
def test_when_full_date_then_found(text: str, expected: list[str]) -> None:
    assert found(DateOfBirthRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("her birthday is 7th July", ["7th July"]),
        ("dob: 3 march", ["3 march"]),
        ("on 3 march we met", []),
    ],
)
def test_when_birthday_without_year_then_found_only_with_birthday_words(
    text: str, expected: list[str]
) -> None:
    assert found(BirthdayRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the best one was kelly she listened", ["kelly"]),
        ("my sister chloe-mae", ["chloe-mae"]),
        ("my social worker Sarah Jones never rings", ["Sarah Jones"]),
        ("Mrs Patel took my kids", ["Mrs Patel"]),
        ("my names Precious and i", ["Precious"]),
        ("my foster carers Mark and Julie", ["Mark", "Julie"]),
        ("took in our granddaughter Grace", ["Grace"]),
        ("my bro tj is in a diff home", ["tj"]),
        ("Mark my words nothing will change", []),
        ("Joy is rare in this job", []),
        ("grace period ran out", []),
        ("Will the government fund it?", []),
        ("my social worker kept changing", []),
        ("my son is 7", []),
    ],
)
def test_when_first_name_then_found_with_context_rules(text: str, expected: list[str]) -> None:
    assert sorted(found(FirstNameRecognizer(), text)) == sorted(expected)
