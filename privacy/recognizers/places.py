"""Recognisers for where a person lives: postcodes and street addresses, also written loosely."""

from __future__ import annotations

import re

from privacy.recognizers.base import SpanPatternRecognizer, UKPatternRecognizer

_STREET_TYPES = (
    "road|rd|street|st|avenue|ave|lane|ln|close|cl|way|drive|dr|court|ct|crescent|cres|place|pl|"
    "grove|gardens|gdns|terrace|walk|view|hill|row|square|sq|mews|parade|park|rise|green|fields"
)
# Kinds of street only taken after a house number ("41 Canal Side"; not "the CAMHS side")
_NUMBERED_ONLY = "side|quay|wharf|yard|croft|wynd|brae|vennel"


# A full stop after a street is part of it only when the street is written short ("Mill Rd.").
_ABBREVIATION_STOP = r"(?:(?<=st|rd|ln|cl|dr|ct|pl|sq)\.|(?<=ave|gdn)\.|(?<=cres|gdns)\.)?"


class UkPostcodeRecognizer(UKPatternRecognizer):
    """UK postcodes, also lower-case and unspaced (ls6 2ab, LS62AB).

    Source: Royal Mail Programmers' Guide to PAF, postcode formats A9 9AA, A99 9AA, A9A 9AA,
    AA9 9AA, AA99 9AA, AA9A 9AA; the inward code never uses C, I, K, M, O or V.
    """

    ENTITY = "UK_POSTCODE"
    PATTERNS = (
        (
            "postcode",
            r"(?<![a-z0-9])[a-z]{1,2}\d[a-z\d]?\s?\d[abd-hjlnp-uw-z]{2}(?![a-z0-9])",
            0.6,
        ),  # Spaced between every part, in capitals only: "S 10 2 T N", "RG1 3 AX"
        (
            "postcode spaced out",
            r"(?-i:(?<![A-Za-z0-9])[A-Z]{1,2} ?\d[A-Z\d]? ?\d ?[ABD-HJLNP-UW-Z] ?[ABD-HJLNP-UW-Z]"
            r"(?![A-Za-z0-9]))",
            0.6,
        ),
    )
    CONTEXT = ("postcode", "post code", "live", "address")

    def validate_result(self, pattern_text: str) -> bool:
        """Reject strings that only look like postcodes (a year like 'in 2021' never reaches here)."""
        compact = re.sub(r"\s", "", pattern_text)
        return 5 <= len(compact) <= 7


class StreetAddressRecognizer(UKPatternRecognizer):
    """Street addresses with a house or flat number: 14 Acacia Avenue, flat 2, 37 victoria rd.

    Source: Royal Mail PAF address structure (sub-building, building number, thoroughfare) and
    common thoroughfare suffixes.
    """

    ENTITY = "STREET_ADDRESS"
    PATTERNS = (
        (
            "numbered street",
            r"(?<![a-z0-9])(?:(?:flat|apartment|apt|unit|room)\s*\d+[a-z]?,?\s*)?"
            r"(?:(?:no\.?|number)\s*)?\d{1,4}[a-z]?,?\s+"
            r"(?:[a-z][a-z'-]+\s+){1,3}(?:"
            + _STREET_TYPES
            + "|"
            + _NUMBERED_ONLY
            + r")"
            + _ABBREVIATION_STOP
            + r"(?![a-z])",
            0.65,
        ),
        # Welsh streets put the kind first: "14 Heol y Felin", "41 Stryd y Castell"
        (
            "numbered Welsh street",
            r"(?<![a-z0-9])(?:(?:no\.?|number)\s*)?\d{1,4}[a-z]?,?\s+"
            r"(?:heol|stryd|ffordd|l[oô]n|rhodfa|cilgant|teras|maes|ffordd|pentre)\s+"
            r"(?:(?:y|yr|'r)\s+)?[a-z][a-z'\-]+(?![a-z])",
            0.65,
        ),
        # "118 Kingsway", "4 Northgate": a street named in one word, no kind after it
        (
            "numbered one-word street",
            r"(?<![a-z0-9.,/])\d{1,4}[a-z]?,?\s+(?-i:[A-Z][a-z]{2,}(?:way|gate))(?![\w'])",
            0.55,
        ),
        # "two kids at no. 47", "she lives at number 12"
        (
            "at a house number",
            r"(?<=\bat\s)(?:no\.?|number)\s*\d{1,4}[a-z]?(?![\w/])",
            0.55,
        ),
        (
            "flat number",
            r"(?<![a-z0-9])(?:flat|apartment|apt)\s*\d+[a-z]?(?![a-z0-9])"
            r"(?!\s*(?:hours?|hrs?|minutes?|mins?|miles?|days?|weeks?|months?|years?|yrs?)\b)",
            0.5,
        ),
    )
    CONTEXT = ("live", "lives", "address", "at", "moved")

    def validate_result(self, pattern_text: str) -> bool:
        """Reject counts of things ('30 other ppl') that happen to end in a street word."""
        words = pattern_text.lower().replace(",", " ").split()
        return not any(
            w
            in {
                "year",
                "yr",
                "month",
                "week",
                "weeks",
                "day",
                "time",
                "kid",
                "people",
                "ppl",
                "years",
                "yrs",
                "months",
                "times",
                "kids",
                "days",
                "miles",
                "mile",
                "minute",
                "minutes",
                "hour",
                "hours",
                "mins",
                "each",
            }
            for w in words
        )


