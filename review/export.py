"""Export redacted answers as CSV or JSON Lines, safe to open in a spreadsheet.

Each file carries its export id and who made it; every export is recorded, so
``speakup withdrawals --since EXPORT`` can list what analysts must remove later.
"""

from __future__ import annotations

import csv
import json
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from dialogues.schema import Dialogue
from storage.models import Answer, Conversation, Export, Flag

FIELDS = (
    "export_id",
    "exported_by",
    "conversation",
    "question_id",
    "question",
    "answer",
    "channel",
    "route",
    "groups",
    "age_band",
    "day",
    "risk_level",
    "answer_flag",
)
_FORMULA_START = frozenset("=+-@\t\r|%")


def spreadsheet_safe(value: object) -> str:
    """Stop a cell being read as a formula (OWASP CSV injection guidance): prefix with a quote.

    The first character is judged after leading spaces and after folding fullwidth and other
    compatibility forms (a fullwidth equals sign is ``=`` to some spreadsheets)."""
    text = "" if value is None else str(value)
    first = unicodedata.normalize("NFKC", text.lstrip(" \u3000")[:1])[:1]
    starts = text[:1] in _FORMULA_START or first in _FORMULA_START
    return "'" + text if starts else text


class SafeCsvWriter:
    """The one CSV writer the app uses: every cell, headers too, goes through spreadsheet_safe."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([spreadsheet_safe(v) for v in row])


@dataclass(frozen=True)
class ExportResult:
    """The export's id and how many rows it wrote."""

    id: str
    rows: int


def coarsen(rows: list[dict[str, str]], k: int) -> int:
    """Make every (route, age band, day) group hold at least ``k`` people; return rows changed.

    Step by step: the day becomes its ISO week, then its month; if a group is still smaller than
    ``k``, route and age band are suppressed for that group.
    """

    def week(day: date) -> str:
        year, number, _ = day.isocalendar()
        return f"{year}-W{number:02d}"

    steps = (week, lambda day: day.strftime("%Y-%m"))
    original = [date.fromisoformat(r["day"]) for r in rows]
    changed: set[int] = set()
    for step in (*steps, None):
        people: dict[tuple[str, str, str], set[str]] = {}
        for r in rows:
            people.setdefault((r["route"], r["age_band"], r["day"]), set()).add(r["conversation"])
        small = {key for key, who in people.items() if len(who) < k}
        if not small:
            break
        for i, r in enumerate(rows):
            if (r["route"], r["age_band"], r["day"]) in small:
                changed.add(i)
                if step is None:
                    r["route"], r["age_band"] = "suppressed", "suppressed"
                else:
                    r["day"] = step(original[i])
    return len(changed)


@dataclass(frozen=True)
class ExportFilters:
    """Optional limits on what an export holds: one question, one group, a range of days."""

    question: str | None = None
    group: str | None = None
    until: date | None = None

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in self.__dict__.items() if v not in (None, "")]
        return " ".join(parts)


def _flagged(session: Session) -> dict[tuple[str, str], str]:
    """The highest queue level raised on each (conversation, redacted text), so an answer that
    was a risk disclosure reaches analysts marked as one (audit samples are not disclosures)."""
    rank = {"support": 1, "check": 2, "handoff_failed": 3, "urgent": 4}
    out: dict[tuple[str, str], str] = {}
    for cid, text, level in session.execute(
        select(Flag.conversation_id, Flag.text, Flag.level).where(
            Flag.conversation_id.is_not(None), Flag.text.is_not(None), Flag.level.in_(rank)
        )
    ):
        key = (str(cid), str(text))
        if rank[level] > rank.get(out.get(key, ""), 0):
            out[key] = level
    return out


def _rows(
    session: Session,
    dialogue: Dialogue,
    since: date | None,
    limits: ExportFilters | None = None,
) -> Iterator[dict[str, str]]:
    questions = {s.id: s.prompt.split("\n", 1)[-1] for s in dialogue.steps}
    limits = limits or ExportFilters()
    stmt = (
        select(Answer, Conversation)
        .join(Conversation, Conversation.id == Answer.conversation_id)
        .where(Answer.hidden.is_(False))
        .order_by(Answer.created_at, Answer.id)
    )
    if since is not None:
        stmt = stmt.where(Answer.created_at >= datetime.combine(since, datetime.min.time()))
    if limits.until is not None:
        stmt = stmt.where(Answer.created_at <= datetime.combine(limits.until, datetime.max.time()))
    if limits.question:
        stmt = stmt.where(Answer.question_id == limits.question)
    flagged = _flagged(session)
    for answer, conv in session.execute(stmt):
        if limits.group and limits.group not in (conv.groups or []):
            continue
        yield {
            "conversation": conv.id,
            "question_id": answer.question_id,
            "question": questions.get(answer.question_id, ""),
            "answer": answer.text,
            "channel": conv.channel,
            "route": conv.route or "",
            "groups": " ".join(conv.groups or []),
            "age_band": conv.age_band or "",
            "day": answer.created_at.date().isoformat(),  # never the time of day
            "risk_level": conv.risk_level or "none",
            "answer_flag": flagged.get((conv.id, answer.text), ""),
        }


def export_answers(
    session: Session,
    dialogue: Dialogue,
    out: TextIO,
    *,
    fmt: str,
    by: str,
    now: datetime,
    since: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    min_group: int = 10,
    limits: ExportFilters | None = None,
    bom: bool = False,
) -> ExportResult:
    """Write every visible redacted answer to ``out`` and record the export. ``risk_level`` is
    the conversation's highest risk; ``answer_flag`` the queue level this answer raised, if any.
    ``bom`` starts a CSV with a UTF-8 byte order mark, so spreadsheet apps read it as UTF-8."""
    export_id = str(uuid.uuid4())
    writer = SafeCsvWriter(out) if fmt == "csv" else None
    if writer is not None:
        if bom:
            out.write("\ufeff")
        writer.writerow(FIELDS)
    rows = list(_rows(session, dialogue, since, limits))
    coarsen(rows, min_group)
    count = 0
    for row in rows:
        full = {"export_id": export_id, "exported_by": by, **row}
        if writer is not None:
            writer.writerow(full[k] for k in FIELDS)
        else:
            out.write(json.dumps(full) + "\n")
        count += 1
        if progress is not None:
            progress(count, len(rows))
    session.add(Export(id=export_id, created_at=now, created_by=by, format=fmt, rows=count))
    return ExportResult(export_id, count)
