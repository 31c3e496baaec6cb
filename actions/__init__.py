"""Side effects the engine asks for. ``ACTIONS`` is the only registration table."""

from __future__ import annotations

from typing import Any

from actions.base import Action, ActionContext
from actions.conversation import (
    CloseConversationAction,
    IssueCodeAction,
    RecordFlagAction,
    SaveProfileAction,
    StoreAnswerAction,
    StoreContactAction,
)
from actions.withdrawal import DeleteByCodeAction, DeleteConversationAction

ACTIONS: dict[type, Action[Any]] = {
    a.effect: a
    for a in (
        StoreAnswerAction(),
        StoreContactAction(),
        SaveProfileAction(),
        IssueCodeAction(),
        RecordFlagAction(),
        CloseConversationAction(),
        DeleteConversationAction(),
        DeleteByCodeAction(),
    )
}

__all__ = ["ACTIONS", "Action", "ActionContext"]
