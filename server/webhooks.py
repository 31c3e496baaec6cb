"""Webhook routes: one generic handler runs any channel's verify -> parse -> service -> render.

Every channel in ``CHANNELS`` that has a webhook path and is configured is mounted here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.messages import BadRequest, ChannelOptions, OutboundMessage, VerificationError
from channels import CHANNELS
from channels.base import Channel
from channels.twilio import TwilioChannel
from config.settings import Settings
from server.httpreq import to_http_request
from server.metrics import Metrics
from server.service import ChannelInfo, ConversationService
from storage import Repository

log = logging.getLogger("speakup.webhooks")


def channel_options(settings: Settings, public_base_url: str) -> ChannelOptions:
    """Secrets and settings each channel may use."""

    def secret(value: object) -> str | None:
        get = getattr(value, "get_secret_value", None)
        return get() if get else None

    return ChannelOptions(
        public_base_url=public_base_url,
        development=settings.development,
        rest_token=secret(settings.speakup_rest_token),
        twilio_auth_token=secret(settings.twilio_auth_token),
        telegram_token=secret(settings.telegram_bot_token),
        telegram_secret=secret(settings.telegram_secret_token),
        telegram_api_base=settings.telegram_api_base_url,
    )


def configured_channels(options: ChannelOptions, enabled: Callable[[str], bool]) -> list[Channel]:
    """Instances of every registered channel that is enabled, configured and has a webhook."""
    out = []
    for name, cls in CHANNELS.items():
        if cls.path is None or not enabled(name):
            continue
        channel = cls.configure(options)
        if channel is not None:
            out.append(channel)
    return out


async def handle_webhook(
    request: Request, channel: Channel, service: ConversationService, public_base_url: str
) -> Response:
    """Verify first, then parse, process and render, all within this request."""
    http = await to_http_request(request, public_base_url)
    try:
        channel.verify(http)
    except VerificationError:
        return JSONResponse({"error": "forbidden"}, status_code=403)
    try:
        inbound = channel.parse(http)
    except BadRequest as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    except Exception as exc:  # a parser's surprise is still bad input: its type only is logged
        log.warning("unreadable request: %s", type(exc).__name__, extra={"channel": channel.name})
        return JSONResponse({"error": "that request could not be read"}, status_code=400)
    replies: list[OutboundMessage] = []
    for message in inbound:
        info = ChannelInfo(kind=message.channel, personal=channel.personal)
        these = await service.handle_async(message, info)
        await channel.deliver(message, these)
        replies.extend(these)
    out = channel.render(inbound[0] if inbound else None, replies)
    return Response(out.body, status_code=out.status, media_type=out.content_type)


def webhook_routes(
    channels: list[Channel], service: ConversationService, public_base_url: str, metrics: Metrics
) -> list[Route]:
    """One route per configured channel, plus Twilio's delivery status callback."""
    routes = []
    for channel in channels:
        assert channel.path is not None
        routes.append(
            Route(channel.path, _endpoint(channel, service, public_base_url), methods=["POST"])
        )
        if isinstance(channel, TwilioChannel):
            routes.append(
                Route(
                    "/webhooks/twilio/status",
                    _twilio_status(channel, service, public_base_url, metrics),
                    methods=["POST"],
                )
            )
    return routes


def _endpoint(
    channel: Channel, service: ConversationService, base: str
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await handle_webhook(request, channel, service, base)

    return endpoint


def _twilio_status(
    channel: TwilioChannel, service: ConversationService, base: str, metrics: Metrics
) -> Callable[[Request], Awaitable[Response]]:
    """Count failed deliveries by error code; a failed handoff joins the safeguarding queue."""

    async def endpoint(request: Request) -> Response:
        http = await to_http_request(request, base)
        try:
            channel.verify_status(http)
        except VerificationError:
            return JSONResponse({"error": "forbidden"}, status_code=403)
        status = http.form.get("MessageStatus", "")
        code = http.form.get("ErrorCode", "")
        if status in {"failed", "undelivered"}:
            kind = "whatsapp" if http.form.get("From", "").startswith("whatsapp:") else "sms"
            safe_code = code if re.fullmatch(r"\d{1,6}", code) else "unknown"
            metrics.send_errors.labels(channel=kind, code=safe_code).inc()
            log.warning("delivery failed", extra={"channel": kind, "status": safe_code})
            if "kind=handoff" in http.url:
                sid = http.form.get("MessageSid", "")
                sid = sid if re.fullmatch(r"[A-Za-z0-9]{10,64}", sid) else ""
                await run_in_threadpool(record_failed_handoff, service, kind, safe_code, sid)
        return Response(status_code=204)

    return endpoint


def record_failed_handoff(
    service: ConversationService, channel: str, code: str, message_sid: str
) -> None:
    """A handoff that never arrived joins the safeguarding queue (no identifiers are known),
    once per message however often the provider's callback is replayed."""
    now = service.clock()
    with service.db.transaction() as conn:
        repo = Repository(conn)
        hours = timedelta(hours=service.config.conversation.dedupe_hours)
        if message_sid and not repo.claim_once(
            service.pseudonymiser.token("status:twilio", message_sid), now + hours
        ):
            return
        repo.add_flag(None, "handoff_failed", [], None, [f"{channel}:{code}"], None, now)
