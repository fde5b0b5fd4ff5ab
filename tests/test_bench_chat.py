"""`reportqa bench --chat` smoke test: a tiny run measures every mode without errors (shape only — no timing thresholds)."""

from __future__ import annotations

import json

from reportqa.bench import index_questions
from reportqa.bench_chat import MODES, bench_chat, format_chat_report
from reportqa.library import Engine


def test_a_tiny_chat_bench_times_ask_chat_and_stream_on_the_same_questions(engine: Engine) -> None:
    report = bench_chat(engine, index_questions(engine, 2), repeats=1, server="thread")
    for mode in MODES:
        assert report[mode]["errors"] == 0, mode
        assert 0 < report[mode]["p50_ms"] <= report[mode]["p95_ms"], mode
    assert 0 < report["chat_stream"]["ttfb_p50_ms"] <= report["chat_stream"]["p95_ms"]
    assert set(report["chat_stream_minus_ask"]) == {"p50_ms", "p95_ms", "mean_ms"}
    assert isinstance(report["target"]["met"], bool)
    assert json.loads(json.dumps(report)) == report
    assert "stream − ask, same question" in format_chat_report(report)
