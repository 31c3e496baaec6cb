"""Issue 16, fifth session: the general forms writers PN to PQ showed, each with positive and
negative cases. Well-known names that are no one, rooms and cells, numbers typed with letters or
half in words, probation and complaint references, church schools by their dedication, agencies,
names by how a text introduces them, directions to where someone sleeps, and dotted handles."""

from __future__ import annotations

import random
import re

import pytest

from privacy import Redactor
from privacy.normalise import normalise
from privacy.recognizers.contact import NamedHandleRecognizer
from privacy.recognizers.name_cues import ends_sentence
from privacy.recognizers.places import LooseAddressRecognizer
from privacy.recognizers.schools import SchoolAfterVerbRecognizer
from privacy.recognizers.uk_ids import ReferenceWithContextRecognizer, UkPrisonNumberRecognizer
from privacy.wellknown import well_known
from tests.privacy.helpers import found


@pytest.mark.parametrize(
    "text",
    [
        "Bob's your uncle, another month skint.",
        "Every Tom, Dick and Harry in that jail had kids on the outside.",
        "watched Top Boy and Tracy Beaker as a kid and thought thats what care is",
        "harry potter lived in a cupboard under the stairs n thats basically my last placement",
        "wears Tommy Hilfiger because his birth dad did, Ralph Lauren for the school photo",
        "Crisis, Shelter and Centrepoint all said the same thing. Youre not priority.",
        "then Alton Towers in the summer. Just normal stuff.",
        "NEEDS A LAW LIKE SARAH'S LAW BUT FOR KIDS OF PRISONERS.",
        "ST GEORGE'S DAY, ST PATRICK'S DAY, DIWALI - THE HOME DID EVERY FESTIVAL",
        "HMP is short for His Majesty's Prison, i learned that at 14",
        "the away game at Accrington Stanley was mint",
        "Kids in resi get nothing at 18, its Staying Close if ur lucky",
        "in our area the hub is a rebadged Sure Start centre with half the staff",
        "Training from the Judicial College has been excellent.",
        "In Wigan and Leigh we've been trialling family hubs",
        "Miss the X21 and youve missed your kids",
        "I'm her aunt comma I'm 62 comma and I gave up my job full stop",
        "Church hall on Wednesdays, Scouts on Thursdays, football at the Rec",
        "Ours happened in a room at the civic centre, with 9 professionals",
        "Promoting the Health and Wellbeing of Looked-After Children, 2015",
    ],
)
def test_when_a_name_is_well_known_or_a_word_then_every_word_stays(
    redactor: Redactor, text: str
) -> None:
    assert redactor.redact(text).text == text


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Bob's your uncle said Dave, my social worker", "Dave"),
        ("my sister Tracy and her son came to the review", "Tracy"),
        ("my brother Leigh and my mum moved to Wigan", "Leigh"),
        ("the Morrisons next door took us in for a week", "Morrisons"),
    ],
)
def test_when_a_name_only_sits_beside_a_well_known_one_it_still_goes(
    redactor: Redactor, text: str, gone: str
) -> None:
    assert gone not in redactor.redact(text).text


def test_well_known_phrases_are_matched_whole_and_ignore_case() -> None:
    text = "BOBS YOUR UNCLE. tracy beakers mum. Sainsbury's and sainsburys"
    found = [text[s:e] for s, e in well_known(text)]
    assert found == ["BOBS YOUR UNCLE", "Sainsbury's", "sainsburys"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm staying at the Foyer comma room 14 full stop", ["room 14"]),
        ("cell 2-14 on Bravo wing and I've not seen them", ["cell 2-14 on Bravo wing"]),
        ("write to me cell 3-22, C wing HMP Leeds", ["cell 3-22, C wing"]),
        ("AT THE GLENVIEW B&B ROOM 6 WITH 3 KIDS", ["ROOM 6"]),
        ("we had one room 4 of us", []),
        ("a room 3 metres wide for two kids", []),
        ("we waited in the family room for 2 hours", []),
    ],
)
def test_when_a_room_or_cell_is_numbered_then_it_is_part_of_an_address(
    text: str, expected: list[str]
) -> None:
    assert found(LooseAddressRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("ring me on o77oo 9oo 562 thats my new number", "07700 900 562"),
        ("O77OO 9OO l5O is my number", "07700 900 150"),
        ("ring 07700 900 two one two ask for me", "07700900212"),
        ("NHS number is nine nine nine 2 three one nine four eight eight", "9992319488"),
        ("ring 07700 nine hundred 331", "07700900331"),
    ],
)
def test_numbers_typed_with_letters_or_half_in_words_are_read_as_digits(
    text: str, digits: str
) -> None:
    assert digits in normalise(text).text


