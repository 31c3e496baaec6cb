"""'Are you safe right now?': the check level in the pure engine, at every step.

The risk check is a double here (the assessment is given to each turn), so "check" can be
exercised before the learned model exists.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.effects import CloseConversation, RecordFlag, StoreAnswer
from bot.engine import EngineConfig, Result, Turn, step
from bot.safecheck import parse_safe
from bot.state import ConversationState
from bot.turn import AFTER_URGENT, CONSENT, CONTACT_ASK, CONTACT_EXPLAIN, FINISHED_OPEN, PAUSED
from dialogues import load_dialogue
from privacy import RedactionResult
from safeguarding import RiskAssessment
from safeguarding.detector import NO_RISK

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
DIALOGUE = load_dialogue()
MSGS = DIALOGUE.messages
CFG = EngineConfig(
    dialogue=DIALOGUE,
    idle=timedelta(minutes=60),
    privacy_url="http://x/privacy",
    max_chars=2000,
    partners={"HOSTEL7": ("hostel-7", "hostel"), "HMPEXAMPLE": ("prison-example", "prison")},
    contact_enabled=True,
    contact_partner="the partner",
    contact_within="a day",
)
CHECK = RiskAssessment(
    level="check", who="self", kinds=("abuse",), reasons=("model: check 0.41",), score=0.41
)
URGENT = RiskAssessment(level="urgent", who="self", kinds=("suicide",), reasons=("r",))
SUPPORT = RiskAssessment(level="support", who="self", kinds=("distress",), reasons=("s",))
WORRY = "i dont feel safe at home"
QUESTION = "Are you safe right now?"
URGENT_HANDOFF = "Speak Up\nURGENT HANDOFF"

# A frightened person's words, and what they mean.
SAID = {
    "1": "yes",
    "2": "no",
    "3": "not_sure",
    "Yes, I'm safe": "yes",
    "yes": "yes",
    "yeah im ok": "yes",
    "Yeah I'm OK": "yes",
    "im fine thanks": "yes",
    "all good": "yes",
    "i am safe now": "yes",
    "no": "no",
    "NO.": "no",
    "no not really": "no",
    "not really": "no",
    "nah": "no",
    "im not safe": "no",
    "i dont feel safe": "no",
    "no im fine": "no",  # a "no" is never read as yes
    "idk": "not_sure",
    "dunno": "not_sure",
    "i dont know": "not_sure",
    "not sure": "not_sure",
    "maybe": "not_sure",
    "kind of": "not_sure",
    "?": "not_sure",
    "??": "not_sure",
    "ok?": "not_sure",
    "what is this?": None,
    "yes!": "yes",
    "help me": "no",
    "i think so": "not_sure",
    "yes but im scared": "not_sure",
    "scared": "no",
    "what is this": None,
    "my stepdad shouts a lot and i hate the way the house feels every single night": None,
}


def turn(text: str, risk: RiskAssessment = NO_RISK, now: datetime = NOW, **kw: object) -> Turn:
    handoff = None
    if risk.level != "none":
        handoff = "Speak Up\nHANDOFF " + risk.level
    return Turn(
        text=text,
        now=now,
        channel="sms",
        risk=risk,
        handoff=handoff,
        redacted=RedactionResult(text=f"R({text})", entities=()),
        redaction_failed=False,
        new_conversation_id="c-new",
        new_code="ABC-DEF-GHJ",
        urgent_handoff=URGENT_HANDOFF,
        **kw,  # type: ignore[arg-type]
    )


def run(state: ConversationState | None, *texts: str, cfg: EngineConfig = CFG) -> Result:
    result = Result(state=state)
    for text in texts:
        result = step(cfg, result.state, turn(text))
    return result


def texts(result: Result) -> str:
    return "\n".join(r.text for r in result.replies)


def flags(result: Result) -> list[tuple[str, tuple[str, ...]]]:
    return [(e.level, e.reasons) for e in result.effects if isinstance(e, RecordFlag)]


def asked(result: Result) -> None:
    """The reply asks the question, last, with the helplines and the three choices."""
    last = result.replies[-1]
    assert QUESTION in last.text and "116 123" in last.text, texts(result)
    assert last.choices == ("Yes, I'm safe", "No", "Not sure")
    assert result.state is not None and result.state.safe_check is not None
    assert ("check", ("model: check 0.41",)) in flags(result)


# Where the conversation can be: (name, messages that lead there, what "Yes" goes on with).
PLACES = [
    ("first message", (), "Is it OK to start?"),
    ("consent", ("hi",), "Is it OK to start?"),
    ("big question", ("hi", "1"), "What works well now"),
    ("works well", ("hi", "1", "skip"), "What does not work well"),
    ("change later", ("hi", "1", "skip", "skip", "skip", "skip"), "Do any of these fit you?"),
    ("groups (a choice)", ("hi", "1", *["skip"] * 5), "Do any of these fit you?"),
    ("cohort: helped", ("hi", "1", *["skip"] * 5, "1 3"), "lifelong relationships"),
    ("cohort: parents", ("hi", "1", *["skip"] * 5, "1 3", *["skip"] * 4), "does well for parents"),
    ("cohort: future", ("hi", "1", *["skip"] * 5, "1 3", *["skip"] * 6), "Last question."),
    ("last question (a choice)", ("hi", "1", *["skip"] * 5, "1 3", *["skip"] * 7), "How old"),
    ("after BYE", ("hi", "1", "BYE"), "Is it OK to start?"),
    ("after DELETE", ("hi", "1", "DELETE"), "Is it OK to start?"),
    ("after STOP", ("hi", "STOP"), "Is it OK to start?"),
]


@pytest.mark.parametrize(("name", "before", "goes_on"), PLACES, ids=[p[0] for p in PLACES])
def test_a_check_asks_and_yes_goes_on_with_the_script(
    name: str, before: tuple[str, ...], goes_on: str
) -> None:
    state = run(None, *before).state
    checked = step(CFG, state, turn(WORRY, CHECK))
    asked(checked)
    assert "What works well" not in texts(checked) and "Please reply" not in texts(checked)
    assert "HANDOFF" not in texts(checked)  # the question carries the helplines line itself
    yes = step(CFG, checked.state, turn("1"))
    assert texts(yes).startswith("Thank you.\nWe are glad.")
    assert goes_on in texts(yes)
    assert ("support", ("said safe right now, after a check",)) in flags(yes)
    assert yes.state is None or (yes.state.safe_check is None and yes.state.signposted)


@pytest.mark.parametrize(("name", "before", "goes_on"), PLACES, ids=[p[0] for p in PLACES])
@pytest.mark.parametrize("answer", ["2", "3", "no not really", "idk"])
def test_no_or_not_sure_gets_the_urgent_handoff_first_and_an_urgent_item(
    name: str, before: tuple[str, ...], goes_on: str, answer: str
) -> None:
    checked = step(CFG, run(None, *before).state, turn(WORRY, CHECK))
    result = step(CFG, checked.state, turn(answer))
    assert result.replies[0].text == URGENT_HANDOFF and result.replies[0].kind == "handoff"
    level, reasons = flags(result)[0]
    assert level == "urgent" and "Are you safe right now?" in reasons[0]
    assert result.state is not None and result.state.urgent and result.state.safe_check is None
    assert MSGS.contact_offer.split("\n")[0] in texts(result)


def test_a_check_on_a_text_question_keeps_the_answer_and_no_resumes_after_a_break() -> None:
    state = run(None, "hi", "1").state
    checked = step(CFG, state, turn(WORRY, CHECK))
    assert StoreAnswer("c-new", "big_question", f"R({WORRY})", ()) in checked.effects
    assert checked.state is not None and checked.state.step == "works_well"
    no = step(CFG, checked.state, turn("2"))
    assert no.state is not None and no.state.step == AFTER_URGENT
    assert no.state.resume_step == "works_well"
    assert "Take a break" in "\n".join(c for r in no.replies for c in r.choices)
    again = step(CFG, no.state, turn("1"))
    assert "What works well now" in texts(again)


LAST = ("hi", "1", *["skip"] * 5, "1 3", *["skip"] * 7)


def test_a_check_as_the_last_answer_thanks_after_the_question() -> None:
    checked = step(CFG, run(None, *LAST).state, turn("2", CHECK))  # 2: "16 or 17", and a maybe
    asked(checked)
    assert "Your answers are saved" not in texts(checked)
    yes = step(CFG, checked.state, turn("yes"))
    assert "Your answers are saved" in texts(yes) and yes.state is None


def test_the_last_answer_then_no_keeps_the_chat_open() -> None:
    checked = step(CFG, run(None, *LAST).state, turn("2", CHECK))
    no = step(CFG, checked.state, turn("not sure"))
    assert no.replies[0].text == URGENT_HANDOFF
    assert "Your answers are saved" in texts(no)
    assert no.state is not None and no.state.step == FINISHED_OPEN


@pytest.mark.parametrize(("text", "meaning"), list(SAID.items()))
def test_the_words_people_use_are_understood(text: str, meaning: str | None) -> None:
    assert parse_safe(text, MSGS.safe_check_choices) == meaning


def test_any_other_reply_is_assessed_as_usual_and_the_script_goes_on() -> None:
    checked = step(CFG, run(None, "hi", "1").state, turn(WORRY, CHECK))
    other = step(CFG, checked.state, turn("what is this"))
    (flag,) = [e for e in other.effects if isinstance(e, RecordFlag)]
    assert (flag.level, flag.text) == ("check", "R(what is this)")
    # kept with the answer before the question: nothing written when asked is lost
    (kept,) = [e for e in other.effects if isinstance(e, StoreAnswer)]
    assert (kept.question_id, kept.text) == ("big_question", "R(what is this)")
    assert "saved with your last answer" in texts(other)
    assert "What works well now" in texts(other)
    assert other.state is not None and other.state.safe_check is None
    # an urgent reply gets the urgent handoff and the urgent path
    urgent = step(CFG, checked.state, turn("he has a knife", URGENT))
    assert urgent.replies[0].text == "Speak Up\nHANDOFF urgent"
    assert [e.text for e in urgent.effects if isinstance(e, StoreAnswer)] == ["R(he has a knife)"]
    assert urgent.state is not None and urgent.state.step == AFTER_URGENT
    # a support reply gets the gentle signpost and the script goes on
    support = step(CFG, checked.state, turn("just lonely", SUPPORT))
    assert support.replies[0].text == "Speak Up\nHANDOFF support"
    assert "What works well now" in texts(support)
    # another maybe asks again, and still goes on to the same place after Yes
    again = step(CFG, checked.state, turn("he shouts", CHECK))
    asked(again)
    assert "What works well now" in texts(step(CFG, again.state, turn("yes")))


def test_skip_and_help_while_asked() -> None:
    checked = step(CFG, run(None, "hi", "1").state, turn(WORRY, CHECK))
    skipped = step(CFG, checked.state, turn("SKIP"))
    assert "What works well now" in texts(skipped) and flags(skipped) == []
    helped = step(CFG, checked.state, turn("help"))  # a cry for help: Not sure
    assert helped.replies[0].text == URGENT_HANDOFF


@pytest.mark.parametrize("word", ["STOP", "stop", "BYE", "goodbye", "end"])
def test_stop_and_bye_still_win(word: str) -> None:
    checked = step(CFG, run(None, "hi", "1").state, turn(WORRY, CHECK))
    result = step(CFG, checked.state, turn(word))
    assert result.state is None
    assert any(isinstance(e, CloseConversation) for e in result.effects)
    assert QUESTION not in texts(result)
    assert "116 123" in texts(result)  # the stop line, because the chat was flagged


@pytest.mark.parametrize(
    ("route", "expected", "absent"),
    [
        ("HMPEXAMPLE", "ask for a Listener", "Childline"),
        ("HOSTEL7", "tell the staff here", "Listener"),
    ],
)
def test_prison_and_partner_phone_wordings(route: str, expected: str, absent: str) -> None:
    state = run(None, f"START {route}", "1").state
    assert state is not None and state.route_kind is not None
    checked = step(CFG, state, turn(WORRY, CHECK))
    asked(checked)
    assert expected in checked.replies[-1].text and absent not in checked.replies[-1].text


def test_prison_routes_get_no_contact_offer_after_no() -> None:
    state = run(None, "START HMPEXAMPLE", "1").state
    checked = step(CFG, state, turn(WORRY, CHECK))
    no = step(CFG, checked.state, turn("2"))
    assert no.replies[0].text == URGENT_HANDOFF
    assert MSGS.contact_offer.split("\n")[0] not in texts(no)


@pytest.mark.parametrize(
    ("name", "setup", "goes_on"),
    [
        ("after urgent", ("hi", "1", "URGENT"), MSGS.after_urgent.split("\n")[0]),
        ("paused", ("hi", "1", "URGENT", "2"), MSGS.after_urgent.split("\n")[0]),
        ("contact: explain", ("hi", "1", "URGENT", "CONTACT"), "Is it safe for them"),
        ("contact: ask", ("hi", "1", "URGENT", "CONTACT", "1"), "Send the phone number"),
        ("resume", ("hi", "1", "IDLE"), MSGS.resume.split("\n")[0]),
    ],
)
def test_a_check_in_the_other_places(name: str, setup: tuple[str, ...], goes_on: str) -> None:
    result = Result(state=None)
    now = NOW
    for text in setup:
        if text == "URGENT":
            result = step(CFG, result.state, turn("bad", URGENT, now=now))
        elif text == "IDLE":
            now = NOW + timedelta(hours=2)
            assert result.state is not None
            result = Result(state=result.state.with_(step="works_well"))
        else:
            result = step(CFG, result.state, turn(text, now=now))
    before = result.state
    assert before is not None
    checked = step(CFG, before, turn(WORRY, CHECK, now=now))
    asked(checked)
    if name == "resume":
        assert checked.state is not None
        checked = Result(state=checked.state.with_(step="resume", resume_step="works_well"))
    yes = step(CFG, checked.state, turn("yes", now=now))
    assert goes_on in texts(yes), texts(yes)
    if name in ("paused", "after urgent"):
        assert yes.state is not None and yes.state.step in (AFTER_URGENT, PAUSED)
    if name.startswith("contact"):
        assert yes.state is not None and yes.state.step in (CONTACT_EXPLAIN, CONTACT_ASK)


def test_a_late_answer_after_the_idle_time_is_still_the_answer() -> None:
    checked = step(CFG, run(None, "hi", "1").state, turn(WORRY, CHECK))
    late = step(CFG, checked.state, turn("no", now=NOW + timedelta(hours=2)))
    assert late.replies[0].text == URGENT_HANDOFF


def test_a_check_before_consent_keeps_no_text_and_the_welcome_follows_yes() -> None:
    checked = step(CFG, None, turn(WORRY, CHECK))
    flag = next(e for e in checked.effects if isinstance(e, RecordFlag))
    assert flag.text is None and flag.conversation_id is None and flag.score == 0.41
    assert "Hi, this is Speak Up" not in texts(checked)
    assert checked.state is not None and checked.state.step == CONSENT
    yes = step(CFG, checked.state, turn("yeah im ok"))
    assert "Hi, this is Speak Up" in texts(yes) and "Is it OK to start?" in texts(yes)


def test_the_question_survives_a_save_and_load() -> None:
    checked = step(CFG, run(None, "hi", "1").state, turn(WORRY, CHECK))
    assert checked.state is not None
    again = ConversationState.from_json(checked.state.to_json())
    assert again == checked.state
    old = checked.state.to_json()
    old.pop("safe_check")  # a state saved before this field existed
    assert ConversationState.from_json(old).safe_check is None


def test_without_a_composed_handoff_the_stop_line_is_used() -> None:
    checked = step(CFG, run(None, "hi", "1").state, turn(WORRY, CHECK))
    result = step(CFG, checked.state, replace(turn("2"), urgent_handoff=None))
    assert result.replies[0].text == MSGS.stop_risk
