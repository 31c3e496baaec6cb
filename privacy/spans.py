"""What the recognisers found, made whole: the words around an identifier that belong to it.

Each rule here works on spans already found, so it adds no guess of its own about what is an
identifier, only about where one ends, or about a name that is no person:
- letters glued to a number ("H1287764": the H is part of the reference);
- a name's initials, title, family title and surname: "J. Mensah", "Mr S. Adebayo", "Mr and Mrs
  Okafor", "ask for auntie pat", "Nana Akosua raised me" (but "my auntie [name]": after "my" the
  word says who she is to the writer, not what she is called), "Dawit Haile" in cased text;
- a name written again: a rare name found once is removed wherever the same word comes again
  ("Mrs Okafor ... Okafor said"), unless it is also a word ("our buddy");
- an address's house, floor and lines: "the end house on [the street]", "4th Floor, [address]",
  "The Old Forge, Church Lane, Little Haddow, [postcode]" (never a town or a council);
- a list of places: "the homes i was in: Brambles, Thornfield House, The Cedars" (a capitalised
  item next to a named place, in the same list, is a named place too), and two schools or places
  joined by "and" ("Marlowe Infant and Nursery School");
- not a person: a pet ("Rosie the dog"), a line ("Jubilee line"), a word joined to a town at the
  end of a list ("in Lincoln and Boston.").
"""

from __future__ import annotations

import itertools
import re
from functools import cache

from presidio_analyzer import RecognizerResult

from privacy.recognizers.name_cues import KIN, THING_AFTER
from privacy.recognizers.wordlists import (
    GENERIC,
    STOP,
    ambiguous_names,
    dictionary_words,
    english_words,
    keep_words,
    ordinary_words,
    place_words,
    towns,
)

