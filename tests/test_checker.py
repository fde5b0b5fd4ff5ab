"""The numeric-fact checker: verdicts against the real report's tables and text (and the synthetic report)."""

from __future__ import annotations

import statistics
import time

import pytest

from reportqa.query.checker.checker import check_answer_facts, check_text
from reportqa.query.views.figure_index import build_figure_index, get_figure_index
from reportqa.records import Document


def _only(facts):
    assert len(facts) == 1, [(f.text, f.status) for f in facts]
    return facts[0]


@pytest.mark.parametrize(
    ("text", "status", "cell"),
    [
        pytest.param("2022年共享住宿交易额为115亿元", "verified", "表1/共享住宿/2022年", id="zh-verified-cell"),
        pytest.param("In 2022 shared accommodation transactions were CNY 11.5 billion", "verified", "表1/共享住宿/2022年", id="en-verified-billion"),
        pytest.param("直接融资约132亿元", "verified", "表4/总计/2022年", id="zh-verified-total-by-metric"),
        pytest.param("2022年共享经济市场交易规模约为3.83万亿元", "verified", "表1/总计/2022年", id="zh-verified-within-precision"),
        pytest.param("2022年网约车用户规模为40507万人", "verified", "表2/网约车/用户规模（万人）", id="zh-verified-people"),
        pytest.param("Ride-hailing had 405.07 million users in 2022.", "verified", "表2/网约车/用户规模（万人）", id="en-verified-users"),
        pytest.param("2022年共享办公融资额不足1亿元", "verified", "表4/共享办公/2022年", id="zh-verified-bound"),
        pytest.param("2022年共享住宿交易额同比下降24.3%", "verified", "表1/共享住宿/2022年同比增速", id="zh-verified-negative-growth"),
        pytest.param("Home sharing transactions fell 24.3 percent in 2022", "verified", "表1/共享住宿/2022年同比增速", id="en-verified-fell"),
        pytest.param("生活服务占2022年交易总额的48.4%", "derived", "表1/生活服务/2022年", id="zh-derived-share-of-total"),
        pytest.param("共享住宿交易额比2021年减少37亿元", "derived", "表1/共享住宿/2022年", id="zh-derived-difference"),
        pytest.param("2022年交通出行交易额是共享住宿的17.5倍", "derived", "表1/交通出行/2022年", id="zh-derived-ratio"),
        pytest.param("2022年交通出行和共享住宿交易额合计2127亿元", "derived", "表1/交通出行/2022年", id="zh-derived-sum"),
        pytest.param("2022年网约车人均消费支出同比下降37.1%", "derived", "表3/网约车/人均消费支出（元）/2022年", id="zh-derived-growth"),
        pytest.param("In 2022 life services made up 48.4% of all sharing-economy transactions", "derived", "表1/生活服务/2022年", id="en-derived-share"),
        pytest.param("2022年共享住宿交易额为125亿元", "contradicted", "表1/共享住宿/2022年", id="zh-contradicted-level"),
        pytest.param("2022年共享住宿交易额同比增长24.3%", "contradicted", "表1/共享住宿/2022年同比增速", id="zh-contradicted-sign"),
        pytest.param("2022年共享办公融资额为5亿元", "contradicted", "表4/共享办公/2022年", id="zh-contradicted-bound"),
        pytest.param("In 2022 shared accommodation transactions were CNY 12.5 billion", "contradicted", "表1/共享住宿/2022年", id="en-contradicted-billion"),
        pytest.param("2022年在线外卖用户规模为6.4亿人", "contradicted", "表2/在线外卖/用户规模（万人）", id="zh-contradicted-people"),
        pytest.param("2022年我国火星旅游收入为500亿元", "unsupported", None, id="zh-unsupported"),
        pytest.param("In 2022 space tourism revenue was CNY 50 billion", "unsupported", None, id="en-unsupported"),
    ],
)
def test_verdicts_on_the_real_report(report_doc: Document, text: str, status: str, cell: str | None) -> None:
    fact = _only(check_text(text, [report_doc]))
    assert fact.status == status
    if cell is not None:
        assert fact.source["cell"] == cell
    else:
        assert fact.source == {}


def test_contradicted_says_what_the_table_prints(report_doc: Document) -> None:
    fact = _only(check_text("2022年共享住宿交易额为125亿元", [report_doc]))
    assert fact.expected is not None and fact.expected.startswith("表1 says 115亿元")
    assert fact.source["cell"] == "表1/共享住宿/2022年"
    assert fact.source["quote"] == "共享住宿 152 115 -24.3%"
    assert fact.source["section"].endswith("（一）共享经济市场交易规模同比增长 3.9%")
    start, end = fact.source["span"]
    assert report_doc.text[start:end] == "共享住宿 152 115 -24.3%"


def test_derived_gives_the_formula(report_doc: Document) -> None:
    fact = _only(check_text("生活服务占2022年交易总额的48.4%", [report_doc]))
    assert fact.formula == "表1 生活服务 2022年 18548 / 表1 总计 2022年 38320 = 48.4%"
    assert fact.source["inputs"] == ["表1/生活服务/2022年", "表1/总计/2022年"]


def test_share_change_in_percentage_points_is_derived(report_doc: Document) -> None:
    facts = check_text("生活服务占2022年交易总额的48.4%，较2021年的46.4%提高了2.0个百分点。", [report_doc])
    assert [(f.text, f.year, f.status) for f in facts] == [
        ("48.4%", 2022, "derived"), ("46.4%", 2021, "derived"), ("2.0个百分点", 2022, "derived")]
    assert facts[2].unit == "个百分点"


