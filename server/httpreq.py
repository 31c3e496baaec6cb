"""Turn a Starlette request into the framework-free HttpRequest channels understand."""

from __future__ import annotations

import ipaddress
from urllib.parse import parse_qsl

from starlette.requests import Request

from bot.messages import HttpRequest
from bot.textnorm import decode_body


async def to_http_request(request: Request, public_base_url: str | None = None) -> HttpRequest:
    """Read the body (and form fields, if any) into an HttpRequest.

    ``url`` is rebuilt from the configured public base URL when given, because behind a TLS proxy
    the app does not see the URL a provider signed.
    """
    body = await request.body()
    form: dict[str, str] = {}
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("application/x-www-form-urlencoded"):
        form = dict(parse_qsl(decode_body(body), keep_blank_values=True))
    path = request.url.path
    query = f"?{request.url.query}" if request.url.query else ""
    url = (public_base_url.rstrip("/") + path + query) if public_base_url else str(request.url)
    return HttpRequest(
        method=request.method,
        url=url,
        path=path,
        headers=dict(request.headers),
        body=body,
        form=form,
    )


def client_address(request: Request) -> str | None:
    """The client's address for per-client bounds, or None when it cannot be told apart.

    uvicorn takes it from X-Forwarded-For only on connections from ``FORWARDED_ALLOW_IPS``. A
    request that names a forwarded address, from a private peer the service was not told to
    trust, comes through a proxy whose clients all share its address: bounding that address
    would bound everyone, so it is not bounded (README, "In front: a reverse proxy"). A public
    peer is always its own client, whatever headers it sends.
    """
    host = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-for", "")
    if forwarded and host not in [part.strip() for part in forwarded.split(",")]:
        try:
            if not ipaddress.ip_address(host).is_global:
                return None
        except ValueError:
            return None
    return host
