"""Eval set loading (CSV, minimal JSONL) and the runner's outputs, baseline diff and gates, driven with
hand-made Answer records through the ``answer_fn`` seam (the real engine is tested end-to-end elsewhere)."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from evals.compare import check_gates
from evals.loaders import EvalSetError, load_eval_set
from evals.runner import add_arguments, http_answer_fn, main, run_eval
from reportqa.records import Answer, Citation

DATA = Path(__file__).resolve().parent / "data"
TINY_CSV = DATA / "eval-tiny.csv"
TINY_JSONL = DATA / "eval-tiny.jsonl"
DOC = "china-sharing-economy-report-2023"
S11_PATH = "一、共享经济市场规模持续扩大 > （一）共享经济市场交易规模同比增长 3.9%"
S14_PATH = "一、共享经济市场规模持续扩大 > （四）共享经济领域直接融资大幅下降"
INDEX = {"build_id": "test-build", "embedder": "fake:0", "corpus": "x"}


# --------------------------------------------------------------------------- loading


def test_csv_set_loads_with_numbers_in_either_notation() -> None:
    items = load_eval_set(TINY_CSV)
    assert [(i.id, i.lang, i.type, i.numbers, i.unit) for i in items] == [
        ("t1", "zh", "table_lookup", [115.0], "亿元"),
        ("t2", "en", "table_lookup", [132.0, -93.8], "亿元"),
        ("t3", "zh", "unspecified", [40507.0], "万人"),
        ("t4", "en", "unanswerable", [], ""),
    ]
    assert items[0].section == "（一）共享经济市场交易规模同比增长 3.9%" and items[0].table == "表1"


def test_minimal_jsonl_gets_defaults_and_numbers_from_its_answers() -> None:
    items = load_eval_set(TINY_JSONL)
    assert [(i.id, i.lang, i.type, i.numbers, i.unit) for i in items] == [
        ("q001", "zh", "unspecified", [115.0], "亿元"),  # the year 2022 is not a gold number
        ("q002", "en", "unspecified", [48.4], "%"),
        ("q003", "zh", "unanswerable", [], ""),
        ("q004", "zh", "unspecified", [], ""),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("bad.jsonl", '{"question": "a", "answer": "1"}\n{"answer": "2"}\n', "bad.jsonl line 2 has no question", id="no-question"),
        pytest.param("bad.jsonl", '{"question": "a"}\nnot json\n', "bad.jsonl line 2 is not JSON", id="not-json"),
        pytest.param("bad.jsonl", '{"id": "x", "question": "a"}\n{"id": "x", "question": "b"}\n', "id 'x' is used twice", id="duplicate-id"),
        pytest.param("bad.csv", "q,a\n1,2\n", "has no 'question' column", id="csv-without-question"),
        pytest.param("bad.jsonl", '{"question": "a", "type": "riddle"}\n', "field 'type'", id="unknown-type"),
        pytest.param("empty.jsonl", "\n", "has no items", id="empty"),
    ],
)
def test_bad_eval_sets_raise_with_what_to_fix(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalSetError, match=re.escape(message)):
        load_eval_set(path)


def test_missing_set_file_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(EvalSetError, match="not found — pass a .jsonl or .csv"):
        load_eval_set(tmp_path / "nope.jsonl")


# --------------------------------------------------------------------------- hand-made answers


def cite(cid: str, section: str, quote: str, table: str | None = None) -> Citation:
    return Citation(id=cid, doc=DOC, section=section, page=2, table=table, quote=quote, span=(0, 0), score=1.0)


ROW_ZS = cite(f"{DOC}:表1/共享住宿", S11_PATH, "共享住宿 152 115 -24.3%", "表1")
ROW_T4 = cite(f"{DOC}:表4/总计", S14_PATH, "总计 1185 2137 132 -93.8%", "表4")


def answers(t1_text: str) -> dict[str, Answer]:
    """Answers to the tiny CSV set; only t1's text varies between runs."""
    def a(q: str, text: str, cites: list[Citation], answerable: bool = True, ms: float = 100.0) -> Answer:
        return Answer(question=q, language="zh", answerable=answerable, answer=text, citations=cites,
                      timing_ms={"total": ms}, index=INDEX)

    return {
        "2022年共享住宿规模": a("2022年共享住宿规模", t1_text, [ROW_ZS], ms=100),
        "How much direct financing did the sharing economy raise in 2022?":
            a("How much direct financing did the sharing economy raise in 2022?",
              "About CNY 13.2 billion (132亿元), down 93.8% year on year.", [ROW_T4], ms=200),
        "网约车用户规模": a("网约车用户规模", "2022年网约车用户规模为40507万人。", [], ms=300),
        "What was the transaction volume in 2019?":
            a("What was the transaction volume in 2019?", "The report does not say.", [ROW_ZS], answerable=False, ms=400),
    }


def answer_fn(table: dict[str, Answer]) -> Callable[[str], Answer]:
    return lambda q: table[q]


def test_run_scores_every_item_and_records_the_index() -> None:
    run = run_eval(load_eval_set(TINY_CSV), answer_fn=answer_fn(answers("115亿元")), progress=False, documents={})
    assert [r.correct for r in run.results] == [True, True, True, True]
    assert run.index == INDEX
    overall = run.summary["overall"]
    assert (overall["numeric_accuracy"], overall["citation_accuracy"], overall["abstention_precision"]) == (1.0, 1.0, 1.0)
    assert (overall["latency_p50_ms"], overall["latency_p95_ms"]) == (250.0, pytest.approx(385.0))


