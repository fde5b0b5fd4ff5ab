"""OpenAI-compatible routes: ``POST /v1/chat/completions`` (plain and ``stream: true``) and ``GET /v1/models``.

Existing chat front-ends and the official ``openai`` clients talk to ReportQA unchanged:

    client = openai.OpenAI(base_url="http://127.0.0.1:8000/v1", api_key="unused")
    reply = client.chat.completions.create(model="reportqa", messages=[{"role": "user", "content": "..."}])
    reply.choices[0].message.content, reply.model_extra["reportqa"]["citations"]

Errors on these routes use OpenAI's shape ``{"error": {"message", "type", "param", "code"}}`` (which the clients
read) and keep ReportQA's ``detail`` with the same readable message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.chat_schemas import (
    CHAT_EXAMPLE,
    MODEL_ID,
    ChatCompletion,
    ChatCompletionRequest,
    Model,
    ModelList,
    OpenAIErrorOut,
    answer_events,
    chunk,
    completion,
    model_of,
    new_id,
    openai_error,
    sse,
)
from api.deps import EngineDep
from api.errors import describe_validation_error
from api.schemas import EXAMPLE_QUESTION
from api.threads import run_sync
from reportqa import library
from reportqa.errors import ReportQAError
from reportqa.library import Engine

logger = logging.getLogger("reportqa.api")
SEND = f"send JSON such as {{\"model\": \"reportqa\", \"messages\": [{{\"role\": \"user\", \"content\": \"{EXAMPLE_QUESTION}\"}}]}}"
SSE_EXAMPLE = (
    'data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}], ...}\n\n'
    'data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"2021年共享住宿的…"}}], ...}\n\n'
    'data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],'
    ' "reportqa": {"answer": "…", "citations": [...], "facts": [...], "understood_as": "2021年共享住宿的交易额是多少？", ...}}\n\n'
    "data: [DONE]\n\n"
)


def _error(message: str, status: int, *, param: str | None = None, code: str | None = None,
           headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(openai_error(message, status, param=param, code=code), status_code=status, headers=headers)


class OpenAIErrorRoute(APIRoute):
    """A route whose failures answer in OpenAI's error shape (with ``detail`` too) instead of the app-wide handlers'."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                errors = exc.errors()
                phrases = list(dict.fromkeys(_describe(e) for e in errors)) or ["invalid request"]
                first = errors[0] if errors else {}
                param = ".".join(str(p) for p in first.get("loc", ()) if p != "body") if first.get("type") != "json_invalid" else ""
                return _error(f"{'; '.join(phrases)} — {SEND}", 422, param=param or None)
            except (HTTPException, StarletteHTTPException) as exc:
                detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
                return _error(detail, exc.status_code, headers=getattr(exc, "headers", None))
            except ReportQAError as exc:
                return _error(str(exc), exc.status_code)

        return handle


def _describe(err: dict[str, Any]) -> str:
    """One validation error as a phrase (``api.errors``' wording; an empty list says so)."""
    if err.get("type") == "too_short":
        return f"{'.'.join(str(p) for p in err.get('loc', ()) if p != 'body')} is empty"
    return describe_validation_error(err)


router = APIRouter(prefix="/v1", route_class=OpenAIErrorRoute, tags=["OpenAI-compatible chat"])


def _check(body: ChatCompletionRequest, engine: Engine) -> None:
    """What the schema cannot say: one choice only, and a model that exists."""
    if body.n not in (None, 1):
        raise _Unsupported(f"n is {body.n} — ReportQA gives one grounded answer per question; send n=1 or leave it out", "n")
    if body.model != MODEL_ID:
        raise _Unsupported(f"no model {body.model!r} — send \"model\": \"{MODEL_ID}\" (see GET /v1/models)", "model",
                           status=404, code="model_not_found")


class _Unsupported(ReportQAError):
    def __init__(self, message: str, param: str, *, status: int = 400, code: str | None = None) -> None:
        super().__init__(message)
        self.param, self.status_code, self.code = param, status, code


