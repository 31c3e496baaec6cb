"""Web chat pages: ``/`` (form POST, works without JavaScript), ``/chat`` (JSON) and ``/privacy``."""

from __future__ import annotations

import html
import re
import secrets
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bot.messages import BadRequest, OutboundMessage, VerificationError
from channels.web import WebChatChannel
from config.app import AppConfig
from server.httpreq import client_address, to_http_request
from server.service import ChannelInfo, ConversationService

TEMPLATES = Path(__file__).resolve().parent / "templates"
NOTICE = Path(__file__).resolve().parent.parent / "docs" / "privacy-notice.md"


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

    def routes(self) -> list[Route]:
        """The web chat's routes."""
        return [
            Route("/", self.page, methods=["GET", "POST"]),
            Route("/chat", self.chat_json, methods=["POST"]),
            Route("/privacy", self.privacy, methods=["GET"]),
        ]

    def _render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)

    async def _process(
        self, request: Request
    ) -> tuple[str, str, list[OutboundMessage], str | None]:
        http = await to_http_request(request)
        self.channel.verify(http)
        [inbound] = self.channel.parse(http)
        address, kiosk = client_address(request), self._kiosk_route(inbound.route) is not None
        client = self.service.pseudonymiser.token("client:web", address) if address else None
        bounded = client is not None and not await run_in_threadpool(
            self.service.limiter.allow_conversation, client, inbound.sender, kiosk=kiosk
        )
        info = ChannelInfo(kind="web", personal=False, over_limit=bounded, client=client)
        replies = await self.service.handle_async(inbound, info)
        return inbound.sender, inbound.text, replies, inbound.route

    async def page(self, request: Request) -> Response:
        """GET: a fresh chat. POST: one turn, rendered as a whole page (no JavaScript needed)."""
        if request.method == "GET":
            route = self._kiosk_route(request.query_params.get("kiosk"))
            return self._chat(new_token(), [], started=False, route=route)
        try:
            token, text, replies, route = await self._process(request)
        except VerificationError:
            return self._render(
                "error.html", status=403, message="This form was sent from another site."
            )
        except BadRequest:
            return self._render(
                "error.html", status=400, message="Something was missing. Please start again."
            )
        echo = text.strip() and text.strip().lower() != "start"
        exchange: list[dict[str, object]] = [{"who": "you", "text": text}] if echo else []
        exchange += [{"who": "bot", "text": r.text, "choices": r.choices} for r in replies]
        finished = any(r.text == self.service.dialogue.messages.bye for r in replies)
        return self._chat(
            token, exchange, started=True, route=self._kiosk_route(route), finished=finished
        )

    def _chat(
        self,
        token: str,
        exchange: list[dict[str, object]],
        *,
        started: bool,
        route: str | None,
        finished: bool = False,
    ) -> HTMLResponse:
        return self._render(
            "chat.html",
            conversation=token,
            message_id=new_token(),
            exchange=exchange,
            started=started,
            route=route,
            kiosk=self._kiosk(route, finished),
        )

    def _kiosk_route(self, route: str | None) -> str | None:
        """Only routes configured for a partner count; anything else is an ordinary chat."""
        return route if self.config.partner_by_route(route) is not None else None

    def _kiosk(self, route: str | None, finished: bool = False) -> dict[str, object] | None:
        if route is None:
            return None
        cfg = self.config.kiosk
        return {
            "url": f"/?kiosk={route}",
            "idle": cfg.idle_seconds,
            "finish": cfg.finish_seconds,
            "refresh": cfg.finish_seconds if finished else cfg.idle_seconds,
        }

    async def chat_json(self, request: Request) -> Response:
        """One turn for the fetch() layer."""
        try:
            _, _, replies, _ = await self._process(request)
        except VerificationError:
            return JSONResponse({"error": "forbidden"}, status_code=403)
        except BadRequest as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        out = self.channel.render(None, replies)
        return Response(
            out.body, media_type=out.content_type, headers={"x-next-message-id": new_token()}
        )

    async def privacy(self, _: Request) -> Response:
        """The full privacy notice, rendered from docs/privacy-notice.md."""
        return self._render(
            "privacy.html",
            body=Markup(render_markdown(NOTICE.read_text(encoding="utf-8"))),  # noqa: S704 (render_markdown escapes)
        )


def linkify(text: str) -> Markup:
    """Escape a bot text and turn its https:// links (helplines) into links."""
    parts = re.split(r"(https://[^\s<>\"]+)", text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            url = html.escape(part)
            out.append(f'<a class="govuk-link" href="{url}" rel="noreferrer noopener">{url}</a>')
        else:
            out.append(html.escape(part))
    return Markup("".join(out))  # noqa: S704 (every part is escaped above)


def render_markdown(text: str) -> str:
    """Render the small Markdown subset the notice uses (headings, lists, paragraphs, links)."""
    out: list[str] = []
    in_list = False
    for block in text.split("\n"):
        line = html.escape(block.rstrip())
        line = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", line)
        line = re.sub(
            r"\[(.+?)\]\((https?://[^)\s]+|/[^)\s]*)\)",
            r'<a class="govuk-link" href="\2">\1</a>',
            line,
        )
        if line.startswith("- "):
            if not in_list:
                out.append('<ul class="govuk-list govuk-list--bullet">')
                in_list = True
            out.append(f"<li>{line[2:]}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if line.startswith("### "):
            out.append(f'<h3 class="govuk-heading-s">{line[4:]}</h3>')
        elif line.startswith("## "):
            out.append(f'<h2 class="govuk-heading-m">{line[3:]}</h2>')
        elif line.startswith("# "):
            out.append(f'<h1 class="govuk-heading-l">{line[2:]}</h1>')
        elif line:
            out.append(f'<p class="govuk-body">{line}</p>')
    if in_list:
        out.append("</ul>")
    return "\n".join(out)
