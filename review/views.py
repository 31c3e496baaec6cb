"""Transcript pages: the list with filters and search, one transcript, leak reports, stepping back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from review import queries
from review.audit import record
from review.auth import StaffSession
from review.base import HIDE_REASONS, ReviewBase, answer_in_reach, conversation_id
from storage.maintenance import reredact_answer
from storage.models import Conversation, Recusal


class TranscriptViews(ReviewBase):
    """Pages every reviewer can use."""

    async def transcripts(self, request: Request, session: StaffSession) -> Response:
        q = request.query_params

        def opt(name: str) -> str | None:
            return q.get(name) or None

        def day(name: str) -> date | None:
            try:
                return date.fromisoformat(q[name]) if q.get(name) else None
            except ValueError:
                return None

        finished = {"yes": True, "no": False}.get(q.get("finished", ""))
        filters = queries.Filters(
            start=day("start"),
            end=day("end"),
            channel=opt("channel"),
            question=opt("question"),
            route=opt("route"),
            finished=finished,
            risk=opt("risk"),
            search=opt("q"),
            page=int(q["page"]) if q.get("page", "").isdigit() else 1,
        )

        def load() -> tuple[list[dict[str, Any]], int]:
            with self.db.session() as s:
                record(s, session.email, "search", filters.describe(), datetime.now(UTC))
                return queries.list_transcripts(s, filters, session.user_id)

        rows, total = await run_in_threadpool(load)
        return self.page(
            request,
            session,
            "transcripts.html",
            rows=rows,
            total=total,
            filters=filters,
            query=q,
            questions=self.questions,
            page_size=queries.PAGE,
        )

    async def transcript(self, request: Request, session: StaffSession) -> Response:
        cid = conversation_id(request.path_params["cid"])
        if cid is None:
            return self.page(
                request, session, "error.html", status=404, message="There is no transcript here."
            )

        def load() -> Any:
            with self.db.session() as s:
                found = queries.transcript(s, cid, session.user_id)
                if found is not None:
                    record(s, session.email, "transcript_view", cid, datetime.now(UTC))
                    for a in found[1]:
                        s.expunge(a)
                    s.expunge(found[0])
                return found

        found = await run_in_threadpool(load)
        if found is None:
            return self.page(
                request, session, "error.html", status=404, message="There is no transcript here."
            )
        conv, answers = found
        return self.page(
            request,
            session,
            "transcript.html",
            conv=conv,
            answers=answers,
            questions=self.questions,
            reasons=HIDE_REASONS,
        )

    async def report(self, request: Request, session: StaffSession) -> Response:
        aid = request.path_params["aid"]
        reason = str((await request.form()).get("reason", ""))
        if reason not in HIDE_REASONS:
            return self.page(
                request,
                session,
                "error.html",
                status=400,
                message="Choose why this answer should be hidden, then try again.",
            )

        def act() -> str | None:
            with self.db.session() as s:
                answer = answer_in_reach(s, aid, session.user_id)
                if answer is None:
                    return None
                answer.hidden, answer.reported = True, True  # hidden at once
                outcome = reredact_answer(s, self.redactor, aid)
                if outcome == "re-redacted":
                    answer.hidden = False
                record(
                    s,
                    session.email,
                    "leak_reported",
                    f"answer={aid} reason={reason} outcome={outcome}",
                    datetime.now(UTC),
                )
                return answer.conversation_id

        cid = await run_in_threadpool(act)
        if cid is None:
            return self.page(
                request, session, "error.html", status=404, message="There is no answer here."
            )
        return RedirectResponse(f"/review/transcripts/{cid}", status_code=303)

    async def step_back(self, request: Request, session: StaffSession) -> Response:
        cid = conversation_id(request.path_params["cid"])

        def act() -> bool:
            with self.db.session() as s:
                if cid is None or s.get(Conversation, cid) is None:
                    return False
                if s.get(Recusal, (session.user_id, cid)) is None:
                    s.add(
                        Recusal(staff_id=session.user_id, conversation_id=cid, at=datetime.now(UTC))
                    )
                record(s, session.email, "stepped_back", cid, datetime.now(UTC))
                return True

        if not await run_in_threadpool(act):
            return self.page(
                request, session, "error.html", status=404, message="There is no transcript here."
            )
        return RedirectResponse("/review/transcripts", status_code=303)
