"""The findings summary table stays equal to counting the answers, through codings and rebuilds;
kept embeddings spare the encoder on the next refresh."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import insert, select, update

from review.themes_staff.engine import VECTOR, ThemeEngine, text_key
from review.themes_staff.queries import BREAKDOWNS, findings, findings_live
from review.themes_staff.store import code_answer, save_codebook
from storage import Database
from storage.models import (
    Answer,
    Conversation,
    ThemeEmbedding,
    ThemeSuggestion,
    ThemeSummary,
    Withdrawal,
)
from storage.theme_summary import built_at, outdated, rebuild
from themes.codebook import load_yaml
from themes.encoder import Encoder

THEMES = ["housing", "money", "school", "carers"]
QUESTIONS = ["q1", "q2", "q3"]
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _seed(db: Database, people: int = 40) -> None:
    rnd = random.Random(3)
    with db.session() as s:
        s.execute(
            insert(Conversation),
            [
                {
                    "id": f"c{i}",
                    "dialogue_id": "d",
                    "channel": rnd.choice(["sms", "web"]),
                    "route": rnd.choice([None, "hostel-7"]),
                    "consented": True,
                    "groups": rnd.choice([None, [], ["parent"], ["care_leaver", "parent"]]),
                    "age_band": rnd.choice([None, "16-17", "18-25"]),
                    "state": {},
                    "started_at": NOW,
                    "updated_at": NOW,
                }
                for i in range(people)
            ],
        )
        answers = [
            {
                "id": n + 1,
                "conversation_id": f"c{n % people}",
                "question_id": QUESTIONS[n % 3],
                "text": f"answer {n}",
                "hidden": n % 17 == 0,
                "created_at": NOW,
            }
            for n in range(people * 3)
        ]
        s.execute(insert(Answer), answers)
        s.execute(
            insert(ThemeSuggestion),
            [
                {
                    "answer_id": a["id"],
                    "theme_id": theme,
                    "score": rnd.random(),
                    "rank": rank,
                    "chosen": rnd.random() < 0.6,
                    "model_version": "v",
                    "created_at": NOW,
                }
                for a in answers
                for rank, theme in enumerate(rnd.sample(THEMES, 2))
            ],
        )


def _same(db: Database) -> None:
    with db.session() as s:
        for question in [None, *QUESTIONS]:
            for by in BREAKDOWNS:
                fast, live = findings(s, question, by), findings_live(s, question, by)
                assert fast.answers == live.answers
                assert sorted(fast.rows) == sorted(live.rows), (question, by)
                assert fast.breakdown == live.breakdown, (question, by)


def test_summary_matches_the_live_counts_through_codings_and_rebuilds(any_db: Database) -> None:
    _seed(any_db)
    with any_db.session() as s:
        assert built_at(s) is None  # not built: the pages count live
        rebuild(s, NOW)
    _same(any_db)
    rnd = random.Random(5)
    with any_db.session() as s:
        for n, answer in enumerate(rnd.sample(range(1, 121), 30)):
            themes = rnd.sample(THEMES, rnd.randint(0, 2))
            code_answer(s, answer, themes, actor="a@x", now=NOW + timedelta(seconds=n))
        for answer in (5, 6, 7):  # a second decision replaces the first
            code_answer(s, answer, ["school"], actor="b@x", now=NOW + timedelta(minutes=5))
    _same(any_db)
    with any_db.session() as s:  # an answer hidden: caught by the next rebuild
        s.execute(update(Answer).where(Answer.id == 8).values(hidden=True))
        rebuild(s, NOW)
        assert built_at(s) == NOW.isoformat()
        empty = select(ThemeSummary.people).where(
            ThemeSummary.people <= 0, ThemeSummary.theme_id != ""
        )
        assert s.scalar(empty) is None  # no row left at zero
    _same(any_db)
    with any_db.session() as s:  # a withdrawal after the rebuild: the page asks for another
        assert not outdated(s)
        s.add(Withdrawal(conversation_id="c9", at=NOW + timedelta(hours=1)))
        s.flush()
        assert outdated(s)
        rebuild(s, NOW + timedelta(hours=2))
        assert not outdated(s)


BOOK = """themes:
  - id: money
    name: Money
    description: "Money, allowances, grants, benefits and poverty."
  - id: housing
    name: Housing
    description: "Homes, hostels, flats and being homeless."
