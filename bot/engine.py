"""The dialogue engine: a pure function ``(state, turn) -> (state, replies, effects)``.

No I/O happens here. The service measures risk, redacts the text and makes fresh ids before
calling :func:`step`; ``actions`` carry out the effects afterwards. Safety comes first: a risk
handoff is always the first reply, whatever step the person is on, and STOP is always obeyed.
"""

from __future__ import annotations

from bot import safecheck
from bot.choices import parse_choice, parse_choices
from bot.contact_flow import answer_contact, contact_allowed, leave_contact_flow
from bot.effects import (
    DeleteByCode,
    DeleteConversation,
    IssueCode,
    RecordFlag,
    SaveProfile,
)
from bot.glossary import gloss_for
from bot.keywords import Keyword, parse_keyword
from bot.state import ConversationState
from bot.turn import (
    AFTER_URGENT,
    CONSENT,
    CONTACT_ASK,
    CONTACT_EXPLAIN,
    FINISHED_OPEN,
    PAUSED,
    RESUME,
    EngineConfig,
    Result,
    Turn,
    _Turn,
)
from dialogues.schema import Step

__all__ = ["EngineConfig", "Result", "Turn", "step"]


def step(cfg: EngineConfig, state: ConversationState | None, turn: Turn) -> Result:
    """Handle one message. Pure: the same inputs always give the same result."""
    t = _Turn(cfg, state, turn)
    keyword = parse_keyword(turn.text)
    _expire_idle(t, keyword)
    _safety_first(t)
    if safecheck.pending(t) and (keyword is None or keyword.name in ("skip", "help")):
        safecheck.answer(t, keyword)  # the reply to "Are you safe right now?"
    elif keyword is not None and _keyword(t, keyword):
        pass
    elif t.state is None:
        t.welcome()
    else:
        _answer(t, keyword)
    safecheck.ask_if_held(t)
    return _finish(t)


def _finish(t: _Turn) -> Result:
    if t.state is not None:
        risk = t.turn.risk.level
        t.state = t.state.with_(
            last_active=t.turn.now,
            risk_flagged=t.state.risk_flagged or risk != "none",
            urgent=t.state.urgent or risk == "urgent",
            signposted=t.state.signposted or risk == "support",
        )
    t.out.state = t.state
    return t.out


def _expire_idle(t: _Turn, keyword: Keyword | None) -> None:
    state = t.state
    if state is None or t.turn.now - state.last_active <= t.cfg.idle:
        return
    if state.route is not None or not t.turn.personal_channel or not state.consented:
        t.close("idle")  # shared devices and partner routes always start fresh
    elif keyword is None and state.step not in (RESUME, CONSENT) and not state.safe_check:
        t.state = state.with_(step=RESUME, resume_step=state.step)


def _safety_first(t: _Turn) -> None:
    """Answer a risk disclosure before anything else and put it on the safeguarding queue."""
    risk, turn = t.turn.risk, t.turn
    if risk.level == "none":
        state = t.state
        if (
            turn.sample_for_audit
            and state is not None
            and state.consented
            and turn.redacted
            and turn.redacted.text
        ):
            t.out.effects.append(
                RecordFlag(state.conversation_id, "audit_sample", (), None, (), turn.redacted.text)
            )
        return
    state = t.state
    t.hold = risk.level == "check"  # ask "Are you safe right now?" instead of the next prompt
    consented = state is not None and state.consented
    text = turn.redacted.text if consented and turn.redacted is not None else None
    t.out.effects.append(
        RecordFlag(
            conversation_id=state.conversation_id if state is not None else None,
            level=risk.level,
            kinds=risk.kinds,
            who=risk.who,
            reasons=risk.reasons,
            text=text,
            score=risk.score,
        )
    )
    urgent = risk.level == "urgent"
    if turn.handoff and risk.level != "check" and (urgent or state is None or not state.signposted):
        t.say(turn.handoff, kind="handoff")
    if urgent and contact_allowed(t) and state is not None and not state.contact_offered:
        t.say(t.msgs.contact_offer)
        state = state.with_(contact_offered=True)
        t.state = state
    if state is not None:
        t.state = state.with_(
            risk_flagged=True,
            urgent=state.urgent or urgent,
            signposted=state.signposted or risk.level == "support",
        )


def _keyword(t: _Turn, kw: Keyword) -> bool:
    """Act on a keyword; return True when the message needs nothing more."""
    msgs, state = t.msgs, t.state
    if kw.name == "contact":
        if not (contact_allowed(t) and state is not None and state.contact_offered):
            return False  # an ordinary word here
        if state.step not in (CONTACT_EXPLAIN, CONTACT_ASK):
            t.state = state.with_(step=CONTACT_EXPLAIN, resume_step=state.step, safe_check=None)
        t.say(msgs.contact_explain, tuple(c.label for c in msgs.contact_choices), kind="prompt")
        return True
    if kw.name == "skip" and state is not None and state.step in (CONTACT_EXPLAIN, CONTACT_ASK):
        leave_contact_flow(t, msgs.contact_declined)
        return True
    if kw.name == "stop":
        t.say(msgs.stop)
        if t.turn.risk.level != "none" or (state is not None and state.risk_flagged):
            t.say(msgs.stop_risk)
        t.close("stop")
        return True
    if kw.name == "bye":
        t.say(msgs.bye)
        if t.turn.code and state is not None and state.consented:
            t.say(msgs.code_reminder.replace("{code}", t.turn.code))
        if state is not None and state.safe_check:  # "Are you safe right now?" was not answered
            t.say(msgs.stop_risk)
        t.close("bye")
        return True
    if kw.name in ("help", "privacy"):
        t.say(msgs.help if kw.name == "help" else msgs.privacy)
        t.reprompt()
        return True
    if kw.name == "new":
        t.close("new")
        t.welcome()
        return True
    if kw.name == "start":
        return _start(t, kw)
    if kw.name == "delete":
        if kw.argument is not None:
            t.out.effects.append(DeleteByCode(kw.argument))
            return True
        if state is not None and state.consented:
            t.out.effects.append(DeleteConversation(state.conversation_id))
        t.say(msgs.delete_done)
        t.close("deleted")
        return True
    if (
        kw.name == "skip"
        and state is not None
        and state.step not in (CONSENT, RESUME, AFTER_URGENT, PAUSED, FINISHED_OPEN)
    ):
        t.advance(state.step)
        return True
    return False


