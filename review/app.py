"""The staff web app at /review: every route, and the permission it needs, in one table."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from review import charts, queries
from review.auth import StaffSession, check_password, totp_ok
from review.base import COOKIE, ReviewBase
from review.themes_staff.coding import ThemeCodingViews
from review.views import TranscriptViews
from review.views_admin import AdminViews
from storage.models import StaffUser

Handler = Callable[[Request, StaffSession], Awaitable[Response]]


class ReviewApp(TranscriptViews, AdminViews, ThemeCodingViews, ReviewBase):
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
            ("/review/answers/{aid:int}/report", ["POST"], self.report, "transcripts"),
            ("/review/safeguarding", ["GET"], self.safeguarding, "safeguarding"),
            ("/review/safeguarding/{fid:int}", ["GET", "POST"], self.flag, "safeguarding"),
            ("/review/export", ["GET", "POST"], self.export, "export"),
            ("/review/audit", ["GET"], self.audit, "audit"),
            ("/review/audit.csv", ["GET"], self.audit_csv, "audit"),
            ("/review/users", ["GET"], self.users, "users"),
            # Themes: reviewers and admins (each handler checks the role as well).
            ("/review/themes", ["GET", "POST"], self.themes_codebook, "transcripts"),
            ("/review/themes/codebook.yml", ["GET"], self.themes_export, "transcripts"),
            ("/review/themes/refresh", ["POST"], self.themes_refresh, "transcripts"),
            ("/review/themes/code", ["GET", "POST"], self.themes_code, "transcripts"),
            ("/review/themes/findings", ["GET"], self.themes_findings, "transcripts"),
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
            session = self.signer.load(request.cookies.get(COOKIE))
            if session is None:
                return RedirectResponse("/review/login", status_code=303)
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
                if form.get("csrf") != session.csrf:
                    return self.page(
                        request,
                        session,
                        "error.html",
                        status=403,
                        message="This form has expired. Please go back and try again.",
                    )
            if permission == "safeguarding" and session.queue_since is None:
                session = replace(session, queue_since=time.time())
            response = await handler(request, session)
            self._set_cookie(response, replace(session, seen=time.time()))
            return response

        return endpoint

    # --- sign in and out ----------------------------------------------------------------------
    async def login(self, request: Request) -> Response:
        if request.method == "GET":
            return self.page(request, None, "login.html")
        form = await request.form()
        email = str(form.get("email", "")).strip().lower()
        key = hashlib.sha256(email.encode()).hexdigest()[:24]
        if not (
            self.limiter.hit(self.signin_limit, "signin", key)
            and self.limiter.hit(self.global_limit, "signin-all")
        ):
            await run_in_threadpool(self._audit, "anonymous", "signin_limited", f"account={key}")
            return self.page(
                request,
                None,
                "login.html",
                status=429,
                error="Too many attempts. Please wait 15 minutes and try again.",
            )
        user = await run_in_threadpool(
            self._check, email, str(form.get("password", "")), str(form.get("code", ""))
        )
        if user is None:
            await run_in_threadpool(self._audit, "anonymous", "signin_failed", f"account={key}")
            return self.page(
                request,
                None,
                "login.html",
                status=401,
                error="Those details are not right. Check your email, password and code.",
            )
        await run_in_threadpool(self._audit, user.email, "signin", f"role={user.role}")
        response = RedirectResponse("/review", status_code=303)
        self._set_cookie(response, self.signer.start(user.id, user.email, user.role))
        return response

    def _check(self, email: str, password: str, code: str) -> StaffUser | None:
        with self.db.session() as s:
            user = s.scalars(select(StaffUser).where(StaffUser.email == email)).first()
            if user is None or user.disabled or not check_password(user.password_hash, password):
                return None
            if not totp_ok(self.box.open(user.totp_secret), code):
                return None
            s.expunge(user)
            return user

    async def logout(self, request: Request, session: StaffSession) -> Response:
        await run_in_threadpool(self._audit, session.email, "signout", "")
        response = RedirectResponse("/review/login", status_code=303)
        self._set_cookie(response, None)
        return response

    # --- pages --------------------------------------------------------------------------------
    async def dashboard(self, request: Request, session: StaffSession) -> Response:
        def load() -> dict[str, Any]:
            with self.db.session() as s:
                return queries.dashboard(
                    s, [st.id for st in self.dialogue.steps if st.kind == "text"]
                )

        data = await run_in_threadpool(load)
        svgs = {
            "per_day": charts.bar_chart("Contributions per day by channel", data["per_day"]),
            "per_question": charts.bar_chart(
                "People who answered each question", data["per_question"]
            ),
            "flags": charts.bar_chart("Safeguarding flags per day", data["flags"]),
            "routes": charts.bar_chart("Answers per route", data["routes"]),
        }
        return self.page(
            request, session, "dashboard.html", charts=svgs, open_urgent=data["open_urgent"]
        )
