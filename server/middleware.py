"""The one middleware every request passes: security headers, body limits, the access log.

- Headers: no caching, a strict CSP and friends; HSTS when the public URL is https.
- Body: refused over the size limit (413) and when it arrives too slowly (408), so a client
  trickling a body cannot hold a worker. A refused oversized body is still read for a disclosure
  (up to the limit): if it holds one, the refusal carries the helplines.
- Access log: method, route template, status and time; never the raw path (it may hold a name or
  a number someone typed into the address bar), never the query string or the client's address.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from urllib.parse import unquote_plus

from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.textnorm import clean_text, decode_body
from safeguarding.detector import UNREADABLE
from safeguarding.handoff import compose
from server.service import ConversationService

log = logging.getLogger("speakup.app")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
BODY_SECONDS = 20.0  # the whole body must arrive within this long of the request's headers
HSTS = b"max-age=31536000; includeSubDomains"
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class SecurityHeaders:
    """Wraps the app: headers on every response, body limits, a templated access log."""

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        routes: Sequence[BaseRoute] = (),
        https: bool = False,
        oversize_handoff: Callable[[bytes], str | None] | None = None,
    ) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.routes = routes
        self.https = https
        self.oversize_handoff = oversize_handoff

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap one request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path = self.template(scope)  # before the router rewrites the scope for a mount
        deadline = time.monotonic() + BODY_SECONDS
        status = {"status": 500}
        seen: list[bytes] = []  # the body so far, kept only up to the limit
        more = {"body": True}
        started_response = {"yes": False}

        async def limited_receive() -> Message:
            if not more["body"]:
                return await receive()  # the body is in: waiting for a disconnect is fine
            try:
                message = await asyncio.wait_for(receive(), deadline - time.monotonic())
            except TimeoutError:
                raise _BodyTooSlow from None
            if message["type"] == "http.request":
                more["body"] = bool(message.get("more_body"))
                seen.append(message.get("body", b""))
                if sum(map(len, seen)) > self.max_body:
                    raise _BodyTooLarge
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                started_response["yes"] = True
                status["status"] = message["status"]
                raw = list(message.get("headers", []))
                own_cache = any(
                    k.lower() == b"cache-control" for k, _ in raw
                )  # assets set their own
                message["headers"] = [*raw, *self._headers(own_cache)]
            await send(message)

        try:
            length = dict(scope.get("headers") or []).get(b"content-length")
            if length is not None and length.isdigit() and int(length) > self.max_body:
                await _drain(limited_receive, seen, self.max_body)
                raise _BodyTooLarge
            await self.app(scope, limited_receive, send_with_headers)
        except _BodyTooLarge:
            status["status"] = 413
            await self._refuse(413, await self._too_large(seen), send_with_headers)
        except _BodyTooSlow:
            status["status"] = 408
            slow = "That took too long to arrive. Please try again."
            await self._refuse(408, slow, send_with_headers)
        except Exception as exc:  # logged here by type alone: a traceback may quote the input
            log.error("unhandled error: %s", type(exc).__name__, extra={"path": path})
            if started_response["yes"]:
                raise
            await self._refuse(500, "Sorry, something went wrong.", send_with_headers)
        finally:
            log.info(
                "request",
                extra={
                    "method": scope.get("method") if scope.get("method") in _METHODS else "OTHER",
                    "path": path,
                    "status": status["status"],
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )

    def _headers(self, own_cache: bool = False) -> list[tuple[bytes, bytes]]:
        headers = [] if own_cache else [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
        headers += [
            (b"content-security-policy", CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if self.https:
            headers.append((b"strict-transport-security", HSTS))
        return headers

    def template(self, scope: Scope) -> str:
        """The route a request matched, as its template (``/review/transcripts/{id}``)."""
        for route in self.routes:
            match, _ = route.matches(scope)
            if match != Match.NONE:
                return route.path + "/{path}" if isinstance(route, Mount) else str(route.path)  # type: ignore[attr-defined]
        return "(no route)"

    async def _too_large(self, seen: list[bytes]) -> str:
        text = (
            f"That is too much to send at once (the limit is {self.max_body // 1024} KB). "
            "Please send a shorter message."
        )
        handoff = None
        if self.oversize_handoff is not None:
            body = b"".join(seen)[: self.max_body]
            handoff = await run_in_threadpool(self.oversize_handoff, body)
        return f"{handoff}\n\n{text}" if handoff else text

    async def _refuse(self, code: int, text: str, send: Send) -> None:
        response = PlainTextResponse(text, status_code=code, headers={"connection": "close"})
        await response({"type": "http"}, _no_body, send)


class _BodyTooLarge(Exception):
    pass


class _BodyTooSlow(Exception):
    pass


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


async def _drain(receive: Receive, seen: list[bytes], limit: int) -> None:
    """Read an oversized body up to the limit (to look for a disclosure in it), then stop."""
    while sum(map(len, seen)) <= limit:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return


def oversize_handoff(service: ConversationService) -> Callable[[bytes], str | None]:
    """The helplines for a disclosure inside a body too big to process, else None."""

    def handoff(body: bytes) -> str | None:
        text = clean_text(unquote_plus(decode_body(body)))
        risk = service.detector.assess(text)
        # A raw body holds field names and random tokens, which read as another language: only
        # the words themselves may ask here.
        if risk.level == "none" or (risk.level == "check" and UNREADABLE in risk.reasons):
            return None
        cfg = service.config
        return compose(
            risk,
            cfg.safeguarding,
            when=service.clock(),
            channel_kind="web",
            bank_holidays=cfg.bank_holidays,
        )

    return handoff
