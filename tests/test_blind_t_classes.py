"""Question classes from blind set T's first run, asked in our own wording on the bundled reports.

Real reports, real index. A bracketed aside glosses the words before it; an abbreviation closing a hyphenated
compound and a year span with a two-digit end are written out; the figure a forecast was cut *from* is not the
one it was cut *to*; a share named earlier in the figure's part of the sentence is that figure's; a figure the
sentence attaches to another company is not the asked company's; a question about a whole table's sums checks
every column, and a Chinese question gets its check in Chinese.
"""

from __future__ import annotations

import re

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.analysis.question import analyse
from reportqa.query.analysis.rewrite import aside_last
from reportqa.query.lexicon.abbreviations import (
    expand_abbreviations,
    expand_short_years,
)
from reportqa.query.views.sentences import answer_context
from tests.answers import lead


@pytest.mark.parametrize(("text", "moved"), [
    pytest.param("2022年餐饮人均共享型服务（在线外卖）支出是多少元？", "2022年餐饮人均共享型服务支出（在线外卖）是多少元？", id="zh"),
    pytest.param("cascade (second-life) use in 2022", "cascade use (second-life) in 2022", id="en"),
    pytest.param("共享医疗（在线问诊）2022年规模", "共享医疗（在线问诊）2022年规模", id="zh-aside-at-the-end-of-its-phrase"),
])
def test_a_bracketed_aside_moves_behind_the_phrase_it_interrupts(text: str, moved: str) -> None:
    assert aside_last(text) == moved


@pytest.mark.parametrize(("question", "figure"), [
    # the bracket glosses the measure ('online takeout' is 表2's row, not a subject 表3 lacks)
    pytest.param("2022年餐饮人均共享型服务（在线外卖）支出是多少元？", "789.7元", id="report-1-zh"),
    pytest.param("Per-capita spending on shared catering services (online takeout) in 2022?", "789.7", id="report-1-en"),
])
def test_a_bracketed_gloss_is_not_another_subject(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in answer.answer, answer.answer


@pytest.mark.parametrize(("text", "written"), [
    pytest.param("sharing-econ transaction value", "sharing-economy transaction value", id="hyphenated-abbreviation"),
    pytest.param("co-op members", "co-op members", id="short-word-part-kept"),
    pytest.param("decline 2021→22, absolute?", "decline 2021→2022, absolute?", id="span-arrow"),
    pytest.param("output 2022-23", "output 2022-2023", id="span-hyphen"),
    pytest.param("from 2022-10 on", "from 2022-10 on", id="a-month-is-no-span"),
    pytest.param("output Δ 2022", "output change 2022", id="delta-symbol"),
])
def test_abbreviated_words_and_year_spans_are_written_out(text: str, written: str) -> None:
    assert expand_short_years(expand_abbreviations(text)) == written


@pytest.mark.parametrize(("question", "figure", "starting_point"), [
    # '从2022年6月份的增长3.0%下调至增长1.7%': the forecast now is the one it was cut to
    pytest.param("World Bank 2023 global growth forecast?", "1.7%", "3.0%", id="report-1-en"),
    pytest.param("世界银行对2023年全球经济增长的最新预期是多少？", "1.7%", None, id="report-1-zh"),
])
def test_a_revised_figure_is_the_one_reached_not_the_one_it_started_from(engine: Engine, question: str, figure: str,
                                                                         starting_point: str | None) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in lead(answer.answer), answer.answer
    assert starting_point is None or starting_point not in lead(answer.answer), answer.answer


def test_a_share_named_earlier_in_the_figures_part_of_the_sentence_answers_a_share(engine: Engine) -> None:
    # '在社会消费品零售总额中的占比呈现新高，达到27.2%': the share word is two commas before the figure
    answer = library.ask("What share of total retail sales of consumer goods did online retail reach in 2022?", engine)
    assert answer.answerable and "27.2%" in lead(answer.answer), answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("腾讯聚合平台的合规率是多少？", id="zh"),
    pytest.param("Tencent's ride-hailing compliance rate?", id="en"),
])
def test_a_figure_attached_to_another_company_is_not_the_asked_ones(engine: Engine, question: str) -> None:
    # '腾讯…数据显示其合规率为57.4%；美团打车合规率为60.4%'
    answer = library.ask(question, engine)
    assert answer.answerable and "57.4%" in lead(answer.answer) and "60.4%" not in lead(answer.answer), answer.answer


