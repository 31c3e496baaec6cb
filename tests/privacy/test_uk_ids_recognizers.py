"""NHS, National Insurance, prison and reference numbers: positive and negative cases."""

from __future__ import annotations

import pytest

from privacy.recognizers.uk_ids import (
    CourtCaseNumberRecognizer,
    NhsWithContextRecognizer,
    OtherIdRecognizer,
    ReferenceWithContextRecognizer,
    UkNhsRecognizer,
    UkNinoRecognizer,
    UkPrisonNumberRecognizer,
    nhs_checksum_ok,
)
from tests.privacy.helpers import found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("his nhs number is 943 476 5919", ["943 476 5919"]),
        ("NHS no 9434765919 thanks", ["9434765919"]),
        ("nhs 943-476-5919", ["943-476-5919"]),
        ("my nhs number is 943 476 5918", []),  # wrong check digit
        ("call 0113 496 0345", []),  # a phone number, not an NHS number
        ("we waited 1234567890 years", []),  # fails the check
    ],
)
def test_when_nhs_number_then_found_only_with_valid_checksum(
    text: str, expected: list[str]
) -> None:
    assert found(UkNhsRecognizer(), text) == expected


def test_nhs_checksum_examples() -> None:
    assert nhs_checksum_ok("9434765919")
    assert not nhs_checksum_ok("9434765918")
    assert not nhs_checksum_ok("123")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my NI number is JT 48 29 17 A", ["JT 48 29 17 A"]),
        ("national insurance ne123456d", ["ne123456d"]),
        ("NINO PZ654321B for the form", ["PZ654321B"]),
        ("GB123456A is not issued", ["GB123456A"]),  # GB prefix never issued: still removed
        ("QQ123456C is an example prefix", ["QQ123456C"]),  # never issued, still removed
        ("my NI number is QQ 12 34 56 C", ["QQ 12 34 56 C"]),
        ("we meet at 10 12 34 56 times", []),
        ("class of 2021, 123456 people", []),
    ],
)
def test_when_ni_number_then_found(text: str, expected: list[str]) -> None:
    assert found(UkNinoRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my prison number is A1234BC", ["A1234BC"]),
        ("write to him, a1234bc, at HMP Leeds", ["a1234bc"]),
        ("A1234 is a road", []),
        ("the M62 and A12 were shut", []),
    ],
)
def test_when_prison_number_then_found(text: str, expected: list[str]) -> None:
    assert found(UkPrisonNumberRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my case ref is LCS 1234567", ["LCS 1234567"]),
        ("child ID 4478213 waiting", ["4478213"]),
        ("call 07845-111-222", []),  # lower-case words are not a prefix
        ("we waited 2 years and 3 months", []),
        ("it cost £1500000 a year", []),
        ("my number is 07912345678", ["07912345678"]),  # "is" is a word, not a prefix
        ("case number MA 245871", ["MA 245871"]),
    ],
)
def test_when_reference_number_then_found(text: str, expected: list[str]) -> None:
    assert found(OtherIdRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("case ref: 55123 please", ["55123"]),
        ("reference 88123 is mine", ["88123"]),
        ("about 55123 people", []),
    ],
)
def test_when_short_reference_has_a_lead_in_then_found(text: str, expected: list[str]) -> None:
    assert found(ReferenceWithContextRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("her nhs number 485 777 3456 got lost", ["485 777 3456"]),
        ("NHS no: 4857773456", ["4857773456"]),
        ("485 777 3456 is his nhs number", ["485 777 3456"]),
        ("nhs waiting lists are 485 days long", []),
        ("my NHS records are wrong. My old number was 999 873 2260. Every", ["999 873 2260"]),
        ("the NHS said call them, number is 07700 900123", []),
    ],
)
def test_when_ten_digits_are_called_an_nhs_number_then_found_even_with_a_typo(
    text: str, expected: list[str]
) -> None:
    assert found(NhsWithContextRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("court ref MA24P00187 for contact", ["MA24P00187"]),
        ("complaint ref COMP-22-4411, 14 months", ["COMP-22-4411"]),
        ("housing ref HOP 55-0192 from the council", ["HOP 55-0192"]),
        ("ref is 55-0192", ["55-0192"]),
        ("crime ref 13/228764/23 from when", ["13/228764/23"]),
        ("Our ref: CSC/2022/118042\nFollowing", ["CSC/2022/118042"]),
        ('Complaint reference: CF/2023/0781"', ["CF/2023/0781"]),
        ("case number BM21C00388", ["BM21C00388"]),
        ("the case in 2019 was", []),
        ("court on 12/03/2021", []),
        ("case 2 of 3", []),
        ("my case was closed in 2020", []),
    ],
)
def test_when_a_reference_of_any_shape_has_a_lead_in_then_found(
    text: str, expected: list[str]
) -> None:
    assert found(ReferenceWithContextRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Case LV20C00914 if anyone wants it", ["LV20C00914"]),
        ("(court ref MA22C00417), HHJ", ["MA22C00417"]),
        ("Our ref CSC/2022/118042", ["CSC/2022/118042"]),
        ("ma24p00187", []),  # the family court format is written in capitals
        ("Section 17 payment", []),
        ("year 2022/23 budget", []),
    ],
)
def test_when_family_court_or_slashed_reference_then_found(text: str, expected: list[str]) -> None:
    assert found(CourtCaseNumberRecognizer(), text) == expected
