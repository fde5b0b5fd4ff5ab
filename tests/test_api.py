"""The HTTP API: a thin layer over reportqa.library — same results, {"detail": ...} errors that say what to send, never a 500 for bad input."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import NOT_LOADED, get_engine
from api.schemas import ANSWER_EXAMPLE, CHECK_RESPONSE_EXAMPLE
from reportqa import library
from reportqa.library import Engine

ASK_HINT = 'send JSON such as {"question": "2022年共享住宿的交易额是多少？", "top_k": 5}'
CHECK_HINT = 'send JSON such as {"text": "2022年共享住宿交易额为115亿元，同比下降24.3%。"}'
SEARCH_HINT = "send a query such as /v1/search?q=2022年共享住宿的交易额是多少？&k=5"
CITATION_KEYS = {"id", "doc", "section", "page", "table", "row", "column", "quote", "span", "score"}
ANSWER_KEYS = {"question", "language", "answerable", "answer", "kind", "citations", "facts", "timing_ms", "index", "documents"}


@pytest.fixture(scope="module")
def client(engine: Engine) -> Iterator[TestClient]:
    """The app over the session's engine (read-only, so one client serves the module)."""
    with TestClient(create_app(engine.settings, engine)) as c:
        yield c


def wait_until_settled(client: TestClient, timeout: float = 120.0) -> Any:
    """Poll /readyz until the service is ready or failed (not starting, building or loading)."""
    deadline = time.monotonic() + timeout
    while True:
        r = client.get("/readyz")
        if r.json().get("status") in ("ready", "failed") or time.monotonic() > deadline:
            return r
        time.sleep(0.1)


def without_timing(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k != "timing_ms"}


# --------------------------------------------------------------------------- liveness, readiness


def test_healthz_says_ok(client: TestClient) -> None:
    r = client.get("/healthz")
    assert (r.status_code, r.json()) == (200, {"status": "ok"})


def test_readyz_names_the_loaded_index(client: TestClient, engine: Engine) -> None:
    r = client.get("/readyz")
    m = engine.manifest
    assert r.status_code == 200
    assert r.json() == {"status": "ready", "build_id": m.build_id, "embedder": m.embedder, "corpus": m.corpus, "warnings": []}


def test_readyz_is_503_with_the_fix_when_no_engine_is_loaded(engine: Engine) -> None:
    client = TestClient(create_app(engine.settings))  # no `with`: start-up (loading) never ran
    r = client.get("/readyz")
    assert (r.status_code, r.json()) == (503, {"status": "starting", "detail": NOT_LOADED})
    for path in ("/v1/tables", "/v1/search?q=x"):
        r = client.get(path)
        assert (r.status_code, r.json()) == (503, {"detail": NOT_LOADED}), path
    assert client.get("/healthz").status_code == 200


def test_readyz_reports_the_load_error_when_loading_fails(engine: Engine, tmp_path) -> None:
    settings = engine.settings.model_copy(update={"corpus_dir": tmp_path / "empty", "index_dir": tmp_path / "index"})
    (tmp_path / "empty").mkdir()
    with TestClient(create_app(settings)) as client:
        r = wait_until_settled(client)
        assert r.status_code == 503
        assert r.json()["status"] == "failed"
        assert r.json()["detail"].startswith("no reports (*.txt) in ") and "REPORTQA_CORPUS_DIR" in r.json()["detail"]
        assert client.post("/v1/ask", json={"question": "2022年共享住宿规模"}).json() == {"detail": r.json()["detail"]}


# --------------------------------------------------------------------------- /v1/ask


