"""A lean HTTP/1.1 keep-alive client for the load generator, which shares the service's 2 cores.

httpx spent 4 to 6 ms of CPU per request here, as much as the service under test; this spends
well under one. It only does what load.py needs: form POSTs over loopback to a server that answers
with a Content-Length (uvicorn does), one request at a time per connection, connections reused.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlencode, urlsplit


class HTTPError(Exception):
    """The connection failed or the answer was not HTTP."""


class Response:
    def __init__(self, status_code: int, body: bytes) -> None:
        self.status_code = status_code
        self.text = body.decode("utf-8", "replace")


IDLE_SECONDS = 4.0  # uvicorn closes a kept-alive connection after 5 s without a request


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.idle_since = 0.0

    async def request(self, head: bytes, body: bytes) -> tuple[Response, bool]:
        """Send one request; return the response and whether the connection may be reused."""
        self.writer.write(head + body)
        lines = (await self.reader.readuntil(b"\r\n\r\n")).split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, reuse = 0, True
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                reuse = False
        return Response(status, await self.reader.readexactly(length)), reuse

    def close(self) -> None:
        self.writer.close()


class Client:
    """Form POSTs to one host, over at most ``connections`` kept-alive connections."""

    def __init__(self, base: str, connections: int) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._idle: list[_Connection] = []
        self._slots = asyncio.Semaphore(connections)

    async def post(self, url: str, data: dict[str, str], headers: dict[str, str]) -> Response:
        path = urlsplit(url).path
        body = urlencode(data).encode()
        head = "".join(
            [
                f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n",
                "Content-Type: application/x-www-form-urlencoded\r\n",
                f"Content-Length: {len(body)}\r\n",
                *(f"{k}: {v}\r\n" for k, v in headers.items()),
                "\r\n",
            ]
        ).encode()
        async with self._slots:
            now = time.monotonic()
            while self._idle and now - self._idle[-1].idle_since > IDLE_SECONDS:
                self._idle.pop().close()
            reused = bool(self._idle)
            conn = self._idle.pop() if reused else await self._connect()
            try:
                response, reuse = await conn.request(head, body)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
                conn.close()
                if not reused:
                    raise HTTPError("connection failed") from None
                # The server closed a kept-alive connection: send it again on a new one, as a
                # provider retries (the same delivery, so the service still handles it once).
                conn = await self._connect()
                try:
                    response, reuse = await conn.request(head, body)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    conn.close()
                    raise HTTPError("connection failed") from None
            if reuse:
                conn.idle_since = time.monotonic()
                self._idle.append(conn)
            else:
                conn.close()
            return response

    async def _connect(self) -> _Connection:
        try:
            return _Connection(*await asyncio.open_connection(self.host, self.port))
        except OSError as exc:
            raise HTTPError(str(exc)) from None

    async def close(self) -> None:
        for conn in self._idle:
            conn.close()
        self._idle.clear()
