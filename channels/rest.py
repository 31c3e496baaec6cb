"""Rasa's REST channel protocol, so Rasa clients and test tools can talk to Speak Up.

POST /webhooks/rest/webhook with ``{"sender": "...", "message": "..."}`` answers
``[{"recipient_id": "...", "text": "..."}, ...]``. Outside development it needs a bearer token.
"""

from __future__ import annotations

import hmac
import json
from datetime import UTC, datetime
from typing import Any, ClassVar

from bot.messages import (
    BadRequest,
    ChannelOptions,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    OutboundMessage,
    VerificationError,
)
from channels.base import Channel, is_unicode, read_json


class RestChannel(Channel):
    """Rasa-compatible JSON webhook."""

    name: ClassVar[str] = "rest"
    kind: ClassVar[str] = "rest"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"sender"})

    path: ClassVar[str | None] = "/webhooks/rest/webhook"

    @classmethod
    def configure(cls, options: ChannelOptions) -> RestChannel:
        """The REST channel is always mounted; outside development it needs a token."""
        return cls(options.rest_token, required=not options.development)

    def __init__(self, token: str | None, *, required: bool) -> None:
        self.token = token
        self.required = required

    def verify(self, request: HttpRequest) -> None:
        """Check the bearer token when one is configured or required."""
        if not self.token:
            if self.required:
                raise VerificationError(
                    "the REST channel needs SPEAKUP_REST_TOKEN outside development"
                )
            return
        scheme, _, given = (request.header("authorization") or "").strip().partition(" ")
        given = given.strip() if scheme.lower() == "bearer" else ""
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            raise VerificationError("bad or missing bearer token")

    def parse(self, request: HttpRequest) -> list[InboundMessage]:
        """Read ``sender`` and ``message`` from the JSON body."""
        data = read_json(request.body)
        if not isinstance(data, dict):
            raise BadRequest("the body must be a JSON object")
        sender, message = data.get("sender"), data.get("message", "")
        if not isinstance(sender, str) or not sender.strip() or len(sender) > 200:
            raise BadRequest("'sender' must be a non-empty string of at most 200 characters")
        if not isinstance(message, str):
            raise BadRequest("'message' must be a string")
        message_id = data.get("message_id") if isinstance(data.get("message_id"), str) else None
        if message_id is not None and len(message_id) > 200:
            raise BadRequest("'message_id' must be at most 200 characters")
        for name, value in (("sender", sender), ("message", message), ("message_id", message_id)):
            if value is not None and not is_unicode(value):
                raise BadRequest(f"'{name}' must be valid Unicode text")
        return [
            InboundMessage(
                channel=self.name,
                sender=sender,
                text=message,
                received_at=datetime.now(UTC),
                message_id=message_id,
            )
        ]

    def redact_values(self, request: HttpRequest) -> set[str]:
        """The sender id in the JSON body, and the bearer token."""
        values = {self.token} if self.token else set()
        try:
            data = read_json(request.body)
        except BadRequest:
            return values
        if isinstance(data, dict) and isinstance(data.get("sender"), str):
            values.add(data["sender"])
        return values

    def render(
        self, inbound: InboundMessage | None, replies: list[OutboundMessage]
    ) -> HttpResponse:
        """Answer with Rasa's list of messages; choices also go as Rasa-style buttons."""
        recipient = inbound.sender if inbound is not None else ""
        out = []
        for reply in replies:
            item: dict[str, Any] = {"recipient_id": recipient, "text": self.format_reply(reply)}
            if reply.choices:
                item["buttons"] = [
                    {"title": c, "payload": str(i)} for i, c in enumerate(reply.choices, 1)
                ]
            out.append(item)
        return HttpResponse(200, json.dumps(out), "application/json")
