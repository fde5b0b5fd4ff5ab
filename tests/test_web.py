"""The page, the widget and who may embed them: served from package data, CSP frame-ancestors and CORS from one
setting, JSON refusals for other origins, quotes in context, and and feedback from the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.web import STATIC_DIR
from reportqa import library
from reportqa.library import Engine
from reportqa.settings import ApiSettings
from reportqa.store.db import database_for
from reportqa.store.feedback import list_feedback

PORTAL = "https://portal.example.com"
STRANGER = "https://evil.example.net"
QUESTION = "2022年共享住宿规模"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def client(engine: Engine, data_dir: Path) -> Iterator[TestClient]:
    settings = engine.settings.model_copy(update={"data_dir": data_dir, "api": ApiSettings(cors_origins=[PORTAL])})
    with TestClient(create_app(settings, engine)) as c:
        yield c


def without_timing(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k != "timing_ms"}


# --------------------------------------------------------------------------- page and widget


def test_page_is_served_at_root_and_may_be_framed_only_by_itself_and_the_allowed_origins(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/static/js/main.js">' in r.text
    csp = r.headers["content-security-policy"]
    assert f"frame-ancestors 'self' {PORTAL}" in csp
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp


def test_every_asset_the_page_loads_is_served_by_the_app(client: TestClient) -> None:
    page = client.get("/").text
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    modules = [f"/static/js/{p.name}" for p in (STATIC_DIR / "js").glob("*.js")]
    assert "/static/app.css" in assets and "/static/js/main.js" in assets
    for path in assets + modules:
        assert client.get(path).status_code == 200, path


def test_assets_are_vendored_nothing_is_fetched_from_another_host() -> None:
    for path in STATIC_DIR.rglob("*"):
        if path.suffix in {".html", ".css", ".js"} and path.name != "widget.js":
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(?:src|href|url|import)\W+https?://", text), path


def test_widget_script_is_served_as_javascript(client: TestClient) -> None:
    r = client.get("/widget.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert "attachShadow" in r.text and "/v1/chat/completions" in r.text


# --------------------------------------------------------------------------- who may call /v1


def test_preflight_from_an_allowed_origin_permits_bearer_keys(client: TestClient) -> None:
    r = client.options("/v1/chat/completions", headers={
        "Origin": PORTAL, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == PORTAL
    assert "Authorization" in r.headers["access-control-allow-headers"]


def test_preflight_from_another_origin_is_refused_with_json_naming_the_setting(client: TestClient) -> None:
    r = client.options("/v1/chat/completions", headers={"Origin": STRANGER, "Access-Control-Request-Method": "POST"})
    assert r.status_code == 403
    assert r.json() == {"detail": f"origin {STRANGER} may not call this service — add it to REPORTQA_API__CORS_ORIGINS "
                                  f'(a JSON list such as ["{STRANGER}"]) and restart the service'}
    assert "access-control-allow-origin" not in r.headers


def test_request_from_another_origin_is_refused_with_json(client: TestClient) -> None:
    r = client.post("/v1/ask", json={"question": QUESTION}, headers={"Origin": STRANGER})
    assert r.status_code == 403 and r.json()["detail"].startswith(f"origin {STRANGER} may not call this service")


def test_the_page_itself_and_clients_without_origin_are_allowed(client: TestClient) -> None:
    own = str(client.base_url).rstrip("/")
    assert client.post("/v1/ask", json={"question": QUESTION}, headers={"Origin": own}).status_code == 200
    assert client.post("/v1/ask", json={"question": QUESTION}).status_code == 200


def test_the_page_behind_a_tls_terminating_proxy_is_still_its_own_origin(client: TestClient) -> None:
    host = client.base_url.host  # the browser says https://<host>; the proxied request arrives over http
    assert client.post("/v1/ask", json={"question": QUESTION}, headers={"Origin": f"https://{host}"}).status_code == 200
    assert client.post("/v1/ask", json={"question": QUESTION}, headers={"Origin": f"https://{host}.evil.net"}).status_code == 403


def test_allowed_origin_asking_for_an_unknown_header_gets_json(client: TestClient) -> None:
    r = client.options("/v1/ask", headers={"Origin": PORTAL, "Access-Control-Request-Method": "POST",
                                           "Access-Control-Request-Headers": "x-unknown"})
    assert r.status_code == 400
    assert r.json()["detail"].startswith("Disallowed CORS headers — this service accepts methods GET, POST")


# --------------------------------------------------------------------------- quotes in context


def test_context_is_the_paragraph_around_a_cited_quote(client: TestClient, engine: Engine) -> None:
    answer = library.ask("How much direct financing did the sharing economy raise in 2022?", engine)
    cite = next(c for c in answer.citations if c.table is None)
    r = client.get("/v1/context", params={"doc": cite.doc, "start": cite.span[0], "end": cite.span[1]})
    assert r.status_code == 200
    body = r.json()
    assert body["quote"].replace("\n", "") == cite.quote.replace("\n", "")
    assert body["paragraph"] and (body["before"] or body["after"])


@pytest.mark.parametrize(("params", "status", "detail"), [
    pytest.param({"doc": "nope", "start": 0, "end": 5}, 404, "no document 'nope'", id="unknown-doc"),
    pytest.param({"doc": "china-sharing-economy-report-2023", "start": 5, "end": 10**9}, 404, "span [5, 1000000000) is outside",
                 id="span-out-of-range"),
    pytest.param({"doc": "x"}, 422, "start is missing", id="missing-span"),
])
def test_context_of_a_bad_citation_is_a_readable_error(client: TestClient, params: dict, status: int, detail: str) -> None:
    r = client.get("/v1/context", params=params)
    assert r.status_code == status and r.json()["detail"].startswith(detail)


# --------------------------------------------------------------------------- feedback from the page


def test_feedback_is_stored_with_question_answer_and_citations(client: TestClient, data_dir: Path) -> None:
    ask = client.post("/v1/ask", json={"question": QUESTION}).json()
    r = client.post("/v1/feedback", json={"question": QUESTION, "answer": ask["answer"], "citations": ask["citations"],
                                          "rating": "down", "comment": "wrong year", "corrected_answer": "152亿元"})
    assert r.status_code == 201
    settings = client.app.state.settings
    stored = next(f for f in list_feedback(database_for(settings)) if f.id == r.json()["id"])
    assert (stored.rating, stored.comment, stored.corrected_answer) == ("down", "wrong year", "152亿元")
    assert stored.citations == ask["citations"]


def test_feedback_with_an_unknown_rating_says_what_to_send(client: TestClient) -> None:
    r = client.post("/v1/feedback", json={"question": QUESTION, "answer": "x", "rating": "meh"})
    assert r.status_code == 422 and "rating" in r.json()["detail"]
