"""Web chat: a plain HTML form that works with JavaScript off, with fetch() layered on top.

No cookies and no browser storage: the conversation is identified by a random token in a hidden
form field, never in the URL. Each post also carries a random message id, so a double submit is
processed once.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from bot.messages import (
    BadRequest,
    ChannelOptions,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    OutboundMessage,
    VerificationError,
)
from channels.base import Channel

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


class WebChatChannel(Channel):
    """The web chat at ``/``."""

    name: ClassVar[str] = "web"
    kind: ClassVar[str] = "web"
    personal: ClassVar[bool] = False  # a browser may be on a shared or lent device
    personal_fields: ClassVar[frozenset[str]] = frozenset({"conversation"})

    @classmethod
    def configure(cls, options: ChannelOptions) -> WebChatChannel:
        """The web chat's pages are mounted by the web app itself."""
        return cls(options.public_base_url)

    def __init__(self, public_base_url: str) -> None:
        self.allowed_origin = "{0.scheme}://{0.netloc}".format(urlsplit(public_base_url))

    def verify(self, request: HttpRequest) -> None:
        """Refuse cross-site posts: a browser always sends Origin on a form POST."""
        origin = request.header("origin")
        host = request.header("host")
        if origin and origin != self.allowed_origin and urlsplit(origin).netloc != host:
            raise VerificationError("cross-site form post")

    def parse(self, request: HttpRequest) -> list[InboundMessage]:
        """Read the hidden conversation token, message id, message and optional kiosk route."""
        token = request.form.get("conversation", "")
        if not _TOKEN.match(token):
            raise BadRequest("missing conversation token")
        message_id = request.form.get("message_id") or None
        if message_id is not None and not _TOKEN.match(message_id):
            message_id = None
        route = request.form.get("route") or None
        return [
            InboundMessage(
                channel=self.name,
                sender=token,
                text=request.form.get("choice") or request.form.get("message", ""),
                received_at=datetime.now(UTC),
                message_id=message_id,
                route=route,
            )
        ]

    def render(
        self, inbound: InboundMessage | None, replies: list[OutboundMessage]
    ) -> HttpResponse:
        """JSON for fetch(); the HTML page is rendered by the web app from the same replies."""
        out: list[dict[str, Any]] = [
            {"text": r.text, "choices": list(r.choices), "kind": r.kind} for r in replies
        ]
        return HttpResponse(200, json.dumps({"replies": out}), "application/json")
