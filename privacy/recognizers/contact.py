"""Recognisers for ways to reach a person: UK phone numbers, emails, links and handles."""

from __future__ import annotations

import re

from privacy.recognizers.base import SpanPatternRecognizer, UKPatternRecognizer


class UkPhoneRecognizer(UKPatternRecognizer):
    """UK phone numbers in the formats people type: 07912 345678, +44 7723 456789, (0161) 496 0742.

    Source: Ofcom National Telephone Numbering Plan (10 digits after the trunk 0; +44 drops it).
    """

    ENTITY = "PHONE_NUMBER"
    PATTERNS = (
        (
            "uk phone",
            r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d[\d\s\-()]{8,14}\d(?!\d)",
            0.7,
        ),
    )
    CONTEXT = ("call", "ring", "text", "txt", "phone", "number", "mob", "mobile", "whatsapp")

    def validate_result(self, pattern_text: str) -> bool:
        """Accept when the digits make a UK number (10 digits after the trunk 0)."""
        digits = re.sub(r"\D", "", pattern_text.replace("(0)", ""))
        if digits.startswith("0044"):
            digits = "0" + digits[4:]
        elif digits.startswith("44"):
            digits = "0" + digits[2:]
        if digits.startswith("00"):
            return False
        return len(digits) in (10, 11) and digits.startswith("0")


class EmailRecognizer(UKPatternRecognizer):
    """Email addresses. Our own pattern: Presidio's looks up the public suffix list online.

    Source: RFC 5322 addr-spec, simplified to the characters people type.
    """

    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = (("email", r"[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", 0.9),)


class LinkHandleRecognizer(UKPatternRecognizer):
    """Web links and social media handles (@name, snap/insta/tiktok: name).

    Source: RFC 3986 for links; handle rules of Instagram, TikTok, Snapchat and X (letters, digits,
    dots and underscores).
    """

    ENTITY = "URL"
    PATTERNS = (
        ("http link", r"(?:https?://|www\.)[^\s<>\"]+", 0.8),
        (
            "bare domain",
            r"(?<![@\w.])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|co\.uk|org\.uk|org|net|io|me|uk|ly|gg)"
            r"(?:/[^\s<>\"]*)?(?![\w@])",
            0.6,
        ),
        ("at handle", r"(?<![\w@.])@[a-z0-9_.]{2,30}(?![\w@])", 0.8),
    )


class NamedHandleRecognizer(SpanPatternRecognizer):
    """A handle introduced by the app's name: "my snap is jaz_22", "insta: k.lee"."""

    ENTITY = "URL"
    PATTERNS = (
        (
            "app lead-in",
            r"\b(?:snap|snapchat|insta|instagram|ig|tiktok|twitter|facebook|fb|discord|kik)\b"
            r"(?:\s+(?:name|handle|username))?(?:\s*:\s*|\s+is\s+|\s*@)@?(?P<v>[a-z0-9_.]{3,30})\b",
            0.7,
        ),
    )