def test_ask_returns_exactly_what_library_ask_returns(client: TestClient, engine: Engine) -> None:
    r = client.post("/v1/ask", json={"question": "2022年共享住宿规模"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == ANSWER_KEYS
    expected = library.ask("2022年共享住宿规模", engine).model_dump(mode="json")
    assert without_timing(body) == without_timing(expected)
    assert body["timing_ms"]["total"] > 0


def test_ask_answers_the_shared_accommodation_figure_with_a_table_citation(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": "2022年共享住宿规模", "top_k": 5}).json()
    assert body["language"] == "zh"
    assert body["answerable"] is True
    assert "115" in body["answer"]
    assert body["citations"], "an answer must cite its source"
    for c in body["citations"]:
        assert set(c) == CITATION_KEYS
        assert isinstance(c["section"], str) and isinstance(c["span"], list) and len(c["span"]) == 2
    assert any(c["table"] == "china-sharing-economy-report-2023:表1" for c in body["citations"])
    assert all(c["id"].startswith(c["doc"] + ":") for c in body["citations"])
    assert body["documents"] == {"china-sharing-economy-report-2023": "中国共享经济发展报告（2023）"}


def test_ask_detects_an_english_question(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": "How much direct financing did the sharing economy raise in 2022?"}).json()
    assert body["language"] == "en"


def test_ask_passes_top_k_to_the_library(client: TestClient, engine: Engine) -> None:
    q = "共享经济发展面临哪些挑战？"
    body = client.post("/v1/ask", json={"question": q, "top_k": 2}).json()
    assert without_timing(body) == without_timing(library.ask(q, engine, top_k=2).model_dump(mode="json"))


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        pytest.param({"question": ""}, f"question is empty — {ASK_HINT}", id="empty"),
        pytest.param({"question": " \n\t "}, f"question is empty — {ASK_HINT}", id="whitespace"),
        pytest.param({"question": "规" * 1001}, f"question is too long (at most 1000 characters) — {ASK_HINT}", id="too-long"),
        pytest.param({"question": 123}, f"question must be a string (got 123) — {ASK_HINT}", id="number"),
        pytest.param({"question": None}, f"question must be a string — {ASK_HINT}", id="null"),
        pytest.param({"question": ["a"]}, f"question must be a string — {ASK_HINT}", id="list"),
        pytest.param({}, f"question is missing — {ASK_HINT}", id="missing"),
        pytest.param({"q": "2022年共享住宿规模"}, f"question is missing; unexpected field 'q' — {ASK_HINT}", id="misspelt-field"),
        pytest.param({"question": "x", "top_k": 0}, f"top_k must be greater than or equal to 1 (got 0) — {ASK_HINT}", id="top-k-zero"),
        pytest.param({"question": "x", "top_k": 21}, f"top_k must be less than or equal to 20 (got 21) — {ASK_HINT}", id="top-k-too-big"),
        pytest.param({"question": "x", "top_k": "5"}, f'top_k must be a whole number (got "5") — {ASK_HINT}', id="top-k-string"),
        pytest.param({"question": "x", "top_k": 2.5}, f"top_k must be a whole number (got 2.5) — {ASK_HINT}", id="top-k-float"),
        pytest.param(["2022年共享住宿规模"], f"the body must be a JSON object sent with Content-Type: application/json — {ASK_HINT}", id="array-body"),
        pytest.param("2022年共享住宿规模", f"the body must be a JSON object sent with Content-Type: application/json — {ASK_HINT}", id="string-body"),
    ],
)
def test_ask_rejects_bad_json_with_a_422_saying_what_to_send(client: TestClient, payload: Any, detail: str) -> None:
    r = client.post("/v1/ask", json=payload)
    assert (r.status_code, r.json()) == (422, {"detail": detail})


def test_ask_accepts_a_question_of_exactly_the_limit(client: TestClient, engine: Engine) -> None:
    limit = engine.settings.api.max_question_chars
    question = ("2022年共享住宿规模，" * limit)[:limit]
    assert client.post("/v1/ask", json={"question": question}).status_code == 200


@pytest.mark.parametrize(
    ("content", "headers", "detail"),
    [
        pytest.param(b'{"question": ', {"content-type": "application/json"},
                     f"the body is not valid JSON (Expecting value at character 13) — {ASK_HINT}", id="truncated-json"),
        pytest.param(b"{'question': 'x'}", {"content-type": "application/json"},
                     f"the body is not valid JSON (Expecting property name enclosed in double quotes at character 1) — {ASK_HINT}", id="single-quotes"),
        pytest.param(b'{"question": "x"}', {"content-type": "text/plain"},
                     f"the body must be a JSON object sent with Content-Type: application/json — {ASK_HINT}", id="text-plain"),
        pytest.param(b'{"question": "x"}', {}, f"the body must be a JSON object sent with Content-Type: application/json — {ASK_HINT}", id="no-content-type"),
        pytest.param(b"", {"content-type": "application/json"}, f"the body is missing — {ASK_HINT}", id="empty-body"),
    ],
)
def test_ask_rejects_an_unreadable_body_with_a_422(client: TestClient, content: bytes, headers: dict[str, str], detail: str) -> None:
    r = client.post("/v1/ask", content=content, headers=headers)
    assert (r.status_code, r.json()) == (422, {"detail": detail})


def test_ask_rejects_a_body_that_is_not_utf8_with_a_400(client: TestClient) -> None:
    r = client.post("/v1/ask", content=b"\xff\xfe\x00", headers={"content-type": "application/json"})
    assert (r.status_code, r.json()) == (400, {"detail": f"the body could not be read as UTF-8 JSON — {ASK_HINT}"})


# --------------------------------------------------------------------------- /v1/check


def test_check_returns_library_facts_with_a_count_per_verdict(client: TestClient, engine: Engine) -> None:
    text = "2022年共享住宿交易额为115亿元，同比下降24.3%。"
    r = client.post("/v1/check", json={"text": text})
    assert r.status_code == 200
    body = r.json()
    assert body["text"] == text
    assert body["facts"] == [f.model_dump(mode="json") for f in library.check(text, engine)]
    assert set(body["counts"]) == {"verified", "derived", "unsupported", "contradicted"}
    assert sum(body["counts"].values()) == len(body["facts"]) > 0


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        pytest.param({"text": "  "}, f"text is empty — {CHECK_HINT}", id="blank"),
        pytest.param({"text": 42}, f"text must be a string (got 42) — {CHECK_HINT}", id="number"),
        pytest.param({}, f"text is missing — {CHECK_HINT}", id="missing"),
        pytest.param({"text": "x" * 20_001}, f"text is too long (at most 20000 characters) — {CHECK_HINT}", id="too-long"),
    ],
)
def test_check_rejects_bad_input_with_a_422(client: TestClient, payload: Any, detail: str) -> None:
    r = client.post("/v1/check", json=payload)
    assert (r.status_code, r.json()) == (422, {"detail": detail})


