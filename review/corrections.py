"""Staff corrections that teach the risk model: the true level of a queue item, and their export.

A safeguarding lead (or an admin) sets the level a queue item's text should have had (urgent,
check, support or none). Each correction is audit-logged (the item and the levels, never the
text). The export is the stored redacted text of every corrected item with text, one
``level<TAB>text`` line each, the shape ``speakup risk train --corrections FILE`` reads.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from review.audit import record
from review.auth import StaffSession
from review.base import ReviewBase
from storage.models import Flag

TRUE_LEVELS = ("urgent", "check", "support", "none")
_SPACE = re.compile(r"\s+")


def set_true_level(session: Session, fid: int, level: str, by: str, now: datetime) -> bool:
    """Record a correction on one item and audit it; False if there is no such item."""
    if level not in TRUE_LEVELS:
        raise ValueError(f"unknown level {level!r}")
    item = session.get(Flag, fid)
    if item is None:
        return False
    before = item.true_level or "unset"
    item.true_level, item.corrected_by, item.corrected_at = level, by, now
    record(
        session, by, "flag_corrected", f"flag={fid} detected={item.level} {before}->{level}", now
    )
    return True


def corrections_tsv(session: Session) -> tuple[str, int]:
    """Every corrected item that kept text, as ``level<TAB>redacted text`` lines; and the count."""
    rows = session.execute(
        select(Flag.true_level, Flag.text)
        .where(Flag.true_level.is_not(None), Flag.text.is_not(None), Flag.text != "")
        .order_by(Flag.id)
    ).all()
    lines = []
    for level, text in rows:
        one_line = _SPACE.sub(" ", text or "").strip()  # a tab or newline would break the row
        if one_line:
            lines.append(f"{level}\t{one_line}\n")
    return "".join(lines), len(lines)


class CorrectionViews(ReviewBase):
    """The correction form on a queue item, and the TSV download (the safeguarding permission)."""

    async def correct(self, request: Request, session: StaffSession) -> Response:
        fid = request.path_params["fid"]
        level = str((await request.form()).get("true_level", ""))
        if level not in TRUE_LEVELS:
            return await self._flag_page(
                request,
                session,
                fid,
                errors={"true-urgent": "Choose the level this message should have had"},
            )

        def act() -> bool:
            with self.db.session() as s:
                return set_true_level(s, fid, level, session.email, datetime.now(UTC))

        if not await run_in_threadpool(act):
            return self.page(
                request, session, "error.html", status=404, message="There is no such item."
            )
        return RedirectResponse(f"/review/safeguarding/{fid}", status_code=303)

    async def corrections_export(self, request: Request, session: StaffSession) -> Response:
        def run() -> str:
            with self.db.session() as s:
                body, rows = corrections_tsv(s)
                record(s, session.email, "corrections_export", f"rows={rows}", datetime.now(UTC))
            return body

        body = await run_in_threadpool(run)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        return Response(
            body,
            media_type="text/tab-separated-values; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="risk-corrections-{stamp}.tsv"'},
        )
