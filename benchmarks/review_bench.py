"""Seed 100 000 answers and time the staff pages: list, search and transcript (median, p95).

Run: .venv/bin/python benchmarks/review_bench.py [--answers N] [--runs N] [--db sqlite|postgres|both]
     .venv/bin/python benchmarks/review_bench.py --themes [--scratch N] ...
Uses the real app over loopback HTTP with a signed-in admin. Target: p95 <= 300 ms.
``--themes`` seeds the dev set's answer texts instead, refreshes every answer's theme suggestions
(targets: within 10 minutes, with kept embeddings and from scratch, ``benchmarks/theme_bench.py``)
and times the findings and coding pages too.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

import httpx  # noqa: E402
import pyotp  # noqa: E402
import theme_bench  # noqa: E402  (beside this script)
from sqlalchemy import create_engine, insert, text  # noqa: E402

from config.settings import load_settings  # noqa: E402
from review.auth import SecretBox  # noqa: E402
from review.staff import add_staff  # noqa: E402
from server.app import build_components, create_app  # noqa: E402
from storage.models import Answer, Conversation  # noqa: E402
from tests.live import serve  # noqa: E402

COMMON = [
    "social",
    "worker",
    "foster",
    "carer",
    "kinship",
    "money",
    "support",
    "home",
    "family",
    "placement",
    "school",
    "moved",
    "listen",
    "stay",
    "contact",
    "court",
    "review",
    "plan",
    "team",
    "help",
    "time",
    "care",
    "leaver",
    "housing",
    "the",
    "and",
    "to",
]
# A long tail of rarer words, as real answers have: 3000 made-up words with Zipf-like frequencies.
RARE = [f"w{i:04d}" for i in range(3000)]


def word(rng: random.Random) -> str:
    return rng.choice(COMMON) if rng.random() < 0.6 else RARE[int(rng.paretovariate(1.1)) % 3000]


QUESTIONS = ("big_question", "works_well", "not_working", "change_now", "change_later")


def seed(url: str, answers: int, texts: list[str] | None = None) -> None:
    engine = create_engine(url)
    rng = random.Random(7)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    per_conv = len(QUESTIONS)
    convs: list[dict[str, object]] = []
    rows: list[dict[str, object]] = []
    for i in range(answers // per_conv):
        cid = str(uuid.UUID(int=rng.getrandbits(128)))
        at = start + timedelta(minutes=i)
        convs.append(
            {
                "id": cid,
                "dialogue_id": "icsc-2021",
                "channel": rng.choice(("web", "sms", "whatsapp", "telegram")),
                "route": rng.choice((None, None, None, "hostel-7")),
                "status": rng.choice(("finished", "closed")),
                "consented": True,
                "risk_level": rng.choice(("none",) * 8 + ("support", "urgent")),
                "groups": rng.choice((None, ["care_leaver"], ["parent"], ["in_care", "parent"])),
                "age_band": rng.choice((None, "13-15", "16-17", "18-25", "26+")),
                "state": {},
                "started_at": at,
                "updated_at": at,
            }
        )
        for q in QUESTIONS:
            rows.append(
                {
                    "conversation_id": cid,
                    "question_id": q,
                    "entity_types": [],
                    "hidden": False,
                    "reported": False,
                    "text": texts[len(rows)]
                    if texts
                    else " ".join(word(rng) for _ in range(rng.randint(8, 40))),
                    "created_at": at,
                }
            )
    with engine.begin() as conn:
        for i in range(0, len(convs), 5000):
            conn.execute(insert(Conversation), convs[i : i + 5000])
        for i in range(0, len(rows), 5000):
            conn.execute(insert(Answer), rows[i : i + 5000])
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
    engine.dispose()


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def bench(
    name: str, url: str, answers: int, runs: int, tmp: Path, scratch: int | None = None
) -> None:
    """Seed and time the pages; with ``scratch`` (themes), the theme refresh and pages too."""
    settings = load_settings(speakup_env="test", speakup_secret_key="b" * 48, database_url=url)
    parts = build_components(settings)
    parts.db.migrate()
    started = time.perf_counter()
    seed(url, answers, theme_bench.texts(answers) if scratch is not None else None)
    seeded = time.perf_counter() - started
    figures = theme_bench.prepare(parts.db, scratch) if scratch is not None else {}
    with parts.db.session() as s:
        account = add_staff(
            s, SecretBox(settings.session_secret()), "bench@example.org", "admin", datetime.now(UTC)
        )
    with (
        serve(create_app(settings, parts)) as base,
        httpx.Client(base_url=base, timeout=60) as client,
    ):
        client.post(
            "/review/login",
            data={
                "email": account.email,
                "password": account.password,
                "code": pyotp.TOTP(account.totp_secret).now(),
            },
        )
        listing = client.get("/review/transcripts").text
        cid = re.findall(r'href="/review/transcripts/([0-9a-f-]{36})"', listing)[0]
        results = {
            "list, page 1": timed(lambda: client.get("/review/transcripts"), runs),
            "list, filtered (channel + risk)": timed(
                lambda: client.get(
                    "/review/transcripts", params={"channel": "sms", "risk": "urgent"}
                ),
                runs,
            ),
            "list, page 50": timed(
                lambda: client.get("/review/transcripts", params={"page": "50"}), runs
            ),
            "search, a rare word": timed(
                lambda: client.get("/review/transcripts", params={"q": "w0040"}), runs
            ),
            "search, two words": timed(
                lambda: client.get("/review/transcripts", params={"q": "kinship w0012"}), runs
            ),
            "search, a word in most answers": timed(
                lambda: client.get("/review/transcripts", params={"q": "kinship"}), runs
            ),
            "transcript page": timed(lambda: client.get(f"/review/transcripts/{cid}"), runs),
        }
        if scratch is not None:
            results |= theme_bench.pages(client, runs, timed)
    parts.db.dispose()
    print(
        f"\n== {name}: {answers} answers (seeded in {seeded:.1f} s), {runs} runs each; target p95 <= 300 ms"
    )
    for label, (median, p95) in results.items():
        flag = "" if p95 <= 300 else "  (over target)"
        print(f"  {label:52} median {median:7.1f} ms   p95 {p95:7.1f} ms{flag}")
    if figures:
        theme_bench.report(figures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--themes", action="store_true", help="theme refresh and pages too")
    parser.add_argument(
        "--scratch", type=int, default=2000, help="with --themes: answers embedded from scratch"
    )
    args = parser.parse_args()
    scratch = min(args.scratch, args.answers) if args.themes else None
    with tempfile.TemporaryDirectory() as tmp:
        if args.db in ("sqlite", "both"):
            bench(
                "SQLite", f"sqlite:///{tmp}/bench.db", args.answers, args.runs, Path(tmp), scratch
            )
        if args.db in ("postgres", "both"):
            admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
            name = f"bench_{uuid.uuid4().hex[:8]}"
            with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text(f"CREATE DATABASE {name}"))
            try:
                bench(
                    "PostgreSQL",
                    f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}",
                    args.answers,
                    args.runs,
                    Path(tmp),
                    scratch,
                )
            finally:
                with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
                admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