@pytest.mark.parametrize(
    "text",
    [
        "I have 2 kids, one 5 and one 7",
        "we waited 3 years 2 months for one meeting",
        "one two three, here we go",
        "at 10 lol we left",
        "flat 1ll on bd7 1ll road",
    ],
)
def test_counts_said_beside_digits_stay_as_written(text: str) -> None:
    assert normalise(text).text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my offender manager is Dave. CRN D338120. I have a licence", ["D338120"]),
        ("case CRN: E 771 402. My 2 kids are in care", ["E 771 402"]),
        ("Ref for my complaint to the council: CMP-\n224019. It's about", ["CMP-\n224019"]),
        ("Officer Smith, collar 4417. Happy to be contacted", ["4417"]),
        ("My student number is 2204 7731 and finance keep saying", ["2204 7731"]),
        ("The case from 2019: 2 kids were moved", []),
        ("the case went to court 3 times in 2021", []),
    ],
)
def test_when_a_probation_or_complaint_reference_is_given_then_found(
    text: str, expected: list[str]
) -> None:
    assert found(ReferenceWithContextRecognizer(), text) == expected


def test_a_prison_number_wrapped_over_a_line_is_found() -> None:
    assert found(UkPrisonNumberRecognizer(), "number A1934\nEV\nI was in care") == ["A1934\nEV"]
    assert found(UkPrisonNumberRecognizer(), "year 9\nno\nthanks") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hes at Holy Cross now and doing well", ["Holy Cross"]),
        ("the girls are settled at Sacred Heart but the plan says", ["Sacred Heart"]),
        ("new school Our Lady's didnt even do the same exam board", ["Our Lady's"]),
        ("listed his school as Allestree Park which he left", ["Allestree Park"]),
        ("we went to Holy Trinity church on Sunday", []),
        ("she said a prayer to the Sacred Heart", []),
    ],
)
def test_when_a_church_school_is_named_by_its_dedication_then_found(
    text: str, expected: list[str]
) -> None:
    assert found(SchoolAfterVerbRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        ("Was in a B&B called the Harbour Lights in Weymouth", "Harbour Lights", "Weymouth"),
        ("had my baby at Rosewood MBU and they took her", "Rosewood MBU", "baby"),
        ("We adopted through Faithful Hearts Adoption (a Christian agency)", "Faithful", "agency"),
        ("The office at Meadowgate Adoption Centre closed", "Centre", "office"),
        ("the Regional Adoption Agency took over and Adoption UK helped", "", "Regional"),
        ("sry wrong number meant to text tash", "tash", "wrong"),
        ("its ace (thats my nickname not my real name lol) im 16", "ace", "nickname"),
        ("u can email me thats me amz. or whatever", "amz", "email"),
        ("holly here, 15, been in care since 6", "holly", "care"),
        ("save it as pickle lol thats what my mates call me", "pickle", "mates"),
        ("MY SOCIAL WORKER CHESTER IS SOUND BUT HE NEVER HAS TIME", "CHESTER", "SOUND"),
        ("Please pass on to Dawn at the centre that we are well", "Dawn", "centre"),
        ("my key worker actualy listens to me", "", "actualy"),
        ("my foster carer moved away last year", "", "moved"),
        ("posting videos as lil.miss.kay with her jumper on", "lil.miss.kay", "jumper"),
        ("snap me its jaybo dot 22 with a dot not the word", "jaybo dot 22", "word"),
        ("e.g. at 10.30 a.m. see www or 1.2.3", "", "10.30"),
    ],
)
def test_names_places_and_handles_by_how_they_are_introduced(
    redactor: Redactor, text: str, gone: str, kept: str
) -> None:
    out = redactor.redact(text).text
    assert not gone or gone not in out
    assert kept in out


