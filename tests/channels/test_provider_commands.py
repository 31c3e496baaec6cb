"""Provider set-up commands with the real SDK clients against fake APIs on loopback."""

from __future__ import annotations

import argparse

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from commands.providers import run
from config.settings import load_settings
from tests.conftest import TEST_KEY
from tests.fakes import BOT_TOKEN, FakeTelegramApi
from tests.live import serve

SID = "AC" + "1" * 32


def test_telegram_set_webhook_registers_url_and_secret(capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakeTelegramApi()
    with serve(fake.app) as url:
        settings = load_settings(
            speakup_env="test",
            speakup_secret_key=TEST_KEY,
            telegram_bot_token=BOT_TOKEN,
            telegram_secret_token="s" * 32,
            public_base_url="https://speakup.example.org",
            telegram_api_base_url=f"{url}/bot",
        )
        assert (
            run(argparse.Namespace(command="telegram", telegram_command="set-webhook"), settings)
            == 0
        )
    assert fake.webhooks[0]["url"] == "https://speakup.example.org/webhooks/telegram/webhook"
    assert fake.webhooks[0]["secret_token"] == "s" * 32
    assert "registered" in capsys.readouterr().out


def fake_twilio(status: int) -> Starlette:
    async def account(request: Request) -> JSONResponse:
        assert request.headers["authorization"].startswith("Basic ")
        if status != 200:
            return JSONResponse(
                {"code": 20003, "message": "Authenticate", "status": 401}, status_code=status
            )
        return JSONResponse({"sid": SID, "status": "active", "friendly_name": "test"})

    return Starlette(routes=[Route("/2010-04-01/Accounts/{sid}.json", account)])


@pytest.mark.parametrize(
    ("status", "code", "says"), [(200, 0, "account is active"), (401, 1, "HTTP 401, code 20003")]
)
def test_twilio_check_uses_the_real_client(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    status: int,
    code: int,
    says: str,
) -> None:
    with serve(fake_twilio(status)) as url:
        monkeypatch.setenv("TWILIO_API_BASE_URL", url)
        settings = load_settings(
            speakup_env="test",
            speakup_secret_key=TEST_KEY,
            twilio_account_sid=SID,
            twilio_auth_token="t" * 32,
        )
        assert run(argparse.Namespace(command="twilio", twilio_command="check"), settings) == code
    assert says in capsys.readouterr().out
