"""Issue 16, third round: the forms writers P and Q used, as general rules, each with positive
and negative cases (contact details, numbers, dates, and digits said in words)."""

from __future__ import annotations

import pytest

from privacy.normalise import normalise
from privacy.recognizers.contact import (
    EmailRecognizer,
    HandleAfterAppRecognizer,
    LinkRecognizer,
    NamedHandleRecognizer,
    SpokenEmailRecognizer,
    UkPhoneRecognizer,
)
from privacy.recognizers.dates import BirthdayRecognizer, DateOfBirthRecognizer
from privacy.recognizers.places import UkPostcodeRecognizer
from privacy.recognizers.uk_ids import (
    CapitalCodeRecognizer,
    CourtCaseNumberRecognizer,
    PrisonNumberWithContextRecognizer,
    UkNhsRecognizer,
    UkNinoRecognizer,
)
from tests.privacy.helpers import found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call Amira on 07700.900.229 she will explain", ["07700.900.229"]),
        ("it cost 0.50.20 in 2019", []),
    ],
)
def test_when_a_phone_number_is_written_with_dots_then_found(
    text: str, expected: list[str]
) -> None:
    assert found(UkPhoneRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "email my worker on k dot osei at safehavenleeds dot org she helps",
            ["k dot osei at safehavenleeds dot org"],
        ),
        (
            "my email is niamh underscore k at yahoo dot co dot uk if",
            ["niamh underscore k at yahoo dot co dot uk"],
        ),
        (
            "my e-mail is kerryann 91 at hotmail dot com thank you",
            ["kerryann 91 at hotmail dot com"],
        ),
        ("the dot at the end of the line", []),
        ("we met at one dot and left", []),
    ],
)
def test_when_an_email_is_spelled_out_then_the_whole_address_is_found(
    text: str, expected: list[str]
) -> None:
    assert found(EmailRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "my email is abdi warsame two thousand at gmail dot com i left",
            ["abdi warsame two thousand at gmail dot com"],
        ),
        (
            "so my email is rhys underscore p at proton mail dot com and",
            ["rhys underscore p at proton mail dot com"],
        ),
        ("email: jo at example dot org", ["jo at example dot org"]),
        ("my email is broken so text me at home", []),
        ("email is the best way, i'm at work till 5", []),
    ],
)
def test_when_an_email_is_said_aloud_after_a_lead_in_then_every_word_goes(
    text: str, expected: list[str]
) -> None:
    assert found(SpokenEmailRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("all my stuff is on linktr.ee/careleaverlou if you want", ["linktr.ee/careleaverlou"]),
        ("stream link twitch dot tv slash lostboyjay i talk", ["twitch dot tv slash lostboyjay"]),
        ("it was 2.5/10 at best", []),
        ("and/or the carer", []),
        ("twitch dot tv is where i stream", []),  # a site named, no page
        ("gov.uk has the form", []),
        ("my vids r on youtube.com/@deanox_music, my bday", ["youtube.com/@deanox_music"]),
        ("see www.example.com/deano, ok", ["www.example.com/deano"]),
    ],
)
def test_when_a_link_has_any_ending_with_a_path_or_is_said_aloud_then_found(
    text: str, expected: list[str]
) -> None:
    assert found(LinkRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("discord is ghostkid#4471 if the review wants", ["ghostkid#4471"]),
        ("i stream on twitch as NoHomeNoProblem_ and talk", ["NoHomeNoProblem_"]),
        ("snapchat is dani_rae22 or danirae.x on insta", ["dani_rae22", "danirae.x"]),
        ("my handle on everything is kidfromthehome, same on every app", ["kidfromthehome"]),
        ("my discord cloudberry#0921 and my email", ["cloudberry#0921"]),
        ("we were #1 and won #2024", []),
        ("i am on insta as well and snap as well", []),
        ("my username is the same as my name", []),
        ("i watch twitch as much as i can", []),
        # Right after the app's name (writers S and T)
        ("im on twitch ChaosQueenLuna i stream", ["ChaosQueenLuna"]),
        ("i share my story on insta mumwithoutmybabies_ please follow", ["mumwithoutmybabies_"]),
        ("on tiktok everyday and snap sometimes", []),
        ("gt is GhostlyWaffle92 if any other care kids", ["GhostlyWaffle92"]),
        ("we chat on snap, hers is shayy.bby_ shes my sister", ["shayy.bby_"]),
        ("i use Snapchat Instagram and TikTok", []),
    ],
)
def test_when_a_handle_is_written_any_way_then_found(text: str, expected: list[str]) -> None:
    assert sorted(found(NamedHandleRecognizer(), text)) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my NI XY-99-64-42-B which i had to find", ["XY-99-64-42-B"]),
        ("my NI is JT 48 29 17 A", ["JT 48 29 17 A"]),
        ("room AB-12-34 was shut", []),
    ],
)
def test_when_a_ni_number_is_dashed_then_found(text: str, expected: list[str]) -> None:
    assert found(UkNinoRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the crime ref for when he hit me is 14/77309/21 but", ["14/77309/21"]),
        ("the complaint number is 2021/CSC/00912 and", ["2021/CSC/00912"]),
        ("our fostering reference number is FC/0932/HW if", ["FC/0932/HW"]),
        ("His LAC number LAC/55190 was", ["LAC/55190"]),
        ("his UASC reference is UASC-LB-0442.", ["UASC-LB-0442"]),
        ("lodged under PE21C00639.", ["PE21C00639"]),
        ("ring NHS-111 or read about COVID-19 and GCSE/2019 results", []),
        ("born 14/03/2008", []),  # a date
        ("on 2024-01-15 we met", []),  # a date
        ("it was 24/7 and 9/11 and 1/2/3", []),
        ("in 2019-2020 the unit closed", []),
    ],
)
def test_when_a_reference_is_in_parts_then_found(text: str, expected: list[str]) -> None:
    assert found(CourtCaseNumberRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my bday is boxing day 2004 and i", ["boxing day 2004"]),
        ("i was born on new years eve 2003 and", ["new years eve 2003"]),
        ("her birthday is 7th July", ["7th July"]),
        ("a card on my birthday which is the 3rd of june", ["the 3rd of june"]),
        (
            "my date of birth is fifteen May two thousand six but",
            ["fifteen May two thousand six"],
        ),
        (
            "born on the twenty-first of march nineteen ninety nine",
            ["the twenty-first of march nineteen ninety nine"],
        ),
        ("my birthday is one of the worst days", []),
        ("born in may, one of six kids", []),
        ("my birthday is in june, 2004 was a bad year", []),  # no day
    ],
)
def test_when_a_birthday_has_a_year_after_it_then_the_year_goes_too(
    text: str, expected: list[str]
) -> None:
    assert max(found(BirthdayRecognizer(), text), key=len, default=None) == (
        expected[0] if expected else None
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dob 12/03/2009", ["12/03/2009"]),
        ("DOB: 2009-04-09", ["2009-04-09"]),
        ("the score was 2.5/10", []),
        ("12.03-09", []),
        ("2009-04/09", []),
    ],
)
def test_a_numeric_date_keeps_one_separator(text: str, expected: list[str]) -> None:
    assert found(DateOfBirthRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        (
            "my number is oh seven seven double oh nine hundred three two one ok",
            "my number is 07700900321 ok",
        ),
        ("ring seven eight nine one two three, thanks", "ring 789123, thanks"),
        (
            "i have two kids, one is six and one is nine",
            "i have two kids, one is six and one is nine",
        ),
        ("one two three four five", "one two three four five"),  # five digits: left as words
        ("my post code is S six two el tee sorry", "my post code is S62lt sorry"),
        ("my postcode is the same as before ok", "my postcode is the same as before ok"),
    ],
)
def test_digits_said_in_words_are_read_as_digits(text: str, normalised: str) -> None:
    assert normalise(text).text == normalised


