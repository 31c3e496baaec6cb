"""Issue 17's message-path findings, each held by a test named after it (M1, M2, M3, L8)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import pytest
from limits import RateLimitItemPerHour
from sqlalchemy import select
from starlette.requests import Request

from config.app import AppConfig
from config.settings import Settings, load_settings
from privacy import Redactor
from privacy.pseudonym import Pseudonymiser
from server.app import build_components, create_app
from storage import Database
from storage.models import Answer, Flag
from tests.conftest import TEST_KEY, Clock, Say, make_service, texts
from tests.storage.test_storage import code_from, talk

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

DISCLOSURE = "I want to kill myself tonight"


# --- M1: a delivery's de-duplication is bound to its sender ------------------------------------
def test_M1_a_second_sender_reusing_a_message_id_gets_its_own_replies(say: Say) -> None:
    first = say("hi", sender="rest-a", message_id="m-1")
    code_reply = texts(say("1", sender="rest-a", message_id="m-2"))
    assert "Your code is" in code_reply
    # Another REST client numbers its messages the same way.
    theirs = say("hi", sender="rest-b", message_id="m-1")
    assert texts(theirs) == texts(first)  # its own welcome, processed (not the cache)
    consent = say("1", sender="rest-b", message_id="m-2")
    assert "Your code is" in texts(consent)
    assert texts(consent) != code_reply  # never the first sender's withdrawal code
    assert code_from([texts(consent)]) != code_from([code_reply])


def test_M1_a_disclosure_reusing_another_senders_message_id_gets_the_helplines(
    say: Say, service
) -> None:  # type: ignore[no-untyped-def]
    say("hi", sender="rest-c", message_id="same")
    replies = say(DISCLOSURE, sender="rest-d", message_id="same")
    assert replies[0].kind == "handoff" and "Samaritans" in replies[0].text
    with service.db.session() as s:
        assert [f.level for f in s.scalars(select(Flag))] == ["urgent"]


def test_M1_a_disclosure_is_never_answered_from_a_cache(say: Say, service) -> None:  # type: ignore[no-untyped-def]
    say("hi", sender="rest-e", message_id="n-1")
    say("1", sender="rest-e", message_id="n-2")
    # The same sender reuses an id for a new message, a disclosure: it is processed (helplines
    # first, and on the queue), not answered from the cache.
    replies = say(DISCLOSURE, sender="rest-e", message_id="n-2")
    assert replies[0].kind == "handoff" and "Samaritans" in replies[0].text
    with service.db.session() as s:
        assert [f.level for f in s.scalars(select(Flag))] == ["urgent"]
    # A plain retry of a disclosure also leads with the helplines, once.
    first = say("ngl im gonna kms tonight", sender="rest-f", message_id="k-1")
    again = say("ngl im gonna kms tonight", sender="rest-f", message_id="k-1")
    assert [r.kind for r in again].count("handoff") == 1 and again[0].kind == "handoff"
    assert texts(again[1:]) == texts(first[1:])


# --- M2: guessing codes is limited per sender; the owner is never locked out ---------------------
def test_M2_strangers_guessing_codes_never_lock_the_owner_out(
    any_db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig,
) -> None:
    service = make_service(any_db, redactor, clock, pseudonymiser)
    code = code_from(talk(service, "hi", "1", "keep me", "BYE", sender="+447700900100"))
    for i in range(config.withdrawal.failed_attempts_per_hour):  # 60 new senders, one wrong each
        wrong = talk(service, "DELETE AAA-AAA-AAA", sender=f"+44770091{i:04d}")[0]
        assert "could not find" in wrong
    # The owner, from a phone of their own or a borrowed one, is not locked out.
    assert "deleted" in talk(service, f"DELETE {code}", sender="+447700902222")[0]


def test_M2_one_sender_may_only_guess_a_few_codes_an_hour(
    sqlite_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    service = make_service(sqlite_db, redactor, clock, pseudonymiser)
    guesser = "+447700903333"
    answers = [talk(service, "DELETE AAA-AAA-AAA", sender=guesser)[0] for _ in range(6)]
    assert all("could not find" in a for a in answers[:5])
    assert "Too many codes" in answers[5]
    assert "could not find" in talk(service, "DELETE AAA-AAA-AAA", sender="+447700903334")[0]


def test_M2_when_guessing_is_widespread_each_sender_gets_one_try_an_hour(
    sqlite_db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig,
) -> None:
    few = config.model_copy(
        update={"withdrawal": config.withdrawal.model_copy(update={"failed_attempts_per_hour": 3})}
    )
    service = make_service(sqlite_db, redactor, clock, pseudonymiser, few)
    code = code_from(talk(service, "hi", "1", "keep me", "BYE", sender="+447700900101"))
    for i in range(3):
        talk(service, "DELETE AAA-AAA-AAA", sender=f"+44770092{i:04d}")
    guesser = "+447700904444"
    assert "could not find" in talk(service, "DELETE AAA-AAA-AAB", sender=guesser)[0]
    assert "Too many codes" in talk(service, "DELETE AAA-AAA-AAC", sender=guesser)[0]
    assert "deleted" in talk(service, f"DELETE {code}", sender="+447700904445")[0]


# --- M3: a limited sender's disclosure still reaches the queue ---------------------------------
def test_M3_a_rate_limited_senders_disclosure_reaches_the_queue(
    sqlite_db: Database,
    redactor: Redactor,
    clock: Clock,
    pseudonymiser: Pseudonymiser,
    config: AppConfig,
) -> None:
    tight = config.model_copy(
        update={"rate_limit": config.rate_limit.model_copy(update={"messages_per_minute": 3})}
    )
    service = make_service(sqlite_db, redactor, clock, pseudonymiser, tight)
    sender = "+447700905555"
    talk(service, "hi", "1", "an answer", sender=sender)
    replies = talk(service, DISCLOSURE, sender=sender)
    assert "Samaritans" in replies[0]
    with sqlite_db.session() as s:
        flags = s.scalars(select(Flag)).all()
        answer = s.scalars(select(Answer)).one()
    assert [f.level for f in flags] == ["urgent"]
    assert flags[0].conversation_id == answer.conversation_id  # on the person's conversation
    assert flags[0].text == DISCLOSURE  # consented: the redacted words, as the engine keeps them


# --- L8: people over a limit are told; web chat is bounded per client --------------------------
@pytest.fixture
def settings(tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    return load_settings(
        speakup_env="test",
        speakup_secret_key=TEST_KEY,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
    )


@pytest.fixture
def client(settings: Settings, redactor) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    parts = build_components(settings)
    parts.db.migrate()
    limiter = parts.service.limiter
    limiter.client_conversations = RateLimitItemPerHour(3)
    limiter.kiosk_conversations = RateLimitItemPerHour(6)
    with TestClient(create_app(settings, parts)) as c:
        yield c


def _tokens(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(conversation|message_id)" value="([^"]+)"', html))


def _start(client: TestClient, kiosk: str = "", text: str = "start") -> tuple[dict[str, str], str]:
    fields = _tokens(client.get("/" + (f"?kiosk={kiosk}" if kiosk else "")).text)
    extra = {"route": kiosk} if kiosk else {}
    r = client.post("/", data={**fields, "message": text, **extra})
    return _tokens(r.text) | ({"route": kiosk} if kiosk else {}), r.text


def test_L8_one_web_client_cannot_start_conversations_without_bound(client: TestClient) -> None:
    over = "You have sent a lot of messages"
    started = [_start(client) for _ in range(3)]
    assert all("Is it OK to start?" in page for _, page in started)
    fields, page = _start(client)
    assert over in page and "Is it OK to start?" not in page  # told, never silence
    r = client.post("/", data={**fields, "message": "start"})
    assert over in r.text  # a refused conversation stays refused: no way round with its token
    # The conversations already going carry on.
    r = client.post("/", data={**started[0][0], "message": "1"})
    assert "Your code is" in r.text
    # A disclosure from a client over its bound still gets the helplines, and is queued.
    _, page = _start(client, text=DISCLOSURE)
    assert "Samaritans" in page and over in page
    flags = client.app.state.components.db  # type: ignore[attr-defined]
    with flags.session() as s:
        assert [f.level for f in s.scalars(select(Flag))] == ["urgent"]


def test_L8_a_shared_kiosk_has_a_higher_bound(client: TestClient) -> None:
    for _ in range(3):
        _start(client)
    pages = [_start(client, kiosk="library-1")[1] for _ in range(3)]
    assert all("Is it OK to start?" in p for p in pages)  # the library's next people get in


def _request(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "client": (peer, 5000), "headers": headers})


def test_L8_the_bound_never_lumps_a_whole_proxys_clients_together() -> None:
    from server.httpreq import client_address

    assert client_address(_request("81.2.69.142")) == "81.2.69.142"
    # A proxy the service trusts has already put its client's address in place.
    assert client_address(_request("198.51.100.7", "198.51.100.7")) == "198.51.100.7"
    # A private proxy it was not told to trust: every client would share one address, so none
    # is bounded by it (README: set FORWARDED_ALLOW_IPS to the proxy's address).
    assert client_address(_request("10.0.0.2", "198.51.100.7")) is None
    # A public peer is its own client, whatever it claims to be forwarding.
    assert client_address(_request("81.2.69.142", "10.9.9.9")) == "81.2.69.142"


def test_L3_a_status_callbacks_claim_holds_once_on_either_database(
    any_db: Database, clock: Clock
) -> None:
    from storage import Repository

    for expected in (True, False):
        with any_db.transaction() as conn:
            assert Repository(conn).claim_once("status-key", clock()) is expected


def test_M2_one_web_client_cannot_guess_codes_by_starting_new_conversations(
    client: TestClient,
) -> None:
    limiter = client.app.state.components.service.limiter  # type: ignore[attr-defined]
    limiter.client_conversations = RateLimitItemPerHour(100)
    answers = []
    for _ in range(11):  # each conversation is a new sender; the client is the same
        fields = _tokens(client.get("/").text)
        answers.append(client.post("/", data={**fields, "message": "DELETE AAA-AAA-AAA"}).text)
    assert all("could not find" in a for a in answers[:10])
    assert "Too many codes" in answers[10]
