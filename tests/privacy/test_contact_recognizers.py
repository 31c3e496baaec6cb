"""Phone numbers, emails, links and handles: positive and negative cases."""

from __future__ import annotations

import pytest

from privacy.recognizers.contact import (
    EmailRecognizer,
    LinkHandleRecognizer,
    NamedHandleRecognizer,
    UkPhoneRecognizer,
)
from tests.privacy.helpers import found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pls call me on 07912 345678", ["07912 345678"]),
        ("txt me 07831222333", ["07831222333"]),
        ("reach me on +44 7723 456789", ["+44 7723 456789"]),
        ("ring 0113 496 0345", ["0113 496 0345"]),
        ("ring (0161) 496 0742 any time", ["(0161) 496 0742"]),
        ("call 07845-111-222 pls", ["07845-111-222"]),
        ("whatsapp +447956123456", ["+447956123456"]),
        ("0044 7700 900123", ["0044 7700 900123"]),
        ("whatsapp me on +44 (0) 7700 900789", ["+44 (0) 7700 900789"]),
        ("i was 15 in 2019", []),
        ("contact 3 times in 12 months", []),
        ("0800 1111", []),  # too short to be a full number (and it is Childline)
    ],
)
def test_when_uk_phone_number_then_found(text: str, expected: list[str]) -> None:
    assert found(UkPhoneRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email me at kayleigh.x99@hotmail.co.uk", ["kayleigh.x99@hotmail.co.uk"]),
        ("FOSTERMUM_DEB@yahoo.com", ["FOSTERMUM_DEB@yahoo.com"]),
        ("me @ the office", []),
        ("user@localhost", []),
    ],
)
def test_when_email_then_found(text: str, expected: list[str]) -> None:
    assert found(EmailRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://example.org/my-story", ["https://example.org/my-story"]),
        ("www.myblog.co.uk has it", ["www.myblog.co.uk"]),
        ("follow @jaz_22 for more", ["@jaz_22"]),
        ("my page is jazzy.me", ["jazzy.me"]),
        ("email a@b.com", []),  # an email is not a handle
        ("meet @ 5", []),
    ],
)
def test_when_link_or_handle_then_found(text: str, expected: list[str]) -> None:
    assert found(LinkHandleRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("my snap is jaz_22", ["jaz_22"]), ("insta: k.lee.x", ["k.lee.x"]), ("snap chat is good", [])],
)
def test_when_app_names_a_handle_then_found(text: str, expected: list[str]) -> None:
    assert found(NamedHandleRecognizer(), text) == expected
