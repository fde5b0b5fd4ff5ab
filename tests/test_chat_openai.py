"""/v1/chat/completions and /v1/models, spoken to by the official `openai` client over a real uvicorn server:
the same answer, citations and facts as /v1/ask in both modes; follow-ups inherit subject and year in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest

from reportqa.bench_http import serve_in_thread
from reportqa.library import Engine

SAME_AS_ASK = ("question", "language", "answerable", "answer", "kind", "citations", "facts", "index")


@pytest.fixture(scope="module")
def base_url(engine: Engine) -> Iterator[str]:
    """A uvicorn server over the session engine, on a free port."""
    with serve_in_thread(engine, cache=True) as url:
        yield url


@pytest.fixture(scope="module")
def client(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key="not-checked", max_retries=0, timeout=60)


@pytest.fixture(scope="module")
def tables(base_url: str) -> list[dict[str, Any]]:
    """The typed tables, as /v1/tables serves them."""
    return httpx.get(f"{base_url}/v1/tables", timeout=30).json()


def ask(base_url: str, question: str) -> dict[str, Any]:
    r = httpx.post(f"{base_url}/v1/ask", json={"question": question}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def chat(client: openai.OpenAI, *user_turns: str) -> tuple[str, dict[str, Any]]:
    """Non-streaming: (content, reportqa extension) for a conversation of user turns."""
    reply = client.chat.completions.create(model="reportqa", messages=_messages(user_turns))
    assert reply.choices[0].finish_reason == "stop" and reply.choices[0].message.role == "assistant"
    return reply.choices[0].message.content or "", reply.model_extra["reportqa"]


def chat_stream(client: openai.OpenAI, *user_turns: str) -> tuple[str, dict[str, Any], int]:
    """Streaming: (joined content deltas, reportqa of the last chunk, number of content chunks)."""
    stream = client.chat.completions.create(model="reportqa", messages=_messages(user_turns), stream=True)
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    content = "".join(c.choices[0].delta.content or "" for c in chunks)
    with_extension = [c for c in chunks if (c.model_extra or {}).get("reportqa")]
    assert with_extension == [chunks[-1]], "reportqa travels in the last chunk only"
    assert chunks[-1].choices[0].finish_reason == "stop"
    return content, chunks[-1].model_extra["reportqa"], sum(1 for c in chunks if c.choices[0].delta.content)


def _messages(user_turns: tuple[str, ...]) -> list[dict[str, str]]:
    messages: list[dict[str, str]] = [{"role": "system", "content": "Answer from the report."}]
    for turn in user_turns[:-1]:
        messages += [{"role": "user", "content": turn}, {"role": "assistant", "content": "(earlier answer)"}]
    return messages + [{"role": "user", "content": user_turns[-1]}]


# --------------------------------------------------------------------------- same as /v1/ask


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("2022年共享住宿规模", id="zh-table"),
        pytest.param("How much direct financing did the sharing economy raise in 2022?", id="en-table"),
        pytest.param("共享经济发展面临哪些挑战？", id="zh-narrative"),
        pytest.param("Who won the 2022 World Cup?", id="en-unanswerable"),
    ],
)
def test_chat_answers_exactly_as_ask_in_both_modes(base_url: str, client: openai.OpenAI, question: str) -> None:
    expected = ask(base_url, question)
    content, plain = chat(client, question)
    streamed, in_stream, pieces = chat_stream(client, question)
    assert content == streamed == expected["answer"]
    for extension in (plain, in_stream):
        assert {k: extension[k] for k in SAME_AS_ASK} == {k: expected[k] for k in SAME_AS_ASK}
        assert extension["understood_as"] is None and extension["inherited"] == {} and extension["asked"] == question
    assert pieces >= 1


def test_models_lists_one_model_per_index(client: openai.OpenAI, base_url: str) -> None:
    models = client.models.list()
    assert [m.id for m in models.data] == ["reportqa"]
    ready = httpx.get(f"{base_url}/readyz").json()
    assert models.data[0].model_extra["reportqa"]["build_id"] == ready["build_id"]
    assert client.models.retrieve("reportqa").id == "reportqa"


# --------------------------------------------------------------------------- errors the client understands


def test_more_than_one_choice_is_refused_with_the_reason(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as err:
        client.chat.completions.create(model="reportqa", messages=[{"role": "user", "content": "2022年共享住宿规模"}], n=2)
    assert err.value.status_code == 400
    assert err.value.body["message"].startswith("n is 2 — ReportQA gives one grounded answer per question")
    assert err.value.body["param"] == "n"


def test_unknown_model_is_404_naming_the_model_to_send(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as err:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "2022年共享住宿规模"}])
    assert err.value.body["code"] == "model_not_found"
    assert "send \"model\": \"reportqa\"" in err.value.body["message"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        pytest.param({"model": "reportqa", "messages": []}, 422, "messages is empty", id="no-messages"),
        pytest.param({"model": "reportqa", "messages": [{"role": "assistant", "content": "hi"}]}, 422,
                     "the last message is from 'assistant' — end messages with the user's question", id="last-not-user"),
        pytest.param({"model": "reportqa", "messages": [{"role": "user", "content": "  "}]}, 422,
                     "the last user message has no text", id="empty-question"),
        pytest.param({"model": "reportqa", "messages": [{"role": "robot", "content": "x"}]}, 422, "messages.0.role", id="bad-role"),
        pytest.param({"messages": [{"role": "user", "content": "x"}]}, 422, "model is missing", id="no-model"),
        pytest.param({"model": "reportqa", "stream": True, "messages": [{"role": "user", "content": "x" * 1001}]}, 422,
                     "question is 1001 characters — send at most 1000", id="too-long-streaming"),
    ],
)
def test_bad_requests_get_openai_errors_with_a_readable_detail(base_url: str, body: dict[str, Any], status: int, message: str) -> None:
    r = httpx.post(f"{base_url}/v1/chat/completions", json=body, timeout=30)
    data = r.json()
    assert r.status_code == status
    assert data["error"]["type"] == "invalid_request_error" and message in data["error"]["message"]
    assert data["detail"] == data["error"]["message"]


def test_content_parts_are_read_as_the_question(base_url: str, client: openai.OpenAI) -> None:
    parts = [{"type": "text", "text": "2022年共享住宿"}, {"type": "text", "text": "规模"}]
    reply = client.chat.completions.create(model="reportqa", messages=[{"role": "user", "content": parts}])
    assert reply.choices[0].message.content == ask(base_url, "2022年共享住宿规模")["answer"]


def test_sampling_options_are_accepted_and_ignored(base_url: str, client: openai.OpenAI) -> None:
    reply = client.chat.completions.create(
        model="reportqa", messages=[{"role": "user", "content": "2022年共享住宿规模"}],
        temperature=1.5, top_p=0.2, max_tokens=3, seed=7, stop=["。"], user="portal",
    )
    assert reply.choices[0].message.content == ask(base_url, "2022年共享住宿规模")["answer"]


# --------------------------------------------------------------------------- follow-ups


def table_of(tables: list[dict[str, Any]], table: str) -> dict[str, Any]:
    """A table by its id as citations give it (document-qualified, '<doc>:表1') or bare."""
    return next(t for t in tables if table in (t["id"], f"{t['doc_id']}:{t['id']}"))


def cell(tables: list[dict[str, Any]], table: str, row: str, column: str) -> dict[str, Any]:
    t = table_of(tables, table)
    r = next(r for r in t["rows"] if r["label"] == row)
    return next(c for c in r["cells"] if c["column"] == column)


def same_metric_in(tables: list[dict[str, Any]], first: dict[str, Any], year: int) -> dict[str, Any]:
    """The cell of ``first``'s row and metric in another year."""
    t = table_of(tables, first["table"])
    col = next(c for c in t["columns"] if c["year"] == year and c["kind"] == first["kind"] and c["metric"] == first["metric"])
    return cell(tables, first["table"], first["row"], col["id"]) | {"table": first["table"]}


