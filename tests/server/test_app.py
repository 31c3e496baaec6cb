"""The web app: health, headers, web chat without JavaScript, limits and the REST webhook."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from config.settings import Settings, SettingsError, load_settings
from server.app import Components, build_components, create_app
from tests.conftest import TEST_KEY

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


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
    with TestClient(create_app(settings, parts)) as c:
        yield c


def test_when_ready_then_healthz_answers_200(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").json() == {"database": True}


def test_when_any_page_is_served_then_it_is_not_cached_and_has_a_strict_csp(
    client: TestClient,
) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert "unsafe-inline" not in r.headers["content-security-policy"]
    assert "set-cookie" not in r.headers
    assert "Exit this page" in r.text


def _form(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(conversation|message_id)" value="([^"]+)"', html))


def test_when_javascript_is_off_then_a_whole_turn_works_by_form_post(client: TestClient) -> None:
    page = client.get("/").text
    fields = _form(page)
    r = client.post("/", data={**fields, "choice": "start"}, follow_redirects=False)
    assert r.status_code == 303  # post/redirect/get: Back never meets a resubmission page
    assert r.headers["location"].startswith("/?view=")
    r = client.get(r.headers["location"])
    assert "Is it OK to start?" in r.text
    fields = _form(r.text)
    assert fields["conversation"] not in str(r.url)
    r = client.post("/", data={**fields, "message": "1"})
    assert "Your code is" in r.text and "big question" in r.text
    assert "First question." not in r.text  # a lock-screen line: text messages only
    r = client.post("/", data={**_form(r.text), "message": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in r.text


def test_head_and_unknown_pages_answer_properly(client: TestClient) -> None:
    assert client.head("/").status_code == 200
    r = client.get("/no-such-page")
    assert r.status_code == 404
    assert '<html lang="en"' in r.text and "<title>Page not found" in r.text
    assert "Exit this page" in r.text and 'href="tel:116123"' in r.text


def test_when_a_web_form_is_too_big_then_it_is_refused_clearly(client: TestClient) -> None:
    fields = _form(client.get("/").text)
    r = client.post("/", data={**fields, "message": "x" * 40000})
    assert r.status_code == 413
    assert "too much to send" in r.text


def test_when_a_form_comes_from_another_site_then_it_is_refused(client: TestClient) -> None:
    fields = _form(client.get("/").text)
    r = client.post(
        "/", data={**fields, "message": "hi"}, headers={"origin": "https://evil.example"}
    )
    assert r.status_code == 403


def test_when_rasa_rest_is_used_then_it_answers_in_rasas_shape(client: TestClient) -> None:
    r = client.post("/webhooks/rest/webhook", json={"sender": "tester", "message": "hi"})
    assert r.status_code == 200
    body = r.json()
    assert body[0]["recipient_id"] == "tester"
    assert "Speak Up" in body[0]["text"]
    assert body[-1]["buttons"][0]["payload"] == "1"


@pytest.mark.parametrize(
    "body", [b"not json", b"[]", b'{"message": "hi"}', b'{"sender": 5}', b"\xff\xfe"]
)
def test_when_rest_body_is_bad_then_400_with_a_reason(client: TestClient, body: bytes) -> None:
    r = client.post(
        "/webhooks/rest/webhook", content=body, headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert r.json()["error"]


def test_when_outside_development_then_rest_needs_a_bearer_token(tmp_path, redactor) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(
        speakup_env="production",
        speakup_secret_key=TEST_KEY,
        database_url=f"sqlite:///{tmp_path / 'p.db'}",
        speakup_rest_token="t" * 32,
        speakup_session_secret="s" * 40,
    )
    parts: Components = build_components(settings)
    parts.db.migrate()
    with TestClient(create_app(settings, parts)) as c:
        payload = {"sender": "a", "message": "hi"}
        assert c.post("/webhooks/rest/webhook", json=payload).status_code == 403
        assert (
            c.post(
                "/webhooks/rest/webhook", json=payload, headers={"authorization": "Bearer wrong"}
            ).status_code
            == 403
        )
        ok = c.post(
            "/webhooks/rest/webhook", json=payload, headers={"authorization": "Bearer " + "t" * 32}
        )
        assert ok.status_code == 200


@pytest.mark.parametrize(
    ("env", "key", "reason"),
    [
        ("production", None, "SPEAKUP_SECRET_KEY is not set"),
        ("production", "changeme", "at least 32"),
        ("production", "short", "at least 32"),
        ("development", None, "SPEAKUP_SECRET_KEY is not set"),
    ],
)
def test_when_secret_is_missing_or_weak_then_settings_refuse(monkeypatch, env, key, reason) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SPEAKUP_SECRET_KEY", raising=False)
    kwargs = {"speakup_env": env} | ({"speakup_secret_key": key} if key else {})
    with pytest.raises(SettingsError, match=reason):
        load_settings(**kwargs)


def test_privacy_notice_is_served_and_honest(client: TestClient) -> None:
    r = client.get("/privacy")
    assert r.status_code == 200
    for phrase in (
        "not anonymous",
        "slip through",
        "not live",
        "Schedule 1",
        "public task",
        "Twilio",
        "Telegram",
        "2 years",
        "DELETE",
        "limits of confidentiality",
        "delete the chat",
    ):
        assert phrase in r.text, phrase


def _page_form(html: str) -> dict[str, str]:
    return dict(
        re.findall(r'name="(conversation|message_id|last|code|route)" value="([^"]*)"', html)
    )


def test_the_code_at_the_end_deletes_the_answers_as_the_page_says(client: TestClient) -> None:
    r = client.post("/", data={**_form(client.get("/").text), "choice": "start"})
    r = client.post("/", data={**_page_form(r.text), "choice": "1"})
    code = re.search(r"Your code is (?:<[^>]+>)?([0-9A-Z-]{11})", r.text)
    assert code is not None
    r = client.post("/", data={**_page_form(r.text), "message": "Children need people who stay."})
    r = client.post("/", data={**_page_form(r.text), "confirmed": "finish"})
    assert "Your code:" in r.text and f"DELETE {code.group(1)}" in r.text  # repeated at the end
    # As the page says: come back, press Start, send DELETE and the code.
    r = client.post("/", data={**_form(client.get("/").text), "choice": "start"})
    r = client.post("/", data={**_page_form(r.text), "message": f"DELETE {code.group(1)}"})
    assert "The answers for that code are deleted" in r.text


def test_typed_delete_asks_first_and_a_view_expires(client: TestClient) -> None:
    r = client.post("/", data={**_form(client.get("/").text), "choice": "start"})
    r = client.post("/", data={**_page_form(r.text), "choice": "1"})
    r = client.post("/", data={**_page_form(r.text), "message": "delete"}, follow_redirects=False)
    assert r.status_code == 303 and "confirm=delete" in r.headers["location"]
    page = client.get(r.headers["location"]).text
    assert 'id="delete" open' in page and "cannot be undone" in page
    assert "Your answers from this chat are deleted" not in page
    assert "That chat page has closed" in client.get("/?view=forged.abc").text


def test_once_a_chat_ends_only_its_last_page_reopens(client: TestClient) -> None:
    r = client.post("/", data={**_form(client.get("/").text), "choice": "start"})
    r = client.post("/", data={**_page_form(r.text), "choice": "1"}, follow_redirects=False)
    earlier = r.headers["location"]  # the page with the withdrawal code
    assert "Your code is" in client.get(earlier).text
    r = client.get(earlier)
    r = client.post("/", data={**_page_form(r.text), "confirmed": "finish"}, follow_redirects=False)
    last = r.headers["location"]
    assert "Your code:" in client.get(last).text  # the person who finished still sees the end
    closed = client.get(earlier).text  # the next person at a shared device pressing Back does not
    assert "That chat page has closed" in closed and "Your code is" not in closed


def test_a_kiosks_notices_stay_inside_the_kiosk(client: TestClient) -> None:
    start = client.get("/?kiosk=library-1").text
    assert 'href="/privacy?kiosk=library-1"' in start
    assert "gov.uk/government/groups" not in start  # no way out to another site on a lent tablet
    notice = client.get("/privacy?kiosk=library-1").text
    assert 'href="/?kiosk=library-1" role="button"' in notice  # Exit this page
    assert 'data-kiosk-url="/?kiosk=library-1"' in notice  # and it resets like the chat
    assert "bbc.co.uk" in client.get("/privacy").text


def test_a_kiosk_end_page_with_the_code_stays_long_enough_to_write_it_down(
    client: TestClient,
) -> None:
    r = client.post(
        "/?kiosk=library-1",
        data={
            **_form(client.get("/?kiosk=library-1").text),
            "route": "library-1",
            "choice": "start",
        },
    )
    r = client.post("/", data={**_page_form(r.text), "choice": "1"})
    r = client.post("/", data={**_page_form(r.text), "confirmed": "finish"})
    assert "Your code:" in r.text
    assert 'content="60;url=/?kiosk=library-1"' in r.text  # kiosk.code_seconds, not 10 seconds


def test_a_too_long_answer_is_redirected_and_kept_redacted_never_raw(
    client: TestClient, settings: Settings
) -> None:
    r = client.post("/", data={**_form(client.get("/").text), "choice": "start"})
    r = client.post("/", data={**_page_form(r.text), "choice": "1"})
    raw = "Call Sarah Jenkins on 07700 900123 about it. " + "We need carers who stay. " * 100
    r = client.post("/", data={**_page_form(r.text), "message": raw}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/?view=")
    page = client.get(r.headers["location"]).text
    assert "There is a problem" in page and "We took out names" in page
    kept = re.search(r'<textarea[^>]*id="message"[^>]*>([^<]*)</textarea>', page)
    assert kept is not None and "We need carers who stay." in kept.group(1)
    assert "07700 900123" not in kept.group(1) and "Jenkins" not in kept.group(1)
    # The raw text is in no table (the kept copy is redacted, and sealed besides).
    engine = sa.create_engine(settings.database_url)
    with engine.connect() as conn:
        for table in sa.inspect(engine).get_table_names():
            dump = repr(conn.execute(sa.text(f'SELECT * FROM "{table}"')).all())
            assert "900123" not in dump and "Jenkins" not in dump and "carers who" not in dump
    engine.dispose()


def test_exit_closes_the_chat_and_keeps_a_lent_tablet_in_its_kiosk(client: TestClient) -> None:
    start = client.get("/?kiosk=library-1").text
    r = client.post("/?kiosk=library-1", data={**_page_form(start), "choice": "start"})
    view = str(r.url).split("view=", 1)[1]
    exit_link = re.search(r'<a href="(/exit\?[^"]+)" role="button"', r.text)
    assert exit_link is not None and exit_link.group(1).startswith(
        "/exit?kiosk=library-1&amp;view="
    )
    out = client.get(exit_link.group(1).replace("&amp;", "&"), follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/?kiosk=library-1"
    again = client.get("/?view=" + view).text  # Back: the chat's page no longer opens
    assert "That chat page has closed" in again and "Is it OK to start?" not in again
    # A plain chat's Exit goes to the exit site.
    r = client.post("/", data={**_form(client.get("/").text), "choice": "start"})
    exit_link = re.search(r'<a href="(/exit\?view=[^"]+)" role="button"', r.text)
    assert exit_link is not None
    out = client.get(exit_link.group(1), follow_redirects=False)
    assert out.headers["location"].startswith("https://www.bbc.co.uk/")


def test_an_end_page_with_a_code_reopens_only_long_enough_to_write_it_down(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a shared device that is not on a kiosk route, the next person's Back or reload must not
    show the last person's withdrawal code (an independent tester deleted answers with one)."""
    import time

    import server.webchat

    r = client.post("/", data={**_form(client.get("/").text), "choice": "start"})
    r = client.post("/", data={**_page_form(r.text), "choice": "1"})
    r = client.post("/", data={**_page_form(r.text), "confirmed": "finish"}, follow_redirects=False)
    end = r.headers["location"]
    assert "Your code is" in client.get(end).text or "app-code" in client.get(end).text
    later = time.time() + 120  # kiosk.code_seconds is 60
    monkeypatch.setattr(server.webchat.time, "time", lambda: later)
    assert "That chat page has closed" in client.get(end).text