_GLUED_TYPES = frozenset({"OTHER_ID", "UK_PRISON_NUMBER", "UK_NHS", "UK_NINO", "UK_POSTCODE"})
_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){1,3}$")
_TITLE = re.compile(
    r"(?<![\w'])(?:(?:mr|mrs|ms|dr)\.?\s*(?:and|&)\s*)?(?:(?:mr|mrs|ms|mx|dr|prof)\.?|"
    r"(?-i:Father|Pastor|Imam|Rabbi|Sister|Brother|Reverend|Rev)|pani|(?-i:Pan))\s+$",
    re.IGNORECASE,
)
_FAMILY_TITLE = re.compile(rf"(?<![\w'])(?:{KIN}|big|lil)\s+$", re.IGNORECASE)
_OWNER = re.compile(
    r"(?<![\w'])(?:my|our|your|his|her|their|the|a|an|me|ur|yr|mi)\s+$", re.IGNORECASE
)
# How people point to a house on a street: "the end house on Fernbank Close", "no 27c the one
# with the blue door on Marlow Street", "the blue house on the corner of Mill Lane".
# Homes, and where people sleep rough or stop: "the tent by the underpass near Halfords on".
_HOME = (
    r"house|flat|bungalow|terrace|door|cottage|caravan|maisonette|block|semi|tent|doorway|"
    r"bus shelter|arches|subway|underpass|lay-by|layby|bench|site|plot|pitch"
)
_HOUSE_ON = re.compile(
    r"(?<![\w'])(?:(?:(?:no\.?|number)\s*\d{1,4}[a-z]?,?\s+)?(?:the|a)\s+(?:[a-z]+\s+){0,2}"
    r"(?:" + _HOME + r"|one|building|shop)"
    r"(?:\s+(?:with|next to|by|opposite|behind|over|above)\s+(?:the|a)\s+(?:[a-z]+\s+){0,2}[a-z]+)?"
    r"\s+(?:on|at|in|off|along|down|up)\s+(?:the\s+(?:corner|end|top|bottom)\s+of\s+)?"
    r"|the\s+corner\s+of\s+"
    r"|(?:(?:above|over|behind|next to|opposite|beside)\s+)?"
    r"the\s+(?:(?:big|little|old|new|small|corner|24 hour)\s+)?"
    r"(?!(?:way|road|street|bus|train|phone|news|radio|telly|tv)\b)[a-z]+(?:'s)?\s+"
    r"(?:on|off)\s+)$",
    re.IGNORECASE,
)
# Directions to a home, ending where its street begins: "the house with the green gate opposite the
# chapel on", "2 doors down from the surgery on", "the bungalow at the bottom of". No verb or
# pronoun inside, and within one sentence.
_DIRECTIONS = re.compile(
    r"(?<![\w'])(?:(?:(?:no\.?|number)\s*\d{1,4}[a-z]?,?\s+)?(?:the|a|an)\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:houses|flats|" + _HOME + r"|end one|one)"
    r"|\d{1,2}\s+doors?\s+(?:down|up|along))"
    r"(?:(?!\b(?:was|is|are|were|and|but|because|said|i|we|he|she|they|my|our|live|lives)\b)"
    r"[^.;!?\n]){0,90}?\s(?:on|in|off|of|from)\s+$",
    re.IGNORECASE,
)
# The same, when the address already starts at a landmark ("opposite the chapel on Pant Road").
_DIRECTIONS_TO_LANDMARK = re.compile(
    _DIRECTIONS.pattern[: -len(r"\s(?:on|in|off|of|from)\s+$")] + r"\s+$", re.IGNORECASE
)
_LANDMARK = re.compile(r"(?:opposite|behind|next to|beside|above|over|near|by)\s", re.IGNORECASE)
_HOME_WORD = re.compile(r"\b(?:houses|flats|" + _HOME + r")\b", re.IGNORECASE)
_NOT_LANDMARKS = frozenset(
    "way time end look moment rest same weekend day night of to for in on at".split()  # noqa: SIM905
)
_ENDS_IN_A_STREET = re.compile(
    r"\b(?:road|rd|street|st|lane|ln|avenue|ave|way|close|drive|crescent|terrace|place|grove)\.?$",
    re.IGNORECASE,
)
# "c/o The Wells day centre, 3 Queen Street": who the post goes through is part of the address
_CARE_OF = re.compile(r"(?<![\w/])c/o\s+[^,\n]{1,40},\s*$", re.IGNORECASE)
# After the street: ", the one with the boarded window", "by the old pottery".
_NOT_IN_A_LANDMARK = r"(?!(?:and|but|so|or|he|she|they|we|i|is|was|hes|shes|its|it|if|then)\b)"
_DIRECTIONS_AFTER = re.compile(
    r"(?:,?\s+the one|,?\s+(?:by|opposite|next to|behind|near))\s+(?:with\s+)?(?:the|a)\s+"
    rf"(?:{_NOT_IN_A_LANDMARK}[\w'-]+\s+){{0,2}}?{_NOT_IN_A_LANDMARK}[\w'-]+(?=[\s,.;!?]|$)"
    rf"(?!\s+{_NOT_IN_A_LANDMARK}[a-z])",
    re.IGNORECASE,
)
# "4th Floor, 1 Civic Way", "Unit 7, 3 Mill Road": the part of a building before its address.
_FLOOR = re.compile(
    r"(?<![\w'])(?:(?:\d{1,2}(?:st|nd|rd|th)|ground|first|second|third|top)\s+floor|"
    r"(?:flat|unit|suite|room|apartment|plot|pitch|bay)\s*\d{1,4}(?:\.\d{1,3})?[a-z]?|"
    r"\d{1,2}f\d{1,2}|\d{1,2}/\d{1,2}),?\s+$",
    re.IGNORECASE,
)
# An address line before an address or postcode: "The Old Forge, Church Lane, Little Haddow, IP14".
_GREETINGS = frozenset("dear hi hello hiya thanks yours regards to from re subject sent".split())  # noqa: SIM905
# An address line before it, ended by a comma or a line break ("The Old Forge\n7 Church Row").
_LINE = re.compile(
    r"(?:^|(?<=[\s,:;(]))((?:The[ \t]+)?[A-Z][\w'\-]*(?:[ \t]+[A-Z][\w'\-]*){0,3})"
    r"(?:,\s*|[ \t]*\n\s*)$"
)
_PETS = (
    r"dog|cat|puppy|kitten|rabbit|bunny|hamster|guinea pig|horse|pony|budgie|parrot|tortoise|"
    r"goldfish|fish|snake|lizard|ferret"
)
# What follows a pet's name, or a line's: "Rosie the dog", "the Jubilee line".
_NOT_A_PERSON_AFTER = re.compile(
    r"\s+(?:the\s+(?:" + _PETS + r")|line)\b",
    re.IGNORECASE,
)
# "the dog is called Biscuit", "our cat named Tigger"
_PET_CALLED = re.compile(
    rf"\b(?:{_PETS})s?\s+(?:is\s+|was\s+|'s\s+)?(?:called|named)\s+$", re.IGNORECASE
)
_PLACE_WORDS = r"(?:in|to|from|near|around|between|at|across)"
_COUNT_BEFORE = re.compile(
    r"(?<![\w/:.,-])(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten)\s+$"
)
_TOWN_BEFORE = re.compile(rf"\b{_PLACE_WORDS}\s+([A-Z][\w'\-]+)\s+(?:and|or|&)\s+$")
_TOWN_AFTER = re.compile(r"\s+(?:and|or|&)\s+([A-Z][\w'\-]+)")
_AT_PLACE = re.compile(rf"\b{_PLACE_WORDS}\s+$")
_LIST_END = re.compile(r"\s*(?:[.,;:!?)]|$)")
_NEXT_CAPITAL = re.compile(r" ([A-Z][a-z'\-]+)(?![\w])")
_PARTICLE = re.compile(
    r" (?:van|von|der|den|de|da|di|du|la|le|bin|ibn|al|el)(?: (?:der|den|la|de|los|las))? "
    r"[A-Z][a-z'\-]+"
)
_PARTICLE_BEFORE = re.compile(
    r"(?<![\w'])(?:n[i\u00ed]|nic|[o\u00f3]|u[i\u00ed]|mac|ap|ab)\s+$", re.I
)
_NUMBERED_BEFORE = re.compile(r"(?<![\w.,/])\d{1,4}[a-z]?,?\s+(?:[a-z][a-z'\-]+,?\s+){1,2}$", re.I)
_COUNTED = re.compile(
    r"\b(?:years?|yrs?|old|months?|weeks?|days?|kids|children|times|miles|hours|people|ppl|and|or|"
    r"in|of|from|at|to|on|post\s?code|buses|bus)\b",
    re.I,
)
_ACADEMY_PLACE = re.compile(r" ([A-Za-z][a-z'\-]+)(?![\w'])")
_NAME_WORD = re.compile(r"[^\W\d_]{3,}")
# Words a grown name span holds that are not the name: titles and family titles.
_NOT_A_NAME = frozenset(
    """
    mr mrs ms mx dr prof miss sir dame and auntie aunty aunt uncle nana nanna nan nanny gran
    granny grandma grandad granddad grandpa big lil little
    """.split()  # noqa: SIM905
)
_STREETS = frozenset(
    """
    road rd street st avenue ave lane close way drive court crescent place grove gardens terrace
    walk view hill row square mews parade park rise green house lodge estate
    """.split()  # noqa: SIM905
)
_ITEM = r"(?:The\s+)?[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+){0,2}"
_LIST_AFTER = re.compile(
    r"\s*(?:,|;|\band\b|&)\s*(?P<v>" + _ITEM + r")(?=\s*(?:[,;.:!?)]|and\b|&|$))"
)
_LIST_BEFORE = re.compile(r"(?:^|[:,;(]|\s)\s*(?P<v>" + _ITEM + r")\s*(?:,|;|\band|&)\s*$")


