"""`reportqa bench` smoke test: a tiny run produces a complete report (shape only — no timing thresholds)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reportqa.bench import GENERATED_QUESTIONS, format_report, index_questions, load_questions, percentile, run_bench
from reportqa.bench_http import settings_env
from reportqa.library import Engine
from reportqa.settings import Settings

STATS = {"p50_ms", "p95_ms", "mean_ms", "calls"}


def test_a_tiny_bench_run_reports_every_measure(engine: Engine) -> None:
    report = run_bench(engine=engine, questions=index_questions(engine, 3), repeats=1, concurrency=2, requests=6, server="thread")
    ip = report["in_process"]
    for name in ("ask", "ask_cached", "search", "search_cached", "llama_retrieve"):
        assert set(ip[name]) == STATS, name
        assert 0 < ip[name]["p50_ms"] <= ip[name]["p95_ms"], name
        assert ip[name]["calls"] == 3, name
    assert ip["ratio_ask_vs_llama_p50"] > 0 and ip["ratio_search_vs_llama_p50"] > 0
    assert "total" in ip["ask_stages_p50_ms"]
    lat, thr = report["http"]["latency"], report["http"]["throughput"]
    assert lat["errors"] == 0 and lat["calls"] == 3
    assert (thr["concurrency"], thr["requests"], thr["errors"]) == (2, 6, 0)
    assert thr["answers_per_s"] > 0
    assert set(report["targets"]) == {"http_ask_p50_ms", "answers_per_s"}
    assert all(isinstance(t["met"], bool) for t in report["targets"].values())
    assert json.loads(json.dumps(report)) == report
    table = format_report(report)
    assert "llama-index as_retriever().retrieve" in table and "answers/s" in table


def test_questions_come_from_a_jsonl_eval_set(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    lines = [{"id": "a", "question": "2022年共享住宿规模"}, {"id": "b", "question": "What was the transaction volume in 2022?"}]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n", encoding="utf-8")
    assert load_questions(path) == ["2022年共享住宿规模", "What was the transaction volume in 2022?"]
    assert load_questions(path, limit=1) == ["2022年共享住宿规模"]


def test_without_an_eval_set_the_questions_come_from_the_index(tmp_path: Path, engine: Engine) -> None:
    assert load_questions(tmp_path / "missing.jsonl") == []
    questions = index_questions(engine)
    assert len(questions) == len(set(questions)) == GENERATED_QUESTIONS
    rows = {r.label for t in engine.tables for r in t.rows}
    titles = {s.title.strip() for s in engine.sections}
    assert all(any(x in q for x in rows | titles) for q in questions), "every question names a row or a section of the index"


@pytest.mark.parametrize(
    ("samples", "q", "expected"),
    [
        pytest.param([5.0], 95, 5.0, id="single"),
        pytest.param([1.0, 2.0, 3.0, 4.0], 50, 2.5, id="median-even"),
        pytest.param([float(i) for i in range(1, 101)], 95, 95.05, id="p95-interpolated"),
    ],
)
def test_percentile_interpolates_linearly(samples: list[float], q: float, expected: float) -> None:
    assert percentile(samples, q) == pytest.approx(expected)


def test_settings_env_recreates_the_settings_in_a_child_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "idx")
    settings.api.cors_origins = ["http://app.example"]
    settings.retrieval.top_k = 7
    for name in [k for k in os.environ if k.startswith("REPORTQA_")]:
        monkeypatch.delenv(name)
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)
    assert Settings() == settings
