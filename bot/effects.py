"""Effects: what the engine asks the outside world to do. Plain data, carried out by ``actions``."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class StoreAnswer:
    """Store one redacted answer (never raw text)."""

    conversation_id: str
    question_id: str
    text: str
    entity_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class SaveProfile:
    """Store the optional groups and age band a person chose."""

    conversation_id: str
    groups: tuple[str, ...] | None = None
    age_band: str | None = None


@dataclass(frozen=True)
class IssueCode:
    """Record the keyed hash of a new withdrawal code for a conversation."""

    conversation_id: str
    code: str


@dataclass(frozen=True)
class RecordFlag:
    """Add a risk detection to the safeguarding queue (text is redacted, or None)."""

    conversation_id: str | None
    level: str
    kinds: tuple[str, ...]
    who: str | None
    reasons: tuple[str, ...]
    text: str | None
    score: float | None = None


@dataclass(frozen=True)
class DeleteConversation:
    """Delete every answer and flag text of the current conversation."""

    conversation_id: str


@dataclass(frozen=True)
class DeleteByCode:
    """Delete a finished conversation's answers by its withdrawal code (the action replies)."""

    code: str


@dataclass(frozen=True)
class CloseConversation:
    """End a conversation: mark it closed and remove its link to the sender."""

    conversation_id: str
    reason: str


@dataclass(frozen=True)
class StoreContact:
    """Seal a consented contact for the safeguarding partner. ``contact`` is raw: memory only."""

    conversation_id: str
    contact: str = field(repr=False)


Effect = (
    StoreContact
    | StoreAnswer
    | SaveProfile
    | IssueCode
    | RecordFlag
    | DeleteConversation
    | DeleteByCode
    | CloseConversation
)
