"""Consented contact: off by default, explained first, sealed to the partner's key, never on
prison routes, never in answers, flags, logs or exports, and deleted after its days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from config.app import AppConfig
from privacy import Redactor
from privacy.contact import new_keypair, open_contact, seal_contact
from privacy.pseudonym import Pseudonymiser
from server.service import ConversationService
from storage import Database
from storage.maintenance import purge
from storage.models import Contact
from tests.conftest import Clock, make_service, send_sms

PRIVATE, PUBLIC = new_keypair()


def contact_service(
    db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig,
    *,
    enabled: bool = True,
) -> ConversationService:
    sg = config.safeguarding
    cfg = config.model_copy(
        update={
            "safeguarding": sg.model_copy(
                update={
                    "audit_sample_rate": 0.0,
                    "consented_contact": sg.consented_contact.model_copy(
                        update={"enabled": enabled, "partner_name": "the Example team"}
                    ),
                }
            )
        }
    )
    service = make_service(db, redactor, clock, pseudonymiser, cfg)
    service.contact_key = PUBLIC
    service.engine_config = service.engine_config.__class__(
        **{**service.engine_config.__dict__, "contact_enabled": enabled}
    )
    return service


def say(service: ConversationService, text_: str, sender: str = "+447700900888") -> str:
    return "\n".join(r.text for r in send_sms(service, text_, sender))


def test_sealing_round_trip() -> None:
    sealed = seal_contact(PUBLIC, "07912 345678")
    assert "07912" not in sealed and open_contact(PRIVATE, sealed) == "07912 345678"
    with pytest.raises(Exception):  # noqa: B017 (any failure: a wrong key must not open it)
        open_contact(new_keypair()[0], sealed)


def test_contact_flow_explains_first_and_stores_only_the_sealed_form(
    any_db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig,
) -> None:
    service = contact_service(any_db, redactor, clock, pseudonymiser, config)
    say(service, "hi")
    say(service, "1")
    reply = say(service, "ngl im gonna kms tonight")
    assert reply.index("Childline") < reply.index("send CONTACT")  # help first, the offer after
    explained = say(service, "CONTACT")
    for words in (
        "only the Example team can read it",
        "police or children's services",
        "one working day",
        "not straight away",
        "999",
        "Is it safe",
    ):
        assert words in explained
    assert "Send the phone number or email" in say(service, "1")
    assert "does not look like" in say(service, "what do you mean")
    saved = say(service, "07912 345678")
    assert "passed it on safely" in saved and "999" in saved
    with any_db.engine.connect() as conn:
        dump = " ".join(
            str(v)
            for t in ("answers", "flags", "conversations", "contacts")
            for row in conn.execute(text(f"select * from {t}"))
            for v in row
        )
    assert "07912" not in dump and "345678" not in dump
    with any_db.session() as s:
        stored = s.scalars(select(Contact)).one()
        assert open_contact(PRIVATE, stored.sealed) == "07912 345678"
        assert stored.expires_at > stored.created_at


def test_saying_it_is_not_safe_asks_for_nothing(
    sqlite_db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig,
) -> None:
    service = contact_service(sqlite_db, redactor, clock, pseudonymiser, config)
    for message in ("hi", "1", "ngl im gonna kms tonight", "CONTACT"):
        say(service, message)
    assert "We will not ask for it" in say(service, "2")
    with sqlite_db.session() as s:
        assert s.scalars(select(Contact)).all() == []


def test_never_offered_on_a_prison_route_or_when_off(
    sqlite_db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig,
) -> None:
    service = contact_service(sqlite_db, redactor, clock, pseudonymiser, config)
    say(service, "START HMPEXAMPLE", sender="+447700900001")
    say(service, "1", sender="+447700900001")
    assert "CONTACT" not in say(service, "ngl im gonna kms tonight", sender="+447700900001")
    off = contact_service(sqlite_db, redactor, clock, pseudonymiser, config, enabled=False)
    say(off, "hi", sender="+447700900002")
    say(off, "1", sender="+447700900002")
    assert "CONTACT" not in say(off, "ngl im gonna kms tonight", sender="+447700900002")
    assert "Is it safe" not in say(off, "CONTACT", sender="+447700900002")


def test_contacts_are_deleted_after_their_days(
    sqlite_db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig,
) -> None:
    service = contact_service(sqlite_db, redactor, clock, pseudonymiser, config)
    for message in ("hi", "1", "ngl im gonna kms tonight", "CONTACT", "1", "someone@example.org"):
        say(service, message)
    with sqlite_db.session() as s:
        assert len(s.scalars(select(Contact)).all()) == 1
        purge(
            s,
            config.retention,
            resume_window=timedelta(hours=72),
            now=clock.now + timedelta(days=8),
        )
    with sqlite_db.session() as s:
        assert s.scalars(select(Contact)).all() == []
