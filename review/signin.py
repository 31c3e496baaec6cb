"""Sign-in state kept on the server: sessions, refused attempts, trusted devices, used TOTP steps.

Sessions: the cookie holds a random id and nothing else; the database holds its SHA-256, the
account, the role it was granted under, the CSRF token and when it was made and last used. Every
request looks the row up, so signing out, disabling an account, changing its role or an admin's
"sign everyone out" (deleting rows) ends a session at once. Idle and absolute expiry are checked
on every request.

Refused attempts: each is a row keyed by keyed hashes of the account and of the client, so the
limits are per account and per client, successful sign-ins never count, and a flood from one
client does not lock anyone else out. A browser that has signed in to an account before carries a
device cookie for it, and is held only to its own limit for that account: nobody elsewhere can
lock a member of staff out of their own browser.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import pyotp
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from review.auth import PERMISSIONS, StaffSession, hash_password
from storage.models import SigninFailure, StaffSessionRow, StaffUser

WINDOW = timedelta(minutes=15)
PER_CLIENT = 20  # refused attempts from one client, any accounts, per window
PER_ACCOUNT = 20  # refused attempts on one account from clients that are not its devices
TOUCH_SECONDS = 60  # "last used" is written at most this often per session
DEVICE_DAYS = 90


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """An argon2 hash of a random password, verified for unknown or disabled accounts so that
    they take as long to refuse as a wrong password does."""
    return hash_password(secrets.token_urlsafe(16))


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def end_sessions(session: Session, staff_id: int | None = None) -> int:
    """End every session of one account, or everyone's (``None``); return how many ended."""
    stmt = delete(StaffSessionRow)
    if staff_id is not None:
        stmt = stmt.where(StaffSessionRow.staff_id == staff_id)
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


class SessionStore:
    """Creates, finds, touches and ends server-side staff sessions."""

    def __init__(self, *, idle_seconds: int, max_seconds: int) -> None:
        self.idle = timedelta(seconds=idle_seconds)
        self.max = timedelta(seconds=max_seconds)

    def start(self, session: Session, user: StaffUser, now: datetime) -> str:
        """Open a session for ``user``; return the cookie value (shown to the browser only)."""
        token = secrets.token_urlsafe(32)
        session.add(
            StaffSessionRow(
                id_hash=_sha(token),
                staff_id=user.id,
                role=user.role,
                csrf=secrets.token_urlsafe(24),
                created_at=now,
                seen_at=now,
            )
        )
        # Expired rows go as new ones come: the table holds only live sessions.
        session.execute(
            delete(StaffSessionRow).where(
                or_(
                    StaffSessionRow.seen_at < now - self.idle,
                    StaffSessionRow.created_at < now - self.max,
                )
            )
        )
        return token

    def load(
        self, session: Session, token: str | None, now: datetime, *, queue: bool = False
    ) -> StaffSession | None:
        """The live session for a cookie, or None (unknown, ended, expired, account disabled or
        its role changed). ``queue`` marks the start of time on the safeguarding queue."""
        if not token or len(token) > 100:
            return None
        found = session.execute(
            select(StaffSessionRow, StaffUser)
            .join(StaffUser, StaffUser.id == StaffSessionRow.staff_id)
            .where(StaffSessionRow.id_hash == _sha(token))
        ).first()
        if found is None:
            return None
        row, user = found
        created, seen = _aware(row.created_at), _aware(row.seen_at)
        if (
            user.disabled
            or user.role != row.role
            or now - seen > self.idle
            or now - created > self.max
        ):
            session.delete(row)
            return None
        if (now - seen).total_seconds() >= TOUCH_SECONDS:
            row.seen_at = now
        if queue and row.queue_since is None and "safeguarding" in PERMISSIONS.get(user.role, ()):
            row.queue_since = now
        return StaffSession(
            user_id=user.id,
            email=user.email,
            role=user.role,
            csrf=row.csrf,
            issued=created.timestamp(),
            seen=seen.timestamp(),
            queue_since=_aware(row.queue_since).timestamp() if row.queue_since else None,
        )

    @staticmethod
    def end(session: Session, token: str | None) -> None:
        """End the session this cookie names, if any."""
        if token:
            session.execute(delete(StaffSessionRow).where(StaffSessionRow.id_hash == _sha(token)))


