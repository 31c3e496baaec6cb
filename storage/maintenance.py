"""Operator tasks on stored data: retention purge, withdrawals since an export, re-redaction and
key-version status. Each works on one database session and never touches raw text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from config.app import RetentionConfig
from privacy import RedactionError, Redactor
from storage.models import (
    Answer,
    CodeAttempt,
    Contact,
    Conversation,
    Export,
    Flag,
    ProcessedMessage,
    SenderLink,
    Withdrawal,
)


@dataclass(frozen=True)
class PurgeReport:
    """How many rows of each kind a purge removed."""

    answers: int
    flags: int
    withdrawals: int
    conversations: int
    deliveries: int
    code_attempts: int
    sender_links: int


def _count(session: Session, stmt: object) -> int:
    result = session.execute(stmt)  # type: ignore[call-overload]
    return int(getattr(result, "rowcount", 0) or 0)


def purge(
    session: Session, retention: RetentionConfig, *, resume_window: timedelta, now: datetime
) -> PurgeReport:
    """Delete everything older than the retention periods in config.yml."""
    answers_before = now - timedelta(days=retention.answers_days)
    answers = _count(session, delete(Answer).where(Answer.created_at < answers_before))
    flags = _count(
        session, delete(Flag).where(Flag.created_at < now - timedelta(days=retention.flags_days))
    )
    withdrawals = _count(
        session,
        delete(Withdrawal).where(Withdrawal.at < now - timedelta(days=retention.withdrawals_days)),
    )
    links = _count(session, delete(SenderLink).where(SenderLink.updated_at < now - resume_window))
    with_answers = select(Answer.conversation_id)
    conversations = _count(
        session,
        delete(Conversation).where(
            Conversation.updated_at < answers_before, Conversation.id.not_in(with_answers)
        ),
    )
    deliveries = _count(session, delete(ProcessedMessage).where(ProcessedMessage.expires_at < now))
    attempts = _count(session, delete(CodeAttempt).where(CodeAttempt.at < now - timedelta(days=1)))
    _count(session, delete(Contact).where(Contact.expires_at < now))
    return PurgeReport(answers, flags, withdrawals, conversations, deliveries, attempts, links)


def withdrawals_since(session: Session, since: str) -> tuple[datetime, list[str]]:
    """Conversation ids withdrawn since an export (by its id) or an ISO date/time."""
    export = session.get(Export, since)
    if export is not None:
        start = export.created_at
    else:
        try:
            start = datetime.fromisoformat(since)
        except ValueError:
            raise ValueError(f"{since!r} is neither an export id nor an ISO date") from None
    rows = session.scalars(
        select(Withdrawal.conversation_id).where(Withdrawal.at >= start).order_by(Withdrawal.at)
    ).all()
    return start, list(dict.fromkeys(rows))


def reredact_answer(
    session: Session, redactor: Redactor, answer_id: int, *, hide: bool = False
) -> str:
    """Re-run redaction on a stored answer, or hide it. Returns what happened.

    Staff call this when they report personal data left in an answer; if redaction fails the
    answer is hidden rather than left as it was.
    """
    answer = session.get(Answer, answer_id)
    if answer is None:
        return "not found"
    if hide:
        answer.hidden = True
        return "hidden"
    try:
        result = redactor.redact(answer.text)
    except RedactionError:
        answer.hidden = True
        return "hidden (redaction failed)"
    if result.text == answer.text:
        return "unchanged"
    answer.text = result.text
    answer.entity_types = sorted({*answer.entity_types, *(e.type for e in result.entities)})
    return "re-redacted"


def key_versions_in_use(session: Session) -> dict[str, int]:
    """How many open sender links use each key version (a version with none can be retired)."""
    rows = session.execute(
        select(SenderLink.key_version, func.count()).group_by(SenderLink.key_version)
    ).all()
    return {version: int(count) for version, count in rows}