@pytest.mark.parametrize(("question", "sums", "zh"), [
    pytest.param("Do the Table 1 totals equal the sums of the sector rows?", ["= 36881", "= 38320"], False, id="report-1-en"),
    pytest.param("表2各类型的退役量加起来等于合计吗？", ["= 29.4", "= 41.2", "= 58.6"], True, id="report-2-zh"),
])
def test_a_question_about_a_whole_tables_sums_checks_every_column(engine: Engine, question: str, sums: list[str],
                                                                   zh: bool) -> None:
    assert analyse(question, answer_context(engine)).intent == "consistency"
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and all(s in answer.answer for s in sums), answer.answer
    # a Chinese question gets the derivation in Chinese, not the check's English record
    assert not zh or ("表中印为" in answer.answer and "rounding" not in answer.answer), answer.answer


@pytest.mark.parametrize(("question", "rate"), [
    # 'YoY' after a measure asks its growth rate; asked in a named unit, the absolute change
    pytest.param("2022 ride-hailing platform order volume YoY?", True, id="yoy-is-a-rate"),
    pytest.param("formal-channel recovery YoY change in 万吨", False, id="yoy-in-a-unit"),
])
def test_year_on_year_asks_a_change(engine: Engine, question: str, rate: bool) -> None:
    facts = analyse(question, answer_context(engine)).facts
    assert facts.change and (facts.units == ("percent", "pp")) == rate, facts.units


def test_a_figure_and_its_year_on_year_growth_are_both_asked(engine: Engine) -> None:
    answer = library.ask("Kuaishou e-commerce GMV in Q3 2022 and its YoY growth?", engine)
    assert "2225" in lead(answer.answer) and "26.6%" in lead(answer.answer), answer.answer


@pytest.mark.parametrize(("question", "level", "change", "base"), [
    # the text's level less its change in points is the year before's figure, which a footnote revises: both quoted
    pytest.param("Does the 2021 ride-hailing share of taxi passenger volume implied by the 2022 text match the footnote revision?",
                 "40.5%", "6.4", "34.1%", id="report-1-en"),
    pytest.param("根据正文推算的2022年规范渠道回收率跟脚注修订后的数一致吗？", "48.3%", "3.4", "44.9%", id="report-2-zh"),
])
def test_a_figure_implied_by_a_level_and_its_change_is_checked_against_the_printed_one(
        engine: Engine, question: str, level: str, change: str, base: str) -> None:
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and all(x in answer.answer for x in (level, change, base)), answer.answer
    assert len({c.id for c in answer.citations}) >= 2, answer.citations


def test_a_consistency_question_is_not_answered_by_a_passage_stating_neither_figure(engine: Engine) -> None:
    # the report prints 1.2GWh in the text and 1.26GWh in the case; a 2025 target of 2GWh answers neither
    answer = library.ask("储源能源累计部署规模，正文说“超过1.2GWh”，案例说1.26GWh，矛盾吗？", engine)
    assert "2GWh" not in lead(answer.answer) or "1.26" in lead(answer.answer), answer.answer


