"""Named places (a home, unit, ward, hostel, agency or club): positive and negative cases."""

from __future__ import annotations

import pytest

from privacy.recognizers.named_places import NamedPlaceRecognizer
from tests.privacy.helpers import found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the greenhouse foyer kicked me out", ["greenhouse foyer"]),
        ("i was on bramble ward 5 months", ["bramble ward"]),
        ("my son is in Larkspur House in Telford", ["Larkspur House"]),
        ("he goes the arches youth club on tuesdays", ["arches youth club"]),
        ("I left the Brightlings Fostering office in Wakefield", ["Brightlings Fostering office"]),
        ("admitted to Ward 4B with bruising", ["Ward 4B"]),
        ("ran away together twice from the willows", ["the willows"]),
        ("an emergency unit called The Hollies. She was 4", ["The Hollies"]),
        ("The imam at Masjid Al-Huda in Bradford", ["Masjid Al-Huda"]),
        ("been at st vincent's hostel 4 month", ["st vincent's hostel"]),
        ("staff at maple view restrain u", ["maple view"]),
        ("I lived at Holmleigh children's home", ["Holmleigh children's home"]),
        ("worst was hollybank house, the manager", ["hollybank house"]),
        ("I'm a support worker at Fernlea, a 4 bed home in Derbyshire", ["Fernlea"]),
        # Our own cases (issue 16): prisons, family centres, "staying at <a name>".
        ("previously HMP Styal, son with carers", ["HMP Styal"]),
        ("my brother is in hmyoi wetherby now", ["hmyoi wetherby"]),
        ("She was moved to HMP & YOI Askham Grange in May", ["HMP & YOI Askham Grange"]),
        ("visits at the Sunflower family centre are 1 hour", ["Sunflower family centre"]),
        ("contact is at bluebell children's centre", ["bluebell children's centre"]),
        ("She's staying at Meadowbank while they look", ["Meadowbank"]),
        ("Ayesha remains at Oakfield, her brother moved", ["Oakfield"]),
        # Writer R: a court of flats, a prison with a word-name, capitals in a lower-case message.
        ("lived in maple court then ash court", ["maple court", "ash court"]),
        ("she was in hmp new hall for 2 years", ["hmp new hall"]),
        ("me n kai ran away from Oakhurst cos", ["Oakhurst"]),
        ("me n jaz share a room at Holly Bank n its small", ["Holly Bank"]),
        # Our own: projects and centres, and "the <Name>" in capitals in a lower-case message.
        ("i was at the lighthouse project for 6 months", ["lighthouse project"]),
        ("we go to the oasis centre on fridays", ["oasis centre"]),
        ("the drop in at the Bridge was good", ["the Bridge"]),
        ("Mums arrive at Larchfield with nothing, not even a coat.", ["Larchfield"]),
        ("I live in Meadowbank semi independent.", ["Meadowbank"]),
        ("ill tell u everything bout Willowbank", ["Willowbank"]),
        ("i want 2 go back 2 Larchfield cos", ["Larchfield"]),
        ("i been in fairview 2 year its ok", ["fairview"]),
    ],
)
def test_when_a_place_has_a_name_of_its_own_then_found(text: str, expected: list[str]) -> None:
    assert found(NamedPlaceRecognizer(), text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the youth club closed",
        "in the children's home",
        "a mental health ward",
        "the psych ward",
        "a dirty hostel",
        "at my nan's house",
        "a quiet house",
        "the Crown Court",
        "in the care home",
        "Kent County Council",
        "town hall",
        "i was on the ward 5 months",
        "In Leeds, a children's home closed",
        "visits at HMP were cancelled again",
        "the prison never told us",
        "the local family centre shut",
        "contact at a children's centre",
        "she is staying at Christmas with us",
        "he lives at Nan's now",
        "placed at Leeds first then Hull",
        "financial support that matches fostering",
        "in a secure unit 200 miles away",
        "kids should stay in the same school even if they move house",
        "we went to court on the 3rd",
        "the family court was awful",
        "the tennis court at school",
        "i was at Christmas with my nan",
        "we moved from Wolverhampton to Telford",
        "I was at Holly Bank. It was a Home I loved. My Carers Were Kind.",
        "i was at Crown Court",
        "We lost our parenting project last year",
        "a counselling centre in town",
        "i went to the job centre",
        "the town centre is dead",
        "our local sure start centre closed",
        "i got help from the Police",
        "We moved from Stevenage. She lives in Rotherham now.",
        "Mums arrive at Christmas with nothing.",
        "i been in hospital 2 weeks",
        "we moved to rotherham then placed in supported lodgings",
        "i was put into isolation",
    ],
)
def test_when_a_place_is_generic_then_it_stays(text: str) -> None:
    assert found(NamedPlaceRecognizer(), text) == []
