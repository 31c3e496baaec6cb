"""Theme pages, part three: discovery. Answers no theme fits, grouped into candidate themes on a
background thread (``discovery.py``), each shown with its size, distinctive words and most typical
(redacted) answers; staff add it as a new theme, merge it into one, or dismiss it. Every action
is in the audit log; adding or merging records the shown answers as confirmed examples."""

from __future__ import annotations

import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from review.auth import StaffSession
from review.themes_staff import discovery
from review.themes_staff.coding import ThemeCodingViews
from review.themes_staff.discovery import Discovery, Group
from review.themes_staff.store import load_codebook
from themes.codebook import CodebookError, Theme

PAGE = "/review/themes/discover"
GROUPS_SHOWN = 30
FIELD_LIMIT = 2_000
REFRESH_WAIT = 120  # seconds a grouping waits for a running refresh of the suggestions


class ThemeDiscoveryViews(ThemeCodingViews):
    """The discovery page and its three actions."""

    @property
    def discovery(self) -> Discovery:
        found: Discovery | None = getattr(self, "_discovery", None)
        if found is None:
            engine = self.theme_engine
            # A refresh in progress: group its result rather than a mix, if it ends soon.
            found = Discovery(self.db, engine.current, lambda: engine.wait(REFRESH_WAIT))
            self._discovery = found
        return found

    async def themes_discover(self, request: Request, session: StaffSession) -> Response:
        refused = self._not_for_you(request, session)
        if refused is not None:
            return refused
        if request.method == "POST":
            form = await request.form()
            fields = {k: str(v)[:FIELD_LIMIT] for k, v in form.items() if isinstance(v, str)}
            answers = [str(v) for v in form.getlist("answer")][: discovery.KEEP_TYPICAL]
            if fields.get("do") == "again":
                self.discovery.request()
                return RedirectResponse(PAGE + "?grouping=1", status_code=303)
            group = self.discovery.group(fields.get("group", ""))
            if group is None:
                return await run_in_threadpool(
                    self._discover_page,
                    request,
                    session,
                    "These groups have changed since the page was shown. Here they are again.",
                    409,
                )
            try:
                done = await run_in_threadpool(self._act, session, group, fields, answers)
            except CodebookError as exc:
                return await run_in_threadpool(
                    self._discover_page, request, session, str(exc), 400, fields
                )
            self.discovery.forget(group.key)
            self.theme_engine.request_refresh()  # the next grouping follows the refresh
            return RedirectResponse(f"{PAGE}?done={done}", status_code=303)
        return await run_in_threadpool(self._discover_page, request, session)

    def _act(
        self, session: StaffSession, group: Group, form: dict[str, str], answers: list[str]
    ) -> str:
        action = form.get("do", "")
        with self.db.session() as s:
            if action == "dismiss":
                discovery.dismiss_group(s, group, actor=session.email)
                return "dismissed"
            shown = discovery.visible_unthemed(
                s, session.user_id, discovery.in_group(group, answers)
            )
            if action == "add":
                theme = Theme(
                    id=form.get("id", "").strip().lower(),
                    name=form.get("name", "").strip(),
                    description=" ".join(form.get("description", "").split()),
                )
                examples = shown if form.get("examples") == "yes" else []
                discovery.add_theme(s, group, theme, examples, actor=session.email)
                return "added"
            if action == "merge":
                book = load_codebook(s)
                into = form.get("into", "")
                if into not in book.ids():
                    raise CodebookError("Choose a theme in the codebook to merge the group into.")
                discovery.merge_group(s, group, into, shown, actor=session.email)
                return "merged"
        raise CodebookError("Choose what to do with the group.")

    def _discover_page(
        self,
        request: Request,
        session: StaffSession,
        error: str | None = None,
        status: int = 200,
        fields: dict[str, str] | None = None,
    ) -> Response:
        latest = self.discovery.latest()
        with self.db.session() as s:
            book = load_codebook(s)
            current = discovery.inputs_key(s)
            groups = list(latest.groups) if latest else []
            answers = discovery.shown(s, session.user_id, groups[: GROUPS_SHOWN * 2])
        if latest is None or latest.inputs != current:
            self.discovery.request()
        cards = [
            {"group": g, "answers": answers[g.key], **_proposal(g, book.ids())}
            for g in groups
            if g.key in answers
        ][:GROUPS_SHOWN]
        return self.page(
            request,
            session,
            "themes_discover.html",
            book=book,
            latest=latest,
            cards=cards,
            more=max(0, len([g for g in groups if g.key in answers]) - GROUPS_SHOWN),
            running=self.discovery.running,
            stale=latest is not None and latest.inputs != current,
            failed=self.discovery.failed,
            error=error,
            fields=fields or {},
            done=request.query_params.get("done", ""),
            status=status,
        )


def _proposal(group: Group, taken: list[str]) -> dict[str, Any]:
    """A name, id and description to start from, made of the group's distinctive words."""
    words = list(group.words[:3]) or ["new theme"]
    base = re.sub(r"[^a-z0-9_]+", "_", "_".join(words[:2]).lower()).strip("_")[:50]
    base = base if re.match(r"^[a-z]", base) else f"theme_{base}".rstrip("_")
    theme_id, n = base, 2
    while theme_id in taken:
        theme_id, n = f"{base}_{n}", n + 1
    return {
        "proposed_id": theme_id,
        "proposed_name": ", ".join(words).capitalize(),
        "proposed_description": "Answers about " + ", ".join(group.words) + ".",
    }
