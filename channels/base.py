"""The Channel ABC. A channel verifies, parses and renders; it never imports the engine.

Channels import only ``bot.messages`` and their provider's SDK. Replies go back inside the same
HTTP response, so no raw address ever needs to be stored and nothing is ever sent later.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from bot.messages import (
    BadRequest,
    ChannelOptions,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    OutboundMessage,
    numbered_choices,
)


class Channel(ABC):
    """One way people reach Speak Up.

    Subclasses set ``name`` and ``personal_fields`` (request fields that identify a person and
    must never reach storage or logs) and implement :meth:`verify`, :meth:`parse` and
    :meth:`render`. Richer output degrades gracefully: :meth:`format_reply` renders choices as
    numbered text unless a channel shows buttons.
    """

    name: ClassVar[str]
    kind: ClassVar[str]
    personal: ClassVar[bool] = True
    personal_fields: ClassVar[frozenset[str]] = frozenset()
    path: ClassVar[str | None] = None  # the webhook path, if the channel has one

    @classmethod
    @abstractmethod
    def configure(cls, options: ChannelOptions) -> Channel | None:
        """Build the channel from options, or return None when it is not configured."""

    @abstractmethod
    def verify(self, request: HttpRequest) -> None:
        """Raise VerificationError unless the request provably comes from the provider."""

    @abstractmethod
    def parse(self, request: HttpRequest) -> list[InboundMessage]:
        """Turn a verified request into inbound messages; raise BadRequest if it cannot."""

    @abstractmethod
    def render(
        self, inbound: InboundMessage | None, replies: list[OutboundMessage]
    ) -> HttpResponse:
        """Build the HTTP response that carries the replies back to the provider."""

    async def deliver(self, inbound: InboundMessage, replies: list[OutboundMessage]) -> None:  # noqa: B027
        """Send replies through the provider's API during the request (default: none needed)."""

    async def start(self) -> None:  # noqa: B027
        """Open provider clients when the app starts (default: nothing to open)."""

    async def stop(self) -> None:  # noqa: B027
        """Close provider clients when the app stops."""

    def format_reply(self, reply: OutboundMessage) -> str:
        """Render one reply as text; choices become numbered lines."""
        return numbered_choices(reply.text, reply.choices)

    def redact_values(self, request: HttpRequest) -> set[str]:
        """Values in this request that must never be logged or stored (for tests and filters)."""
        values = {v for k, v in request.form.items() if k in self.personal_fields and v}
        return values


def read_json(body: bytes) -> Any:
    """Parse a JSON body, or raise BadRequest: bad bytes or syntax, nesting too deep for the
    parser, or a number too long to read (Python refuses integers over 4,300 digits)."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # JSONDecodeError is a ValueError
        raise BadRequest("the body must be JSON") from None


def is_unicode(text: str) -> bool:
    """False for a string that cannot be written as UTF-8 (a lone surrogate from a JSON escape)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
