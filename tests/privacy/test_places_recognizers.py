"""Postcodes, street addresses and schools: positive and negative cases."""

from __future__ import annotations

import pytest

from privacy.recognizers.places import (
    LooseAddressRecognizer,
    StreetAddressRecognizer,
    UkPostcodeRecognizer,
)
from privacy.recognizers.schools import (
    SchoolAfterVerbRecognizer,
    SchoolByContextRecognizer,
    SchoolRecognizer,
)
from tests.privacy.helpers import found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we live at LS6 2AB", ["LS6 2AB"]),
        ("placement is in cr0 1nd", ["cr0 1nd"]),
        ("postcode b152tt", ["b152tt"]),
        ("EC1A 1BB is the office", ["EC1A 1BB"]),
        ("in 2021 i was 15", []),
        ("year 9 and year 11", []),
        ("m62 closed again", []),
    ],
)
def test_when_postcode_then_found(text: str, expected: list[str]) -> None:
    assert found(UkPostcodeRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we live at 14 Acacia Avenue", ["14 Acacia Avenue"]),
        ("moved me to flat 2, 37 victoria rd with nothing", ["flat 2, 37 victoria rd"]),
        ("5 elm close hu3", ["5 elm close"]),
        ("he has 30 other kids on his list", []),
        ("3 times a week", []),
    ],
)
def test_when_street_address_then_found(text: str, expected: list[str]) -> None:
    assert (
        expected == [s for s in found(StreetAddressRecognizer(), text) if s in expected]
        or found(StreetAddressRecognizer(), text) == expected
    )
    if not expected:
        assert found(StreetAddressRecognizer(), text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oakwood Academy excluded him", ["Oakwood Academy"]),
        ("lime tree primary was my fave", ["lime tree primary"]),
        ("gcses at Bishop Challoner", ["Bishop Challoner"]),
        ("the virtual school was great", []),
        ("i hated secondary school", []),
        ("moved schools 3 times", []),
        ("Paying for school dinners, uniform", []),
        # Issue 16, over-redaction seen on another writer's answers: "high" as an adjective.
        ("thornhill high was rough", ["thornhill high"]),
        ("He went to Castle Hill High in Leeds", ["Castle Hill High"]),
        ("exclusions of children in care remain unacceptably high", []),
        ("thresholds are too high for most kids", []),
        ("staff turnover, which means high costs", []),
        ("because there was no school place for him", []),
    ],
)
def test_when_school_then_found(text: str, expected: list[str]) -> None:
    assert found(SchoolRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "im 19 in top flat over the chinese on market st, heating broke",
            ["top flat over the chinese on market st", "market st"],
        ),
        ("im at 27c now with nikki", ["27c"]),
        ("back at my nans, no 41, she got special guardianship", ["no 41"]),
        ("she come round to flat 6 kingsley house with a kettle", ["flat 6 kingsley house"]),
        ("Flat 9, Orchard House, Tannery Lane\nBristol", ["Flat 9, Orchard House, Tannery Lane"]),
        ("the end house on Parkfield Crescent", ["Parkfield Crescent"]),
        ("live with my nan on wellington road", ["wellington road"]),
        ("near Mill Street", ["Mill Street"]),
        ("down the road", []),
        ("on the high street", []),
        ("on my way home", []),
        ("in the park", []),
        ("a 40 minute drive each way", []),
        ("up at 5am", []),
        ("in 3 days", []),
        ("got on well with her", []),
    ],
)
def test_when_address_is_written_loosely_then_found(text: str, expected: list[str]) -> None:
    assert found(LooseAddressRecognizer(), text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "that's 90 miles each way.",
        "a 40 minute drive each way, then",
        "3 times a week",
        "they offered me a flat 2 hours from anyone I know",
    ],
)
def test_when_a_distance_ends_in_a_street_word_then_it_is_no_address(text: str) -> None:
    assert found(StreetAddressRecognizer(), text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my daughter starts little acorns nursery in september", ["little acorns nursery"]),
        ("now at riverside pru. miss", ["riverside pru"]),
        ("Christ Church C of E Primary", ["Christ Church C of E Primary"]),
        ("at Queen Elizabeth Sixth Form College", ["Queen Elizabeth Sixth Form College"]),
        ("the PRU was better", []),
    ],
)
def test_when_nursery_pru_or_church_school_then_found(text: str, expected: list[str]) -> None:
    assert found(SchoolRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i go leeds city college doing mechanics", ["leeds city college"]),
        ("at tameside college now, my pa", ["tameside college"]),
        ("im at st bede's and", ["st bede's"]),
        ("better than college tbh", []),
        ("i go to college", []),
        ("at sixth form college", []),
        ("went to the local college", []),
        ("at st thomas's hospital", []),
        # Our own cases (issue 16): the apostrophe dropped; a town named after a saint stays.
        ("left st benedicts in yr 10 coz of bullying", ["st benedicts"]),
        ("he goes st marys now", ["st marys"]),
        ("we went to St Helens for the hearing", []),
        ("from st thomas hospital", []),
    ],
)
def test_when_a_college_is_named_in_lower_case_after_a_verb_then_found(
    text: str, expected: list[str]
) -> None:
    assert found(SchoolAfterVerbRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i go to parkside and they put me in isolation every time", ["parkside"]),
        ("got excluded from hillcrest in year 9", ["hillcrest"]),
        ("the teachers at moorfield were kind", ["moorfield"]),
        ("i go to parkside with my mates", []),  # no talk of school
        ("i went to school in year 9 then left", []),
        ("teachers at leeds were kind", []),
        ("i was in isolation at home", []),
        ("my teacher went to asking everyone", []),
    ],
)
def test_when_one_unknown_word_names_a_school_in_school_talk_then_found(
    text: str, expected: list[str]
) -> None:
    assert found(SchoolByContextRecognizer(), text) == expected