def test_text_figures_verify_claims_the_tables_do_not_cover(report_doc: Document) -> None:
    fact = _only(check_text("2022年国内旅游总人次25.3亿", [report_doc]))
    assert fact.status == "verified"
    assert fact.source["kind"] == "text"
    assert "国内旅游总人次" in fact.source["quote"]


def test_a_restated_text_fact_with_another_value_is_contradicted(report_doc: Document) -> None:
    fact = _only(check_text("2022年国内旅游总人次30亿", [report_doc]))
    assert fact.status == "contradicted"
    assert fact.expected is not None and "25.3亿" in fact.expected


def test_sign_convention_is_recorded(report_doc: Document) -> None:
    fact = _only(check_text("2022年直接融资同比下降93.8%", [report_doc]))
    assert (fact.value, fact.status) == (-93.8, "verified")
    assert "下降" in fact.source["sign"]


@pytest.mark.parametrize(
    ("text", "status", "cell"),
    [
        pytest.param("2023年在线演出消费规模为9.2亿元", "verified", "表1/在线演出/2023年", id="verified"),
        pytest.param("2023年在线演出消费规模为9.6亿元", "contradicted", "表1/在线演出/2023年", id="table-beats-wrong-text"),
        pytest.param("2023年沉浸式体验项目投资额占总投资的24.6%", "derived", "表2/沉浸式体验/2023年", id="derived-share"),
        pytest.param("2023年文旅平台投资额同比增长45.5%", "derived", "表2/文旅平台/2023年", id="derived-missing-cell"),
        pytest.param("2023年数字藏品投资额不足1亿元", "verified", "表2/数字藏品/2023年", id="bound-cell"),
    ],
)
def test_verdicts_on_the_synthetic_report(synthetic_doc: Document, text: str, status: str, cell: str) -> None:
    fact = _only(check_text(text, [synthetic_doc]))
    assert (fact.status, fact.source["cell"]) == (status, cell)


def test_answer_check_prefers_the_cited_source(report_doc: Document) -> None:
    text = "2022年共享办公交易额132亿元"
    plain = _only(check_text(text, [report_doc]))
    cited = _only(check_answer_facts(text, [report_doc], ["china-sharing-economy-report-2023:表1/共享办公"]))
    assert plain.status == cited.status == "verified"
    assert cited.source["cell"] == "表1/共享办公/2022年"


def test_figure_index_is_built_once_per_document_set(report_doc: Document) -> None:
    assert get_figure_index([report_doc]) is get_figure_index([report_doc])
    index = build_figure_index([report_doc], get_figure_index([report_doc]).vocab)
    assert len(index.cell_sources()) == sum(1 for t in report_doc.tables for r in t.rows for c in r.cells if c.value is not None)
    assert any(s.text == "2.04亿元" for s in index.text_sources())


def test_checking_a_short_answer_takes_about_a_millisecond(report_doc: Document) -> None:
    get_figure_index([report_doc])
    answer = "2022年共享住宿交易额为115亿元，同比下降24.3%；生活服务占交易总额的48.4%。"
    timings = []
    for _ in range(30):
        start = time.perf_counter()
        check_text(answer, [report_doc])
        timings.append((time.perf_counter() - start) * 1000)
    assert statistics.median(timings) < 5.0


@pytest.mark.parametrize(
    ("text", "status"),
    [
        pytest.param("What was the transaction volume of the transportation sector in 2021? 2344亿元.", "verified", id="en-subject-from-question"),
        pytest.param("交通出行2020-2022三年直接融资合计：623亿元", "derived", id="zh-sum-over-year-range"),
        pytest.param("网约车用户比共享住宿用户多33537万人", "derived", id="zh-more-than-difference"),
        pytest.param("2022年交通出行交易额比上年减少332亿元", "derived", id="zh-decrease-by-amount"),
        pytest.param("2021年网络表演（直播）行业市场规模为1844.42亿元", "verified", id="zh-unknown-subject-text-figure"),
        pytest.param("How much did star-rated hotel revenue fall in the first three quarters of 2022? It fell 15.98%.", "verified", id="en-cross-language-text-figure"),
    ],
)
def test_answers_with_context_in_another_sentence(report_doc: Document, text: str, status: str) -> None:
    assert [f.status for f in check_text(text, [report_doc])] == [status]


def test_an_unknown_subject_is_not_taken_for_the_total(report_doc: Document) -> None:
    fact = _only(check_text("2021年网络表演（直播）行业市场规模为2000亿元", [report_doc]))
    assert fact.status == "contradicted"
    assert fact.expected is not None and "1844.42亿元" in fact.expected and "36881" not in fact.expected


def test_a_carried_over_subject_never_contradicts(report_doc: Document) -> None:
    facts = check_text("2022年共享住宿交易额为115亿元。另一个数字是125亿元。", [report_doc])
    assert [f.status for f in facts] == ["verified", "unsupported"]


def test_cited_cell_verifies_a_figure_whose_subject_is_named_elsewhere(report_doc: Document) -> None:
    answer = "2022年的数字为115亿元（表1《2021-2022年我国共享经济发展概况》，共享住宿行，2022年列）"
    fact = _only(check_answer_facts(answer, [report_doc], ["表1/共享住宿/2022年"]))
    assert (fact.status, fact.source["cell"]) == ("verified", "表1/共享住宿/2022年")
