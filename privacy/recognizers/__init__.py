"""Speak Up's own recognisers, listed once: this table is the only registration."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from privacy.recognizers.contact import (
    EmailRecognizer,
    LinkHandleRecognizer,
    NamedHandleRecognizer,
    UkPhoneRecognizer,
)
from privacy.recognizers.dates import BirthdayRecognizer, DateOfBirthRecognizer
from privacy.recognizers.names import FirstNameRecognizer
from privacy.recognizers.places import (
    SchoolRecognizer,
    StreetAddressRecognizer,
    UkPostcodeRecognizer,
)
from privacy.recognizers.uk_ids import (
    NhsWithContextRecognizer,
    OtherIdRecognizer,
    ReferenceWithContextRecognizer,
    UkNhsRecognizer,
    UkNinoRecognizer,
    UkPrisonNumberRecognizer,
)

RECOGNIZERS: tuple[type[EntityRecognizer], ...] = (
    UkPhoneRecognizer,
    EmailRecognizer,
    LinkHandleRecognizer,
    NamedHandleRecognizer,
    UkPostcodeRecognizer,
    StreetAddressRecognizer,
    SchoolRecognizer,
    UkNhsRecognizer,
    NhsWithContextRecognizer,
    UkNinoRecognizer,
    UkPrisonNumberRecognizer,
    OtherIdRecognizer,
    ReferenceWithContextRecognizer,
    DateOfBirthRecognizer,
    BirthdayRecognizer,
    FirstNameRecognizer,
)
