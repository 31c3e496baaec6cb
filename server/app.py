"""The application factory: builds the Starlette app from settings and configuration.

Nothing happens at import time. ``create_app`` validates configuration, loads the redactor and
refuses to start if a start-up canary identifier survives redaction.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config.app import AppConfig, load_config
from config.settings import Settings
from dialogues import load_dialogue
from privacy import Redactor
from review.app import ReviewApp
from safeguarding import load_detector
from server.logfilter import register_secrets
from server.metrics import Metrics
from server.service import ConversationService
from server.webassets import AssetFiles
from server.webchat import WebChat
from server.webhooks import channel_options, configured_channels, webhook_routes
from storage import Database
from storage.ratelimit import SenderLimiter

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("speakup.app")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


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


class SecurityHeaders:
    """No caching, strict CSP and friends on every response; access log without client IPs."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap one request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        status_holder = {"status": 500}
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await _too_large(scope, receive, send, self.max_body)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _BodyTooLarge
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                raw = list(message.get("headers", []))
                if not any(k.lower() == b"cache-control" for k, _ in raw):  # assets set their own
                    raw += [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
                raw += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                message["headers"] = raw
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _BodyTooLarge:
            await _too_large(scope, receive, send, self.max_body)
            status_holder["status"] = 413
        finally:
            log.info(
                "request",
                extra={
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status_holder["status"],
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )


class _BodyTooLarge(Exception):
    pass


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    text = f"That is too much to send at once (the limit is {limit // 1024} KB). Please send a shorter message."
    response = PlainTextResponse(text, status_code=413, headers={"cache-control": "no-store"})
    await response(scope, receive, send)


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
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not metrics_token or not hmac.compare_digest(given.encode(), metrics_token.encode()):
            return PlainTextResponse("forbidden", status_code=403)
        return Response(
            generate_latest(_scrape_registry(parts.metrics)), media_type=CONTENT_TYPE_LATEST
        )

    async def readyz(_: Request) -> Response:
        checks = {"database": await run_in_threadpool(parts.db.ping)}
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
        Middleware(SecurityHeaders, max_body_bytes=parts.config.conversation.max_body_bytes)
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
