"""Reads for the theme pages: the coding queue (least sure first), one answer with its
suggestions, and findings per question and theme with small numbers suppressed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage.models import (
    Answer,
    Conversation,
    Recusal,
    ThemeCodedAnswer,
    ThemeCoding,
    ThemeSuggestion,
)

BREAKDOWNS = ("group", "age_band", "channel", "route")


def _visible(staff_id: int) -> Any:
    return and_(
        Answer.hidden.is_(False),
        ~exists().where(
            and_(Recusal.staff_id == staff_id, Recusal.conversation_id == Answer.conversation_id)
        ),
    )


def next_answer(session: Session, staff_id: int, *, skip: int | None = None) -> int | None:
    """The uncoded answer the model is least sure about (scores nearest 0.5), then the oldest."""
    doubt = (
        select(
            ThemeSuggestion.answer_id.label("aid"),
            func.min(func.abs(ThemeSuggestion.score - 0.5)).label("doubt"),
        )
        .group_by(ThemeSuggestion.answer_id)
        .subquery()
    )
    coded = exists().where(ThemeCodedAnswer.answer_id == Answer.id)
    stmt = (
        select(Answer.id)
        .outerjoin(doubt, doubt.c.aid == Answer.id)
        .where(_visible(staff_id), ~coded)
        .order_by(func.coalesce(doubt.c.doubt, 1.0), Answer.id)
        .limit(1)
    )
    if skip is not None:
        stmt = stmt.where(Answer.id != skip)
    return session.scalar(stmt)


def previous_answer(session: Session, staff_id: int, email: str, before: int) -> int | None:
    """The answer this person coded last (other than ``before``)."""
    return session.scalar(
        select(ThemeCodedAnswer.answer_id)
        .join(Answer, Answer.id == ThemeCodedAnswer.answer_id)
        .where(
            ThemeCodedAnswer.coded_by == email,
            ThemeCodedAnswer.answer_id != before,
            _visible(staff_id),
        )
        .order_by(ThemeCodedAnswer.coded_at.desc(), ThemeCodedAnswer.answer_id.desc())
        .limit(1)
    )


@dataclass
class AnswerToCode:
    id: int
    question_id: str
    text: str
    suggested: list[str]
    scores: dict[str, float]
    coded: list[str] | None
    remaining: int = 0


def answer_to_code(session: Session, staff_id: int, answer_id: int) -> AnswerToCode | None:
    row = session.execute(
        select(Answer.id, Answer.question_id, Answer.text).where(
            Answer.id == answer_id, _visible(staff_id)
        )
    ).first()
    if row is None:
        return None
    suggestions = session.execute(
        select(ThemeSuggestion.theme_id, ThemeSuggestion.score, ThemeSuggestion.chosen)
        .where(ThemeSuggestion.answer_id == answer_id)
        .order_by(ThemeSuggestion.rank)
    ).all()
    is_coded = session.get(ThemeCodedAnswer, answer_id) is not None
    coded = (
        list(
            session.scalars(select(ThemeCoding.theme_id).where(ThemeCoding.answer_id == answer_id))
        )
        if is_coded
        else None
    )
    remaining = session.scalar(
        select(func.count())
        .select_from(Answer)
        .where(_visible(staff_id), ~exists().where(ThemeCodedAnswer.answer_id == Answer.id))
    )
    return AnswerToCode(
        id=row.id,
        question_id=row.question_id,
        text=row.text,
        suggested=[t for t, _, chosen in suggestions if chosen],
        scores={t: float(s) for t, s, _ in suggestions},
        coded=coded,
        remaining=int(remaining or 0),
    )


@dataclass
class Findings:
    """Answers per theme (confirmed, or suggested and not yet coded) and a breakdown."""

    answers: int
    rows: list[tuple[str, int, int]] = field(default_factory=list)  # theme, confirmed, suggested
    breakdown: dict[str, dict[str, int]] = field(default_factory=dict)  # theme -> value -> n


def findings(session: Session, question: str | None, by: str) -> Findings:
    """Counts per theme for one question (or all), and per value of ``by`` (group, age band,
    channel or route). People are counted once per theme however many answers they gave."""
    where: list[ColumnElement[bool]] = [Answer.hidden.is_(False)]
    if question:
        where.append(Answer.question_id == question)
    total = session.scalar(select(func.count()).select_from(Answer).where(*where)) or 0
    confirmed = select(
        ThemeCoding.answer_id.label("aid"),
        ThemeCoding.theme_id.label("theme"),
        literal(1).label("confirmed"),
    )
    uncoded = ~exists().where(ThemeCodedAnswer.answer_id == ThemeSuggestion.answer_id)
    suggested = select(ThemeSuggestion.answer_id, ThemeSuggestion.theme_id, literal(0)).where(
        ThemeSuggestion.chosen.is_(True), uncoded
    )
    both = confirmed.union_all(suggested).subquery()
    rows = session.execute(
        select(
            both.c.theme,
            both.c.confirmed,
            Answer.conversation_id,
            Conversation.channel,
            Conversation.route,
            Conversation.age_band,
            Conversation.groups,
        )
        .join(Answer, Answer.id == both.c.aid)
        .join(Conversation, Conversation.id == Answer.conversation_id)
        .where(*where)
    ).all()
    counts: dict[str, list[set[str]]] = {}
    breakdown: dict[str, dict[str, set[str]]] = {}
    for theme, is_confirmed, person, channel, route, age_band, groups in rows:
        counts.setdefault(theme, [set(), set()])[0 if is_confirmed else 1].add(person)
        values = {
            "channel": [channel],
            "route": [route or "none"],
            "age_band": [age_band or "not given"],
            "group": list(groups or []) or ["not given"],
        }[by]
        for value in values:
            breakdown.setdefault(theme, {}).setdefault(str(value), set()).add(person)
    return Findings(
        answers=int(total),
        rows=[(t, len(c[0]), len(c[1] - c[0])) for t, c in counts.items()],
        breakdown={t: {v: len(p) for v, p in vals.items()} for t, vals in breakdown.items()},
    )


def representative(
    session: Session, staff_id: int, theme: str, question: str | None, limit: int = 5
) -> tuple[list[str], list[str]]:
    """Redacted answers for a theme: confirmed ones (latest first), and the uncoded answers the
    model is surest about."""
    where = [_visible(staff_id)]
    if question:
        where.append(Answer.question_id == question)
    confirmed = session.scalars(
        select(Answer.text)
        .join(ThemeCoding, ThemeCoding.answer_id == Answer.id)
        .where(ThemeCoding.theme_id == theme, *where)
        .order_by(ThemeCoding.confirmed_at.desc(), Answer.id)
        .limit(limit)
    ).all()
    suggested = session.scalars(
        select(Answer.text)
        .join(ThemeSuggestion, ThemeSuggestion.answer_id == Answer.id)
        .where(
            ThemeSuggestion.theme_id == theme,
            ThemeSuggestion.chosen.is_(True),
            ~exists().where(ThemeCodedAnswer.answer_id == Answer.id),
            *where,
        )
        .order_by(ThemeSuggestion.score.desc(), Answer.id)
        .limit(limit)
    ).all()
    return list(confirmed), list(suggested)
