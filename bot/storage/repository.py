"""Every query the service and actions need, bound to one session (one unit of work)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.state import ConversationState
from bot.storage import statements
from bot.storage.models import (
    Answer,
    CodeAttempt,
    Conversation,
    Flag,
    ProcessedMessage,
    SenderLink,
    Withdrawal,
)

_LEVEL_RANK = {"none": 0, "support": 1, "urgent": 2}
# A link's last-active time decides when it expires (hours): writing it at most once a minute
# saves an UPDATE on most messages and moves expiry by under a minute.
LINK_TOUCH = timedelta(minutes=1)


class Repository:
    """Reads and writes for one unit of work."""

    def __init__(self, session: Session) -> None:
        self.session = session
        # The session's identity map holds rows weakly: keep what this unit of work loaded, so a
        # second look at the same row (state, then its update) costs no second SELECT.
        self._held: list[object] = []

    def _get(self, model: type[_Row], key: str) -> _Row | None:
        row = self.session.get(model, key)
        if row is not None:
            self._held.append(row)
        return row

    # --- conversations and sender links ----------------------------------------------------
    def start_message(
        self,
        sender_hash: str,
        *,
        wait_seconds: float = 10.0,
        delivery_key: str | None = None,
        expires_at: datetime | None = None,
    ) -> bool:
        """Hold this sender's lock until the transaction ends, then claim the delivery, if any.

        Returns False when the delivery was already processed (a provider retry).

        The lock: on PostgreSQL a transaction-level advisory lock keyed by the sender hash, across
        every worker, so one person's messages are handled one at a time in the order they take
        it; bounded by ``lock_timeout``, so a sender stuck behind a hung transaction gets "not
        saved". SQLite serves one process, where the service's in-process lock already does this.

        The claim is a row inserted in this transaction: it conflicts with a committed claim and,
        on PostgreSQL, waits for an uncommitted one until that commits or rolls back; a failed or
        killed attempt rolls back its claim with everything else. On PostgreSQL the lock and the
        claim are one statement (one round trip): the row to insert comes from the lock's query.
        """
        conn = self.session.connection()
        postgres = conn.dialect.name == "postgresql"
        params: dict[str, Any] = {}
        if postgres:
            digest = hashlib.sha256(sender_hash.encode()).digest()[:8]
            params = {
                "timeout": f"{int(wait_seconds * 1000)}ms",
                "lock": int.from_bytes(digest, "big", signed=True),
            }
        if delivery_key is None:
            if postgres:
                conn.execute(statements.sender_lock(), params)
            return True
        params |= {"delivery": delivery_key, "expires": expires_at}
        claimed = conn.execute(statements.claim(postgres), params)
        return claimed.scalar_one_or_none() is not None

    def load_state(
        self, sender_hash: str, *, window: timedelta, now: datetime
    ) -> ConversationState | None:
        """Return the open conversation linked to a sender, dropping a link past its window."""
        found = self.session.execute(
            statements.link_and_conversation(), {"sender": sender_hash}
        ).first()
        if found is None:
            return None
        link, conv = found
        self._held.extend(found)
        if _aware(link.updated_at) < now - window:
            self.session.delete(link)
            self._set_status(link.conversation_id, "closed", "expired", now)
            return None
        if conv is None or conv.status != "active":
            self.session.delete(link)
            return None
        return ConversationState.from_json(conv.state)

    def save_state(
        self, sender_hash: str, key_version: str, state: ConversationState, dialogue_id: str
    ) -> None:
        """Create or update a conversation and link it to the sender."""
        conv = self._conversation_row(state, dialogue_id)
        conv.state = state.to_json()
        conv.consented = state.consented
        conv.groups = list(state.groups) or None
        conv.age_band = state.age_band
        conv.updated_at = state.last_active
        link = self._get(SenderLink, sender_hash)
        if link is None:
            self.session.add(
                SenderLink(
                    sender_hash=sender_hash,
                    conversation_id=state.conversation_id,
                    key_version=key_version,
                    updated_at=state.last_active,
                )
            )
        elif (
            link.conversation_id != state.conversation_id
            or link.key_version != key_version
            or _aware(link.updated_at) < state.last_active - LINK_TOUCH
        ):
            link.conversation_id = state.conversation_id
            link.key_version = key_version
            link.updated_at = state.last_active

    def expire_links(self, *, older_than: datetime, now: datetime) -> int:
        """Remove sender links idle since before ``older_than`` and close their conversations."""
        stale = self.session.scalars(
            select(SenderLink).where(SenderLink.updated_at < older_than)
        ).all()
        for link in stale:
            self._set_status(link.conversation_id, "closed", "expired", now)
            self.session.delete(link)
        return len(stale)

    def unlink_sender(self, sender_hash: str) -> None:
        """Remove a sender's link (the conversation keeps no trace of who sent it)."""
        self.session.execute(delete(SenderLink).where(SenderLink.sender_hash == sender_hash))

    def close_conversation(self, conversation_id: str, reason: str, now: datetime) -> None:
        """Mark a conversation ended and remove every sender link to it."""
        status = "finished" if reason == "finished" else "closed"
        self._set_status(conversation_id, status, reason, now)
        self.session.execute(
            delete(SenderLink).where(SenderLink.conversation_id == conversation_id)
        )

    def _set_status(self, conversation_id: str, status: str, reason: str, now: datetime) -> None:
        conv = self._get(Conversation, conversation_id)
        if conv is not None and conv.status == "active":
            conv.status = status
            conv.close_reason = reason
            conv.finished_at = now
            conv.state = {**conv.state, "step": status}

    def ensure_conversation(self, state: ConversationState, dialogue_id: str) -> None:
        """Make sure a row exists for a conversation before effects refer to it."""
        self._conversation_row(state, dialogue_id)

    def _conversation_row(self, state: ConversationState, dialogue_id: str) -> Conversation:
        conv = self._get(Conversation, state.conversation_id)
        if conv is None:
            conv = Conversation(
                id=state.conversation_id,
                dialogue_id=dialogue_id,
                channel=state.channel,
                route=state.route,
                started_at=state.started_at,
                updated_at=state.last_active,
                status="active",
                state=state.to_json(),
            )
            self.session.add(conv)
            self.session.flush()
        return conv

    # --- answers, profile, flags -------------------------------------------------------------
    def add_answer(
        self,
        conversation_id: str,
        question_id: str,
        text: str,
        entity_types: list[str],
        now: datetime,
    ) -> None:
        """Store one redacted answer."""
        self.session.add(
            Answer(
                conversation_id=conversation_id,
                question_id=question_id,
                text=text,
                entity_types=entity_types,
                created_at=now,
            )
        )

    def save_profile(
        self, conversation_id: str, groups: list[str] | None, age_band: str | None
    ) -> None:
        """Store the optional groups or age band."""
        conv = self._get(Conversation, conversation_id)
        if conv is None:
            return
        if groups is not None:
            conv.groups = groups
        if age_band is not None:
            conv.age_band = age_band

    def set_code_hash(self, conversation_id: str, code_hash: str) -> None:
        """Record the keyed hash of a conversation's withdrawal code."""
        self.session.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id)
            .values(code_hash=code_hash)
        )

    def add_flag(
        self,
        conversation_id: str | None,
        level: str,
        kinds: list[str],
        who: str | None,
        reasons: list[str],
        text: str | None,
        now: datetime,
    ) -> None:
        """Add a detection to the safeguarding queue and raise the conversation's risk level."""
        self.session.add(
            Flag(
                conversation_id=conversation_id,
                level=level,
                kinds=kinds,
                who=who,
                reasons=reasons,
                text=text,
                created_at=now,
            )
        )
        if conversation_id is not None:
            conv = self._get(Conversation, conversation_id)
            if conv is not None and _LEVEL_RANK.get(level, 0) > _LEVEL_RANK.get(
                conv.risk_level or "none", 0
            ):
                conv.risk_level = level

    # --- withdrawal ------------------------------------------------------------------------------
    def delete_answers(self, conversation_id: str, now: datetime) -> int:
        """Delete a conversation's answers and flag texts; record the withdrawal. Returns answers removed."""
        removed = (
            self.session.execute(
                delete(Answer).where(Answer.conversation_id == conversation_id)
            ).rowcount  # type: ignore[attr-defined]
            or 0
        )
        self.session.execute(
            update(Flag).where(Flag.conversation_id == conversation_id).values(text=None)
        )
        self.session.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id)
            .values(groups=None, age_band=None, code_hash=None)
        )
        self.session.add(Withdrawal(conversation_id=conversation_id, at=now))
        return int(removed)

    def conversation_by_code(self, code_hashes: list[str]) -> str | None:
        """Return the conversation whose code hash is one of ``code_hashes``."""
        row = self.session.execute(
            select(Conversation.id).where(Conversation.code_hash.in_(code_hashes)).limit(1)
        ).first()
        return row[0] if row else None

    def failed_code_attempts_since(self, since: datetime) -> int:
        """Count failed DELETE <code> attempts since a time, across all senders."""
        return int(
            self.session.scalar(
                select(func.count()).select_from(CodeAttempt).where(CodeAttempt.at >= since)
            )
            or 0
        )

    def record_failed_code_attempt(self, now: datetime) -> None:
        """Count one failed DELETE <code> attempt."""
        self.session.add(CodeAttempt(at=now))

    # --- deduplication ---------------------------------------------------------------------------
    def cached_reply(self, key: str, now: datetime) -> list[dict[str, Any]] | None:
        """Return the reply stored for a delivery key, if it has not expired."""
        row = self.session.get(ProcessedMessage, key)
        if row is None or _aware(row.expires_at) < now:
            return None
        return row.reply

    def store_reply(self, key: str, reply: list[dict[str, Any]]) -> None:
        """Remember the reply to a claimed delivery, for its retries."""
        self.session.connection().execute(
            statements.store_reply(), {"delivery": key, "sealed_reply": reply}
        )


_Row = TypeVar("_Row")


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes; every time we store is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
