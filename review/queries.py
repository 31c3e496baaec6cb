"""Read queries for the staff app: transcripts, the safeguarding queue and dashboard figures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Integer, and_, case, column, exists, func, join, literal_column, select, text
from sqlalchemy.orm import Session

from storage.models import Answer, Conversation, Flag, Recusal

PAGE = 50
COUNT_CAP = 1000
LEVEL_ORDER = case(
    (Flag.level == "urgent", 0),
    (Flag.level == "handoff_failed", 1),
    (Flag.level == "check", 2),
    (Flag.level == "support", 3),
    else_=4,
)


@dataclass(frozen=True)
class Filters:
    """Transcript list filters, all optional."""

    start: date | None = None
    end: date | None = None
    channel: str | None = None
    question: str | None = None
    route: str | None = None
    finished: bool | None = None
    risk: str | None = None
    search: str | None = None
    page: int = 1

    def describe(self) -> str:
        """For the audit log: which filters were used (the search words are not recorded)."""
        return describe_filters(self.__dict__)


def describe_filters(values: dict[str, Any]) -> str:
    """Filters for the audit log, as ``key=value`` words; search words are never recorded."""
    parts = [
        f"{k}={v}" for k, v in values.items() if v not in (None, "") and k not in {"search", "page"}
    ]
    if values.get("search"):
        parts.append("search=yes")
    return " ".join(parts) or "none"


def visible(staff_id: int) -> Any:
    return ~exists().where(
        and_(Recusal.staff_id == staff_id, Recusal.conversation_id == Conversation.id)
    )


def answer_match(session: Session, words_text: str) -> Any:
    """A condition on Answer: its text holds every word (at most five), through the full-text
    index; never true for no words."""
    words = [w for w in re.findall(r"[\w']+", words_text.lower()) if w][:5]
    if not words:
        return Answer.id < 0
    if session.get_bind().dialect.name == "postgresql":
        # The configuration is a literal so the expression matches the GIN index in migration 0004.
        simple: Any = literal_column("'simple'::regconfig")
        return func.to_tsvector(simple, Answer.text).op("@@")(
            func.plainto_tsquery(simple, " ".join(words))
        )
    fts = " ".join('"' + w.replace('"', '""') + '"' for w in words)
    ids = (
        text("SELECT rowid FROM answers_fts WHERE answers_fts MATCH :q")
        .bindparams(q=fts)
        .columns(column("rowid", Integer))
    )
    return Answer.id.in_(ids)


def _search(session: Session, words_text: str) -> Any:
    """Conversations with a visible answer containing every word, through the full-text index."""
    return select(Answer.conversation_id).where(
        Answer.hidden.is_(False), answer_match(session, words_text)
    )


def list_transcripts(
    session: Session, filters: Filters, staff_id: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of conversations with answers, newest first, and the total count."""
    answered = exists().where(Answer.conversation_id == Conversation.id, Answer.hidden.is_(False))
    conds = [answered, visible(staff_id)]
    if filters.start:
        conds.append(Conversation.started_at >= datetime.combine(filters.start, time.min))
    if filters.end:
        conds.append(Conversation.started_at <= datetime.combine(filters.end, time.max))
    if filters.channel:
        conds.append(Conversation.channel == filters.channel)
    if filters.route:
        conds.append(Conversation.route == filters.route)
    if filters.finished is not None:
        conds.append(
            (Conversation.status == "finished")
            if filters.finished
            else (Conversation.status != "finished")
        )
    if filters.risk:
        conds.append(Conversation.risk_level == filters.risk)
    if filters.question:
        conds.append(
            Conversation.id.in_(
                select(Answer.conversation_id).where(Answer.question_id == filters.question)
            )
        )
    source: Any = Conversation
    if filters.search:
        # Join from the (usually small) set of matching conversations rather than testing each row.
        found = _search(session, filters.search).distinct().subquery()
        source = join(Conversation, found, found.c.conversation_id == Conversation.id)
    # Counting stops at COUNT_CAP: "more than 1000" is all a reader needs, and it keeps a search for
    # a very common word fast.
    capped = (
        select(Conversation.id).select_from(source).where(*conds).limit(COUNT_CAP + 1).subquery()
    )
    total = session.scalar(select(func.count()).select_from(capped)) or 0
    rows = session.execute(
        select(
            Conversation.id,
            Conversation.channel,
            Conversation.route,
            Conversation.status,
            Conversation.risk_level,
            Conversation.started_at,
        )
        .select_from(source)
        .where(*conds)
        .order_by(Conversation.started_at.desc(), Conversation.id)
        .limit(PAGE)
        .offset((max(filters.page, 1) - 1) * PAGE)
    ).all()
    counts = dict(
        session.execute(
            select(Answer.conversation_id, func.count())
            .where(Answer.conversation_id.in_([r.id for r in rows]))
            .group_by(Answer.conversation_id)
        ).all()
    )
    return [dict(r._mapping) | {"answers": counts.get(r.id, 0)} for r in rows], int(total)


def transcript(
    session: Session, conversation_id: str, staff_id: int
) -> tuple[Conversation, list[Answer]] | None:
    """A conversation and its answers in order, unless this staff member stepped back from it."""
    conv = session.scalars(
        select(Conversation).where(Conversation.id == conversation_id, visible(staff_id))
    ).first()
    if conv is None:
        return None
    answers = session.scalars(
        select(Answer)
        .where(Answer.conversation_id == conversation_id)
        .order_by(Answer.created_at, Answer.id)
    ).all()
    return conv, list(answers)


def queue(session: Session, *, include_reviewed: bool = False) -> list[Flag]:
    """Safeguarding items: urgent first, then failed handoffs, then support; oldest first in each."""
    stmt = select(Flag)
    if not include_reviewed:
        stmt = stmt.where(Flag.reviewed_at.is_(None))
    return list(session.scalars(stmt.order_by(LEVEL_ORDER, Flag.created_at, Flag.id).limit(500)))
