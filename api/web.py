"""The browser side of the service: the chat page at ``/``, the embeddable ``/widget.js``, and who may embed them.

Who may embed is configuration: ``api.cors_origins`` (``REPORTQA_API__CORS_ORIGINS``) is both the CORS
allowlist of ``/v1`` and the page's ``Content-Security-Policy: frame-ancestors``. A request from any
other origin gets a JSON ``{"detail": ...}`` 403 saying which setting to change (Starlette's own CORS
middleware answers rejected preflights in plain text).
"""

from __future__ import annotations

from pathlib import Path

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Query
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api.deps import EngineDep
from api.schemas import error_responses
from reportqa.passages import Passage, quote_context

STATIC_DIR = Path(__file__).resolve().parent / "static"
GUARDED_PREFIX = "/v1/"
ALLOWED_METHODS = ["GET", "POST"]
ALLOWED_HEADERS = ["Authorization", "Content-Type"]


def page_csp(origins: list[str]) -> str:
    """The page's Content-Security-Policy: vendored assets only, embeddable by itself and the allowed origins."""
    ancestors = "*" if "*" in origins else " ".join(["'self'", *origins])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        f"base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors {ancestors}"
    )


def origin_allowed(origin: str, scope: Scope, origins: list[str]) -> bool:
    """The configured origins ('*': every origin) and the service's own pages are allowed.

    "Own" compares host and port only, so the page still works behind a proxy that terminates TLS
    (the browser says https://host, the proxied request arrives as http with ``Host: host``).
    """
    if "*" in origins or origin in origins:
        return True
    host = Headers(scope=scope).get("host")
    return host is not None and urlsplit(origin).netloc == host


def refused_origin(origin: str) -> JSONResponse:
    """403 for a page whose origin is not on the allowlist, naming the setting that allows it."""
    detail = (
        f"origin {origin} may not call this service — add it to REPORTQA_API__CORS_ORIGINS "
        f"(a JSON list such as [\"{origin}\"]) and restart the service"
    )
    return JSONResponse({"detail": detail}, status_code=403)


class OriginGuard:
    """Refuse /v1 requests (preflights included) whose ``Origin`` is neither this service nor on the allowlist."""

    def __init__(self, app: ASGIApp, origins: list[str]) -> None:
        self.app, self.origins = app, origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(GUARDED_PREFIX):
            origin = Headers(scope=scope).get("origin")
            if origin is not None and not origin_allowed(origin, scope, self.origins):
                await refused_origin(origin)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class JSONCORSMiddleware(CORSMiddleware):
    """Starlette's CORS middleware, with its plain-text preflight refusals turned into ``{"detail": ...}``."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        reason = response.body.decode("utf-8", "replace")
        detail = (
            f"{reason} — this service accepts methods {', '.join(ALLOWED_METHODS)} "
            f"and headers {', '.join(ALLOWED_HEADERS)} from origins in REPORTQA_API__CORS_ORIGINS"
        )
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return JSONResponse({"detail": detail}, status_code=response.status_code, headers=headers)


def install_cors(app: FastAPI, origins: list[str], headers: list[str] = ALLOWED_HEADERS,
                 expose: list[str] | None = None) -> None:
    """CORS for the allowed origins (Bearer keys and request ids included), with JSON refusals for every other origin."""
    app.add_middleware(
        JSONCORSMiddleware, allow_origins=origins, allow_methods=ALLOWED_METHODS, allow_headers=headers,
        expose_headers=expose or [], max_age=600,
    )
    app.add_middleware(OriginGuard, origins=origins)  # added last = runs first


def page_router(origins: list[str]) -> APIRouter:
    """``/`` (the chat page) and ``/widget.js`` (the embeddable chat), both from ``api/static``."""
    router = APIRouter(include_in_schema=False)
    csp = page_csp(origins)

    @router.get("/")
    async def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8",
                            headers={"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff"})

    @router.get("/widget.js")
    async def widget() -> FileResponse:
        return FileResponse(STATIC_DIR / "widget.js", media_type="text/javascript; charset=utf-8",
                            headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})

    return router


context_router = APIRouter(prefix="/v1")


@context_router.get("/context", response_model=Passage, summary="A cited quote in its context",
                    responses=error_responses(404, 422, 503))
async def context(
    engine: EngineDep,
    doc: Annotated[str, Query(description="A citation's `doc`.", examples=["china-sharing-economy-report-2023"])],
    start: Annotated[int, Query(ge=0, description="A citation's `span[0]`.")],
    end: Annotated[int, Query(ge=1, description="A citation's `span[1]`.")],
) -> Passage:
    """The paragraph around a citation's quote (the page's "show in context")."""
    return quote_context(engine.documents, doc, start, end)


def install_web(app: FastAPI, origins: list[str]) -> None:
    """Mount the page, the widget, their static assets and the quote-context route."""
    app.include_router(page_router(origins))
    app.include_router(context_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