def _start(t: _Turn, kw: Keyword) -> bool:
    if kw.argument is None:
        if t.state is None:
            t.welcome()
        else:
            t.reprompt()
        return True
    partner = t.cfg.partners.get(kw.argument.upper().replace(" ", ""))
    t.close("new")
    if partner is None:
        t.say(t.msgs.unknown_partner)
        t.welcome()
    else:
        t.welcome(route=partner[0], route_kind=partner[1])
    return True


def _answer(t: _Turn, keyword: Keyword | None) -> None:
    state, turn, msgs = t.state, t.turn, t.msgs
    assert state is not None
    text = turn.text.strip()
    if state.step == CONSENT:
        choice = parse_choice(text, msgs.consent_choices)
        if choice is None:
            if turn.risk.level not in ("urgent", "check"):
                t.say(msgs.consent_unclear)
            t.reprompt()
        elif choice.id == "yes":
            t.state = state.with_(consented=True, code_sealed=turn.new_code_sealed)
            t.out.effects.append(IssueCode(state.conversation_id, turn.new_code))
            t.say(msgs.code_issued.replace("{code}", turn.new_code))
            t.advance(None)
        else:
            t.say(msgs.consent_declined)
            t.close("declined")
        return
    if state.step == RESUME:
        choice = parse_choice(text, msgs.resume_choices)
        if choice is None:
            t.reprompt()
        elif choice.id == "carry_on":
            t.state = state.with_(step=state.resume_step or CONSENT, resume_step=None)
            t.reprompt()
        else:
            t.close("new")
            t.welcome()
        return
    if state.step == FINISHED_OPEN:
        if not t.hold:
            t.say(msgs.still_here)
        return
    if state.step in (CONTACT_EXPLAIN, CONTACT_ASK):
        answer_contact(t, text)
        return
    if state.step in (AFTER_URGENT, PAUSED):
        choice = parse_choice(text, msgs.after_urgent_choices)
        if choice is not None and choice.id == "carry_on" and state.resume_step:
            t.state = state.with_(step=state.resume_step, resume_step=None, urgent_at=None)
            t.reprompt()
        elif choice is not None and choice.id == "pause":
            t.state = state.with_(step=PAUSED)
            t.say(msgs.paused)
        elif turn.risk.level != "urgent":
            _more_after_urgent(t, text)
        return
    _answer_question(t, t.cfg.dialogue.step(state.step), text)


def _more_after_urgent(t: _Turn, text: str) -> None:
    """Words written at "Carry on / Take a break" (already checked for risk, like any message):
    added to the answer that held the disclosure, and the choice offered again; otherwise the
    choice is explained again."""
    state, turn, msgs = t.state, t.turn, t.msgs
    assert state is not None
    if text and turn.too_long:
        t.say(msgs.too_long)
    elif text and state.urgent_at and not turn.redaction_failed and turn.redacted is not None:
        t.store_answer(state.urgent_at)
        t.say(msgs.added_to_answer)
    elif text and state.urgent_at:
        t.say(msgs.redaction_failed)
    t.reprompt()


def _answer_question(t: _Turn, step_: Step, text: str) -> None:
    state, turn, msgs = t.state, t.turn, t.msgs
    assert state is not None
    if turn.too_long:
        t.say(msgs.too_long)
        return
    if not text:
        t.say(msgs.media_declined if turn.media_count else msgs.empty)
        return
    if step_.kind == "text" and (meaning := gloss_for(text, step_)) is not None:
        t.say(msgs.gloss.replace("{meaning}", meaning))  # a question about a word: not an answer
        return
    if step_.kind == "text":
        if turn.redaction_failed or turn.redacted is None:
            t.say(msgs.redaction_failed)
            return
        t.store_answer(step_.id)
        t.state = state.with_(answered=(*state.answered, step_.id))
        t.advance(step_.id)
        return
    picked = parse_choices(text, step_.choices) if step_.kind == "multi_choice" else None
    if step_.kind == "choice":
        one = parse_choice(text, step_.choices)
        picked = (one,) if one is not None else None
    if picked is None:
        if turn.risk.level == "none":
            t.say(msgs.choice_unclear)
        t.prompt(step_)
        return
    ids = tuple(c.id for c in picked)
    if step_.profile == "groups":
        t.state = state.with_(groups=ids)
        t.out.effects.append(SaveProfile(state.conversation_id, groups=ids))
    elif step_.profile == "age_band":
        t.state = state.with_(age_band=ids[0])
        t.out.effects.append(SaveProfile(state.conversation_id, age_band=ids[0]))
    t.advance(step_.id)
