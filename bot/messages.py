"""Value objects shared by channels, the engine and the app.

This is a leaf module: it imports nothing from the project, so channels can depend on it
without depending on the engine (the graph is ``channels -> bot.messages <- bot.engine``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class InboundMessage:
    """One message from a person, as a channel parsed it.

    ``sender`` and ``text`` are raw personal data: they live only in memory while a request
    is handled and are never logged or stored.
    """

    channel: str
    sender: str = field(repr=False)
    text: str = field(repr=False)
    received_at: datetime
    message_id: str | None = field(default=None, repr=False)
    route: str | None = None
    media_count: int = 0


@dataclass(frozen=True)
class OutboundMessage:
    """One reply. ``choices`` are offered as buttons where a channel can, numbered text elsewhere."""

    text: str
    choices: tuple[str, ...] = ()
    kind: str = "text"  # "text" | "handoff" | "prompt" | "notice" (stands alone: a limit, a withdrawal by code)


@dataclass(frozen=True)
class HttpRequest:
    """The parts of an HTTP request a channel needs, free of any web framework."""

    method: str
    url: str
    path: str
    headers: dict[str, str]
    body: bytes
    form: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """Return a header value by case-insensitive name."""
        lname = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lname:
                return value
        return None


@dataclass(frozen=True)
class HttpResponse:
    """A framework-free HTTP response a channel builds for its provider."""

    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


class VerificationError(Exception):
    """A webhook did not prove it came from the provider (bad or missing signature or token)."""


class BadRequest(Exception):
    """A webhook body could not be understood; the message says why, without quoting it."""


def numbered_choices(text: str, choices: tuple[str, ...]) -> str:
    """Render choices as numbered lines, the text fallback for channels without buttons."""
    if not choices:
        return text
    lines = [text, ""] + [f"{i}. {label}" for i, label in enumerate(choices, start=1)]
    return "\n".join(lines)


@dataclass(frozen=True)
class ChannelOptions:
    """What channels may be configured with: public URL, mode and their own secrets."""

    public_base_url: str
    development: bool
    rest_token: str | None = field(default=None, repr=False)
    twilio_auth_token: str | None = field(default=None, repr=False)
    telegram_token: str | None = field(default=None, repr=False)
    telegram_secret: str | None = field(default=None, repr=False)
    telegram_api_base: str | None = None
