"""Webhook routes: one generic handler runs any channel's verify -> parse -> service -> render."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.httpreq import to_http_request
from bot.messages import BadRequest, OutboundMessage, VerificationError
from bot.service import ChannelInfo, ConversationService
from bot.settings import Settings
from channels.base import Channel
from channels.rest import RestChannel


async def handle_webhook(
    request: Request,
    channel: Channel,
    service: ConversationService,
    public_base_url: str | None = None,
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
    info = ChannelInfo(kind=channel.kind, personal=channel.personal)
    replies: list[OutboundMessage] = []
    for message in inbound:
        replies.extend(await run_in_threadpool(service.handle, message, info))
    out = channel.render(inbound[0] if inbound else None, replies)
    return Response(out.body, status_code=out.status, media_type=out.content_type)


def rest_route(service: ConversationService, settings: Settings) -> Route:
    """The Rasa-compatible REST webhook."""
    token = settings.speakup_rest_token.get_secret_value() if settings.speakup_rest_token else None
    channel = RestChannel(token, required=not settings.development)

    async def endpoint(request: Request) -> Response:
        return await handle_webhook(request, channel, service)

    return Route("/webhooks/rest/webhook", endpoint, methods=["POST"])