def use_totp(session: Session, user: StaffUser, secret: str, code: str, now: datetime) -> bool:
    """Accept a 6-digit code once: within one 30-second step of drift, and only for a time step
    later than the last one this account used (stored, so a second use of a code is refused
    whichever worker sees it)."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(secret)
    for drift in (-1, 0, 1):
        at = now + timedelta(seconds=30 * drift)
        if hmac.compare_digest(totp.at(at), code):
            step = totp.timecode(at)
            claimed = session.execute(
                update(StaffUser)
                .where(
                    StaffUser.id == user.id,
                    or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step),
                )
                .values(totp_last_step=step)
            )
            return bool(claimed.rowcount)  # type: ignore[attr-defined]
    return False


@dataclass(frozen=True)
class Attempt:
    """Who is trying to sign in, as keyed hashes: never an email or client address."""

    account: str
    client: str
    trusted: bool  # the browser carries this account's device cookie


class SigninGuard:
    """Per-account and per-client limits on refused sign-ins, and device cookies."""

    def __init__(self, secret: bytes, *, per_account_client: int) -> None:
        self.key = hashlib.sha256(b"staff-signin\x00" + secret).digest()
        self.per_account_client = per_account_client

    def keyed(self, kind: str, value: str) -> str:
        """A keyed hash: the audit log and the failure table hold these, not emails or IPs."""
        return hmac.new(self.key, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()[:32]

    def device_cookie(self, account: str) -> str:
        token = secrets.token_urlsafe(16)
        return token + "." + self.keyed("device", f"{account}\x00{token}")

    def attempt(self, email: str, client_host: str, device: str | None) -> Attempt:
        account = self.keyed("account", email)
        if device and "." in device:
            token, _, mac = device.rpartition(".")
            if hmac.compare_digest(mac, self.keyed("device", f"{account}\x00{token}")):
                return Attempt(account, self.keyed("device-client", token), True)
        return Attempt(account, self.keyed("client", client_host), False)

    def allowed(self, session: Session, attempt: Attempt, now: datetime) -> bool:
        """Whether this attempt may be checked at all; refused attempts in the window decide."""
        since = now - WINDOW

        def count(*conds: object) -> int:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(SigninFailure)
                    .where(SigninFailure.at >= since, *conds)  # type: ignore[arg-type]
                )
                or 0
            )

        mine = count(
            SigninFailure.account_key == attempt.account,
            SigninFailure.client_key == attempt.client,
        )
        if mine >= self.per_account_client:
            return False
        if attempt.trusted:
            return True
        return (
            count(SigninFailure.client_key == attempt.client) < PER_CLIENT
            and count(SigninFailure.account_key == attempt.account) < PER_ACCOUNT
        )

    @staticmethod
    def failed(session: Session, attempt: Attempt, now: datetime) -> None:
        session.add(SigninFailure(at=now, account_key=attempt.account, client_key=attempt.client))
        session.execute(delete(SigninFailure).where(SigninFailure.at < now - 4 * WINDOW))

    @staticmethod
    def succeeded(session: Session, attempt: Attempt) -> None:
        """A successful sign-in clears this client's failures on this account."""
        session.execute(
            delete(SigninFailure).where(
                SigninFailure.account_key == attempt.account,
                SigninFailure.client_key == attempt.client,
            )
        )

    @staticmethod
    def recent_failures(session: Session, now: datetime) -> int:
        return int(
            session.scalar(
                select(func.count())
                .select_from(SigninFailure)
                .where(SigninFailure.at >= now - timedelta(minutes=1))
            )
            or 0
        )
