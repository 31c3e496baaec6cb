"""The handoff: who it is for, the time of day in London, the channel and the route."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.textrules import is_gsm7, sms_segments
from config.app import AppConfig
from safeguarding.detector import RiskAssessment
from safeguarding.handoff import compose

LONDON = ZoneInfo("Europe/London")
ABOUT_CHILD = RiskAssessment(level="urgent", who="child", kinds=("abuse",))
CHILD_SELF = RiskAssessment(level="urgent", who="self", kinds=("suicide",))
NSPCC_PHONE = "NSPCC helpline: call 0808 800 5000"


def at(y: int, mo: int, d: int, h: int, mi: int) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=LONDON)


def handoff(
    config: AppConfig, risk: RiskAssessment, when: datetime, channel: str = "sms", **kw: object
) -> str:
    return compose(
        risk,
        config.safeguarding,
        when=when,
        channel_kind=channel,
        bank_holidays=config.bank_holidays,
        **kw,
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("when", "open_"),
    [
        (at(2026, 11, 24, 21, 59), True),  # Tuesday
        (at(2026, 11, 24, 22, 1), False),
        (at(2026, 11, 24, 7, 59), False),
        (at(2026, 11, 28, 17, 59), True),  # Saturday
        (at(2026, 11, 28, 18, 1), False),
        (at(2027, 3, 28, 17, 59), True),  # Sunday the clocks go forward (BST)
        (at(2027, 3, 28, 18, 1), False),
        (at(2026, 10, 25, 17, 59), True),  # Sunday the clocks go back (GMT)
        (at(2026, 10, 25, 18, 1), False),
        (
            at(2027, 3, 30, 21, 59),
            True,
        ),  # Tuesday after the spring change (Monday 29th is Easter Monday)
        (at(2026, 10, 26, 22, 1), False),  # Monday after the autumn change
        (at(2026, 12, 28, 17, 59), True),  # bank holiday (Monday): weekend hours
        (at(2026, 12, 28, 20, 0), False),  # would be open on an ordinary Monday
    ],
)
def test_nspcc_phone_is_offered_only_in_its_hours(
    config: AppConfig, when: datetime, open_: bool
) -> None:
    text = handoff(config, ABOUT_CHILD, when.astimezone(UTC))
    assert (NSPCC_PHONE in text) is open_
    if not open_:
        lines = text.splitlines()
        closed = next(i for i, line in enumerate(lines) if "help@nspcc.org.uk" in line)
        emergency = next(i for i, line in enumerate(lines) if "999" in line)
        assert emergency < closed  # lead with the 24-hour routes


def test_a_child_is_believed_and_given_childline_then_999(config: AppConfig) -> None:
    text = handoff(config, CHILD_SELF, at(2026, 11, 24, 12, 0))
    assert "It's not your fault" in text
    assert text.index("Childline") < text.index("999")


def test_an_adult_at_risk_gets_samaritans_shout_and_111(config: AppConfig) -> None:
    text = handoff(config, CHILD_SELF, at(2026, 11, 24, 12, 0), writer_is_adult=True)
    for route in ("Samaritans", "SHOUT to 85258", "NHS 111, option 2", "999"):
        assert route in text


def test_an_adult_worried_about_a_child_gets_nspcc_or_childrens_services(config: AppConfig) -> None:
    text = handoff(config, ABOUT_CHILD, at(2026, 11, 24, 12, 0))
    assert NSPCC_PHONE in text and "children's services" in text
    assert "safeguarding procedures" in text


@pytest.mark.parametrize("kind", ["medical_emergency", "threat_to_others"])
def test_emergencies_put_999_first(config: AppConfig, kind: str) -> None:
    risk = RiskAssessment(level="urgent", who="self", kinds=(kind,))
    text = handoff(config, risk, at(2026, 11, 24, 12, 0))
    assert text.splitlines()[1].startswith("Please call 999 now")


def test_prison_routes_warn_that_the_prison_may_see_the_device(config: AppConfig) -> None:
    text = handoff(config, CHILD_SELF, at(2026, 11, 24, 12, 0), route_kind="prison")
    assert "prison may see this device" in text and "offence" in text
    assert "Samaritans" in text and "not recorded" in text and "Listener" in text


def test_web_chat_gets_links_including_childline_chat(config: AppConfig) -> None:
    text = handoff(config, CHILD_SELF, at(2026, 11, 24, 12, 0), channel="web")
    assert "https://www.childline.org.uk/get-support/1-2-1-counsellor-chat/" in text


@pytest.mark.parametrize("hour", [3, 12, 21, 23])
@pytest.mark.parametrize("who", ["self", "child", "other_adult", None])
@pytest.mark.parametrize("route_kind", [None, "prison", "hostel"])
def test_sms_handoffs_are_gsm7_within_two_segments(
    config: AppConfig, hour: int, who: str | None, route_kind: str | None
) -> None:
    for kinds in ((), ("medical_emergency",)):
        risk = RiskAssessment(level="urgent", who=who, kinds=kinds)  # type: ignore[arg-type]
        text = handoff(config, risk, at(2026, 11, 24, hour, 0), route_kind=route_kind)
        assert is_gsm7(text) and sms_segments(text) <= 2, text


FORBIDDEN = [
    "secret",
    "confidential",
    "won't tell",
    "will not tell",
    "wont tell",  # never promise secrecy
    "are you sure",
    "who is",
    "where are you",
    "what happened",
    "tell us more",  # never ask
    "on its way",
    "on their way",
    "we will contact",
    "someone will",
    "we'll send",
    "coming to",  # never suggest help is coming
]


def test_bot_texts_never_promise_secrecy_ask_or_suggest_help_is_coming(config: AppConfig) -> None:
    from dialogues import load_dialogue

    texts = [t for _, t, _ in load_dialogue().texts()]
    for who in ("self", "child", "other_adult", None):
        for level in ("urgent", "support"):
            for route_kind in (None, "prison"):
                for channel in ("sms", "web"):
                    risk = RiskAssessment(level=level, who=who)  # type: ignore[arg-type]
                    texts.append(
                        handoff(
                            config,
                            risk,
                            at(2026, 11, 24, 12, 0),
                            channel=channel,
                            route_kind=route_kind,
                        )
                    )
    for text in texts:
        low = text.lower().replace("\u2019", "'")
        for phrase in FORBIDDEN:
            assert phrase not in low, f"{phrase!r} in {text!r}"


def test_urgent_handoffs_are_honest_that_nobody_reads_live(config: AppConfig) -> None:
    for who in ("self", "child", "other_adult"):
        text = handoff(config, RiskAssessment(level="urgent", who=who), at(2026, 11, 24, 12, 0))  # type: ignore[arg-type]
        assert "nobody reads this live" in text
