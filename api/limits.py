"""Bounded requests, as pure ASGI middleware (no request is buffered whole, none holds a worker forever).

- **Body size**: a ``Content-Length`` over ``api.max_body_bytes`` is answered 413 before a byte of the body
  is read; a chunked body is counted as it streams and answered 413 as soon as it passes the limit.
- **Body read time**: the whole body must arrive within ``api.body_timeout_s`` of the headers, else 408.
- **Concurrency**: at most ``api.max_concurrency`` ``/v1`` requests in flight per process; one more gets
  503 with ``Retry-After`` at once instead of queueing behind the others. Health checks are never limited.

413 and 408 close the connection (``Connection: close``) so the rest of an oversized or stalled body is
not drained. Header read time and keep-alive are bounded by the server (``api/protocol.py``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from reportqa.settings import ApiSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LIMITED_PREFIXES = ("/v1/",)
CLOSE = {"Connection": "close"}


def too_large_detail(limit: int) -> str:
    """What a 413 says."""
    return f"the request body is larger than {limit} bytes — send a smaller body (a question is at most a few KB)"


def too_slow_detail(seconds: float) -> str:
    """What a body-read 408 says."""
    return f"the request body did not arrive within {seconds:g} s — send the whole body at once"


def saturated_detail(limit: int, retry_after: int) -> str:
    """What a saturation 503 says."""
    return f"the service is answering {limit} requests already — retry in {retry_after} s (see Retry-After)"


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit (FastAPI re-raises HTTPExceptions as they are)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_detail(limit), headers=CLOSE)


class BodyTimeout(HTTPException):
    """Raised from ``receive`` when the body has not arrived in time."""

    def __init__(self, seconds: float) -> None:
        super().__init__(408, too_slow_detail(seconds), headers=CLOSE)


def content_length(scope: Scope) -> int | None:
    """The request's declared ``Content-Length`` (None when absent or unreadable; the server rejects bad ones)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def send_error(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    """A complete ``{"detail": ...}`` JSON response."""
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    """Pure ASGI middleware enforcing the body-size, body-time and concurrency limits of ``ApiSettings``."""

    def __init__(self, app: ASGIApp, settings: ApiSettings) -> None:
        self.app = app
        self.max_body = settings.max_body_bytes
        self.body_timeout = settings.body_timeout_s
        self.max_concurrency = settings.max_concurrency
        self.retry_after = settings.retry_after_s
        self.in_flight = 0
        """``/v1`` requests being answered right now (one event loop per process, so a plain counter)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = content_length(scope)
        if declared is not None and declared > self.max_body:
            await send_error(send, 413, too_large_detail(self.max_body), CLOSE)
            return
        limited = scope["path"].startswith(LIMITED_PREFIXES)
        if limited and self.in_flight >= self.max_concurrency:
            await send_error(send, 503, saturated_detail(self.max_concurrency, self.retry_after),
                             {"Retry-After": str(self.retry_after)})
            return
        self.in_flight += limited
        try:
            await self._bounded(scope, receive, send)
        finally:
            self.in_flight -= limited

    async def _bounded(self, scope: Scope, receive: Receive, send: Send) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout
        received = 0
        body_done = False
        started = False

        async def bounded_receive() -> Message:
            nonlocal received, body_done
            if body_done:  # after the body, receive() only waits for a disconnect: no deadline
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(deadline - loop.time(), 0))
            except asyncio.TimeoutError:
                raise BodyTimeout(self.body_timeout) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
                body_done = not message.get("more_body", False)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded_receive, watched_send)
        except (BodyTooLarge, BodyTimeout) as exc:  # raised where no handler turned it into a response
            if not started:
                await send_error(send, exc.status_code, str(exc.detail), CLOSE)
