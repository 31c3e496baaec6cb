"""The engine on its own: no channel, no database, no network."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.effects import CloseConversation, IssueCode, RecordFlag, StoreAnswer
from bot.engine import EngineConfig, Result, Turn, step
from bot.keywords import parse_keyword
from bot.state import ConversationState
from dialogues import load_dialogue
from privacy import RedactionResult
from safeguarding import RiskAssessment
from safeguarding.detector import NO_RISK

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
CFG = EngineConfig(
    dialogue=load_dialogue(),
    idle=timedelta(minutes=60),
    privacy_url="http://x/privacy",
    max_chars=2000,
    partners={"HOSTEL7": ("hostel-7", "hostel")},
)
URGENT = RiskAssessment(level="urgent", who="self", kinds=("suicide",), reasons=("r",))


def turn(
    text: str,
    now: datetime = NOW,
    risk: RiskAssessment = NO_RISK,
    failed: bool = False,
    **kw: object,
) -> Turn:
    return Turn(
        text=text,
        now=now,
        channel="sms",
        risk=risk,
        handoff="Speak Up\nHANDOFF" if risk.level != "none" else None,
        redacted=None if failed else RedactionResult(text=f"R({text})", entities=()),
        redaction_failed=failed,
        new_conversation_id="c-new",
        new_code="ABC-DEF-GHJ",
        **kw,  # type: ignore[arg-type]
    )


def run(state: ConversationState | None, *texts: str, **kw: object) -> Result:
    result = Result(state=state)
    for t in texts:
        result = step(CFG, result.state, turn(t, **kw))  # type: ignore[arg-type]
    return result


def at_question() -> ConversationState:
    state = run(None, "hi", "1").state
    assert state is not None and state.step == "big_question"
    return state


def test_when_the_same_inputs_are_given_then_the_result_is_the_same() -> None:
    assert run(None, "hi") == run(None, "hi")


def test_when_consent_is_given_then_a_code_is_issued_and_the_big_question_asked() -> None:
    state = run(None, "hi").state
    result = step(CFG, state, turn("yes"))
    assert IssueCode("c-new", "ABC-DEF-GHJ") in result.effects
    assert "ABC-DEF-GHJ" in result.replies[0].text
    assert "loving, stable and safe" in result.replies[1].text


def test_when_an_answer_arrives_then_only_the_redacted_text_is_stored() -> None:
    result = step(CFG, at_question(), turn("my answer"))
    stores = [e for e in result.effects if isinstance(e, StoreAnswer)]
    assert stores == [StoreAnswer("c-new", "big_question", "R(my answer)", ())]


def test_when_redaction_fails_then_nothing_is_stored_and_the_person_is_told_and_safety_still_runs() -> (
    None
):
    result = step(CFG, at_question(), turn("im gonna kms tonight", risk=URGENT, failed=True))
    assert result.replies[0].kind == "handoff"
    assert "could not save that answer safely" in result.replies[1].text
    assert not [e for e in result.effects if isinstance(e, StoreAnswer)]
    flag = next(e for e in result.effects if isinstance(e, RecordFlag))
    assert flag.text is None and flag.level == "urgent"
    assert result.state is not None and result.state.step == "big_question"


@pytest.mark.parametrize(
    "word",
    [
        *("STOP", "stop", "Stop.", "end", "quit", "cancel", "unsubscribe", "stopall", "exit"),
        *("stop please", "Please stop", "stop now thanks", "just stop"),
    ],
)
def test_when_stop_is_sent_at_any_step_then_it_is_obeyed(word: str) -> None:
    for state in (None, run(None, "hi").state, at_question()):
        result = step(CFG, state, turn(word))
        assert result.state is None
        assert "You will not get more messages" in result.replies[0].text


def test_when_stop_follows_a_risk_flag_then_the_confirmation_carries_helplines() -> None:
    state = step(CFG, at_question(), turn("something", risk=URGENT)).state
    result = step(CFG, state, turn("STOP"))
    joined = "\n".join(r.text for r in result.replies)
    assert "999" in joined and "Childline" in joined and "Samaritans" in joined


@pytest.mark.parametrize(
    "text", ["help me", "please help", "stop it", "new placement", "bye for now then"]
)
def test_sentences_are_not_keywords(text: str) -> None:
    assert parse_keyword(text) is None


def test_when_idle_on_a_personal_phone_then_carry_on_is_offered_without_earlier_answers() -> None:
    state = step(CFG, at_question(), turn("first answer")).state
    later = NOW + timedelta(hours=2)
    result = step(CFG, state, turn("hello", now=later))
    assert "Welcome back" in result.replies[0].text
    assert "first answer" not in "\n".join(r.text for r in result.replies)
    assert not [e for e in result.effects if isinstance(e, StoreAnswer)]
    result = step(CFG, result.state, turn("1", now=later))
    assert "What works well now" in result.replies[0].text


def test_when_idle_on_a_partner_route_then_it_starts_fresh() -> None:
    state = run(None, "START HOSTEL7", "1").state
    assert state is not None and state.route == "hostel-7"
    result = step(CFG, state, turn("hello", now=NOW + timedelta(hours=2), personal_channel=False))
    assert CloseConversation("c-new", "idle") in result.effects
    assert "Hi, this is Speak Up." in result.replies[0].text


def test_when_a_partner_code_is_used_then_the_welcome_says_to_delete_the_thread() -> None:
    result = run(None, "start hostel7")
    joined = "\n".join(r.text for r in result.replies)
    assert "delete this chat" in joined and "BYE (not STOP)" in joined
    assert result.state is not None and result.state.route == "hostel-7"


def test_when_urgent_then_personal_questions_are_not_asked_again() -> None:
    state = run(None, "hi", "1").state
    state = step(CFG, state, turn("x", risk=URGENT)).state
    assert state is not None and state.step == "after_urgent"
    state = run(
        state, "1", "a", "b", "c", "d", "2"
    ).state  # carry on, four answers, groups: care leaver
    assert state is not None
    assert state.step == "lifelong_relationships"  # helped_hindered (personal) was skipped


def test_when_a_multiple_choice_is_exclusive_then_it_cannot_be_combined() -> None:
    state = run(None, "hi", "1", "skip", "skip", "skip", "skip", "skip").state
    assert state is not None and state.step == "groups"
    result = step(CFG, state, turn("1 9"))
    assert "Please reply with a number" in result.replies[0].text
    result = step(CFG, state, turn("prefer not to say"))
    assert result.state is not None and result.state.groups == ("prefer_not",)


def test_when_someone_at_urgent_risk_finishes_then_the_conversation_stays_open() -> None:
    state = run(None, "hi", "1").state
    state = step(CFG, state, turn("x", risk=URGENT)).state  # after_urgent
    result = run(
        state, "1", "a", "b", "c", "d", "skip", "skip"
    )  # carry on ... groups skipped, age skipped
    assert result.state is not None and result.state.step == "finished_open"
    assert not [e for e in result.effects if isinstance(e, CloseConversation)]
    later = step(CFG, result.state, turn("hello?"))
    assert "Your answers are saved" in later.replies[0].text and later.state is not None
    assert step(CFG, later.state, turn("BYE")).state is None
