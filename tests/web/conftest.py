"""Fixtures for the browser tests: the app on a loopback port, and Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from config.settings import load_settings
from server.app import build_components, create_app
from tests.conftest import TEST_KEY
from tests.live import serve


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
