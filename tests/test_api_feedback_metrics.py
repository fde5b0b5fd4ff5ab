"""Prometheus /metrics (parsed with prometheus_client's own parser), POST /v1/feedback, its export into an eval set
that `reportqa eval` runs, and the opt-in question log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from evals.loaders import load_eval_set
from evals.runner import engine_answer_fn
from evals.runner import main as eval_main
from reportqa import library
from reportqa.cli import main as cli_main
from reportqa.library import Engine
from reportqa.settings import AuthSettings, Settings, get_settings
from reportqa.store.feedback import list_feedback, logged_questions
from reportqa.store.keys import create_key

ANSWERABLE = "2022年共享住宿规模"
UNANSWERABLE = "2030年共享住宿规模是多少？"
CHECKED_TEXT = "2022年共享住宿交易额为125亿元。"


def settings_for(engine: Engine, tmp_path: Path, **update: Any) -> Settings:
    return engine.settings.model_copy(update={"data_dir": tmp_path / "data", "auth": AuthSettings(cache_seconds=0), **update})


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings_for(engine, tmp_path), engine)) as c:
        yield c


def samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(r.text) for s in family.samples}


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


# --------------------------------------------------------------------------- /metrics


def test_metrics_count_requests_answers_abstentions_and_verdicts(client: TestClient, engine: Engine) -> None:
    answered = client.post("/v1/ask", json={"question": ANSWERABLE}).json()
    abstained = client.post("/v1/ask", json={"question": UNANSWERABLE}).json()
    assert answered["answerable"] and not abstained["answerable"]
    checked = client.post("/v1/check", json={"text": CHECKED_TEXT}).json()
    client.post("/v1/ask", json={})
    client.get("/v1/tables/%E8%A1%A899")
    client.get("/no-such-page")
    m = samples(client)

    assert value(m, "reportqa_http_requests_total", route="/v1/ask", method="POST", status="200") == 2
    assert value(m, "reportqa_http_requests_total", route="/v1/ask", method="POST", status="422") == 1
    assert value(m, "reportqa_http_requests_total", route="/v1/check", method="POST", status="200") == 1
    assert value(m, "reportqa_http_requests_total", route="/v1/tables/{table_id}", method="GET", status="404") == 1
    assert value(m, "reportqa_http_requests_total", route="unmatched", method="GET", status="404") == 1
    assert value(m, "reportqa_http_request_duration_seconds_count", route="/v1/ask") == 3
    assert value(m, "reportqa_http_request_duration_seconds_bucket", route="/v1/ask", le="+Inf") == 3
    assert value(m, "reportqa_http_request_duration_seconds_sum", route="/v1/ask") > 0

    assert value(m, "reportqa_answers_total", kind=answered["kind"]) >= 1
    assert sum(v for (name, _), v in m.items() if name == "reportqa_answers_total") == 2
    assert value(m, "reportqa_abstentions_total") == 1
    asked = [f["status"] for f in answered["facts"] + abstained["facts"]]
    for status in set(asked):
        assert value(m, "reportqa_checker_verdicts_total", status=status, source="ask") == asked.count(status)
    for status in {f["status"] for f in checked["facts"]}:
        assert value(m, "reportqa_checker_verdicts_total", status=status, source="check") == [f["status"] for f in checked["facts"]].count(status)
    assert checked["facts"]


def test_metrics_label_refused_requests_by_their_route(engine: Engine, tmp_path: Path) -> None:
    with TestClient(create_app(settings_for(engine, tmp_path), engine)) as client:
        create_key(client.app.state.db, "portal")  # type: ignore[attr-defined]
        assert client.get("/v1/tables").status_code == 401
        assert client.get("/metrics").status_code == 200  # scrapers need no key
        m = samples(client)
    assert value(m, "reportqa_http_requests_total", route="/v1/tables", method="GET", status="401") == 1


# --------------------------------------------------------------------------- feedback


FEEDBACK = {
    "question": ANSWERABLE,
    "answer": "2022年共享住宿的共享经济交易额为115亿元。",
    "citations": [{"id": "表1/共享住宿/2022年", "page": 2}],
    "rating": "up",
}


def test_feedback_is_stored_with_key_and_request_id(engine: Engine, tmp_path: Path) -> None:
    with TestClient(create_app(settings_for(engine, tmp_path), engine)) as client:
        db = client.app.state.db  # type: ignore[attr-defined]
        _, key = create_key(db, "portal")
        r = client.post("/v1/feedback", json=FEEDBACK, headers={"Authorization": f"Bearer {key}", "X-Request-ID": "fb-req"})
        assert r.status_code == 201 and set(r.json()) == {"id"}
        stored = list_feedback(db)
    assert [(f.id, f.question, f.rating, f.citations, f.key_name, f.request_id) for f in stored] == [
        (r.json()["id"], ANSWERABLE, "up", FEEDBACK["citations"], "portal", "fb-req")]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        pytest.param({**FEEDBACK, "rating": "meh"}, "rating: Input should be 'up' or 'down'", id="bad-rating"),
        pytest.param({k: v for k, v in FEEDBACK.items() if k != "rating"}, "rating is missing", id="no-rating"),
        pytest.param({**FEEDBACK, "question": ""}, "question", id="empty-question"),
        pytest.param({**FEEDBACK, "citations": "p.2"}, "citations", id="citations-not-a-list"),
    ],
)
def test_bad_feedback_is_422_saying_what_is_wrong(client: TestClient, body: dict[str, Any], detail: str) -> None:
    r = client.post("/v1/feedback", json=body)
    assert r.status_code == 422
    assert detail in r.json()["detail"]
    assert r.json()["detail"].endswith('(rating "up" or "down"; optional citations, comment, corrected_answer)')


def test_feedback_export_runs_as_an_eval_set(client: TestClient, engine: Engine, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    served = client.post("/v1/ask", json={"question": ANSWERABLE}).json()
    bodies = [
        {"question": ANSWERABLE, "answer": served["answer"], "citations": served["citations"], "rating": "up"},
        {"question": "2021年共享住宿规模", "answer": "报告未提及。", "rating": "down", "corrected_answer": "152亿元"},
        {"question": "How much did shared accommodation make in 2022?", "answer": "42", "rating": "down", "comment": "wrong"},
    ]
    assert [client.post("/v1/feedback", json=b).status_code for b in bodies] == [201, 201, 201]
    out = tmp_path / "feedback.jsonl"
    monkeypatch.setenv("REPORTQA_DATA_DIR", str(client.app.state.settings.data_dir))  # type: ignore[attr-defined]
    get_settings.cache_clear()
    try:
        assert cli_main(["feedback", "export", str(out)]) == 0
    finally:
        get_settings.cache_clear()
    assert "wrote 3 item(s)" in capsys.readouterr().out
    items = load_eval_set(out)
    assert [i.answer for i in items] == [served["answer"], "152亿元", ""]
    assert eval_main([str(out), "--quiet", "--out", str(tmp_path / "run")], answer_fn=engine_answer_fn(engine)) == 0
    results = json.loads((tmp_path / "run" / "results.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in results["results"]] == [i.id for i in items]
    assert results["results"][0]["correct"] is True  # the up-voted answer is its own gold


# --------------------------------------------------------------------------- question log


def test_questions_are_logged_only_when_configured(engine: Engine, tmp_path: Path) -> None:
    with TestClient(create_app(settings_for(engine, tmp_path / "off"), engine)) as client:
        client.post("/v1/ask", json={"question": ANSWERABLE})
        assert logged_questions(client.app.state.db) == []  # type: ignore[attr-defined]
    with TestClient(create_app(settings_for(engine, tmp_path / "on", log_questions=True), engine)) as client:
        client.post("/v1/ask", json={"question": ANSWERABLE}, headers={"X-Request-ID": "q-1"})
        rows = logged_questions(client.app.state.db)  # type: ignore[attr-defined]
    answer = library.ask(ANSWERABLE, engine)
    assert [(r["question"], r["kind"], r["answerable"], r["language"], r["request_id"], r["key_name"]) for r in rows] == [
        (ANSWERABLE, answer.kind, True, "zh", "q-1", None)]


_WORKER = """
import sys
from fastapi.testclient import TestClient
from api.app import create_app
from reportqa.settings import Settings
client = TestClient(create_app(Settings(data_dir=sys.argv[1])))
for _ in range(int(sys.argv[2])):
    client.get("/healthz")
if sys.argv[3] == "show":
    sys.stdout.write(client.get("/metrics").text)
"""


def test_metrics_sum_every_worker_process_in_multiprocess_mode(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prom")}
    (tmp_path / "prom").mkdir()
    root = Path(__file__).resolve().parent.parent

    def worker(n: int, show: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-c", _WORKER, str(tmp_path / "data"), str(n), show], cwd=root, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    first, second = worker(3, "no"), worker(4, "no")
    assert (first.wait(timeout=120), second.wait(timeout=120)) == (0, 0)
    text = worker(0, "show").communicate(timeout=120)[0]
    found = {(s.name, tuple(sorted(s.labels.items()))): s.value
             for family in text_string_to_metric_families(text) for s in family.samples}
    assert value(found, "reportqa_http_requests_total", route="/healthz", method="GET", status="200") == 7
