"""Web chat pages: ``/`` (form POST, works without JavaScript), ``/chat`` (JSON), the notices.

No cookies and no browser storage. The conversation is a random token in a hidden form field.
A form post is answered with a redirect (post/redirect/get) to ``/?view=...``: a sealed, short-lived
reference to that turn's stored reply, so Back and links never meet "Confirm form resubmission".
The view names no conversation in clear and opens only while its chat is open (the page that
ended it still opens: on a kiosk for a few seconds), never after ``web_chat.view_minutes``.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.keywords import parse_keyword
from bot.messages import BadRequest, InboundMessage, OutboundMessage, VerificationError
from channels.web import WebChatChannel
from config.app import AppConfig
from server.delivery import (
    close_web_chat,
    keep_draft,
    open_draft,
    open_view,
    replies_for,
    seal_view,
)
from server.httpreq import client_address, to_http_request
from server.service import ChannelInfo, ConversationService
from server.webassets import asset_url
from server.webpages import (
    Presenter,
    Turn,
    chat_text,
    kiosk_view,
    linkify,
    page_links,
    render_markdown,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"
NOTICE = ROOT / "docs" / "privacy-notice.md"
STATEMENT = ROOT / "docs" / "accessibility-statement.md"
STATIC = ROOT / "build" / "static"
EXIT_URL = "https://www.bbc.co.uk/weather"  # where "Exit this page" goes (not on a lent tablet)


def new_token() -> str:
    """A random, unguessable token for a conversation or a message."""
    return secrets.token_urlsafe(24)


class WebChat:
    """Renders the chat and runs each post through the shared service."""

    def __init__(self, service: ConversationService, config: AppConfig) -> None:
        self.service = service
        self.config = config
        self.channel = WebChatChannel(config.public_base_url)
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
        )
        self.env.filters["linkify"] = linkify
        self.env.filters["chat_text"] = chat_text
        org = config.organisation
        self.env.globals.update(org=org, asset=lambda name: asset_url(STATIC, name))
        ec = service.engine_config
        self.presenter = Presenter(
            service.dialogue,
            {
                "privacy_url": ec.privacy_url,
                "max_chars": ec.max_chars,
                "partner": ec.contact_partner,
                "respond_within": ec.contact_within,
            },
        )

    def routes(self) -> list[Route]:
        """The web chat's routes."""
        return [
            Route("/", self.page, methods=["GET", "POST"]),
            Route("/chat", self.chat_json, methods=["POST"]),
            Route("/exit", self.exit, methods=["GET"]),
            Route("/privacy", self.privacy, methods=["GET"]),
            Route("/accessibility", self.accessibility, methods=["GET"]),
        ]

    def _render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("links", self._links(context.get("kiosk"), context.get("view", "")))
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)

    # -- one turn -------------------------------------------------------------------------------

    async def _process(self, request: Request) -> tuple[InboundMessage, list[OutboundMessage]]:
        http = await to_http_request(request)
        self.channel.verify(http)
        form = await request.form()
        picked = [str(v) for v in form.getlist("choice") if str(v).isdigit()]
        fields = dict(http.form)
        if picked and not fields.get("message", "").strip():
            fields["choice"] = " ".join(picked)  # checkboxes: "1 3", as a text channel would send
        elif picked or fields.get("choice", "").isdigit():
            fields.pop("choice", None)  # words typed beside a choice win: nothing typed is lost
        confirmed = fields.pop("confirmed", "")
        if confirmed in ("finish", "delete"):  # the confirm buttons under "Finish" and "Delete"
            fields["choice"] = "bye" if confirmed == "finish" else "delete"
        [inbound] = self.channel.parse(replace(http, form=fields))
        if _asks_to_delete(inbound.text) and not confirmed and fields.get("last"):
            return inbound, []  # DELETE typed: the page asks to confirm first
        address, kiosk = client_address(request), self._kiosk_route(inbound.route) is not None
        client = self.service.pseudonymiser.token("client:web", address) if address else None
        bounded = client is not None and not await run_in_threadpool(
            self.service.limiter.allow_conversation, client, inbound.sender, kiosk=kiosk
        )
        info = ChannelInfo(kind="web", personal=False, over_limit=bounded, client=client)
        replies = await self.service.handle_async(inbound, info)
        return inbound, replies

    def _turn(
        self, inbound: InboundMessage, replies: list[OutboundMessage], code: str, *, echo: bool
    ) -> tuple[Turn, str | None]:
        route = self._kiosk_route(inbound.route)
        turn = self.presenter.turn(
            replies, kiosk=route is not None, code=code, echo=inbound.text if echo else ""
        )
        return turn, route

    async def page(self, request: Request) -> Response:
        """GET: a fresh chat, or a turn reopened by its view. POST: one turn, then a redirect."""
        if request.method != "POST":
            return await self._get(request)
        try:
            inbound, replies = await self._process(request)
        except VerificationError:
            return self._error(403, "This form was sent from another site.")
        except BadRequest:
            return self._error(400, "Something was missing. Please start again.")
        form = await request.form()
        code = str(form.get("code", ""))
        if not replies:  # DELETE typed: ask first
            return RedirectResponse(
                self._view_url(inbound, str(form.get("last", "")), code) + "&confirm=delete#delete",
                status_code=303,
            )
        turn, route = self._turn(inbound, replies, code, echo=True)
        kept = False
        if turn.too_long:  # kept for its page, redacted first: the raw text is never stored
            svc, minutes = self.service, self.config.web_chat.view_minutes
            until = svc.clock() + timedelta(minutes=minutes)
            kept = await run_in_threadpool(
                keep_draft, svc.db, svc.pseudonymiser, svc.redactor, inbound, until
            )
            if not kept:  # redaction failed: the text stays in this answer only, as a last resort
                return self._chat(
                    inbound.sender, turn, route, kept=inbound.text, last=inbound.message_id
                )
        view = self._view_url(
            inbound, inbound.message_id, turn.code, _opens_alone(turn, replies), draft=kept
        )
        return RedirectResponse(view + "#reply", 303)

    async def _get(self, request: Request) -> Response:
        query = request.query_params
        view = self._open_view(query.get("view", ""))
        if view is None:
            expired = "view" in query
            route = self._kiosk_route(query.get("kiosk"))
            return self._chat(new_token(), Turn(), route, fresh=True, expired=expired)
        token, message_id, route, code, ended, draft = view
        # Only the page that ended a chat opens once it has ended; earlier pages need it open.
        svc, hours = self.service, self.config.conversation.resume_window_hours
        window = None if ended else timedelta(hours=hours)
        replies = await run_in_threadpool(
            replies_for, svc.db, svc.pseudonymiser, "web", token, message_id, svc.clock(), window
        )
        if replies is None:
            return self._chat(
                new_token(), Turn(), self._kiosk_route(route), fresh=True, expired=True
            )
        inbound = InboundMessage("web", token, "", datetime.now(UTC), message_id, route)
        turn, route = self._turn(inbound, replies, code, echo=False)
        kept = None
        if draft and turn.too_long:
            kept = await run_in_threadpool(
                open_draft, svc.db, svc.pseudonymiser, "web", token, message_id, svc.clock()
            )
        return self._chat(
            token,
            turn,
            route,
            last=message_id,
            confirm=query.get("confirm") == "delete",
            kept=str(kept["text"]) if kept else "",
            kept_changed=bool(kept and kept.get("changed")),
            lost=bool(draft and turn.too_long and not kept),
            view=query.get("view", ""),
        )

    async def chat_json(self, request: Request) -> Response:
        """One turn for the fetch() layer: the raw replies, and the page's new parts as HTML."""
        try:
            inbound, replies = await self._process(request)
        except VerificationError:
            return JSONResponse({"error": "forbidden"}, status_code=403)
        except BadRequest as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        form = await request.form()
        code = str(form.get("code", ""))
        turn, route = self._turn(inbound, replies, code, echo=True)
        confirm = not replies
        next_id = new_token()
        kept = inbound.text if turn.too_long else ""
        last = inbound.message_id if replies else str(form.get("last", ""))
        context = self._context(
            inbound.sender, turn, route, next_id, kept=kept, confirm=confirm, last=last
        )
        view = (
            self._view_url(inbound, inbound.message_id, turn.code, _opens_alone(turn, replies))
            if replies
            else None
        )
        body = {
            "replies": [
                {"text": r.text, "choices": list(r.choices), "kind": r.kind} for r in replies
            ],
            "log": self.env.get_template("_log.html").render(items=turn.items),
            "controls": self.env.get_template("_controls.html").render(**context),
            "title": self._title(turn),
            "view": view,
            "links": self._links(context["kiosk"], unquote(view.partition("view=")[2]))
            if view
            else None,
            "ended": turn.ended,
            "bye": turn.bye,
            "kiosk_finish": self.config.kiosk.code_seconds,
        }
        return Response(
            json.dumps(body), media_type="application/json", headers={"x-next-message-id": next_id}
        )

    # -- rendering ------------------------------------------------------------------------------

    def _context(
        self, token: str, turn: Turn, route: str | None, message_id: str, **options: Any
    ) -> dict[str, Any]:
        """The chat page's values; ``options`` (unset ones read as empty in the templates):
        kept, kept_changed, lost, view, confirm, last, fresh, expired."""
        return {
            **options,
            "conversation": token,
            "message_id": message_id,
            "turn": turn,
            "route": route,
            "kiosk": self._kiosk(route, turn.ended, bool(turn.code)),
            "last": options.get("last") or "",
            "max_chars": self.config.conversation.max_message_chars,
            "title": self._title(turn),
        }

    def _chat(
        self,
        token: str,
        turn: Turn,
        route: str | None,
        **options: Any,
    ) -> HTMLResponse:
        return self._render(
            "chat.html", **self._context(token, turn, route, new_token(), **options)
        )

    @staticmethod
    def _title(turn: Turn) -> str:
        service = "Have your say - Speak Up"
        return service if turn.title == Turn.title else f"{turn.title} - {service}"

    def _error(self, status: int, message: str) -> HTMLResponse:
        return self._render("error.html", status=status, message=message, heading="Sorry")

    async def not_found(self, request: Request, exc: Exception) -> Response:
        """The 404 (and other HTTP errors) as a whole page: title, Exit button, helplines."""
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 404:
            heading, message = (
                "Page not found",
                "If you typed the web address, check it is correct.",
            )
        else:
            heading, message = "Sorry", "Something went wrong. Please start again."
        if request.method == "HEAD":
            return Response(status_code=status)
        return self._render("error.html", status=status, message=message, heading=heading)

    def _kiosk_route(self, route: str | None) -> str | None:
        """Only routes configured for a partner count; anything else is an ordinary chat."""
        return route if self.config.partner_by_route(route) is not None else None

    def _kiosk(
        self, route: str | None, finished: bool = False, code: bool = False
    ) -> dict[str, object] | None:
        return kiosk_view(self.config.kiosk, route, finished, code)

    # -- views: a turn reopened by GET ----------------------------------------------------------

    def _view_url(
        self,
        inbound: InboundMessage,
        message_id: str | None,
        code: str,
        ended: bool = False,
        draft: bool = False,
    ) -> str:
        data: dict[str, object] = {"c": inbound.sender, "m": message_id, "r": inbound.route}
        data.update(k=code, t=int(time.time()), e=ended, d=draft)
        return "/?view=" + quote(seal_view(self.service.pseudonymiser, data), safe=".")

    def _open_view(self, value: str) -> tuple[str, str, str | None, str, bool, bool] | None:
        data = open_view(self.service.pseudonymiser, value)
        if data is None:
            return None
        limit = self.config.web_chat.view_minutes * 60
        ended = bool(data.get("e"))
        if self._kiosk_route(data["r"]) is not None:  # a lent tablet: no longer than its reset
            kiosk = self.config.kiosk
            finish = kiosk.code_seconds if data["k"] else kiosk.finish_seconds
            limit = min(limit, finish + 5 if ended else kiosk.idle_seconds)
        if ended and data["k"]:  # a code's end page, on any device: long enough to write it
            limit = min(limit, self.config.kiosk.code_seconds + 5)  # down, not for the next person
        if time.time() - data["t"] > limit or not data["m"]:
            return None
        return data["c"], data["m"], data["r"], data["k"], ended, bool(data.get("d"))

    def _links(self, kiosk: dict[str, Any] | None, view: str) -> dict[str, str]:
        return page_links(kiosk, view, EXIT_URL)

    async def exit(self, request: Request) -> Response:
        """Exit this page: the chat the page showed is closed, so none of its pages opens again
        (Back after Exit without JavaScript), then off to the exit site, or a lent tablet's
        fresh welcome."""
        view = self._open_view(request.query_params.get("view", ""))
        route = self._kiosk_route(request.query_params.get("kiosk"))
        if view is not None:
            route = self._kiosk_route(view[2]) or route
            svc, hours = self.service, self.config.conversation.resume_window_hours
            window = timedelta(hours=hours)
            await run_in_threadpool(
                close_web_chat, svc.db, svc.pseudonymiser, view[0], window, svc.clock()
            )
        kiosk = self._kiosk(route)
        return RedirectResponse(str(kiosk["url"]) if kiosk else EXIT_URL, 303)

    # -- notices --------------------------------------------------------------------------------

    async def privacy(self, request: Request) -> Response:
        """The full privacy notice, rendered from docs/privacy-notice.md."""
        return self._notice(request, NOTICE, "Privacy notice")

    async def accessibility(self, request: Request) -> Response:
        """The accessibility statement, rendered from docs/accessibility-statement.md."""
        return self._notice(request, STATEMENT, "Accessibility statement")

    def _notice(self, request: Request, path: Path, title: str) -> Response:
        org = self.config.organisation
        text = path.read_text(encoding="utf-8")
        for key, value in {**org.model_dump(), **self.config.web_chat.model_dump()}.items():
            text = text.replace("{" + key + "}", str(value))
        return self._render(
            "notice.html",
            title=title,
            body=Markup(render_markdown(text)),  # noqa: S704 (render_markdown escapes)
            kiosk=self._kiosk(self._kiosk_route(request.query_params.get("kiosk"))),
            view_minutes=self.config.web_chat.view_minutes,
            view=request.query_params.get("view", "")[:1000],
        )


def _opens_alone(turn: Turn, replies: list[OutboundMessage]) -> bool:
    """Whether a turn's page opens with no chat open behind it: the page that ended the chat,
    and a notice that stands alone (a limit, a withdrawal by code): it shows no code of a chat."""
    return turn.ended or any(r.kind == "notice" for r in replies)


def _asks_to_delete(text: str) -> bool:
    keyword = parse_keyword(text)
    return keyword is not None and keyword.name == "delete" and keyword.argument is None
