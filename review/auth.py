"""Staff authentication: argon2 passwords, roles and their permissions, sealed TOTP seeds.

Sessions live on the server (``review/signin.py``): the cookie is an opaque random id, scoped to
/review, HttpOnly and SameSite=Strict. Every form carries a CSRF token bound to the session.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ROLES = ("reviewer", "safeguarding", "admin")
PERMISSIONS: dict[str, frozenset[str]] = {
    "reviewer": frozenset({"dashboard", "transcripts"}),
    "safeguarding": frozenset({"dashboard", "transcripts", "safeguarding", "unhide"}),
    "admin": frozenset(
        {"dashboard", "transcripts", "safeguarding", "unhide", "export", "audit", "users"}
    ),
}
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def check_password(stored: str, password: str) -> bool:
    """Verify a password against its argon2 hash (constant time)."""
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_password() -> str:
    """A strong random password to hand to a new staff member once."""
    return secrets.token_urlsafe(18)


class SecretBox:
    """Seals small secrets (TOTP seeds) with a key derived from the session secret."""

    def __init__(self, session_secret: bytes) -> None:
        self.key = hashlib.sha256(b"totp-seal\x00" + session_secret).digest()

    def seal(self, value: str) -> str:
        nonce = os.urandom(12)
        return base64.b64encode(
            nonce + AESGCM(self.key).encrypt(nonce, value.encode(), None)
        ).decode()

    def open(self, sealed: str) -> str:
        raw = base64.b64decode(sealed)
        return AESGCM(self.key).decrypt(raw[:12], raw[12:], None).decode()


@dataclass(frozen=True)
class StaffSession:
    """The signed-in staff member, as the server-side session row and the account say now."""

    user_id: int
    email: str
    role: str
    csrf: str
    issued: float
    seen: float
    queue_since: float | None = None

    def can(self, permission: str) -> bool:
        """Whether this role may use a permission."""
        return permission in PERMISSIONS.get(self.role, frozenset())
