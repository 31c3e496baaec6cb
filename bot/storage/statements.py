"""Statements on every message's path, built once and run with parameters.

Building a SQLAlchemy statement and working out its cache key cost about as much as running it:
these three run on every message, so each is made on first use and then reused. Names in
``bindparam`` are the parameters callers pass.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from sqlalchemy import BigInteger, String, Table, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as lite_insert

from bot.storage.models import Conversation, ProcessedMessage, SenderLink

PROCESSED = cast(Table, ProcessedMessage.__table__)  # written with plain statements: no ORM state


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
def claim(postgres: bool) -> Any:
    """Insert a delivery's claim unless it exists; RETURNING its key when this one made it.

    On PostgreSQL the row comes from the sender lock's query, so one statement (one round trip)
    takes the lock and then claims. Parameters: ``delivery``, ``expires`` (and, on PostgreSQL,
    the lock's ``timeout`` and ``lock``).
    """
    row = select(
        bindparam("delivery", type_=PROCESSED.c.key.type),
        bindparam("empty", value=[], type_=PROCESSED.c.reply.type),
        bindparam("expires", type_=PROCESSED.c.expires_at.type),
    )
    if postgres:
        row = row.select_from(sender_lock().cte("locked"))
    insert = pg_insert(PROCESSED) if postgres else lite_insert(PROCESSED)
    columns = [PROCESSED.c.key, PROCESSED.c.reply, PROCESSED.c.expires_at]
    return (
        insert.from_select(columns, row)
        .on_conflict_do_nothing(index_elements=["key"])
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
def link_and_conversation() -> Any:
    """A sender's link and its conversation (None if gone). Parameter: ``sender``."""
    return (
        select(SenderLink, Conversation)
        .outerjoin(Conversation, Conversation.id == SenderLink.conversation_id)
        .where(SenderLink.sender_hash == bindparam("sender"))
    )
