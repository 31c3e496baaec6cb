"""The staff web app at /review: every route, and the permission it needs, in one table."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from review.audit import record
from review.auth import StaffSession, check_password
from review.base import COOKIE, DEVICE_COOKIE, ReviewBase
from review.corrections import CorrectionViews
from review.pages.answers import QuestionViews
from review.pages.dashboard import DashboardViews
from review.pages.staffadmin import StaffViews
from review.signin import DEVICE_DAYS, Attempt, SigninGuard, dummy_hash, end_sessions, use_totp
from review.themes_staff.discover_pages import ThemeDiscoveryViews
from review.views import TranscriptViews
from review.views_admin import AdminViews
from storage.models import AuditEvent, StaffUser

Handler = Callable[[Request, StaffSession], Awaitable[Response]]
REFUSALS = ("signin_failed", "signin_limited")


class ReviewApp(
    TranscriptViews,
    QuestionViews,
    DashboardViews,
    StaffViews,
    AdminViews,
    CorrectionViews,
    ThemeDiscoveryViews,
    ReviewBase,
):
    """Server-rendered pages for review staff; works without JavaScript."""

    # --- the route table ----------------------------------------------------------------------
    def routes(self) -> list[Route]:
        """Every /review route with the permission it needs (None: signing in)."""
        table: list[
            tuple[str, list[str], Handler | Callable[[Request], Awaitable[Response]], str | None]
        ] = [
            ("/review/login", ["GET", "POST"], self.login, None),
            ("/review/logout", ["POST"], self.logout, "dashboard"),
            ("/review", ["GET"], self.dashboard, "dashboard"),
            ("/review/transcripts", ["GET"], self.transcripts, "transcripts"),
            ("/review/transcripts/{cid}", ["GET"], self.transcript, "transcripts"),
            ("/review/transcripts/{cid}/step-back", ["POST"], self.step_back, "transcripts"),
            (
                "/review/transcripts/{cid}/step-back/undo",
                ["POST"],
                self.step_back_undo,
                "transcripts",
            ),
            ("/review/answers/{aid:int}/report", ["POST"], self.report, "transcripts"),
            ("/review/questions", ["GET"], self.questions_index, "transcripts"),
            ("/review/questions/{qid}", ["GET"], self.question, "transcripts"),
            ("/review/safeguarding", ["GET"], self.safeguarding, "safeguarding"),
            ("/review/safeguarding/{fid:int}", ["GET", "POST"], self.flag, "safeguarding"),
            ("/review/safeguarding/{fid:int}/level", ["POST"], self.correct, "safeguarding"),
            (
                "/review/safeguarding/corrections.tsv",
                ["GET"],
                self.corrections_export,
                "safeguarding",
            ),
            ("/review/export", ["GET", "POST"], self.export, "export"),
            ("/review/audit", ["GET"], self.audit, "audit"),
            ("/review/audit.csv", ["GET"], self.audit_csv, "audit"),
            ("/review/users", ["GET"], self.users, "users"),
            ("/review/users/sign-out-everyone", ["POST"], self.sign_out_everyone, "users"),
            ("/review/users/add", ["POST"], self.add_user, "users"),
            ("/review/users/{uid:int}", ["GET"], self.user, "users"),
            ("/review/users/{uid:int}/{action}", ["POST"], self.user_action, "users"),
            ("/review/answers/{aid:int}/unhide", ["POST"], self.unhide, "unhide"),
            # Themes: reviewers and admins (each handler checks the role as well).
            ("/review/themes", ["GET", "POST"], self.themes_codebook, "transcripts"),
            ("/review/themes/codebook.yml", ["GET"], self.themes_export, "transcripts"),
            ("/review/themes/refresh", ["POST"], self.themes_refresh, "transcripts"),
            ("/review/themes/code", ["GET", "POST"], self.themes_code, "transcripts"),
            ("/review/themes/findings", ["GET"], self.themes_findings, "transcripts"),
            ("/review/themes/discover", ["GET", "POST"], self.themes_discover, "transcripts"),
            ("/review/themes/codings.csv", ["GET"], self.themes_codings_csv, "export"),
            ("/review/themes/keys.js", ["GET"], self.themes_keys_js, "transcripts"),
        ]
        out = []
        for path, methods, handler, permission in table:
            endpoint = handler if permission is None else self._guard(handler, permission)  # type: ignore[arg-type]
            out.append(Route(path, endpoint, methods=methods))
        return out

    def _guard(self, handler: Handler, permission: str) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            token = request.cookies.get(COOKIE)
            session = await run_in_threadpool(
                self._session, token, queue=permission == "safeguarding"
            )
            if session is None:
                response: Response = RedirectResponse("/review/login", status_code=303)
                if token:
                    self._set_cookie(response, None)
                return response
            if not session.can(permission):
                return self.page(
                    request,
                    session,
                    "error.html",
                    status=403,
                    message="You do not have access to this page.",
                )
            if request.method == "POST":
                form = await request.form()
                if not hmac.compare_digest(str(form.get("csrf", "")), session.csrf):
                    return self.page(
                        request,
                        session,
                        "error.html",
                        status=403,
                        message="This form has expired. Please go back and try again.",
                    )
            return await handler(request, session)

        return endpoint

    def _session(self, token: str | None, *, queue: bool) -> StaffSession | None:
        with self.db.session() as s:
            return self.sessions.load(s, token, datetime.now(UTC), queue=queue)

    # --- sign in and out ----------------------------------------------------------------------
    async def login(self, request: Request) -> Response:
        if request.method == "GET":
            return self.page(request, None, "login.html")
        form = await request.form()
        email = str(form.get("email", "")).strip().lower()[:200]
        missing = {
            name: words
            for name, words in (
                ("email", "Enter your email address"),
                ("password", "Enter your password"),
                ("code", "Enter the 6-digit code from your authenticator app"),
            )
            if not str(form.get(name, "")).strip()
        }
        if missing:
            return self.page(request, None, "login.html", status=400, errors=missing, email=email)
        attempt = self.guard.attempt(
            email,
            request.client.host if request.client else "unknown",
            request.cookies.get(DEVICE_COOKIE),
        )
        outcome = await run_in_threadpool(
            self._sign_in,
            attempt,
            email,
            str(form.get("password", ""))[:1000],
            str(form.get("code", ""))[:20],
        )
        if outcome in ("limited", "failed"):
            limited = outcome == "limited"
            return self.page(
                request,
                None,
                "login.html",
                status=429 if limited else 401,
                email=email,
                errors={
                    "email": "Too many attempts. Please wait 15 minutes and try again."
                    if limited
                    else "Those details are not right. Check your email, password and code."
                },
            )
        response = RedirectResponse("/review", status_code=303)
        self._set_cookie(response, outcome)
        if not attempt.trusted:
            response.set_cookie(
                DEVICE_COOKIE,
                self.guard.device_cookie(attempt.account),
                httponly=True,
                secure=self.secure,
                samesite="strict",
                path="/review/login",
                max_age=DEVICE_DAYS * 86400,
            )
        return response

    def _sign_in(self, attempt: Attempt, email: str, password: str, code: str) -> str:
        """A session cookie value, or "limited" / "failed". The password is checked outside any
        transaction; an unknown or disabled account checks a dummy hash, so it takes as long."""
        now = datetime.now(UTC)
        with self.db.session() as s:
            if not self.guard.allowed(s, attempt, now):
                self._audit_refusal(s, "signin_limited", attempt, now)
                return "limited"
            user = s.scalars(select(StaffUser).where(StaffUser.email == email)).first()
            live = user is not None and not user.disabled
            stored = user.password_hash if user is not None and live else dummy_hash()
        ok = check_password(stored, password) and live
        with self.db.session() as s:
            user = s.scalars(select(StaffUser).where(StaffUser.email == email)).first()
            if (
                ok
                and user is not None
                and not user.disabled
                and use_totp(s, user, self.box.open(user.totp_secret), code, now)
            ):
                self.guard.succeeded(s, attempt)
                record(s, user.email, "signin", f"role={user.role}", now)
                return self.sessions.start(s, user, now)
            self.guard.failed(s, attempt, now)
            self._audit_refusal(s, "signin_failed", attempt, now)
            return "failed"

    @staticmethod
    def _audit_refusal(s: Session, action: str, attempt: Attempt, now: datetime) -> None:
        """At most one audit row a minute for refused sign-ins, carrying the count, so a flood
        of junk cannot flood the log (the failure table holds each one for the limits)."""
        since = now - timedelta(minutes=1)
        recent = s.scalar(
            select(AuditEvent.id)
            .where(AuditEvent.action.in_(REFUSALS), AuditEvent.at >= since)
            .limit(1)
        )
        if recent is None:
            failures = SigninGuard.recent_failures(s, now)
            detail = f"account={attempt.account} failures_last_minute={failures}"
            record(s, "anonymous", action, detail, now)

    async def logout(self, request: Request, session: StaffSession) -> Response:
        def end() -> None:
            with self.db.session() as s:
                self.sessions.end(s, request.cookies.get(COOKIE))
                record(s, session.email, "signout", "", datetime.now(UTC))

        await run_in_threadpool(end)
        response = RedirectResponse("/review/login", status_code=303)
        self._set_cookie(response, None)
        return response

    async def sign_out_everyone(self, request: Request, session: StaffSession) -> Response:
        def end() -> None:
            with self.db.session() as s:
                ended = end_sessions(s)
                record(s, session.email, "signout_everyone", f"sessions={ended}", datetime.now(UTC))

        await run_in_threadpool(end)
        response = RedirectResponse("/review/login", status_code=303)
        self._set_cookie(response, None)
        return response
