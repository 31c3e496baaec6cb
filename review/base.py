"""Shared state and helpers for the staff app's page classes."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from config.app import AppConfig
from dialogues.schema import Dialogue
from privacy import Redactor
from review.audit import record
from review.auth import SecretBox, StaffSession
from review.pages.labels import Labels
from review.signin import SessionStore, SigninGuard
from storage import Database
from storage.models import Answer, Flag, Recusal

COOKIE = "speakup_staff"
DEVICE_COOKIE = "speakup_device"
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Why an answer is hidden: a fixed list, so the audit log records a reason and never free text.
HIDE_REASONS = {
    "name": "It names someone",
    "contact": "It has contact details (phone, email, address)",
    "identifying": "Another detail could identify someone (a place, school, date)",
    "other": "Something else that should not be shown",
}


def conversation_id(raw: str) -> str | None:
    """A transcript id as the app makes them (a lower-case UUID), or None for anything else."""
    try:
        parsed = uuid.UUID(raw)
    except (ValueError, TypeError, AttributeError):
        return None
    return raw if str(parsed) == raw else None


def answer_in_reach(session: Session, answer_id: int, staff_id: int) -> Answer | None:
    """An answer this staff member may act on: it exists and they have not stepped back from its
    transcript (stepping back applies to every action on it, not only to reading it)."""
    answer = session.get(Answer, answer_id)
    if answer is None or session.get(Recusal, (staff_id, answer.conversation_id)) is not None:
        return None
    return answer


class ReviewBase:
    """Configuration, templates, the session signer and small helpers every page class uses."""

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
        self.sessions = SessionStore(
            idle_seconds=cfg.session_idle_minutes * 60, max_seconds=cfg.session_max_hours * 3600
        )
        # Refused sign-ins are counted in the database, per account and per client (redis_url is
        # kept for the signature; the limits need no shared counter beyond the database).
        self.guard = SigninGuard(
            session_secret, per_account_client=cfg.signin_attempts_per_15_minutes
        )
        self.box = SecretBox(session_secret)
        self.secure = secure_cookies
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
        )
        self.questions = {s.id: s.prompt.split("\n", 1)[-1] for s in dialogue.steps}
        self.labels = Labels(dialogue, config)
        self.labels.install(self.env)

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

    def _set_cookie(self, response: Response, token: str | None) -> None:
        """Set the session cookie to an opaque id (``None``: clear it)."""
        if token is None:
            response.delete_cookie(COOKIE, path="/review")
            return
        response.set_cookie(
            COOKIE,
            token,
            httponly=True,
            secure=self.secure,
            samesite="strict",
            path="/review",
            max_age=self.config.review.session_max_hours * 3600,
        )

    def _audit(self, actor: str, action: str, detail: str) -> None:
        with self.db.session() as s:
            record(s, actor, action, detail, datetime.now(UTC))

    async def _flag_page(
        self,
        request: Request,
        session: StaffSession,
        fid: int,
        errors: dict[str, str] | None = None,
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
        return self.page(
            request,
            session,
            "flag.html",
            status=400 if errors else 200,
            item=item,
            errors=errors or {},
        )