def total_of(tables: list[dict[str, Any]], of: dict[str, Any]) -> dict[str, Any]:
    t = table_of(tables, of["table"])
    total = next(r for r in t["rows"] if r["is_total"])
    return cell(tables, of["table"], total["label"], of["column"])


def cited_cell(tables: list[dict[str, Any]], extension: dict[str, Any]) -> dict[str, Any]:
    c = next(c for c in extension["citations"] if c["table"] and c["row"] and c["column"])
    return cell(tables, c["table"], c["row"], c["column"]) | {"table": c["table"]}


def assert_figure(extension: dict[str, Any], expected: float, *, tolerance: float = 0.0) -> None:
    values = [f["value"] for f in extension["facts"] if f["status"] in ("verified", "derived")]
    assert any(abs(v - expected) <= tolerance for v in values), (expected, extension["answer"])


@pytest.mark.parametrize(
    ("first", "year_follow_up", "share_follow_up", "prefix"),
    [
        pytest.param("2022年共享住宿规模", "那2021年呢？", "占总规模多少？", "理解为：", id="zh"),
        pytest.param("How large was the shared accommodation market in 2022?", "And in 2021?",
                     "What about its share of the total?", "Understood as: ", id="en"),
    ],
)
def test_follow_ups_inherit_subject_and_year_from_earlier_turns(
    client: openai.OpenAI, tables: list[dict[str, Any]], first: str, year_follow_up: str, share_follow_up: str, prefix: str
) -> None:
    _, one = chat(client, first)
    asked = cited_cell(tables, one)
    assert_figure(one, asked["value"])

    content, two = chat(client, first, year_follow_up)  # inherits the subject and the measure
    expected = same_metric_in(tables, asked, 2021)
    assert two["understood_as"] and content.startswith(prefix + two["understood_as"])
    assert two["inherited"]["subject"] == asked["row"] and two["asked"] == year_follow_up
    assert any(c["row"] == asked["row"] and c["column"] == expected["column"] for c in two["citations"])
    assert_figure(two, expected["value"])

    streamed, three, _ = chat_stream(client, first, year_follow_up, share_follow_up)  # inherits subject and 2021
    assert three["inherited"] == {"subject": asked["row"], "year": "2021"}
    assert streamed.startswith(prefix) and streamed.endswith(three["answer"])
    share = 100 * expected["value"] / total_of(tables, expected)["value"]
    assert any(c["row"] == asked["row"] and c["column"] == expected["column"] for c in three["citations"])
    assert_figure(three, round(share, 1), tolerance=0.05)


def test_a_new_question_in_a_conversation_is_answered_as_asked(base_url: str, client: openai.OpenAI) -> None:
    content, extension = chat(client, "2022年共享住宿规模", "共享经济发展面临哪些挑战？")
    assert extension["understood_as"] is None and extension["inherited"] == {}
    assert content == ask(base_url, "共享经济发展面临哪些挑战？")["answer"]


def test_openapi_documents_the_chat_routes_streaming_and_their_error_shape(base_url: str) -> None:
    spec = httpx.get(f"{base_url}/openapi.json", timeout=30).json()
    post = spec["paths"]["/v1/chat/completions"]["post"]
    assert "text/event-stream" in post["responses"]["200"]["content"]
    for code in ("400", "404", "422", "503"):
        assert post["responses"][code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/OpenAIErrorOut"}
    assert spec["components"]["schemas"]["ChatCompletionRequest"]["examples"][0]["model"] == "reportqa"
    assert "HTTPValidationError" not in spec["components"]["schemas"]
