"""The HTTP edge of ReportQA's errors: every failure becomes ``{"detail": "<what went wrong — what to send>"}``.

- ``ReportQAError`` subclasses → their ``status_code`` (BadQuestion 422, TableNotFound 404, IndexNotBuilt 503, ...).
- ``RequestValidationError`` (missing or mistyped field, out-of-range value, invalid JSON) → 422, one readable line.
- ``HTTPException`` (unknown route, unreadable body, ...) → its status, ``detail`` as a string.
- anything else → 500 "internal error", logged with its traceback (a bug: bad input never lands here).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api.schemas import ASK_EXAMPLE, CHECK_EXAMPLE, SEARCH_EXAMPLE
from reportqa.errors import ReportQAError

logger = logging.getLogger("reportqa.api")

_SEND = {
    "/v1/ask": "send JSON such as " + json.dumps(ASK_EXAMPLE, ensure_ascii=False),
    "/v1/check": "send JSON such as " + json.dumps(CHECK_EXAMPLE, ensure_ascii=False),
    "/v1/search": f"send a query such as {SEARCH_EXAMPLE}",
    "/v1/feedback": 'send JSON such as {"question": "...", "answer": "...", "rating": "up"} (rating "up" or "down"; '
    'optional citations, comment, corrected_answer)',
}


def _hint(request: Request) -> str:
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    return _SEND.get(path, "see /docs for the expected request")


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def _got(err: dict[str, Any]) -> str:
    value = err.get("input")
    if value is None or isinstance(value, (dict, list, bytes)):
        return ""
    shown = json.dumps(value, ensure_ascii=False)
    return f" (got {shown[:40] + '…' if len(shown) > 40 else shown})"


def describe_validation_error(err: dict[str, Any]) -> str:
    """One validation error as a short phrase: 'question must be a string (got 123)'."""
    kind, loc, ctx = err.get("type", ""), tuple(err.get("loc", ())), err.get("ctx") or {}
    name = _field(loc)
    if kind == "json_invalid":
        pos = loc[1] if len(loc) > 1 else "?"
        return f"the body is not valid JSON ({ctx.get('error', 'decode error')} at character {pos})"
    if kind == "missing":
        return "the body is missing" if name == "body" else f"{name} is missing"
    if kind == "extra_forbidden":
        return f"unexpected field {name!r}"
    if name == "body" or kind in ("model_attributes_type", "dict_type", "model_type"):
        return "the body must be a JSON object sent with Content-Type: application/json"
    if kind in ("string_type", "string_unicode"):
        return f"{name} must be a string{_got(err)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{name} must be a whole number{_got(err)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = err.get("msg", "is out of range").removeprefix("Input should be ").removeprefix("Input ")
        return f"{name} must be {bound}{_got(err)}"
    if kind in ("string_too_short", "string_pattern_mismatch"):
        return f"{name} is empty"
    if kind == "string_too_long":
        return f"{name} is too long (at most {ctx.get('max_length')} characters)"
    return f"{name}: {err.get('msg', 'invalid value')}{_got(err)}"


async def reportqa_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """A library error: its own status code and its fix-it message."""
    status = getattr(exc, "status_code", 400)
    if status >= 500:
        logger.error("%s: %s", type(exc).__name__, exc)
    return JSONResponse({"detail": str(exc)}, status_code=status)


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """422 with every problem in one line, followed by what to send."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    phrases = list(dict.fromkeys(describe_validation_error(e) for e in errors)) or ["invalid request"]
    return JSONResponse({"detail": f"{'; '.join(phrases)} — {_hint(request)}"}, status_code=422)


async def http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Starlette/FastAPI HTTP errors keep their status; the detail says what to do where we can."""
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail, ensure_ascii=False)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no endpoint {request.method} {request.url.path} — see /docs for the endpoints"
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path} — see /docs for the methods"
    elif exc.status_code == 400:
        if detail == "There was an error parsing the body":
            detail = "the body could not be read as UTF-8 JSON"
        detail = f"{detail} — {_hint(request)}"
    return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))


async def unexpected_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """A bug, not bad input: log it and answer 500 without leaking internals."""
    logger.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "internal error — the server log has the details; please report it"}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on ``app``."""
    app.add_exception_handler(ReportQAError, reportqa_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(HTTPException, http_error_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)