@pytest.mark.parametrize("question", [
    # 'the main text' says where a figure is printed, not what it is about; 'give the same numbers' asks for a verdict
    pytest.param("Meituan 外卖管家: do the main text and the case study give the same numbers?", id="numbers"),
    pytest.param("Meituan 外卖管家: do the main text and the case study give the same merchant count?", id="merchant-count"),
])
def test_the_main_text_is_a_place_in_the_document_not_a_subject(engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and "7万" in answer.answer and "3 万" in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "figures"), [
    # an audit finding answers a Chinese question in Chinese: the figures set against each other, both places quoted
    pytest.param("美团“外卖管家”服务的商户数在正文和案例里一致吗？", ["7万", "3 万"], id="report-1-restated"),
    pytest.param("正文说华中网点2562个，跟表3对得上吗？", ["2562个", "2265"], id="report-2-text-vs-table"),
])
def test_an_audit_finding_answers_a_chinese_question_in_chinese(engine: Engine, question: str, figures: list[str]) -> None:
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and answer.answer.startswith("报告前后不一致"), answer.answer
    assert all(f in answer.answer for f in figures) and not re.search(r"\b(?:the|text|prints|stated)\b", answer.answer), answer.answer
    assert len(answer.citations) >= 2, answer.citations


@pytest.mark.parametrize("question", [
    # '多少个<X>' is not answered by a count of another noun ('6个区域集散中心'), nor by an amount in 公里 or 吨
    pytest.param("全国一共有多少个回收旧电池的网点？", id="report-2-zh"),
])
def test_a_count_of_another_noun_does_not_answer_how_many(engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)
    assert not re.search(r"(?<![\d.])(?:6个|300公里)", lead(answer.answer)), answer.answer


@pytest.mark.parametrize(("question", "units"), [
    pytest.param("How many regulated-channel tonnes were recovered in 2023?", ("count:吨",), id="en-tonnes"),
    pytest.param("平均转运半径缩短到多少公里？", ("count:公里",), id="zh-km"),
    pytest.param("2023年规范渠道回收了多少万吨？", ("count:吨",), id="zh-ten-thousand-tonnes"),
    pytest.param("产能利用率才几个点？", ("percent", "pp"), id="zh-points-colloquial"),
])
def test_a_named_measure_unit_is_the_unit_asked(engine: Engine, question: str, units: tuple[str, ...]) -> None:
    assert analyse(question, answer_context(engine)).facts.units == units


def test_the_measure_units_of_a_count_question_exclude_amounts() -> None:
    from reportqa.query.analysis.concepts import QuestionFacts
    from reportqa.query.answerers.textfacts import family_fits

    count = QuestionFacts(concepts=[], years=[], quantitative=True, forecast=False, narrative=False, units=("count:*", "people"))
    assert family_fits("count:家", count) and family_fits("count:个", count)
    assert not family_fits("count:公里", count) and not family_fits("count:吨", count)
    tonnes = QuestionFacts(concepts=[], years=[], quantitative=True, forecast=False, narrative=False, units=("count:吨",))
    assert family_fits("count:吨", tonnes)


@pytest.mark.parametrize(("question", "figure", "cumulative"), [
    # one year's total ('2023年一共…') is that year's figure, not the running total '截至2023年底累计…'
    pytest.param("2023年一共有多少动力电池退役？", "58.6万吨", "150万吨", id="report-2-one-year"),
    pytest.param("去年（2023年）一共退下来多少动力电池？", "58.6万吨", "150万吨", id="report-2-colloquial"),
    # asked as a running total, the running total answers
    pytest.param("截至2023年底累计退役了多少动力电池？", "150万吨", None, id="report-2-running-total"),
])
def test_a_running_total_does_not_answer_one_years_total(engine: Engine, question: str, figure: str,
                                                          cumulative: str | None) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in lead(answer.answer), answer.answer
    assert cumulative is None or cumulative not in lead(answer.answer), answer.answer


