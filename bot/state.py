"""Conversation state: everything the engine needs between messages, and no raw text."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ConversationState:
    """Where one conversation is. Serialised to JSON in storage."""

    conversation_id: str
    channel: str
    step: str
    started_at: datetime
    last_active: datetime
    route: str | None = None
    route_kind: str | None = None
    consented: bool = False
    groups: tuple[str, ...] = ()
    age_band: str | None = None
    risk_flagged: bool = False
    urgent: bool = False
    signposted: bool = False
    resume_step: str | None = None
    contact_offered: bool = False
    # "Are you safe right now?" is waiting for an answer: what to do after it ("resume" the
    # current step, show the "welcome", or "finish"); None when nothing is waiting.
    safe_check: str | None = None
    answered: tuple[str, ...] = field(default=())
    # The withdrawal code, sealed by the service to the raw sender (never stored in clear), so
    # the end of the chat can repeat it; dropped when the conversation closes.
    code_sealed: str | None = None
    # After an urgent disclosure saved as the answer to this question: more words written at
    # "Carry on / Take a break" are added to that answer.
    urgent_at: str | None = None

    def with_(self, **changes: Any) -> ConversationState:
        """Return a copy with some fields changed."""
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        # Every field is flat: a shallow copy (asdict deep-copies, at several times the cost,
        # on every message).
        data = {name: getattr(self, name) for name in _FIELDS}
        data["started_at"] = self.started_at.isoformat()
        data["last_active"] = self.last_active.isoformat()
        data["groups"] = list(self.groups)
        data["answered"] = list(self.answered)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ConversationState:
        """Rebuild a state from :meth:`to_json` output."""
        data = dict(data)
        data["started_at"] = datetime.fromisoformat(data["started_at"])
        data["last_active"] = datetime.fromisoformat(data["last_active"])
        data["groups"] = tuple(data.get("groups", ()))
        data["answered"] = tuple(data.get("answered", ()))
        return cls(**data)


_FIELDS = tuple(f.name for f in fields(ConversationState))
