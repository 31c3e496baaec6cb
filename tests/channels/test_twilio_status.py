"""Twilio delivery status callbacks: errors counted by code, failed handoffs queued, no identifiers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from storage.models import Flag
from tests.channels.drivers import TWILIO_TOKEN
from tests.channels.stack import Stack, running_stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("status")) as s:
        yield s


def post_status(stack: Stack, query: str, form: dict[str, str], forge: bool = False) -> int:
    path = "/webhooks/twilio/status" + query
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(stack.base_url + path, form)
    client = stack.drivers["twilio"].client
    return client.post(
        path, data=form, headers={"x-twilio-signature": "x" if forge else signature}
    ).status_code


def test_handoff_replies_ask_for_a_status_callback(stack: Stack) -> None:
    sent = stack.drivers["twilio"].send(
        stack.drivers["twilio"].new_sender(), "ngl im gonna kms tonight"
    )
    assert "action" not in sent.raw and "/webhooks/twilio/status?kind=handoff" in sent.raw


@pytest.mark.parametrize(
    ("code", "label"), [("21610", "21610"), ("63016", "63016"), ("<script>", "unknown")]
)
def test_failed_deliveries_are_counted_by_code(stack: Stack, code: str, label: str) -> None:
    form = {
        "MessageSid": "SM" + "9" * 32,
        "MessageStatus": "undelivered",
        "ErrorCode": code,
        "From": "+447700900000",
        "To": "+447700900123",
    }
    assert post_status(stack, "", form) == 204
    value = stack.parts.metrics.registry.get_sample_value(
        "speakup_send_errors_total", {"channel": "sms", "code": label}
    )
    assert value and value >= 1


def test_a_failed_handoff_joins_the_safeguarding_queue_without_identifiers(stack: Stack) -> None:
    form = {
        "MessageSid": "SM" + "8" * 32,
        "MessageStatus": "failed",
        "ErrorCode": "21610",
        "From": "+447700900000",
        "To": "+447700900456",
    }
    assert post_status(stack, "?kind=handoff", form) == 204
    with stack.parts.db.session() as s:
        flags = s.scalars(select(Flag).where(Flag.level == "handoff_failed")).all()
    assert flags and flags[-1].reasons == ["sms:21610"] and flags[-1].conversation_id is None
    assert "900456" not in str([(f.reasons, f.text) for f in flags])


def test_a_forged_status_callback_is_refused(stack: Stack) -> None:
    assert post_status(stack, "", {"MessageStatus": "failed"}, forge=True) == 403
