"""'Are you safe right now?': what the engine does when the risk check is not sure ("check").

A "check" message gets the helplines and the question (1 Yes, I'm safe / 2 No / 3 Not sure)
instead of the script's next prompt, and a "check" item on the safeguarding queue. The answer:

- No or Not sure: the urgent handoff at once, an urgent queue item, then the urgent path
  (consented contact if offered, "carry on or take a break");
- Yes: a short thank-you, a "support" queue item, and the script goes on where it was;
- anything else: the message is assessed as usual (its own risk check already ran), and the
  script goes on; another "check" message asks again. Its words are kept with the last answer
  (the next question was held back, so it cannot be an answer to that), as words after an urgent
  disclosure are; a reply with no risk also joins the queue beside the check.

STOP, BYE and the other keywords are handled before this module is asked. Pure: no I/O.
"""

from __future__ import annotations

import re

from bot.choices import parse_choice
from bot.contact_flow import contact_allowed
from bot.effects import RecordFlag
from bot.keywords import Keyword
from bot.messages import OutboundMessage
from bot.turn import AFTER_URGENT, FINISHED_OPEN, _Turn
from dialogues.schema import Choice
from safeguarding import RiskAssessment

__all__ = ["NOT_SAFE", "answer", "ask_if_held", "parse_safe", "pending"]

# What the service composes the urgent handoff from when the question is waiting.
NOT_SAFE = RiskAssessment(level="urgent", who="self", reasons=("said not safe right now",))

# Words a frightened person types instead of a number. Checked only on short replies.
_NOT_SURE = re.compile(
    r"\b(not sure|unsure|idk|dunno|dont know|do not know|dont no|maybe|kind of|kinda|sort of|"
    r"sorta|i think so|i guess|not really sure|no idea|possibly|probably)\b"
)
_NO = {"no", "nope", "nah", "na", "not", "never", "dont", "isnt", "aint", "cant", "unsafe", "nop"}
_FEAR = {"scared", "afraid", "frightened", "terrified", "help", "danger", "worried", "hurt"}
_YES = {
    "yes", "yeah", "yea", "yep", "yup", "ya", "yh", "ye", "y", "ok", "okay", "k", "fine",
    "safe", "good", "alright", "sure", "im", "i", "am", "thanks", "thank", "you", "now", "ty",
    "all", "right", "1",
}  # fmt: skip
_MAX_WORDS = 8
_OTHER = "their reply to 'Are you safe right now?' was not Yes, No or Not sure"


def _words(text: str) -> list[str]:
    text = text.lower().replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", " ", text).split()


def parse_safe(text: str, choices: tuple[Choice, ...]) -> str | None:
    """Return "yes", "no" or "not_sure" for an answer to "Are you safe right now?", or None.

    Numbers and the choices' words first; then, on short replies, the obvious words: any doubt
    ("idk", "maybe") is Not sure, any "no"/"not" is No, fear beside a yes is Not sure.
    """
    picked = parse_choice(text, choices)
    if picked is not None:
        return "not_sure" if picked.id == "yes" and "?" in text else picked.id
    if text.strip() and not text.strip(" ?"):
        return "not_sure"  # "?" or "??"
    words = _words(text)
    if not words or len(words) > _MAX_WORDS:
        return None
    joined = " ".join(words)
    if _NOT_SURE.search(joined):
        return "not_sure"
    if set(words) & _NO or words[0] == "2":
        return "no"
    if set(words) & _FEAR:
        return "not_sure" if set(words) & _YES else "no"
    if set(words) <= _YES and set(words) & {
        "yes", "yeah", "yea", "yep", "yup", "ya", "yh", "ye", "y", "ok", "okay", "k", "fine",
        "safe", "good", "alright", "sure", "1",
    }:  # fmt: skip
        return "not_sure" if "?" in text else "yes"  # "ok?" is not a yes
    return None


def pending(t: _Turn) -> bool:
    """Whether this conversation is waiting for an answer to "Are you safe right now?"."""
    return t.state is not None and t.state.safe_check is not None


