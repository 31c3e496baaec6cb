"""Recognisers for UK numbers with a fixed shape: NHS, National Insurance and prison numbers."""

from __future__ import annotations

import re

from privacy.recognizers.base import SpanPatternRecognizer, UKPatternRecognizer


def nhs_checksum_ok(digits: str) -> bool:
    """Modulus 11 check used by NHS numbers (NHS Data Dictionary, 'NHS Number')."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


class UkNhsRecognizer(UKPatternRecognizer):
    """NHS numbers: ten digits, usually written 3-3-4 but copied in any grouping ("999 526 01 82",
    "99903 08241"), with a modulus 11 check digit.

    Source: NHS Data Dictionary, "NHS NUMBER" (format and check digit algorithm).
    """

    ENTITY = "UK_NHS"
    PATTERNS = (
        (
            "ten digits in any groups",
            r"(?<!\d)(?<!\d[ .-])\d(?:[ .-]?\d){9}(?![ .-]?\d)",
            0.5,
        ),
    )
    CONTEXT = ("nhs", "health", "number", "num", "no", "gp", "hospital")

    def validate_result(self, pattern_text: str) -> bool:
        """Accept only numbers whose check digit is right."""
        return nhs_checksum_ok(re.sub(r"\D", "", pattern_text))


class UkNinoRecognizer(UKPatternRecognizer):
    """National Insurance numbers: two letters, six digits, one letter A-D, spaced, dashed or not.

    Source: HMRC National Insurance Manual NIM39110 (the format). Any two letters are accepted,
    even prefixes HMRC never issues (D, F, I, Q, U, V first; BG, GB, NK, KN, TN, NT, ZZ): people
    mistype their own number, and a redactor that leaves a number because its prefix is invalid
    leaves what a reader takes for someone's number. Nothing else in ordinary text has this shape.
    """

    ENTITY = "UK_NINO"
    PATTERNS = (
        (
            "nino",
            r"(?<![a-z0-9])[a-z]{2}[\s.-]?\d{2}[\s.-]?\d{2}[\s.-]?\d{2}[\s.-]?[a-d](?![a-z0-9])",
            0.7,
        ),
    )
    CONTEXT = ("national insurance", "ni", "nino", "insurance")


class UkPrisonNumberRecognizer(UKPatternRecognizer):
    """Prison numbers in England and Wales: one letter, four digits, two letters (A1234BC).

    Source: HM Prison and Probation Service, 'prison number' format used on Find a Prisoner and
    on letters to people in prison.
    """

    ENTITY = "UK_PRISON_NUMBER"
    PATTERNS = (
        ("prison number", r"(?<![a-z0-9])[a-z]\d{4}[a-z]{2}(?![a-z0-9])", 0.6),
        # split by a line break where a text wrapped it: "number A1934\nEV"
        ("prison number over a line", r"(?<![a-z0-9])[a-z]\d{4}\s*\n\s*[a-z]{2}(?![a-z0-9])", 0.6),
        (
            "prison number spaced",
            r"(?<=\bno\s|no:\s|er\s|r:\s)[a-z]\s\d{4}\s[a-z]{2}(?![a-z0-9])",
            0.6,
        ),
    )
    CONTEXT = ("prison", "prisoner", "number", "inmate", "hmp")


class CapitalCodeRecognizer(UKPatternRecognizer):
    """Codes written in capitals around four or more digits, spaced or not: prison numbers as
    people copy them ("A 9012 CF", "A2207 FN") and other record numbers ("BX9021AN").

    Source: HMPPS prison numbers (A1234BC) and the letter-number-letter shape of other record
    numbers; capitals only, so "a 1234 go" in a text is not one.
    """

    ENTITY = "OTHER_ID"
    FLAGS = 0
    PATTERNS = (
        (
            "letters, digits, letters",
            r"(?<![A-Za-z0-9])[A-Z]{1,3} ?\d{4,6} ?[A-Z]{1,3}(?![A-Za-z0-9])",
            0.5,  # below a prison or NI number's score, so the placeholder says which
        ),
    )

    def validate_result(self, pattern_text: str) -> bool | None:
        """Not a year between words ("UK 2020 A levels"). None, not True, when it may be a code:
        Presidio scores a validated match 1.0, and a prison or NI number must type the span."""
        if " " in pattern_text and re.search(r"\b(?:19|20)\d\d\b", pattern_text):
            return False
        return None


class PrisonNumberWithContextRecognizer(SpanPatternRecognizer):
    """A prison number in any shape after "prison number" or "prison no": "JX 7712"."""

    ENTITY = "UK_PRISON_NUMBER"
    PATTERNS = (
        (
            "prison number lead-in",
            r"\b(?:prison|prisoner|inmate)\s+(?:number|no\.?|num)\s*(?::\s*|is\s+|was\s+)?"
            r"(?P<v>[a-z]{1,3}\s?\d{3,6}(?:\s?[a-z]{1,3})?)(?![\w])",
            0.6,
        ),
    )


class OtherIdRecognizer(UKPatternRecognizer):
    """Case and reference numbers: letters then 5-9 digits, or any run of seven or more digits.

    Source: local authority case management systems (Mosaic, LiquidLogic LCS) use numeric person
    ids of 6-8 digits, often prefixed by the system's initials; long digit runs identify a record.
    """

    ENTITY = "OTHER_ID"
    PATTERNS = (
        ("letters + digits", r"(?<![a-z0-9])[a-z]{2,4}[ -]?\d{5,9}(?!\d)", 0.45),
        ("long digit run", r"(?<![\d£$])\d{7,}(?!\d)", 0.45),
    )
    CONTEXT = ("ref", "reference", "case", "id", "number")

    def validate_result(self, pattern_text: str) -> bool:
        """Letter prefixes must be written in capitals (LCS 1234567), so 'call 07845' is not an id."""
        letters = "".join(ch for ch in pattern_text if ch.isalpha())
        if letters in {"ID", "NO", "REF", "NHS", "NI", "DOB", "TEL", "MOB", "TXT"}:
            return False  # a label before a number, not part of it; the digit rule finds the number
        return not letters or letters.isupper()


class ReferenceWithContextRecognizer(SpanPatternRecognizer):
    """Reference numbers introduced as a ref, id or case number, in any shape people copy:
    "ref: 1234567", "complaint ref COMP-22-4411", "crime ref 13/228764/23", "Our ref:
    CSC/2022/118042", "case number BM21C00388"."""

    ENTITY = "OTHER_ID"
    PATTERNS = (
        (
            "ref lead-in",
            # The letters before the digits are a prefix ("MA 24587"), never a word ("number is").
            r"\b(?:ref|reference|id|case|case number|case no|number|no)\b[\s:.#]{1,3}"
            r"(?P<v>(?:(?!(?:is|was|on|at|to|are|its|be|of|in|me|my)\b)[a-z]{1,4}\s?)?\d{5,})(?!\d)",
            0.6,
        ),
        # "my case number with the Ombudsman is 22 009 817": digits in groups, later in the clause
        (
            "grouped digits after a lead-in",
            r"\b(?:case|ref|reference|claim|complaint|account|customer|member|crime|student|"
            r"licence|license|payroll|membership)\s+"
            r"(?:number|no\.?|num|ref)\b[^.!?\n\d]{0,40}?\b(?:is|was|:)\s*"
            r"(?P<v>\d{2,4}(?:\s\d{2,4}){1,3})(?!\s?\d)",
            0.6,
        ),
        # "Ref for my complaint to the council: CMP-224019": the code after the clause's colon
        (
            "a code after a lead-in and a colon",
            r"\b(?:ref|reference|complaint|case|claim|crime|crn)\b[^.!?\n\d:]{0,40}:\s*"
            r"(?P<v>(?=[a-z0-9/\-\s]*\d[a-z0-9/\-]*\d)[a-z0-9]+(?:[/\-]\n?[a-z0-9]+)*)(?![\w/])",
            0.6,
        ),
        (
            "any shape after a lead-in",
            r"\b(?:ref|reference|ref no|reference number|case|case number|case no|claim|crime|"
            r"complaint|incident|log|file|application|court|our ref|your ref|job|ticket|"
            r"crime number|log number|crn|pnc|collar|collar number|shoulder number)\b\s*"
            r"(?:number|no\.?|num|ref|reference|id)?[\s:.#)(]{1,4}"
            r"(?:(?:is|was)\s+)?"
            r"(?P<v>(?:(?!(?:is|was|on|at|to|are|its|be|of|in|me|my|no|number|for|and|a)\b)"
            r"[a-z]{1,5}\s(?=\d))?"
            # a probation CRN in groups ("E 771 402"), or one piece, even wrapped after a dash
            r"(?:\d{3}\s\d{3}(?!\s?\d)|(?=[a-z0-9/\-\s]*\d[a-z0-9/\-]*\d)[a-z0-9]+"
            r"(?:[/\-]\n?[a-z0-9]+)*))(?![\w/])",
            0.6,
        ),
    )

    def validate_value(self, value: str) -> bool:
        """At least four digits (six when grouped with spaces), and not a date or a year."""
        if " " in value and re.fullmatch(r"[\d ]+", value):
            return sum(c.isdigit() for c in value) >= 6
        digits = sum(c.isdigit() for c in value)
        if digits < 4 or re.fullmatch(r"(?:[a-z]{1,5}\s)?(?:19|20)\d\d", value, re.IGNORECASE):
            return False
        return not re.fullmatch(r"\d{1,2}[/\-]\d{1,2}[/\-]\d{2,4}", value)


