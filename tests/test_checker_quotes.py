"""Checker gaps closed: verbatim quotes, figures that restate a quoted figure, row gaps, combined shares.

A quote of the report's own sentence is never contradicted; a figure outside the quote that restates
a quoted figure (the English label line of a text-figure answer) is verified against the same
sentence; percentage-point gaps between rows, combined shares, ratios between years and sums over
named years are derived.
"""

from __future__ import annotations

import pytest

from reportqa.query.checker.checker import check_answer_facts, check_text
from reportqa.query.checker.quotes import quote_spans
from reportqa.query.figures.claims import extract_claims
from reportqa.records import Document

TRAINED = ("外卖运营师也是随着共享经济新业态发展而产生的新职业，近年来美团联合人社部教培中心共同推出“外卖运营人才培养计划”，"
           "2022年累计培养外卖运营师近 7000名，未来五年计划再培养 10万人。")


def _compact(text: str) -> str:
    return "".join(text.split())


def test_nested_quotes_count_as_one_quotation() -> None:
    text = f"The report says: “{TRAINED}” (p. 11)"
    assert quote_spans(text) == [(text.index("外卖运营师"), text.index("” (p. 11)"))]


def test_figures_in_a_verbatim_quote_are_verified_against_the_quoted_sentence(report_doc: Document) -> None:
    facts = check_text(f"The report says: “{TRAINED}”", [report_doc])
    assert [(f.text, f.status) for f in facts] == [("7000名", "verified"), ("10万人", "verified")]
    for fact in facts:
        assert fact.source["kind"] == "text" and fact.expected is None
        start, end = fact.source["span"]
        assert _compact(report_doc.text[start:end]) == _compact(fact.text)  # the report's own figure
        assert "外卖运营师近 7000名" in fact.source["quote"]


def test_a_quoted_sentence_with_a_figure_the_report_prints_elsewhere_is_not_contradicted(report_doc: Document) -> None:
    quote = "初步测算表明，2022年共享经济领域直接融资规模约为 132亿元，同比大幅下降 93.8%（表 4）。"
    facts = check_answer_facts(f"The report addresses this in （四）共享经济领域直接融资大幅下降: “{quote}”", [report_doc],
                               ["china-sharing-economy-report-2023:p17:0"])
    assert [(f.text, f.status) for f in facts] == [("132亿元", "verified"), ("93.8%", "verified")]
    assert facts[1].source["quote"] == quote


def test_a_quote_the_report_does_not_contain_gets_no_pass(report_doc: Document) -> None:
    fact = check_text("报告原文：“2022年共享经济领域直接融资规模约为 150亿元，同比大幅下降 93.8%。”", [report_doc])[0]
    assert (fact.text, fact.status) == ("150亿元", "contradicted")


@pytest.mark.parametrize(
    ("answer", "label"),
    [
        pytest.param("delivery riders, Beijing, Shanghai: 65,000 (6.5万) (the report qualifies it: 约). "
                     "The report says: “仅在北京、上海两地就有约 6.5万骑手参与保供。”", "6.5万", id="bare-magnitude-zh"),
        pytest.param("monthly active, Kuaishou: 100 million (1亿). The report says: “电子商务业态越来越多样化，除了直播间带货销售外，"
                     "通过拓展短视频种草等方式，快手电商的渗透率和转化率也有提升，电商月活跃买家超过 1亿规模，付费渗透率超 15%，同比环比均有提升。”",
                     "100 million", id="bare-magnitude-en"),
        pytest.param("MIIT, first half, 2022: 6.3 million times (630万次). The report says: “到 2022年上半年，工业和信息化部累计完成 630万次 "
                     "APP检测，基本实现对主流应用商店在架 APP的全覆盖。”", "6.3 million times", id="million-times-is-a-count"),
    ],
)
def test_a_figure_restating_a_quoted_figure_is_verified(report_doc: Document, answer: str, label: str) -> None:
    facts = check_text(answer, [report_doc])
    assert all(f.status == "verified" for f in facts), [(f.text, f.status) for f in facts]
    first = next(f for f in facts if f.text == label)
    inside = facts[-1] if label != "100 million" else next(f for f in facts if f.text == "1亿" and f.source.get("kind") == "text")
    assert first.source["quote"] == inside.source["quote"]


def test_million_times_is_a_count_of_occurrences_and_times_alone_a_ratio() -> None:
    claims = extract_claims("MIIT completed 6.3 million times app checks; revenue was 2.5 times larger")
    assert [(c.text, c.family, c.value, c.unit) for c in claims] == [
        ("6.3 million times", "count:次", 630.0, "万次"), ("2.5 times", "ratio", 2.5, "倍")]


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        pytest.param("2022年在线外卖的网民普及率比网约车高22.90个百分点",
                     "表2 在线外卖 网民普及率 61.44% − 表2 网约车 网民普及率 38.54% = 22.90个百分点", id="zh-gap-between-rows"),
        pytest.param("2021年知识技能和生活服务合计占总规模的58.7%",
                     "(表1 知识技能 2021年 4540 + 表1 生活服务 2021年 17118) / 表1 总计 2021年 36881 = 58.7%", id="zh-combined-share"),
        pytest.param("In 2021 total direct financing was 16.19 times that of 2022",
                     "表4 总计 2021年 2137 / 表4 总计 2022年 132 = 16.19倍", id="en-ratio-earlier-year-first"),
        pytest.param("2020年交通出行与2021年交通出行与2022年交通出行的融资额合计为623亿元",
                     "表4 交通出行 2020年 115 + 表4 交通出行 2021年 485 + 表4 交通出行 2022年 23 = 623亿元", id="zh-sum-over-named-years"),
        pytest.param("2022年网约车与共享住宿与在线外卖的用户规模合计为112058万人",
                     "表2 网约车 用户规模（万人） 40507 + 表2 共享住宿 用户规模（万人） 6970 + 表2 在线外卖 用户规模（万人） 64581 = 112058万人",
                     id="zh-sum-of-three-rows-not-one-row"),
    ],
)
def test_compare_and_combine_statements_are_derived(report_doc: Document, text: str, formula: str) -> None:
    facts = check_text(text, [report_doc])
    assert [(f.status, f.formula) for f in facts] == [("derived", formula)]


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        pytest.param("2023年在线旅游预订消费规模增速比文创电商高2.9个百分点",
                     "表1 在线旅游预订 2023年同比增速 13.9% − 表1 文创电商 2023年同比增速 11.0% = 2.9个百分点", id="gap-between-growth-rates"),
        pytest.param("2023年在线旅游预订和文创电商合计占消费规模总计的79.4%",
                     "(表1 在线旅游预订 2023年 70.4 + 表1 文创电商 2023年 77.6) / 表1 总计 2023年 186.5 = 79.4%", id="combined-share"),
    ],
)
def test_compare_and_combine_on_the_synthetic_report(synthetic_doc: Document, text: str, formula: str) -> None:
    facts = check_text(text, [synthetic_doc])
    assert [(f.status, f.formula) for f in facts] == [("derived", formula)]
