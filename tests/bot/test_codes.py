"""Withdrawal codes: at least 40 bits, readable aloud, forgiving when typed."""

from __future__ import annotations

import re

from bot.codes import ALPHABET, BITS, canonical, new_code


def test_codes_have_at_least_40_bits_and_no_confusable_letters() -> None:
    assert BITS >= 40
    assert not set("ILOU") & set(ALPHABET)
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(r"[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}", c) for c in codes)


def test_typed_codes_are_understood() -> None:
    assert canonical("k7q-m4x-prd") == "K7QM4XPRD"
    assert canonical("K7Q M4X PRD") == "K7QM4XPRD"
    assert canonical("O1I-L00-ABC") == "011100ABC"
    assert canonical("too short") is None
