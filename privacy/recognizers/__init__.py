"""Speak Up's own recognisers, listed once: this table is the only registration."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from privacy.recognizers.contact import (
    AtHandleRecognizer,
    EmailRecognizer,
    HandleAfterAppRecognizer,
    LinkRecognizer,
    NamedHandleRecognizer,
    SpokenEmailRecognizer,
    UkPhoneRecognizer,
)
from privacy.recognizers.dates import BirthdayRecognizer, DateOfBirthRecognizer
from privacy.recognizers.name_forms import (
    NameThenRelationRecognizer,
    SpeltNameRecognizer,
    WhosePhoneRecognizer,
)
from privacy.recognizers.named_places import NamedPlaceRecognizer
from privacy.recognizers.names import FirstNameRecognizer
from privacy.recognizers.places import (
    LooseAddressRecognizer,
    StreetAddressRecognizer,
    UkPostcodeRecognizer,
)
from privacy.recognizers.schools import (
    SchoolAfterVerbRecognizer,
    SchoolByContextRecognizer,
    SchoolRecognizer,
)
from privacy.recognizers.uk_ids import (
    CapitalCodeRecognizer,
    CourtCaseNumberRecognizer,
    NhsWithContextRecognizer,
    OtherIdRecognizer,
    PrisonNumberWithContextRecognizer,
    ReferenceWithContextRecognizer,
    UkNhsRecognizer,
    UkNinoRecognizer,
    UkPrisonNumberRecognizer,
)

RECOGNIZERS: tuple[type[EntityRecognizer], ...] = (
    UkPhoneRecognizer,
    AtHandleRecognizer,
    EmailRecognizer,
    SpokenEmailRecognizer,
    LinkRecognizer,
    NamedHandleRecognizer,
    HandleAfterAppRecognizer,
    UkPostcodeRecognizer,
    StreetAddressRecognizer,
    LooseAddressRecognizer,
    SchoolRecognizer,
    SchoolAfterVerbRecognizer,
    SchoolByContextRecognizer,
    NamedPlaceRecognizer,
    UkNhsRecognizer,
    NhsWithContextRecognizer,
    UkNinoRecognizer,
    UkPrisonNumberRecognizer,
    PrisonNumberWithContextRecognizer,
    CapitalCodeRecognizer,
    OtherIdRecognizer,
    ReferenceWithContextRecognizer,
    CourtCaseNumberRecognizer,
    DateOfBirthRecognizer,
    BirthdayRecognizer,
    FirstNameRecognizer,
    SpeltNameRecognizer,
    NameThenRelationRecognizer,
    WhosePhoneRecognizer,
)
