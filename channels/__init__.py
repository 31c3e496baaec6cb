"""Channel adapters. ``CHANNELS`` is the only registration table."""

from __future__ import annotations

from channels.base import Channel
from channels.rest import RestChannel
from channels.telegram import TelegramChannel
from channels.twilio import TwilioChannel
from channels.web import WebChatChannel

CHANNELS: dict[str, type[Channel]] = {
    c.name: c for c in (WebChatChannel, RestChannel, TwilioChannel, TelegramChannel)
}

__all__ = ["CHANNELS", "Channel"]
