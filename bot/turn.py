"""The engine's vocabulary: configuration, the inbound turn, the result, and the scratch space
one call of :func:`bot.engine.step` works in. Pure: no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.effects import (
    CloseConversation,
    Effect,
    StoreAnswer,
)
from bot.messages import OutboundMessage
from bot.state import ConversationState
from dialogues.schema import Dialogue, Step
from privacy import RedactionResult
from safeguarding import RiskAssessment

CONSENT = "consent"
RESUME = "resume"
AFTER_URGENT = "after_urgent"
PAUSED = "paused"
FINISHED_OPEN = "finished_open"
CONTACT_EXPLAIN = "contact_explain"
CONTACT_ASK = "contact_ask"
_CONTACT_SHAPE = re.compile(
    r"^\s*(?:\+?[\d\s()-]{10,18}|[^\s@]+@[^\s@]+\.[a-z]{2,})\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class EngineConfig:
    """What the engine needs from configuration."""

    dialogue: Dialogue
    idle: timedelta
    privacy_url: str
    max_chars: int
    partners: dict[str, tuple[str, str]] = field(default_factory=dict)  # CODE -> (route, kind)
    contact_enabled: bool = False
    contact_partner: str = ""
    contact_within: str = ""


@dataclass(frozen=True)
class Turn:
    """One inbound message, with everything measured about it beforehand."""

    text: str = field(repr=False)
    now: datetime
    channel: str
    risk: RiskAssessment
    handoff: str | None
    redacted: RedactionResult | None
    redaction_failed: bool
    new_conversation_id: str
    new_code: str
    personal_channel: bool = True
    route: str | None = None
    route_kind: str | None = None
    media_count: int = 0
    too_long: bool = False
    sample_for_audit: bool = (
        False  # drawn by the service: a "none" answer joins the queue for audit
    )
    # The urgent handoff for someone who answers "Are you safe right now?" with No or Not sure,
    # composed by the service only while that question is waiting.
    urgent_handoff: str | None = None
    # The withdrawal code: ``new_code`` sealed for the state, and the person's code opened from
    # the state (None when unknown), to repeat at the end.
    new_code_sealed: str | None = None
    code: str | None = None


@dataclass
class Result:
    """What the engine decided."""

    state: ConversationState | None
    replies: list[OutboundMessage] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)


class _Turn:
    """Mutable scratch space for one call of :func:`step`."""

    def __init__(self, cfg: EngineConfig, state: ConversationState | None, turn: Turn) -> None:
        self.cfg = cfg
        self.msgs = cfg.dialogue.messages
        self.state = state
        self.turn = turn
        self.out = Result(state=state)
        # A "check" turn holds back the script's next prompt: "Are you safe right now?" is asked
        # instead, and ``after_check`` says what follows its answer (see bot/safecheck.py).
        self.hold = False
        self.after_check = "resume"

    def store_answer(self, question_id: str) -> None:
        """Ask for this turn's redacted words to be stored as the answer to ``question_id``."""
        assert self.state is not None and self.turn.redacted is not None
        redacted = self.turn.redacted
        self.out.effects.append(
            StoreAnswer(
                conversation_id=self.state.conversation_id,
                question_id=question_id,
                text=redacted.text,
                entity_types=tuple(sorted({e.type for e in redacted.entities})),
            )
        )

    def say(self, text: str, choices: tuple[str, ...] = (), kind: str = "text") -> None:
        text = text.format(
            privacy_url=self.cfg.privacy_url,
            max_chars=self.cfg.max_chars,
            code="{code}",
            partner=self.cfg.contact_partner,
            respond_within=self.cfg.contact_within,
        )
        self.out.replies.append(OutboundMessage(text=text, choices=choices, kind=kind))

    def close(self, reason: str) -> None:
        if self.state is not None:
            self.out.effects.append(CloseConversation(self.state.conversation_id, reason))
        self.state = None

    def new_state(
        self, route: str | None = None, route_kind: str | None = None
    ) -> ConversationState:
        t = self.turn
        return ConversationState(
            conversation_id=t.new_conversation_id,
            channel=t.channel,
            step=CONSENT,
            started_at=t.now,
            last_active=t.now,
            route=route or t.route,
            route_kind=route_kind or t.route_kind,
        )

    def welcome(self, route: str | None = None, route_kind: str | None = None) -> None:
        self.state = self.new_state(route, route_kind)
        if self.hold:
            self.after_check = "welcome"
            return
        self.say_welcome()

    def say_welcome(self) -> None:
        assert self.state is not None
        self.say(self.msgs.welcome)
        if self.state.route is not None:
            self.say(self.msgs.partner_note)
        self.say(
            self.msgs.consent, tuple(c.label for c in self.msgs.consent_choices), kind="prompt"
        )

    def visible(self, step: Step, state: ConversationState) -> bool:
        if step.personal and state.urgent:
            return False
        return not step.show_if_groups or bool(set(step.show_if_groups) & set(state.groups))

    def next_step(self, after: str | None) -> Step | None:
        assert self.state is not None
        steps = self.cfg.dialogue.steps
        ids = [s.id for s in steps]
        start = 0 if after is None else ids.index(after) + 1
        return next((s for s in steps[start:] if self.visible(s, self.state)), None)

    def prompt(self, step: Step) -> None:
        if self.hold:
            return
        self.say(step.prompt, tuple(c.label for c in step.choices), kind="prompt")

    def reprompt(self) -> None:
        state = self.state
        if state is None or self.hold:
            return
        if state.safe_check:
            self.ask_safe()
        elif state.step == CONSENT:
            self.say(
                self.msgs.consent, tuple(c.label for c in self.msgs.consent_choices), kind="prompt"
            )
        elif state.step == RESUME:
            self.say(
                self.msgs.resume, tuple(c.label for c in self.msgs.resume_choices), kind="prompt"
            )
        elif state.step == FINISHED_OPEN:
            self.say(self.msgs.still_here)
        elif state.step == CONTACT_EXPLAIN:
            self.say(
                self.msgs.contact_explain,
                tuple(c.label for c in self.msgs.contact_choices),
                kind="prompt",
            )
        elif state.step == CONTACT_ASK:
            self.say(self.msgs.contact_ask)
        elif state.step in (AFTER_URGENT, PAUSED):
            self.say(
                self.msgs.after_urgent,
                tuple(c.label for c in self.msgs.after_urgent_choices),
                kind="prompt",
            )
        else:
            self.prompt(self.cfg.dialogue.step(state.step))

    def advance(self, after: str | None) -> None:
        assert self.state is not None
        nxt = self.next_step(after)
        if self.turn.risk.level == "urgent" and after is not None and nxt is not None:
            # After an urgent disclosure, offer a choice instead of pressing on with questions.
            saved = self.state.answered[-1:] == (after,)  # the disclosure is this answer
            self.pause_after_urgent(nxt.id, after if saved else None)
            return
        if nxt is None and self.hold:
            self.after_check = "finish"  # thanks once "Are you safe right now?" is answered
            return
        if nxt is None:
            self.say_thanks()
            if self.state.urgent:
                # Never end the conversation on someone at urgent risk: it stays open (BYE and
                # STOP still end it), and their answers are already saved.
                self.state = self.state.with_(step=FINISHED_OPEN, resume_step=None)
            else:
                self.close("finished")
            return
        self.state = self.state.with_(step=nxt.id, resume_step=None)
        self.prompt(nxt)

    def pause_after_urgent(self, resume: str, saved_at: str | None = None) -> None:
        """Offer "Carry on / Take a break" before ``resume``, the question that comes next."""
        assert self.state is not None
        self.state = self.state.with_(step=AFTER_URGENT, resume_step=resume, urgent_at=saved_at)
        self.reprompt()

    def say_thanks(self) -> None:
        """The end of the consultation, repeating the person's code when it is known."""
        code = self.turn.code
        if code:
            self.say(self.msgs.thanks_with_code.replace("{code}", code))
        else:
            self.say(self.msgs.thanks)

    def ask_safe(self) -> None:
        """Ask "Are you safe right now?" with the helplines, in the wording for the route."""
        assert self.state is not None
        msgs, kind = self.msgs, self.state.route_kind
        text = msgs.safe_check
        if kind == "prison":
            text = msgs.safe_check_prison
        elif self.state.route is not None:
            text = msgs.safe_check_shared
        self.say(text, tuple(c.label for c in msgs.safe_check_choices), kind="handoff")
