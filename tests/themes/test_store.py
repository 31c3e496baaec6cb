"""The stored codebook: import and export through the command line, audited; codings."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from review.audit import verify_chain
from review.themes_staff.store import code_answer, confirmed_examples, load_codebook
from storage import Database
from storage.models import Answer, AuditEvent, Conversation, ThemeCoding, ThemeSuggestion
from tests.conftest import TEST_KEY
from themes.codebook import load_yaml

BOOK = """
themes:
  - id: housing
    name: Housing
    description: Homes and hostels.
  - id: money
    name: Money
    description: Allowances.
"""


def speakup(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "commands.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_import_then_export_round_trips_and_retires_what_went_missing(tmp_path: Path) -> None:
    env = {
        "SPEAKUP_ENV": "development",
        "SPEAKUP_SECRET_KEY": TEST_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path}/d.db",
    }
    assert speakup(["migrate"], env).returncode == 0
    first = tmp_path / "book.yml"
    first.write_text(BOOK)
    done = speakup(["themes", "import", str(first), "--by", "analyst@example.org"], env)
    assert done.returncode == 0, done.stderr
    out = speakup(["themes", "export"], env).stdout
    assert load_yaml(out).ids() == ["housing", "money"]
    second = tmp_path / "second.yml"
    second.write_text(BOOK.split("  - id: money")[0])
    assert speakup(["themes", "import", str(second)], env).returncode == 0
    assert load_yaml(speakup(["themes", "export"], env).stdout).ids() == ["housing"]
    everything = load_yaml(speakup(["themes", "export", "--include-retired"], env).stdout)
    assert everything.get("money").retired
    refreshed = speakup(["themes", "refresh"], env)
    assert refreshed.returncode == 0 and "refreshed for 0 answers" in refreshed.stdout
    bad = tmp_path / "bad.yml"
    bad.write_text("themes: [")
    refused = speakup(["themes", "import", str(bad)], env)
    assert refused.returncode == 2 and "YAML" in refused.stderr
    db = Database(env["DATABASE_URL"])
    with db.session() as s:
        actions = [e.action for e in s.query(AuditEvent).order_by(AuditEvent.id)]
        assert actions.count("themes_import") == 2
        assert verify_chain(s)[0]
        assert load_codebook(s).get("money").retired


def test_a_coding_records_who_when_and_whether_it_was_suggested(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/c.db")
    db.migrate()
    now = datetime.now(UTC)
    with db.session() as s:
        s.add(
            Conversation(
                id="c1", dialogue_id="d", channel="web", state={}, started_at=now, updated_at=now
            )
        )
        s.flush()
        s.add_all(
            [
                Answer(id=1, conversation_id="c1", question_id="q", text="no flat", created_at=now),
                Answer(id=2, conversation_id="c1", question_id="q", text="thanks", created_at=now),
            ]
        )
        s.flush()
        s.add(
            ThemeSuggestion(
                answer_id=1,
                theme_id="housing",
                score=0.9,
                chosen=True,
                rank=0,
                model_version="v",
                created_at=now,
            )
        )
        s.flush()
        assert code_answer(s, 1, ["housing", "money"], actor="a@x", now=now) == ["housing", "money"]
        code_answer(s, 2, [], actor="a@x", now=now)
    with db.session() as s:
        rows = {c.theme_id: c.suggested for c in s.query(ThemeCoding)}
        assert rows == {"housing": True, "money": False}
        examples = confirmed_examples(s)
        assert [(e.text, e.themes) for e in examples] == [
            ("no flat", ("housing", "money")),
            ("thanks", ()),
        ]
        assert next(e.detail for e in s.query(AuditEvent)) == "answer=1 themes=housing,money"
