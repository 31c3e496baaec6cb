"""Load: the real service (several workers) driven over loopback by simulated people.

Run: .venv/bin/python benchmarks/load.py [--workers 2] [--people 200] [--db postgres|sqlite]
         [--concurrency 40 | --rate 150 [--think 1]]
Starts `speakup serve --workers N` on a fresh database, then a separate process sends signed
Twilio webhooks and web-chat posts for people completing the consultation, and reports messages
per second, latency (p50/p95/p99), errors, start-up time and memory per worker, then checks the
database holds exactly the expected answers.

Two shapes of load. Closed loop (default): ``--concurrency`` requests always in flight, which
finds the most messages a second; its latency is mostly queueing (Little's law: 40 in flight at
200/s is 200 ms each). Open loop (``--rate``): people arrive so that that many messages a second
are offered and pause ``--think`` seconds between messages, as people do; its latency is what a
person sees at that rate.

Targets (2 cores, PostgreSQL, redaction on): >= 300 messages/s, p95 <= 50 ms, 0 errors, 0 lost,
0 duplicated, start-up <= 3 s, <= 300 MB a worker.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import rawhttp
from serviceproc import (
    ANSWERS_EACH,
    NOT_SAVED,
    SCRIPT,
    Person,
    Service,
    cpu_seconds,
    drop_database,
    machine_line,
    machine_ticks,
    new_database,
    pss_mb,
    rss_mb,
    steal_and_iowait,
)
from sqlalchemy import create_engine, text


async def drive(
    base: str, people: int, concurrency: int, rate: float, think: float
) -> dict[str, object]:
    """Closed loop (rate 0): ``concurrency`` requests always in flight, for the most messages a
    second. Open loop: people arrive so that ``rate`` messages a second are offered, each pausing
    ``think`` seconds between a reply and their next message, so latency is not queueing that
    the load generator made."""
    latencies: list[float] = []
    errors = not_saved = 0
    run = secrets.randbelow(10_000)  # this run's phone numbers (rate limits in Redis last a day)
    sem = asyncio.Semaphore(concurrency if not rate else 100_000)

    async def send(client: rawhttp.Client, who: Person, message: str) -> bool:
        """One delivery; True if the person has to send it again (told it was not saved)."""
        nonlocal errors, not_saved
        async with sem:
            started = time.perf_counter()
            again = False
            try:
                url, form, headers = who.new_delivery(message)
                r = await client.post(url, data=form, headers=headers)
                if r.status_code != 200:
                    errors += 1
                elif NOT_SAVED in r.text:
                    not_saved += 1
                    again = True
            except rawhttp.HTTPError:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)
            return again

    async def person(client: rawhttp.Client, i: int) -> None:
        if rate:
            await asyncio.sleep(i * len(SCRIPT) / rate)  # arrivals spread evenly
        who = Person(i, base, run)
        for n, message in enumerate(SCRIPT):
            if rate and n:
                await asyncio.sleep(think)
            while await send(client, who, message):
                await asyncio.sleep(0.5)  # as asked: the same words again

    started = time.perf_counter()
    client = rawhttp.Client(base, concurrency if not rate else 1000)
    await asyncio.gather(*(person(client, i) for i in range(people)))
    await client.close()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))]

    return {
        "messages": len(latencies),
        "seconds": elapsed,
        "rate": len(latencies) / elapsed,
        "errors": errors,
        "not_saved": not_saved,
        "p50": statistics.median(ordered),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "driver_cpu": time.process_time(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=40, help="closed loop: in flight")
    parser.add_argument(
        "--rate", type=float, default=0, help="open loop: messages a second offered (0: closed)"
    )
    parser.add_argument("--think", type=float, default=1.0, help="open loop: seconds between")
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--drive", help=argparse.SUPPRESS)  # internal: run only the load generator
    args = parser.parse_args()
    if args.db == "sqlite" and args.workers > 1:
        print("SQLite serves one process: running 1 worker")
        args.workers = 1
    if args.drive:
        result = asyncio.run(
            drive(args.drive, args.people, args.concurrency, args.rate, args.think)
        )
        print(json.dumps(result))
        return 0

    tmp = tempfile.mkdtemp()
    url = new_database(args.db, "load", tmp)
    log = open(Path(tmp) / "server.log", "w")  # noqa: SIM115 (open for the life of the server)
    service = Service(url, "redis://127.0.0.1:6379/13", args.workers, log, migrate_first=True)
    base, startup = service.base, service.startup
    try:
        # Every worker up: ask a few times so each has answered once.
        for _ in range(10):
            httpx.get(base + "/readyz", timeout=5)
        workers = service.workers() or [service.proc.pid]  # one worker: uvicorn in the process
        cpu_before = sum(cpu_seconds(pid) for pid in workers)
        ticks_before = machine_ticks()
        driver = subprocess.run(
            [
                sys.executable,
                __file__,
                "--drive",
                base,
                "--people",
                str(args.people),
                "--concurrency",
                str(args.concurrency),
                "--rate",
                str(args.rate),
                "--think",
                str(args.think),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(driver.stdout.strip().splitlines()[-1])
        service_cpu = sum(cpu_seconds(pid) for pid in workers) - cpu_before
        stolen, disk_wait = steal_and_iowait(ticks_before, machine_ticks())
        memory = [rss_mb(pid) for pid in workers]
        shared = [pss_mb(pid) for pid in workers]
    finally:
        service.stop()
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(text("select count(*) from answers")).scalar() or 0
        distinct = (
            conn.execute(
                text(
                    "select count(*) from (select distinct conversation_id, question_id from answers) d"
                )
            ).scalar()
            or 0
        )
    engine.dispose()
    drop_database(url)
    expected = args.people * ANSWERS_EACH
    shape = (
        f"{args.rate:.0f} messages/s offered, {args.think:g} s between a person's messages"
        if args.rate
        else f"{args.concurrency} at once"
    )
    print(
        f"== load: {args.workers} workers on {args.db}, {args.people} people ({shape}), redaction on"
    )
    print(
        f"  start-up           {startup:.2f} s on a current schema [target <= 3 s];"
        f" migrating the new database first took {service.migrate_seconds:.2f} s"
    )
    if args.rate:
        print(
            f"  messages           {result['messages']} in {result['seconds']:.1f} s,"
            f" {args.rate:.0f}/s offered while people kept arriving [target >= 300/s]"
        )
    else:
        print(
            f"  messages           {result['messages']} in {result['seconds']:.1f} s = {result['rate']:.0f}/s [target >= 300/s]"
        )
    print(
        f"  latency            p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, p99 {result['p99']:.0f} ms [target p95 <= 50 ms]"
    )
    print(f"  errors             {result['errors']} [target 0]")
    print(f"  told 'not saved'   {result['not_saved']} (each sent again, as asked)")
    per = 1000 / max(1, int(result["messages"]))
    print(
        f"  CPU per message    service {service_cpu * per:.1f} ms (all workers),"
        f" load generator {float(result['driver_cpu']) * per:.1f} ms (same 2 cores)"
    )
    print(f"  machine            {machine_line()}")
    print(
        f"                     during the run {stolen:.0f}% of CPU time taken by the host (steal),"
        f" {disk_wait:.0f}% idle waiting for the disk (iowait); figures vary with both"
    )
    print(
        f"  memory per worker  RSS {', '.join(f'{m:.0f} MB' for m in memory)} [target <= 300 MB];"
        f" PSS {', '.join(f'{m:.0f} MB' for m in shared)} (forked pages shared)"
    )
    print(
        f"  answers stored     {stored} of {expected} expected; lost {max(0, expected - stored)}, duplicated {stored - distinct}"
    )
    ok = result["errors"] == 0 and stored == expected and stored == distinct
    print(f"  targets            {verdict(args.rate, result, startup, memory, ok)}")
    if args.db != "postgres":
        print("                     (the targets are set for PostgreSQL, as production runs)")
    return 0 if ok else 1


def verdict(
    offered: float, result: dict[str, object], startup: float, memory: list[float], ok: bool
) -> str:
    """Which of the issue's targets this run meets. The rate and p95 targets are one claim (300
    messages a second, each answered within 50 ms at p95): an open loop at 300/s or more tests
    both; a closed loop tests the rate only, since its latency is queueing it makes itself."""
    checks = {
        "start-up": startup <= 3,
        "memory": max(memory) <= 300,
        "0 errors/lost/duplicated": ok,
    }
    if offered >= 300:
        checks[f"{offered:.0f}/s offered with p95 <= 50 ms"] = float(result["p95"]) <= 50
        note = ""
    elif offered:
        note = " (rate and p95: offer 300/s or more to test them)"
    else:
        checks[">= 300/s"] = float(result["rate"]) >= 300
        note = " (p95: closed-loop latency is queueing; judge it with --rate 300)"
    met = [name for name, held in checks.items() if held]
    missed = [name for name, held in checks.items() if not held]
    return f"met: {', '.join(met) or 'none'}; not met: {', '.join(missed) or 'none'}{note}"


if __name__ == "__main__":
    raise SystemExit(main())
