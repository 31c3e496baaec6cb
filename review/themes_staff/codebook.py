"""Theme pages, part one: the codebook (add, edit, retire, merge, split, import and export YAML)
for reviewers and admins. Every change is in the audit log and starts a background refresh of the
suggestions. The theme model is loaded only when a theme page first needs it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from review.auth import StaffSession
from review.base import ReviewBase
from review.themes_staff.engine import ThemeEngine
from review.themes_staff.store import load_codebook, save_codebook
from themes.codebook import Codebook, CodebookError, Theme, dump_yaml, load_yaml

THEME_ROLES = frozenset({"admin", "reviewer"})
FIELD_LIMIT = 20_000


class ThemeViews(ReviewBase):
    """The codebook pages."""

    @property
    def theme_engine(self) -> ThemeEngine:
        engine: ThemeEngine | None = getattr(self, "_theme_engine", None)
        if engine is None:
            engine = ThemeEngine(self.db)
            self._theme_engine = engine
        return engine

    def _not_for_you(self, request: Request, session: StaffSession) -> Response | None:
        if session.role in THEME_ROLES:
            return None
        return self.page(
            request,
            session,
            "error.html",
            status=403,
            message="You do not have access to this page.",
        )

    async def themes_codebook(self, request: Request, session: StaffSession) -> Response:
        refused = self._not_for_you(request, session)
        if refused is not None:
            return refused
        error = None
        if request.method == "POST":
            form = await request.form()
            fields = {k: str(v)[:FIELD_LIMIT] for k, v in form.items() if isinstance(v, str)}
            try:
                await run_in_threadpool(self._change_codebook, session.email, fields)
            except CodebookError as exc:
                error = str(exc)
            else:
                self.theme_engine.request_refresh()
                return RedirectResponse("/review/themes", status_code=303)

        def load() -> Codebook:
            with self.db.session() as s:
                return load_codebook(s)

        book = await run_in_threadpool(load)
        return self.page(
            request,
            session,
            "themes.html",
            book=book,
            error=error,
            status=400 if error else 200,
        )

    def _change_codebook(self, actor: str, form: dict[str, str]) -> None:
        action = form.get("action", "")
        with self.db.session() as s:
            book = load_codebook(s)
            book, detail = apply_change(book, action, form)
            save_codebook(
                s, book, actor=actor, action=f"theme_{action}", detail=detail, now=datetime.now(UTC)
            )

    async def themes_export(self, request: Request, session: StaffSession) -> Response:
        refused = self._not_for_you(request, session)
        if refused is not None:
            return refused

        def load() -> str:
            with self.db.session() as s:
                book = load_codebook(s)
                from review.audit import record

                record(
                    s,
                    session.email,
                    "themes_export",
                    f"themes={len(book.active)}",
                    datetime.now(UTC),
                )
            return dump_yaml(book, include_retired=request.query_params.get("all") == "1")

        return Response(
            await run_in_threadpool(load),
            media_type="application/yaml",
            headers={"content-disposition": 'attachment; filename="codebook.yml"'},
        )

    async def themes_refresh(self, request: Request, session: StaffSession) -> Response:
        refused = self._not_for_you(request, session)
        if refused is not None:
            return refused
        self.theme_engine.request_refresh()
        return RedirectResponse("/review/themes?refreshing=1", status_code=303)


def _theme(form: dict[str, str], prefix: str = "") -> Theme:
    return Theme(
        id=form.get(prefix + "id", "").strip().lower(),
        name=form.get(prefix + "name", "").strip(),
        description=" ".join(form.get(prefix + "description", "").split()),
    )


def apply_change(book: Codebook, action: str, form: dict[str, str]) -> tuple[Codebook, str]:
    """One edit from the codebook page's forms; returns the new codebook and an audit detail."""
    target = form.get("theme", "")
    changes: dict[str, Any] = {
        "add": lambda: (book.add(_theme(form)), f"theme={form.get('id', '')}"),
        "edit": lambda: (
            book.edit(target, name=form.get("name"), description=form.get("description")),
            f"theme={target}",
        ),
        "retire": lambda: (book.retire(target), f"theme={target}"),
        "merge": lambda: (
            book.merge([target], into=form.get("into", "")),
            f"theme={target} into={form.get('into', '')}",
        ),
        "split": lambda: (
            book.split(target, [_theme(form, "a_"), _theme(form, "b_")]),
            f"theme={target} into={form.get('a_id', '')},{form.get('b_id', '')}",
        ),
        "import": lambda: _merge_import(book, load_yaml(form.get("yaml", ""))),
    }
    if action not in changes:
        raise CodebookError("Choose what to change.")
    new, detail = changes[action]()
    return new, str(detail)


def _merge_import(book: Codebook, incoming: Codebook) -> tuple[Codebook, str]:
    """An imported codebook replaces the themes it names; others are retired, never deleted."""
    names = {t.id for t in incoming.themes}
    kept = tuple(t for t in book.themes if t.id not in names)
    merged = Codebook(incoming.themes + kept)
    for theme in kept:
        if not theme.retired:
            merged = merged.retire(theme.id)
    return merged, f"themes={len(incoming.active)}"
