"""表1–表4 of the real report as typed data; the parser's behaviour on odd and synthetic tables.

The expected values below are typed in from reading the report: they are the spec.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.tables import align_cells, extract_tables
from reportqa.records import Table

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "corpus" / "china-sharing-economy-report-2023.txt"
SYNTHETIC = ROOT / "tests" / "data" / "synthetic-report.txt"
SYNTHETIC_EXPECTED = ROOT / "tests" / "data" / "synthetic-report.expected.json"
SOURCE = "数据来源：国家信息中心分享经济研究中心"

# (id, header levels, metric, unit, year, kind)
COLUMNS: dict[str, list[tuple[str, list[str], str, str, int, str]]] = {
    "表1": [
        ("2021年", ["共享经济交易额（亿元）", "2021年"], "共享经济交易额", "亿元", 2021, "level"),
        ("2022年", ["共享经济交易额（亿元）", "2022年"], "共享经济交易额", "亿元", 2022, "level"),
        ("2022年同比增速", ["2022年同比增速"], "同比增速", "%", 2022, "growth"),
    ],
    "表2": [
        ("用户规模（万人）", ["用户规模（万人）"], "用户规模", "万人", 2022, "level"),
        ("网民普及率", ["网民普及率"], "网民普及率", "%", 2022, "share"),
    ],
    "表3": [
        ("人均消费支出（元）/2021年", ["人均消费支出（元）", "2021年"], "人均消费支出", "元", 2021, "level"),
        ("人均消费支出（元）/2022年", ["人均消费支出（元）", "2022年"], "人均消费支出", "元", 2022, "level"),
        ("共享型服务支出（元）/2021年", ["共享型服务支出（元）", "2021年"], "共享型服务支出", "元", 2021, "level"),
        ("共享型服务支出（元）/2022年", ["共享型服务支出（元）", "2022年"], "共享型服务支出", "元", 2022, "level"),
        ("共享型服务支出占比/2021年", ["共享型服务支出占比", "2021年"], "共享型服务支出占比", "%", 2021, "share"),
        ("共享型服务支出占比/2022年", ["共享型服务支出占比", "2022年"], "共享型服务支出占比", "%", 2022, "share"),
    ],
    "表4": [
        ("2020年", ["融资额（亿元）", "2020年"], "融资额", "亿元", 2020, "level"),
        ("2021年", ["融资额（亿元）", "2021年"], "融资额", "亿元", 2021, "level"),
        ("2022年", ["融资额（亿元）", "2022年"], "融资额", "亿元", 2022, "level"),
        ("2022年同比增速", ["2022年同比增速"], "同比增速", "%", 2022, "growth"),
    ],
}

LT = "<"
# row label → cells in column order, each (text as printed, value) or (text, value, bound)
ROWS: dict[str, dict[str, list[tuple]]] = {
    "表1": {
        "交通出行": [("2344", 2344), ("2012", 2012), ("-14.2%", -14.2)],
        "共享住宿": [("152", 152), ("115", 115), ("-24.3%", -24.3)],
        "知识技能": [("4540", 4540), ("4806", 4806), ("5.9%", 5.9)],
        "生活服务": [("17118", 17118), ("18548", 18548), ("8.4%", 8.4)],
        "共享医疗": [("147", 147), ("159", 159), ("8.2%", 8.2)],
        "共享办公": [("212", 212), ("132", 132), ("-37.7%", -37.7)],
        "生产能力": [("12368", 12368), ("12548", 12548), ("1.5%", 1.5)],
        "总计": [("36881", 36881), ("38320", 38320), ("3.9%", 3.9)],
    },
    "表2": {
        "网约车": [("40507", 40507), ("38.54%", 38.54)],
        "共享住宿": [("6970", 6970), ("6.63%", 6.63)],
        "在线外卖": [("64581", 64581), ("61.44%", 61.44)],
    },
    "表3": {
        "网约车": [("2891.3", 2891.3), ("1818.9", 1818.9), ("256.4", 256.4), ("142.5", 142.5), ("8.9%", 8.9), ("7.8%", 7.8)],
        "住宿": [("215.2", 215.2), ("183.0", 183.0), ("10.8", 10.8), ("8.1", 8.1), ("5.0%", 5.0), ("4.4%", 4.4)],
        "餐饮": [("3319.8", 3319.8), ("3111.6", 3111.6), ("709.6", 709.6), ("789.7", 789.7), ("21.4%", 21.4), ("25.4%", 25.4)],
    },
    "表4": {
        "交通出行": [("115", 115), ("485", 485), ("23", 23), ("-95.3%", -95.3)],
        "共享住宿": [("1", 1), ("6", 6), ("33", 33), ("455.5%", 455.5)],
        "知识技能": [("467", 467), ("253", 253), ("＜1", 1, LT), ("-98.0%", -98.0)],
        "生活服务": [("260", 260), ("750", 750), ("51", 51), ("-93.2%", -93.2)],
        "共享医疗": [("88", 88), ("372", 372), ("22", 22), ("-94.1%", -94.1)],
        "共享办公": [("68", 68), ("1", 1), ("＜1", 1, LT), ("-99.0%", -99.0)],
        "生产能力": [("186", 186), ("270", 270), ("2", 2), ("-99.4%", -99.4)],
        "总计": [("1185", 1185), ("2137", 2137), ("132", 132), ("-93.8%", -93.8)],
    },
}

CAPTIONS = {
    "表1": "2021-2022年我国共享经济发展概况",
    "表2": "2022年主要生活服务领域共享型服务普及情况",
    "表3": "2021-2022年主要生活服务领域共享型服务支出占比",
    "表4": "2020-2022年共享经济主要领域直接融资规模",
}
NOTE_T2 = ("注：①2022年网民规模，在线外卖，网约车用户数来自 CNNIC《第 50次中国互联网络发展状况统计报告》"
           "（均为 2022年上半年数据）；②共享住宿相关数据来源：国家信息中心分享经济研究中心。")


def _cell_params() -> list:
    params = []
    for tid, rows in ROWS.items():
        for label, cells in rows.items():
            for col, cell in zip(COLUMNS[tid], cells):
                params.append(pytest.param(tid, label, col, cell, id=f"{tid}/{label}/{col[0]}"))
    return params


@pytest.fixture(scope="module")
def report_text() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tables(report_text: str) -> dict[str, Table]:
    return {t.id: t for t in extract_tables(report_text)}


def test_finds_the_four_body_tables_and_not_the_contents_lines(tables: dict[str, Table], report_text: str) -> None:
    assert list(tables) == ["表1", "表2", "表3", "表4"]
    for tid, table in tables.items():
        assert table.caption == CAPTIONS[tid]
        assert table.number == int(tid[1:])
        start = report_text[table.span[0]:]
        assert start.startswith(f"表 {tid[1:]} {CAPTIONS[tid]}\n"), "span starts at the body caption, not the 图表目录 line"
        assert table.section_id is None and table.page is None


@pytest.mark.parametrize(("tid", "label", "col", "cell"), _cell_params())
def test_every_cell_is_typed_as_printed(tables: dict[str, Table], tid: str, label: str, col: tuple, cell: tuple) -> None:
    col_id, _header, metric, unit, year, kind = col
    text, value = cell[0], cell[1]
    bound = cell[2] if len(cell) > 2 else None
    got = tables[tid].cell(label, col_id)
    assert got is not None
    assert got.id == f"{tid}/{label}/{col_id}"
    assert (got.row, got.column, got.text) == (label, col_id, text)
    assert got.value == pytest.approx(value)
    assert (got.unit, got.year, got.metric, got.kind, got.bound) == (unit, year, metric, kind, bound)
    assert got.decimals == (len(text.split(".")[1].rstrip("%")) if "." in text else 0)


@pytest.mark.parametrize("tid", [pytest.param(t, id=t) for t in COLUMNS])
def test_columns_carry_header_levels_metric_unit_year_and_kind(tables: dict[str, Table], tid: str) -> None:
    got = [(c.id, c.header, c.metric, c.unit, c.year, c.kind) for c in tables[tid].columns]
    assert got == COLUMNS[tid]


@pytest.mark.parametrize("tid", [pytest.param(t, id=t) for t in ROWS])
def test_rows_in_printed_order_with_totals_marked(tables: dict[str, Table], tid: str) -> None:
    table = tables[tid]
    assert [r.label for r in table.rows] == list(ROWS[tid])
    assert [r.label for r in table.rows if r.is_total] == (["总计"] if "总计" in ROWS[tid] else [])
    assert all(len(r.cells) == len(COLUMNS[tid]) for r in table.rows)


def test_table3_two_level_header_pairs_each_group_with_its_years(tables: dict[str, Table]) -> None:
    table = tables["表3"]
    assert [c.header[0] for c in table.columns] == ["人均消费支出（元）"] * 2 + ["共享型服务支出（元）"] * 2 + ["共享型服务支出占比"] * 2
    assert [c.year for c in table.columns] == [2021, 2022] * 3
    assert table.cell("餐饮", "共享型服务支出占比/2022年").text == "25.4%"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("tid", "source", "notes"),
    [
        pytest.param("表1", SOURCE, [], id="表1-duplicated-source-line-collapsed"),
        pytest.param("表2", None, [NOTE_T2], id="表2-note-joined-across-wraps"),
        pytest.param("表3", SOURCE, [], id="表3-source"),
        pytest.param("表4", SOURCE, [], id="表4-source"),
    ],
)
def test_sources_and_notes(tables: dict[str, Table], tid: str, source: str | None, notes: list[str]) -> None:
    assert tables[tid].source == source
    assert tables[tid].notes == notes


@pytest.mark.parametrize(
    ("tid", "last_text"),
    [
        pytest.param("表1", " 数据来源：国家信息中心分享经济研究中心", id="表1-ends-at-second-source-line"),
        pytest.param("表2", "享经济研究中心。", id="表2-ends-at-wrapped-note"),
        pytest.param("表3", SOURCE, id="表3"),
        pytest.param("表4", SOURCE, id="表4"),
    ],
)
def test_table_span_runs_from_caption_to_last_footer_line(tables: dict[str, Table], report_text: str, tid: str, last_text: str) -> None:
    end = tables[tid].span[1]
    assert report_text[:end].endswith(last_text.strip())
    assert report_text[end] == "\n"


def test_row_span_is_the_row_line(tables: dict[str, Table], report_text: str) -> None:
    row = tables["表4"].rows[2]
    assert report_text[row.span[0]:row.span[1]] == "知识技能 467 253 ＜1 -98.0%"


def test_real_report_tables_parse_without_warnings(tables: dict[str, Table]) -> None:
    assert {tid: t.warnings for tid, t in tables.items()} == {tid: [] for tid in tables}


# --------------------------------------------------------------------------- odd inputs

T_HEADER = "表 7 2020-2022年某市平台融资\n\n领域\n融资额（亿元）\n\n2020年 2021年 2022年 2022年同比增速\n\n"


def _one(text: str) -> Table:
    found = extract_tables(text)
    assert len(found) == 1
    return found[0]


def test_short_row_missing_its_trailing_cell_keeps_the_row_with_an_empty_cell() -> None:
    table = _one(T_HEADER + "甲 10 20 30 50.0%\n\n乙 5 6 7\n\n合计 15 26 37 42.3%\n")
    cell = table.cell("乙", "2022年同比增速")
    assert cell is not None and (cell.text, cell.value) == ("", None)
    assert table.cell("乙", "2022年").value == 7  # type: ignore[union-attr]
    assert table.warnings == ["row '乙' has 3 cells for 4 columns; left empty: 2022年同比增速"]


def test_short_row_with_a_percent_last_is_missing_a_level_not_the_growth() -> None:
    table = _one(T_HEADER + "甲 10 20 30 50.0%\n\n乙 5 6 16.7%\n")
    assert table.cell("乙", "2022年同比增速").text == "16.7%"  # type: ignore[union-attr]
    assert table.cell("乙", "2022年").value is None  # type: ignore[union-attr]
    assert table.cell("乙", "2021年").text == "6"  # type: ignore[union-attr]
    assert "row '乙' has 3 cells for 4 columns; left empty: 2022年" in table.warnings


def test_row_with_extra_cells_warns_and_drops_the_trailing_extra() -> None:
    table = _one(T_HEADER + "甲 10 20 30 50.0% 9\n\n乙 5 6 7 16.7%\n")
    assert [c.text for c in table.rows[0].cells] == ["10", "20", "30", "50.0%"]
    assert table.warnings == ["row '甲' has 5 cells for 4 columns; dropped: 9"]


def test_placeholder_cell_keeps_its_column_without_a_value() -> None:
    table = _one(T_HEADER + "甲 10 — 30 50.0%\n")
    cell = table.cell("甲", "2021年")
    assert cell is not None and (cell.text, cell.value) == ("—", None)
    assert table.warnings == []


def test_unreadable_cell_is_kept_as_text_with_a_warning() -> None:
    table = _one(T_HEADER + "甲 10 20 30 50.0%\n乙 5 6亿 7 16.7%\n")
    assert table.cell("乙", "2021年").text == "6亿"  # type: ignore[union-attr]
    assert table.cell("乙", "2021年").value is None  # type: ignore[union-attr]
    assert "row '乙': unreadable cell '6亿' kept as text without a value" in table.warnings


def test_caption_without_rows_gives_an_empty_table_with_a_warning() -> None:
    table = _one("表 3 某某情况\n\n这一段是正文，没有表格。\n")
    assert (table.id, table.rows, table.columns, table.checks) == ("表3", [], [], [])
    assert table.span == (0, len("表 3 某某情况")), "only the caption line is claimed, not the text after it"
    assert table.warnings == ["no data rows found under caption '表 3 某某情况'"]


def test_rows_without_a_header_get_generic_columns_and_a_warning() -> None:
    table = _one("表 2 2022年某市情况\n\n甲 1 2\n乙 3 4\n数据来源：某局\n")
    assert [c.id for c in table.columns] == ["c1", "c2"]
    assert all(c.year == 2022 for c in table.columns)
    assert table.cell("乙", "c2").value == 4  # type: ignore[union-attr]
    assert "no usable header; made 2 generic columns c1..c2" in table.warnings
    assert table.source == "数据来源：某局"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("表 1）显示，规模增长。\n", id="reference-not-caption"),
        pytest.param("表 1 某某情况 ........................ 12\n", id="contents-line"),
        pytest.param("表\n", id="bare-word"),
        pytest.param("", id="empty-text"),
    ],
)
def test_lines_that_are_not_body_captions_give_no_table(text: str) -> None:
    assert extract_tables(text) == []


def test_years_only_header_with_unit_line_and_page_break_inside_the_table() -> None:
    text = ("表 1 某市指标\n单位：万元\n项目 2021 2022\n收入 10 12\n\n8\n\n某市年度报告（2023）\n"
            "支出 4 5\n合计 14 17\n资料来源：某局\n"
            "某市年度报告（2023）\n正文。\n某市年度报告（2023）\n")
    table = _one(text)
    assert [(c.id, c.unit, c.year, c.kind) for c in table.columns] == [("2021", "万元", 2021, "level"), ("2022", "万元", 2022, "level")]
    assert [r.label for r in table.rows] == ["收入", "支出", "合计"]
    assert [c.status for c in table.checks] == ["exact", "exact"]
    assert table.source == "资料来源：某局"


def test_generic_two_level_header_with_a_standalone_growth_column() -> None:
    text = ("表 5 2021-2022年两项指标\n\n地区\n收入（万元） 人数（人）\n2021年 2022年 2021年 2022年\n"
            "甲地 100 110 20 22\n乙地 50 40 10 9\n合计 150 150 30 31\n")
    table = _one(text)
    assert [c.id for c in table.columns] == ["收入（万元）/2021年", "收入（万元）/2022年", "人数（人）/2021年", "人数（人）/2022年"]
    assert [c.unit for c in table.columns] == ["万元", "万元", "人", "人"]
    assert [c.status for c in table.checks] == ["exact", "exact", "exact", "exact"]


def test_table_caption_printed_twice_keeps_the_first_and_warns() -> None:
    block = "表 1 某某\n领域 数量（个）\n甲 1\n乙 2\n"
    found = extract_tables(block + "\n正文。\n" + block)
    assert len(found) == 1
    assert found[0].warnings and "printed again" in found[0].warnings[0]


@pytest.mark.parametrize(
    ("tokens", "expects", "placed"),
    [
        pytest.param(["1", "2"], [False, False, True], ["1", "2", None], id="trailing-missing-by-default"),
        pytest.param(["1", "5%"], [False, False, True], ["1", None, "5%"], id="percent-goes-to-percent-column"),
        pytest.param(["1", "2", "3"], [False, False], ["1", "2"], id="extra-dropped-at-end"),
        pytest.param(["1", "5%", "2"], [False, False], ["1", "2"], id="extra-percent-dropped"),
    ],
)
def test_align_cells_keeps_order_and_respects_percent_signs(tokens: list[str], expects: list, placed: list) -> None:
    assert align_cells(tokens, expects) == placed


# --------------------------------------------------------------------------- synthetic report


@pytest.fixture(scope="module")
def synthetic() -> tuple[dict[str, Table], dict]:
    if not SYNTHETIC.exists() or not SYNTHETIC_EXPECTED.exists():
        pytest.skip("synthetic report not written yet")
    tables = {t.id: t for t in extract_tables(SYNTHETIC.read_text(encoding="utf-8"))}
    return tables, json.loads(SYNTHETIC_EXPECTED.read_text(encoding="utf-8"))


def test_synthetic_report_tables_match_the_expected_json(synthetic: tuple[dict[str, Table], dict]) -> None:
    tables, expected = synthetic
    assert list(tables) == [t["id"] for t in expected["tables"]]
    for exp in expected["tables"]:
        table = tables[exp["id"]]
        assert table.caption == exp["caption"]
        assert [c.id for c in table.columns] == exp["columns"]
        assert table.source == exp["source"]
        assert [(r.label, [c.text for c in r.cells], r.is_total) for r in table.rows] == [
            (r["label"], r["cells"], r.get("is_total", False)) for r in exp["rows"]
        ]
        assert {c.unit for c in table.columns if c.kind == "level"} == {exp["unit"]}


def test_synthetic_missing_cell_is_empty_in_its_column_and_warned(synthetic: tuple[dict[str, Table], dict]) -> None:
    tables, expected = synthetic
    for exp in expected["tables"]:
        for row in exp["rows"]:
            if "missing_cell" in row:
                cell = tables[exp["id"]].cell(row["label"], row["missing_cell"]["column"])
                assert cell is not None and (cell.text, cell.value) == ("", None)
                assert any(row["label"] in w for w in tables[exp["id"]].warnings)


def test_synthetic_bounded_cell_is_less_than_one(synthetic: tuple[dict[str, Table], dict]) -> None:
    tables, expected = synthetic
    for exp in expected["tables"]:
        for row in exp["rows"]:
            if "bounded_cell" in row:
                b = row["bounded_cell"]
                cell = tables[exp["id"]].cell(row["label"], b["column"])
                assert cell is not None
                assert (cell.text, cell.value, cell.bound) == (b["text"], b["value"], b["bound"])


def test_header_without_a_label_column_header_is_settled_by_row_lengths() -> None:
    table = _one("表 1 2022年平台数量\n\n企业数 平台数\n\n甲 3 4\n乙 5 6\n")
    assert [c.id for c in table.columns] == ["企业数", "平台数"]
    assert table.cell("乙", "平台数").value == 6  # type: ignore[union-attr]
    assert table.warnings == []


@pytest.mark.parametrize(
    ("line", "caption"),
    [
        pytest.param("表1 2022年某市指标", "2022年某市指标", id="no-space-before-number"),
        pytest.param("表 1：2022年某市指标", "2022年某市指标", id="colon-after-number"),
        pytest.param("\u3000表 1 2022年某市指标", "2022年某市指标", id="leading-ideographic-space"),
    ],
)
def test_caption_variants_are_recognised(line: str, caption: str) -> None:
    table = _one(line + "\n领域 数量（个）\n甲 1\n")
    assert (table.id, table.caption) == ("表1", caption)
    assert table.cell("甲", "数量（个）").value == 1  # type: ignore[union-attr]


def test_sentence_starting_with_a_table_reference_is_not_a_caption() -> None:
    assert extract_tables("表 1 显示，规模继续增长。\n甲 1\n") == []
