"""The application factory: builds the Starlette app from settings and configuration.

Nothing happens at import time. ``create_app`` validates configuration, loads the redactor and
refuses to start if a start-up canary identifier survives redaction.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route

from config.app import AppConfig, load_config
from config.settings import Settings
from dialogues import load_dialogue
from privacy import Redactor
from review.app import ReviewApp
from safeguarding import load_detector
from server.logfilter import register_secrets
from server.metrics import Metrics
from server.middleware import SecurityHeaders, oversize_handoff
from server.service import ConversationService
from server.webassets import AssetFiles
from server.webchat import WebChat
from server.webhooks import channel_options, configured_channels, webhook_routes
from storage import Database, Repository
from storage.ratelimit import SenderLimiter

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("speakup.app")


class StartupError(Exception):
    """The service must not start (for example, a canary identifier survived redaction)."""


@dataclass
class Components:
    """Everything built once per process."""

    settings: Settings
    config: AppConfig
    db: Database
    redactor: Redactor
    service: ConversationService
    metrics: Metrics


def build_components(
    settings: Settings, config: AppConfig | None = None, redactor: Redactor | None = None
) -> Components:
    """Build the long-lived parts: database, redactor (with canary check), detector, service.

    ``redactor`` lets pre-forked workers share the one their parent loaded and checked.
    """
    config = config or load_config(
        Path(settings.speakup_config) if settings.speakup_config else None
    )
    if settings.public_base_url:
        config = config.model_copy(update={"public_base_url": settings.public_base_url})
    dialogue = load_dialogue(config.dialogue)
    limits = config.database
    db = Database(
        settings.database_url,
        pool_size=limits.pool_size,
        max_overflow=limits.max_overflow,
        pool_timeout=limits.pool_timeout_seconds,
        connect_timeout=limits.connect_timeout_seconds,
    )
    metrics = Metrics()
    if redactor is None:  # a shared one was checked where it was loaded
        redactor = Redactor(config.privacy)
        survivors = redactor.check_canaries()
        if survivors:
            raise StartupError("redaction canaries failed: " + "; ".join(survivors))
    service = ConversationService(
        config=config,
        dialogue=dialogue,
        db=db,
        redactor=redactor,
        detector=load_detector(),
        pseudonymiser=settings.pseudonymiser(),
        limiter=SenderLimiter(config.rate_limit, settings.redis_url),
        metrics=metrics,
        contact_key=settings.speakup_contact_key,
    )
    return Components(
        settings=settings, config=config, db=db, redactor=redactor, service=service, metrics=metrics
    )


def create_app(settings: Settings, components: Components | None = None) -> Starlette:
    """Create the ASGI app."""
    parts = components or build_components(settings)
    register_secrets(
        *(
            value.get_secret_value()
            for value in (
                settings.speakup_secret_key,
                settings.speakup_session_secret,
                settings.speakup_rest_token,
                settings.speakup_metrics_token,
                settings.twilio_auth_token,
                settings.telegram_bot_token,
                settings.telegram_secret_token,
            )
            if value is not None
        )
    )
    webchat = WebChat(parts.service, parts.config)
    toggles = parts.config.channels
    channels = configured_channels(
        channel_options(settings, parts.config.public_base_url),
        lambda name: toggles[name].enabled if name in toggles else True,
    )

    async def healthz(_: Request) -> Response:
        return PlainTextResponse("ok")

    metrics_token = (
        settings.speakup_metrics_token.get_secret_value()
        if settings.speakup_metrics_token
        else None
    )

    async def metrics_endpoint(request: Request) -> Response:
        given = bearer(request.headers.get("authorization", ""))
        if not metrics_token or not hmac.compare_digest(given.encode(), metrics_token.encode()):
            return PlainTextResponse("forbidden", status_code=403)
        return Response(
            generate_latest(_scrape_registry(parts.metrics)), media_type=CONTENT_TYPE_LATEST
        )

    async def readyz(_: Request) -> Response:
        checks = {"database": await run_in_threadpool(_db_writable, parts.db)}
        if settings.redis_url:
            checks["redis"] = await run_in_threadpool(_redis_ok, settings.redis_url)
        return JSONResponse(checks, status_code=200 if all(checks.values()) else 503)

    routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        *webchat.routes(),
        *webhook_routes(channels, parts.service, parts.config.public_base_url, parts.metrics),
        *ReviewApp(
            parts.db,
            parts.config,
            parts.service.dialogue,
            parts.redactor,
            settings.session_secret(),
            secure_cookies=parts.config.public_base_url.startswith("https://"),
            redis_url=settings.redis_url,
        ).routes(),
        Route("/metrics", metrics_endpoint),
        Mount("/static", AssetFiles(directory=_static_dir()), name="static"),
        Mount("/assets", AssetFiles(directory=_assets_dir()), name="assets"),
    ]

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        sweeper = asyncio.create_task(_sweep_links(parts))
        for channel in channels:
            await channel.start()
        yield
        for channel in channels:
            await channel.stop()
        sweeper.cancel()
        parts.redactor.close()
        parts.db.dispose()

    middleware = [
        Middleware(
            SecurityHeaders,
            max_body_bytes=parts.config.conversation.max_body_bytes,
            routes=routes,
            https=parts.config.public_base_url.startswith("https://"),
            oversize_handoff=oversize_handoff(parts.service),
        )
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={404: webchat.not_found, 405: webchat.not_found},
    )
    app.state.components = parts
    return app


def _scrape_registry(metrics: Metrics) -> CollectorRegistry:
    """Several workers: every worker's counts, summed from the shared folder; else this app's."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return metrics.registry
    registry = CollectorRegistry()
    MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


def bearer(authorization: str) -> str:
    """The token of an ``Authorization: Bearer <token>`` header (the scheme in any case)."""
    scheme, _, token = authorization.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _db_writable(db: Database) -> bool:
    """Whether the database answers and takes a write (rolled back): read-only is not ready."""
    try:
        with db.engine.connect() as conn, conn.begin() as txn:
            Repository(conn).claim_once("readyz-probe", datetime.now(UTC))
            txn.rollback()
        return True
    except Exception:
        return False


def _redis_ok(url: str) -> bool:
    """Whether Redis answers a PING within a second."""
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


async def _sweep_links(parts: Components, every_seconds: float = 300) -> None:
    """Remove sender links past the resume window, so nobody's link outlives it by much."""
    window = timedelta(hours=parts.config.conversation.resume_window_hours)
    while True:
        try:
            await run_in_threadpool(parts.service.expire_links, window)
        except Exception as exc:  # keep sweeping; the error names no data
            log.error("link sweep failed: %s", type(exc).__name__)
        await asyncio.sleep(every_seconds)


def _static_dir() -> Path:
    return ROOT / "build" / "static"


def _assets_dir() -> Path:
    return ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "assets"


def app_from_env() -> Starlette:
    """Factory for ``uvicorn --factory`` with several worker processes: settings from the environment."""
    from config.settings import load_settings
    from server.logfilter import configure_logging

    configure_logging()
    settings = load_settings()
    parts = build_components(settings)
    return create_app(settings, parts)
