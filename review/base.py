"""Shared state and helpers for the staff app's page classes."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from limits import RateLimitItemPerMinute, parse
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from config.app import AppConfig
from dialogues.schema import Dialogue
from privacy import Redactor
from review.audit import record
from review.auth import SecretBox, SessionSigner, StaffSession
from storage import Database
from storage.ratelimit import RateCounter

COOKIE = "speakup_staff"
TEMPLATES = Path(__file__).resolve().parent / "templates"


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
        self.signer = SessionSigner(
            session_secret,
            idle_seconds=cfg.session_idle_minutes * 60,
            max_seconds=cfg.session_max_hours * 3600,
        )
        self.box = SecretBox(session_secret)
        self.secure = secure_cookies
        self.limiter = RateCounter(redis_url)
        self.signin_limit = parse(f"{cfg.signin_attempts_per_15_minutes}/15 minutes")
        self.global_limit = RateLimitItemPerMinute(60)
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
        )
        self.questions = {s.id: s.prompt.split("\n", 1)[-1] for s in dialogue.steps}

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
