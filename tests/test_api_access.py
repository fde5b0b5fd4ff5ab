"""API keys, rate limits and request ids on the HTTP API: open mode until a key exists, then Bearer keys on /v1/*
(401 missing or wrong, 403 revoked or lacking a scope), 429 with Retry-After, X-Request-ID in and out, JSON access logs."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.admin import DISABLED
from api.auth import INVALID, MALFORMED, MISSING, NEEDS_ADMIN, OPEN_MODE_WARNING
from reportqa.library import Engine
from reportqa.settings import AuthSettings, RateLimitSettings, Settings
from reportqa.store.keys import create_key, list_keys, revoke_key

ASK = {"question": "2022年共享住宿规模"}
OPEN_ROUTES = ["/healthz", "/readyz", "/metrics", "/docs", "/openapi.json"]

ClientFactory = Callable[..., TestClient]


@pytest.fixture
def service(engine: Engine, tmp_path: Path) -> Iterator[ClientFactory]:
    """Make a started app over the session engine with its own database in tmp_path (key cache off unless asked)."""
    clients: list[TestClient] = []

    def make(per_second: float = 0, burst: int = 100, cache_seconds: float = 0, **update: Any) -> TestClient:
        settings = engine.settings.model_copy(update={
            "data_dir": tmp_path / "data", "auth": AuthSettings(cache_seconds=cache_seconds),
            "rate_limit": RateLimitSettings(per_second=per_second, burst=burst), **update,
        })
        client = TestClient(create_app(settings, engine))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def db_of(client: TestClient) -> Any:
    return client.app.state.db  # type: ignore[attr-defined]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "reportqa.access"]


# --------------------------------------------------------------------------- open mode


def test_without_keys_the_api_is_open_and_start_up_warns_once(service: ClientFactory, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        client = service()
        r = client.post("/v1/ask", json=ASK)
    assert r.status_code == 200
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and r.name == "reportqa.api"]
    assert warnings == [OPEN_MODE_WARNING]
    assert "reportqa keys create" in OPEN_MODE_WARNING
    assert access_lines(caplog)[-1]["key"] is None


def test_admin_routes_need_an_admin_key_even_in_open_mode(service: ClientFactory) -> None:
    r = service().post("/v1/admin/reload")
    assert (r.status_code, r.json()) == (403, {"detail": DISABLED})


# --------------------------------------------------------------------------- keys required


def test_once_a_key_exists_v1_needs_it_and_other_routes_stay_open(service: ClientFactory) -> None:
    client = service()
    _, key = create_key(db_of(client), "portal")
    r = client.post("/v1/ask", json=ASK)
    assert (r.status_code, r.json()) == (401, {"detail": MISSING})
    assert r.headers["www-authenticate"].startswith("Bearer")
    for path in ("/v1/tables", "/v1/sections", "/v1/search?q=x", "/v1/feedback"):
        assert client.get(path).status_code == 401, path
    for path in OPEN_ROUTES:
        assert client.get(path).status_code == 200, path
    assert client.get("/").status_code != 401  # the page (when installed) is public
    ok = client.post("/v1/ask", json=ASK, headers=bearer(key))
    assert ok.status_code == 200 and ok.json()["answerable"] is True


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        pytest.param("Basic dXNlcjpwdw==", MALFORMED, id="not-bearer"),
        pytest.param("Bearer ", MALFORMED, id="empty-key"),
        pytest.param("Bearer rqa_not-a-real-key", INVALID, id="unknown-key"),
        pytest.param("Bearer sk-something-else", INVALID, id="foreign-key"),
    ],
)
def test_a_wrong_authorization_header_is_401_saying_what_to_send(service: ClientFactory, header: str, detail: str) -> None:
    client = service()
    create_key(db_of(client), "portal")
    r = client.post("/v1/ask", json=ASK, headers={"Authorization": header})
    assert (r.status_code, r.json()) == (401, {"detail": detail})


def test_a_revoked_key_is_403_naming_it(service: ClientFactory) -> None:
    client = service()
    _, key = create_key(db_of(client), "old-portal")
    create_key(db_of(client), "new-portal")
    assert client.get("/v1/tables", headers=bearer(key)).status_code == 200
    revoke_key(db_of(client), "old-portal")
    r = client.get("/v1/tables", headers=bearer(key))
    assert r.status_code == 403
    assert r.json()["detail"].startswith("the API key 'old-portal' was revoked on ")


def test_revoking_every_key_keeps_the_api_closed(service: ClientFactory) -> None:
    client = service()
    _, key = create_key(db_of(client), "only")
    revoke_key(db_of(client), "only")
    assert client.get("/v1/tables").status_code == 401
    assert client.get("/v1/tables", headers=bearer(key)).status_code == 403


def test_admin_routes_need_the_admin_scope(service: ClientFactory) -> None:
    client = service()
    _, plain = create_key(db_of(client), "portal")
    _, admin = create_key(db_of(client), "ops", ["admin"])
    r = client.post("/v1/admin/reload", headers=bearer(plain))
    assert (r.status_code, r.json()) == (403, {"detail": NEEDS_ADMIN})
    assert client.post("/v1/admin/reload", headers=bearer(admin)).status_code not in (401, 403)  # past auth: the reload runs


def test_verified_keys_are_cached_and_their_use_recorded(service: ClientFactory) -> None:
    client = service(cache_seconds=300)
    _, key = create_key(db_of(client), "portal")
    client.app.state.key_verifier.forget()  # type: ignore[attr-defined]
    assert client.get("/v1/tables", headers=bearer(key)).status_code == 200
    assert list_keys(db_of(client))[0].last_used_at is not None
    revoke_key(db_of(client), "portal")
    assert client.get("/v1/tables", headers=bearer(key)).status_code == 200  # cached: revocation takes up to cache_seconds
    client.app.state.key_verifier.forget()  # type: ignore[attr-defined]
    assert client.get("/v1/tables", headers=bearer(key)).status_code == 403


def test_the_key_name_reaches_request_state_and_the_access_log(service: ClientFactory, caplog: pytest.LogCaptureFixture) -> None:
    client = service()
    _, key = create_key(db_of(client), "portal")
    with caplog.at_level(logging.INFO, logger="reportqa.access"):
        client.post("/v1/ask", json=ASK, headers={**bearer(key), "X-Request-ID": "req-42"})
    line = access_lines(caplog)[-1]
    assert {k: line[k] for k in ("request_id", "method", "route", "status", "key")} == {
        "request_id": "req-42", "method": "POST", "route": "/v1/ask", "status": 200, "key": "portal"}
    assert line["ms"] > 0


# --------------------------------------------------------------------------- rate limits


def test_a_key_over_its_burst_gets_429_with_retry_after(service: ClientFactory) -> None:
    client = service(per_second=0.5, burst=3)
    _, a = create_key(db_of(client), "a")
    _, b = create_key(db_of(client), "b")
    assert [client.get("/v1/tables", headers=bearer(a)).status_code for _ in range(3)] == [200, 200, 200]
    r = client.get("/v1/tables", headers=bearer(a))
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) in (1, 2)
    assert r.json()["detail"].startswith("rate limit exceeded for API key 'a': 0.5 requests/s, bursts of 3 — retry after ")
    assert client.get("/v1/tables", headers=bearer(b)).status_code == 200  # each key has its own bucket
    assert client.get("/healthz").status_code == 200  # only /v1/* is limited


def test_open_mode_limits_each_client_ip(service: ClientFactory) -> None:
    client = service(per_second=0.5, burst=2)
    assert [client.get("/v1/sections").status_code for _ in range(3)] == [200, 200, 429]
    assert "client testclient (open mode: limited per IP)" in client.get("/v1/sections").json()["detail"]


# --------------------------------------------------------------------------- request ids


def test_request_ids_are_echoed_or_generated(service: ClientFactory) -> None:
    client = service()
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    generated = client.get("/healthz").headers["x-request-id"]
    assert len(generated) == 32 and int(generated, 16) >= 0
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"}).headers["x-request-id"]
    assert replaced != "bad id\twith spaces" and len(replaced) == 32
    assert client.post("/v1/ask", json={}).headers["x-request-id"]  # errors carry it too


def test_cors_lets_a_browser_send_the_key_and_read_the_request_id(service: ClientFactory) -> None:
    client = service(api=Settings().api.model_copy(update={"cors_origins": ["http://portal.example"]}))
    create_key(db_of(client), "portal")
    pre = client.options("/v1/ask", headers={"Origin": "http://portal.example", "Access-Control-Request-Method": "POST",
                                             "Access-Control-Request-Headers": "authorization,content-type"})
    assert pre.status_code == 200 and "authorization" in pre.headers["access-control-allow-headers"].lower()
    r = client.post("/v1/ask", json=ASK, headers={"Origin": "http://portal.example"})
    assert r.status_code == 401 and r.headers["access-control-allow-origin"] == "http://portal.example"
    assert "x-request-id" in r.headers["access-control-expose-headers"].lower()


def test_openapi_says_v1_takes_a_bearer_key_and_may_refuse(service: ClientFactory) -> None:
    spec = service().get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    ask = spec["paths"]["/v1/ask"]["post"]
    assert ask["security"] == [{"bearer": []}, {}]
    assert {"401", "403", "429"} <= set(ask["responses"])
    assert "Retry-After" in ask["responses"]["429"]["headers"]
    assert "security" not in spec["paths"]["/healthz"]["get"]


def test_eval_over_http_sends_the_key_from_the_environment(service: ClientFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    from evals.runner import http_answer_fn

    client = service()
    _, key = create_key(db_of(client), "eval-ci")

    class ThroughTestClient(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            r = client.request(request.method, request.url.path, content=request.read(), headers=dict(request.headers))
            return httpx.Response(r.status_code, headers=r.headers, content=r.content)

    transport = ThroughTestClient()
    with pytest.raises(RuntimeError, match="HTTP 401"):
        http_answer_fn("http://testserver", transport=transport)(ASK["question"])
    monkeypatch.setenv("REPORTQA_API_KEY", key)
    assert http_answer_fn("http://testserver", transport=transport)(ASK["question"]).answerable


def test_guessing_keys_is_throttled_per_address_before_the_database(service: ClientFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.auth import FAILURES_BURST, TOO_MANY_INVALID

    monkeypatch.setattr("api.auth.FAILURES_PER_SECOND", 1e-6)  # no refill while the test runs, however slow the machine
    client = service()
    _, key = create_key(db_of(client), "portal")
    statuses = [client.get("/v1/tables", headers=bearer(f"rqa_guess{i}")).status_code for i in range(FAILURES_BURST + 1)]
    assert statuses == [401] * FAILURES_BURST + [429]
    r = client.get("/v1/tables", headers=bearer("rqa_another-guess"))
    assert (r.status_code, r.json(), r.headers["retry-after"]) == (429, {"detail": TOO_MANY_INVALID}, "1")


def test_an_unreachable_database_closes_v1_with_503_naming_the_setting(service: ClientFactory) -> None:
    from reportqa.settings import DbSettings

    client = service(db=DbSettings(url="postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"))
    r = client.get("/v1/tables")
    assert r.status_code == 503 and "REPORTQA_DB__URL" in r.json()["detail"]
    assert client.get("/healthz").status_code == 200
