"""Fixtures for the browser tests: the app on a loopback port, and Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from config.settings import load_settings
from server.app import build_components, create_app
from tests.conftest import TEST_KEY, skip_or_fail
from tests.live import serve
from tests.server.browser import AXE, CHROMIUM, FLAGS


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser")
    settings = load_settings(
        speakup_env="test", speakup_secret_key=TEST_KEY, database_url=f"sqlite:///{tmp}/b.db"
    )
    parts = build_components(settings)
    parts.db.migrate()
    with serve(create_app(settings, parts)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        skip_or_fail("Debian's chromium is not installed (make browser installs it)")
    if not AXE.exists():
        skip_or_fail("node_modules/axe-core is missing (make assets installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def kiosk_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from config.app import load_config

    tmp = tmp_path_factory.mktemp("kiosk")
    settings = load_settings(
        speakup_env="test", speakup_secret_key=TEST_KEY, database_url=f"sqlite:///{tmp}/k.db"
    )
    config = load_config()
    config = config.model_copy(
        update={
            "kiosk": config.kiosk.model_copy(
                update={"idle_seconds": 15, "finish_seconds": 1, "code_seconds": 4}
            )
        }
    )
    parts = build_components(settings, config)
    parts.db.migrate()
    with serve(create_app(settings, parts)) as url:
        yield url
