"""What reaches the safeguarding queue, and the content-free notice about urgent items."""

from __future__ import annotations

import json
import time

from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from config.app import AppConfig
from privacy import Redactor
from privacy.pseudonym import Pseudonymiser
from storage import Database
from storage.models import Flag
from tests.conftest import Clock, make_service, send_sms
from tests.live import serve


def send(service, sender: str, *texts: str) -> None:  # type: ignore[no-untyped-def]
    for text in texts:
        send_sms(service, text, sender)


def test_a_new_urgent_item_sends_a_notice_with_no_content(
    sqlite_db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig,
) -> None:
    received: list[bytes] = []

    async def hook(request: Request) -> JSONResponse:
        received.append(await request.body())
        return JSONResponse({"ok": True})

    with serve(Starlette(routes=[Route("/hook", hook, methods=["POST"])])) as url:
        cfg = config.model_copy(
            update={
                "safeguarding": config.safeguarding.model_copy(
                    update={"notify_webhook_url": url + "/hook"}
                )
            }
        )
        service = make_service(sqlite_db, redactor, clock, pseudonymiser, cfg)
        send(
            service,
            "+447700900777",
            "hi",
            "1",
            "my mums boyfriend hits me every night and hes home now, 07912 345678",
        )
        send(service, "+447700900778", "hi", "1", "i feel lonely")  # support: no notice
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
    assert len(received) == 1
    assert json.loads(received[0]) == {
        "text": "A new urgent item is waiting on the Speak Up safeguarding queue."
    }


def sampling(config: AppConfig, rate: float) -> AppConfig:
    """The configuration with this share of "none" answers sampled for audit."""
    safeguarding = config.safeguarding.model_copy(update={"audit_sample_rate": rate})
    return config.model_copy(update={"safeguarding": safeguarding})


def test_a_sample_of_none_answers_joins_the_queue_for_audit(
    sqlite_db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig,
) -> None:
    service = make_service(sqlite_db, redactor, clock, pseudonymiser, sampling(config, 1.0))
    send(service, "+447700900779", "hi", "1", "more money for carers, ring 07912 345678")
    with sqlite_db.session() as s:
        flags = s.scalars(select(Flag)).all()
    assert [(f.level, f.text) for f in flags] == [
        ("audit_sample", "more money for carers, ring [phone number]")
    ]


def test_nothing_is_sampled_at_rate_zero(
    sqlite_db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig,
) -> None:
    service = make_service(sqlite_db, redactor, clock, pseudonymiser, sampling(config, 0.0))
    send(service, "+447700900780", "hi", "1", "more money for carers")
    with sqlite_db.session() as s:
        assert s.scalars(select(Flag)).all() == []
