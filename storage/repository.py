"""Every query the service and actions need, on one connection (one unit of work).

Writes go straight to the database in the order they are made (SQLAlchemy Core, statements in
:mod:`storage.statements`), inside the caller's transaction: nothing is tracked and flushed
later. What this unit of work has read or made of a conversation (its status and state) and of a
sender's link is kept here, so a second look costs no second SELECT.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from bot.state import ConversationState
from storage import statements as st
from storage.scrub import mark_removed

_LEVEL_RANK = {"none": 0, "support": 1, "check": 2, "urgent": 3}
# A link's last-active time decides when it expires (hours): writing it at most once a minute
# saves an UPDATE on most messages and moves expiry by under a minute.
LINK_TOUCH = timedelta(minutes=1)


@dataclass
class _Conversation:
    status: str
    state: dict[str, Any]


@dataclass(frozen=True)
class _Link:
    conversation_id: str
    key_version: str
    updated_at: datetime


class Repository:
    """Reads and writes for one unit of work: a connection inside a transaction
    (``Database.transaction()``)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        self._conversations: dict[str, _Conversation] = {}
        self._links: dict[str, _Link | None] = {}  # sender hash -> its link (None: none)

    def _run(self, statement: Any, params: dict[str, Any] | None = None) -> Any:
        return self.conn.execute(statement, params or {})

    # --- the sender's lock and the delivery's claim --------------------------------------------
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
        params: dict[str, Any] = {}
        if self.postgres:
            digest = hashlib.sha256(sender_hash.encode()).digest()[:8]
            params = {
                "timeout": f"{int(wait_seconds * 1000)}ms",
                "lock": int.from_bytes(digest, "big", signed=True),
            }
        if delivery_key is None:
            if self.postgres:
                self._run(st.sender_lock(), params)
            return True
        params |= {"delivery": delivery_key, "expires": expires_at}
        claimed = self._run(st.claim(self.postgres), params)
        return claimed.scalar_one_or_none() is not None

    def claim_once(self, key: str, expires_at: datetime) -> bool:
        """Claim a key no sender owns (a provider's status callback); False if already claimed."""
        claimed = self._run(
            st.claim(self.postgres, locked=False), {"delivery": key, "expires": expires_at}
        )
        return claimed.scalar_one_or_none() is not None

    # --- conversations and sender links ----------------------------------------------------
    def load_state(
        self, sender_hash: str, *, window: timedelta, now: datetime
    ) -> ConversationState | None:
        """Return the open conversation linked to a sender, dropping a link past its window."""
        found = self._run(st.link_and_conversation(), {"sender": sender_hash}).first()
        if found is None:
            self._links[sender_hash] = None
            return None
        cid = found.conversation_id
        self._links[sender_hash] = _Link(cid, found.key_version, found.updated_at)
        if found.status is not None:
            self._conversations[cid] = _Conversation(found.status, found.state)
        if _aware(found.updated_at) < now - window:
            self.unlink_sender(sender_hash)
            self._set_status(cid, "closed", "expired", now)
            return None
        if found.status != "active":
            self.unlink_sender(sender_hash)
            return None
        return ConversationState.from_json(found.state)

    def save_state(
        self, sender_hash: str, key_version: str, state: ConversationState, dialogue_id: str
    ) -> None:
        """Create or update a conversation and link it to the sender."""
        cid = state.conversation_id
        conv = self._conversation_row(state, dialogue_id)
        conv.state = state.to_json()
        self._run(
            st.update_conversation(),
            {
                "cid": cid,
                "state": conv.state,
                "consented": state.consented,
                "groups": list(state.groups) or None,
                "age_band": state.age_band,
                "updated_at": state.last_active,
            },
        )
        if sender_hash not in self._links:
            row = self._run(st.link(), {"sender": sender_hash}).first()
            self._links[sender_hash] = _Link(*row) if row is not None else None
        link = self._links[sender_hash]
        fresh = _Link(cid, key_version, state.last_active)
        if link is None:
            self._run(st.insert_into(st.LINKS), {"sender_hash": sender_hash, **vars(fresh)})
        elif (
            link.conversation_id != cid
            or link.key_version != key_version
            or _aware(link.updated_at) < state.last_active - LINK_TOUCH
        ):
            self._run(st.update_link(), {"sender": sender_hash, **vars(fresh)})
        else:
            return
        self._links[sender_hash] = fresh

    def expire_links(self, *, older_than: datetime, now: datetime) -> int:
        """Remove sender links idle since before ``older_than`` and close their conversations."""
        stale = self._run(st.stale_links(), {"older_than": older_than}).all()
        for sender_hash, cid in stale:
            self._set_status(cid, "closed", "expired", now)
            self.unlink_sender(sender_hash)
        return len(stale)

    def unlink_sender(self, sender_hash: str) -> None:
        """Remove a sender's link (the conversation keeps no trace of who sent it)."""
        self._run(st.delete_link(), {"sender": sender_hash})
        self._links[sender_hash] = None

    def close_conversation(self, conversation_id: str, reason: str, now: datetime) -> None:
        """Mark a conversation ended and remove every sender link to it."""
        status = "finished" if reason == "finished" else "closed"
        self._set_status(conversation_id, status, reason, now)
        self._run(st.delete_links_to(), {"cid": conversation_id})
        for sender_hash, link in self._links.items():
            if link is not None and link.conversation_id == conversation_id:
                self._links[sender_hash] = None

    def _known(self, conversation_id: str) -> _Conversation | None:
        conv = self._conversations.get(conversation_id)
        if conv is None:
            row = self._run(st.conversation(), {"cid": conversation_id}).first()
            if row is not None:
                conv = self._conversations[conversation_id] = _Conversation(*row)
        return conv

    def _set_status(self, conversation_id: str, status: str, reason: str, now: datetime) -> None:
        conv = self._known(conversation_id)
        if conv is None or conv.status != "active":
            return
        conv.status = status
        # The sealed withdrawal code goes with the open conversation (bot/state.py).
        conv.state = {**conv.state, "step": status, "code_sealed": None}
        self._run(
            st.close_conversation(),
            {
                "cid": conversation_id,
                "status": status,
                "close_reason": reason,
                "finished_at": now,
                "state": conv.state,
            },
        )

    def ensure_conversation(self, state: ConversationState, dialogue_id: str) -> None:
        """Make sure a row exists for a conversation before effects refer to it."""
        self._conversation_row(state, dialogue_id)

    def _conversation_row(self, state: ConversationState, dialogue_id: str) -> _Conversation:
        cid = state.conversation_id
        conv = self._conversations.get(cid)
        if conv is not None:
            return conv
        saved = state.to_json()
        made = self._run(
            st.new_conversation(self.postgres),
            {
                "id": cid,
                "dialogue_id": dialogue_id,
                "channel": state.channel,
                "route": state.route,
                "started_at": state.started_at,
                "updated_at": state.last_active,
                "status": "active",
                "state": saved,
            },
        )
        if made.rowcount == 1:
            conv = self._conversations[cid] = _Conversation("active", saved)
            return conv
        known = self._known(cid)  # it was there already
        assert known is not None
        return known

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
        self._run(
            st.insert_into(st.ANSWERS),
            {
                "conversation_id": conversation_id,
                "question_id": question_id,
                "text": text,
                "entity_types": entity_types,
                "created_at": now,
            },
        )

    def save_profile(
        self, conversation_id: str, groups: list[str] | None, age_band: str | None
    ) -> None:
        """Store the optional groups or age band."""
        values: dict[str, Any] = {}
        if groups is not None:
            values["groups"] = groups
        if age_band is not None:
            values["age_band"] = age_band
        if values:
            self._run(st.update_conversation(), {"cid": conversation_id, **values})

    def set_code_hash(self, conversation_id: str, code_hash: str) -> None:
        """Record the keyed hash of a conversation's withdrawal code."""
        self._run(st.update_conversation(), {"cid": conversation_id, "code_hash": code_hash})

    def add_flag(
        self,
        conversation_id: str | None,
        level: str,
        kinds: list[str],
        who: str | None,
        reasons: list[str],
        text: str | None,
        now: datetime,
        score: float | None = None,
    ) -> None:
        """Add a detection to the safeguarding queue and raise the conversation's risk level."""
        self._run(
            st.insert_into(st.FLAGS),
            {
                "conversation_id": conversation_id,
                "level": level,
                "kinds": kinds,
                "who": who,
                "reasons": reasons,
                "text": text,
                "created_at": now,
                "score": score,
            },
        )
        rank = _LEVEL_RANK.get(level, 0)
        if conversation_id is not None and rank > 0:
            lower = [name for name, r in _LEVEL_RANK.items() if r < rank]
            self._run(st.raise_risk(), {"cid": conversation_id, "level": level, "lower": lower})

    def add_contact(
        self, conversation_id: str, sealed: str, now: datetime, expires_at: datetime
    ) -> None:
        """Keep a consented contact, already sealed to the partner's key."""
        self._run(
            st.insert_into(st.CONTACTS),
            {
                "conversation_id": conversation_id,
                "sealed": sealed,
                "created_at": now,
                "expires_at": expires_at,
            },
        )

    # --- withdrawal ------------------------------------------------------------------------------
    def delete_answers(self, conversation_id: str, now: datetime) -> int:
        """Delete a conversation's answers and flag texts; record the withdrawal. Returns answers removed."""
        removed = self._run(st.delete_answers(), {"cid": conversation_id}).rowcount or 0
        self._run(st.blank_flag_texts(), {"cid": conversation_id})
        mark_removed(self.conn)  # after the commit the words leave the index and the log too
        self._run(
            st.update_conversation(),
            {"cid": conversation_id, "groups": None, "age_band": None, "code_hash": None},
        )
        self._run(st.insert_into(st.WITHDRAWALS), {"conversation_id": conversation_id, "at": now})
        return int(removed)

    def conversation_by_code(self, code_hashes: list[str]) -> str | None:
        """Return the conversation whose code hash is one of ``code_hashes``."""
        row = self._run(st.conversation_by_code(), {"hashes": code_hashes}).first()
        return row[0] if row else None

    def failed_code_attempts_since(self, since: datetime) -> int:
        """Count failed DELETE <code> attempts since a time, across all senders."""
        return int(self._run(st.failed_code_attempts_since(), {"since": since}).scalar() or 0)

    def record_failed_code_attempt(self, now: datetime) -> None:
        """Count one failed DELETE <code> attempt."""
        self._run(st.insert_into(st.CODE_ATTEMPTS), {"at": now})

    # --- deduplication ---------------------------------------------------------------------------
    def cached_reply(self, key: str, now: datetime) -> list[dict[str, Any]] | None:
        """Return the reply stored for a delivery key, if it has not expired."""
        row = self._run(st.cached_reply(), {"delivery": key}).first()
        if row is None or _aware(row.expires_at) < now:
            return None
        return list(row.reply)

    def store_reply(self, key: str, reply: list[dict[str, Any]]) -> None:
        """Remember the reply to a claimed delivery, for its retries."""
        self._run(st.store_reply(), {"delivery": key, "sealed_reply": reply})


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes; every time we store is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
