"""Issue 17 L4: look-alike letters and digits got past the risk detector (cc1cb44 judged each of
these ``none``). Normalisation (safeguarding/normalise.py) runs before the rules and the model."""

from __future__ import annotations

import pytest

from safeguarding import load_detector


@pytest.mark.parametrize(
    "text",
    [
        "I want to k1ll mys3lf tonight",  # digits for letters
        "\u0456 w\u0430nt t\u043e k\u0456ll mys\u0435lf t\u043enight",  # Cyrillic look-alikes
        "i want to k i l l myself tonight",  # spaced letters
        "".join(chr(ord(c) + 0xFEE0) if c != " " else c for c in "I WANT TO KILL MYSELF TONIGHT"),
    ],
)
def test_L4_look_alike_letters_and_digits_do_not_hide_a_disclosure(text: str) -> None:
    assert load_detector().assess(text).level == "urgent"
