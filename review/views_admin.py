"""Safeguarding queue, exports, the audit log and the list of users."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from review import queries
from review.audit import record, verify_chain
from review.auth import StaffSession
from review.base import ReviewBase, answer_in_reach
from review.export import ExportFilters, SafeCsvWriter, export_answers
from review.pages.forms import date_range
from storage.models import AuditEvent, Flag


class AdminViews(ReviewBase):
    """Pages for the safeguarding and admin roles."""

    async def safeguarding(self, request: Request, session: StaffSession) -> Response:
        def load() -> list[Flag]:
            with self.db.session() as s:
                items = queries.queue(s)
                for f in items:
                    s.expunge(f)
                return items

        items = await run_in_threadpool(load)
        return self.page(
            request,
            session,
            "queue.html",
            items=items,
            now=datetime.now(UTC),
            notice=request.query_params.get("done"),
        )

    async def flag(self, request: Request, session: StaffSession) -> Response:
        fid = request.path_params["fid"]
        note = ""
        if request.method == "POST":
            note = str((await request.form()).get("decision", "")).strip()[:2000]
            if not note:
                return await self._flag_page(
                    request, session, fid, errors={"decision": "Write what you decided and why"}
                )

            def review() -> None:
                with self.db.session() as s:
                    item = s.get(Flag, fid)
                    if item is not None and item.reviewed_at is None:
                        item.reviewed_at, item.reviewed_by, item.decision = (
                            datetime.now(UTC),
                            session.email,
                            note,
                        )
                        record(s, session.email, "flag_reviewed", f"flag={fid}", datetime.now(UTC))

            await run_in_threadpool(review)
            return RedirectResponse("/review/safeguarding?done=reviewed", status_code=303)
        return await self._flag_page(request, session, fid)

    async def export(self, request: Request, session: StaffSession) -> Response:
        if request.method == "GET":
            return self.page(request, session, "export.html", form={}, errors={})
        form = await request.form()
        values = {k: str(v)[:100] for k, v in form.items() if k != "csrf"}
        fmt = "jsonl" if values.get("format") == "jsonl" else "csv"
        since, until, errors = date_range(values)
        question = values.get("question") or None
        group = values.get("group") or None
        if question is not None and question not in self.questions:
            errors["question"] = "Choose a question from the list"
        if group is not None and group not in self.labels.choices.get("groups", {}):
            errors["group"] = "Choose a group from the list"
        if errors:
            return self.page(
                request, session, "export.html", status=400, form=values, errors=errors
            )
        limits = ExportFilters(question=question, group=group, until=until)

        def run() -> tuple[str, str]:
            out = io.StringIO()
            with self.db.session() as s:
                result = export_answers(
                    s,
                    self.dialogue,
                    out,
                    fmt=fmt,
                    by=session.email,
                    now=datetime.now(UTC),
                    since=since,
                    min_group=self.config.review.export_min_group_size,
                    limits=limits,
                    bom=fmt == "csv",
                )
                record(
                    s,
                    session.email,
                    "export",
                    f"{result.id} rows={result.rows} format={fmt} since={since} "
                    f"{limits.describe()}".strip(),
                    datetime.now(UTC),
                )
            return result.id, out.getvalue()

        export_id, body = await run_in_threadpool(run)
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson"
        return Response(
            body,
            media_type=media,
            headers={"content-disposition": f'attachment; filename="speakup-{export_id}.{fmt}"'},
        )

    async def audit(self, request: Request, session: StaffSession) -> Response:
        def load() -> tuple[list[AuditEvent], bool, int]:
            with self.db.session() as s:
                intact, count = verify_chain(s)
                events = list(
                    s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(200))
                )
                for e in events:
                    s.expunge(e)
                return events, intact, count

        events, intact, count = await run_in_threadpool(load)
        return self.page(request, session, "audit.html", events=events, intact=intact, count=count)

    async def audit_csv(self, request: Request, session: StaffSession) -> Response:
        def load() -> str:
            out = io.StringIO()
            writer = SafeCsvWriter(out)
            writer.writerow(["id", "at", "actor", "action", "detail", "prev_hash", "hash"])
            with self.db.session() as s:
                for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id)):
                    writer.writerow(
                        [e.id, e.at.isoformat(), e.actor, e.action, e.detail, e.prev_hash, e.hash]
                    )
                record(s, session.email, "audit_export", "", datetime.now(UTC))
            return out.getvalue()

        return Response(
            await run_in_threadpool(load),
            media_type="text/csv",
            headers={"content-disposition": 'attachment; filename="speakup-audit.csv"'},
        )

    async def unhide(self, request: Request, session: StaffSession) -> Response:
        """A safeguarding lead or an admin undoes a hide (audited)."""
        aid = request.path_params["aid"]

        def act() -> str | None:
            with self.db.session() as s:
                answer = answer_in_reach(s, aid, session.user_id)
                if answer is None:
                    return None
                if answer.hidden:
                    answer.hidden = False
                    record(s, session.email, "answer_unhidden", f"answer={aid}", datetime.now(UTC))
                return answer.conversation_id

        cid = await run_in_threadpool(act)
        if cid is None:
            return self.page(
                request, session, "error.html", status=404, message="There is no answer here."
            )
        return RedirectResponse(
            f"/review/transcripts/{cid}?done=shown#answer-{aid}", status_code=303
        )
