"""Per-client rate limits on ``/v1/*``: an in-process token bucket per API key (per client IP in open mode).

A client may send ``rate_limit.burst`` requests at once, then ``rate_limit.per_second`` on average; beyond
that it gets 429 with ``Retry-After`` (whole seconds) and a JSON detail. ``per_second = 0`` turns limiting
off. Limits are per process: with N workers a client gets up to N times the rate.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from reportqa.settings import RateLimitSettings

LIMITED_PREFIX = "/v1/"  # the routes that are limited (the same ones that need a key)
MAX_CLIENTS = 50_000  # buckets kept before full (idle) ones are dropped


class TokenBuckets:
    """One token bucket per client id: ``burst`` tokens, refilled at ``rate`` per second."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Spend one token: 0.0 when allowed, else the seconds until the next token."""
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            if tokens >= 1.0:
                if len(self._buckets) >= MAX_CLIENTS:
                    self._drop_full(now)
                self._buckets[client] = (tokens - 1.0, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def wait(self, client: str) -> float:
        """Seconds until ``client`` has a token (0.0 when it has one now); spends nothing."""
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.get(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) * self.rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    def _drop_full(self, now: float) -> None:
        full = [c for c, (tokens, at) in self._buckets.items() if tokens + (now - at) * self.rate >= self.burst]
        for client in full:
            del self._buckets[client]


def client_id(scope: Scope) -> tuple[str, str]:
    """('key', name) for an authenticated request, else ('ip', address)."""
    name = scope.get("state", {}).get("api_key")
    if name:
        return "key", name
    client = scope.get("client")
    return "ip", client[0] if client else "unknown"


class RateLimitMiddleware:
    """429 with Retry-After when a client exceeds its bucket (runs after AuthMiddleware has named the key)."""

    def __init__(self, app: ASGIApp, limits: RateLimitSettings) -> None:
        self.app = app
        self.limits = limits
        self.buckets = TokenBuckets(limits.per_second, limits.burst)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or self.limits.per_second <= 0 or scope["method"] == "OPTIONS"
                or not scope["path"].startswith(LIMITED_PREFIX)):
            await self.app(scope, receive, send)
            return
        kind, who = client_id(scope)
        wait = self.buckets.take(f"{kind}:{who}")
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry = max(1, math.ceil(wait))
        whom = f"API key {who!r}" if kind == "key" else f"client {who} (open mode: limited per IP)"
        detail = (f"rate limit exceeded for {whom}: {self.limits.per_second:g} requests/s, bursts of {self.limits.burst} — "
                  f"retry after {retry} s, or ask an operator to raise REPORTQA_RATE_LIMIT__PER_SECOND / __BURST")
        await send({"type": "http.response.start", "status": 429, "headers": [
            (b"content-type", b"application/json"), (b"retry-after", str(retry).encode())]})
        await send({"type": "http.response.body", "body": json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")})
