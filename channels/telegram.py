"""Telegram through python-telegram-bot 22, embedded in our web app (webhook, ``updater(None)``).

The webhook checks the secret token Telegram sends (set with ``speakup telegram set-webhook``),
deduplicates on ``update_id`` and sends the replies with ``sendMessage`` during the same request.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

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

if TYPE_CHECKING:
    from telegram import ReplyKeyboardMarkup, ReplyKeyboardRemove

# python-telegram-bot is imported where it is used: loading it costs a third of a second, which
# a service without Telegram configured should not spend at every start.

WEBHOOK_PATH = "/webhooks/telegram/webhook"
_ID = 2**53  # Telegram's ids fit in 52 bits
_LAST_DATE = 2**32  # a Unix time Python can always turn into a date (year 2106)
_MEDIA = (
    "photo",
    "video",
    "voice",
    "audio",
    "document",
    "sticker",
    "animation",
    "video_note",
    "contact",
    "location",
)


class TelegramChannel(Channel):
    """Telegram private chats."""

    name: ClassVar[str] = "telegram"
    kind: ClassVar[str] = "telegram"
    personal_fields: ClassVar[frozenset[str]] = frozenset(
        {
            "chat.id",
            "from.id",
            "from.first_name",
            "from.last_name",
            "from.username",
            "chat.username",
            "chat.first_name",
            "chat.last_name",
            "text",
        }
    )

    path: ClassVar[str | None] = WEBHOOK_PATH

    @classmethod
    def configure(cls, options: ChannelOptions) -> TelegramChannel | None:
        """Mounted only when TELEGRAM_BOT_TOKEN and TELEGRAM_SECRET_TOKEN are set."""
        if not (options.telegram_token and options.telegram_secret):
            return None
        return cls(
            options.telegram_token, options.telegram_secret, base_url=options.telegram_api_base
        )

    def __init__(self, token: str, secret_token: str, *, base_url: str | None = None) -> None:
        from telegram.ext import Application

        builder = Application.builder().token(token).updater(None)
        if base_url:
            builder = builder.base_url(base_url).base_file_url(
                base_url.replace("/bot", "/file/bot")
            )
        self.application = builder.build()
        self.secret_token = secret_token
        self._token = token

    async def start(self) -> None:
        """Initialise the embedded application (it calls getMe once)."""
        await self.application.initialize()
        await self.application.start()

    async def stop(self) -> None:
        """Stop and shut down the embedded application."""
        await self.application.stop()
        await self.application.shutdown()

    def verify(self, request: HttpRequest) -> None:
        """Compare X-Telegram-Bot-Api-Secret-Token with ours in constant time."""
        given = request.header("x-telegram-bot-api-secret-token") or ""
        if not hmac.compare_digest(given.encode(), self.secret_token.encode()):
            raise VerificationError("bad or missing secret token")

    def parse(self, request: HttpRequest) -> list[InboundMessage]:
        """Build the Update with python-telegram-bot and read a private message from it."""
        from telegram import Update

        data = _checked_update(read_json(request.body))
        if data is None:
            return []  # not a message: edits, channel posts and the rest are ignored
        try:
            update = Update.de_json(data, self.application.bot)
        except Exception:  # whatever the library trips on in a checked update: refuse it
            raise BadRequest("not a Telegram update") from None
        message = update.effective_message
        chat = update.effective_chat
        if message is None or chat is None or chat.type != "private":
            return []  # edits, joins and group chats are ignored
        media = sum(1 for kind in _MEDIA if getattr(message, kind, None))
        return [
            InboundMessage(
                channel=self.name,
                sender=str(chat.id),
                text=message.text or message.caption or "",
                received_at=datetime.now(UTC),
                message_id=str(update.update_id),
                media_count=media,
            )
        ]

    def render(
        self, inbound: InboundMessage | None, replies: list[OutboundMessage]
    ) -> HttpResponse:
        """Telegram only needs a 200: the replies go out with sendMessage in :meth:`deliver`."""
        return HttpResponse(200, "{}", "application/json")

    async def deliver(self, inbound: InboundMessage, replies: list[OutboundMessage]) -> None:
        """Send each reply; choices become a one-time reply keyboard."""
        from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove

        for reply in replies:
            markup: ReplyKeyboardMarkup | ReplyKeyboardRemove
            if reply.choices:
                markup = ReplyKeyboardMarkup(
                    [[KeyboardButton(c)] for c in reply.choices], one_time_keyboard=True
                )
                text = reply.text
            else:
                markup = ReplyKeyboardRemove()
                text = reply.text
            await self.application.bot.send_message(
                chat_id=int(inbound.sender),
                text=text,
                reply_markup=markup,
                disable_web_page_preview=True,
            )

    async def set_webhook(self, public_base_url: str) -> bool:
        """Register our webhook URL and secret token with Telegram."""
        async with self.application.bot:
            return bool(
                await self.application.bot.set_webhook(
                    url=public_base_url.rstrip("/") + WEBHOOK_PATH,
                    secret_token=self.secret_token,
                    allowed_updates=["message"],
                    drop_pending_updates=False,
                )
            )

    def redact_values(self, request: HttpRequest) -> set[str]:
        """Chat ids, names, usernames and the bot token."""
        values: set[str] = {self._token}
        try:
            data = read_json(request.body)
        except BadRequest:
            return values
        if not isinstance(data, dict) or not isinstance(data.get("message"), dict):
            return values
        message = data["message"]
        for part in ("chat", "from"):
            for key in ("id", "first_name", "last_name", "username"):
                value = (p if isinstance(p := message.get(part), dict) else {}).get(key)
                if value:
                    values.add(str(value))
        return values


def _checked_update(data: Any) -> dict[str, Any] | None:
    """The update reduced to its message, after checking every field this channel reads has the
    type Telegram gives it (an integer chat id, a date in range, text as a string); None when it
    carries no message. Anything else is refused before any of it is processed or saved."""
    if not isinstance(data, dict) or not _is_int(data.get("update_id"), 0, _ID):
        raise BadRequest("not a Telegram update")
    message = data.get("message")
    if message is None:
        return None
    if not isinstance(message, dict):
        raise BadRequest("not a Telegram message")
    chat, sender = message.get("chat"), message.get("from", {})
    if (
        not isinstance(chat, dict)
        or not _is_int(chat.get("id"), -_ID, _ID)
        or not isinstance(chat.get("type"), str)
        or not _is_int(message.get("message_id"), 0, _ID)
        or not _is_int(message.get("date"), 0, _LAST_DATE)
        or not isinstance(sender, dict)
        or any(
            not (isinstance(message[k], str) and is_unicode(message[k]))
            for k in ("text", "caption")
            if k in message
        )
    ):
        raise BadRequest("not a Telegram message")
    return {"update_id": data["update_id"], "message": message}


def _is_int(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value < high
