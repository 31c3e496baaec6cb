"""docker-compose.yml is valid, needs its secrets, and gives every service a healthcheck.

No Docker engine runs here; Debian's docker-compose validates the file without one.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
SECRETS = {
    "SPEAKUP_SECRET_KEY": "k" * 40,
    "SPEAKUP_SESSION_SECRET": "s" * 40,
    "SPEAKUP_REST_TOKEN": "r" * 32,
    "SPEAKUP_METRICS_TOKEN": "m" * 32,
    "PUBLIC_BASE_URL": "https://speakup.example.org",
    "POSTGRES_PASSWORD": "p" * 24,
}


def compose(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("docker-compose")
    if tool is None:
        skip_or_fail("Debian's docker-compose is not installed (make test installs it as root)")
    assert tool is not None
    return subprocess.run(
        [tool, "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
        timeout=60,
        check=False,
    )


def test_the_file_is_valid_and_every_service_is_healthchecked() -> None:
    result = compose(SECRETS)
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    services = config["services"]
    assert {"app", "db", "redis", "purge"} <= set(services)
    for name, service in services.items():
        assert "healthcheck" in service, name
    assert services["app"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "speakup purge" in " ".join(services["purge"]["command"])
    redis_cmd = " ".join(services["redis"]["command"])
    assert "--appendonly no" in redis_cmd and "--save" in redis_cmd


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_compose_refuses_to_start_without_a_secret(missing: str) -> None:
    env = {k: v for k, v in SECRETS.items() if k != missing}
    result = compose(env)
    assert result.returncode != 0 and "Variable not set" in result.stderr
