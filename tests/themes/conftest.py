"""The staff app fixture from the review tests, for the theme pages; stored answers for them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from storage import Database
from storage.models import Answer, Conversation
from tests.review.conftest import env  # noqa: F401


def add_answers(db: Database, answers: dict[str, list[str]]) -> None:
    """Each text as one person's answer to ``not_working`` (at most three themes)."""
    now = datetime.now(UTC)
    with db.session() as s:
        for n, (_, texts) in enumerate(sorted(answers.items())):
            for i, text in enumerate(texts):
                cid = str(uuid.uuid4())
                s.add(
                    Conversation(
                        id=cid,
                        dialogue_id="consultation",
                        channel=("sms", "web")[i % 2],
                        consented=True,
                        groups=["care_leaver"],
                        age_band="18-25",
                        state={},
                        started_at=now,
                        updated_at=now,
                    )
                )
                s.flush()
                s.add(
                    Answer(
                        conversation_id=cid, question_id="not_working", text=text, created_at=now
                    )
                )
            assert n < 3
