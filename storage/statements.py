"""Every statement the repository runs, built once and run with parameters.

Building a SQLAlchemy statement and working out its cache key cost about as much as running it,
and the ORM's unit of work (identity map, flush, change tracking) cost more than both: measured
under load it was a third of a worker's Python time. So the repository runs these Core
statements directly on its connection, in program order. Each is made on first use and reused;
names in ``bindparam`` are the parameters callers pass.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as lite_insert

from storage.models import (
    Answer,
    CodeAttempt,
    Contact,
    Conversation,
    Flag,
    ProcessedMessage,
    SenderLink,
    Withdrawal,
)


def _table(model: type) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


PROCESSED = _table(ProcessedMessage)
CONVERSATIONS = _table(Conversation)
LINKS = _table(SenderLink)
ANSWERS = _table(Answer)
FLAGS = _table(Flag)
CODE_ATTEMPTS = _table(CodeAttempt)
WITHDRAWALS = _table(Withdrawal)
CONTACTS = _table(Contact)


def _insert_unless_present(table: Table, postgres: bool, key: str) -> Any:
    insert_ = pg_insert(table) if postgres else lite_insert(table)
    return insert_.on_conflict_do_nothing(index_elements=[key])


# --- the sender's lock and the delivery's claim ----------------------------------------------
@cache
def sender_lock() -> Any:
    """PostgreSQL: ``lock_timeout`` for this transaction, then the sender's advisory lock.

    Parameters: ``timeout`` (like "10000ms"), ``lock`` (a signed 64-bit key).
    """
    return select(
        func.set_config("lock_timeout", bindparam("timeout", type_=String), True).label("t"),
        func.pg_advisory_xact_lock(bindparam("lock", type_=BigInteger)).label("l"),
    )


@cache
def claim(postgres: bool, locked: bool = True) -> Any:
    """Insert a delivery's claim unless it exists; RETURNING its key when this one made it.

    On PostgreSQL (``locked``) the row comes from the sender lock's query, so one statement (one
    round trip) takes the lock and then claims. Parameters: ``delivery``, ``expires`` (and, when
    locked on PostgreSQL, the lock's ``timeout`` and ``lock``).
    """
    row = select(
        bindparam("delivery", type_=PROCESSED.c.key.type),
        bindparam("empty", value=[], type_=PROCESSED.c.reply.type),
        bindparam("expires", type_=PROCESSED.c.expires_at.type),
    )
    if postgres and locked:
        row = row.select_from(sender_lock().cte("locked"))
    columns = [PROCESSED.c.key, PROCESSED.c.reply, PROCESSED.c.expires_at]
    return (
        _insert_unless_present(PROCESSED, postgres, "key")
        .from_select(columns, row)
        .returning(PROCESSED.c.key)
    )


@cache
def store_reply() -> Any:
    """Parameters: ``delivery``, ``sealed_reply``."""
    return (
        update(PROCESSED)
        .where(PROCESSED.c.key == bindparam("delivery"))
        .values(reply=bindparam("sealed_reply"))
    )


@cache
def cached_reply() -> Any:
    """A delivery's stored reply and when it expires. Parameter: ``delivery``."""
    return select(PROCESSED.c.reply, PROCESSED.c.expires_at).where(
        PROCESSED.c.key == bindparam("delivery")
    )


# --- conversations and sender links ----------------------------------------------------------
@cache
def link_and_conversation() -> Any:
    """A sender's link and what the repository keeps of its conversation (NULLs if it is gone).
    Parameter: ``sender``."""
    return (
        select(
            LINKS.c.conversation_id,
            LINKS.c.key_version,
            LINKS.c.updated_at,
            CONVERSATIONS.c.status,
            CONVERSATIONS.c.state,
        )
        .select_from(LINKS)
        .outerjoin(CONVERSATIONS, CONVERSATIONS.c.id == LINKS.c.conversation_id)
        .where(LINKS.c.sender_hash == bindparam("sender"))
    )


@cache
def link() -> Any:
    """Parameter: ``sender``."""
    return select(LINKS.c.conversation_id, LINKS.c.key_version, LINKS.c.updated_at).where(
        LINKS.c.sender_hash == bindparam("sender")
    )


@cache
def update_link() -> Any:
    """Parameters: ``sender``, and the columns to set (``conversation_id``, ``key_version``,
    ``updated_at``): parameters named like a column become the SET clause."""
    return update(LINKS).where(LINKS.c.sender_hash == bindparam("sender"))


@cache
def delete_link() -> Any:
    """Parameter: ``sender``."""
    return delete(LINKS).where(LINKS.c.sender_hash == bindparam("sender"))


@cache
def delete_links_to() -> Any:
    """Every link to one conversation. Parameter: ``cid``."""
    return delete(LINKS).where(LINKS.c.conversation_id == bindparam("cid"))


@cache
def stale_links() -> Any:
    """Parameter: ``older_than``."""
    return select(LINKS.c.sender_hash, LINKS.c.conversation_id).where(
        LINKS.c.updated_at < bindparam("older_than")
    )


@cache
def conversation() -> Any:
    """What the repository keeps of a conversation. Parameter: ``cid``."""
    return select(CONVERSATIONS.c.status, CONVERSATIONS.c.state).where(
        CONVERSATIONS.c.id == bindparam("cid")
    )


@cache
def new_conversation(postgres: bool) -> Any:
    """Insert a conversation unless its id exists. Parameters: its columns."""
    return _insert_unless_present(CONVERSATIONS, postgres, "id")


@cache
def update_conversation() -> Any:
    """Set columns of conversation ``cid``: parameters named like a column become the SET clause
    (SQLAlchemy compiles, and caches, one statement for each set of names)."""
    return update(CONVERSATIONS).where(CONVERSATIONS.c.id == bindparam("cid"))


@cache
def close_conversation() -> Any:
    """End an active conversation. Parameters: ``cid``, and the columns to set (``status``,
    ``close_reason``, ``finished_at``, ``state``)."""
    return update(CONVERSATIONS).where(
        CONVERSATIONS.c.id == bindparam("cid"), CONVERSATIONS.c.status == "active"
    )


@cache
def raise_risk() -> Any:
    """Raise a conversation's risk level from a lower one. Parameters: ``cid``, ``level``,
    ``lower`` (the levels below it)."""
    return (
        update(CONVERSATIONS)
        .where(
            CONVERSATIONS.c.id == bindparam("cid"),
            or_(
                CONVERSATIONS.c.risk_level.is_(None),
                CONVERSATIONS.c.risk_level.in_(bindparam("lower", expanding=True)),
            ),
        )
        .values(risk_level=bindparam("level"))
    )


@cache
def conversation_by_code() -> Any:
    """Parameter: ``hashes`` (a list)."""
    return (
        select(CONVERSATIONS.c.id)
        .where(CONVERSATIONS.c.code_hash.in_(bindparam("hashes", expanding=True)))
        .limit(1)
    )


# --- answers, flags, withdrawal ------------------------------------------------------------------
@cache
def insert_into(table: Table) -> Any:
    """A plain INSERT; parameters are the columns given."""
    return insert(table)


@cache
def delete_answers() -> Any:
    """Parameter: ``cid``."""
    return delete(ANSWERS).where(ANSWERS.c.conversation_id == bindparam("cid"))


@cache
def blank_flag_texts() -> Any:
    """Parameter: ``cid``."""
    return update(FLAGS).where(FLAGS.c.conversation_id == bindparam("cid")).values(text=None)


@cache
def failed_code_attempts_since() -> Any:
    """Parameter: ``since``."""
    return (
        select(func.count())
        .select_from(CODE_ATTEMPTS)
        .where(CODE_ATTEMPTS.c.at >= bindparam("since"))
    )
