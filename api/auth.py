"""API keys on ``/v1/*``: ``Authorization: Bearer <key>``, checked by a pure ASGI middleware.

- While the database holds no key at all, the API is in **open mode** (one WARNING at start-up naming
  `reportqa keys create`); once a key exists every ``/v1/*`` request needs a valid, unrevoked key
  (revoking every key closes the API rather than reopening it).
- 401 when the key is missing or unknown, 403 when it is revoked. ``/v1/admin/*`` takes a stored key with the
  ``admin`` scope (another stored key is 403) or, checked by the route, ``REPORTQA_API__ADMIN_KEY``. Everything outside ``/v1/`` (``/``, ``/healthz``, ``/readyz``,
  ``/metrics``, ``/docs``, ``/openapi.json``, static files) stays open.
- Verification is one sha256 and a dictionary lookup: key records (and "are there keys?") are cached for
  ``auth.cache_seconds``, so a revoked key stops working within that time; the database is asked in a
  worker thread, never on the event loop.
- Guessing is throttled: after ``FAILURES_BURST`` invalid keys from one IP, that IP gets 429 (one more
  attempt per second) before its keys reach the database.
- ``request.state.api_key`` is the key's name (None in open mode), ``request.state.api_scopes`` its scopes.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.ratelimit import TokenBuckets
from reportqa.store.db import Database, DatabaseError
from reportqa.store.keys import ApiKey, find_key, has_keys, hash_key, touch_key

logger = logging.getLogger("reportqa.api")

PROTECTED_PREFIX = "/v1/"
ADMIN_PREFIX = "/v1/admin/"
CACHE_LIMIT = 10_000  # cached key lookups (valid and invalid) before the cache is emptied
FAILURES_BURST, FAILURES_PER_SECOND = 20, 1.0  # invalid keys one IP may try

MISSING = ("this API needs a key — send the header 'Authorization: Bearer <key>'; "
           "an operator creates keys with `reportqa keys create NAME`")
MALFORMED = "the Authorization header must be 'Bearer <key>' (one space, then the key as `reportqa keys create` printed it)"
INVALID = "the API key is not valid — check it was copied whole, or ask an operator for a new one (`reportqa keys create NAME`)"
TOO_MANY_INVALID = "too many invalid API keys from this address — retry after 1 s with the key `reportqa keys create` printed"
NEEDS_ADMIN = "/v1/admin/* needs a key with the 'admin' scope — an operator creates one with `reportqa keys create NAME --scope admin`"
OPEN_MODE_WARNING = ("open mode: no API keys exist, so /v1/* answers anyone who can reach this port — "
                     "run `reportqa keys create NAME` to require keys")


@dataclass
class _Cached:
    key: ApiKey | None
    at: float


class KeyVerifier:
    """Cached answers to "are there keys?" and "which key is this?" for one database."""

    def __init__(self, db: Database, ttl: float) -> None:
        self.db = db
        self.ttl = ttl
        self._keys: dict[str, _Cached] = {}
        self._any: tuple[bool, float] | None = None

    async def keys_exist(self) -> bool:
        """True once any key was created (cached for ``ttl`` seconds)."""
        now = time.monotonic()
        if self._any is None or now - self._any[1] >= self.ttl:
            self._any = (await anyio.to_thread.run_sync(has_keys, self.db), now)
        return self._any[0]

    async def lookup(self, key: str) -> ApiKey | None:
        """The stored record of a plain key (None when unknown); records the use at most once per ``ttl``."""
        digest = hash_key(key)
        now = time.monotonic()
        hit = self._keys.get(digest)
        if hit is not None and now - hit.at < self.ttl:
            return hit.key
        record = await anyio.to_thread.run_sync(self._fetch, key)
        if len(self._keys) >= CACHE_LIMIT:
            self._keys.clear()
        self._keys[digest] = _Cached(record, now)
        return record

    def _fetch(self, key: str) -> ApiKey | None:
        record = find_key(self.db, key)
        if record is not None and record.active:
            touch_key(self.db, record.id)
        return record

    def forget(self) -> None:
        """Drop every cached answer (after creating or revoking keys in this process)."""
        self._keys.clear()
        self._any = None


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            return value.decode("latin-1")
    return None


async def _reject(send: Send, status: int, detail: str) -> None:
    headers = [(b"content-type", b"application/json")]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="reportqa"'))
    if status == 429:
        headers.append((b"retry-after", b"1"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")})


class AuthMiddleware:
    """Require a Bearer key on /v1/* once keys exist; put the key's name on ``request.state.api_key``."""

    def __init__(self, app: ASGIApp, verifier: KeyVerifier) -> None:
        self.app = app
        self.verifier = verifier
        self.failures = TokenBuckets(FAILURES_PER_SECOND, FAILURES_BURST)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, self._announcing(receive), send)
            return
        if scope["type"] != "http" or not scope["path"].startswith(PROTECTED_PREFIX) or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["api_key"], state["api_scopes"] = None, []
        try:
            refusal = await self._refusal(scope, state)
        except DatabaseError as err:
            logger.error("API key check failed: %s", err)
            refusal = (503, str(err))
        if refusal is not None:
            await _reject(send, *refusal)
            return
        await self.app(scope, receive, send)

    async def _refusal(self, scope: Scope, state: dict[str, object]) -> tuple[int, str] | None:
        """(status, detail) when the request may not pass; None (after filling ``state``) when it may."""
        if scope["path"].startswith(ADMIN_PREFIX):
            return await self._admin_refusal(scope, state)
        if not await self.verifier.keys_exist():
            return None
        header = _bearer(scope)
        if header is None:
            return 401, MISSING
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            return 401, MALFORMED
        client = scope.get("client")
        ip = client[0] if client else "unknown"
        if self.failures.wait(ip) > 0:
            return 429, TOO_MANY_INVALID
        record = await self.verifier.lookup(key.strip())
        if record is None:
            self.failures.take(ip)
            return 401, INVALID
        if record.revoked_at is not None:
            return 403, f"the API key {record.name!r} was revoked on {record.revoked_at:%Y-%m-%d %H:%M} UTC — ask an operator for a new one"
        state["api_key"], state["api_scopes"] = record.name, list(record.scopes)
        return None

    async def _admin_refusal(self, scope: Scope, state: dict[str, object]) -> tuple[int, str] | None:
        """Admin routes: a stored key with the 'admin' scope passes (and is recorded); a stored key without it is
        403; anything else goes on to the route, which accepts REPORTQA_API__ADMIN_KEY (api/admin.py)."""
        header = _bearer(scope)
        scheme, _, key = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not key.strip() or not await self.verifier.keys_exist():
            return None
        record = await self.verifier.lookup(key.strip())
        if record is None or record.revoked_at is not None:
            return None
        if "admin" not in record.scopes:
            return 403, NEEDS_ADMIN
        state["api_key"], state["api_scopes"] = record.name, list(record.scopes)
        return None

    def _announcing(self, receive: Receive) -> Receive:
        """Wrap the lifespan ``receive`` so start-up logs whether keys are required (open mode: one WARNING)."""

        async def wrapped() -> Message:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    required = await self.verifier.keys_exist()
                except Exception as err:  # noqa: BLE001 - a database problem must not stop start-up; requests will report it
                    logger.error("cannot read API keys (%s) — /v1/* answers 503 until the database is reachable", err)
                else:
                    if required:
                        logger.info("API keys required on /v1/* (`reportqa keys list` shows them)")
                    else:
                        logger.warning(OPEN_MODE_WARNING)
            return message

        return wrapped
