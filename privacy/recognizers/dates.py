"""Dates of birth: full dates in any common format, and birthdays named as such."""

from __future__ import annotations

from typing import ClassVar

from privacy.recognizers.base import SpanPatternRecognizer, UKPatternRecognizer

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|[o0]ct(?:ober)?|n[o0]v(?:ember)?|dec(?:ember)?|"
    # Romanian, Polish and Portuguese months, as parents writing in a second language give them
    r"ianuarie|februarie|martie|aprilie|mai|iunie|iulie|septembrie|octombrie|noiembrie|decembrie|"
    r"stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|wrze\u015bnia|pa\u017adziernika|"
    r"listopada|grudnia|janeiro|fevereiro|mar\u00e7o|abril|maio|junho|julho|agosto|setembro|"
    r"outubro|novembro|dezembro)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19\d\d|20\d\d|'?\d\d)"


class DateOfBirthRecognizer(UKPatternRecognizer):
    """Dates of birth: 14/03/2008, 12.11.06, 2nd feb 2010, 3rd of may 2007, 7th July 2009.

    Any full date (day, month and year) is treated as a date of birth: in answers to this
    consultation a full date is far more often a birthday than anything else, and it identifies a
    person either way. A day and month without a year counts only next to birthday words.
    Source: the date formats in GOV.UK's style guide plus the numeric forms people type.
    """

    ENTITY = "DATE_OF_BIRTH"
    PATTERNS = (
        (
            "numeric date",
            r"(?<![\d/.-])"
            + _DAY.replace("(?:st|nd|rd|th)?", "")
            + r"(?P<sep>[/.-])(?:0?[1-9]|1[0-2])(?P=sep)(?:19\d\d|20\d\d|\d\d)(?![\d/-]|\.\d)",
            0.6,
        ),
        (
            "year month day",
            r"(?<![\d/.-])(?:19\d\d|20\d\d)(?P<sep>[/.-])(?:0?[1-9]|1[0-2])(?P=sep)"
            r"(?:[12]\d|3[01]|0?[1-9])(?![\d/-]|\.\d)",
            0.6,
        ),
        (
            "day month year",
            r"(?<![a-z0-9])(?:the\s+)?"
            + _DAY
            + r"\s+(?:of\s+)?"
            + _MONTH
            + r",?\s+"
            + _YEAR
            + r"(?![a-z0-9])",
            0.6,
        ),
        (
            "month day year",
            r"(?<![a-z0-9])" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"(?![a-z0-9])",
            0.6,
        ),
    )
    CONTEXT = ("born", "dob", "birthday", "birth", "d.o.b")


_FESTIVAL = (
    r"(?:boxing day|christmas day|christmas eve|new year'?s (?:day|eve)|valentine'?s day|"
    r"halloween|bonfire night|guy fawkes night|st\.? patrick'?s day|leap day|"
    r"april fools'? day|may day)"
)
_DAY_MONTH = (
    r"(?:"
    + _DAY
    + r"\s+(?:of\s+)?"
    + _MONTH
    + r"|"
    + _MONTH
    + r"\s+(?:the\s+)?"
    + _DAY
    + r"(?!\d)|"
    + _DAY
    + r"\s+of\s+the\s+(?:1[0-2]|0?[1-9])(?:st|nd|rd|th)|"  # "the 5th of the 5th"
    + _FESTIVAL
    + r")"
)
# "boxing day 2004", "new years eve, 2003": the year goes with the day it follows.
_AND_YEAR = (
    r"(?:,?\s+(?:in\s+)?(?:(?:19|20)\d\d(?!\d)|(?:twenty|two thousand(?: and)?)\s+"
    r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)"
    r"\b))?"
)
# "bday is 23/8", "born on 19/11": a day and month in figures, only after birthday words.
_NUMERIC_DAY_MONTH = r"(?:[12]\d|3[01]|0?[1-9])[/.](?:1[0-2]|0?[1-9])(?!\d|[/.-]\d)"
_BIRTHDAY = r"(?:born|birthdays?|bdays?|b-day|b'day|dob|d\.o\.b\.?|dates? of birth)"


# A date said in words, as voice typing gives it: "fifteen May two thousand six", "the first of
# june", "twenty-third of March nineteen ninety nine".
_UNITS = r"one|two|three|four|five|six|seven|eight|nine"
_ORDINALS = r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
_TEENS = (
    r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|tenth|"
    r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
    r"nineteenth"
)
_DAY_WORDS = (
    rf"(?:(?:twenty|thirty)[\s-](?:{_UNITS}|{_ORDINALS})|twenty|twentieth|thirty|thirtieth|"
    rf"{_TEENS}|{_UNITS}|{_ORDINALS})"
)
_YEAR_WORDS = (
    rf"(?:two thousand(?:\s+and)?(?:\s+(?:{_TEENS}|twenty(?:[\s-](?:{_UNITS}))?|{_UNITS}))?|"
    rf"nineteen\s+(?:seventy|eighty|ninety)(?:[\s-](?:{_UNITS}))?|"
    rf"twenty\s+(?:oh\s+(?:{_UNITS})|{_TEENS}|twenty(?:[\s-](?:{_UNITS}))?))"
)
_SAID_DATE = (
    rf"(?:the\s+)?{_DAY_WORDS}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR_WORDS})?"
    rf"|{_MONTH}\s+(?:the\s+)?{_DAY_WORDS}(?:,?\s+{_YEAR_WORDS})?"
)


