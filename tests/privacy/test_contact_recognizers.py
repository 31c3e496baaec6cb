"""Phone numbers, emails, links and handles: positive and negative cases."""

from __future__ import annotations

import pytest

from privacy.recognizers.contact import (
    AtHandleRecognizer,
    EmailRecognizer,
    LinkRecognizer,
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
        ("zeb at example dot org", ["zeb at example dot org"]),
        ("jo (at) mail [dot] co [dot] uk", ["jo (at) mail [dot] co [dot] uk"]),
        ("at the end of the day", []),
        ("i was at home dot", []),
    ],
)
def test_when_email_then_found(text: str, expected: list[str]) -> None:
    assert found(EmailRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://example.org/my-story", ["https://example.org/my-story"]),
        ("www.myblog.co.uk has it", ["www.myblog.co.uk"]),
        ("my page is jazzy.me", ["jazzy.me"]),
        ("gofundme.com/f/help-shania-get-a-home", ["gofundme.com/f/help-shania-get-a-home"]),
        ("look on childline.org.uk or gov.uk if ur 18", []),  # services' own sites point to help
        ("email a@b.com", []),  # an email is not a link
    ],
)
def test_when_link_then_found(text: str, expected: list[str]) -> None:
    assert found(LinkRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("follow @jaz_22 for more", ["@jaz_22"]), ("meet @ 5", []), ("email a@b.com", [])],
)
def test_when_at_handle_then_found(text: str, expected: list[str]) -> None:
    assert found(AtHandleRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my snap is jaz_22", ["jaz_22"]),
        ("insta: k.lee.x", ["k.lee.x"]),
        ("sc is deano.x i got no credit", ["deano.x"]),
        ("i stream on twitch ttv_kamil, it kept me sane", ["ttv_kamil"]),
        ("snap me if u want more kayy.b08", ["kayy.b08"]),
        ("we still snap everyday summerxo.b", ["summerxo.b"]),
        ("add me if ur from the review lol jaydenw_07", ["jaydenw_07"]),
        ("my tiktok is t.marley07", ["t.marley07"]),
        ("snap chat is good", []),
        ("snap is better than insta", []),
        ("insta made me sad.", []),
        ("thanks x soon", []),
        ("ig its fine", []),
        ("snapchat 1.5 hours a day", []),
        ("my snap is on gov.uk", []),
    ],
)
def test_when_a_handle_is_written_on_any_platform_then_found(
    text: str, expected: list[str]
) -> None:
    assert found(NamedHandleRecognizer(), text) == expected
