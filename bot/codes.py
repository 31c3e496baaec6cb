"""Withdrawal codes: random, at least 40 bits, easy to read aloud, only able to delete.

Nine characters from Crockford's base 32 alphabet (no I, L, O or U, which are easy to confuse)
give 45 bits, written in three groups: ``K7Q-M4X-PRD``. Only a keyed hash is stored.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 9
BITS = LENGTH * 5
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_code() -> str:
    """Return a fresh code such as ``K7Q-M4X-PRD``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:3]}-{raw[3:6]}-{raw[6:]}"


def canonical(code: str) -> str | None:
    """Normalise a typed code (any case, spaces or dashes, O for 0); None if it cannot be one."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum()).translate(_CONFUSABLE)
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return raw
