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


def test_a_check_goes_on_the_queue_and_no_adds_an_urgent_item_with_a_notice(
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
                    update={"notify_webhook_url": url + "/hook", "audit_sample_rate": 0.0}
                )
            }
        )
        service = make_service(sqlite_db, redactor, clock, pseudonymiser, cfg)
        sender = "+447700900781"
        send(service, sender, "hi", "1")
        asked = send_sms(service, "i dont feel safe at home, ring me on 07912 345678", sender)
        assert "Are you safe right now?" in asked[-1].text
        with sqlite_db.session() as s:
            (item,) = s.scalars(select(Flag)).all()
            assert item.level == "check"
            assert any(r.startswith(("unsafe_at_home", "feels_unsafe")) for r in item.reasons)
            assert item.text == "i dont feel safe at home, ring me on [phone number]"
        assert received == []  # a check is not an urgent notice
        answer = send_sms(service, "no not really", sender)
        assert answer[0].kind == "handoff" and "Childline" in answer[0].text
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
    with sqlite_db.session() as s:
        flags = s.scalars(select(Flag).order_by(Flag.id)).all()
        assert [f.level for f in flags] == ["check", "urgent"]
        assert flags[1].text is None and flags[1].conversation_id == flags[0].conversation_id
        assert flags[1].reasons == ["answered No to 'Are you safe right now?'"]
    assert len(received) == 1


def test_yes_to_the_check_adds_a_support_item_and_the_questions_go_on(
    sqlite_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    service = make_service(sqlite_db, redactor, clock, pseudonymiser)
    sender = "+447700900782"
    send(service, sender, "hi", "1", "i dont feel safe at home")
    replies = send_sms(service, "yeah im ok", sender)
    assert "What works well now" in replies[-1].text
    with sqlite_db.session() as s:
        flags = s.scalars(select(Flag).order_by(Flag.id)).all()
        assert [f.level for f in flags] == ["check", "support"]
        assert flags[1].reasons == ["said safe right now, after a check"]
