"""Issue 16, third round: names, schools, places and addresses in the forms writers P and Q used,
and how found spans are made whole (privacy/spans.py); positive and negative cases."""

from __future__ import annotations

import pytest

from privacy.recognizers.named_places import NamedPlaceRecognizer
from privacy.recognizers.names import FirstNameRecognizer, SpeltNameRecognizer
from privacy.recognizers.places import (
    LooseAddressRecognizer,
    SchoolAfterVerbRecognizer,
    SchoolRecognizer,
    StreetAddressRecognizer,
)
from privacy.redactor import Redactor
from tests.privacy.helpers import found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no seriously her name is Hope and she is the best", ["Hope"]),
        ("hello sir, my name Nguyen Van Thanh, I am 16", ["Nguyen Van", "Van Thanh"]),
        ("I was fostered by Mr and Mrs Okafor in Luton", ["Mr and Mrs Okafor"]),
        ("this is tiana on jordans phone, dont save this", ["tiana", "jordans"]),
        ("i live on Marlow Street now", ["Marlow"]),  # not "Marlow Street": an address
        ("my name was on the list", []),
        ("her name is on the door", []),
        ("the names of the two rabbits", []),
        ("the cars parked outside", []),
    ],
)
def test_names_after_a_name_cue_or_title_pair(text: str, expected: list[str]) -> None:
    assert found(FirstNameRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("this is jayde spelt j a y d e my number", ["j a y d e"]),
        ("spelled J-A-Y-D-E", ["J-A-Y-D-E"]),
        ("i spelt it wrong on the form", []),
        ("spell a b", []),
    ],
)
def test_a_name_spelt_out_letter_by_letter(text: str, expected: list[str]) -> None:
    assert found(SpeltNameRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "recognizer"),
    [
        ("the PRU i went to, Kingsway Learning Centre, was", ["Kingsway Learning Centre"], 0),
        ("went to Westbury Park High and then Haddon College and", ["Haddon College"], 0),
        ("my school was St Cuthbert's and they", ["St Cuthbert's"], 1),
        ("the school was Great", [], 1),
        ("we sat in the learning centre all day", [], 0),
        ("then college and work", [], 0),
    ],
)
def test_schools_named_in_more_ways(text: str, expected: list[str], recognizer: int) -> None:
    rec = (SchoolRecognizer(), SchoolAfterVerbRecognizer())[recognizer]
    got = found(rec, text)
    assert [g for g in got if g in expected] == expected and (expected or not got)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stayed at Greenbank Nightshelter most of last winter", ["Greenbank Nightshelter"]),
        ("we were put in the Sandcastle Hotel in Brighton", ["Sandcastle Hotel"]),
        ("we went to the animal shelter", []),
        ("a cheap hotel in Leeds", []),
        ("the night shelter was full", []),
    ],
)
def test_hotels_and_shelters_with_names(text: str, expected: list[str]) -> None:
    assert found(NamedPlaceRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "recognizer"),
    [
        ("i used to live at number 6 hollow brook close with", ["number 6 hollow brook close"], 0),
        (
            "we are in flat 3 over the bookies on Crown St in",
            ["flat 3 over the bookies on Crown St"],
            1,
        ),
        ("the corner of Mill Lane and", ["Mill Lane"], 1),
        ("i live at no 27c the one", ["no 27c"], 1),
        ("at the end of the day", [], 1),
        ("a lot of green", [], 1),
    ],
)
def test_addresses_written_in_more_ways(text: str, expected: list[str], recognizer: int) -> None:
    rec = (StreetAddressRecognizer(), LooseAddressRecognizer())[recognizer]
    got = found(rec, text)
    assert (max(got, key=len) if got else None) == (expected[0] if expected else None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A title or a family title goes with the name; "my auntie" says who she is.
        (
            "write to me, Mr S. Adebayo A3390QN, the prison",
            "write to me, [name] [prison number], the prison",
        ),
        ("ask for auntie pat at the centre", "ask for [name] at the centre"),
        ("my auntie pat is lovely", "my auntie [name] is lovely"),
        ("Nana Akosua raised me", "[name] raised me"),
        # A house pointed to on a street is part of the address.
        (
            "my sister lives at the end house on Fernbank Close, thats",
            "my sister lives at [address], thats",
        ),
        ("we lived at the blue house on the corner of Mill Lane and", "we lived at [address] and"),
        ("the flat is on market st", "the flat is on [address]"),
        # A name found once is removed where it comes again, unless it is also a word.
        ("Mrs Okafor came. Okafor is kind.", "[name] came. [name] is kind."),
        ("hope said theres no hope of a flat", "[name] said theres no hope of a flat"),
        # A capitalised item in a list with a named place is a named place.
        (
            "the homes i was in: Brambles, Thornfield House, The Cedars. all in Cheshire.",
            "the homes i was in: [place], [place], [place]. all in Cheshire.",
        ),
        ("I was at Oak House, Leeds and then home", "I was at [place], Leeds and then home"),
    ],
)
def test_spans_are_made_whole(redactor: Redactor, text: str, expected: str) -> None:
    assert redactor.redact(text).text == expected
