"""Helplines and handoff wording, as configuration staff can update without a release."""

from __future__ import annotations

from datetime import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Audience = Literal["child", "about_child", "adult", "emergency", "prison", "support"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PhoneHours(_Strict):
    """Opening hours in the helplines' own time zone; ``None`` means closed that day."""

    weekday: tuple[time, time] | None = None
    weekend: tuple[time, time] | None = None
    bank_holiday: tuple[time, time] | None = None


class Helpline(_Strict):
    """One route to help, with short texts for SMS and fuller texts (with links) for web."""

    id: str
    name: str
    for_whom: str
    sms: str
    web: str
    sms_closed: str | None = None
    web_closed: str | None = None
    hours: PhoneHours | None = Field(None, description="None: always open")
    check_before_launch: bool = False


class AudienceText(_Strict):
    """The opening and closing lines and ordered helpline ids for one audience."""

    opening: str
    helplines: tuple[str, ...]
    closing: str = ""


class ConsentedContact(_Strict):
    """Leaving a way to be contacted by the named safeguarding partner (off by default)."""

    enabled: bool = False
    partner_name: str = "our safeguarding partner"
    respond_within: str = "one working day"
    keep_days: int = Field(7, ge=1, le=30)


class HelplineConfig(_Strict):
    """The ``safeguarding`` section of config.yml."""

    timezone: str = "Europe/London"
    helplines: tuple[Helpline, ...]
    audiences: dict[Audience, AudienceText]
    stop_line: str
    sms_max_segments: int = Field(2, ge=1, le=4)
    notify_webhook_url: str | None = Field(
        None, description="told 'a new urgent item' and nothing else"
    )
    audit_sample_rate: float = Field(
        0.02, ge=0, le=1, description="share of 'none' answers sampled for audit"
    )
    consented_contact: ConsentedContact = ConsentedContact()

    @model_validator(mode="after")
    def _ids_resolve(self) -> HelplineConfig:
        known = {h.id for h in self.helplines}
        for name, aud in self.audiences.items():
            missing = [h for h in aud.helplines if h not in known]
            if missing:
                raise ValueError(f"audience {name} names unknown helplines: {', '.join(missing)}")
        return self

    def helpline(self, helpline_id: str) -> Helpline:
        """Return a helpline by id."""
        return next(h for h in self.helplines if h.id == helpline_id)