class CourtCaseNumberRecognizer(UKPatternRecognizer):
    """Family court case numbers: two letters (the court), two digits (the year), a letter
    (P private, C care/public law, Z ...) and five digits: MA24P00187, LS23C00412.

    Source: HMCTS FamilyMan / Core Case Data case number format for family proceedings.
    Slashed and dashed references (CSC/2022/118042, CF/2023/0781, COMP-22-4411) are found here
    when written in capitals, without a lead-in.
    """

    ENTITY = "OTHER_ID"
    FLAGS = 0
    PATTERNS = (
        ("family court", r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}[A-Z] ?\d{5}(?![A-Za-z0-9])", 0.7),
        (
            "slashed reference",
            r"(?<![A-Za-z0-9/])[A-Z]{2,5}[/\-]\d{2,4}[/\-]\d{3,8}(?![A-Za-z0-9/])",
            0.6,
        ),
        # Three or more parts joined by slashes or dashes, one of them a long number: police
        # crime numbers "14/77309/21", "2021/CSC/00912", "CF-2023-0781-B".
        (
            "reference in parts",
            r"(?<![\w/\-])(?=[\w/\-]*\d{3})[A-Z0-9]{1,6}(?:[/\-][A-Z0-9]{1,8}){1,4}(?![\w/\-])",
            0.6,
        ),
    )

    def validate_result(self, pattern_text: str) -> bool:
        """A reference in parts: letters and a number of four digits or more ("LAC/55190",
        "FC/0932/HW"), or three parts and five digits; never a date ("14/03/2008") or a year
        ("GCSE/2019"), nor a short code ("NHS-111", "COVID-19")."""
        parts = re.split(r"[/\-]", pattern_text)
        if len(parts) == 1:
            return True  # a family court number, checked by its shape
        numbers = [p for p in parts if p.isdigit()]
        if any(p.isalpha() for p in parts) and any(
            len(p) >= 4 and not re.fullmatch(r"(?:19|20)\d\d", p) for p in numbers
        ):
            return True
        if len(parts) < 3 or sum(c.isdigit() for c in pattern_text) < 5:
            return False
        dates = (r"\d{1,2}", r"\d{1,2}", r"\d{2}|\d{4}"), (r"\d{4}", r"\d{1,2}", r"\d{1,2}")
        return not any(
            len(parts) == 3 and all(re.fullmatch(rx, p) for rx, p in zip(d, parts, strict=True))
            for d in dates
        )


class NhsWithContextRecognizer(SpanPatternRecognizer):
    """Ten digits called an NHS number, even with a mistyped check digit: a typo still identifies."""

    ENTITY = "UK_NHS"
    _NUMBER = r"\d(?:[ \n.-]?\d){9}(?![ .-]?\d)"  # any grouping; a line break where it wrapped
    PATTERNS = (
        (
            "nhs lead-in",
            r"\bnhs\s*(?:number|no\.?|num|#)?\s*(?:is\s+|:\s*)?(?P<v>" + _NUMBER + r")(?!\d)",
            0.7,
        ),
        (
            "nhs after",
            r"(?<!\d)(?P<v>" + _NUMBER + r")\s+(?:is\s+)?(?:his|her|my|their|the)?\s*nhs\b",
            0.7,
        ),
        # "my NHS records ... My old number was 999 873 2260": the NHS named first, no digits between
        (
            "nhs then a number",
            r"\bnhs\b[^\d]{0,120}?(?<!\d)(?P<v>" + _NUMBER + r")(?!\d)",
            0.6,
        ),
    )