def _errors(**texts: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the OpenAI-shaped errors a route can return (``_400="..."``)."""
    return {int(code.lstrip("_")): {"model": OpenAIErrorOut, "description": text} for code, text in texts.items()}


_NOT_LOADED = "The index is not loaded (not built, or built from another corpus or embedder)."
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A chat completion (JSON), or with `stream: true` server-sent events ending in `data: [DONE]`.",
        "content": {"text/event-stream": {
            # one server-sent event: its `data` is a chat.completion.chunk as JSON, or `[DONE]` last
            "schema": {"type": "object", "properties": {"data": {"type": "string"}, "event": {"type": "string"}},
                       "required": ["data"]},
            "example": SSE_EXAMPLE}},
    },
    **_errors(_400="An option ReportQA cannot honour (`n` > 1).", _404="Unknown model.",
              _422="Malformed request, or the last message is not a user question.", _503=_NOT_LOADED),
}


@router.post("/chat/completions", response_model=ChatCompletion, summary="Chat (OpenAI-compatible)", responses=_RESPONSES,
             openapi_extra={"requestBody": {"content": {"application/json": {"example": CHAT_EXAMPLE}}}})
async def chat_completions(body: ChatCompletionRequest, engine: EngineDep, request: Request) -> Response | ChatCompletion:
    """Answer the last user message in the context of the conversation, with citations and checked facts in `reportqa`.

    A follow-up that leaves out the subject, year or measure ("那2021年呢？", "what about its share of the total?")
    takes them from the earlier user messages; the reply then starts with "理解为：…" / "Understood as: …" and
    `reportqa.understood_as` holds the standalone question. With `stream: true` the reply streams as
    `chat.completion.chunk` events; the last chunk before `data: [DONE]` carries `reportqa`.
    """
    try:
        _check(body, engine)
        messages = [m.model_dump(mode="json") for m in body.messages]
        if not body.stream:
            answer = await run_sync(request, library.ask_conversation, messages, engine)
            return completion(answer, body.model)
        rewrite = library.understand(messages, engine)  # cheap: bad input is a 4xx before the stream starts
    except _Unsupported as exc:
        return _error(str(exc), exc.status_code, param=exc.param, code=exc.code)
    return StreamingResponse(_stream(request, rewrite, engine, body.model), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def _stream(request: Request, rewrite: Any, engine: Engine, model: str) -> AsyncIterator[bytes]:
    """The role chunk at once, the answer's content deltas and its ``reportqa`` chunk when ready, then ``[DONE]``."""
    chat_id, created = new_id(), int(time.time())
    yield sse(chunk(chat_id, created, model, {"role": "assistant", "content": ""}))
    try:
        answer = await run_sync(request, library.answer_rewrite, rewrite, engine)
        events = answer_events(chat_id, created, model, answer)
    except ReportQAError as exc:
        events = [sse(openai_error(str(exc), exc.status_code)), sse("[DONE]")]
    except Exception:  # a bug: the client still gets a readable end of stream, the log gets the traceback
        logger.exception("chat stream failed")
        events = [sse(openai_error("internal error — the server log has the details; please report it", 500)), sse("[DONE]")]
    yield b"".join(events)  # the answer is whole by now: its events go out in one write


@router.get("/models", response_model=ModelList, summary="Models (OpenAI-compatible)", responses=_errors(_503=_NOT_LOADED))
async def models(engine: EngineDep) -> ModelList:
    """One model per loaded index: `reportqa`, created when the index was built, with its build id and embedder."""
    return ModelList(data=[model_of(engine.manifest, engine.index_info())])


@router.get("/models/{model_id}", response_model=Model, summary="One model (OpenAI-compatible)",
            responses=_errors(_404="Unknown model.", _422="Malformed request.", _503=_NOT_LOADED))
async def model(model_id: str, engine: EngineDep) -> Model | Response:
    """The model `reportqa`; 404 names the models that exist."""
    if model_id != MODEL_ID:
        return _error(f"no model {model_id!r} — the models are: {MODEL_ID}", 404, param="model", code="model_not_found")
    return model_of(engine.manifest, engine.index_info())
