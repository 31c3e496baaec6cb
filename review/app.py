"""The staff web app at /review: every route, and the permission it needs, in one table."""

from __future__ import annotations

import csv
import hashlib
import io
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from limits import RateLimitItemPerMinute, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.admin import reredact_answer
from bot.config import AppConfig
from bot.storage import Database
from bot.storage.models import Answer, AuditEvent, Flag, Recusal, StaffUser
from dialogues.schema import Dialogue
from privacy import Redactor
from review import charts, queries
from review.audit import record, verify_chain
from review.auth import SecretBox, SessionSigner, StaffSession, check_password, totp_ok
from review.export import export_answers

COOKIE = "speakup_staff"
TEMPLATES = Path(__file__).resolve().parent / "templates"
Handler = Callable[[Request, StaffSession], Awaitable[Response]]


class ReviewApp:
    """Server-rendered pages for review staff; works without JavaScript."""

    def __init__(
        self,
        db: Database,
        config: AppConfig,
        dialogue: Dialogue,
        redactor: Redactor,
        session_secret: bytes,
        *,
        secure_cookies: bool,
        redis_url: str | None = None,
    ) -> None:
        self.db, self.config, self.dialogue, self.redactor = db, config, dialogue, redactor
        cfg = config.review
        self.signer = SessionSigner(
            session_secret,
            idle_seconds=cfg.session_idle_minutes * 60,
            max_seconds=cfg.session_max_hours * 3600,
        )
        self.box = SecretBox(session_secret)
        self.secure = secure_cookies
        self.limiter = FixedWindowRateLimiter(storage_from_string(redis_url or "memory://"))
        self.signin_limit = parse(f"{cfg.signin_attempts_per_15_minutes}/15 minutes")
        self.global_limit = RateLimitItemPerMinute(60)
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
        )
        self.questions = {s.id: s.prompt.split("\n", 1)[-1] for s in dialogue.steps}

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

    # --- helpers ------------------------------------------------------------------------------
    def page(
        self,
        request: Request,
        session: StaffSession | None,
        name: str,
        status: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        welfare = None
        if session is not None and session.queue_since is not None:
            minutes = (time.time() - session.queue_since) / 60
            if minutes >= self.config.review.welfare_reminder_minutes:
                welfare = int(minutes)
        html = self.env.get_template(name).render(
            request=request, session=session, welfare=welfare, **context
        )
        return HTMLResponse(html, status_code=status)

    def _set_cookie(self, response: Response, session: StaffSession | None) -> None:
        if session is None:
            response.delete_cookie(COOKIE, path="/review")
            return
        response.set_cookie(
            COOKIE,
            self.signer.dump(session),
            httponly=True,
            secure=self.secure,
            samesite="strict",
            path="/review",
            max_age=self.config.review.session_max_hours * 3600,
        )

    def _audit(self, actor: str, action: str, detail: str) -> None:
        with self.db.session() as s:
            record(s, actor, action, detail, datetime.now(UTC))

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

    async def transcripts(self, request: Request, session: StaffSession) -> Response:
        q = request.query_params

        def opt(name: str) -> str | None:
            return q.get(name) or None

        def day(name: str) -> date | None:
            try:
                return date.fromisoformat(q[name]) if q.get(name) else None
            except ValueError:
                return None

        finished = {"yes": True, "no": False}.get(q.get("finished", ""))
        filters = queries.Filters(
            start=day("start"),
            end=day("end"),
            channel=opt("channel"),
            question=opt("question"),
            route=opt("route"),
            finished=finished,
            risk=opt("risk"),
            search=opt("q"),
            page=int(q["page"]) if q.get("page", "").isdigit() else 1,
        )

        def load() -> tuple[list[dict[str, Any]], int]:
            with self.db.session() as s:
                record(s, session.email, "search", filters.describe(), datetime.now(UTC))
                return queries.list_transcripts(s, filters, session.user_id)

        rows, total = await run_in_threadpool(load)
        return self.page(
            request,
            session,
            "transcripts.html",
            rows=rows,
            total=total,
            filters=filters,
            query=q,
            questions=self.questions,
            page_size=queries.PAGE,
        )

    async def transcript(self, request: Request, session: StaffSession) -> Response:
        cid = request.path_params["cid"]

        def load() -> Any:
            with self.db.session() as s:
                found = queries.transcript(s, cid, session.user_id)
                if found is not None:
                    record(s, session.email, "transcript_view", cid, datetime.now(UTC))
                    for a in found[1]:
                        s.expunge(a)
                    s.expunge(found[0])
                return found

        found = await run_in_threadpool(load)
        if found is None:
            return self.page(
                request, session, "error.html", status=404, message="There is no transcript here."
            )
        conv, answers = found
        return self.page(
            request,
            session,
            "transcript.html",
            conv=conv,
            answers=answers,
            questions=self.questions,
        )

    async def report(self, request: Request, session: StaffSession) -> Response:
        aid = request.path_params["aid"]

        def act() -> str | None:
            with self.db.session() as s:
                answer = s.get(Answer, aid)
                if answer is None:
                    return None
                answer.hidden, answer.reported = True, True  # hidden at once
                outcome = reredact_answer(s, self.redactor, aid)
                if outcome == "re-redacted":
                    answer.hidden = False
                record(
                    s,
                    session.email,
                    "leak_reported",
                    f"answer={aid} outcome={outcome}",
                    datetime.now(UTC),
                )
                return answer.conversation_id

        cid = await run_in_threadpool(act)
        return RedirectResponse(
            f"/review/transcripts/{cid}" if cid else "/review/transcripts", status_code=303
        )

    async def step_back(self, request: Request, session: StaffSession) -> Response:
        cid = request.path_params["cid"]

        def act() -> None:
            with self.db.session() as s:
                if s.get(Recusal, (session.user_id, cid)) is None:
                    s.add(
                        Recusal(staff_id=session.user_id, conversation_id=cid, at=datetime.now(UTC))
                    )
                record(s, session.email, "stepped_back", cid, datetime.now(UTC))

        await run_in_threadpool(act)
        return RedirectResponse("/review/transcripts", status_code=303)

    async def safeguarding(self, request: Request, session: StaffSession) -> Response:
        def load() -> list[Flag]:
            with self.db.session() as s:
                items = queries.queue(s)
                for f in items:
                    s.expunge(f)
                return items

        items = await run_in_threadpool(load)
        return self.page(request, session, "queue.html", items=items, now=datetime.now(UTC))

    async def flag(self, request: Request, session: StaffSession) -> Response:
        fid = request.path_params["fid"]
        note = ""
        if request.method == "POST":
            note = str((await request.form()).get("decision", "")).strip()[:2000]
            if not note:
                return await self._flag_page(
                    request, session, fid, error="Write what you decided and why."
                )

            def review() -> None:
                with self.db.session() as s:
                    item = s.get(Flag, fid)
                    if item is not None and item.reviewed_at is None:
                        item.reviewed_at, item.reviewed_by, item.decision = (
                            datetime.now(UTC),
                            session.email,
                            note,
                        )
                        record(s, session.email, "flag_reviewed", f"flag={fid}", datetime.now(UTC))

            await run_in_threadpool(review)
            return RedirectResponse("/review/safeguarding", status_code=303)
        return await self._flag_page(request, session, fid)

    async def _flag_page(
        self, request: Request, session: StaffSession, fid: int, error: str | None = None
    ) -> Response:
        def load() -> Flag | None:
            with self.db.session() as s:
                item = s.get(Flag, fid)
                if item is not None:
                    record(s, session.email, "flag_opened", f"flag={fid}", datetime.now(UTC))
                    s.expunge(item)
                return item

        item = await run_in_threadpool(load)
        if item is None:
            return self.page(
                request, session, "error.html", status=404, message="There is no such item."
            )
        return self.page(request, session, "flag.html", item=item, error=error)

    async def export(self, request: Request, session: StaffSession) -> Response:
        if request.method == "GET":
            return self.page(request, session, "export.html")
        form = await request.form()
        fmt = "jsonl" if form.get("format") == "jsonl" else "csv"
        try:
            since = date.fromisoformat(str(form["since"])) if form.get("since") else None
        except ValueError:
            return self.page(
                request, session, "export.html", status=400, error="Enter the date as YYYY-MM-DD."
            )

        def run() -> tuple[str, str]:
            out = io.StringIO()
            with self.db.session() as s:
                result = export_answers(
                    s,
                    self.dialogue,
                    out,
                    fmt=fmt,
                    by=session.email,
                    now=datetime.now(UTC),
                    since=since,
                    min_group=self.config.review.export_min_group_size,
                )
                record(
                    s,
                    session.email,
                    "export",
                    f"{result.id} rows={result.rows} format={fmt}",
                    datetime.now(UTC),
                )
            return result.id, out.getvalue()

        export_id, body = await run_in_threadpool(run)
        media = "text/csv" if fmt == "csv" else "application/x-ndjson"
        return Response(
            body,
            media_type=media,
            headers={"content-disposition": f'attachment; filename="speakup-{export_id}.{fmt}"'},
        )

    async def audit(self, request: Request, session: StaffSession) -> Response:
        def load() -> tuple[list[AuditEvent], bool, int]:
            with self.db.session() as s:
                intact, count = verify_chain(s)
                events = list(
                    s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(200))
                )
                for e in events:
                    s.expunge(e)
                return events, intact, count

        events, intact, count = await run_in_threadpool(load)
        return self.page(request, session, "audit.html", events=events, intact=intact, count=count)

    async def audit_csv(self, request: Request, session: StaffSession) -> Response:
        def load() -> str:
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["id", "at", "actor", "action", "detail", "prev_hash", "hash"])
            with self.db.session() as s:
                for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id)):
                    writer.writerow(
                        [e.id, e.at.isoformat(), e.actor, e.action, e.detail, e.prev_hash, e.hash]
                    )
                record(s, session.email, "audit_export", "", datetime.now(UTC))
            return out.getvalue()

        return Response(
            await run_in_threadpool(load),
            media_type="text/csv",
            headers={"content-disposition": 'attachment; filename="speakup-audit.csv"'},
        )

    async def users(self, request: Request, session: StaffSession) -> Response:
        def load() -> list[tuple[str, str, bool]]:
            with self.db.session() as s:
                return [
                    (u.email, u.role, u.disabled)
                    for u in s.scalars(select(StaffUser).order_by(StaffUser.email))
                ]

        return self.page(request, session, "users.html", users=await run_in_threadpool(load))
