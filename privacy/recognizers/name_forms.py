"""Names said by their form: spelt out letter by letter, or set off and said who they are."""

from __future__ import annotations

from privacy.recognizers.base import SpanPatternRecognizer
from privacy.recognizers.name_cues import RELATIONS
from privacy.recognizers.wordlists import (
    ambiguous_names,
    english_words,
    first_names,
    made_from_english,
    ordinary_words,
    place_words,
    vicary_given_names,
)


class SpeltNameRecognizer(SpanPatternRecognizer):
    """A name spelt out letter by letter: "this is jayde spelt j a y d e", "spelled J-A-Y-D-E"."""

    ENTITY = "PERSON"
    PATTERNS = (
        (
            "spelt out",
            r"\b(?:spelt|spelled|spelling|spell it|spells|spelt like|spelled like)[\s:,]+"
            r"(?P<v>[a-z](?:[\s.\-]{1,2}[a-z](?![a-z])){2,14})",
            0.6,
        ),
    )


class NameThenRelationRecognizer(SpanPatternRecognizer):
    """A name set off by a comma and said who it is: "Summer, our foster daughter, has been with
    us since she was 2", "deano, my keyworker, sorted it". The word must be a given name, a
    word-name, or no English word ("Honestly, my social worker ..." stays)."""

    ENTITY = "PERSON"
    PATTERNS = (
        (
            "name, our relation",
            r"(?:^|[.!?;:(]\s*|\n\s*|\band\s+|\bbut\s+)(?P<v>[A-Za-z][a-z'\-]{1,20}),\s+"
            r"(?:our|my|his|her|their|me|the)\s+(?:(?:foster|adopted|adoptive|birth|step|"
            r"eldest|youngest|little|big|older|younger|new|old|lovely|amazing|current|first)\s+)?"
            r"(?:" + RELATIONS + r")\b",
            0.6,
        ),
        # "O'Hare from the advocacy service", "McCourt said": Irish and Scottish surnames by shape
        (
            "O' or Mc surname",
            r"(?<![\w'])(?P<v>(?-i:O['\u2019][A-Z][a-z]{2,}|Mc[A-Z][a-z]{2,}|Mac[A-Z][a-z]{2,}))(?![\w'])",
            0.6,
        ),
        (
            "a name, then who in brackets",
            r"(?<![\w'])(?P<v>(?-i:[A-Z])[a-z'\-]{1,20})\s+\((?:my|his|her|their|our|the)\s+"
            r"(?:[a-z']+\s+)?(?:" + RELATIONS + r"|da|ma|mam)\b",
            0.6,
        ),
        (
            "a name between commas, then who",
            r",\s+(?P<v>(?-i:[A-Z])[a-z'\-]{1,20}),\s+(?:she|he|they)\s+(?:was|is|came|come|comes|"
            r"helped|said|never|always|did|got|made|took|listened|sorted|would|will|has|had)\b",
            0.6,
        ),
    )

    def validate_value(self, value: str) -> bool:
        """A given name, a word-name ("Summer"), or a word in no dictionary ("deano")."""
        low = value.lower()
        if low in first_names() or low in ambiguous_names():
            return True
        if low in ordinary_words() or low in place_words():
            return False
        rare = low not in english_words() and not made_from_english(low)  # not "Sadly"
        return low in vicary_given_names() or rare


class WhosePhoneRecognizer(SpanPatternRecognizer):
    """Whose phone a message is sent from: "this is gaz on Tel's phone", "on a lend of kezs
    phone"; not "on my mates phone" or "using the hostels phone"."""

    ENTITY = "PERSON"
    PATTERNS = (
        (
            "whose phone",
            r"\b(?:on|using|borrowed|borrowing|lend of|from)\s+(?P<v>[A-Za-z][a-z\-]{1,20})(?=(?:'s|s)\s+"
            r"(?:phone|mobile|tablet|laptop|fone)\b)",
            0.6,
        ),
    )

    def validate_value(self, value: str) -> bool:
        """A capitalised word that is no service or town, or a word in no dictionary."""
        low = value.lower()
        if low in ordinary_words() or low in place_words():
            return False  # "on Mums phone", "the Hostel's phone"
        if low in english_words():  # never a listed name (english_words leaves those out)
            return value[:1].isupper()  # "on Tel's phone", not "on my mates phone"
        return low in first_names() or not made_from_english(low)
