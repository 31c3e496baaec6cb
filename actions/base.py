"""The Action ABC: one class carries out one kind of effect the engine asks for."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Generic, TypeVar

from bot.effects import Effect
from bot.messages import OutboundMessage
from dialogues.schema import Messages
from privacy.pseudonym import Pseudonymiser
from storage.repository import Repository

E = TypeVar("E", bound=Effect)


@dataclass(frozen=True)
class ActionContext:
    """What actions may use: the unit of work's repository, the keyed hasher and the texts."""

    repo: Repository
    pseudonymiser: Pseudonymiser
    messages: Messages
    now: datetime
    code_attempts_per_hour: int
    seal_contact: Callable[[str], str] | None = None
    contact_days: int = 7
    # DELETE <code>: may this sender try a code now? (argument: whether guessing is widespread)
    code_try_allowed: Callable[[bool], bool] = field(default=lambda squeezed: True)


class Action(ABC, Generic[E]):
    """Carries out one effect type inside the message's unit of work.

    ``run`` may return replies (for example, whether DELETE <code> found anything). It must not
    log or keep any text it is given beyond writing it to the repository.
    """

    effect: ClassVar[type]

    @abstractmethod
    def run(self, effect: E, ctx: ActionContext) -> list[OutboundMessage]:
        """Carry out the effect."""
