"""The findings summary: people per theme, question and group, kept in ``theme_summary`` so the
findings pages read a few hundred rows instead of counting 100,000 answers.

A person (conversation) counts once per scope (a question, or "" for all questions) and theme:
"confirmed" when a person coded one of their answers with it, "suggested" when one of their
uncoded answers has it among the model's chosen suggestions, and once in each breakdown value
(group, age band, channel, route) when either holds. Hidden answers do not count.

``rebuild`` recounts everything (after each refresh of the suggestions); ``person_change`` wraps a
change to one person's codings or answers and applies the difference in their counts, so the
summary stays exact between refreshes. Changes made elsewhere (a withdrawal, a retention purge)
are caught by the next rebuild; ``built_at`` says when that was, and ``outdated`` whether a
withdrawal came since (the findings page then asks for a refresh).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, insert, literal, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import (
    Answer,
    Conversation,
    ThemeCodedAnswer,
    ThemeCoding,
    ThemeSuggestion,
    ThemeSummary,
    Withdrawal,
)

BREAKDOWNS = ("group", "age_band", "channel", "route")
ALL = ""  # the scope of all questions
BUILT = "built"  # one row (theme "", value: the time) says the summary was built, and when
Key = tuple[str, str, str, str]  # scope, theme, dimension, value


def _marks(people: Iterable[str] | None = None) -> Any:
    """(person, question, theme, confirmed) for each visible answer's confirmed themes, and the
    chosen suggestions of visible answers nobody has coded yet."""
    confirmed = (
        select(Answer.conversation_id, Answer.question_id, ThemeCoding.theme_id, literal(1))
        .join(ThemeCoding, ThemeCoding.answer_id == Answer.id)
        .where(Answer.hidden.is_(False))
    )
    coded = exists().where(ThemeCodedAnswer.answer_id == Answer.id)
    suggested = (
        select(Answer.conversation_id, Answer.question_id, ThemeSuggestion.theme_id, literal(0))
        .join(
            ThemeSuggestion,
            and_(ThemeSuggestion.answer_id == Answer.id, ThemeSuggestion.chosen.is_(True)),
        )
        .where(Answer.hidden.is_(False), ~coded)
    )
    if people is not None:
        chosen = list(people)
        confirmed = confirmed.where(Answer.conversation_id.in_(chosen))
        suggested = suggested.where(Answer.conversation_id.in_(chosen))
    return union_all(confirmed, suggested)


def _values(person: Any, dimension: str) -> list[str]:
    if dimension == "group":
        return [str(g) for g in (person.groups or [])] or ["not given"]
    value = getattr(person, dimension)
    return [str(value) if value else ("none" if dimension == "route" else "not given")]


def count(session: Session, people: Iterable[str] | None = None) -> Counter[Key]:
    """The summary's counts, for everyone or for the given people only."""
    members: dict[tuple[str, str, str], set[str]] = {}
    for person, question, theme, confirmed in session.execute(_marks(people)):
        kind = "confirmed" if confirmed else "suggested"
        for scope in (question, ALL):
            members.setdefault((scope, theme, kind), set()).add(person)
            members.setdefault((scope, theme, "either"), set()).add(person)
    involved = sorted({p for (_, _, kind), ps in members.items() if kind == "either" for p in ps})
    columns = select(
        Conversation.id,
        Conversation.groups,
        Conversation.age_band,
        Conversation.channel,
        Conversation.route,
    )
    chunks = (
        [columns]
        if people is None
        else [
            columns.where(Conversation.id.in_(involved[at : at + 5000]))
            for at in range(0, len(involved), 5000)
        ]
    )
    pairs: dict[str, list[tuple[str, str]]] = {}
    for chunk in chunks:
        for row in session.execute(chunk):
            pairs[row.id] = [(d, v[:120]) for d in BREAKDOWNS for v in _values(row, d)]
    counts: Counter[Key] = Counter()
    for (scope, theme, kind), persons in members.items():
        if kind != "either":
            counts[(scope, theme, kind, "")] += len(persons)
            continue
        for person in persons:
            for dimension, value in pairs.get(person, ()):
                counts[(scope, theme, dimension, value)] += 1
    return counts


def rebuild(session: Session, now: datetime) -> int:
    """Recount the whole summary. Returns the rows written."""
    counts = count(session)
    session.execute(delete(ThemeSummary))
    rows = [
        {"scope": s, "theme_id": t, "dimension": d, "value": v, "people": n}
        for (s, t, d, v), n in counts.items()
        if n
    ]
    rows.append(
        {"scope": ALL, "theme_id": "", "dimension": BUILT, "value": now.isoformat(), "people": 0}
    )
    for at in range(0, len(rows), 5000):
        session.execute(insert(ThemeSummary), rows[at : at + 5000])
    return len(rows)


def built_at(session: Session) -> str | None:
    """When the summary was last rebuilt (ISO time), or None if never: then it cannot be used."""
    return session.scalar(
        select(ThemeSummary.value).where(
            ThemeSummary.scope == ALL, ThemeSummary.theme_id == "", ThemeSummary.dimension == BUILT
        )
    )


def outdated(session: Session) -> bool:
    """Whether a conversation was withdrawn after the last rebuild (its people still count)."""
    built = built_at(session)
    if built is None:
        return False
    since = datetime.fromisoformat(built)
    return session.scalar(select(Withdrawal.id).where(Withdrawal.at > since).limit(1)) is not None


@contextmanager
def person_change(session: Session, person: str) -> Iterator[None]:
    """Wrap a change to one person's codings or answers: their counts move by the difference."""
    if built_at(session) is None:
        yield
        return
    before = count(session, [person])
    yield
    session.flush()
    after = count(session, [person])
    after.subtract(before)
    for (scope, theme, dimension, value), change in after.items():
        if change:
            _add(session, (scope, theme, dimension, value), change)


def _add(session: Session, key: Key, change: int) -> None:
    scope, theme, dimension, value = key
    where = (
        ThemeSummary.scope == scope,
        ThemeSummary.theme_id == theme,
        ThemeSummary.dimension == dimension,
        ThemeSummary.value == value,
    )
    bump = update(ThemeSummary).where(*where).values(people=ThemeSummary.people + change)
    if session.execute(bump).rowcount:  # type: ignore[attr-defined]
        session.execute(delete(ThemeSummary).where(*where, ThemeSummary.people <= 0))
        return
    if change < 0:
        return
    row = {"scope": scope, "theme_id": theme, "dimension": dimension, "value": value}
    try:  # a new row; if another coding has just inserted it, add to theirs
        with session.begin_nested():
            session.execute(insert(ThemeSummary), {**row, "people": change})
    except IntegrityError:
        session.execute(bump)