def test_a_question_that_errors_is_recorded_and_the_run_goes_on() -> None:
    table = answers("115亿元")

    def flaky(q: str) -> Answer:
        if q == "网约车用户规模":
            raise RuntimeError("HTTP 500: boom")
        return table[q]

    run = run_eval(load_eval_set(TINY_CSV), answer_fn=flaky, progress=False, documents={})
    failed = [r for r in run.results if r.error]
    assert [(r.id, r.error, r.correct) for r in failed] == [("t3", "RuntimeError: HTTP 500: boom", False)]
    assert run.summary["overall"]["errors"] == 1 and len(run.results) == 4


def test_outputs_and_baseline_diff_and_gate_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    code = main([str(TINY_CSV), "--out", str(first), "--quiet", "--min-accuracy", "0.9"], answer_fn=answer_fn(answers("115亿元")))
    assert code == 0
    assert "gates: passed" in capsys.readouterr().out

    data = json.loads((first / "results.json").read_text(encoding="utf-8"))
    assert data["index"] == INDEX and data["k"] == 3 and len(data["results"]) == 4
    assert data["summary"]["overall"]["accuracy"] == 1.0
    assert set(data["summary"]) == {"overall", "by_type", "by_lang", "by_type_lang"}
    assert {"answer", "citations", "facts", "numeric", "citation", "hit", "rr", "abstained", "latency_ms", "correct"} <= set(data["results"][0])

    code = main([str(TINY_CSV), "--out", str(second), "--quiet", "--baseline", str(first / "results.json"),
                 "--min-accuracy", "90", "--max-p95-ms", "1000"], answer_fn=answer_fn(answers("152亿元")))
    out = capsys.readouterr().out
    assert code == 1
    assert "pass→fail  t1  2022年共享住宿规模" in out
    assert "gate missed: --min-accuracy 90.0: numeric_accuracy is 0.667, below 0.900" in out

    data = json.loads((second / "results.json").read_text(encoding="utf-8"))
    assert [(f["id"], f["before"], f["after"]) for f in data["baseline"]["flipped"]] == [("t1", "pass", "fail")]
    numeric = data["baseline"]["deltas"]["numeric_accuracy"]
    assert (numeric["before"], numeric["after"]) == (1.0, pytest.approx(2 / 3)) and numeric["delta"] == pytest.approx(-1 / 3)

    md = (second / "report.md").read_text(encoding="utf-8")
    assert "## Against baseline" in md and "**pass → fail** `t1`" in md and "## Failures (1)" in md
    assert "- **Gold:** 115亿元" in md and "- **Answer:** 152亿元" in md

    html = (second / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html and "<svg" in html
    assert not re.search(r"<script|<link|<img|\b(src|href)\s*=|url\(", html), "report.html must not load anything"
    failure = html[html.index("Failures (1)"):]
    for text in ("2022年共享住宿规模", "115亿元", "152亿元", f"{DOC}:表1/共享住宿"):
        assert text in failure


def test_missing_baseline_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main([str(TINY_CSV), "--quiet", "--baseline", str(tmp_path / "none.json")], answer_fn=answer_fn(answers("115亿元")))
    assert code == 1
    assert "eval: error: baseline" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("thresholds", "missed"),
    [
        pytest.param({"min_accuracy": 0.5}, [], id="share-passes"),
        pytest.param({"min_accuracy": 80}, ["--min-accuracy 80: numeric_accuracy is 0.750, below 0.800"], id="percent-threshold"),
        pytest.param({"max_p95_ms": 100}, ["--max-p95-ms 100: latency_p95_ms is 120.0, above 100.0"], id="latency"),
        pytest.param({"min_abstention_precision": 0.9}, ["--min-abstention-precision 0.9: abstention_precision could not be computed on this set"],
                     id="undefined-metric-misses"),
    ],
)
def test_gates(thresholds: dict[str, float], missed: list[str]) -> None:
    summary = {"numeric_accuracy": 0.75, "latency_p95_ms": 120.0, "abstention_precision": None}
    assert check_gates(summary, thresholds) == missed


def test_a_gated_run_with_an_error_misses() -> None:
    summary = {"numeric_accuracy": 0.95, "errors": 1}
    assert check_gates(summary, {"min_accuracy": 0.9}) == ["1 question(s) failed with an error (see results.json)"]
    assert check_gates(summary, {}) == []  # (an ungated run reports its errors, it gates nothing)


def test_cli_can_embed_the_eval_arguments() -> None:
    parser = argparse.ArgumentParser(prog="reportqa eval")
    add_arguments(parser)
    args = parser.parse_args(["set.jsonl", "--url", "http://127.0.0.1:8000", "--min-accuracy", "0.9", "--min-citation", "0.8", "--k", "5"])
    assert (args.eval_set, args.url, args.min_accuracy, args.min_citation, args.k) == ("set.jsonl", "http://127.0.0.1:8000", 0.9, 0.8, 5)


def test_http_answers_are_parsed_and_http_errors_recorded() -> None:
    good = answers("115亿元")["2022年共享住宿规模"]

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/ask"
        question = json.loads(request.content)["question"]
        if question == "2022年共享住宿规模":
            return httpx.Response(200, json=good.model_dump(mode="json"))
        return httpx.Response(422, json={"detail": "question is too long — send at most 1000 characters"})

    fn = http_answer_fn("http://testserver", transport=httpx.MockTransport(handler))
    items = load_eval_set(TINY_CSV)[:2]
    run = run_eval(items, answer_fn=fn, progress=False, documents={})
    assert [(r.id, r.correct, r.error) for r in run.results] == [
        ("t1", True, None),
        ("t2", False, "RuntimeError: HTTP 422: question is too long — send at most 1000 characters"),
    ]