def grow(text: str, r: RecognizerResult, cased: bool = False) -> None:
    """Grow ``r`` over glued letters, a name's initials, title, family title and surname, an
    address's building, floor and address lines."""
    if r.entity_type in _GLUED_TYPES:
        while r.start > 0 and text[r.start - 1].isalnum():
            r.start -= 1
        while r.end < len(text) and text[r.end].isalnum():
            r.end += 1
    elif r.entity_type == "STREET_ADDRESS":
        street = r.start
        house = _HOUSE_ON.search(text, max(0, r.start - 80), r.start)
        if house and text[r.start : r.start + 1].isalpha():
            r.start = house.start()
        floor = _FLOOR.search(text, max(0, r.start - 20), r.start)
        if floor:
            r.start = floor.start()
        way = _DIRECTIONS.search(text, max(0, r.start - 120), r.start)
        if _LANDMARK.match(text, r.start):
            way = _DIRECTIONS_TO_LANDMARK.search(text, max(0, r.start - 120), r.start) or way
        if street != r.start and text[street : street + 1].isalpha():
            # the directions may begin before the house: "the end terrace with the green door
            # opposite the Spar on", "the bus shelter outside the old library on"
            further = _DIRECTIONS.search(text, max(0, street - 120), street)
            if further and (not way or further.start() < way.start()):
                way = further
        if way and text[r.start : r.start + 1].isalpha() and way.start() < r.start:
            r.start = way.start()
        after = _DIRECTIONS_AFTER.match(text, r.end)
        street_then = after and after.group().split()[-1].lower() not in _NOT_LANDMARKS
        if after and (
            _HOME_WORD.search(text, r.start, r.end)
            or (street_then and _ENDS_IN_A_STREET.search(text, r.start, r.end))
        ):
            r.end = after.end()  # "Oxford Road by the big Tesco", "the house by the chapel"
        care_of = _CARE_OF.search(text, max(0, r.start - 60), r.start)
        if care_of:
            r.start = care_of.start()
    elif r.entity_type == "PERSON":
        initials = _INITIALS.search(text, 0, r.start)
        if initials and text[r.start : r.start + 1].isupper():
            r.start = initials.start()
        particle = _PARTICLE_BEFORE.search(text, max(0, r.start - 8), r.start)
        if particle and text[r.start : r.start + 1].isalpha():
            r.start = particle.start()  # "miss ní bhriain", "Mr Ó Sé"
        title = _TITLE.search(text, 0, r.start)
        if title:
            r.start = title.start()
        family = _FAMILY_TITLE.search(text, 0, r.start)
        if family and not _OWNER.search(text, 0, family.start()):
            r.start = family.start()
        particle = _PARTICLE.match(text, r.end)
        if particle:
            r.end = particle.end()  # "Mr Van der Berg", "Anna de la Cruz", "Ali bin Omar"
        surname = _NEXT_CAPITAL.match(text, r.end)
        if surname and cased and surname.group(1).lower() not in _common():
            r.end = surname.end()  # "Dawit Haile": a capitalised word after a name is its surname
    elif r.entity_type == "SCHOOL":
        place = _ACADEMY_PLACE.match(text, r.end)
        if place and re.search(r"(?i)academy$", text[r.start : r.end]) and _academy_place(place):
            r.end = place.end()  # "Oasis Academy Brightstowe", "harris academy peckham"
    if r.entity_type == "UK_POSTCODE":
        house = _NUMBERED_BEFORE.search(text, max(0, r.start - 40), r.start)
        if house and not _COUNTED.search(
            house.group()
        ):  # "send it to 9 ashgrove S6 2LT": a number and a word before a postcode
            r.start, r.entity_type = house.start(), "STREET_ADDRESS"
    if r.entity_type in ("UK_POSTCODE", "STREET_ADDRESS"):
        for _ in range(4):  # "The Old Forge, Church Lane, Little Haddow, IP14 2RJ"
            line = _LINE.search(text, max(0, r.start - 60), r.start)
            if (
                line is None
                or line.group(1).split()[0].lower() in _GREETINGS
                or any(
                    w in place_words() or w in keep_words() for w in line.group(1).lower().split()
                )
            ):
                break  # not a town or a council: "Telford, TF3 1NQ" keeps "Telford"
            r.start = line.start(1)
            r.entity_type = "STREET_ADDRESS"  # the postcode with its address lines


