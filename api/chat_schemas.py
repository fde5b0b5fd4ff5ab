"""OpenAI-compatible shapes of ``/v1/chat/completions`` and ``/v1/models``, and how an answer becomes them.

The answer text is the ``/v1/ask`` answer (after '理解为：…' / 'Understood as: …' when a follow-up was rewritten);
its citations and checked facts travel in the extension field ``reportqa`` (a ``ConversationAnswer``): in the
completion, and when streaming in the last chunk before ``data: [DONE]``.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas import EXAMPLE_QUESTION
from reportqa.conversation import understood_as_line
from reportqa.records import ConversationAnswer, Manifest

MODEL_ID = "reportqa"
CHAT_EXAMPLE: dict[str, Any] = {
    "model": MODEL_ID,
    "messages": [
        {"role": "user", "content": EXAMPLE_QUESTION},
        {"role": "assistant", "content": "2022年共享住宿的共享经济交易额为115亿元。"},
        {"role": "user", "content": "那2021年呢？"},
    ],
}
_PIECE = re.compile(r".+?(?:[。；！？;!?]|[,，](?=\S)|\.(?=\s)|$)", re.S)


class ContentPart(BaseModel):
    """One part of a message's content; text parts are read, others (images, audio) ignored."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="'text' parts carry the question; other types are ignored.")
    text: str | None = None


class ChatMessage(BaseModel):
    """One message of the conversation. Only user messages shape the question; the others are accepted and ignored."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = Field(default=None, description="Text, or a list of content parts.")


class ChatCompletionRequest(BaseModel):
    """An OpenAI chat-completions request. Sampling and tool options are accepted and ignored (answers are
    grounded, not sampled); unknown fields are ignored too. `n` must be 1."""

    # strict: a value of the wrong JSON type ("max_tokens": "5") is a 422, as the schema says, never coerced
    model_config = ConfigDict(extra="ignore", strict=True,
                              json_schema_extra={"examples": [CHAT_EXAMPLE, {**CHAT_EXAMPLE, "stream": True}]})

    model: str = Field(description=f"A model id from `GET /v1/models` (`{MODEL_ID}`).", examples=[MODEL_ID])
    messages: list[ChatMessage] = Field(min_length=1, description="The conversation; the last message is the user's question.")
    stream: bool | None = Field(default=False, description="Server-sent events: content deltas, then a chunk with `reportqa`, then `[DONE]`.")
    n: int | None = Field(default=1, description="Must be 1: one grounded answer per question.")
    temperature: float | None = Field(default=None, description="Ignored (answers are not sampled).")
    top_p: float | None = Field(default=None, description="Ignored.")
    max_tokens: int | None = Field(default=None, description="Ignored: the answer is never cut (its figures and citations must stay whole).")
    max_completion_tokens: int | None = Field(default=None, description="Ignored, as max_tokens.")
    stop: str | list[str] | None = Field(default=None, description="Ignored.")
    presence_penalty: float | None = Field(default=None, description="Ignored.")
    frequency_penalty: float | None = Field(default=None, description="Ignored.")
    seed: int | None = Field(default=None, description="Ignored (answers are deterministic).")
    user: str | None = Field(default=None, description="Ignored.")
    stream_options: dict[str, Any] | None = Field(default=None, description="Ignored (no token usage is reported).")


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class ChatCompletion(BaseModel):
    """An OpenAI chat completion plus `reportqa`: the full Answer (citations, checked facts) and how the question was read."""

    id: str = Field(description="'chatcmpl-…', unique per response.")
    object: Literal["chat.completion"] = "chat.completion"
    created: int = Field(description="Unix time of the response.")
    model: str
    choices: list[Choice]
    system_fingerprint: str | None = Field(default=None, description="The index build id.")
    reportqa: ConversationAnswer = Field(description="The `/v1/ask` Answer to the (understood) question, plus `asked`, `understood_as`, `inherited`.")


class Model(BaseModel):
    """One answerable index, as an OpenAI model."""

    id: str
    object: Literal["model"] = "model"
    created: int = Field(description="Unix time the index was built.")
    owned_by: str = "reportqa"
    reportqa: dict[str, Any] = Field(default_factory=dict, description="build_id, embedder and corpus hashes of the index.")


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[Model]


class OpenAIErrorBody(BaseModel):
    message: str = Field(description="What went wrong and what to send instead.")
    type: str = Field(description="'invalid_request_error', 'server_error', ...")
    param: str | None = Field(default=None, description="The request field at fault, when one is.")
    code: str | None = Field(default=None, description="'model_not_found', ... or null.")


class OpenAIErrorOut(BaseModel):
    """Errors of the OpenAI-compatible routes: OpenAI's shape (what its clients read), plus the usual `detail`."""

    error: OpenAIErrorBody = Field(description="OpenAI's error object.")
    detail: str = Field(description="The same message as `error.message`.")


def model_of(manifest: Manifest, index: dict[str, str]) -> Model:
    """The index as a model: id, build time, index info."""
    try:
        created = int(datetime.fromisoformat(manifest.built_at).timestamp())
    except ValueError:
        created = 0
    return Model(id=MODEL_ID, created=created, reportqa=dict(index))


def reply_text(answer: ConversationAnswer) -> str:
    """The assistant message: the answer, after what a rewritten follow-up was understood as."""
    line = understood_as_line(answer.understood_as, answer.language)
    return f"{line}\n\n{answer.answer}" if line else answer.answer


def completion(answer: ConversationAnswer, model: str) -> ChatCompletion:
    """The non-streaming response."""
    return ChatCompletion(
        id=new_id(), created=int(time.time()), model=model, choices=[Choice(message=AssistantMessage(content=reply_text(answer)))],
        system_fingerprint=answer.index.get("build_id"), reportqa=answer,
    )


def new_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def pieces(text: str, most: int = 4) -> list[str]:
    """The text in at most ``most`` consecutive pieces cut after sentence or clause ends (joined, they are the text)."""
    parts = [m.group(0) for m in _PIECE.finditer(text)] or [text]
    if len(parts) <= most:
        return parts
    size = -(-len(parts) // most)
    return ["".join(parts[i : i + size]) for i in range(0, len(parts), size)]


def sse(data: dict[str, Any] | str) -> bytes:
    """One server-sent event line: ``data: <json>`` and a blank line."""
    body = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"data: {body}\n\n".encode()


def chunk(chat_id: str, created: int, model: str, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> dict[str, Any]:
    """A ``chat.completion.chunk`` with one choice."""
    return {
        "id": chat_id, "object": "chat.completion.chunk", "created": created, "model": model, "system_fingerprint": None,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}], **extra,
    }


def answer_events(chat_id: str, created: int, model: str, answer: ConversationAnswer) -> list[bytes]:
    """Content deltas of the reply, then the final chunk with ``reportqa`` (the Answer), then ``[DONE]``."""
    events = [sse(chunk(chat_id, created, model, {"content": p})) for p in pieces(reply_text(answer))]
    final = chunk(chat_id, created, model, {}, "stop", reportqa=answer.model_dump(mode="json"))
    final["system_fingerprint"] = answer.index.get("build_id")
    return [*events, sse(final), sse("[DONE]")]


def openai_error(message: str, status: int, *, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    """OpenAI's error body, plus ReportQA's usual ``detail`` with the same readable message."""
    kind = {401: "authentication_error", 403: "permission_error", 404: "invalid_request_error", 429: "rate_limit_error"}.get(
        status, "invalid_request_error" if status < 500 else "server_error"
    )
    return {"error": {"message": message, "type": kind, "param": param, "code": code}, "detail": message}
