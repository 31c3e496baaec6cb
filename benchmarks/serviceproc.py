"""The real service as a child process, and the provider requests that drive it (load and faults)."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
import uuid
from pathlib import Path
from typing import IO

import httpx
from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
TWILIO_TOKEN = "load-test-twilio-token-0123456789"
SCRIPT = [
    "hi",
    "1",
    "People who stay matter most.",
    "My foster carers listened.",
    "Too many moves.",
    "Fewer moves now.",
    "Homes near family, with siblings together.",
    "skip",
    "skip",
]
ANSWERS_EACH = 5
NOT_SAVED = "was not saved"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def new_database(kind: str, prefix: str, folder: str) -> str:
    """A new, empty database for one run: a PostgreSQL database on the machine's server, or a
    SQLite file in ``folder``. Returns its URL."""
    if kind == "sqlite":
        return f"sqlite:///{folder}/{prefix}.db"
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    _admin(f"CREATE DATABASE {name}")
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    """Remove a database ``new_database`` made (a SQLite file goes with its folder)."""
    if url.startswith("postgresql"):
        _admin(f"DROP DATABASE {url.rsplit('/', 1)[1]} WITH (FORCE)")


def _admin(statement: str) -> None:
    admin = create_engine(ADMIN_URL)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(statement))
    admin.dispose()


def _megabytes(path: str, field: str) -> float:
    for line in Path(path).read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_mb(pid: int) -> float:
    """Resident set size."""
    return _megabytes(f"/proc/{pid}/status", "VmRSS:")


def pss_mb(pid: int) -> float:
    """Proportional set size: shared (forked) pages counted once across the workers."""
    return _megabytes(f"/proc/{pid}/smaps_rollup", "Pss:")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_ticks() -> list[int]:
    """The machine's CPU time so far by kind (user, nice, system, idle, iowait, irq, softirq, steal)."""
    return [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]


def steal_and_iowait(before: list[int], after: list[int]) -> tuple[float, float]:
    """Shares of the machine's CPU time between two readings: given by the host to other
    machines (steal), and idle waiting for the disk (iowait)."""
    spent = [b - a for a, b in zip(before, after, strict=True)]
    return 100 * spent[7] / max(1, sum(spent)), 100 * spent[4] / max(1, sum(spent))


def cpu_model() -> str:
    """The processor, as the kernel names it, with its family and model numbers (hosts differ
    between days here, and a name like "AMD EPYC" covers generations years apart)."""
    info: dict[str, str] = {}
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        key, _, value = line.partition(":")
        info.setdefault(key.strip(), " ".join(value.split()))
    return (
        f"{info.get('model name', 'unknown')} (family {info.get('cpu family', '?')},"
        f" model {info.get('model', '?')}), {os.cpu_count()} cores"
    )


def yardstick_ms() -> float:
    """A fixed pure-Python task (string, dict and integer work, like the message path's own),
    best of 5, in milliseconds: how fast one core of this machine is right now, so figures taken
    on different days or hosts can be set side by side."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        table: dict[str, int] = {}
        for i in range(200_000):
            key = f"k{i % 997}"
            table[key] = table.get(key, 0) + len(key) * i % 13
        best = min(best, time.perf_counter() - start)
    return best * 1000


def machine_line() -> str:
    return f"{cpu_model()}; yardstick {yardstick_ms():.0f} ms (a fixed Python task, best of 5)"


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


class Service:
    """``speakup serve --workers N`` on a loopback port, in production mode."""

    def __init__(
        self,
        database_url: str,
        redis_url: str | None,
        workers: int,
        log: IO[str],
        *,
        migrate_first: bool = False,
    ):
        """``migrate_first``: bring a new database's schema up with ``speakup migrate`` before
        starting (timed as ``migrate_seconds``), so ``startup`` is a start on a current schema, as
        every start after a deployment's first is (a restart, a replaced worker, one more
        replica). Otherwise ``startup`` includes the migrations."""
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "SPEAKUP_ENV": "production",
            "SPEAKUP_SECRET_KEY": secrets.token_urlsafe(40),
            "SPEAKUP_SESSION_SECRET": secrets.token_urlsafe(40),
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": self.base,
            "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
            # Behind a proxy, as deployed: each simulated web person is its own address
            # (X-Forwarded-For), so the per-address bound on new conversations (60 an hour) is
            # not shared by everyone the benchmark plays.
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
        }
        env.pop("REDIS_URL", None)
        if redis_url:
            env["REDIS_URL"] = redis_url
        speakup = str(ROOT / ".venv" / "bin" / "speakup")
        self.migrate_seconds = 0.0
        if migrate_first:
            started = time.perf_counter()
            subprocess.run([speakup, "migrate"], env=env, check=True, capture_output=True)
            self.migrate_seconds = time.perf_counter() - started
        command = [speakup, "serve", "--port", str(self.port)]
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [*command, "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=log
        )
        self.startup = self.wait_ready()

    def wait_ready(self, timeout: float = 120) -> float:
        while True:
            try:
                if httpx.get(self.base + "/readyz", timeout=1).status_code == 200:
                    return time.perf_counter() - self.started
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.perf_counter() - self.started > timeout:
                raise SystemExit("the service did not start; see its log")
            time.sleep(0.05)

    def workers(self) -> list[int]:
        return children(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


class Person:
    """One simulated person on SMS (signed Twilio webhooks) or web chat."""

    def __init__(self, index: int, base: str, run: int = 0) -> None:
        self.index = index
        self.base = base
        self.sms = index % 2 == 0
        # ``run`` keeps numbers apart between runs: rate limits in Redis last a day.
        self.sender = f"+447{run % 10000:04d}{index:06d}" if self.sms else secrets.token_urlsafe(24)
        self.validator = RequestValidator(TWILIO_TOKEN)

    def new_delivery(self, text: str) -> tuple[str, dict[str, str], dict[str, str]]:
        """A fresh delivery (url, form, headers); a provider retry resends exactly this."""
        if self.sms:
            url = self.base + "/webhooks/twilio/webhook"
            form = {
                "MessageSid": "SM" + uuid.uuid4().hex,
                "From": self.sender,
                "To": "+447700900000",
                "Body": text,
                "NumMedia": "0",
                "AccountSid": "AC" + "0" * 32,
            }
            return url, form, {"x-twilio-signature": self.validator.compute_signature(url, form)}
        form = {
            "conversation": self.sender,
            "message": text,
            "message_id": secrets.token_urlsafe(24),
        }
        address = f"10.{self.index >> 16 & 255}.{self.index >> 8 & 255}.{self.index & 255}"
        return self.base + "/chat", form, {"origin": self.base, "x-forwarded-for": address}