@pytest.mark.parametrize("question", [
    # 'a quarter of' / 'account for' ask a share; it is no quarter of a year
    pytest.param("Did online takeout account for about a quarter of catering spending in 2022?", id="report-1-a-quarter-of"),
    pytest.param("What share of catering spending was online takeout in 2022, roughly a quarter?", id="report-1-roughly-a-quarter"),
])
def test_a_quarter_of_a_whole_is_a_share_not_a_quarter_year(engine: Engine, question: str) -> None:
    facts = analyse(question, answer_context(engine))
    assert facts.facts.units == ("percent", "pp") and not facts.frame.sub_annual, (facts.facts.units, facts.frame)
    answer = library.ask(question, engine)
    assert answer.answerable and "25.4%" in lead(answer.answer), answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("Kuaishou e-commerce GMV in the third quarter of 2022?", id="third-quarter-of-a-year"),
    pytest.param("Regulated-channel recovery volume in the first half of 2024?", id="first-half-of-a-year"),
])
def test_a_part_of_a_year_is_still_a_period(engine: Engine, question: str) -> None:
    q = analyse(question, answer_context(engine))
    assert q.frame.sub_annual and q.facts.units != ("percent", "pp"), (q.frame, q.facts.units)


@pytest.mark.parametrize(("question", "figure", "year"), [
    # '12月，…处以其2021年中国境内销售额…5%的罚款，计8760万元': the sentence is dated by its month in the section's year
    # (2022); the 2021 it prints is the fine's base, not the fine's date
    pytest.param("What fine did the market regulator impose on CNKI in Dec 2022?", "8760", "2022", id="report-1-en-month-abbreviation"),
    pytest.param("2022年知网被罚了多少钱？", "8760万元", "2022年", id="report-1-zh"),
])
def test_a_sentence_dated_by_a_bare_month_takes_its_sections_year(engine: Engine, question: str, figure: str, year: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in lead(answer.answer) and year in lead(answer.answer), answer.answer


def test_a_month_abbreviation_is_a_month_not_a_name(engine: Engine) -> None:
    answer = library.ask("What was the battery-grade lithium carbonate price in Nov 2022?", engine)
    assert answer.answerable and "57万元" in lead(answer.answer), answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("Tesla closing share price on 29 Dec 2023?", id="en"),
    pytest.param("腾讯控股现在的股价是多少港元？", id="zh"),
])
def test_a_share_price_is_something_no_report_covers(engine: Engine, question: str) -> None:
    assert not library.ask(question, engine).answerable


@pytest.mark.parametrize("question", [
    # '…16个城市网约车订单合规率超过80%，…滴滴出行、美团打车、曹操出行等平台订单合规率普遍实现翻倍增长': the 80% is the
    # cities'; the company is one of a list in another clause
    pytest.param("Didi's order compliance rate in Nov 2022?", id="en"),
    pytest.param("滴滴2022年11月订单合规率是多少？", id="zh"),
])
def test_a_company_listed_in_another_clause_does_not_own_the_figure(engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)
    assert not answer.answerable, answer.answer


@pytest.mark.parametrize(("question", "winner", "figure"), [
    # 'added the most' ranks by the absolute change, '跌得最狠' by the fall (blind set U's classes)
    pytest.param("Which sector added the most transaction value from 2021 to 2022?", "生活服务", "1430", id="report-1-added-the-most"),
    pytest.param("Which segment added the most output value from 2022 to 2023?", "回收与拆解", "34", id="report-2-added-the-most"),
    pytest.param("表1里22年跌得最狠的是哪个领域？", "共享办公", "-37.7%", id="report-1-fell-hardest"),
    pytest.param("2023年哪个环节产值跌得最狠？", "再生利用", "-15.6%", id="report-2-fell-hardest"),
])
def test_a_ranking_by_what_was_added_or_lost(engine: Engine, question: str, winner: str, figure: str) -> None:
    answer = library.ask(question, engine)
    head = answer.answer.split("Full ranking")[0].split("完整排序")[0]
    assert answer.kind in ("table", "computed") and winner in head and figure in head, answer.answer
