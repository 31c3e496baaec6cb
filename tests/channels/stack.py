"""The whole service on loopback with every channel configured, plus the fake Bot API."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from config.settings import load_settings
from server.app import Components, build_components, create_app
from tests.channels.drivers import (
    REST_TOKEN,
    TELEGRAM_SECRET,
    TWILIO_TOKEN,
    Driver,
    RestDriver,
    TelegramDriver,
    TwilioDriver,
    WebDriver,
)
from tests.conftest import TEST_KEY, TUESDAY_NOON
from tests.fakes import BOT_TOKEN, FakeTelegramApi
from tests.live import free_port, serve


@dataclass
class Stack:
    base_url: str
    parts: Components
    fake_telegram: FakeTelegramApi
    drivers: dict[str, Driver]


def _tuesday_noon_from_now() -> Callable[[], datetime]:
    started = time.monotonic()
    return lambda: TUESDAY_NOON + timedelta(seconds=time.monotonic() - started)


@contextmanager
def running_stack(tmp: Path, **overrides: object) -> Iterator[Stack]:
    fake = FakeTelegramApi()
    with serve(fake.app) as fake_url:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        settings = load_settings(
            speakup_env="production",
            speakup_secret_key=TEST_KEY,
            database_url=f"sqlite:///{tmp}/stack.db",
            public_base_url=base,
            speakup_rest_token=REST_TOKEN,
            speakup_session_secret="session-secret-for-tests-0123456789",
            twilio_auth_token=TWILIO_TOKEN,
            telegram_bot_token=BOT_TOKEN,
            telegram_secret_token=TELEGRAM_SECRET,
            telegram_api_base_url=f"{fake_url}/bot",
            **overrides,
        )
        parts = build_components(settings)
        # Handoffs depend on the hour (NSPCC phones close at night): every run sees Tuesday noon,
        # with time passing as it does.
        parts.service.clock = _tuesday_noon_from_now()
        parts.db.migrate()
        with (
            serve(create_app(settings, parts), port=port) as url,
            httpx.Client(base_url=url, timeout=30) as client,
        ):
            drivers: dict[str, Driver] = {
                "web": WebDriver(client, url),
                "rest": RestDriver(client, url),
                "twilio": TwilioDriver(client, url),
                "whatsapp": TwilioDriver(client, url, whatsapp=True),
                "telegram": TelegramDriver(client, url, fake),
            }
            yield Stack(url, parts, fake, drivers)