def test_a_number_said_in_words_maps_back_to_every_word() -> None:
    text = "ring oh seven seven double oh nine hundred three two one now"
    norm = normalise(text)
    start = norm.text.index("0")
    assert norm.span(start, start + 11, text) == (5, text.index(" now"))


# Issue 16, writers PD and PE: the same types in less obvious forms.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nhs 999 526 01 82 for the dentist thing", ["999 526 01 82"]),
        ("new one 9998 219 930. The GP merged them", ["9998 219 930"]),
        ("her number for the doctors is 99903 08241 i wrote", ["99903 08241"]),
        ("we spent 2019 2020 21 in care", []),  # ten digits that fail the check
        ("call 07700 900 123 now", []),  # eleven digits: a phone number, not ten of them
    ],
)
def test_when_an_nhs_number_is_grouped_any_way_then_found(text: str, expected: list[str]) -> None:
    assert found(UkNhsRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my number BX9021AN , my son is in care", ["BX9021AN"]),
        ("his number is A 9012 CF. He wants to know", ["A 9012 CF"]),
        ("Name Bob, number A2207 FN. Grew up", ["A2207 FN"]),
        ("UK 2020 A levels were a mess", []),  # a year between words
        ("a 1234 go", []),  # capitals only
        ("the M62 and A12 were shut", []),
    ],
)
def test_when_a_code_is_written_in_capitals_around_digits_then_found(
    text: str, expected: list[str]
) -> None:
    assert found(CapitalCodeRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pls send info to me at HMP, prison no JX 7712, i was", ["JX 7712"]),
        ("prisoner number: a1234bc", ["a1234bc"]),
        ("the prison number system is a mess", []),
    ],
)
def test_when_a_prison_number_is_called_one_then_found_in_any_shape(
    text: str, expected: list[str]
) -> None:
    assert found(PrisonNumberWithContextRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I only know the postcode, S 10 2 T N, because", ["S 10 2 T N"]),
        ("post to the hub, Reading, RG1 3 AX", ["RG1 3 AX"]),
        ("u 4 5 me", []),  # spaced out only in capitals
    ],
)
def test_when_a_postcode_is_spaced_out_then_found(text: str, expected: list[str]) -> None:
    assert found(UkPostcodeRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("no credit. 07700 9oo 51O borrowed", "no credit. 07700 900 510 borrowed"),
        ("call 01632 96o 123 now", "call 01632 960 123 now"),
        ("bd7 1ll", "bd7 1ll"),  # a postcode, not a number
        ("07700 900 lol", "07700 900 lol"),  # no digit in it
    ],
)
def test_when_letters_stand_for_digits_in_a_number_then_read_as_digits(
    text: str, normalised: str
) -> None:
    assert normalise(text).text == normalised


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our grandson turns 18 on the thirtieth of March and", ["thirtieth of March"]),
        ("my date of birth is the 5th of the 5th, 2005 and", ["the 5th of the 5th, 2005"]),
        ("i was born on a friday the 13th of october lol", ["the 13th of october"]),
        ("Every year on 9th of June I send a card for my son's birthday", ["9th of June"]),
        ("On 3rd May we moved house, it was chaos", []),
        ("the 5th of the month is payday", []),
    ],
)
def test_when_a_birthday_is_written_around_its_date_then_found(
    text: str, expected: list[str]
) -> None:
    assert found(BirthdayRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "recognizer"),
    [
        (
            "reply to R.Hughes-Pryce [at] btinternet . com , I'm",
            ["R.Hughes-Pryce [at] btinternet . com"],
            0,
        ),
        ("email for me chantelle.m.1990 @ gmail", ["chantelle.m.1990 @ gmail"], 0),
        ("i was at school . com", [], 0),
        ("my gmail is dannyboy.2007 if u need it", ["dannyboy.2007"], 1),
        ("my email is down again", [], 1),
        (
            "check instagram dot com slash jordaan underscore fc thats",
            ["instagram dot com slash jordaan underscore fc"],
            2,
        ),
        ("tayy.b0 thats me", ["tayy.b0"], 3),
        ("follow .rhys.jpeg 4 follow", [".rhys.jpeg"], 3),
        ("my mates can find me on ghostlyfinn only", ["ghostlyfinn"], 4),
        ("find me on facebook", [], 4),
        ("find me on there", [], 4),
    ],
)
def test_when_contact_details_are_written_loosely_then_found(
    text: str, expected: list[str], recognizer: int
) -> None:
    recognizers = (
        EmailRecognizer,
        SpokenEmailRecognizer,
        LinkRecognizer,
        NamedHandleRecognizer,
        HandleAfterAppRecognizer,
    )
    assert found(recognizers[recognizer](), text) == expected
