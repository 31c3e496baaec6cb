"""Transcript pages: the list with filters and search, one transcript, leak reports, stepping back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from review import queries
from review.audit import record
from review.auth import StaffSession
from review.base import HIDE_REASONS, ReviewBase, answer_in_reach, conversation_id
from review.pages.forms import date_range
from storage.maintenance import reredact_answer
from storage.models import Conversation, Recusal


class TranscriptViews(ReviewBase):
    """Pages every reviewer can use."""

    async def transcripts(self, request: Request, session: StaffSession) -> Response:
        q = request.query_params

        def opt(name: str) -> str | None:
            return q.get(name) or None

        start, end, errors = date_range(q)
        finished = {"yes": True, "no": False}.get(q.get("finished", ""))
        filters = queries.Filters(
            start=start,
            end=end,
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

        rows, total = ([], 0) if errors else await run_in_threadpool(load)
        return self.page(
            request,
            session,
            "transcripts.html",
            status=400 if errors else 200,
            rows=rows,
            total=total,
            filters=filters,
            query=q,
            questions=self.questions,
            page_size=queries.PAGE,
            errors=errors,
            routes=self.labels.routes,
            notice=q.get("done"),
        )

    async def transcript(self, request: Request, session: StaffSession) -> Response:
        cid = conversation_id(request.path_params["cid"])
        return await self._transcript_page(request, session, cid)

    async def _transcript_page(
        self,
        request: Request,
        session: StaffSession,
        cid: str | None,
        errors: dict[str, str] | None = None,
    ) -> Response:
        def load() -> Any:
            with self.db.session() as s:
                if cid is None:
                    return None
                found = queries.transcript(s, cid, session.user_id)
                if found is None:
                    return s.get(Recusal, (session.user_id, cid))
                record(s, session.email, "transcript_view", cid, datetime.now(UTC))
                for a in found[1]:
                    s.expunge(a)
                s.expunge(found[0])
                return found

        found = await run_in_threadpool(load)
        if isinstance(found, Recusal):
            # Say plainly what happened, and offer the undo: never "there is nothing here".
            return self.page(
                request, session, "stepped_back.html", status=403, cid=cid, at=found.at
            )
        if found is None:
            return self.page(
                request, session, "error.html", status=404, message="There is no transcript here."
            )
        conv, answers = found
        return self.page(
            request,
            session,
            "transcript.html",
            status=400 if errors else 200,
            conv=conv,
            answers=answers,
            questions=self.questions,
            reasons=HIDE_REASONS,
            errors=errors or {},
            query=request.query_params,
        )

    async def report(self, request: Request, session: StaffSession) -> Response:
        """Hide an answer that still holds personal data: the first post asks to confirm and
        says what will happen; the second (``confirm=yes``) does it."""
        aid = request.path_params["aid"]
        form = await request.form()
        reason = str(form.get("reason", ""))

        def find() -> tuple[str, str] | None:
            with self.db.session() as s:
                answer = answer_in_reach(s, aid, session.user_id)
                return None if answer is None else (answer.conversation_id, answer.question_id)

        where = await run_in_threadpool(find)
        if where is None:
            return self.page(
                request, session, "error.html", status=404, message="There is no answer here."
            )
        cid, qid = where
        if reason not in HIDE_REASONS:
            return await self._transcript_page(
                request,
                session,
                cid,
                errors={f"reason-{aid}": "Choose why this answer should be hidden"},
            )
        if form.get("confirm") != "yes":
            return self.page(
                request,
                session,
                "report_confirm.html",
                aid=aid,
                cid=cid,
                qid=qid,
                reason=reason,
                reason_text=HIDE_REASONS[reason],
            )

        def act() -> str:
            with self.db.session() as s:
                answer = answer_in_reach(s, aid, session.user_id)
                if answer is None:
                    return "gone"
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
                return "cleaned" if outcome == "re-redacted" else "hidden"

        done = await run_in_threadpool(act)
        return RedirectResponse(
            f"/review/transcripts/{cid}?done={done}&answer={aid}#answer-{aid}", status_code=303
        )

    async def step_back(self, request: Request, session: StaffSession) -> Response:
        """Step back from a transcript one recognises: asks first, then hides it from this
        person only, and offers an undo."""
        cid = conversation_id(request.path_params["cid"])
        confirmed = (await request.form()).get("confirm") == "yes"

        def act() -> bool:
            with self.db.session() as s:
                if cid is None or s.get(Conversation, cid) is None:
                    return False
                if not confirmed:
                    return True
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
        if not confirmed:
            return self.page(request, session, "step_back_confirm.html", cid=cid)
        return RedirectResponse(f"/review/transcripts?done=stepped_back&cid={cid}", status_code=303)

    async def step_back_undo(self, request: Request, session: StaffSession) -> Response:
        """Undo a step back (a slip of the hand); recorded like the step itself."""
        cid = conversation_id(request.path_params["cid"])

        def act() -> bool:
            with self.db.session() as s:
                found = s.get(Recusal, (session.user_id, cid)) if cid else None
                if found is None:
                    return False
                s.delete(found)
                record(s, session.email, "step_back_undone", str(cid), datetime.now(UTC))
                return True

        if not await run_in_threadpool(act):
            return self.page(
                request,
                session,
                "error.html",
                status=404,
                message="You have not stepped back from this transcript.",
            )
        return RedirectResponse(f"/review/transcripts/{cid}?done=returned", status_code=303)
