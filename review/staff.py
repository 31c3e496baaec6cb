"""Staff accounts from the command line (``speakup staff``); admins do the same in the app on the
Users pages (``review/pages/staffadmin.py``), audited under their own email."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyotp
from sqlalchemy import select
from sqlalchemy.orm import Session

from review.audit import record
from review.auth import ROLES, SecretBox, hash_password, new_password
from review.signin import end_sessions
from storage.models import StaffUser


@dataclass(frozen=True)
class NewAccount:
    """What to hand to a new staff member, once, over a safe route."""

    email: str
    password: str
    totp_uri: str
    totp_secret: str


def add_staff(session: Session, box: SecretBox, email: str, role: str, now: datetime) -> NewAccount:
    """Create an account (or reset one) with a new password and a new TOTP secret."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    email = email.strip().lower()
    if "@" not in email:
        raise ValueError("that is not an email address")
    password, secret = new_password(), pyotp.random_base32()
    user = session.scalars(select(StaffUser).where(StaffUser.email == email)).first()
    if user is None:
        user = StaffUser(email=email, created_at=now)
        session.add(user)
    else:  # a reset or a role change ends every session the account has open
        end_sessions(session, user.id)
    user.role, user.password_hash, user.totp_secret, user.disabled, user.totp_last_step = (
        role,
        hash_password(password),
        box.seal(secret),
        False,
        None,
    )
    record(session, "cli", "staff_add", f"{email} role={role}", now)
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name="Speak Up review")
    return NewAccount(email, password, uri, secret)


def disable_staff(session: Session, email: str, now: datetime) -> bool:
    """Disable an account; True if it existed."""
    user = session.scalars(
        select(StaffUser).where(StaffUser.email == email.strip().lower())
    ).first()
    if user is None:
        return False
    user.disabled = True
    ended = end_sessions(session, user.id)
    record(session, "cli", "staff_disable", f"{user.email} sessions_ended={ended}", now)
    return True


def sign_out_staff(session: Session, email: str | None, now: datetime) -> int | None:
    """End one account's sessions (or everyone's, ``None``); the number ended, None if no account."""
    staff_id = None
    if email is not None:
        user = session.scalars(
            select(StaffUser).where(StaffUser.email == email.strip().lower())
        ).first()
        if user is None:
            return None
        staff_id = user.id
    ended = end_sessions(session, staff_id)
    record(session, "cli", "staff_sign_out", f"{email or 'everyone'} sessions_ended={ended}", now)
    return ended
