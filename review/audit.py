"""The audit log: append-only, each entry chained to the one before by its hash.

The application has no code path that updates or deletes an entry, and the database refuses
both (triggers in migration 0003). ``verify_chain`` recomputes every hash.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import AuditEvent

GENESIS = "0" * 64


def _digest(prev: str, at: datetime, actor: str, action: str, detail: str) -> str:
    text = "\x1f".join((prev, at.isoformat(), actor, action, detail))
    return hashlib.sha256(text.encode()).hexdigest()


def record(session: Session, actor: str, action: str, detail: str, now: datetime) -> AuditEvent:
    """Append one entry. ``detail`` names things (ids, filters, counts), never answer text."""
    last = session.scalars(
        select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1).with_for_update()
    ).first()
    prev = last.hash if last is not None else GENESIS
    event = AuditEvent(
        at=now,
        actor=actor,
        action=action,
        detail=detail,
        prev_hash=prev,
        hash=_digest(prev, now, actor, action, detail),
    )
    session.add(event)
    session.flush()
    return event


def verify_chain(session: Session) -> tuple[bool, int]:
    """Recompute the chain; return (intact, number of entries checked)."""
    prev = GENESIS
    count = 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        at = event.at
        if at.tzinfo is None:
            from datetime import UTC

            at = at.replace(tzinfo=UTC)
        if event.prev_hash != prev or event.hash != _digest(
            prev, at, event.actor, event.action, event.detail
        ):
            return False, count
        prev = event.hash
        count += 1
    return True, count
