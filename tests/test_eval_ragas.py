"""The eval runner speaks Ragas: it reads Ragas' dataset columns (new and old) in JSONL, JSON and CSV, and
``--export-ragas`` writes the run as an ``EvaluationDataset`` of single-turn samples.

The ``ragas`` package itself is not installed for the tests (it pulls in langchain, datasets, openai extras and
more); the export is checked against the exact contract of ragas 0.4.3 instead: ``EvaluationDataset.from_list``
builds ``SingleTurnSample(**row)`` for each line (a ``user_input`` that is a list would make it multi-turn), and
``SingleTurnSample``'s fields are the ones below, strings or lists of strings.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from evals.loaders import EvalSetError, load_eval_set
from evals.runner import add_arguments, engine_answer_fn, run_from_args
from reportqa.library import Engine

DATA = Path(__file__).resolve().parent / "data"

# ragas 0.4.3, ragas/dataset_schema.py: class SingleTurnSample(BaseSample)
SINGLE_TURN_STRINGS = {"user_input", "response", "reference", "persona_name", "query_style", "query_length"}
SINGLE_TURN_LISTS = {"retrieved_contexts", "reference_contexts", "retrieved_context_ids", "reference_context_ids", "multi_responses"}
EXPORTED = {"user_input", "response", "retrieved_contexts", "retrieved_context_ids", "reference"}


def test_ragas_jsonl_reads_user_input_reference_and_contexts() -> None:
    items = load_eval_set(DATA / "ragas-tiny.jsonl")
    assert [(i.question, i.answer, i.numbers, i.type) for i in items] == [
        ("2022年共享住宿规模", "2022年共享住宿交易规模为115亿元", [115.0], "unspecified"),
        ("How much direct financing did the sharing economy raise in 2022?", "132亿元", [132.0], "unspecified"),
        ("2019年共享经济市场交易规模", "报告未提及", [], "unanswerable"),
    ]
    assert items[0].evidence == "共享住宿 152 115 -24.3%"
    assert items[1].evidence == "总计 1185 2137 132 -93.8%", "reference contexts are the gold evidence before retrieved ones"


def test_older_ragas_json_takes_ground_truth_as_gold_not_the_systems_answer() -> None:
    items = load_eval_set(DATA / "ragas-tiny-v01.json")
    assert [(i.question, i.answer, i.numbers, i.evidence) for i in items] == [
        ("2022年共享住宿规模", "115亿元", [115.0], "共享住宿 152 115 -24.3%"),
        ("2022年网约车用户规模", "40507万人", [40507.0], "网约车 40507 38.54%"),
    ]


def test_ragas_csv_reads_list_cells_as_python_or_json_lists() -> None:
    items = load_eval_set(DATA / "ragas-tiny.csv")
    assert [(i.question, i.answer, i.evidence) for i in items] == [
        ("2022年共享住宿规模", "115亿元", "共享住宿 152 115 -24.3%\n受多种复杂因素影响"),
        ("How much direct financing did the sharing economy raise in 2022?", "132亿元", "总计 1185 2137 132 -93.8%"),
        ("2019年共享经济市场交易规模", "报告未提及", ""),
    ]
    assert items[2].type == "unanswerable"


def test_column_oriented_json_loads_like_rows(tmp_path: Path) -> None:
    path = tmp_path / "columns.json"
    path.write_text(json.dumps({"user_input": ["2022年共享住宿规模", "2022年网约车用户规模"], "reference": ["115亿元", "40507万人"]},
                               ensure_ascii=False), encoding="utf-8")
    assert [(i.question, i.numbers) for i in load_eval_set(path)] == [("2022年共享住宿规模", [115.0]), ("2022年网约车用户规模", [40507.0])]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("multi.jsonl", '{"user_input": [{"content": "hi", "type": "human"}], "reference": "x"}\n',
                     "multi.jsonl line 1: user_input is a multi-turn conversation", id="multi-turn"),
        pytest.param("bad.csv", 'user_input,reference,retrieved_contexts\na,b,"[unclosed"\n',
                     "bad.csv line 2: 'retrieved_contexts' must be a list", id="bad-list-cell"),
        pytest.param("obj.json", '{"name": "set"}', "obj.json is a JSON object but neither", id="json-object"),
        pytest.param("none.jsonl", '{"reference": "115亿元"}\n', "none.jsonl line 1 has no question", id="no-user-input"),
    ],
)
def test_bad_ragas_sets_say_what_to_fix(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalSetError, match=re.escape(message)):
        load_eval_set(path)


def test_export_ragas_writes_single_turn_samples_of_the_run(engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out = tmp_path / "exports" / "run.jsonl"
    args = parser.parse_args([str(DATA / "ragas-tiny.jsonl"), "--export-ragas", str(out), "--quiet"])
    assert run_from_args(args, engine.settings, answer_fn=engine_answer_fn(engine)) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    assert [p.name for p in out.parent.iterdir()] == ["run.jsonl"], "no temporary file is left behind"

    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    items = load_eval_set(DATA / "ragas-tiny.jsonl")
    assert [r["user_input"] for r in rows] == [i.question for i in items]
    assert [r["reference"] for r in rows] == [i.answer for i in items]
    for row in rows:
        assert set(row) == EXPORTED and set(row) <= SINGLE_TURN_STRINGS | SINGLE_TURN_LISTS
        assert all(isinstance(row[k], str) for k in set(row) & SINGLE_TURN_STRINGS)
        assert all(isinstance(row[k], list) and all(isinstance(x, str) for x in row[k]) for k in set(row) & SINGLE_TURN_LISTS)
        assert len(row["retrieved_contexts"]) == len(row["retrieved_context_ids"])
    assert "115亿元" in rows[0]["response"] and any("115" in c for c in rows[0]["retrieved_contexts"])


def test_an_export_is_itself_an_eval_set(tmp_path: Path) -> None:
    """Ragas' own columns round-trip: the exported file loads back with the same questions and gold answers."""
    from evals.metrics import ItemResult
    from evals.ragas_export import write_ragas_jsonl

    results = [ItemResult(id="a", lang="zh", type="unspecified", question="2022年共享住宿规模", gold="115亿元", answer="115亿元",
                          citations=[{"id": "表1/共享住宿/2022年", "quote": "共享住宿 152 115 -24.3%"}])]
    path = write_ragas_jsonl(results, tmp_path / "x.jsonl")
    [item] = load_eval_set(path)
    assert (item.question, item.answer, item.numbers, item.evidence) == ("2022年共享住宿规模", "115亿元", [115.0], "共享住宿 152 115 -24.3%")
