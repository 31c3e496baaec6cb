"""Shared fixtures. The suite is offline by construction: any connection that would leave the
machine fails loudly (python-telegram-bot's OfflineRequest idea)."""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.messages import InboundMessage, OutboundMessage, numbered_choices
from config.app import AppConfig, load_config
from dialogues import load_dialogue
from privacy import Redactor
from privacy.pseudonym import Pseudonymiser
from safeguarding import load_detector
from server.service import ChannelInfo, ConversationService
from storage import Database
from tests.web.browser import AXE, CHROMIUM, FLAGS

REQUIRE_SERVICES = os.environ.get("SPEAKUP_REQUIRE_SERVICES") == "1"
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TEST_KEY = "k" * 48
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")


def _is_local(host: object) -> bool:
    if not isinstance(host, str):
        return True  # unix sockets
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def offline_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any attempt to connect anywhere but this machine."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if not _is_local(host):
            raise RuntimeError(f"test tried to reach the network: {host!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


def skip_or_fail(reason: str) -> None:
    """Skip locally; fail in CI, where the services must be there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (SPEAKUP_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def config() -> AppConfig:
    """config.yml, without random audit samples (a test that wants them sets the rate)."""
    cfg = load_config()
    return cfg.model_copy(
        update={"safeguarding": cfg.safeguarding.model_copy(update={"audit_sample_rate": 0.0})}
    )


@pytest.fixture(scope="session")
def redactor() -> Iterator[Redactor]:
    r = Redactor(load_config().privacy)
    yield r
    r.close()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'speakup.db'}")
    db.migrate()
    yield db
    db.dispose()


def _pg_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def pg_db() -> Iterator[Database]:
    """A fresh schema in the test database for this test only, dropped afterwards."""
    if not _pg_available():
        skip_or_fail("PostgreSQL is not running on 127.0.0.1:5432")
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    db.migrate()
    yield db
    db.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request: pytest.FixtureRequest) -> Database:
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")  # type: ignore[no-any-return]


TUESDAY_NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # NSPCC phones open


class Clock:
    """A controllable clock for the service."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock(TUESDAY_NOON)


@pytest.fixture
def pseudonymiser() -> Pseudonymiser:
    return Pseudonymiser(keys={"1": TEST_KEY.encode()}, current="1")


def make_service(
    db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig | None = None,
) -> ConversationService:
    cfg = config or load_config()
    if config is None:  # deterministic tests: no random audit samples unless a test asks for them
        cfg = cfg.model_copy(
            update={"safeguarding": cfg.safeguarding.model_copy(update={"audit_sample_rate": 0.0})}
        )
    return ConversationService(
        config=cfg,
        dialogue=load_dialogue(cfg.dialogue),
        db=db,
        redactor=redactor,
        detector=load_detector(),
        pseudonymiser=pseudonymiser,
        clock=clock,
    )


@pytest.fixture
def service(
    sqlite_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> ConversationService:
    return make_service(sqlite_db, redactor, clock, pseudonymiser)


Say = Callable[..., list[OutboundMessage]]


@pytest.fixture
def say(service: ConversationService) -> Say:
    """Send one message as a sender on a channel and return the replies."""

    def _say(
        text: str,
        sender: str = "+447700900001",
        channel: str = "rest",
        personal: bool = True,
        message_id: str | None = None,
        route: str | None = None,
        media: int = 0,
    ) -> list[OutboundMessage]:
        inbound = InboundMessage(
            channel=channel,
            sender=sender,
            text=text,
            received_at=datetime.now(UTC),
            message_id=message_id,
            route=route,
            media_count=media,
        )
        return service.handle(inbound, ChannelInfo(kind=channel, personal=personal))

    return _say


def send_sms(
    service: ConversationService,
    text: str,
    sender: str = "+447700900001",
    message_id: str | None = None,
) -> list[OutboundMessage]:
    """One SMS from ``sender`` through the whole service."""
    inbound = InboundMessage(
        channel="sms",
        sender=sender,
        text=text,
        received_at=datetime.now(UTC),
        message_id=message_id,
    )
    return service.handle(inbound, ChannelInfo(kind="sms"))


def texts(replies: list[OutboundMessage]) -> str:
    """Replies as a text-only channel shows them (choices as numbered lines)."""
    return "\n".join(numbered_choices(r.text, r.choices) for r in replies)


def random_sender() -> str:
    return "+4477009" + "".join(secrets.choice("0123456789") for _ in range(5))


# Debian's Chromium for every browser test (tests/server, tests/review).
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        skip_or_fail("Debian's chromium is not installed (make browser installs it)")
    if not AXE.exists():
        skip_or_fail("node_modules/axe-core is missing (make assets installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()