class BirthdayRecognizer(SpanPatternRecognizer):
    """A birthday without a year: "her birthday is 7th July", "my birthday is boxing day",
    "7th aug is my bday", "turned 18 on the 30th of march", "turns 11 on 4th May", "my date of
    birth is fifteen May two thousand six"."""

    ENTITY = "DATE_OF_BIRTH"
    # Every pattern but one needs a birthday word; that one needs an age in figures.
    GATES: ClassVar[dict[str, str]] = dict.fromkeys(
        (
            "birthday words",
            "two birthdays",
            "born in a month and year",
            "date of birth in spaced figures",
            "birthday, then the date",
            "birthday on a day",
            "birthday in figures",
            "birthday said in words",
            "is my birthday",
            "a date, then whose birthday",
            "birthday then a festival",
        ),
        r"\b(?:born|birth|bday|b-day|b'day|dob|d\.o\.b)",
    ) | {"turned an age on": r"\b(?:turn|turns|turned|turning|be|was|is)\s+\d"}
    PATTERNS = (
        (
            "birthday words",
            r"\b"
            + _BIRTHDAY
            + r"\b[\s:,]*(?:(?:is|was|are|were|on|its|it's|falls on|'s|which|that|as|a|"
            r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|"
            r"thurs|fri|sat|sun)\s+)*"
            r"(?P<v>(?:the\s+)?(?:day\s+(?:after|before)\s+)?"
            + _DAY_MONTH
            + _AND_YEAR
            + r")(?![a-z])",
            0.6,
        ),
        # "The girls' birthdays are 11th March and 30th July": the second date too
        (
            "two birthdays",
            r"\b(?:birthdays|bdays|dates of birth)\b[\s:,]*(?:(?:are|were|is|on)\s+)*"
            r"(?:the\s+)?"
            + _DAY_MONTH
            + _AND_YEAR
            + r",?\s+(?:and|&)\s+(?P<v>(?:the\s+)?"
            + _DAY_MONTH
            + _AND_YEAR
            + r")(?![a-z])",
            0.6,
        ),
        (
            "born in a month and year",
            r"\bborn\s+(?:in\s+)?(?P<v>" + _MONTH + r",?\s+(?:19|20)\d\d)(?!\d)",
            0.6,
        ),
        (
            "date of birth in spaced figures",
            r"\b(?:dob|d\.o\.b\.?|date of birth)\b[\s:,]*(?:(?:is|was)\s+)?"
            r"(?P<v>(?:[12]\d|3[01]|0?[1-9])\s(?:1[0-2]|0?[1-9])\s(?:19\d\d|20\d\d|\d\d))(?!\d)",
            0.6,
        ),
        # "happy bday to me lol its the 9th of march": the date later in the same sentence
        (
            "birthday, then the date",
            r"\b(?:birthday|bday|b-day)\b[^.!?\n]{0,30}?\b(?:its|it's|is|was|every|on)\s+"
            r"(?P<v>(?:the\s+)?"
            + _DAY_MONTH
            + _AND_YEAR
            + r"|"
            + _NUMERIC_DAY_MONTH
            + r"(?!\s+of\b))(?![a-z])",  # not "2/3 of a phone"
            0.55,
        ),
        (
            "birthday on a day",
            r"\b(?:birthday|bday|b-day)\b(?:\s+(?:is|was|'s))?\s+on\s+"
            r"(?P<v>the\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))(?![\w/])(?!\s+of\b)",
            0.55,
        ),
        (
            "birthday in figures",
            r"\b" + _BIRTHDAY + r"\b[\s:,(]*(?:(?:is|was|on|its|it's|'s|which|that|as)\s+)*"
            r"(?P<v>" + _NUMERIC_DAY_MONTH + r")",
            0.6,
        ),
        (
            "birthday said in words",
            r"\b" + _BIRTHDAY + r"\b[\s:,]*(?:(?:is|was|on|its|it's|'s|which|that|as)\s+)*"
            r"(?P<v>" + _SAID_DATE + r")(?![a-z])",
            0.6,
        ),
        (
            "is my birthday",
            r"(?<![a-z0-9])(?:the\s+)?(?P<v>" + _DAY_MONTH + r")\s+(?:is|was|'s)\s+"
            r"(?:my|his|her|their|our|me)(?:\s+[a-z]+(?:'s)?)?\s+(?:birthday|bday|b-day|b'day)\b",
            0.6,
        ),
        (
            "turned an age on",
            r"\b(?:turn|turns|turned|turning|be|was|is)\s+\d{1,2}\s+(?:on\s+)?(?:the\s+)?"
            r"(?P<v>(?:(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)[a-z]*\s+(?:the\s+)?)?"
            r"(?:" + _DAY_MONTH + r"|" + _SAID_DATE + r"))(?![a-z])",
            0.6,
        ),
        # "Every year on 9th of June I send a card for my son's birthday"
        (
            "a date, then whose birthday",
            r"(?<![a-z0-9])(?P<v>(?:the\s+)?" + _DAY_MONTH + r")\b[^.!?\n]{0,40}?"
            r"\b(?:my|his|her|their|our)\s+(?:[a-z]+'s\s+)?(?:birthday|bday|b-day)\b",
            0.55,
        ),
        (
            "birthday then a festival",
            r"\b(?:birthday|bday|b-day)\b[^.!?\n]{0,30}?(?P<v>" + _FESTIVAL + r")(?![a-z])",
            0.6,
        ),
    )
