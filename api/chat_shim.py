"""TEMPORARY stand-ins for ``POST /v1/chat/completions`` and ``POST /v1/feedback`` (the chat-api and store-auth branches build the real ones).

They follow the agreed contracts so the page and the widget can be built and tested before the real
endpoints are merged; the lead replaces this module at merge. Known limits of the shim:
- chat answers the *last* user message alone (``library.ask``): follow-ups do not inherit their subject;
- feedback is appended to ``<data_dir>/feedback.jsonl``, not the service database.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from api.deps import EngineDep, SettingsDep
from reportqa import library
from reportqa.errors import BadQuestion
from reportqa.records import Answer, Citation

router = APIRouter(prefix="/v1", include_in_schema=False)  # temporary: the real endpoints document themselves
MODEL = "reportqa"
STREAM_PIECE_CHARS = 8


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str = ""


class ChatRequest(BaseModel):
    """OpenAI chat-completions request (extra OpenAI fields such as temperature are accepted and ignored)."""

    model_config = ConfigDict(extra="allow")

    model: str = MODEL
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False


def _last_question(messages: list[ChatMessage]) -> str:
    for message in reversed(messages):
        if message.role == "user":
            return message.content
    raise BadQuestion("messages has no user message — send e.g. [{\"role\": \"user\", \"content\": \"2022年共享住宿规模\"}]")


def _completion(answer: Answer, completion_id: str, created: int) -> dict[str, Any]:
    return {
        "id": completion_id, "object": "chat.completion", "created": created, "model": MODEL,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.answer}, "finish_reason": "stop"}],
        "reportqa": answer.model_dump(mode="json"),
    }


def _chunk(completion_id: str, created: int, delta: dict[str, str], finish: str | None = None, **extra: Any) -> str:
    body = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": MODEL,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


def _stream(answer: Answer, completion_id: str, created: int) -> Iterator[str]:
    yield _chunk(completion_id, created, {"role": "assistant", "content": ""})
    text = answer.answer
    for i in range(0, len(text), STREAM_PIECE_CHARS):
        yield _chunk(completion_id, created, {"content": text[i:i + STREAM_PIECE_CHARS]})
    yield _chunk(completion_id, created, {}, "stop", reportqa=answer.model_dump(mode="json"))
    yield "data: [DONE]\n\n"


@router.post("/chat/completions", summary="Chat (temporary shim: answers the last user message alone)")
async def chat_completions(body: ChatRequest, engine: EngineDep) -> Any:
    """OpenAI-compatible chat; the full ``/v1/ask`` answer travels in the ``reportqa`` field."""
    question = _last_question(body.messages)
    answer = await run_in_threadpool(library.ask, question, engine)
    completion_id, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    if body.stream:
        return StreamingResponse(_stream(answer, completion_id, created), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache"})
    return _completion(answer, completion_id, created)


class FeedbackRequest(BaseModel):
    """A reader's verdict on one answer."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=2000)
    answer: str = Field(max_length=20_000)
    citations: list[Citation] | None = None
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=5000)
    corrected_answer: str | None = Field(default=None, max_length=5000)


class FeedbackCreated(BaseModel):
    id: str


_feedback_lock = threading.Lock()


def _append_feedback(path: Path, record: dict[str, Any]) -> None:
    """Append one JSON line (one write call, flushed and synced) under a lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with _feedback_lock, path.open("a", encoding="utf-8") as f:
        f.write(line)
        f.flush()


@router.post("/feedback", status_code=201, response_model=FeedbackCreated, summary="Rate an answer (temporary shim)")
async def feedback(body: FeedbackRequest, settings: SettingsDep) -> FeedbackCreated:
    """Store 👍/👎 with an optional comment and corrected answer."""
    record = {"id": uuid.uuid4().hex, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              **body.model_dump(mode="json")}
    await run_in_threadpool(_append_feedback, settings.data_dir / "feedback.jsonl", record)
    return FeedbackCreated(id=record["id"])
