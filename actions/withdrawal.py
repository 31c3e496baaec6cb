"""Actions that delete answers: DELETE (this conversation) and DELETE <code> (a finished one)."""

from __future__ import annotations

from datetime import timedelta

from actions.base import Action, ActionContext
from actions.conversation import CODE_PURPOSE
from bot.codes import canonical
from bot.effects import DeleteByCode, DeleteConversation
from bot.messages import OutboundMessage


class DeleteConversationAction(Action[DeleteConversation]):
    """Delete the current conversation's answers."""

    effect = DeleteConversation

    def run(self, effect: DeleteConversation, ctx: ActionContext) -> list[OutboundMessage]:
        """Delete them."""
        ctx.repo.delete_answers(effect.conversation_id, ctx.now)
        return []


class DeleteByCodeAction(Action[DeleteByCode]):
    """Delete by withdrawal code. Tries are limited per sender; many failures across everyone
    only slow each sender down to one try an hour, so a stranger's guesses never lock the owner
    out."""

    effect = DeleteByCode

    def run(self, effect: DeleteByCode, ctx: ActionContext) -> list[OutboundMessage]:
        """Look the code up by keyed hash and delete, or say why not."""
        msgs = ctx.messages
        since = ctx.now - timedelta(hours=1)
        squeezed = ctx.repo.failed_code_attempts_since(since) >= ctx.code_attempts_per_hour
        if not ctx.code_try_allowed(squeezed):
            return [OutboundMessage(msgs.delete_code_limited, kind="notice")]
        code = canonical(effect.code)
        conversation_id = None
        if code is not None:
            conversation_id = ctx.repo.conversation_by_code(
                ctx.pseudonymiser.token_all_versions(CODE_PURPOSE, code)
            )
        if conversation_id is None:
            ctx.repo.record_failed_code_attempt(ctx.now)
            return [OutboundMessage(msgs.delete_code_not_found, kind="notice")]
        ctx.repo.delete_answers(conversation_id, ctx.now)
        return [OutboundMessage(msgs.delete_code_done, kind="notice")]
