"""The redactor as the bot uses it: placeholders, what stays, failures and time limits."""

from __future__ import annotations

import time

import pytest

from config.app import load_config
from privacy import PLACEHOLDERS, RedactionError, Redactor


def test_every_type_has_a_readable_placeholder() -> None:
    assert PLACEHOLDERS["PERSON"] == "[name]"
    assert PLACEHOLDERS["UK_PRISON_NUMBER"] == "[prison number]"
    assert all(p.startswith("[") and p.endswith("]") for p in PLACEHOLDERS.values())


@pytest.mark.parametrize(
    "text",
    [
        "Croydon council are a disgrace",
        "We foster for Kent County Council",
        "i was in a home in Blackpool then Rochdale",
        "im 15 and ive been in 7 placements since 2019",
        "the NSPCC, Childline and CAMHS all helped",
        "my social worker, my PA and my IRO never talk",
        "the leaving care team in Bradford were good",
        "Ofsted said good but never spoke to parents",
    ],
)
def test_when_no_personal_data_then_every_word_stays(redactor: Redactor, text: str) -> None:
    assert redactor.redact(text).text == text


def test_identifiers_are_replaced_never_masked(redactor: Redactor) -> None:
    out = redactor.redact("call 07912 345678, nhs 943 476 5919, NI JT482917A, dob 14/03/2008").text
    assert out == "call [phone number], nhs [NHS number], NI [NI number], dob [date of birth]"
    assert not any(ch.isdigit() for ch in out)


def test_start_up_canaries_all_pass(redactor: Redactor) -> None:
    assert redactor.check_canaries() == []


def test_when_analysis_is_too_slow_then_it_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    policy = load_config().privacy.model_copy(update={"timeout_seconds": 0.05})
    slow = Redactor(policy)

    def crawl(text: str, *_: object) -> object:
        time.sleep(0.5)
        raise AssertionError("never reached in time")

    monkeypatch.setattr(slow, "_redact", crawl)
    with pytest.raises(RedactionError, match="timed out"):
        slow.redact("my name is Sam")
    slow.close()


def test_when_analysis_raises_then_the_error_names_no_text(
    redactor: Redactor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str, *_: object) -> object:
        raise ValueError(f"cannot handle {text}")

    monkeypatch.setattr(redactor, "_redact", broken)
    with pytest.raises(RedactionError) as info:
        redactor.redact("my secret story")
    assert "my secret story" not in str(info.value)


def test_when_a_canary_survives_then_the_service_refuses_to_start(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from config.settings import load_settings
    from server.app import StartupError, build_components
    from tests.conftest import TEST_KEY

    monkeypatch.setattr(Redactor, "check_canaries", lambda self: ["'jayden' survived"])
    settings = load_settings(
        speakup_env="test", speakup_secret_key=TEST_KEY, database_url=f"sqlite:///{tmp_path}/x.db"
    )
    with pytest.raises(StartupError, match="jayden"):
        build_components(settings)
