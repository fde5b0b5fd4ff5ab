"""How uvicorn runs the API: a header read timeout, keep-alive, graceful shutdown, workers.

uvicorn bounds idle keep-alive connections (``timeout_keep_alive``) but not a connection that opens and
sends its headers slowly, or never: our protocols answer such a connection 408 and close it after
``api.header_timeout_s``. Body time, size and concurrency are bounded in ``api/limits.py``.

The HTTP parser is httptools (C) when it is installed (``uvicorn[standard]``, a dependency), else h11 (pure
Python); ``HeaderDeadline`` gives either the same header timeout and the same bound on the header bytes.
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from reportqa.settings import Settings, get_settings

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools not installed: h11 only
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

H11_PROTOCOL = "api.protocol:HeaderTimeoutH11Protocol"
HTTPTOOLS_PROTOCOL = "api.protocol:HeaderTimeoutHttpToolsProtocol"
PROTOCOL = HTTPTOOLS_PROTOCOL if HttpToolsProtocol is not None else H11_PROTOCOL
APP_FACTORY = "api.app:create_app"
MAX_HEADER_BYTES = 16 * 1024  # request line + headers


def header_timeout_response(seconds: float) -> bytes:
    """The raw 408 written to a connection whose headers did not arrive in time."""
    detail = f"the request headers did not arrive within {seconds:g} s — send the whole request at once"
    body = json.dumps({"detail": detail}).encode()
    head = (f"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
            "connection: close\r\n\r\n").encode()
    return head + body


def _no_delay(transport: asyncio.Transport) -> None:
    """Send small writes at once. asyncio sets TCP_NODELAY only on sockets whose ``proto`` is TCP; the listening
    socket uvicorn binds for ``--workers`` has proto 0, so its connections waited ~40 ms (Nagle + delayed ACK)
    between a response's headers and body."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass


def header_too_large_response() -> bytes:
    """The raw 431 written to a connection whose request line and headers pass ``MAX_HEADER_BYTES``."""
    body = json.dumps({"detail": f"the request headers are over {MAX_HEADER_BYTES} bytes — send shorter headers"}).encode()
    head = (f"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode()
    return head + body


class HeaderDeadline:
    """Mixed into a uvicorn HTTP protocol: a deadline for a request's headers (from the connection or the first
    byte) and at most ``MAX_HEADER_BYTES`` received while they are awaited (h11 bounds that itself; httptools does not)."""

    config: Any
    cycle: Any
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._header_bytes = 0
        # set by server_config(); worker processes started by uvicorn.run read the environment's settings
        self._timeout: float = getattr(self.config, "header_timeout_s", None) or get_settings().api.header_timeout_s

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        _no_delay(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._awaiting_headers():
            self._arm()
        super().data_received(data)  # type: ignore[misc]
        if not self._awaiting_headers():
            self._disarm()
            self._header_bytes = 0
            return
        self._header_bytes += len(data)  # all of it went to an unfinished request line and headers
        if self._header_bytes > MAX_HEADER_BYTES and not isinstance(self, H11Protocol) and not self.transport.is_closing():
            self._disarm()
            self.transport.write(header_too_large_response())
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]

    def _awaiting_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self._timeout, self._headers_timed_out)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_timed_out(self) -> None:
        self._header_timer = None
        if self.transport.is_closing() or not self._awaiting_headers():
            return
        self.transport.write(header_timeout_response(self._timeout))
        self.transport.close()


class HeaderTimeoutH11Protocol(HeaderDeadline, H11Protocol):
    """uvicorn's h11 protocol (pure Python) with the header deadline."""


if HttpToolsProtocol is not None:

    class HeaderTimeoutHttpToolsProtocol(HeaderDeadline, HttpToolsProtocol):
        """uvicorn's httptools protocol (C parser) with the header deadline and header-size bound."""


def server_config(app: Any, settings: Settings, **options: Any) -> Any:
    """A ``uvicorn.Config`` for ``app`` with the bounds of ``settings.api`` (``options`` go to uvicorn as they are)."""
    import uvicorn

    config = uvicorn.Config(app, **{"host": settings.api.host, "port": settings.api.port, **uvicorn_options(settings), **options})
    config.header_timeout_s = settings.api.header_timeout_s  # type: ignore[attr-defined]  (read by the protocol)
    return config


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config`` that bound connections as ``settings.api`` says."""
    api = settings.api
    return {
        "http": PROTOCOL,
        "timeout_keep_alive": api.keep_alive_s,
        "timeout_graceful_shutdown": api.graceful_shutdown_s,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
    }