def _academy_place(m: re.Match[str]) -> bool:
    """A chain academy's place name: a town, or a capitalised word in no dictionary."""
    word = m.group(1)
    low = word.lower()
    if low in STOP or low in keep_words():
        return False
    return low in towns() or (word[0].isupper() and low not in english_words())


def person(text: str, r: RecognizerResult) -> bool:
    """False for a pet's name or a line's ("Rosie the dog", "Jubilee line"), and for a word
    joined to a town after "in" or "from" that ends the list ("in Lincoln and Boston."): it
    is a place too ("moved to Leeds and Sarah stayed" keeps Sarah a person)."""
    counted = (
        _COUNT_BEFORE.search(text, max(0, r.start - 12), r.start)
        and text[r.start : r.end].islower()
    )
    pet = _PET_CALLED.search(text, max(0, r.start - 40), r.start)
    owner = text[r.start : r.end].endswith(("'s", "\u2019s"))  # "Amir's review" is Amir's
    thing = THING_AFTER.match(text, r.end) and not owner  # "The Philomena Protocol"
    if _NOT_A_PERSON_AFTER.match(text, r.end) or counted or pet or thing:
        return False  # "3 ambers and ur out": a count makes it a thing
    before = _TOWN_BEFORE.search(text, max(0, r.start - 40), r.start)
    if before and _is_town(before.group(1)) and _LIST_END.match(text, r.end):
        return False  # "in Lincoln and Boston.", not "to Leeds and Sarah stayed"
    after = _TOWN_AFTER.match(text, r.end)
    return not (
        after
        and _AT_PLACE.search(text, 0, r.start)
        and _is_town(after.group(1))
        and _LIST_END.match(text, after.end())
    )