"""


def test_refresh_keeps_embeddings_and_embeds_only_new_or_changed_answers(
    sqlite_db: Database,
) -> None:
    texts = ["my allowance ran out", "the hostel was cold", "nothing to add", "no money for food"]
    with sqlite_db.session() as s:
        save_codebook(s, load_yaml(BOOK), actor="t", action="themes_import", detail="", now=NOW)
        s.add(Conversation(id="c1", dialogue_id="d", channel="web", state={}, started_at=NOW,
                           updated_at=NOW))  # fmt: skip
        s.flush()
        for n, text in enumerate(texts):
            s.add(
                Answer(id=n + 1, conversation_id="c1", question_id="q", text=text, created_at=NOW)
            )
    engine = ThemeEngine(sqlite_db)
    assert engine.refresh() == 4 and engine.embedded == 4

    def stored() -> tuple[dict[int, bytes], list[tuple[int, str, float, bool]]]:
        with sqlite_db.session() as s:
            vecs = dict(s.execute(select(ThemeEmbedding.answer_id, ThemeEmbedding.vector)).all())
            rows = s.execute(
                select(
                    ThemeSuggestion.answer_id,
                    ThemeSuggestion.theme_id,
                    ThemeSuggestion.score,
                    ThemeSuggestion.chosen,
                ).order_by(ThemeSuggestion.answer_id, ThemeSuggestion.rank)
            ).all()
        return vecs, [tuple(r) for r in rows]

    vecs, first = stored()
    unbatched = np.vstack([Encoder().encode([t]) for t in texts])
    kept = np.vstack([np.frombuffer(vecs[n + 1], dtype=VECTOR) for n in range(4)])
    assert np.allclose(kept, unbatched, atol=1e-5)
    assert engine.refresh() == 4 and engine.embedded == 0  # all kept: the encoder rests
    assert stored() == (vecs, first)  # and the suggestions are exactly the same
    with sqlite_db.session() as s:  # re-redacted text: embedded again
        s.execute(update(Answer).where(Answer.id == 2).values(text="the hostel was [NAME]"))
        s.execute(update(Answer).where(Answer.id == 3).values(hidden=True))
    assert engine.refresh() == 3 and engine.embedded == 1
    with sqlite_db.session() as s:
        hashes = dict(s.execute(select(ThemeEmbedding.answer_id, ThemeEmbedding.text_hash)).all())
        assert hashes == {
            1: text_key(texts[0]),
            2: text_key("the hostel was [NAME]"),
            4: text_key(texts[3]),
        }  # a hidden answer's vector is not kept
        assert built_at(s) is not None


def test_a_reported_answer_loses_its_kept_embedding(sqlite_db: Database) -> None:
    from storage.maintenance import reredact_answer

    with sqlite_db.session() as s:
        s.add(Conversation(id="c1", dialogue_id="d", channel="web", state={}, started_at=NOW,
                           updated_at=NOW))  # fmt: skip
        s.flush()
        s.add(Answer(id=1, conversation_id="c1", question_id="q", text="Jo said", created_at=NOW))
        s.flush()
        s.add(ThemeEmbedding(answer_id=1, text_hash=text_key("Jo said"), vector=b"\0" * 1536))
    with sqlite_db.session() as s:
        assert reredact_answer(s, object(), 1, hide=True) == "hidden"  # type: ignore[arg-type]
    with sqlite_db.session() as s:
        assert s.scalar(select(ThemeEmbedding.answer_id)) is None
