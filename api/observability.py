"""Request ids, JSON access logs and Prometheus metrics.

- ``RequestContextMiddleware`` (pure ASGI, outermost of ours): takes ``X-Request-ID`` from the request
  (or makes one), returns it in the response header, puts it on ``request.state.request_id`` and in the
  ``request_id`` context variable, counts and times the request, and logs one JSON line per request on the
  ``reportqa.access`` logger: request id, method, route (the template, e.g. ``/v1/tables/{table_id}``),
  path, status, ms, key name (None in open mode), client.
- ``Metrics``: one Prometheus registry per app (``app.state.metrics``), served at ``GET /metrics``. With
  ``PROMETHEUS_MULTIPROC_DIR`` set (several worker processes), ``/metrics`` aggregates every process.
- ``record_answer`` / ``record_facts``: routes that produce answers call these (answer kinds, abstentions,
  checker verdicts, and the opt-in question log).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import uuid
from contextvars import ContextVar
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reportqa.records import Answer, Fact

access_logger = logging.getLogger("reportqa.access")
logger = logging.getLogger("reportqa.api")

REQUEST_ID_HEADER = "X-Request-ID"
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
_VALID_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
UNMATCHED = "unmatched"  # route label of requests no route matched (keeps label cardinality bounded)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The app's Prometheus metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter("reportqa_http_requests", "HTTP requests by route template, method and status.",
                                ["route", "method", "status"], registry=r)
        self.latency = Histogram("reportqa_http_request_duration_seconds", "Time from request to last response byte, by route.",
                                 ["route"], buckets=LATENCY_BUCKETS, registry=r)
        self.answers = Counter("reportqa_answers", "Answers given, by kind (table, computed, text, narrative, unanswerable).",
                               ["kind"], registry=r)
        self.abstentions = Counter("reportqa_abstentions", "Answers saying the report does not say (answerable false).", registry=r)
        self.verdicts = Counter("reportqa_checker_verdicts", "Numeric-fact checker verdicts, by status and source (ask or check).",
                                ["status", "source"], registry=r)
        self.cache_hits = Counter("reportqa_answer_cache_hits", "Answers served from a cache (when the library reports it).", registry=r)

    def exposition(self) -> bytes:
        """The text format of every metric (all worker processes when PROMETHEUS_MULTIPROC_DIR is set)."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)


def route_template(app: Any, scope: Scope) -> str:
    """The matched route's path template, or 'unmatched'.

    Requests refused before routing (401, 403, 429) are matched against the app's path templates.
    """
    route = scope.get("route")
    if route is not None and getattr(route, "path", None):
        return route.path
    path = scope.get("path", "")
    for pattern, template in _templates(app):
        if pattern.match(path):
            return template
    return UNMATCHED


def _templates(app: Any) -> list[tuple[re.Pattern[str], str]]:
    """(regex, template) for every route: the OpenAPI paths plus the app's own (docs) routes; built once."""
    cached = getattr(app.state, "route_templates", None)
    if cached is None:
        paths = [r.path for r in app.router.routes if isinstance(getattr(r, "path", None), str)]
        paths += [p for p in app.openapi().get("paths", {}) if p not in paths]
        cached = app.state.route_templates = [(compile_path(p)[0], p) for p in paths]
    return cached


def _incoming_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            candidate = value.decode("latin-1").strip()
            if _VALID_ID.match(candidate):
                return candidate
            break
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """Request id in and out, one access-log line and the request metrics per HTTP request."""

    def __init__(self, app: ASGIApp, fastapi_app: FastAPI, metrics: Metrics) -> None:
        self.app = app
        self.fastapi_app = fastapi_app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        rid = _incoming_id(scope)
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        token = request_id_var.set(rid)
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)
            elapsed = time.perf_counter() - start
            route = route_template(self.fastapi_app, scope)
            self.metrics.requests.labels(route, scope["method"], str(status)).inc()
            self.metrics.latency.labels(route).observe(elapsed)
            client = scope.get("client")
            access_logger.info(json.dumps({
                "request_id": rid, "method": scope["method"], "route": route, "path": scope["path"], "status": status,
                "ms": round(elapsed * 1000, 2), "key": state.get("api_key"), "client": client[0] if client else None,
            }, ensure_ascii=False))


def record_facts(request: Request, facts: list[Fact], source: str) -> None:
    """Count checker verdicts (``source``: 'ask' or 'check')."""
    metrics: Metrics = request.app.state.metrics
    for fact in facts:
        metrics.verdicts.labels(fact.status, source).inc()


async def record_answer(request: Request, answer: Answer) -> None:
    """Count the answer's kind, abstention, verdicts and cache hit; log the question when ``log_questions`` is on."""
    metrics: Metrics = request.app.state.metrics
    metrics.answers.labels(answer.kind).inc()
    if not answer.answerable:
        metrics.abstentions.inc()
    if answer.timing_ms.get("cache_hit"):
        metrics.cache_hits.inc()
    record_facts(request, answer.facts, "ask")
    if request.app.state.settings.log_questions:
        from reportqa.store.db import DatabaseError
        from reportqa.store.feedback import log_question

        try:
            await run_in_threadpool(
                log_question, request.app.state.db, answer.question, language=answer.language, kind=answer.kind,
                answerable=answer.answerable, key_name=getattr(request.state, "api_key", None),
                request_id=getattr(request.state, "request_id", None),
            )
        except DatabaseError as err:  # the answer matters more than its log line
            logger.error("question not logged: %s", err)


metrics_router = APIRouter()


@metrics_router.get("/metrics", summary="Prometheus metrics", response_class=Response,
                    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format."}})
async def metrics_endpoint(request: Request) -> Response:
    """Requests by route and status, latency histograms, answer kinds, abstentions, checker verdicts, cache hits."""
    return Response(request.app.state.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


def configure_access_log() -> None:
    """Send ``reportqa.access`` lines (INFO) to stderr, once per process."""
    access_logger.setLevel(logging.INFO)
    if not access_logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_logger.addHandler(handler)


def install_observability(app: FastAPI) -> Metrics:
    """Add the request-context middleware and ``GET /metrics`` to ``app``; return its Metrics."""
    metrics = Metrics()
    app.state.metrics = metrics
    configure_access_log()
    app.add_middleware(RequestContextMiddleware, fastapi_app=app, metrics=metrics)
    app.include_router(metrics_router)
    return metrics