_BUILDING = r"house|court|tower|towers|point|lodge|building|block|mansions|place|heights|view"
_NAMEWORD = r"(?!(?:the|my|a|an|our|their|his|her|your|this|that|high|main|same|one|way|road)\b)[a-z][a-z'-]+"


class LooseAddressRecognizer(SpanPatternRecognizer):
    """Addresses written loosely: "on market st", "the end house on Parkfield Crescent",
    "top flat over the chinese on market st", "flat 3 over the bookies on Crown St", "im at 27c
    now", "i live at no 27c", "the corner of Mill Lane", "back at my nans, no 41",
    "flat 6 kingsley house", "Flat 9, Orchard House, Tannery Lane".

    Source: how people describe where they live in the consultation's answers; Royal Mail PAF
    sub-building and building names.
    """

    ENTITY = "STREET_ADDRESS"
    PATTERNS = (
        (
            "flat over a shop",
            r"(?<![a-z])(?P<v>(?:(?:the|a)\s+(?:(?:end|corner|back|front|little|last|first)\s+)?)?"
            r"(?:(?:top|bottom|ground floor|first floor|upstairs|downstairs|"
            r"basement)\s+)?(?:flat|room|bedsit|house)(?:\s*\d{1,4}[a-z]?)?\s+"
            r"(?:over|above|behind|next to|opposite)\s+"
            r"(?:the\s+)?[a-z]+(?:\s+[a-z]+)?\s+(?:on|in|off)\s+(?:" + _NAMEWORD + r"\s+){1,2}"
            r"(?:" + _STREET_TYPES + r"))(?![a-z])",
            0.6,
        ),
        (
            "on a named street",
            r"\b(?:on|off|along|behind|near|down|up|round|in|at|opposite|of|from|past|by)\s+"
            r"(?P<v>(?:the\s+(?=(?-i:[A-Z])))?(?:"
            + _NAMEWORD
            + r"\s+){1,2}(?:"
            + _STREET_TYPES
            + r"))\.?(?![a-z])",
            0.55,
        ),
        # "stayin at the Foyer on Kirkgate": a street named in one word, no number
        (
            "on a one-word street",
            r"\b(?:on|off|along)\s+(?P<v>(?-i:[A-Z][a-z]{2,}(?:gate|way)))(?![\w'])",
            0.55,
        ),
        # "they live on Heol y Felin", "off Stryd y Castell": the kind first, no number
        (
            "on a Welsh street",
            r"\b(?:on|off|along|in|at|near|by|opposite)\s+(?P<v>(?:heol|stryd|l[o\u00f4]n|rhodfa|"
            r"cilgant|teras)\s+(?:(?:y|yr|'r)\s+)?[a-z][a-z'\-]+)(?![a-z])",
            0.55,
        ),
        # "my address is forty two Colne road": a house number said in words
        (
            "house number in words",
            r"\b(?:address is|address:|live at|lives at|living at|lived at|staying at)\s+"
            r"(?P<v>(?:(?:no\.?|number)\s+)?(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
            r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|"
            r"seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
            r"eighteen|nineteen)\s+(?:"
            + _NAMEWORD
            + r"\s+){1,2}(?:"
            + _STREET_TYPES
            + r"))(?![a-z])",
            0.55,
        ),
        (
            "house letter",
            r"\b(?:at|@|in|to|of|from)\s+(?P<v>(?:(?:no\.?|number)\s*)?\d{1,4}[abcefgh])\b(?!\s*(?:am|pm)\b)",
            0.55,
        ),
        (
            "number at",
            r"(?:\bat\b[^.,!?]{0,20},|,)\s*(?P<v>(?:no\.?|number)\s*\d{1,4}[a-z]?)\b",
            0.55,
        ),
        # "staying at the Foyer, room 14", "cell 2-14 on Bravo wing", "cell 3-22, C wing"
        (
            "room or cell number",
            r"(?<![a-z])(?P<v>(?:room|rm|cell|bedsit|pod)\s*(?:no\.?\s*|number\s+|#\s*)?"
            r"\d{1,3}[a-z]?(?:\s*[-/]\s*\d{1,3})?"
            r"(?:,?\s+(?:on\s+)?(?:[a-z]|[a-z]+(?=\s+wing))\s+wing|,?\s+[a-z]-wing)?)(?![\w])"
            r"(?!\s*(?:of|people|kids|children|us|them|adults|metres|meters|m|ft|feet|x|by|"
            r"hours?|days?|weeks?|months?|years?|mins?|minutes|times|beds)\b)",
            0.55,
        ),
        (
            "flat in a named building",
            r"(?<![a-z])(?P<v>(?:flat|apartment|apt|unit|room)\s*\d+[a-z]?,?\s+(?:[a-z][a-z'-]+\s+){1,2}"
            r"(?:"
            + _BUILDING
            + r")(?:,?\s+(?:"
            + _NAMEWORD
            + r"\s+){1,2}(?:"
            + _STREET_TYPES
            + r"))?)"
            r"(?![a-z])",
            0.65,
        ),
    )

    def validate_value(self, value: str) -> bool:
        """Not a generic phrase ("up the road", "on social media") or a count ("in 3 days")."""
        from privacy.recognizers.wordlists import STOP, vicary_stop_words

        words = re.findall(r"[a-z']+", value.lower())
        if len(words) <= 1 and re.search(r"\d", value):
            return True  # "27c", "no 41"
        street = set(_STREET_TYPES.split("|"))
        name = [w for w in words if w not in street]
        extra = {"each", "every", "long", "short", "whole", "park"}
        return not name or any(
            w not in STOP and w not in vicary_stop_words() and w not in extra for w in name
        )