@pytest.mark.parametrize(
    ("text", "left"),
    [
        (
            "the bailiffs came to the end terrace with the green door opposite the Spar on "
            "Moor Lane and my kids watched",
            "the bailiffs came to [address] and my kids watched",
        ),
        (
            "Tell them I'm at the bus shelter outside the old library on Market Place most nights",
            "Tell them I'm at [address] most nights",
        ),
        (
            "we are 3 families at number 8 the blue door after the mosque on Derby Road, one "
            "kitchen",
            "we are 3 families at [address], one kitchen",
        ),
    ],
)
def test_directions_to_where_someone_sleeps_go_with_the_street(
    redactor: Redactor, text: str, left: str
) -> None:
    assert redactor.redact(text).text == left


def test_the_sentence_start_test_matches_the_expression_it_replaced() -> None:
    expression = re.compile(r"[.!?\n]\s*$")
    rng = random.Random(1)
    for _ in range(20_000):
        text = "".join(rng.choice("ab .!?\n\t\u00a0") for _ in range(rng.randint(0, 8)))
        for at in range(len(text) + 1):
            assert ends_sentence(text, at) == bool(expression.search(text[:at]))


def test_the_handle_recognisers_are_unchanged_for_plain_words() -> None:
    assert found(NamedHandleRecognizer(), "snap is better than insta tbh") == []


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        ("i turn 18 on sat 15th june and i still dont know", "15th june", "still"),
        ("Its my daughter Amira birthday on the 9th and I'm not allowed", "9th", "allowed"),
        ("Birthday of the boy we care for is 30/11 and we got told", "30/11", "told"),
        ("half my birthday money went on 2/3 of a phone", "", "2/3"),
        ("ill tell u everything about fernbank its grim there", "fernbank", "grim"),
        ("I left care at 18 from Hillcrest and went into a hostel", "Hillcrest", "hostel"),
        ("am i allowed to say Pinewood is the best home ive been in", "Pinewood", "best"),
        ("Leeds is the best home for us", "", "Leeds"),
        ("i used to go beckfoot but got excluded, we do 3 lessons a day", "beckfoot", "lessons"),
        ("we go home and do homework, teachers are fine", "", "home"),
        ("OUTREACH FOUND ME ON OXFORD ROAD BY THE BIG TESCO. THEY WERE DECENT", "TESCO", "DECENT"),
        ("we live on Oxford Road by the way and it is fine", "Oxford", "by the way"),
        ("im jo btw, 15, in care", "jo", "care"),
        ("Sue, our supervising social worker, said the agency would sue us", "Sue,", "agency"),
        ("Tee here. need a bed tonight", "Tee", "bed"),
        ("Sign here, here's your flat", "", "Sign"),
        ("Im a mam from Merthyr, my boy is 11.", "", "Merthyr"),
        ("my cellmate Rafał read the letter to me", "Rafał", "letter"),
        ("Saint Patrick's day my carers made green pancakes", "", "Patrick"),
        ("everyone else goes to Majorca and we go to the leisure centre", "", "Majorca"),
        ("Nacro helped with housing before release", "", "Nacro"),
        ("We're a Romany Gypsy family from the fair", "", "Romany"),
    ],
)
def test_second_round_forms(redactor: Redactor, text: str, gone: str, kept: str) -> None:
    out = redactor.redact(text).text
    assert not gone or gone not in out
    assert kept in out
