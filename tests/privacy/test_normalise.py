"""The normalised copy the recognisers read, and the way spans map back to what was written."""

from __future__ import annotations

import time

import pytest

from privacy.normalise import normalise


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("\uff10\uff17\uff19\uff11\uff12 \uff13\uff14\uff15\uff16\uff17\uff18", "07912 345678"),
        ("0 7 9 1 2 3 4 5 6 7 8", "07912345678"),
        ("9.4.3.4.7.6.5.9.1.9", "9434765919"),
        ("0-7-9-1-2-3-4-5-6-7-8", "07912345678"),
        ("\u0441\u0430m", "cam"),  # Cyrillic es and a, Latin m
        ("\uff4d\uff59 \uff4e\uff41\uff4d\uff45", "my name"),
        ("Jose\u0301", "Jose"),
        ("hi \U0001f600\U0001f600\U0001f600 there", "hi   there"),
        ("no!!!!!!!!!!", "no!!!"),
        ("room 4 5 6", "room 4 5 6"),  # three spaced digits are not a number run
        ("14/03/2008 and 07912 345678", "14/03/2008 and 07912 345678"),
    ],
)
def test_normalised_text(text: str, normalised: str) -> None:
    assert normalise(text).text == normalised


def test_a_span_in_the_normalised_text_maps_back_to_what_was_written() -> None:
    text = "ring \uff10\uff17\uff19\uff11\uff12 \uff13\uff14\uff15\uff16\uff17\uff18 \U0001f600 ok"
    norm = normalise(text)
    start = norm.text.index("07912")
    start, end = norm.span(start, start + len("07912 345678"), text)
    assert text[start:end] == "\uff10\uff17\uff19\uff11\uff12 \uff13\uff14\uff15\uff16\uff17\uff18"


def test_a_combining_accent_stays_with_its_letter() -> None:
    text = "my friend Jose\u0301 is kind"
    norm = normalise(text)
    start = norm.text.index("Jose")
    assert norm.span(start, start + 4, text) == (10, 15)


def test_H2_a_long_run_of_emoji_or_marks_becomes_one_gap_before_any_model() -> None:
    emoji = "".join(chr(0x1F600 + i % 79) for i in range(20000))
    started = time.perf_counter()
    norm = normalise(emoji + " call 07912 345678 " + "!" * 20000)
    assert time.perf_counter() - started < 1.0
    assert norm.text == "  call 07912 345678 !!!"


def test_an_answer_in_capitals_is_read_in_lower_case() -> None:
    assert normalise("TELL SHARON SHE NEVER LISTENED").text == "tell sharon she never listened"
    assert normalise("I rang CAMHS and NSPCC today").text == "I rang CAMHS and NSPCC today"
