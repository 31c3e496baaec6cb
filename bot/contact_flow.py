"""Consented contact: the short, explained flow a person at urgent risk may choose.

Off unless configured; never on prison routes; the contact leaves the engine only as a
``StoreContact`` effect, which the action seals to the partner's public key.
"""

from __future__ import annotations

from bot.choices import parse_choice
from bot.effects import StoreContact
from bot.turn import _CONTACT_SHAPE, CONSENT, CONTACT_ASK, CONTACT_EXPLAIN, _Turn


def contact_allowed(t: _Turn) -> bool:
    """Consented contact: only when switched on, and never on prison routes."""
    state = t.state
    return t.cfg.contact_enabled and state is not None and state.route_kind != "prison"


def leave_contact_flow(t: _Turn, message: str) -> None:
    assert t.state is not None
    t.say(message)
    t.state = t.state.with_(step=t.state.resume_step or CONSENT, resume_step=None)
    t.reprompt()


def answer_contact(t: _Turn, text: str) -> None:
    """Handle an answer inside the contact flow."""
    state, msgs = t.state, t.msgs
    assert state is not None
    if state.step == CONTACT_EXPLAIN:
        choice = parse_choice(text, msgs.contact_choices)
        if choice is None:
            t.reprompt()
        elif choice.id == "safe":
            t.state = state.with_(step=CONTACT_ASK)
            t.say(msgs.contact_ask)
        else:
            leave_contact_flow(t, msgs.contact_declined)
        return
    if state.step == CONTACT_ASK:
        if _CONTACT_SHAPE.match(text):
            t.out.effects.append(StoreContact(state.conversation_id, text))
            leave_contact_flow(t, msgs.contact_saved)
        elif not t.hold:
            t.say(msgs.contact_unclear)
        return
