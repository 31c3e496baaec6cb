"""Every bot text: GSM-7, SMS segments, reading grade and a discreet first line.

Prints a report of each prompt's segment count and reading grade (run with -s to see it).
"""

from __future__ import annotations

import pytest

from bot.textrules import is_gsm7, reading_grade, sms_segments
from config.app import AppConfig
from dialogues import load_dialogue

DIALOGUE = load_dialogue()
TEXTS = DIALOGUE.texts()


def test_report(config: AppConfig) -> None:
    print("\nwhere                                   segments  grade  fixed")
    for where, text, fixed in TEXTS:
        print(
            f"{where:40} {sms_segments(text):8} {reading_grade(text):6.1f}  {'yes' if fixed else ''}"
        )


@pytest.mark.parametrize(("where", "text", "fixed"), TEXTS, ids=[t[0] for t in TEXTS])
def test_text_is_gsm7_short_plain_and_discreet(
    config: AppConfig, where: str, text: str, fixed: bool
) -> None:
    rules = config.text_rules
    assert is_gsm7(text), f"{where}: not GSM-7: {[c for c in text if not is_gsm7(c)]}"
    assert sms_segments(text) <= rules.max_sms_segments, f"{where}: {sms_segments(text)} segments"
    if not fixed:
        assert reading_grade(text) <= rules.max_reading_grade, (
            f"{where}: grade {reading_grade(text):.1f}"
        )
    first = text.split("\n", 1)[0]
    assert len(first) <= rules.discreet_first_line_max_chars, (
        f"{where}: first line too long for a lock screen"
    )
    words = set(first.lower().replace(".", " ").replace(",", " ").split())
    assert not words & set(rules.sensitive_words), f"{where}: first line {first!r} is not discreet"


def test_handoffs_are_gsm7_within_two_segments_and_discreet(config: AppConfig) -> None:
    from datetime import UTC, datetime

    from safeguarding.detector import RiskAssessment
    from safeguarding.handoff import compose

    sg = config.safeguarding
    for who in ("self", "child", "other_adult", None):
        for kinds in ((), ("medical_emergency",)):
            for level in ("urgent", "support"):
                for route_kind in (None, "prison"):
                    for hour in (12, 23):
                        risk = RiskAssessment(level=level, who=who, kinds=kinds)  # type: ignore[arg-type]
                        text = compose(
                            risk,
                            sg,
                            when=datetime(2026, 11, 24, hour, tzinfo=UTC),
                            channel_kind="sms",
                            route_kind=route_kind,
                        )
                        assert is_gsm7(text), text
                        assert sms_segments(text) <= sg.sms_max_segments, text
                        assert text.split("\n")[0] == "Speak Up"


def test_segment_counting() -> None:
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("a" * 306) == 2
    assert sms_segments("\u2019" + "a" * 69) == 1
    assert sms_segments("\u2019" + "a" * 70) == 2
