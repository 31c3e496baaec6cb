"""Compose the handoff: who to contact, in the right order for the time and the channel.

Pure functions: the caller passes the time, the channel kind and the route kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from safeguarding.detector import RiskAssessment
from safeguarding.helplines import Audience, Helpline, HelplineConfig


def audience_for(
    risk: RiskAssessment, *, writer_is_adult: bool | None, route_kind: str | None
) -> Audience:
    """Choose whose wording to use for a risk assessment."""
    if risk.level == "support":
        return "support"
    if route_kind == "prison":
        return "prison"
    if {"medical_emergency", "threat_to_others"} & set(risk.kinds):
        return "emergency"
    if risk.who == "child":
        return "about_child"
    if risk.who == "other_adult" or writer_is_adult:
        return "adult"
    return "child"


def is_open(line: Helpline, when: datetime, tz: str, bank_holidays: Iterable[date]) -> bool:
    """Whether a helpline's phone line is open at ``when`` (any aware datetime)."""
    if line.hours is None:
        return True
    local = when.astimezone(ZoneInfo(tz))
    if local.date() in set(bank_holidays):
        span = line.hours.bank_holiday
    elif local.weekday() >= 5:
        span = line.hours.weekend
    else:
        span = line.hours.weekday
    if span is None:
        return False
    start, end = span
    return start <= local.time().replace(tzinfo=None) < end


def compose(
    risk: RiskAssessment,
    config: HelplineConfig,
    *,
    when: datetime,
    channel_kind: str,
    route_kind: str | None = None,
    writer_is_adult: bool | None = None,
    bank_holidays: Iterable[date] = (),
) -> str:
    """Return the handoff text for a risk assessment of level urgent or support."""
    audience = audience_for(risk, writer_is_adult=writer_is_adult, route_kind=route_kind)
    text = config.audiences[audience]
    sms = channel_kind in {"sms", "whatsapp"}
    holidays = tuple(bank_holidays)
    open_lines: list[str] = []
    closed_lines: list[str] = []
    for helpline_id in text.helplines:
        line = config.helpline(helpline_id)
        if is_open(line, when, config.timezone, holidays):
            open_lines.append(line.sms if sms else line.web)
        else:
            closed = line.sms_closed if sms else line.web_closed
            if closed:
                closed_lines.append(closed)
    parts = ["Speak Up", text.opening, *open_lines, *closed_lines]
    if text.closing:
        parts.append(text.closing)
    return "\n".join(p for p in parts if p)
