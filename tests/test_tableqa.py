"""Table QA: questions (by class, both languages) → table, operation, figure and the cells it came from.

Expected figures are read off 表1–表4 of the report; computed ones are worked by hand from the printed cells.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.tables import extract_tables
from reportqa.query.lexicon.glossary import load_glossary
from reportqa.query.tables.tableqa import TableResult, execute, parse_table_query
from reportqa.records import Table

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "corpus" / "china-sharing-economy-report-2023.txt"
SYNTHETIC = ROOT / "tests" / "data" / "synthetic-report.txt"


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(ROOT / "corpus" / "china-sharing-economy-report-2023.glossary.tsv")


@pytest.fixture(scope="module")
def tables() -> list[Table]:
    return extract_tables(REPORT.read_text(encoding="utf-8"))


def run(question: str, tables: list[Table], glossary) -> TableResult:
    query = parse_table_query(question, tables, glossary)
    assert query is not None, f"not parsed as a table question: {question}"
    return execute(query, tables)


# (question, op, figure as printed/computed, unit, cell ids that must be used)
VALUES = [
    pytest.param("2022年共享住宿规模", "115", "亿元", ["表1/共享住宿/2022年"], id="t1-zh-scale"),
    pytest.param("2021年交通出行交易额是多少", "2344", "亿元", ["表1/交通出行/2021年"], id="t1-zh-2021"),
    pytest.param("What was the transaction volume of knowledge and skills in 2021?", "4540", "亿元", ["表1/知识技能/2021年"], id="t1-en"),
    pytest.param("How large was the sharing economy market in 2022?", "38320", "亿元", ["表1/总计/2022年"], id="t1-en-total"),
    pytest.param("共享住宿交易额", "115", "亿元", ["表1/共享住宿/2022年"], id="t1-no-year-latest"),
    pytest.param("2022年网约车用户规模", "40507", "万人", ["表2/网约车/用户规模（万人）"], id="t2-zh-users"),
    pytest.param("What was the food delivery penetration rate among internet users?", "61.44%", "%", ["表2/在线外卖/网民普及率"], id="t2-en-rate"),
    pytest.param("共享住宿的网民普及率", "6.63%", "%", ["表2/共享住宿/网民普及率"], id="t2-zh-rate"),
    pytest.param("2021年网约车人均消费支出", "2891.3", "元", ["表3/网约车/人均消费支出（元）/2021年"], id="t3-zh-per-capita"),
    pytest.param("2022年餐饮共享型服务支出占比", "25.4%", "%", ["表3/餐饮/共享型服务支出占比/2022年"], id="t3-zh-share-column"),
    pytest.param("What was per-capita shared-service spending on accommodation in 2021?", "10.8", "元", ["表3/住宿/共享型服务支出（元）/2021年"], id="t3-en-spending"),
    pytest.param("What share of per-capita spending on accommodation went to shared services in 2022?", "4.4%", "%", ["表3/住宿/共享型服务支出占比/2022年"], id="t3-en-share"),
    pytest.param("2020年共享医疗融资额", "88", "亿元", ["表4/共享医疗/2020年"], id="t4-zh"),
    pytest.param("How much funding did ride sharing raise in 2021?", "485", "亿元", ["表4/交通出行/2021年"], id="t4-en"),
    pytest.param("How much direct financing did the sharing economy raise in 2022?", "132", "亿元", ["表4/总计/2022年"], id="t4-en-total"),
]


@pytest.mark.parametrize(("question", "printed", "unit", "cells"), VALUES)
def test_value_questions_read_the_right_cell(question: str, printed: str, unit: str, cells: list[str], tables, glossary) -> None:
    result = run(question, tables, glossary)
    assert result.answerable and result.op == "value"
    assert (result.figures[0].printed, result.figures[0].unit) == (printed, unit)
    assert [c.id for c in result.cells] == cells


def test_a_bound_cell_stays_a_bound(tables, glossary) -> None:
    fig = run("2022年知识技能直接融资", tables, glossary).figures[0]
    assert fig.printed == "＜1" and fig.bound == "<" and fig.interval == (0.0, 1.0)


COMPUTED = [
    # difference and % change (printed growth preferred over the recomputed one)
    pytest.param("2021到2022年共享办公交易额变化了多少", "change", ["-80", "-37.7%"], ["亿元", "%"], id="change-zh"),
    pytest.param("How much did the home sharing transaction volume fall from 2021 to 2022?", "change", ["-37", "-24.3%"], ["亿元", "%"], id="change-en"),
    pytest.param("2022年生活服务融资比上年减少了多少", "change", ["-699", "-93.2%"], ["亿元", "%"], id="change-one-year-vs-previous"),
    pytest.param("2022年网约车共享型服务支出占比较上年变化了多少", "change", ["-1.1"], ["个百分点"], id="change-share-in-points-zh"),
    pytest.param("By how many percentage points did the share of shared-service spending in catering change in 2022?", "change", ["4.0"], ["个百分点"], id="change-share-in-points-en"),
    # growth: printed when the table prints it, else computed from the levels
    pytest.param("2022年共享医疗同比增速", "growth", ["8.2%"], ["%"], id="growth-printed-zh"),
    pytest.param("What was the year-on-year growth of direct financing for shared accommodation in 2022?", "growth", ["455.5%"], ["%"], id="growth-printed-en"),
    pytest.param("2021年交通出行融资同比增速", "growth", ["321.7"], ["%"], id="growth-computed-t4"),
    pytest.param("2022年网约车人均消费支出增长率", "growth", ["-37.1"], ["%"], id="growth-computed-t3"),
    # share of the total row
    pytest.param("2022年生活服务交易额占总交易额的比重", "share_of_total", ["48.4"], ["%"], id="share-zh"),
    pytest.param("What share of total transaction volume did production capacity account for in 2021?", "share_of_total", ["33.5"], ["%"], id="share-en"),
    pytest.param("2022年生活服务交易额占比", "share_of_total", ["48.4"], ["%"], id="share-when-no-share-column"),
    # sum and ratio
    pytest.param("2022年生活服务和生产能力交易额合计", "sum", ["18548", "12548", "31096"], ["亿元"] * 3, id="sum-zh"),
    pytest.param("What was the combined direct financing of transport and healthcare in 2020?", "sum", ["115", "88", "203"], ["亿元"] * 3, id="sum-en"),
    pytest.param("2022年生活服务交易额是共享医疗的多少倍", "ratio", ["18548", "159", "116.65"], ["亿元", "亿元", "倍"], id="ratio-rows-zh"),
    pytest.param("How many times larger was total direct financing in 2021 than in 2020?", "ratio", ["2137", "1185", "1.80"], ["亿元", "亿元", "倍"], id="ratio-years-en"),
]


@pytest.mark.parametrize(("question", "op", "printed", "units"), COMPUTED)
def test_computed_operations_match_hand_worked_figures(question: str, op: str, printed: list[str], units: list[str], tables, glossary) -> None:
    result = run(question, tables, glossary)
    assert result.answerable and result.op == op
    assert [f.printed for f in result.figures] == printed
    assert [f.unit for f in result.figures] == units


def test_share_of_total_records_a_derivation_with_cell_ids(tables, glossary) -> None:
    result = run("2022年生活服务交易额占总交易额的比重", tables, glossary)
    assert result.formula == "表1/生活服务/2022年 ÷ 表1/总计/2022年 = 18548 ÷ 38320 = 48.4%"
    assert [c.id for c in result.cells] == ["表1/生活服务/2022年", "表1/总计/2022年"]


def test_computed_growth_names_the_previous_year_cell(tables, glossary) -> None:
    result = run("2021年交通出行融资同比增速", tables, glossary)
    assert "表4/交通出行/2020年" in result.formula and "(485 − 115) ÷ 115" in result.formula


@pytest.mark.parametrize(
    ("question", "upper"),
    [
        pytest.param("2022年知识技能融资占总融资的比重", 100 / 132, id="share-zh"),
        pytest.param("What share of total direct financing did knowledge and skills account for in 2022?", 100 / 132, id="share-en"),
        pytest.param("2022年共享办公和知识技能融资合计", 2.0, id="sum-of-two-bounds"),
    ],
)
def test_results_with_a_bounded_input_are_intervals_from_zero(question: str, upper: float, tables, glossary) -> None:
    fig = run(question, tables, glossary).figures[-1]
    assert fig.interval is not None
    assert fig.interval[0] == 0.0 and fig.interval[1] == pytest.approx(upper)


RANKS = [
    pytest.param("2022年哪个领域交易额最大", ["生活服务"], id="largest-zh"),
    pytest.param("2022年交易额排名前三的领域", ["生活服务", "生产能力", "知识技能"], id="top3-zh"),
    pytest.param("What were the top 2 domains by transaction volume in 2021?", ["生活服务", "生产能力"], id="top2-en"),
    pytest.param("Which sector had the smallest transaction volume in 2021?", ["共享医疗"], id="smallest-en"),
    pytest.param("Which domain had the largest decline in direct financing in 2022?", ["生产能力"], id="largest-decline-en"),
    pytest.param("2022年交易额降幅最大的领域", ["共享办公"], id="largest-decline-zh"),
    pytest.param("哪个领域网民普及率最高", ["在线外卖"], id="rank-t2"),
    pytest.param("2022年哪个领域共享型服务支出占比最低", ["住宿"], id="rank-t3-share"),
]


@pytest.mark.parametrize(("question", "expected"), RANKS)
def test_rankings_exclude_the_total_row(question: str, expected: list[str], tables, glossary) -> None:
    result = run(question, tables, glossary)
    assert result.op == "rank" and result.answerable
    assert [f.label for f in result.figures] == expected
    assert all(f.label != "总计" for f in result.ranking)


def test_ranking_ties_of_bounds_are_both_at_the_bottom(tables, glossary) -> None:
    result = run("2022年融资额最少的领域", tables, glossary)
    assert {f.label for f in result.ranking[:2]} == {"知识技能", "共享办公"}


COMPARES = [
    pytest.param("2022年交通出行和共享住宿哪个交易额更高", "交通出行", "1897", "亿元", id="level-zh"),
    pytest.param("Was ride-hailing penetration higher than food delivery penetration?", "在线外卖", "22.90", "个百分点", id="rate-en-points"),
    pytest.param("2022年共享医疗和生活服务谁的增速更快", "生活服务", "0.2", "个百分点", id="growth-zh"),
    pytest.param("Did shared healthcare raise more direct financing than life services in 2021?", "生活服务", "378", "亿元", id="financing-en"),
]


@pytest.mark.parametrize(("question", "winner", "gap", "unit"), COMPARES)
def test_compare_names_the_larger_and_the_gap(question: str, winner: str, gap: str, unit: str, tables, glossary) -> None:
    result = run(question, tables, glossary)
    assert result.op == "compare" and result.winner == winner
    assert (result.figures[-1].printed, result.figures[-1].unit) == (gap, unit)


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("2019年共享住宿交易额", id="year-before-table-zh"),
        pytest.param("What was the sharing economy's transaction volume in 2023?", id="forecast-year-en"),
        pytest.param("2020年共享经济交易规模", id="year-only-in-another-table"),
        pytest.param("2021年网约车用户规模", id="single-year-table"),
    ],
)
def test_years_the_table_does_not_cover_are_refused(question: str, tables, glossary) -> None:
    query = parse_table_query(question, tables, glossary)
    assert query is not None and query.missing
    result = execute(query, tables)
    assert not result.answerable and result.figures == [] and "covers" in (result.reason or "")


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("美团2022年利润", id="company"),
        pytest.param("2022年网约车平台数量", id="other-quantity"),
        pytest.param("2022年共享充电宝的市场规模", id="domain-without-row"),
        pytest.param("2022年GDP增速", id="unknown-subject"),
        pytest.param("2022年在线外卖交易额", id="row-without-that-metric"),
        pytest.param("What is the metaverse?", id="narrative"),
    ],
)
def test_questions_no_table_answers_are_not_table_queries(question: str, tables, glossary) -> None:
    assert parse_table_query(question, tables, glossary) is None


@pytest.mark.parametrize(
    ("question", "printed", "cells"),
    [
        pytest.param("2023年在线演出消费规模", "9.2", ["表1/在线演出/2023年"], id="row-unknown-to-glossary"),
        pytest.param("2023年数字藏品投资额同比增速", "-75.0%", ["表2/数字藏品/2023年同比增速"], id="printed-growth"),
        pytest.param("2023年文旅平台投资额同比增速", "45.5", ["表2/文旅平台/2022年", "表2/文旅平台/2023年"], id="missing-growth-computed"),
        pytest.param("2023年哪个领域消费规模最大", "77.6", ["表1/文创电商/2023年"], id="rank"),
    ],
)
def test_another_report_with_other_rows_parses_the_same_way(question: str, printed: str, cells: list[str], glossary) -> None:
    other = extract_tables(SYNTHETIC.read_text(encoding="utf-8"))
    result = run(question, other, glossary)
    assert result.answerable
    assert result.figures[0].printed == printed
    assert [c.id for c in result.cells] == cells


# Per-capita spending table (two-level header): the row word may sit inside the metric phrase or the metric
# may be paraphrased; bare 'spending on <service>' is the shared-service column, '消费支出' the overall one.
SPENDING = [
    pytest.param("2022年人均餐饮消费支出是多少元", "value", ["3111.6"], ["元"], ["表3/餐饮/人均消费支出（元）/2022年"], id="zh-row-inside-metric"),
    pytest.param("2021年人均住宿消费支出", "value", ["215.2"], ["元"], ["表3/住宿/人均消费支出（元）/2021年"], id="zh-row-inside-metric-other-row"),
    pytest.param("人均网约车消费支出", "value", ["1818.9"], ["元"], ["表3/网约车/人均消费支出（元）/2022年"], id="zh-no-year-latest"),
    pytest.param("How much did the average person spend on ride-hailing in 2021?", "value", ["256.4"], ["元"], ["表3/网约车/共享型服务支出（元）/2021年"], id="en-average-person-spend"),
    pytest.param("How much did the average person spend on shared accommodation in 2022?", "value", ["8.1"], ["元"], ["表3/住宿/共享型服务支出（元）/2022年"], id="en-shared-service-via-related-row"),
    pytest.param("How much did the average person spend on accommodation in 2022?", "value", ["183.0"], ["元"], ["表3/住宿/人均消费支出（元）/2022年"], id="en-category-row-is-overall"),
    pytest.param("per-capita ride-hailing spending", "value", ["142.5"], ["元"], ["表3/网约车/共享型服务支出（元）/2022年"], id="en-per-capita-spending"),
    pytest.param("What was per-capita consumption spending on catering in 2021?", "value", ["3319.8"], ["元"], ["表3/餐饮/人均消费支出（元）/2021年"], id="en-consumption-is-overall"),
    pytest.param("在线外卖（餐饮共享型服务）人均支出2022年比2021年增加了多少元", "change", ["80.1", "11.3"], ["元", "%"],
                 ["表3/餐饮/共享型服务支出（元）/2021年", "表3/餐饮/共享型服务支出（元）/2022年"], id="zh-related-row-change"),
    pytest.param("网约车人均支出2022年比2021年减少了多少", "change", ["-113.9", "-44.4"], ["元", "%"],
                 ["表3/网约车/共享型服务支出（元）/2021年", "表3/网约车/共享型服务支出（元）/2022年"], id="zh-bare-spending-change"),
    pytest.param("By what percentage did per-capita ride-hailing spending fall in 2022?", "growth", ["-44.4"], ["%"],
                 ["表3/网约车/共享型服务支出（元）/2021年", "表3/网约车/共享型服务支出（元）/2022年"], id="en-percent-change-of-level"),
    pytest.param("By what percentage did per-capita spending on shared accommodation fall in 2022?", "growth", ["-25.0"], ["%"],
                 ["表3/住宿/共享型服务支出（元）/2021年", "表3/住宿/共享型服务支出（元）/2022年"], id="en-percent-change-other-row"),
    pytest.param("Per-capita catering spending in 2021", "value", ["3319.8"], ["元"], ["表3/餐饮/人均消费支出（元）/2021年"], id="en-category-catering"),
    pytest.param("What was the shared-service share of per-capita catering spending in 2021?", "value", ["21.4%"], ["%"],
                 ["表3/餐饮/共享型服务支出占比/2021年"], id="en-share-word-picks-share-column"),
]


@pytest.mark.parametrize(("question", "op", "printed", "units", "cells"), SPENDING)
def test_spending_metric_resolves_from_the_wording(question: str, op: str, printed: list[str], units: list[str], cells: list[str], tables, glossary) -> None:
    result = run(question, tables, glossary)
    assert result.answerable and result.op == op
    assert [f.printed for f in result.figures] == printed
    assert [f.unit for f in result.figures] == units
    assert [c.id for c in result.cells] == cells


ORDINALS = [
    pytest.param("2021年融资额排第二的领域是哪个？融了多少", 2, "交通出行", "485", "亿元", id="zh-second-2021"),
    pytest.param("which segment had the second-largest financing in 2021", 2, "交通出行", "485", "亿元", id="en-second-largest"),
    pytest.param("2022年融资额第三大的领域", 3, "交通出行", "23", "亿元", id="zh-third-largest"),
    pytest.param("Which domain had the third-highest direct financing in 2022?", 3, "交通出行", "23", "亿元", id="en-third-highest"),
    pytest.param("2020年融资额排名第二的领域", 2, "生活服务", "260", "亿元", id="zh-second-2020"),
    pytest.param("2022年交易额第二大的领域是哪个", 2, "生产能力", "12548", "亿元", id="zh-transactions"),
    pytest.param("Which domain had the second-smallest transaction volume in 2021?", 2, "共享住宿", "152", "亿元", id="en-second-smallest"),
    pytest.param("2022年哪个领域网民普及率排第二", 2, "网约车", "38.54%", "%", id="zh-rate-table"),
]


@pytest.mark.parametrize(("question", "position", "row", "printed", "unit"), ORDINALS)
def test_ordinal_ranks_name_the_row_at_that_place(question: str, position: int, row: str, printed: str, unit: str, tables, glossary) -> None:
    result = run(question, tables, glossary)
    assert result.op == "rank" and result.answerable and result.query.position == position
    assert [(f.label, f.printed, f.unit) for f in result.figures] == [(row, printed, unit)]
    assert all(f.label != "总计" for f in result.ranking)
    assert result.cells[0].id.split("/")[1] == row


def test_two_smallest_are_the_tied_bounds(tables, glossary) -> None:
    result = run("2022年融资额最小的两个领域", tables, glossary)
    assert result.query.top_n == 2 and result.query.order == "asc"
    assert {(f.label, f.printed) for f in result.figures} == {("知识技能", "＜1"), ("共享办公", "＜1")}
    assert [c.id for c in result.cells] == ["表4/知识技能/2022年", "表4/共享办公/2022年"]


def test_an_ordinal_inside_a_tie_keeps_the_tied_row_in_the_ranking(tables, glossary) -> None:
    result = run("2022年融资额第二小的领域", tables, glossary)
    at = result.figures[0]
    tied = [f for f in result.ranking if f is not at and f.printed == at.printed and f.interval == at.interval]
    assert at.printed == "＜1" and at.bound == "<" and [f.label for f in tied] in (["知识技能"], ["共享办公"])
