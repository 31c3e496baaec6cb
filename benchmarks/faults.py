"""Faults under load: a worker killed mid-request, PostgreSQL crashed and restarted, Redis stopped.

Run: .venv/bin/python benchmarks/faults.py [--arrivals 5] [--concurrency 24] [--workers 2]

It runs its own PostgreSQL (initdb in a temporary folder) and its own Redis on free loopback
ports, never the machine's shared ones, and the real service (`speakup serve --workers N`) on
them. Simulated people complete the consultation by signed Twilio SMS and web chat while the
faults happen. The simulated provider retries a delivery (same MessageSid) after a connection
error, a timeout or a 5xx, as Twilio does with connection overrides; a person told "not saved"
sends the same words again, as they were asked.

Afterwards it checks, for every person: each answer that was acknowledged (the reply moved on) is
stored exactly once; none is missing; every message that was not saved got a reply saying so; the
service answered by itself after each fault. The report lists each fault and its outcome.
Exit status 0 only if every check holds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from serviceproc import NOT_SAVED, SCRIPT, Person, Service, free_port
from sqlalchemy import create_engine, text

PG_BIN = Path("/usr/lib/postgresql/15/bin")
RETRY_DELAYS = (0.5, 1, 2, 4, 8, 8)  # the provider's backoff; about 24 s in all
ANSWER = re.compile(r"^Answer (\d) of person (\d+):")


# --- our own PostgreSQL and Redis --------------------------------------------------------------
def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: drop to the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class OwnPostgres:
    def __init__(self, root: Path) -> None:
        self.dir = root / "pg"
        self.dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(root, "postgres")
            shutil.chown(self.dir, "postgres")
        self.port = free_port()
        self.bin = PG_BIN if PG_BIN.exists() else Path(shutil.which("initdb") or "initdb").parent
        self._run("initdb", "--auth=trust", "--no-sync", "-E", "UTF8", "-U", "postgres")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self.start()

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), "-D", str(self.dir / "data"), *args]
        subprocess.run(_as_postgres(command), check=True, capture_output=True)

    def _ctl(self, *args: str) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=60"
        )
        self._run("pg_ctl", "-o", options, "-l", str(self.dir / "log"), "-w", *args)

    def start(self) -> None:
        self._ctl("start")

    def crash(self) -> None:
        """Immediate shutdown: no checkpoint, connections cut, recovery from the WAL at start."""
        self._ctl("stop", "-m", "immediate")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")


class OwnRedis:
    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.dir = root
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, check=False
            ).stdout.strip()
            != b"PONG"
        ):
            if time.monotonic() > deadline:
                raise SystemExit("our Redis did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


# --- the load, with provider retries ------------------------------------------------------------
@dataclass
class Tally:
    acknowledged: Counter[tuple[int, int]] = field(default_factory=Counter)  # (person, answer n)
    told_not_saved: int = 0
    provider_retries: int = 0
    gave_up: list[tuple[int, str]] = field(default_factory=list)  # never answered: untold
    events: list[tuple[float, str]] = field(default_factory=list)  # (time, outcome) per attempt
    finished: int = 0
    started: int = 0
    in_flight: int = 0


async def deliver(
    client: httpx.AsyncClient, who: Person, words: str, tally: Tally, t0: float
) -> str | None:
    """One message with provider retries; the reply text, or None if every attempt failed."""
    url, form, headers = who.new_delivery(words)
    for attempt, delay in enumerate((0.0, *RETRY_DELAYS)):
        if delay:
            tally.provider_retries += 1
            await asyncio.sleep(delay)
        try:
            tally.in_flight += 1
            r = await client.post(url, data=form, headers=headers)
        except httpx.HTTPError as exc:
            tally.events.append((time.monotonic() - t0, type(exc).__name__))
            continue
        finally:
            tally.in_flight -= 1
        saved = r.status_code == 200 and NOT_SAVED not in r.text
        outcome = (
            "OK" if saved else "told not saved" if r.status_code == 200 else str(r.status_code)
        )
        tally.events.append((time.monotonic() - t0, outcome))
        if r.status_code >= 500:
            continue
        if r.status_code != 200:
            tally.gave_up.append((who.index, f"HTTP {r.status_code} on attempt {attempt + 1}"))
            return None
        return r.text
    tally.gave_up.append((who.index, "no answer after every retry"))
    return None


async def person(
    client: httpx.AsyncClient, i: int, base: str, tally: Tally, sem: asyncio.Semaphore, t0: float
) -> None:
    who = Person(i, base)
    answer_no = 0
    for words in SCRIPT:
        is_answer = words not in {"hi", "1", "skip"}
        if is_answer:
            answer_no += 1
            words = f"Answer {answer_no} of person {i}: {words}"
        while True:
            async with sem:
                reply = await deliver(client, who, words, tally, t0)
            if reply is None:
                return  # counted in gave_up
            if NOT_SAVED in reply:
                tally.told_not_saved += 1
                await asyncio.sleep(1)  # the person reads it and sends the same words again
                continue
            if is_answer:
                tally.acknowledged[(i, answer_no)] += 1
            break
        await asyncio.sleep(0.3)  # typing the next message
    tally.finished += 1


# --- the faults ---------------------------------------------------------------------------------
@dataclass
class Fault:
    name: str
    at: float = 0.0
    until: float = 0.0
    notes: list[str] = field(default_factory=list)


async def kill_worker(service: Service, fault: Fault, tally: Tally, t0: float) -> None:
    """SIGKILL a worker while requests are in flight; again (up to 5 times) until one is cut."""
    fault.at = time.monotonic() - t0
    for attempt in range(1, 6):
        # Several requests in flight if they come within a few seconds (the service is quick and
        # people pause between messages), else whatever is in flight: at least one.
        waited = time.monotonic()
        while tally.in_flight < 4 and not (tally.in_flight and time.monotonic() - waited > 3):
            await asyncio.sleep(0.01)
        before = service.workers()
        victim = before[attempt % len(before)]
        killed_at, in_flight = time.monotonic() - t0, tally.in_flight
        os.kill(victim, signal.SIGKILL)
        while True:
            now = service.workers()
            if len(now) == len(before) and victim not in now:
                break
            await asyncio.sleep(0.05)
        replaced = time.monotonic() - t0
        fault.notes.append(
            f"worker {victim} killed (SIGKILL) with {in_flight} requests in flight;"
            f" a new worker in {replaced - killed_at:.1f} s"
        )
        await asyncio.sleep(0.5)
        cut = [o for t, o in tally.events if t >= killed_at and o not in {"OK", "told not saved"}]
        if cut:
            break
        await asyncio.sleep(1)
    fault.until = time.monotonic() - t0


async def outage(
    stop: Callable[[], None], start: Callable[[], None], fault: Fault, t0: float, down: float
) -> None:
    """Stop a service, leave it down for ``down`` seconds, start it again."""
    fault.at = time.monotonic() - t0
    await asyncio.to_thread(stop)
    await asyncio.sleep(down)
    await asyncio.to_thread(start)
    fault.until = time.monotonic() - t0


async def run(
    args: argparse.Namespace, service: Service, pg: OwnPostgres, redis: OwnRedis
) -> tuple[Tally, list[Fault], float]:
    tally = Tally()
    faults = [
        Fault("worker killed mid-request"),
        Fault("PostgreSQL restart"),
        Fault("Redis stopped"),
    ]
    sem = asyncio.Semaphore(args.concurrency)
    t0 = time.monotonic()
    people: list[asyncio.Task[None]] = []
    done = asyncio.Event()

    async def arrivals(client: httpx.AsyncClient) -> None:
        """People keep arriving until the last fault is over (and a little after)."""
        while not done.is_set():
            people.append(
                asyncio.create_task(person(client, len(people), service.base, tally, sem, t0))
            )
            await asyncio.sleep(1 / args.arrivals)

    limits = httpx.Limits(max_connections=args.concurrency)
    async with httpx.AsyncClient(timeout=15, limits=limits) as client:
        arriving = asyncio.create_task(arrivals(client))
        await asyncio.sleep(4)
        await kill_worker(service, faults[0], tally, t0)
        await asyncio.sleep(6)
        await outage(pg.crash, pg.start, faults[1], t0, down=3)
        faults[1].notes.append("PostgreSQL stopped immediately (a crash), started again after 3 s")
        await asyncio.sleep(6)
        await outage(redis.stop, redis.start, faults[2], t0, down=5)
        faults[2].notes.append("Redis killed, started again (empty) after 5 s")
        await asyncio.sleep(3)
        done.set()
        await arriving
        await asyncio.gather(*people)
    tally.started = len(people)
    return tally, faults, time.monotonic() - t0


def affected(tally: Tally, fault: Fault) -> str:
    """Attempts during the fault (and 2 s after) that were not saved, by what happened."""
    window = [o for t, o in tally.events if fault.at <= t <= fault.until + 2]
    bad = Counter(o for o in window if o != "OK")
    recovered = next((t for t, o in tally.events if t > fault.until and o == "OK"), None)
    parts = ", ".join(f"{n} x {o}" for o, n in bad.most_common()) or "none"
    after = f"{recovered - fault.until:.1f} s" if recovered is not None else "never"
    return f"{len(window)} attempts in the window, not OK: {parts}; first OK reply after the fault ended: {after}"


def stored_answers(url: str) -> Counter[tuple[int, int]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        texts = conn.execute(text("select text from answers")).scalars().all()
    engine.dispose()
    out: Counter[tuple[int, int]] = Counter()
    for t in texts:
        m = ANSWER.match(t)
        out[(int(m.group(2)), int(m.group(1))) if m else (-1, -1)] += 1
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--arrivals", type=float, default=5, help="new people a second")
    parser.add_argument("--concurrency", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="speakup-faults-"))
    pg = OwnPostgres(root)
    redis = OwnRedis(root)
    log = open(root / "server.log", "w")  # noqa: SIM115 (open for the life of the server)
    service: Service | None = None
    try:
        service = Service(pg.url, redis.url, args.workers, log)
        tally, faults, seconds = asyncio.run(run(args, service, pg, redis))
        ready = httpx.get(service.base + "/readyz", timeout=5).status_code == 200
        workers_alive = len(service.workers())
        stored = stored_answers(pg.url)
    finally:
        if service is not None:
            service.stop()
        redis.stop()
        pg.stop()
    expected = set(tally.acknowledged)
    missing = sorted(k for k in expected if stored[k] == 0)
    duplicated = sorted(k for k, n in stored.items() if n > 1)
    unacknowledged = sorted(k for k in stored if k not in expected)
    unreadable = stored[(-1, -1)]
    attempts = len(tally.events)
    print(
        f"== faults: {args.workers} workers, own PostgreSQL and Redis, {args.arrivals:g} people arriving a second, {args.concurrency} messages at once"
    )
    print(
        f"  run                {seconds:.0f} s, {attempts} delivery attempts, {tally.provider_retries} provider retries"
    )
    for fault in faults:
        print(f"  fault              {fault.name} at {fault.at:.1f} s")
        for note in fault.notes:
            print(f"    what             {note}")
        print(f"    outcome          {affected(tally, fault)}")
    print(f"  people finished    {tally.finished} of {tally.started}")
    print(f"  told 'not saved'   {tally.told_not_saved} messages (each sent again by the person)")
    print(f"  never answered     {len(tally.gave_up)} messages (untold) [target 0]")
    print(f"  acknowledged       {len(expected)} answers; stored {sum(stored.values())}")
    print(f"  missing            {len(missing)} [target 0] {missing[:5] or ''}")
    print(f"  duplicated         {len(duplicated)} [target 0] {duplicated[:5] or ''}")
    print(
        f"  stored, never acknowledged {len(unacknowledged)} [target 0] {unacknowledged[:5] or ''}"
    )
    print(f"  unreadable answers {unreadable} [target 0]")
    print(
        f"  after the faults   /readyz {'OK' if ready else 'NOT READY'}; {workers_alive} of {args.workers} workers running"
    )
    ok = (
        not missing
        and not duplicated
        and not unacknowledged
        and not unreadable
        and not tally.gave_up
        and tally.finished == tally.started
        and ready
        and workers_alive == args.workers
    )
    print(f"  result             {'PASS' if ok else 'FAIL'} (service log: {root / 'server.log'})")
    if ok:
        shutil.rmtree(root, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