def _is_town(word: str) -> bool:
    return word[:1].isupper() and word.lower() in place_words()


@cache
def _common() -> frozenset[str]:
    """Words that are not a surname or an address line: English words, towns, kept words."""
    return english_words() | ordinary_words() | keep_words() | STOP | _NOT_A_NAME | _STREETS


def repeated_names(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Other places the words of a found name come again, if they are no English words."""
    common = _not_repeated()
    words = (
        {
            m.group().lower()
            for r in results
            if r.entity_type == "PERSON"
            for m in _NAME_WORD.finditer(text, r.start, r.end)
        }
        - common
        - _NOT_A_NAME
    )
    if not words:
        return []
    covered = [(r.start, r.end) for r in results]
    alternatives = "|".join(map(re.escape, sorted(words)))
    rx = re.compile(rf"(?<![\w'])(?:{alternatives})(?!\w)", re.IGNORECASE)
    return [
        RecognizerResult("PERSON", m.start(), m.end(), 0.6)
        for m in rx.finditer(text)
        if not any(s <= m.start() < e for s, e in covered)
    ]


def listed_places(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Capitalised items in the same list as a named place ("Brambles, [place], The Cedars")."""
    common = _not_a_place()
    covered = [(r.start, r.end) for r in results]
    names = {(r.start, r.end) for r in results if r.entity_type == "PERSON"}  # "The [name]"
    found: list[RecognizerResult] = []
    places = [r for r in results if r.entity_type == "NAMED_PLACE"]
    placed = {(r.start, r.end) for r in places}
    while places:
        r = places.pop()
        for m in (
            _LIST_AFTER.match(text, r.end),
            _LIST_BEFORE.search(text, max(0, r.start - 60), r.start),
        ):
            if (
                m is None
                or (m.start("v"), m.end("v")) in placed
                or any(
                    s < m.end("v") and m.start("v") < e for s, e in covered if (s, e) not in names
                )
            ):
                continue  # each place once: "to [name] and [name]" must not go back and forth
            words = re.findall(r"[a-z'\-]+", m.group("v").lower())
            if all(w in common for w in words if w != "the"):
                continue  # "Leeds", "Social Services", "Then": no name of its own
            new = RecognizerResult("NAMED_PLACE", m.start("v"), m.end("v"), 0.55)
            placed.add((new.start, new.end))
            covered.append((new.start, new.end))
            found.append(new)
            places.append(new)
    return found


def joined(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Two schools or places joined by "and" are one span: "Marlowe Infant and Nursery School"."""
    spans = sorted(
        (r for r in results if r.entity_type in ("SCHOOL", "NAMED_PLACE")), key=lambda r: r.start
    )
    return [
        RecognizerResult(a.entity_type, a.start, b.end, min(a.score, b.score))
        for a, b in itertools.pairwise(spans)
        if a.entity_type == b.entity_type
        and re.fullmatch(r"\s+(?:and|&)\s+", text[a.end : b.start], re.IGNORECASE)
    ]


@cache
def _not_repeated() -> frozenset[str]:
    """Words of a found name that are not looked for again: they are also English words."""
    return (
        english_words()
        | dictionary_words()  # "Buddy": a listed name that is also a word is not looked for
        | ambiguous_names()
        | keep_words()
        | place_words()
        | STOP
    )


@cache
def _not_a_place() -> frozenset[str]:
    """Words that give a listed item no name of its own ("Leeds", "Social Services")."""
    return ordinary_words() | keep_words() | place_words() | GENERIC
