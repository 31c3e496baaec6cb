"""Dates of birth and first names: positive and negative cases."""

from __future__ import annotations

import pytest

from privacy.recognizers.dates import BirthdayRecognizer, DateOfBirthRecognizer
from privacy.recognizers.name_cues import is_cased
from privacy.recognizers.name_forms import NameThenRelationRecognizer
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my birthday is boxing day so i always got forgot", ["boxing day"]),
        ("7th aug is my bday n last year", ["7th aug"]),
        ("7th aug is my sisters bday", ["7th aug"]),
        ("turned 18 on the 30th of march and the next week", ["30th of march"]),
        ("She turns 11 on 4th May. Every year", ["4th May"]),
        ("It was her birthday the next day, Boxing Day. She turned 4", ["Boxing Day"]),
        ("we had christmas day at my nans", []),
        ("i was 15 on the bus", []),
        ("my birthday was rubbish", []),
        # In figures after birthday words (writer R): "23/8", "born on 19/11".
        ("bday is 23/8 if u wanna know", ["23/8"]),
        ("born on 19/11 so im a scorpio", ["19/11"]),
        ("my birthday: 3.4 every year", ["3.4"]),
        ("half my birthday money went on 2/3 of a phone", []),
        ("born 2008 and moved 3/4 times", []),
        # Our own forms: month and year, "april the 9th", spaced figures, a year in words.
        ("i was born in march 2009 in hull", ["march 2009"]),
        ("born march 2009", ["march 2009"]),
        ("my bday is april the 9th", ["april the 9th"]),
        ("dob 09 04 2010 and", ["09 04 2010"]),
        ("date of birth 9th april twenty ten", ["9th april twenty ten"]),
        ("the review was in march 2009", []),
        ("my birthday is in may", []),
        ("The girls' birthdays are 11th March and 30th July, and", ["11th March", "30th July"]),
        ("happy bday to me lol its the 9th of march and nobody", ["the 9th of march"]),
        ("its my birthday on the 3rd n nobody knows", ["the 3rd"]),
        ("my birthday on the 3rd of may", ["the 3rd of may"]),
        ("after my birthday the court is on the 3rd", []),
        ("dob is on the form", []),
    ],
)
def test_when_a_birthday_has_no_year_then_found(text: str, expected: list[str]) -> None:
    assert found(BirthdayRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tell hope i said thanks for listenin", ["hope"]),
        ("ask big dev he was in there wiv me", ["big dev"]),
        ("lil j n me got split up", ["lil j"]),
        ("gethin n dafydd r my foster brothers", ["gethin", "dafydd"]),
        ("auntie funmi is the only carer", ["funmi"]),
        ("me n chidi were the only black kids", ["chidi"]),
        ("its tunde lol. 14, in foster care", ["tunde"]),
        ("foster mum calls me lily cos", ["lily"]),
        ("jack my old keyworker gave up his breaks", ["jack"]),
        ("My youngest, Summer, was adopted in 2018.", ["Summer"]),
        ("some lad jacked my phone at the hostel", []),
        ("hunter wellies n a bin bag of clothes", []),
        ("TELL SHARON SHE NEVER LISTENED", ["SHARON"]),  # a listed name in capitals
        ("after i took an overdose n my sw visited once", []),
        ("a big lad and a little one", []),
        ("faith is my worker at the hostel", ["faith"]),
        ("summer my foster sister is the best", ["summer"]),
        ("amber and me ran away together", ["amber"]),
        ("Our foster son Will asked me to put this in", ["Will"]),
        ("Dawn from Medway fostering, we need more", ["Dawn"]),
        ("Grace before dinner every night", []),
        ("victoria sponge at my review lol", []),
        # Writers S and T: a month after a day is no name; "mother of", "nanna to"; capitals a
        # lower-case writer chose.
        ("Court is on the 3rd of June and I", []),
        ("we moved in June and it was fine", []),
        ("I am the mother of Temi (born 2015)", ["Temi"]),
        ("I'm nanna to Lily-Rose. She has been with me", ["Lily-Rose"]),
        ("the last one Precious was amazing tho", ["Precious"]),
        ("i have no Hope left", ["Hope"]),  # a cost of the rule above, written down
        ("Geoff and I are at the group if anyone", ["Geoff"]),
        ("Leeds and I never got on", []),
        ("My grandson supports Hull City and I take him", []),
        ("the coach from Victoria took 6 hours", []),
        ("Our Bex (my daughter's eldest) has been in a unit", ["Bex"]),
        ("I'm a kinship carer and a nurse. Juggling shifts is hard", []),
        ("I had done everything the PAMS assessment said", []),
        ("Youth worker, Ceredigion. Rural young carers are invisible", []),
        ("Welsh-speaking children lose their language", []),
        ("Bill for council tax came even tho", []),
        ("Rose from nothing to university.", []),
        ("My daughter will read those letters one day.", []),
        ("Our social worker drew up a support plan.", []),
        ("The judge gave our son a teddy.", []),
        ("judge made a care order n i found out", []),
        ("then they wonder why i miss appointments", []),
        ("The IRO Handbook is clear.", []),
    ],
)
def test_when_a_name_is_also_a_word_then_only_context_makes_it_a_name(
    text: str, expected: list[str]
) -> None:
    assert sorted(found(FirstNameRecognizer(), text)) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "cased"),
    [
        ("My daughter will read those letters. She is 9.", True),
        ("i live at Oakwood House its alright", False),
        ("its jaz, phone is 07700 900123", False),
        ("I'm a Children's Guardian with Cafcass.", True),
    ],
)
def test_a_writer_who_uses_capitals_is_told_apart(text: str, cased: bool) -> None:
    assert is_cased(text) is cased


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Our own cases (issue 16): a surname before a household word, a word-name before a
        # surname, "our <Name>", police and clergy titles, and "im <word>" only as a name.
        ("The Hargreaves family have been allocated to me", ["Hargreaves"]),
        ("the okonkwo family were lovely to us", ["okonkwo"]),
        ("Quick update on the Begum siblings: all well", ["Begum"]),
        ("The Mahmood children's guardian was away", ["Mahmood"]),
        ("I know the Smith family well", ["Smith"]),
        ("Every time, Victoria Climbié, and others", ["Victoria Climbié"]),
        ("Our Jack's lad started school", ["Jack's"]),
        ("My colleague PC Lawson rang", ["PC Lawson"]),
        ("[email] is my email, im mahad 17", ["mahad"]),
        ("hi im zeb, 15, from leeds", ["zeb"]),
        ("he calls us nanny sue n grandpa ken", ["sue", "ken"]),
        ("We are a Polish family living in Hull", []),
        ("were not all naughty kids. im predicted 7s", []),
        ("the naughty kids got the blame", []),
        ("Loving families need support, money and time.", []),
        ("the loving family we were promised", []),
        ("Prioritise family preservation and poverty-aware practice", []),
        # Issue 16, over-redaction seen on another writer's answers: English words after a cue.
        ("my carers didnt know and laughed about it", []),
        ("tell landlords care leavers aren't a risk", []),
        ("because of the damp and overcrowding but", []),
        ("As an IRO I've chaired reviews", []),
        ("i go without meals when im skint", []),
        ("the foster family were kind", []),
        ("The birth family has no contact", []),
        ("our will to keep going was tested", []),
        ("Victoria Station at 6am", []),
        ("my keyworker is leaving n im gutted she was the one", []),
        ("im knackered after the hearing", []),
        ("he plays on the pc games all night", []),
        ("1420hrs. Res. OKAFOR asked to ring his daughter", ["OKAFOR"]),
        ("Placement meetings should happen BEFORE the child arrives.", []),
    ],
)
def test_when_context_marks_a_surname_or_name_then_found(text: str, expected: list[str]) -> None:
    assert sorted(found(FirstNameRecognizer(), text)) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Summer, our foster daughter, has been with us since she was 2.", ["Summer"]),
        ("deano, my keyworker, sorted it", ["deano"]),
        ("We met Kemi, her social worker, once", []),  # not after a break: other rules' job
        ("It was hard. Priya, my sw, never came", ["Priya"]),
        ("Honestly, my social worker was great", []),
        ("Anyway, our foster carer left", []),
        ("Sadly, my mum died", []),
        ("Leeds, my home town, is great", []),
        ("adviser was good tho, Jas, she came to every appointment", ["Jas"]),
        ("After that, Sadly, she never came", []),
        ("Rab (his da) is in the Royal again", ["Rab"]),
        ("Leeds (my home town) is great", []),
    ],
)
def test_when_a_name_is_set_off_and_said_who_it_is_then_found(
    text: str, expected: list[str]
) -> None:
    assert found(NameThenRelationRecognizer(), text) == expected
