"""The new staff queries on SQLite and PostgreSQL: answers to one question (search, group, age,
channel, dates), dashboard figures with suppression, and the export's filters and risk columns."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, date, datetime, timedelta

from dialogues import load_dialogue
from review.export import ExportFilters, export_answers
from review.pages.answers import AnswerFilters, answers_to, question_counts
from review.pages.figures import figures, suppress
from storage import Database
from storage.models import Answer, Conversation, Flag

NOW = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)


def fill(db: Database) -> None:
    people = [
        ("sms", ["in_care"], "12_15", "urgent", "he will hurt my little sister"),
        ("web", ["parent", "kinship_carer"], "25_39", "none", "more money for kinship carers"),
        ("web", None, None, "none", "better housing for care leavers"),
    ]
    with db.session() as s:
        for i, (channel, groups, age, risk, text) in enumerate(people):
            cid = str(uuid.uuid4())
            at = NOW - timedelta(days=10 * i)
            s.add(
                Conversation(
                    id=cid,
                    dialogue_id="consultation",
                    channel=channel,
                    status="finished" if i == 0 else "active",
                    consented=True,
                    groups=groups,
                    age_band=age,
                    risk_level=risk,
                    state={},
                    started_at=at,
                    updated_at=at,
                )
            )
            s.flush()
            s.add(Answer(conversation_id=cid, question_id="big_question", text=text, created_at=at))
            if risk == "urgent":
                s.add(
                    Flag(
                        conversation_id=cid,
                        level="urgent",
                        kinds=["threat_to_others"],
                        who="self",
                        reasons=["threat_by_writer"],
                        text=text,
                        created_at=at,
                    )
                )


def test_answers_to_one_question(any_db: Database) -> None:
    fill(any_db)
    with any_db.session() as s:
        assert question_counts(s, staff_id=1) == {"big_question": 3}
        rows, total = answers_to(s, "big_question", AnswerFilters(), 1)
        assert total == 3 and rows[0]["text"] == "he will hurt my little sister"  # newest first
        for f, expected in (
            (AnswerFilters(search="kinship"), 1),
            (AnswerFilters(group="kinship_carer"), 1),
            (AnswerFilters(group="care_leaver"), 0),
            (AnswerFilters(age_band="12_15"), 1),
            (AnswerFilters(channel="web"), 2),
            (AnswerFilters(start=date(2026, 11, 25)), 1),
            (AnswerFilters(end=date(2026, 11, 25)), 2),
        ):
            assert answers_to(s, "big_question", f, 1)[1] == expected, f


def test_dashboard_figures(any_db: Database) -> None:
    fill(any_db)
    with any_db.session() as s:
        data = figures(s, ["big_question"], start=None, end=None, now=NOW, k=2)
        assert (data["total"], data["finished"], data["completion"], data["week"]) == (3, 1, 33, 1)
        assert dict(data["channels"]) == {"web": 2, "sms": None}  # one person: suppressed
        assert data["per_question"] == [("big_question", 3)]
        later = figures(s, [], start=date(2026, 11, 25), end=date(2026, 11, 30), now=NOW, k=1)
        assert later["total"] == 1 and dict(later["ages"]) == {"12_15": 1}
    assert suppress({"a": 0, "b": 5, "c": 12}, 10) == [("c", 12), ("b", None), ("a", 0)]


def test_export_filters_and_risk_columns(any_db: Database) -> None:
    fill(any_db)
    with any_db.session() as s:
        out = io.StringIO()
        export_answers(s, load_dialogue(), out, fmt="jsonl", by="t", now=NOW, min_group=1)
        rows = [json.loads(line) for line in out.getvalue().splitlines()]
        flagged = [r for r in rows if r["answer_flag"]]
        assert len(rows) == 3 and len(flagged) == 1
        assert flagged[0]["risk_level"] == "urgent" and flagged[0]["answer_flag"] == "urgent"
        out = io.StringIO()
        export_answers(
            s,
            load_dialogue(),
            out,
            fmt="csv",
            by="t",
            now=NOW,
            min_group=1,
            limits=ExportFilters(group="parent", until=date(2026, 11, 25)),
            bom=True,
        )
        text = out.getvalue()
        assert text.startswith("\ufeffexport_id,")
        parsed = list(csv.DictReader(io.StringIO(text[1:])))
        assert [r["answer"] for r in parsed] == ["more money for kinship carers"]
