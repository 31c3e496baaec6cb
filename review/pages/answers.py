"""The per-question view: every visible answer to one question, with search and filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from review.audit import record
from review.auth import StaffSession
from review.base import ReviewBase
from review.pages.forms import date_range
from review.queries import COUNT_CAP, PAGE, answer_match, describe_filters, visible
from storage.models import Answer, Conversation


@dataclass(frozen=True)
class AnswerFilters:
    """What narrows one question's answers; all optional."""

    search: str | None = None
    group: str | None = None
    age_band: str | None = None
    channel: str | None = None
    start: date | None = None
    end: date | None = None
    page: int = 1

    def describe(self) -> str:
        """For the audit log: the filters used, never the search words."""
        return describe_filters(self.__dict__)


def question_counts(session: Session, staff_id: int) -> dict[str, int]:
    """How many visible answers each question has (for this staff member)."""
    rows = session.execute(
        select(Answer.question_id, func.count())
        .join(Conversation, Conversation.id == Answer.conversation_id)
        .where(Answer.hidden.is_(False), visible(staff_id))
        .group_by(Answer.question_id)
    ).all()
    return {str(q): int(n) for q, n in rows}


def answers_to(
    session: Session, question: str, f: AnswerFilters, staff_id: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of answers to one question, newest first, and the (capped) total."""
    conds: list[Any] = [
        Answer.question_id == question,
        Answer.hidden.is_(False),
        visible(staff_id),
    ]
    if f.search:
        conds.append(answer_match(session, f.search))
    if f.group:  # group ids are [a-z0-9_]: safe inside a LIKE on the stored JSON list
        conds.append(cast(Conversation.groups, String).like(f'%"{f.group}"%'))
    if f.age_band:
        conds.append(Conversation.age_band == f.age_band)
    if f.channel:
        conds.append(Conversation.channel == f.channel)
    if f.start:
        conds.append(Answer.created_at >= datetime.combine(f.start, time.min))
    if f.end:
        conds.append(Answer.created_at <= datetime.combine(f.end, time.max))
    base = select(Answer.id).join(Conversation, Conversation.id == Answer.conversation_id)
    capped = base.where(*conds).limit(COUNT_CAP + 1).subquery()
    total = int(session.scalar(select(func.count()).select_from(capped)) or 0)
    rows = session.execute(
        select(
            Answer.id,
            Answer.text,
            Answer.created_at,
            Conversation.id.label("conversation_id"),
            Conversation.channel,
            Conversation.groups,
            Conversation.age_band,
            Conversation.risk_level,
        )
        .join(Conversation, Conversation.id == Answer.conversation_id)
        .where(*conds)
        .order_by(Answer.created_at.desc(), Answer.id.desc())
        .limit(PAGE)
        .offset((max(f.page, 1) - 1) * PAGE)
    ).all()
    return [dict(r._mapping) for r in rows], total


class QuestionViews(ReviewBase):
    """Pages every reviewer can use: the questions, and every answer to one of them."""

    async def questions_index(self, request: Request, session: StaffSession) -> Response:
        def load() -> dict[str, int]:
            with self.db.session() as s:
                return question_counts(s, session.user_id)

        counts = await run_in_threadpool(load)
        steps = [st for st in self.dialogue.steps if st.kind == "text"]
        return self.page(request, session, "questions.html", steps=steps, counts=counts)

    async def question(self, request: Request, session: StaffSession) -> Response:
        qid = request.path_params["qid"]
        if qid not in self.questions:
            return self.page(
                request, session, "error.html", status=404, message="There is no such question."
            )
        q = request.query_params
        start, end, errors = date_range(q)
        choices = self.labels.choices

        def pick(name: str, allowed: Any) -> str | None:
            value = q.get(name) or None
            return value if value is None or value in allowed else None

        f = AnswerFilters(
            search=(q.get("q") or "").strip()[:200] or None,
            group=pick("group", choices.get("groups", {})),
            age_band=pick("age", choices.get("age_band", {})),
            channel=pick("channel", ("web", "sms", "whatsapp", "telegram", "rest")),
            start=start,
            end=end,
            page=int(q["page"]) if q.get("page", "").isdigit() else 1,
        )

        def load() -> tuple[list[dict[str, Any]], int]:
            with self.db.session() as s:
                record(
                    s, session.email, "question_view", f"{qid} {f.describe()}", datetime.now(UTC)
                )
                return answers_to(s, qid, f, session.user_id)

        rows, total = ([], 0) if errors else await run_in_threadpool(load)
        return self.page(
            request,
            session,
            "question.html",
            status=400 if errors else 200,
            qid=qid,
            wording=self.questions[qid],
            rows=rows,
            total=total,
            filters=f,
            query=q,
            errors=errors,
            page_size=PAGE,
        )