# --------------------------------------------------------------------------- /v1/search


def test_search_returns_library_hits_flattened(client: TestClient, engine: Engine) -> None:
    r = client.get("/v1/search", params={"q": "2022年共享住宿规模", "k": 3})
    assert r.status_code == 200
    hits = r.json()
    expected = library.search("2022年共享住宿规模", engine, 3)
    assert [h["id"] for h in hits] == [h.chunk.id for h in expected]
    assert len(hits) == 3
    first, ref = hits[0], expected[0]
    assert first["section"] == " > ".join(ref.chunk.section_path)
    assert (first["kind"], first["text"], first["page"], first["table"], first["row"]) == (
        ref.chunk.kind, ref.chunk.text, ref.chunk.page, ref.chunk.table_id, ref.chunk.row)
    assert first["score"] == pytest.approx(ref.score)


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        pytest.param("", f"q is missing — {SEARCH_HINT}", id="no-q"),
        pytest.param("?q=x&k=0", f'k must be greater than or equal to 1 (got "0") — {SEARCH_HINT}', id="k-zero"),
        pytest.param("?q=x&k=many", f'k must be a whole number (got "many") — {SEARCH_HINT}', id="k-not-a-number"),
        pytest.param("?q=%20%20", f"q is empty — {SEARCH_HINT}", id="blank-q"),
    ],
)
def test_search_rejects_bad_queries_with_a_422(client: TestClient, query: str, detail: str) -> None:
    r = client.get(f"/v1/search{query}")
    assert (r.status_code, r.json()) == (422, {"detail": detail})


# --------------------------------------------------------------------------- tables, sections, audit


def test_tables_are_the_table_records_as_json(client: TestClient, engine: Engine) -> None:
    r = client.get("/v1/tables")
    assert r.status_code == 200
    assert r.json() == [{"doc": d.doc_id, **t.model_dump(mode="json")} for d in engine.documents for t in d.tables]
    assert {(t["doc"], t["id"]) for t in r.json()} >= {(d.doc_id, "表1") for d in engine.documents}


@pytest.mark.parametrize("how", ["qualified", "doc-parameter"])
def test_one_table_by_its_document_qualified_id(client: TestClient, engine: Engine, how: str) -> None:
    doc = "china-power-battery-recycling-report-2024"
    url = f"/v1/tables/{quote(doc + ':表2')}" if how == "qualified" else f"/v1/tables/{quote('表2')}?doc={doc}"
    r = client.get(url)
    assert r.status_code == 200
    assert r.json() == {"doc": doc, **library.get_table(f"{doc}:表2", engine).model_dump(mode="json")}
    assert r.json()["doc_id"] == doc and r.json()["caption"] == "2021-2023年我国分类型退役动力电池规模"


def test_a_bare_id_several_reports_have_is_409_listing_the_qualified_ids(client: TestClient, engine: Engine) -> None:
    r = client.get(f"/v1/tables/{quote('表1')}")
    ids = ", ".join(f"{d.doc_id}:表1" for d in engine.documents)
    assert (r.status_code, r.json()) == (409, {"detail": f"2 reports have a table '表1' — ask for one of: {ids} (or pass its doc)"})


