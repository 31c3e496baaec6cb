"""Issue 17's findings on the provider channels (M1 for Telegram, L1, L3), on a running stack."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from storage.models import Conversation, Flag
from tests.channels.drivers import REST_TOKEN, TELEGRAM_SECRET, TWILIO_TOKEN
from tests.channels.stack import Stack, running_stack
from tests.storage.test_storage import code_from

MARK = "Quintrell"  # a name in every bad body: no log line may quote it


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("findings")) as s:
        yield s


def _conversations(stack: Stack) -> int:
    with stack.parts.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Conversation)) or 0)


def _telegram(stack: Stack, body: bytes) -> int:
    return (
        stack.drivers["telegram"]
        .client.post(  # type: ignore[attr-defined]
            "/webhooks/telegram/webhook",
            content=body,
            headers={
                "content-type": "application/json",
                "x-telegram-bot-api-secret-token": TELEGRAM_SECRET,
            },
        )
        .status_code
    )


def _rest(stack: Stack, body: bytes) -> tuple[int, str]:
    r = stack.drivers["rest"].client.post(  # type: ignore[attr-defined]
        "/webhooks/rest/webhook",
        content=body,
        headers={"content-type": "application/json", "authorization": f"Bearer {REST_TOKEN}"},
    )
    return r.status_code, r.text


def test_M1_a_telegram_update_id_from_another_chat_gets_that_chats_own_replies(
    stack: Stack,
) -> None:
    telegram = stack.drivers["telegram"]
    a, b = telegram.new_sender(), telegram.new_sender()
    telegram.send(a, "hi", message_id="9100001")
    theirs = telegram.send(a, "1", message_id="9100002")
    telegram.send(b, "hi", message_id="9100003")
    mine = telegram.send(b, "1", message_id="9100002")  # the same update_id, another chat
    assert mine.status == 200 and "Your code is" in "\n".join(mine.texts)
    assert code_from(["\n".join(mine.texts)]) != code_from(["\n".join(theirs.texts)])


def _message(**changes: object) -> dict[str, object]:
    message: dict[str, object] = {
        "message_id": 7,
        "date": 1700000000,
        "chat": {"id": 5550001, "type": "private", "first_name": MARK},
        "from": {"id": 5550001, "is_bot": False, "first_name": MARK},
        "text": f"hi I am {MARK}",
    }
    return message | changes


TELEGRAM_BODIES = {
    "a list": b"[]",
    "a string": b'"x"',
    "a string chat id": json.dumps(
        {"update_id": 1, "message": _message(chat={"id": MARK, "type": "private"})}
    ).encode(),
    "a huge date": json.dumps({"update_id": 2, "message": _message(date=10**20)}).encode(),
    "a nested text": json.dumps({"update_id": 3, "message": _message(text={"a": [MARK]})}).encode(),
    "5,000 nested brackets": b"[" * 5000 + b"]" * 5000,
    "a 5,000-digit integer": b'{"update_id": ' + b"7" * 5000 + b"}",
    "a string update id": json.dumps({"update_id": MARK, "message": _message()}).encode(),
    "a message that is a list": json.dumps({"update_id": 4, "message": [MARK]}).encode(),
    "a lone surrogate": b'{"update_id": 5, "message": {"message_id": 1, "date": 1, '
    b'"chat": {"id": 1, "type": "private"}, "text": "\\ud800 Quintrell"}}',
}


@pytest.mark.parametrize("body", TELEGRAM_BODIES.values(), ids=TELEGRAM_BODIES.keys())
def test_L1_malformed_telegram_bodies_get_a_400_and_store_nothing(
    stack: Stack, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    before, sent = _conversations(stack), len(stack.fake_telegram.sent)
    with caplog.at_level(logging.DEBUG):
        assert _telegram(stack, body) == 400
    assert _conversations(stack) == before and len(stack.fake_telegram.sent) == sent
    assert MARK not in caplog.text


REST_BODIES = {
    "a lone surrogate in the sender": b'{"sender": "\\ud800Quintrell", "message": "hi"}',
    "a lone surrogate in the message": b'{"sender": "rest-s1", "message": "Quintrell \\udfff"}',
    "5,000 nested brackets": b'{"sender": "rest-s2", "message": '
    + b"[" * 5000
    + b"]" * 5000
    + b"}",
    "a 5,000-digit integer": b'{"sender": "rest-s3", "message": ' + b"9" * 5000 + b"}",
}


@pytest.mark.parametrize("body", REST_BODIES.values(), ids=REST_BODIES.keys())
def test_L1_malformed_rest_bodies_get_a_clear_400_and_store_nothing(
    stack: Stack, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    before = _conversations(stack)
    with caplog.at_level(logging.DEBUG):
        status, text = _rest(stack, body)
    assert status == 400 and json.loads(text)["error"]
    assert _conversations(stack) == before
    assert MARK not in caplog.text


def test_L3_a_replayed_status_callback_queues_one_item(stack: Stack) -> None:
    path = "/webhooks/twilio/status?kind=handoff"
    form = {
        "MessageSid": "SM" + "4" * 32,
        "MessageStatus": "undelivered",
        "ErrorCode": "30003",
        "From": "+447700900000",
        "To": "+447700900777",
    }
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(stack.base_url + path, form)
    client = stack.drivers["twilio"].client  # type: ignore[attr-defined]
    for _ in range(3):  # the same signed callback, replayed
        assert (
            client.post(path, data=form, headers={"x-twilio-signature": signature}).status_code
            == 204
        )
    with stack.parts.db.session() as s:
        flags = s.scalars(select(Flag).where(Flag.reasons == ["sms:30003"])).all()
    assert len(flags) == 1
