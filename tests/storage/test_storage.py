"""Storage on SQLite and PostgreSQL: each test gets its own clean database."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text

from bot.messages import InboundMessage
from privacy import Redactor
from privacy.pseudonym import Pseudonymiser
from server.service import ChannelInfo, ConversationService
from storage import Database
from storage.models import Answer, Conversation, Flag, SenderLink, Withdrawal
from tests.conftest import Clock, make_service, send_sms

SENDER = "+447700900555"


def talk(service: ConversationService, *messages: str, sender: str = SENDER) -> list[str]:
    return ["\n".join(r.text for r in send_sms(service, m, sender)) for m in messages]


def code_from(replies: list[str]) -> str:
    line = next(r for r in replies if "Your code is" in r)
    return line.split("Your code is ")[1].split(".")[0]


def test_when_a_person_answers_then_only_redacted_text_and_hashes_are_stored(
    any_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    service = make_service(any_db, redactor, clock, pseudonymiser)
    talk(service, "hi", "1", "my sw Gemma Jones never calls, ring me on 07956 765432")
    with any_db.session() as s:
        answers = s.scalars(select(Answer)).all()
        assert [a.text for a in answers] == ["my sw [name] never calls, ring me on [phone number]"]
        assert set(answers[0].entity_types) == {"PERSON", "PHONE_NUMBER"}
        link = s.scalars(select(SenderLink)).one()
        assert link.sender_hash.startswith("v1:") and SENDER not in link.sender_hash
        assert link.sender_hash == pseudonymiser.sender("sms", SENDER)
        assert link.sender_hash != pseudonymiser.sender("whatsapp", SENDER)  # namespaced by channel


def test_when_a_conversation_ends_then_its_link_to_the_sender_is_removed(
    any_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    service = make_service(any_db, redactor, clock, pseudonymiser)
    talk(service, "hi", "1", "an answer", "BYE")
    with any_db.session() as s:
        assert s.scalars(select(SenderLink)).all() == []
        conv = s.scalars(select(Conversation)).one()
        assert conv.status == "closed" and conv.close_reason == "bye"
        assert len(s.scalars(select(Answer)).all()) == 1


def test_when_the_resume_window_passes_then_the_link_is_dropped(
    any_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    service = make_service(any_db, redactor, clock, pseudonymiser)
    talk(service, "hi", "1")
    clock.advance(hours=73)
    replies = talk(service, "hello again")
    assert "Hi, this is Speak Up." in replies[0]
    with any_db.session() as s:
        statuses = sorted(c.status for c in s.scalars(select(Conversation)))
        assert statuses == ["active", "closed"]


def test_when_delete_code_is_sent_then_that_conversations_answers_go(
    any_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    service = make_service(any_db, redactor, clock, pseudonymiser)
    replies = talk(service, "hi", "1", "first answer", "second answer", "BYE")
    code = code_from(replies)
    with any_db.session() as s:
        conv = s.scalars(select(Conversation)).one()
        assert conv.code_hash and code.replace("-", "") not in conv.code_hash
    # Someone else (a shared phone, another day) uses the code: lower case, no dashes, O for 0.
    typed = code.lower().replace("-", " ").replace("0", "o")
    out = talk(service, f"DELETE {typed}", sender="+447700900999")
    assert "The answers for that code are deleted" in out[0]
    with any_db.session() as s:
        assert s.scalars(select(Answer)).all() == []
        assert len(s.scalars(select(Withdrawal)).all()) == 1
    assert "could not find" in talk(service, f"DELETE {code}", sender="+447700900998")[0]


def test_when_delete_is_sent_then_the_current_answers_and_flag_texts_go(
    any_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    service = make_service(any_db, redactor, clock, pseudonymiser)
    talk(service, "hi", "1", "i feel so lonely since i left care", "DELETE")
    with any_db.session() as s:
        assert s.scalars(select(Answer)).all() == []
        flag = s.scalars(select(Flag)).one()
        assert flag.level == "support" and flag.text is None


def test_when_the_same_delivery_arrives_twice_then_it_is_processed_once(
    any_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    service = make_service(any_db, redactor, clock, pseudonymiser)
    talk(service, "hi", "1")

    def deliver() -> list[str]:
        inbound = InboundMessage(
            channel="sms",
            sender=SENDER,
            text="one answer",
            received_at=datetime.now(UTC),
            message_id="SM123",
        )
        return [r.text for r in service.handle(inbound, ChannelInfo(kind="sms"))]

    first, second = deliver(), deliver()
    assert first == second
    with any_db.session() as s:
        assert len(s.scalars(select(Answer)).all()) == 1
        keys = s.execute(text("select key from processed_messages")).scalars().all()
        assert keys and all("SM123" not in k for k in keys)


def test_when_sqlite_is_used_then_secure_delete_is_on(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def test_migrations_match_the_models(any_db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from storage.models import Base

    def ours(name: object, type_: str, *_: object) -> bool:
        # The full-text index's own tables are created by migration 0004 on purpose.
        return not (str(name).startswith("answers_fts") or name == "ix_answers_text_search")

    with any_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": ours})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_when_links_pass_the_window_then_the_sweep_removes_them(
    any_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    from datetime import timedelta

    service = make_service(any_db, redactor, clock, pseudonymiser)
    talk(service, "hi", "1", "an answer")
    assert service.expire_links(timedelta(hours=72)) == 0
    clock.advance(hours=73)
    assert service.expire_links(timedelta(hours=72)) == 1
    with any_db.session() as s:
        assert s.scalars(select(SenderLink)).all() == []
        assert s.scalars(select(Conversation)).one().close_reason == "expired"


def test_delivery_keys_expire_and_are_purged(
    any_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser, config
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from storage.maintenance import purge

    service = make_service(any_db, redactor, clock, pseudonymiser)
    inbound = InboundMessage(
        channel="sms", sender=SENDER, text="hi", received_at=datetime.now(UTC), message_id="SM9"
    )
    service.handle(inbound, ChannelInfo(kind="sms"))
    clock.advance(hours=config.conversation.dedupe_hours + 1)
    with any_db.session() as s:
        assert (
            purge(s, config.retention, resume_window=timedelta(hours=72), now=clock.now).deliveries
            == 1
        )


def test_cached_replies_cannot_be_read_from_the_database_alone(
    any_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    service = make_service(any_db, redactor, clock, pseudonymiser)
    talk(service, "hi")

    def deliver() -> str:
        inbound = InboundMessage(
            channel="sms",
            sender=SENDER,
            text="yes",
            received_at=datetime.now(UTC),
            message_id="SM77",
        )
        return "\n".join(r.text for r in service.handle(inbound, ChannelInfo(kind="sms")))

    first = deliver()
    code = first.split("Your code is ")[1].split(".")[0]
    assert deliver() == first  # the retry gets the same code
    with any_db.engine.connect() as conn:
        stored = " ".join(
            str(v) for row in conn.execute(text("select * from processed_messages")) for v in row
        )
    assert code not in stored and "Your code" not in stored


def test_the_head_revision_read_from_the_files_is_alembics() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from storage.db import MIGRATIONS, head_revision

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_heads() == [head_revision()]


def test_a_start_on_a_current_schema_does_not_load_alembic(any_db: Database) -> None:
    import subprocess
    import sys

    assert any_db.schema_revision() is not None
    url = any_db.engine.url.render_as_string(hide_password=False)
    options = any_db.connect_args.get("options", "")
    check = (
        "import sys; from storage import Database; "
        f"Database({url!r}, connect_args={{'options': {options!r}}} if {options!r} else None)"
        ".migrate(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
