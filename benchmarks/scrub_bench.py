"""What keeping removed words out of the SQLite file costs (finding M7), on N stored answers.

Run: .venv/bin/python benchmarks/scrub_bench.py [--answers 100000] [--withdrawals 5]
Prints, for one withdrawal (DELETE <code>: its answers deleted in one unit of work), the delete's
own time and the scrub that follows its commit (FTS5 optimize + WAL checkpoint TRUNCATE), and for
``speakup reredact --all`` the rate per answer (with a stand-in redactor: the real one's cost is
``benchmarks/privacy_eval.py``'s) and its closing sweep (optimize + VACUUM + checkpoint).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, update  # noqa: E402

from privacy import RedactionResult  # noqa: E402
from storage import Database, Repository  # noqa: E402
from storage.maintenance import reredact_all  # noqa: E402
from storage.models import Answer, Conversation  # noqa: E402


class Unchanged:
    """A stand-in redactor that finds nothing: the run's own cost, without the model's."""

    def redact(self, text: str) -> RedactionResult:
        return RedactionResult(text, ())


def seed(db: Database, answers: int, rnd: random.Random) -> None:
    vocab = [
        "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(3, 9)))
        for _ in range(20000)
    ]
    now = datetime.now(UTC)
    per = 5
    with db.transaction() as conn:
        conn.execute(
            insert(Conversation),
            [
                {
                    "id": f"c{i}",
                    "dialogue_id": "d",
                    "channel": "sms",
                    "status": "finished",
                    "state": {},
                    "started_at": now,
                    "updated_at": now,
                }
                for i in range(answers // per)
            ],
        )
        conn.execute(
            insert(Answer),
            [
                {
                    "conversation_id": f"c{i // per}",
                    "question_id": "q",
                    "entity_types": [],
                    "text": " ".join(rnd.choice(vocab) for _ in range(rnd.randint(5, 60))),
                    "created_at": now,
                }
                for i in range(answers)
            ],
        )
    db.scrub_removed()  # start from one merged index, as a deployment's first withdrawal finds it


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--withdrawals", type=int, default=5)
    args = parser.parse_args()
    rnd = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        db = Database(f"sqlite:///{path}")
        db.migrate()
        started = time.perf_counter()
        seed(db, args.answers, rnd)
        print(
            f"seeded {args.answers} answers in {time.perf_counter() - started:.1f} s; "
            f"file {os.path.getsize(path) / 1e6:.1f} MB"
        )
        deletes, scrubs = [], []
        for _ in range(args.withdrawals):
            cid = f"c{rnd.randrange(args.answers // 5)}"
            t0 = time.perf_counter()
            with db.engine.begin() as conn:  # the withdrawal's unit of work, without its scrub
                Repository(conn).delete_answers(cid, datetime.now(UTC))
                conn.info.clear()
            t1 = time.perf_counter()
            assert db.scrub_removed()
            t2 = time.perf_counter()
            deletes.append(t1 - t0)
            scrubs.append(t2 - t1)
        print(
            f"withdrawal: delete {statistics.median(deletes) * 1000:.1f} ms median; "
            f"scrub after commit {statistics.median(scrubs) * 1000:.0f} ms median, "
            f"{max(scrubs) * 1000:.0f} ms max (n={args.withdrawals})"
        )
        with db.transaction() as conn:
            conn.execute(update(Answer).values(redaction_version=None))
        progress: list[float] = []
        t0 = time.perf_counter()
        report = reredact_all(
            db, Unchanged(), progress=lambda r: progress.append(time.perf_counter())
        )
        total = time.perf_counter() - t0
        sweep = total - (progress[-1] - t0)
        print(
            f"reredact --all: {report.done} answers in {total:.1f} s "
            f"({(total - sweep) / max(report.done, 1) * 1e6:.0f} us per answer without the model); "
            f"closing sweep (optimize + VACUUM + checkpoint) {sweep:.1f} s; "
            f"log after: {os.path.getsize(str(path) + '-wal')} bytes"
        )
        db.dispose()


if __name__ == "__main__":
    main()
