"""Reads for the theme pages: the coding queue (least sure first), one answer with its
suggestions, and findings per question and theme with small numbers suppressed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Text, and_, cast, exists, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage.models import (
    Answer,
    Conversation,
    Recusal,
    ThemeCodedAnswer,
    ThemeCoding,
    ThemeSuggestion,
    ThemeSummary,
)
from storage.theme_summary import ALL, built_at
from storage.theme_summary import BREAKDOWNS as BREAKDOWNS  # the page's choices


def _visible(staff_id: int) -> Any:
    return and_(
        Answer.hidden.is_(False),
        ~exists().where(
            and_(Recusal.staff_id == staff_id, Recusal.conversation_id == Answer.conversation_id)
        ),
    )


def next_answer(session: Session, staff_id: int, *, skip: int | None = None) -> int | None:
    """The uncoded answer the model is least sure about (its best theme's confidence nearest
    0.5); answers not yet scored come after, oldest first. The first walks the queue index
    (rank, doubt) and stops at the first answer it may show."""
    skipped = [Answer.id != skip] if skip is not None else []
    found = session.scalar(
        select(ThemeSuggestion.answer_id)
        .join(Answer, Answer.id == ThemeSuggestion.answer_id)
        .where(
            ThemeSuggestion.rank == 0,
            ~exists().where(ThemeCodedAnswer.answer_id == ThemeSuggestion.answer_id),
            _visible(staff_id),
            *skipped,
        )
        .order_by(ThemeSuggestion.doubt, ThemeSuggestion.answer_id)
        .limit(1)
    )
    if found is not None:
        return int(found)
    scored = exists().where(ThemeSuggestion.answer_id == Answer.id, ThemeSuggestion.rank == 0)
    return session.scalar(
        select(Answer.id)
        .where(
            _visible(staff_id),
            ~exists().where(ThemeCodedAnswer.answer_id == Answer.id),
            ~scored,
            *skipped,
        )
        .order_by(Answer.id)
        .limit(1)
    )


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
    """As ``findings_live``, read from the summary table (``storage/theme_summary.py``) once it
    has been built: a few hundred rows instead of counting every answer."""
    if built_at(session) is None:
        return findings_live(session, question, by)
    where: list[ColumnElement[bool]] = [Answer.hidden.is_(False)]
    if question:
        where.append(Answer.question_id == question)
    total = session.scalar(select(func.count()).select_from(Answer).where(*where)) or 0
    counts: dict[str, list[int]] = {}
    breakdown: dict[str, dict[str, int]] = {}
    for theme, dimension, value, people in session.execute(
        select(
            ThemeSummary.theme_id, ThemeSummary.dimension, ThemeSummary.value, ThemeSummary.people
        )
        .where(
            ThemeSummary.scope == (question or ALL),
            ThemeSummary.dimension.in_(("confirmed", "suggested", by)),
        )
        .order_by(ThemeSummary.theme_id, ThemeSummary.dimension, ThemeSummary.value)
    ):
        if dimension == by:
            breakdown.setdefault(theme, {})[value] = int(people)
        else:
            counts.setdefault(theme, [0, 0])[0 if dimension == "confirmed" else 1] = int(people)
    return Findings(
        answers=int(total), rows=[(t, c[0], c[1]) for t, c in counts.items()], breakdown=breakdown
    )


def findings_live(session: Session, question: str | None, by: str) -> Findings:
    """People per theme for one question (or all): confirmed, and with an uncoded answer the
    model suggests it for; and people per theme and value of ``by`` (group, age band, channel or
    route), counting either. Counted in the database, once per person however many answers."""
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
    person = func.count(func.distinct(Answer.conversation_id))
    base = (
        select(both.c.theme)
        .join(Answer, Answer.id == both.c.aid)
        .join(Conversation, Conversation.id == Answer.conversation_id)
        .where(*where)
    )
    counts: dict[str, list[int]] = {}
    for theme, is_confirmed, n in session.execute(
        base.add_columns(both.c.confirmed, person).group_by(both.c.theme, both.c.confirmed)
    ):
        counts.setdefault(theme, [0, 0])[0 if is_confirmed else 1] = int(n)
    column = {
        "channel": Conversation.channel,
        "route": Conversation.route,
        "age_band": Conversation.age_band,
        # as text: PostgreSQL cannot group by a json value
        "group": cast(Conversation.groups, Text),
    }[by]
    breakdown: dict[str, dict[str, int]] = {}
    for theme, value, n in session.execute(
        base.add_columns(column, person).group_by(both.c.theme, column)
    ):
        # A person has one set of groups, so counts per set add up per group without overlap.
        if by == "group":
            names = [str(g) for g in (json.loads(value) if value else None) or []] or ["not given"]
        else:
            names = [str(value) if value else ("none" if by == "route" else "not given")]
        for name in names:
            row = breakdown.setdefault(theme, {})
            row[name] = row.get(name, 0) + int(n)
    return Findings(
        answers=int(total),
        rows=[(t, c[0], c[1]) for t, c in counts.items()],
        breakdown=breakdown,
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
