"""Dashboard figures: headline numbers and breakdowns, for a range of days, with small numbers
suppressed so that no group of fewer than ``k`` people can be picked out."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Answer, Conversation, Flag


def suppress(counts: dict[str, int], k: int) -> list[tuple[str, int | None]]:
    """Largest first; a count from 1 to k-1 becomes None ("fewer than k")."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(key, None if 0 < n < k else n) for key, n in ordered]


def figures(
    session: Session,
    question_order: list[str],
    *,
    start: date | None,
    end: date | None,
    now: datetime,
    k: int,
) -> dict[str, Any]:
    """Everything the dashboard shows, for conversations started in the range (consented only)."""
    conds: list[Any] = [Conversation.consented.is_(True)]
    if start:
        conds.append(Conversation.started_at >= datetime.combine(start, time.min))
    if end:
        conds.append(Conversation.started_at <= datetime.combine(end, time.max))

    def count(*extra: Any) -> int:
        return int(
            session.scalar(select(func.count()).select_from(Conversation).where(*conds, *extra))
            or 0
        )

    total = count()
    finished = count(Conversation.status == "finished")
    week = int(
        session.scalar(
            select(func.count())
            .select_from(Conversation)
            .where(Conversation.consented.is_(True), Conversation.started_at >= now - timedelta(7))
        )
        or 0
    )

    def by(column: Any) -> dict[str, int]:
        rows = session.execute(select(column, func.count()).where(*conds).group_by(column))
        return {str(v) if v else "": int(n) for v, n in rows}

    groups: Counter[str] = Counter()
    for (listed,) in session.execute(select(Conversation.groups).where(*conds)):
        groups.update(set(listed or []) or {""})
    day = func.date(Conversation.started_at)
    per_day: dict[str, dict[str, int]] = {}
    for d, channel, n in session.execute(
        select(day, Conversation.channel, func.count())
        .where(*conds)
        .group_by(day, Conversation.channel)
    ):
        per_day.setdefault(str(d), {})[str(channel)] = int(n)
    answered = dict(
        session.execute(
            select(Answer.question_id, func.count(func.distinct(Answer.conversation_id)))
            .join(Conversation, Conversation.id == Answer.conversation_id)
            .where(*conds)
            .group_by(Answer.question_id)
        ).all()
    )
    fday = func.date(Flag.created_at)
    fconds: list[Any] = []
    if start:
        fconds.append(Flag.created_at >= datetime.combine(start, time.min))
    if end:
        fconds.append(Flag.created_at <= datetime.combine(end, time.max))
    flags: dict[str, dict[str, int]] = {}
    for d, level, n in session.execute(
        select(fday, Flag.level, func.count()).where(*fconds).group_by(fday, Flag.level)
    ):
        flags.setdefault(str(d), {})[str(level)] = int(n)
    return {
        "total": total,
        "finished": finished,
        "completion": round(100 * finished / total) if total else None,
        "week": week,
        "groups": suppress(dict(groups), k),
        "ages": suppress(by(Conversation.age_band), k),
        "channels": suppress(by(Conversation.channel), k),
        "routes": suppress(by(Conversation.route), k),
        "per_day": sorted(per_day.items())[-31:],
        "per_question": [(q, int(answered.get(q, 0))) for q in question_order],
        "flags": sorted(flags.items())[-31:],
        "open_urgent": int(
            session.scalar(
                select(func.count())
                .select_from(Flag)
                .where(Flag.level == "urgent", Flag.reviewed_at.is_(None))
            )
            or 0
        ),
    }
