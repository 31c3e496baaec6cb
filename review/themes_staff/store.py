"""The stored codebook, confirmed codings and suggestions: reads and writes the staff app and the
command line share. Every codebook change and every coding is written to the audit log (ids and
counts only, never answer text)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from review.audit import record
from storage.models import Answer, ThemeCodedAnswer, ThemeCoding, ThemeRecord, ThemeSuggestion
from storage.theme_summary import person_change
from themes.codebook import Codebook, Theme
from themes.model import Example


def load_codebook(session: Session) -> Codebook:
    """The codebook as stored (retired themes included), in its order."""
    rows = session.scalars(select(ThemeRecord).order_by(ThemeRecord.position, ThemeRecord.id))
    return Codebook(
        tuple(
            Theme(r.id, r.name, r.description, retired=r.retired, merged_into=r.merged_into)
            for r in rows
        )
    )


def save_codebook(
    session: Session, book: Codebook, *, actor: str, action: str, detail: str, now: datetime
) -> None:
    """Store a whole codebook (upsert by id; a theme never disappears, it is retired) and audit."""
    existing = {r.id: r for r in session.scalars(select(ThemeRecord))}
    for position, theme in enumerate(book.themes):
        row = existing.get(theme.id)
        if row is None:
            row = ThemeRecord(id=theme.id)
            session.add(row)
        row.name, row.description = theme.name, theme.description
        row.retired, row.merged_into = theme.retired, theme.merged_into
        row.position, row.updated_at = position, now
    kept = {t.id for t in book.themes}
    for theme_id, row in existing.items():
        if theme_id not in kept and not row.retired:
            row.retired, row.updated_at = True, now
    record(session, actor, action, detail, now)


def code_answer(
    session: Session,
    answer_id: int,
    theme_ids: Iterable[str],
    *,
    actor: str,
    now: datetime,
) -> list[str]:
    """Record a person's decision on an answer's themes (replacing any earlier one) and audit it.

    Returns the themes stored. Whether the model had suggested each is kept for exports.
    """
    chosen = list(dict.fromkeys(theme_ids))
    person = session.scalar(select(Answer.conversation_id).where(Answer.id == answer_id))
    with person_change(session, person or ""):  # the findings summary follows the coding
        suggested = set(
            session.scalars(
                select(ThemeSuggestion.theme_id).where(
                    ThemeSuggestion.answer_id == answer_id, ThemeSuggestion.chosen.is_(True)
                )
            )
        )
        session.execute(delete(ThemeCoding).where(ThemeCoding.answer_id == answer_id))
        for theme_id in chosen:
            session.add(
                ThemeCoding(
                    answer_id=answer_id,
                    theme_id=theme_id,
                    suggested=theme_id in suggested,
                    confirmed_by=actor,
                    confirmed_at=now,
                )
            )
        marker = session.get(ThemeCodedAnswer, answer_id)
        if marker is None:
            session.add(ThemeCodedAnswer(answer_id=answer_id, coded_by=actor, coded_at=now))
        else:
            marker.coded_by, marker.coded_at = actor, now
    record(session, actor, "theme_coded", f"answer={answer_id} themes={','.join(chosen)}", now)
    return chosen


def confirmed_examples(session: Session) -> list[Example]:
    """Every coded answer (not hidden) as an example, in the order it was coded."""
    coded = session.execute(
        select(Answer.id, Answer.text)
        .join(ThemeCodedAnswer, ThemeCodedAnswer.answer_id == Answer.id)
        .where(Answer.hidden.is_(False))
        .order_by(ThemeCodedAnswer.coded_at, Answer.id)
    ).all()
    labels: dict[int, list[str]] = {}
    for answer_id, theme_id in session.execute(select(ThemeCoding.answer_id, ThemeCoding.theme_id)):
        labels.setdefault(answer_id, []).append(theme_id)
    return [Example(text, tuple(sorted(labels.get(aid, [])))) for aid, text in coded]
