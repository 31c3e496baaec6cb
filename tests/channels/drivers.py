"""One driver per channel: build a provider's request for a case and read back the bot's texts.

The shared harness, the YAML stories and the canary test use these, so every registered channel
is exercised the same way. Twilio requests are signed with the real ``RequestValidator``;
Telegram updates go to the real python-telegram-bot, which talks to a fake Bot API on loopback.
"""

from __future__ import annotations

import itertools
import json
import secrets
import xml.etree.ElementTree as ET
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import httpx
from twilio.request_validator import RequestValidator

from tests.fakes import FakeTelegramApi

TWILIO_TOKEN = "twilio-test-auth-token-0123456789abcdef"
TELEGRAM_SECRET = "telegram-secret-token-0123456789abcdef"
REST_TOKEN = "rest-token-0123456789abcdefghijkl"
_ids = itertools.count(1000)


@dataclass
class Sent:
    """What a driver sent and what came back."""

    status: int
    texts: list[str] = field(default_factory=list)
    raw: str = ""


class Driver(ABC):
    """Talks to one channel's webhook like its provider would."""

    name: str
    max_text: int = 20000

    def __init__(self, client: httpx.Client, base_url: str) -> None:
        self.client = client
        self.base_url = base_url
        self.sent_requests: list[
            tuple[dict[str, str], bytes]
        ] = []  # (form, body) as the provider sent them

    @abstractmethod
    def new_sender(self) -> str: ...

    @abstractmethod
    def send(
        self,
        sender: str,
        text: str,
        *,
        message_id: str | None = None,
        forge: bool = False,
        media: int = 0,
    ) -> Sent: ...


class RestDriver(Driver):
    name = "rest"

    def new_sender(self) -> str:
        return "rest-" + secrets.token_hex(6)

    def send(
        self,
        sender: str,
        text: str,
        *,
        message_id: str | None = None,
        forge: bool = False,
        media: int = 0,
    ) -> Sent:
        token = "wrong-token" if forge else REST_TOKEN
        body = {"sender": sender, "message": text} | (
            {"message_id": message_id} if message_id else {}
        )
        self.sent_requests.append(({}, json.dumps(body).encode()))
        r = self.client.post(
            "/webhooks/rest/webhook", json=body, headers={"authorization": f"Bearer {token}"}
        )
        texts = [m["text"] for m in r.json()] if r.status_code == 200 else []
        return Sent(r.status_code, texts, r.text)


class WebDriver(Driver):
    name = "web"

    def new_sender(self) -> str:
        return secrets.token_urlsafe(24)

    def send(
        self,
        sender: str,
        text: str,
        *,
        message_id: str | None = None,
        forge: bool = False,
        media: int = 0,
    ) -> Sent:
        origin = "https://evil.example" if forge else self.base_url
        form = {
            "conversation": sender,
            "message": text,
            "message_id": message_id or secrets.token_urlsafe(24),
        }
        self.sent_requests.append((form, b""))
        r = self.client.post("/chat", data=form, headers={"origin": origin})
        texts = []
        if r.status_code == 200:
            for m in r.json()["replies"]:
                choices = "\n".join(f"{i}. {c}" for i, c in enumerate(m["choices"], 1))
                texts.append(m["text"] + (f"\n\n{choices}" if choices else ""))
        return Sent(r.status_code, texts, r.text)


class TwilioDriver(Driver):
    """SMS (or WhatsApp, with ``whatsapp=True``) through Twilio's signed form webhook."""

    name = "twilio"

    def __init__(self, client: httpx.Client, base_url: str, whatsapp: bool = False) -> None:
        super().__init__(client, base_url)
        self.whatsapp = whatsapp
        self.validator = RequestValidator(TWILIO_TOKEN)

    def new_sender(self) -> str:
        number = "+447700" + "".join(secrets.choice("0123456789") for _ in range(6))
        return f"whatsapp:{number}" if self.whatsapp else number

    def send(
        self,
        sender: str,
        text: str,
        *,
        message_id: str | None = None,
        forge: bool = False,
        media: int = 0,
    ) -> Sent:
        sid = message_id or "SM" + secrets.token_hex(16)
        form = {
            "MessageSid": sid,
            "AccountSid": "AC" + "0" * 32,
            "From": sender,
            "To": "whatsapp:+447700900000" if self.whatsapp else "+447700900000",
            "Body": text,
            "NumMedia": str(media),
            "NumSegments": "1",
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
        }
        if self.whatsapp:
            form |= {"ProfileName": "Jaz Test", "WaId": sender.removeprefix("whatsapp:+")}
        for i in range(media):
            form[f"MediaUrl{i}"] = f"https://api.twilio.com/media/ME{i}"
            form[f"MediaContentType{i}"] = "image/jpeg"
        url = self.base_url + "/webhooks/twilio/webhook"
        signature = self.validator.compute_signature(url, form)
        if forge:
            signature = signature[::-1]
        self.sent_requests.append((form, b""))
        r = self.client.post(
            "/webhooks/twilio/webhook", data=form, headers={"x-twilio-signature": signature}
        )
        texts: list[str] = []
        if r.status_code == 200:
            root = ET.fromstring(r.text)
            texts = [m.text or "" for m in root.iter("Message")]
        return Sent(r.status_code, texts, r.text)


class TelegramDriver(Driver):
    name = "telegram"

    def __init__(self, client: httpx.Client, base_url: str, fake: FakeTelegramApi) -> None:
        super().__init__(client, base_url)
        self.fake = fake

    def new_sender(self) -> str:
        return str(secrets.randbelow(10**9) + 10**9)

    def send(
        self,
        sender: str,
        text: str,
        *,
        message_id: str | None = None,
        forge: bool = False,
        media: int = 0,
    ) -> Sent:
        update_id = int(message_id) if message_id else next(_ids) + secrets.randbelow(10**8)
        message: dict[str, object] = {
            "message_id": update_id,
            "date": 1700000000,
            "chat": {
                "id": int(sender),
                "type": "private",
                "first_name": "Jaz",
                "username": "jaz_test_user",
            },
            "from": {
                "id": int(sender),
                "is_bot": False,
                "first_name": "Jaz",
                "last_name": "Tester",
                "username": "jaz_test_user",
            },
        }
        if media:
            message["photo"] = [
                {"file_id": "AgAD", "file_unique_id": "u1", "width": 10, "height": 10}
            ]
            if text:
                message["caption"] = text
        else:
            message["text"] = text
        before = len(self.fake.sent)
        secret = "wrong" if forge else TELEGRAM_SECRET
        payload = json.dumps({"update_id": update_id, "message": message})
        self.sent_requests.append(({}, payload.encode()))
        r = self.client.post(
            "/webhooks/telegram/webhook",
            content=payload,
            headers={"content-type": "application/json", "x-telegram-bot-api-secret-token": secret},
        )
        return Sent(r.status_code, self.fake.texts_for(int(sender), before), r.text)
