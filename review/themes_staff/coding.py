"""Theme pages, part two: coding answers (keyboard-first, and plain forms without JavaScript),
findings per question and theme with small numbers suppressed, and the codings as CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from review import charts
from review.audit import record
from review.auth import StaffSession
from review.themes_staff.codebook import ThemeViews
from review.themes_staff.queries import (
    BREAKDOWNS,
    answer_to_code,
    findings,
    next_answer,
    previous_answer,
    representative,
)
from review.themes_staff.store import code_answer, load_codebook
from storage.models import ThemeCodedAnswer, ThemeCoding
from storage.theme_summary import outdated

KEYS_JS = Path(__file__).resolve().parent.parent / "templates" / "themes_keys.js"


class ThemeCodingViews(ThemeViews):
    """Coding, findings and the codings export."""

    async def themes_code(self, request: Request, session: StaffSession) -> Response:
        refused = self._not_for_you(request, session)
        if refused is not None:
            return refused
        if request.method == "POST":
            form = await request.form()
            try:
                aid = int(str(form.get("answer", "")))
            except ValueError:
                return RedirectResponse("/review/themes/code", status_code=303)
            if form.get("do") != "skip":
                chosen = [str(v) for v in form.getlist("theme")]
                await run_in_threadpool(self._code, session, aid, chosen)
                self.theme_engine.request_refresh()
            return RedirectResponse(f"/review/themes/code?after={aid}", status_code=303)
        return await run_in_threadpool(self._code_page, request, session)

    def _code(self, session: StaffSession, aid: int, chosen: list[str]) -> None:
        with self.db.session() as s:
            book = load_codebook(s)
            valid = [t for t in chosen if t in book.ids()]
            if answer_to_code(s, session.user_id, aid) is not None:
                code_answer(s, aid, valid, actor=session.email, now=datetime.now(UTC))

    def _code_page(self, request: Request, session: StaffSession) -> Response:
        params = request.query_params
        with self.db.session() as s:
            book = load_codebook(s)
            aid: int | None
            if params.get("answer", "").isdigit():
                aid = int(params["answer"])
            else:
                after = params.get("after", "")
                aid = next_answer(s, session.user_id, skip=int(after) if after.isdigit() else None)
            item = answer_to_code(s, session.user_id, aid) if aid is not None else None
            previous = (
                previous_answer(s, session.user_id, session.email, aid) if aid is not None else None
            )
            following = next_answer(s, session.user_id, skip=aid) if aid is not None else None
        reasons: dict[str, Any] = {}
        if item is not None and item.suggested:
            reasons = self._reasons(item.text)
        return self.page(
            request,
            session,
            "themes_code.html",
            book=book,
            item=item,
            question=self.questions.get(item.question_id, "") if item else "",
            previous=previous,
            following=following,
            reasons=reasons,
        )

    def _reasons(self, text: str) -> dict[str, Any]:
        """Why the model suggests what it does (nearest confirmed examples, words)."""
        from themes.explain import explained

        model = self.theme_engine.current()  # a refit runs in the background, not here
        if not model.ids:
            return {}
        return explained(model, [text])[0][1]

    async def themes_findings(self, request: Request, session: StaffSession) -> Response:
        refused = self._not_for_you(request, session)
        if refused is not None:
            return refused
        question = request.query_params.get("question") or None
        by = request.query_params.get("by", "group")
        by = by if by in BREAKDOWNS else "group"
        k = self.config.review.export_min_group_size

        theme = request.query_params.get("theme") or None

        def load() -> tuple[Any, Any, Any, bool]:
            with self.db.session() as s:
                examples = (
                    representative(s, session.user_id, theme, question) if theme else ([], [])
                )
                return load_codebook(s), findings(s, question, by), examples, outdated(s)

        book, found, examples, stale = await run_in_threadpool(load)
        if stale:  # someone withdrew since the counts were made: count again, in the background
            self.theme_engine.request_refresh()
        names = {t.id: t.name for t in book.themes}
        table = [
            (names.get(t, t), _shown(c, k), _shown(sg, k))
            for t, c, sg in sorted(found.rows, key=lambda r: -(r[1] + r[2]))
        ]
        bars = [
            (names.get(t, t), {"confirmed": c if c >= k else 0, "suggested": sg if sg >= k else 0})
            for t, c, sg in sorted(found.rows, key=lambda r: -(r[1] + r[2]))
        ]
        values = sorted({v for vals in found.breakdown.values() for v in vals})
        split = [
            (names.get(t, t), [_shown(found.breakdown[t].get(v, 0), k) for v in values])
            for t, _, _ in sorted(found.rows, key=lambda r: -(r[1] + r[2]))
        ]
        chart = charts.bar_chart("People per theme (confirmed, and suggested not yet coded)", bars)
        return self.page(
            request,
            session,
            "themes_findings.html",
            chart=chart,
            table=table,
            split=split,
            values=values,
            by=by,
            breakdowns=BREAKDOWNS,
            question=question,
            questions=self.questions,
            answers=found.answers,
            k=k,
            theme=theme,
            theme_name=names.get(theme or "", theme),
            ids={name: t for t, name in names.items()},
            examples=examples,
        )

    async def themes_codings_csv(self, request: Request, session: StaffSession) -> Response:
        """Every confirmed coding: answer, theme, who confirmed it, when, and if it was suggested."""

        def load() -> str:
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["answer_id", "theme_id", "confirmed_by", "confirmed_at", "suggested"])
            with self.db.session() as s:
                with_themes = set()
                for c in s.scalars(
                    select(ThemeCoding).order_by(ThemeCoding.answer_id, ThemeCoding.theme_id)
                ):
                    with_themes.add(c.answer_id)
                    when = c.confirmed_at.isoformat()
                    writer.writerow([c.answer_id, c.theme_id, c.confirmed_by, when, c.suggested])
                for m in s.scalars(select(ThemeCodedAnswer).order_by(ThemeCodedAnswer.answer_id)):
                    if m.answer_id not in with_themes:  # coded as fitting no theme
                        writer.writerow([m.answer_id, "", m.coded_by, m.coded_at.isoformat(), ""])
                record(s, session.email, "themes_codings_export", "", datetime.now(UTC))
            return out.getvalue()

        return Response(
            await run_in_threadpool(load),
            media_type="text/csv",
            headers={"content-disposition": 'attachment; filename="speakup-theme-codings.csv"'},
        )

    async def themes_keys_js(self, request: Request, session: StaffSession) -> Response:
        return Response(KEYS_JS.read_text(encoding="utf-8"), media_type="text/javascript")


def _shown(count: int, k: int) -> str:
    """Counts below the export's minimum group size are shown as "fewer than k"."""
    return str(count) if count == 0 or count >= k else f"fewer than {k}"
