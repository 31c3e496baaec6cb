"""The load, fault and message-path scripts run in CI too (small), so they keep working and keep passing."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _need_postgres_and_redis(script: str) -> None:
    if not (_listening(5432) and _listening(6379)):
        skip_or_fail(f"{script} needs PostgreSQL on 5432 and Redis on 6379")


def _run(script: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
def test_load_script_stores_exactly_the_expected_answers() -> None:
    _need_postgres_and_redis("load.py")
    out = _run("load.py", "--people", "20", "--concurrency", "10")
    assert "lost 0, duplicated 0" in out and "errors             0" in out
    # The report names the host and says which targets held (speed is reported, never asserted).
    assert "yardstick" in out and "targets            met:" in out
    out = _run("load.py", "--people", "10", "--rate", "30", "--think", "0.2")  # open loop
    assert "30 messages/s offered" in out
    assert "lost 0, duplicated 0" in out and "errors             0" in out


@pytest.mark.slow
def test_message_path_script_reports_cpu_and_statements_a_message() -> None:
    _need_postgres_and_redis("pathcost.py")
    out = _run("pathcost.py", "--people", "5", "--repeat", "1")
    assert "CPU a message" in out and "statements" in out and "yardstick" in out
    out = _run("pathcost.py", "--people", "5", "--repeat", "1", "--db", "sqlite")
    assert "on sqlite" in out


@pytest.mark.slow
def test_fault_script_passes_with_its_own_postgres_and_redis() -> None:
    pg_bin = Path("/usr/lib/postgresql/15/bin/initdb")
    if not (pg_bin.exists() or shutil.which("initdb")) or not shutil.which("redis-server"):
        skip_or_fail("the fault script needs PostgreSQL's initdb and redis-server installed")
    out = _run("faults.py", "--arrivals", "4", "--concurrency", "16")
    assert "result             PASS" in out
    assert "RemoteProtocolError" in out or "ReadError" in out  # a request really was cut
    assert "told not saved" in out  # the PostgreSQL restart really refused some messages
