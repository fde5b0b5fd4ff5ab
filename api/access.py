"""Install access control and observability on the app: request ids, access logs and metrics, API keys,
rate limits, and the routes that need the service database (``/v1/feedback``, ``/metrics``).

Middleware order, outermost first (CORS, added after this, wraps them all so refusals carry CORS headers):
RequestContext (id, metrics, access log) → Auth (key → ``request.state.api_key``) → RateLimit → routes.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from api.auth import PROTECTED_PREFIX, AuthMiddleware, KeyVerifier
from api.feedback import router as feedback_router
from api.observability import install_observability
from api.ratelimit import RateLimitMiddleware
from reportqa.settings import Settings
from reportqa.store.db import database_for

REQUEST_HEADERS = ["Authorization", "Content-Type", "X-Request-ID"]
EXPOSED_HEADERS = ["X-Request-ID", "Retry-After"]


def install_access(app: FastAPI, settings: Settings) -> None:
    """Add the middlewares and routes above; ``app.state.db`` is the service database (opened lazily)."""
    app.state.db = database_for(settings)
    app.state.key_verifier = KeyVerifier(app.state.db, settings.auth.cache_seconds)
    app.add_middleware(RateLimitMiddleware, limits=settings.rate_limit)
    app.add_middleware(AuthMiddleware, verifier=app.state.key_verifier)
    install_observability(app)
    app.include_router(feedback_router)
    _document_access(app)


ACCESS_ERRORS = {
    "401": "No key, or not a valid one, while API keys are configured (`Authorization: Bearer <key>`).",
    "403": "The key was revoked, or lacks the scope the route needs ('admin' for /v1/admin/*).",
    "429": "Too many requests from this key (or IP in open mode); `Retry-After` says when to retry.",
}


def _document_access(app: FastAPI) -> None:
    """Say in the OpenAPI schema that /v1/* takes a Bearer key (optional in open mode) and may answer 401/403/429."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = build()
        spec.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
            "type": "http", "scheme": "bearer",
            "description": "An API key from `reportqa keys create NAME`. Not needed while no key exists (open mode).",
        }
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for path, operations in spec.get("paths", {}).items():
            if not path.startswith(PROTECTED_PREFIX):
                continue
            for operation in operations.values():
                operation["security"] = [{"bearer": []}, {}]
                responses = operation.setdefault("responses", {})
                for code, description in ACCESS_ERRORS.items():
                    responses.setdefault(code, {"description": description, "content": error})
                responses["429"].setdefault("headers", {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}})
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