def test_unknown_table_is_404_naming_the_known_ids(client: TestClient, engine: Engine) -> None:
    r = client.get(f"/v1/tables/{quote('表99')}")
    known = ", ".join(t.qualified_id for t in engine.tables)
    assert (r.status_code, r.json()) == (404, {"detail": f"no table '表99' — known tables: {known}"})
    r = client.get(f"/v1/tables/{quote('表1')}?doc=nope")
    assert r.status_code == 404 and r.json()["detail"].startswith("no document 'nope' — known documents: ")


def test_sections_nest_every_section_once_under_its_parent(client: TestClient, engine: Engine) -> None:
    r = client.get("/v1/sections")
    assert r.status_code == 200
    seen: list[str] = []

    def walk(node: dict[str, Any], parent: str | None) -> None:
        assert node["parent"] == parent
        seen.append(node["id"])
        for child in node["children"]:
            walk(child, node["id"])

    for root in r.json():
        walk(root, None)
    assert sorted(seen) == sorted(s.id for s in engine.sections)


def test_audit_returns_the_library_findings(client: TestClient, engine: Engine) -> None:
    r = client.get("/v1/audit")
    assert r.status_code == 200
    assert r.json() == [f.model_dump(mode="json") for f in library.audit(engine)]


# --------------------------------------------------------------------------- edges: routing, CORS, OpenAPI, bugs


def test_unknown_path_and_wrong_method_say_where_to_look(client: TestClient) -> None:
    r = client.get("/v1/answers")
    assert (r.status_code, r.json()) == (404, {"detail": "no endpoint GET /v1/answers — see /docs for the endpoints"})
    r = client.get("/v1/ask")
    assert (r.status_code, r.json()) == (405, {"detail": "GET is not allowed on /v1/ask — see /docs for the methods"})


def test_cors_allows_only_the_configured_origins(engine: Engine) -> None:
    settings = engine.settings.model_copy(deep=True)
    settings.api.cors_origins = ["http://app.example"]
    client = TestClient(create_app(settings, engine))
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
    ok = client.options("/v1/ask", headers={"origin": "http://app.example", **preflight})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "http://app.example"
    denied = client.options("/v1/ask", headers={"origin": "http://evil.example", **preflight})
    assert denied.status_code == 403 and denied.json()["detail"].startswith("origin http://evil.example may not call")
    assert "access-control-allow-origin" not in denied.headers


def test_openapi_documents_every_endpoint_with_examples_and_error_shape(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {
        "/v1/ask", "/v1/check", "/v1/search", "/v1/tables", "/v1/tables/{table_id}", "/v1/sections", "/v1/audit", "/v1/context",
        "/healthz", "/readyz", "/v1/chat/completions", "/v1/models", "/v1/models/{model_id}",
        "/v1/feedback", "/metrics",
        "/v1/admin/reload",
    }
    schemas = spec["components"]["schemas"]
    assert schemas["AskRequest"]["examples"][0] == {"question": "2022年共享住宿的交易额是多少？", "top_k": 5}
    assert schemas["CheckRequest"]["examples"]
    ask = spec["paths"]["/v1/ask"]["post"]
    assert ask["responses"]["200"]["content"]["application/json"]["example"]["answerable"] is True
    assert ask["responses"]["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert "HTTPValidationError" not in schemas
    for name in ("AskRequest", "CheckRequest", "CheckResponse", "SearchHit", "Ready", "NotReady", "Reloaded", "ErrorOut"):
        props = schemas[name]["properties"]
        assert all("description" in p for p in props.values()), name


def test_the_documented_answer_example_is_what_ask_returns(client: TestClient) -> None:
    live = client.post("/v1/ask", json={"question": ANSWER_EXAMPLE["question"]}).json()
    stable = lambda a: {k: v for k, v in a.items() if k not in ("timing_ms", "index")}  # noqa: E731
    assert stable(live) == stable(ANSWER_EXAMPLE), "update ANSWER_EXAMPLE in api/schemas.py to the live answer"


def test_the_documented_check_example_is_what_check_returns(client: TestClient) -> None:
    live = client.post("/v1/check", json={"text": CHECK_RESPONSE_EXAMPLE["text"]}).json()
    assert live == CHECK_RESPONSE_EXAMPLE, "update CHECK_RESPONSE_EXAMPLE in api/schemas.py to the live response"


def test_a_bug_is_a_500_without_internals(engine: Engine) -> None:
    class Broken:
        settings = engine.settings

        @property
        def documents(self) -> list[Any]:
            raise RuntimeError("secret internal state")

    app = create_app(engine.settings, engine)
    app.dependency_overrides[get_engine] = lambda: Broken()
    r = TestClient(app, raise_server_exceptions=False).get("/v1/tables")
    assert (r.status_code, r.json()) == (500, {"detail": "internal error — the server log has the details; please report it"})