def answer(t: _Turn, keyword: Keyword | None) -> None:
    """Handle the reply to "Are you safe right now?" (SKIP counts as any other reply)."""
    state, msgs = t.state, t.msgs
    assert state is not None and state.safe_check is not None
    after = state.safe_check
    if keyword is None:
        said = parse_safe(t.turn.text, msgs.safe_check_choices)
    else:  # HELP while asked is a cry for help: Not sure. SKIP is any other reply.
        said = "not_sure" if keyword.name == "help" else None
    t.state = state.with_(safe_check=None)
    if said is None:
        _other_reply(t, after, words=keyword is None)
        return
    t.hold = False  # the question is answered, whatever this message's own risk check said
    cid = state.conversation_id
    if said == "yes":
        t.out.effects.append(
            RecordFlag(cid, "support", (), "self", ("said safe right now, after a check",), None)
        )
        t.state = t.state.with_(risk_flagged=True, signposted=True)
        t.say(msgs.safe_check_yes)
        _resume(t, after)
        return
    label = "No" if said == "no" else "Not sure"
    reason = f"answered {label} to 'Are you safe right now?'"
    t.out.effects.append(RecordFlag(cid, "urgent", (), "self", (reason,), None))
    own = t.turn.risk.level == "urgent"  # this message's own urgent handoff is already first
    if not own:
        text = t.turn.urgent_handoff or msgs.stop_risk
        t.out.replies.insert(0, OutboundMessage(text=text, kind="handoff"))
    _urgent_resume(t, after)


def _other_reply(t: _Turn, after: str, words: bool) -> None:
    risk = t.turn.risk.level
    _keep_with_last_answer(t, words)
    if t.hold:  # another "check" message: ask again, keeping what comes after
        t.after_check = after
        return
    if risk == "urgent":
        _urgent_resume(t, after, handoff_given=True)
        return
    state, redacted = t.state, t.turn.redacted
    if words and risk == "none" and state and state.consented and redacted and redacted.text:
        # Not stored as an answer (they have not seen the next question yet), so it joins the
        # queue beside the check: staff see what they said when asked if they were safe.
        t.out.effects.append(
            RecordFlag(state.conversation_id, "check", (), None, (_OTHER,), redacted.text)
        )
    _resume(t, after)


def _keep_with_last_answer(t: _Turn, words: bool) -> None:
    """Words written instead of Yes, No or Not sure are kept with the answer before the question
    (they have not seen the next question yet), as words after an urgent disclosure are: nothing
    a person writes is lost because they were asked if they were safe."""
    state, turn = t.state, t.turn
    if not (words and state is not None and state.consented and state.answered):
        return
    if turn.too_long or turn.redaction_failed or turn.redacted is None or not turn.redacted.text:
        return
    t.store_answer(state.answered[-1])
    t.say(t.msgs.added_to_answer)


def _resume(t: _Turn, after: str) -> None:
    """Go on with the script where it was before the question."""
    assert t.state is not None
    if after == "welcome":
        t.say_welcome()
    elif after == "finish":
        t.say_thanks()
        if t.state.urgent:
            t.state = t.state.with_(step=FINISHED_OPEN, resume_step=None)
        else:
            t.close("finished")
    else:
        t.reprompt()


def _urgent_resume(t: _Turn, after: str, handoff_given: bool = False) -> None:
    """After No or Not sure: the urgent path, as after any urgent disclosure."""
    state = t.state
    assert state is not None
    state = state.with_(risk_flagged=True, urgent=True)
    if not handoff_given and contact_allowed(t) and not state.contact_offered:
        t.state = state
        t.say(t.msgs.contact_offer)
        state = state.with_(contact_offered=True)
    t.state = state
    steps = {s.id: s for s in t.cfg.dialogue.steps}
    if after in ("welcome", "finish") or state.step not in steps:
        _resume(t, after)
        return
    current = steps[state.step]
    nxt = current if t.visible(current, state) else t.next_step(current.id)
    if nxt is None:
        _resume(t, "finish")
        return
    t.state = state.with_(step=AFTER_URGENT, resume_step=nxt.id)
    t.reprompt()


def ask_if_held(t: _Turn) -> None:
    """At the end of a "check" turn: ask the question (unless STOP, BYE or similar ended it)."""
    if not t.hold or t.state is None:
        return
    t.state = t.state.with_(safe_check=t.after_check)
    t.hold = False
    t.reprompt()
