"""Staff authentication: argon2 passwords, TOTP second factor, signed sessions and CSRF tokens.

Sessions are an HMAC-signed cookie (no server-side store), scoped to /review, HttpOnly and
SameSite=Strict, with an idle timeout and an absolute lifetime. Every form carries a CSRF token
bound to the session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ROLES = ("reviewer", "safeguarding", "admin")
PERMISSIONS: dict[str, frozenset[str]] = {
    "reviewer": frozenset({"dashboard", "transcripts"}),
    "safeguarding": frozenset({"dashboard", "transcripts", "safeguarding"}),
    "admin": frozenset({"dashboard", "transcripts", "safeguarding", "export", "audit", "users"}),
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


def totp_ok(secret: str, code: str) -> bool:
    """Check a 6-digit code, allowing one 30-second step of clock drift."""
    code = code.strip().replace(" ", "")
    return code.isdigit() and len(code) == 6 and pyotp.TOTP(secret).verify(code, valid_window=1)


@dataclass(frozen=True)
class StaffSession:
    """What the signed cookie says about the signed-in staff member."""

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


class SessionSigner:
    """Creates and checks session cookies; refuses expired or tampered ones."""

    def __init__(self, secret: bytes, *, idle_seconds: int, max_seconds: int) -> None:
        self.secret = hashlib.sha256(b"staff-session\x00" + secret).digest()
        self.idle = idle_seconds
        self.max = max_seconds

    def _sign(self, payload: bytes) -> str:
        return hmac.new(self.secret, payload, hashlib.sha256).hexdigest()

    def dump(self, session: StaffSession) -> str:
        payload = base64.urlsafe_b64encode(json.dumps(session.__dict__).encode())
        return payload.decode() + "." + self._sign(payload)

    def load(self, cookie: str | None, now: float | None = None) -> StaffSession | None:
        if not cookie or "." not in cookie:
            return None
        payload, _, signature = cookie.rpartition(".")
        if not hmac.compare_digest(signature, self._sign(payload.encode())):
            return None
        try:
            session = StaffSession(**json.loads(base64.urlsafe_b64decode(payload.encode())))
        except (ValueError, TypeError):
            return None
        now = now or time.time()
        if now - session.seen > self.idle or now - session.issued > self.max:
            return None
        return session

    def start(self, user_id: int, email: str, role: str) -> StaffSession:
        now = time.time()
        return StaffSession(user_id, email, role, secrets.token_urlsafe(24), now, now)
