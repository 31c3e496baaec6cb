"""Staff accounts in the app (admins only): add, disable or enable, change role, reset two-factor.

Every change is in the audit log under the admin's email. Disabling, changing a role and resetting
two-factor end the account's open sessions at once (``review.signin.end_sessions``). An admin
cannot disable or change the role of their own account, so the app always keeps an admin.
A new password and two-factor key are shown once (staff pages are sent ``no-store``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from review.audit import record
from review.auth import ROLES, SecretBox, StaffSession, hash_password, new_password
from review.base import ReviewBase
from review.signin import end_sessions
from storage.models import StaffUser

ACTIONS = ("disable", "enable", "role", "reset-two-factor")


@dataclass(frozen=True)
class Issued:
    """What to hand over once: a password (new accounts only) and a two-factor key."""

    email: str
    password: str | None
    totp_secret: str
    totp_uri: str


def _issue(box: SecretBox, user: StaffUser) -> tuple[str, str]:
    secret = pyotp.random_base32()
    user.totp_secret, user.totp_last_step = box.seal(secret), None
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="Speak Up review")
    return secret, uri


def email_problem(email: str) -> str | None:
    """Why an email address cannot be used, or None."""
    if not email:
        return "Enter the email address"
    if "@" not in email or " " in email or len(email) > 200:
        return "Enter an email address in the right format, like name@example.org"
    return None


def add_account(
    session: Session, box: SecretBox, email: str, role: str, by: str, now: datetime
) -> Issued | str:
    """A new account, or the reason it cannot be made (shown beside the field)."""
    email = email.strip().lower()
    problem = email_problem(email)
    if problem:
        return problem
    if session.scalars(select(StaffUser).where(StaffUser.email == email)).first() is not None:
        return "There is already an account for this email address"
    password = new_password()
    user = StaffUser(email=email, role=role, password_hash=hash_password(password), created_at=now)
    secret, uri = _issue(box, user)
    session.add(user)
    record(session, by, "staff_added", f"{email} role={role}", now)
    return Issued(email, password, secret, uri)


def change_account(
    session: Session, box: SecretBox, user: StaffUser, action: str, role: str, by: str
) -> Issued | None:
    """Apply one change (already confirmed) and audit it; a new two-factor key if reset."""
    now = datetime.now(UTC)
    issued = None
    if action == "disable":
        user.disabled = True
    elif action == "enable":
        user.disabled = False
    elif action == "role":
        before, user.role = user.role, role
        detail = f"{before}->{role}"
    else:
        secret, uri = _issue(box, user)
        issued = Issued(user.email, None, secret, uri)
    ended = 0 if action == "enable" else end_sessions(session, user.id)
    names = {
        "disable": "staff_disabled",
        "enable": "staff_enabled",
        "role": "staff_role_changed",
        "reset-two-factor": "staff_two_factor_reset",
    }
    extra = f" role={detail}" if action == "role" else ""
    record(session, by, names[action], f"{user.email}{extra} sessions_ended={ended}", now)
    return issued


class StaffViews(ReviewBase):
    """The Users pages (the ``users`` permission: admins)."""

    async def users(self, request: Request, session: StaffSession) -> Response:
        return await self._users_page(request, session)

    async def _users_page(
        self,
        request: Request,
        session: StaffSession,
        errors: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
    ) -> Response:
        def load() -> list[StaffUser]:
            with self.db.session() as s:
                users = list(s.scalars(select(StaffUser).order_by(StaffUser.email)))
                for u in users:
                    s.expunge(u)
                return users

        return self.page(
            request,
            session,
            "users.html",
            status=400 if errors else 200,
            users=await run_in_threadpool(load),
            roles=ROLES,
            errors=errors or {},
            form=form or {},
            notice=request.query_params.get("done"),
        )

    async def add_user(self, request: Request, session: StaffSession) -> Response:
        data = await request.form()
        email, role = str(data.get("email", ""))[:200], str(data.get("role", ""))
        errors = {} if role in ROLES else {"role": "Choose a role"}
        problem = email_problem(email.strip().lower())
        if problem:
            errors["email"] = problem

        def act() -> Issued | str:
            with self.db.session() as s:
                return add_account(s, self.box, email, role, session.email, datetime.now(UTC))

        outcome = await run_in_threadpool(act) if not errors else None
        if isinstance(outcome, str):
            errors["email"] = outcome
        if errors or outcome is None:
            return await self._users_page(
                request,
                session,
                errors={k: errors[k] for k in ("email", "role") if k in errors},
                form={"email": email, "role": role},
            )
        # Shown once: the server sends every staff page with "Cache-Control: no-store".
        return self.page(request, session, "user_issued.html", issued=outcome, new=True)

    async def user(self, request: Request, session: StaffSession) -> Response:
        uid = request.path_params["uid"]

        def load() -> StaffUser | None:
            with self.db.session() as s:
                found = s.get(StaffUser, uid)
                if found is not None:
                    s.expunge(found)
                return found

        found = await run_in_threadpool(load)
        if found is None:
            return self.page(
                request, session, "error.html", status=404, message="There is no such account."
            )
        return self.page(
            request,
            session,
            "user.html",
            user=found,
            roles=ROLES,
            own=found.id == session.user_id,
            notice=request.query_params.get("done"),
        )

    async def user_action(self, request: Request, session: StaffSession) -> Response:
        """Asks first (what will happen), then acts on ``confirm=yes``."""
        uid, action = request.path_params["uid"], request.path_params["action"]
        data = await request.form()
        role = str(data.get("role", ""))
        if action not in ACTIONS or (action == "role" and role not in ROLES):
            return self.page(
                request, session, "error.html", status=400, message="Choose a change to make."
            )
        if uid == session.user_id and action in ("disable", "role"):
            return self.page(
                request,
                session,
                "error.html",
                status=400,
                message="You cannot disable your own account or change your own role. "
                "Ask another administrator.",
            )
        confirmed = data.get("confirm") == "yes"

        def act() -> tuple[StaffUser | None, Issued | None]:
            with self.db.session() as s:
                user = s.get(StaffUser, uid)
                if user is None:
                    return None, None
                issued = (
                    change_account(s, self.box, user, action, role, session.email)
                    if confirmed
                    else None
                )
                s.flush()
                s.expunge(user)
                return user, issued

        user, issued = await run_in_threadpool(act)
        if user is None:
            return self.page(
                request, session, "error.html", status=404, message="There is no such account."
            )
        if not confirmed:
            return self.page(
                request, session, "user_confirm.html", user=user, action=action, role=role
            )
        if issued is not None:
            return self.page(request, session, "user_issued.html", issued=issued, new=False)
        return RedirectResponse(f"/review/users/{uid}?done={action}", status_code=303)
