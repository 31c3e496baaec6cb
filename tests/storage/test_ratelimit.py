"""Per-sender limits: memory in development, Redis in production; safety always first."""

from __future__ import annotations

import socket
import uuid

import pytest

from config.app import AppConfig
from privacy import Redactor
from privacy.pseudonym import Pseudonymiser
from storage import Database
from storage.ratelimit import SenderLimiter
from tests.conftest import Clock, make_service, send_sms, skip_or_fail


def tight(config: AppConfig) -> AppConfig:
    return config.model_copy(
        update={"rate_limit": config.rate_limit.model_copy(update={"messages_per_minute": 3})}
    )


def send(service, text: str, sender: str = "+447700900321"):  # type: ignore[no-untyped-def]
    return send_sms(service, text, sender)


def test_L8_over_the_limit_is_told_so_every_time_never_silence(
    sqlite_db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig,
) -> None:
    service = make_service(sqlite_db, redactor, clock, pseudonymiser, tight(config))
    for text in ("hi", "1", "an answer"):
        assert send(service, text)
    over = send(service, "another")
    assert [r.text for r in over] == [service.dialogue.messages.over_limit]
    again = send(service, "and another")  # never an empty reply: people are told
    assert [r.text for r in again] == [service.dialogue.messages.over_limit]
    assert send(service, "hi", sender="+447700900999")  # other senders are unaffected


def test_over_the_limit_the_handoff_still_goes_out(
    sqlite_db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig,
) -> None:
    service = make_service(sqlite_db, redactor, clock, pseudonymiser, tight(config))
    for text in ("hi", "1", "an answer", "more"):
        send(service, text)
    replies = send(service, "im gonna kms tonight")
    assert replies and replies[0].kind == "handoff" and "Childline" in replies[0].text


def test_shared_devices_have_no_daily_limit(config: AppConfig) -> None:
    cfg = config.rate_limit.model_copy(update={"messages_per_day": 2, "messages_per_minute": 100})
    limiter = SenderLimiter(cfg)
    assert all(limiter.allow("v1:abc", shared_device=True) for _ in range(5))
    assert [limiter.allow("v1:def", shared_device=False) for _ in range(3)] == [True, True, False]


def test_limits_hold_across_workers_with_redis(config: AppConfig) -> None:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            pass
    except OSError:
        skip_or_fail("Redis is not running on 127.0.0.1:6379")
    cfg = config.rate_limit.model_copy(update={"messages_per_minute": 3})
    worker_a, worker_b = (
        SenderLimiter(cfg, "redis://127.0.0.1:6379/15"),
        SenderLimiter(cfg, "redis://127.0.0.1:6379/15"),
    )
    sender = f"v1:{uuid.uuid4().hex}"
    results = [
        w.allow(sender, shared_device=False) for w in (worker_a, worker_b, worker_a, worker_b)
    ]
    assert results == [True, True, True, False]
    import redis

    store = redis.Redis(host="127.0.0.1", port=6379, db=15)
    keys = [k.decode() for k in store.keys("*")]
    assert keys and all(sender not in k for k in keys)
    # Every counter is a window that ends: nothing in Redis outlives a day.
    assert all(0 < store.ttl(k) <= 86400 for k in keys)


@pytest.mark.parametrize("bad", [0, -1])
def test_limits_must_be_positive(config: AppConfig, bad: int) -> None:
    from pydantic import ValidationError

    from config.app import RateLimitConfig

    with pytest.raises(ValidationError):
        RateLimitConfig(messages_per_minute=bad, messages_per_day=10)


def test_when_redis_is_unreachable_limits_fall_back_to_memory(config: AppConfig) -> None:
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    cfg = tight(config).rate_limit
    limiter = SenderLimiter(cfg, f"redis://127.0.0.1:{dead}/0")
    results = [limiter.allow("sender-hash", shared_device=False) for _ in range(4)]
    assert results == [True, True, True, False]  # still counted, in this worker's memory
    assert limiter.allow_code_try("sender-hash", squeezed=False) is True
