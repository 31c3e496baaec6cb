"""The dashboard: headline numbers, breakdowns by group, age, channel and route with small
numbers suppressed, a range of dates, and a table of the figures beside every chart."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from review import charts
from review.auth import StaffSession
from review.base import ReviewBase
from review.pages.figures import figures
from review.pages.forms import date_range
from review.pages.labels import CHANNELS, LEVELS, day, humanise


@dataclass
class Section:
    """One chart and the table of its figures."""

    id: str
    heading: str
    svg: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)


class DashboardViews(ReviewBase):
    """The dashboard page (every role)."""

    def _breakdown(
        self, ident: str, heading: str, counted: list[tuple[str, int | None]], name: Any, k: int
    ) -> Section:
        fewer = f"fewer than {k}"
        labelled = [(name(key) if key else "Not given", n) for key, n in counted]
        svg = charts.bar_chart(
            heading,
            [(label, {"people": n or 0}) for label, n in labelled],
            notes={label: fewer for label, n in labelled if n is None},
        )
        rows = [[label, fewer if n is None else str(n)] for label, n in labelled]
        return Section(ident, heading, svg, ["", "People"], rows)

    async def dashboard(self, request: Request, session: StaffSession) -> Response:
        q = request.query_params
        start, end, errors = date_range(q)
        k = self.config.review.export_min_group_size
        order = [st.id for st in self.dialogue.steps if st.kind == "text"]

        def load() -> dict[str, Any]:
            with self.db.session() as s:
                return figures(s, order, start=start, end=end, now=datetime.now(UTC), k=k)

        data = await run_in_threadpool(load) if not errors else None
        sections: list[Section] = []
        if data is not None:
            sections = self._sections(data, k)
        return self.page(
            request,
            session,
            "dashboard.html",
            status=400 if errors else 200,
            data=data,
            sections=sections,
            errors=errors,
            query=q,
            k=k,
            start=start,
            end=end,
        )

    def _sections(self, data: dict[str, Any], k: int) -> list[Section]:
        lab = self.labels
        out = [
            self._breakdown("groups", "Who took part, by group", data["groups"], lab.group, k),
            self._breakdown("ages", "By age", data["ages"], lab.age, k),
            self._breakdown(
                "channels", "By channel", data["channels"], lambda c: CHANNELS.get(c, c), k
            ),
            self._breakdown("routes", "By partner route", data["routes"], lab.route, k),
        ]
        # Counts of people are suppressed everywhere below k, as in the breakdowns above; the
        # safeguarding items per day stay exact (the team needs them, and they name no group).
        fewer = f"fewer than {k}"

        def cell(n: int) -> str:
            return fewer if 0 < n < k else str(n)

        def bar(n: int) -> int:
            return 0 if 0 < n < k else n

        channels = sorted({c for _, v in data["per_day"] for c in v})
        names = [CHANNELS.get(c, humanise(c)) for c in channels]
        per_day = [
            (_day(d), {CHANNELS.get(c, c): bar(n) for c, n in v.items()})
            for d, v in data["per_day"]
        ]
        out.append(
            Section(
                "per-day",
                "Conversations started per day, by channel",
                charts.bar_chart(
                    "Conversations started per day, by channel",
                    per_day,
                    notes={d: fewer for d, v in per_day if not sum(v.values())},
                ),
                ["Day", *names, "Total"],
                [
                    [_day(d), *(cell(v.get(c, 0)) for c in channels), cell(sum(v.values()))]
                    for d, v in data["per_day"]
                ],
            )
        )
        questions = [(lab.question(qid), n) for qid, n in data["per_question"]]
        out.append(
            Section(
                "drop-off",
                "Drop-off: people who answered each question",
                charts.bar_chart(
                    "People who answered each question",
                    [(label, {"answered": bar(n)}) for label, n in questions],
                    notes={label: fewer for label, n in questions if 0 < n < k},
                ),
                ["Question", "People"],
                [[label, cell(n)] for label, n in questions],
            )
        )
        levels = sorted({lv for _, v in data["flags"] for lv in v})
        out.append(
            Section(
                "flags",
                "Safeguarding items per day",
                charts.bar_chart(
                    "Safeguarding items per day",
                    [
                        (_day(d), {LEVELS.get(lv, lv): n for lv, n in v.items()})
                        for d, v in data["flags"]
                    ],
                ),
                ["Day", *(LEVELS.get(lv, humanise(lv)) for lv in levels), "Total"],
                [
                    [_day(d), *(str(v.get(lv, 0)) for lv in levels), str(sum(v.values()))]
                    for d, v in data["flags"]
                ],
            )
        )
        return out


def _day(raw: str) -> str:
    try:
        return day(date.fromisoformat(raw[:10]))
    except ValueError:
        return raw
