"""A running app with seeded conversations and one account per role."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest

from bot.messages import InboundMessage
from config.settings import load_settings
from review.auth import SecretBox
from review.staff import add_staff
from server.app import Components, build_components, create_app
from server.service import ChannelInfo
from tests.conftest import TEST_KEY

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@dataclass
class Staff:
    email: str
    password: str
    secret: str
    used: int = -1

    def code(self) -> str:
        """A code for a time step not used yet (each code works once; one step of drift is
        allowed, so the next step's code serves a second sign-in within 30 seconds)."""
        totp = pyotp.TOTP(self.secret)
        at = datetime.now(UTC)
        if totp.timecode(at) <= self.used:
            at += timedelta(seconds=30)
        self.used = totp.timecode(at)
        return totp.at(at)


@dataclass
class ReviewEnv:
    parts: Components
    client: TestClient
    staff: dict[str, Staff]

    def sign_in(self, role: str) -> TestClient:
        s = self.staff[role]
        self.client.cookies.clear()
        r = self.client.post(
            "/review/login",
            data={"email": s.email, "password": s.password, "code": s.code()},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text[:300]
        return self.client

    def csrf(self, path: str = "/review") -> str:
        match = re.search(r'name="csrf" value="([^"]+)"', self.client.get(path).text)
        assert match
        return match.group(1)


def seed(parts: Components) -> None:
    def say(sender: str, text: str) -> None:
        inbound = InboundMessage(
            channel="sms", sender=sender, text=text, received_at=datetime.now(UTC)
        )
        parts.service.handle(inbound, ChannelInfo(kind="sms"))

    for sender, answer in (
        ("+447700900101", "More money for kinship carers <script>alert(1)</script>"),
        ("+447700900102", "ngl im gonna kms tonight"),
        ("+447700900103", "i feel so lonely since i left care"),
    ):
        for text in ("hi", "1", answer):
            say(sender, text)


@pytest.fixture
def env(tmp_path: Path, redactor) -> Iterator[ReviewEnv]:  # type: ignore[no-untyped-def]
    settings = load_settings(
        speakup_env="test", speakup_secret_key=TEST_KEY, database_url=f"sqlite:///{tmp_path}/r.db"
    )
    parts = build_components(settings)
    parts.db.migrate()
    seed(parts)
    box = SecretBox(settings.session_secret())
    staff = {}
    with parts.db.session() as s:
        for role in ("reviewer", "safeguarding", "admin"):
            account = add_staff(s, box, f"{role}@review.example.org", role, datetime.now(UTC))
            staff[role] = Staff(account.email, account.password, account.totp_secret)
    with TestClient(create_app(settings, parts)) as client:
        yield ReviewEnv(parts, client, staff)
