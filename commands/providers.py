"""``speakup telegram set-webhook`` and ``speakup twilio check``: explicit provider set-up steps.

Registering a webhook is a network side effect, so it is a command an operator runs, never
something that happens when a class is built or the app starts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from typing import Any

from config.settings import Settings


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the provider commands."""
    tg = sub.add_parser("telegram", help="Telegram set-up")
    tg_sub = tg.add_subparsers(dest="telegram_command", required=True)
    tg_sub.add_parser(
        "set-webhook",
        help="register PUBLIC_BASE_URL/webhooks/telegram/webhook with its secret token",
    )
    tw = sub.add_parser("twilio", help="Twilio set-up")
    tw_sub = tw.add_subparsers(dest="twilio_command", required=True)
    tw_sub.add_parser(
        "check", help="check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN against Twilio's API"
    )


def _twilio_client(settings: Settings) -> Any:
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    base = os.environ.get("TWILIO_API_BASE_URL")  # tests: a fake Twilio API on loopback

    class RewritingHttpClient(TwilioHttpClient):  # type: ignore[misc]
        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            if base:
                url = url.replace("https://api.twilio.com", base.rstrip("/"))
            return super().request(method, url, *args, **kwargs)

    token = settings.twilio_auth_token.get_secret_value() if settings.twilio_auth_token else None
    return Client(settings.twilio_account_sid, token, http_client=RewritingHttpClient(timeout=10))


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run one provider command."""
    if args.command == "telegram":
        from channels.telegram import TelegramChannel

        if not (
            settings.telegram_bot_token
            and settings.telegram_secret_token
            and settings.public_base_url
        ):
            print(
                "speakup: set TELEGRAM_BOT_TOKEN, TELEGRAM_SECRET_TOKEN and PUBLIC_BASE_URL first"
            )
            return 2
        channel = TelegramChannel(
            settings.telegram_bot_token.get_secret_value(),
            settings.telegram_secret_token.get_secret_value(),
            base_url=settings.telegram_api_base_url,
        )
        ok = asyncio.run(channel.set_webhook(settings.public_base_url))
        print("webhook registered" if ok else "Telegram refused the webhook")
        return 0 if ok else 1
    if not (settings.twilio_account_sid and settings.twilio_auth_token):
        print("speakup: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN first")
        return 2
    from twilio.base.exceptions import TwilioRestException

    try:
        account = _twilio_client(settings).api.v2010.accounts(settings.twilio_account_sid).fetch()
    except TwilioRestException as exc:
        print(f"Twilio said no: HTTP {exc.status}, code {exc.code}")
        return 1
    print(f"Twilio account is {account.status}")
    return 0
