"""The message path's cost, one message at a time in one process: CPU and statements a message.

Run: .venv/bin/python benchmarks/pathcost.py [--people 200] [--db postgres|sqlite] [--repeat 3]

The load benchmark's figures move with this machine's speed from one minute to the next; this
one takes the network, the HTTP server and concurrency out, so two versions of the code can be
compared with each other in the same minute. It builds the service as ``speakup serve`` does
(redaction on, Redis rate limits when REDIS_URL is set), sends each simulated person's
consultation through ``ConversationService.handle`` as signed-in SMS deliveries, and prints the
CPU time and database statements a message, best of ``--repeat`` rounds (the least disturbed).
"""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from serviceproc import SCRIPT, drop_database, machine_line, new_database
from sqlalchemy import event

from bot.messages import InboundMessage
from config.settings import Settings
from server.app import build_components
from server.service import ChannelInfo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = new_database(args.db, "path", tempfile.mkdtemp())
    settings = Settings(
        speakup_env="production",
        speakup_secret_key=secrets.token_urlsafe(40),
        speakup_session_secret=secrets.token_urlsafe(40),
        database_url=url,
        redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13"),
    )
    parts = build_components(settings)
    parts.db.migrate()
    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(parts.db.engine, "before_cursor_execute", count)
    sms = ChannelInfo(kind="sms")
    run = secrets.randbelow(10_000)
    rounds = []
    try:
        for round_ in range(args.repeat):
            statements = 0
            cpu, wall = time.process_time(), time.perf_counter()
            for i in range(args.people):
                sender = f"+447{run:04d}{round_:02d}{i:04d}"
                for message in SCRIPT:
                    inbound = InboundMessage(
                        channel="sms",
                        sender=sender,
                        text=message,
                        received_at=datetime.now(UTC),
                        message_id="SM" + uuid.uuid4().hex,
                    )
                    parts.service.handle(inbound, sms)
            messages = args.people * len(SCRIPT)
            rounds.append(
                (
                    (time.process_time() - cpu) * 1000 / messages,
                    (time.perf_counter() - wall) * 1000 / messages,
                    statements / messages,
                )
            )
    finally:
        parts.db.dispose()
        drop_database(url)
    cpu_ms, wall_ms, per = min(rounds)
    print(
        f"== message path on {args.db}, {args.people} people x {len(SCRIPT)} messages, redaction on"
    )
    print(
        f"  CPU a message      {cpu_ms:.2f} ms (best of {args.repeat}: "
        + ", ".join(f"{r[0]:.2f}" for r in rounds)
        + ")"
    )
    print(f"  wall a message     {wall_ms:.2f} ms (one at a time: includes database round trips)")
    print(f"  statements         {per:.1f} a message")
    print(f"  machine            {machine_line()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
