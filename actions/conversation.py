"""Actions that write a conversation's answers, profile, code and flags, or end it."""

from __future__ import annotations

from datetime import timedelta

from actions.base import Action, ActionContext
from bot.codes import canonical
from bot.effects import (
    CloseConversation,
    IssueCode,
    RecordFlag,
    SaveProfile,
    StoreAnswer,
    StoreContact,
)
from bot.messages import OutboundMessage

CODE_PURPOSE = "withdrawal-code"


class StoreAnswerAction(Action[StoreAnswer]):
    """Write one redacted answer."""

    effect = StoreAnswer

    def run(self, effect: StoreAnswer, ctx: ActionContext) -> list[OutboundMessage]:
        """Store the answer."""
        ctx.repo.add_answer(
            effect.conversation_id,
            effect.question_id,
            effect.text,
            list(effect.entity_types),
            ctx.now,
        )
        return []


class SaveProfileAction(Action[SaveProfile]):
    """Write the groups or age band a person chose."""

    effect = SaveProfile

    def run(self, effect: SaveProfile, ctx: ActionContext) -> list[OutboundMessage]:
        """Store the profile fields given."""
        groups = list(effect.groups) if effect.groups is not None else None
        ctx.repo.save_profile(effect.conversation_id, groups, effect.age_band)
        return []


class IssueCodeAction(Action[IssueCode]):
    """Store only the keyed hash of a withdrawal code."""

    effect = IssueCode

    def run(self, effect: IssueCode, ctx: ActionContext) -> list[OutboundMessage]:
        """Hash and store the code."""
        code = canonical(effect.code)
        assert code is not None
        ctx.repo.set_code_hash(effect.conversation_id, ctx.pseudonymiser.token(CODE_PURPOSE, code))
        return []


class RecordFlagAction(Action[RecordFlag]):
    """Put a risk detection on the safeguarding queue."""

    effect = RecordFlag

    def run(self, effect: RecordFlag, ctx: ActionContext) -> list[OutboundMessage]:
        """Store the detection."""
        ctx.repo.add_flag(
            effect.conversation_id,
            effect.level,
            list(effect.kinds),
            effect.who,
            list(effect.reasons),
            effect.text,
            ctx.now,
            score=effect.score,
        )
        return []


class CloseConversationAction(Action[CloseConversation]):
    """End a conversation and remove its link to the sender."""

    effect = CloseConversation

    def run(self, effect: CloseConversation, ctx: ActionContext) -> list[OutboundMessage]:
        """Close it."""
        ctx.repo.close_conversation(effect.conversation_id, effect.reason, ctx.now)
        return []


class StoreContactAction(Action[StoreContact]):
    """Seal a consented contact to the partner's key and keep it in its own table."""

    effect = StoreContact

    def run(self, effect: StoreContact, ctx: ActionContext) -> list[OutboundMessage]:
        """Store only the sealed form; without a partner key nothing is kept."""
        if ctx.seal_contact is None:
            raise RuntimeError("consented contact is on but SPEAKUP_CONTACT_KEY is not set")
        ctx.repo.add_contact(
            effect.conversation_id,
            ctx.seal_contact(effect.contact),
            ctx.now,
            ctx.now + timedelta(days=ctx.contact_days),
        )
        return []
