"""Twilio SMS and WhatsApp: one adapter, two kinds, replies as TwiML within the request.

The signature is checked first, against the public URL Twilio signed (``PUBLIC_BASE_URL`` plus
the raw path and query), because behind a TLS proxy the app sees a different URL. Media is
declined and its URLs are never fetched.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import ClassVar

from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

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

# Characters outside GSM-7 that bot texts or handoffs might contain, and their GSM-7 stand-ins.
_GSM_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)
SMS_PART_CHARS = 306  # two GSM-7 segments: split longer replies at line breaks


def split_sms(text: str, limit: int = SMS_PART_CHARS) -> list[str]:
    """Split a reply at line breaks into parts of at most ``limit`` characters."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            parts.append(line[:cut])
            line = line[cut:].lstrip()
        current = line
    if current:
        parts.append(current)
    return parts


class TwilioChannel(Channel):
    """SMS and WhatsApp through Twilio's Messaging webhook."""

    name: ClassVar[str] = "twilio"
    kind: ClassVar[str] = "sms"
    personal_fields: ClassVar[frozenset[str]] = frozenset(
        {"From", "To", "WaId", "ProfileName", "Body"}
    )
    secret_fields: ClassVar[frozenset[str]] = frozenset({"AccountSid", "MessagingServiceSid"})

    path: ClassVar[str | None] = "/webhooks/twilio/webhook"

    @classmethod
    def configure(cls, options: ChannelOptions) -> TwilioChannel | None:
        """Mounted only when TWILIO_AUTH_TOKEN is set."""
        if not options.twilio_auth_token:
            return None
        return cls(options.twilio_auth_token, options.public_base_url)

    def verify_status(self, request: HttpRequest) -> None:
        """Status callbacks are signed the same way as messages."""
        self.verify(request)

    def __init__(
        self, auth_token: str, public_base_url: str, status_path: str = "/webhooks/twilio/status"
    ) -> None:
        self.validator = RequestValidator(auth_token)
        self.public_base_url = public_base_url.rstrip("/")
        self.status_url = self.public_base_url + status_path

    def verify(self, request: HttpRequest) -> None:
        """Check X-Twilio-Signature against the public URL and every form field."""
        signature = request.header("x-twilio-signature")
        if not signature:
            raise VerificationError("missing X-Twilio-Signature")
        query = request.url.partition("?")[2]
        url = self.public_base_url + request.path + (f"?{query}" if query else "")
        if not self.validator.validate(url, request.form, signature):
            raise VerificationError("bad X-Twilio-Signature")

    def parse(self, request: HttpRequest) -> list[InboundMessage]:
        """Read one message: its kind (SMS or WhatsApp), sender, body and media count."""
        form = request.form
        sid, sender = form.get("MessageSid", ""), form.get("From", "")
        if not re.fullmatch(r"[SM]M[0-9a-fA-F]{32}", sid) or not sender:
            raise BadRequest("missing MessageSid or From")
        whatsapp = sender.startswith("whatsapp:")
        try:
            media = max(0, int(form.get("NumMedia", "0") or 0))
        except ValueError:
            media = 0
        return [
            InboundMessage(
                channel="whatsapp" if whatsapp else "sms",
                sender=sender.removeprefix("whatsapp:"),
                text=form.get("Body", ""),
                received_at=datetime.now(UTC),
                message_id=sid,
                media_count=media,
            )
        ]

    def render(
        self, inbound: InboundMessage | None, replies: list[OutboundMessage]
    ) -> HttpResponse:
        """TwiML with one <Message> per reply part; handoffs ask for a delivery status callback."""
        response = MessagingResponse()
        sms = inbound is None or inbound.channel == "sms"
        for reply in replies:
            text = self.format_reply(reply).translate(_GSM_FOLD)
            parts = split_sms(text) if sms else [text]
            for part in parts:
                if reply.kind == "handoff":
                    response.message(part, status_callback=self.status_url + "?kind=handoff")
                else:
                    response.message(part)
        return HttpResponse(200, str(response), "application/xml")

    def redact_values(self, request: HttpRequest) -> set[str]:
        """Personal and secret values in this request."""
        keep = self.personal_fields | self.secret_fields
        values = {v for k, v in request.form.items() if k in keep and v}
        return values | {v.removeprefix("whatsapp:") for v in values}
