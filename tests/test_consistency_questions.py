"""Consistency questions on both bundled reports: the verdict is the arithmetic on the figures the question names.

Real reports, real index. A question quoting a printed growth rate gets that rate's own check (not the first
check of the table it names); a finding about none of the quoted figures is not the answer; a growth rate the
text prints beside both its levels is recomputed and shown.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine


@pytest.mark.parametrize(("question", "lead", "shows"), [
    pytest.param("表4共享住宿2022年增速写的是455.5%，用表里的6和33算得出来吗？", "只在四舍五入范围内一致", "33/6−1 = 450.00%",
                 id="zh-report-1-growth-only-through-rounding"),
    pytest.param("Is the -93.8% YoY change printed for total direct financing in Table 4 consistent with the 2021 and 2022 totals?",
                 "Yes", "132/2137−1", id="en-report-1-negative-growth"),
    pytest.param("Is the 35.2% 2023 YoY growth printed for ternary (NCM) batteries in Table 2 right given the cells?",
                 "No", "20.7/15.9−1 = 30.19%", id="en-report-2-misprinted-growth"),
    pytest.param("Do the Table 4 segment values add up to the printed 907 total?", "Yes", "146+87+611+11+52 = 907",
                 id="en-report-2-sum-the-question-quotes"),
    # the table holds the quoted rate, but the question asks whether it holds: the check answers, not the cell
    pytest.param("表4中共享住宿2022年同比增速455.5%，用表中6亿和33亿算得上吗？", "只在四舍五入范围内一致", "33/6−1 = 450.00%",
                 id="zh-report-1-the-cell-is-not-the-verdict"),
])
def test_a_quoted_printed_figure_gets_its_own_table_check(engine: Engine, question: str, lead: str, shows: str) -> None:
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and answer.answer.startswith(lead) and shows in answer.answer, answer.answer
    assert any(c.table for c in answer.citations)


@pytest.mark.parametrize(("question", "verdict"), [
    pytest.param("云账户说2022年收入同比增长85%，跟2021、2022年的收入数据对得上吗？", "一致", id="zh"),
    pytest.param("Yunzhanghu's 2022 revenue growth is printed as 85%. Is that consistent with its 2021 and 2022 revenue?",
                 "Yes", id="en"),
])
def test_a_growth_printed_beside_both_levels_is_recomputed(engine: Engine, question: str, verdict: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answer.startswith(verdict) and "974.30亿元 ÷ 525.29亿元 − 1 = 85.5%" in answer.answer, answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("美团外卖管家服务，正文和后面企业案例里给的商户数一样吗？", id="zh"),
    pytest.param("Do the main text and the Meituan case study give the same number of merchants using the delivery-manager service?",
                 id="en"),
])
def test_a_fact_restated_with_other_figures_answers_a_question_naming_no_row(engine: Engine, question: str) -> None:
    # '美团平台累计向 7万商户提供外卖管家服务' in the text, '美团累计向 3 万商户…' in the case study: the audit's finding
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and answer.answer.startswith(("报告前后不一致", "No")), answer.answer
    assert "7万" in answer.answer and "3 万" in answer.answer


def test_a_row_named_otherwise_has_agreeing_figures_and_different_names(engine: Engine) -> None:
    answer = library.ask("正文说共享空间下降了37.7%，和表1的数字对得上吗？", engine)
    assert answer.answer.startswith("数字一致，但名称不同"), answer.answer
    assert "共享办公" in answer.answer and "37.7%" in answer.answer


@pytest.mark.parametrize(("question", "lead", "shows"), [
    pytest.param("The report says ride-hailing's share of taxi trips rose 6.4 pp to 40.5% in 2022. Does this match the revised 2021 figure?",
                 "Yes", "40.5% − 6.4 pp = 34.1%", id="en-report-1"),
    pytest.param("网约车客运量占比2022年40.5%，比上年提高6.4个百分点，和修正后的2021年数据对得上吗？", "一致", "40.5% − 6.4个百分点 = 34.1%",
                 id="zh-report-1"),
    pytest.param("规范渠道回收率2023年48.3%，较上年提高3.4个百分点，和2022年的回收率对得上吗？", "一致", "48.3% − 3.4个百分点 = 44.9%",
                 id="zh-report-2"),
])
def test_a_change_and_its_level_are_checked_against_the_printed_base(engine: Engine, question: str, lead: str, shows: str) -> None:
    """'rose 6.4 pp to 40.5%': the level less the change is the year before, which the report prints elsewhere."""
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and answer.answer.startswith(lead) and shows in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "verdict"), [
    pytest.param("Does the 2023 volume traded on the Closed-Loop Cloud (闭环云) platform match between the digital-recycling "
                 "section and the company case?", "Yes", id="en-report-2"),
    pytest.param("闭环云平台2023年交易量在正文和案例里说的一样吗", "一致", id="zh-report-2"),
])
def test_a_companys_figure_restated_in_two_sections_agrees_and_both_are_quoted(engine: Engine, question: str, verdict: str) -> None:
    # the audit's finding about another company's restated figure (湘澜循环 6.3 vs 5.8万吨) is not this answer
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and answer.answer.startswith(verdict) and "4.1万吨" in answer.answer, answer.answer
    assert "湘澜" not in answer.answer
    assert len({c.section for c in answer.citations}) == 2


def test_a_restated_figure_that_differs_is_still_the_audits_verdict(engine: Engine) -> None:
    answer = library.ask("湘澜循环2023年回收处理量前后一致吗", engine)
    assert answer.kind == "consistency" and "6.3万吨" in answer.answer and "5.8万吨" in answer.answer, answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("CNKI fine: is 8760万元 really 5% of its 2021 domestic sales of 17.52亿?", id="en"),
    pytest.param("知网罚款8760万元真的是17.52亿元的5%吗", id="zh"),
])
def test_is_it_really_asks_for_a_check(engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and "8760万元" in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "lead", "shows"), [
    pytest.param("Is the 25.4% growth in collection points consistent with 13,900 points and 2,815 added?", "Yes",
                 "2815 ÷ (13900 − 2815) = 25.39%", id="en-report-2-growth-from-level-and-increment"),
    pytest.param("共享经济交易额从36881亿元增加到38320亿元，增速3.9%对吗？", "一致", "38320 ÷ 36881 − 1 = 3.90%",
                 id="zh-report-1-growth-from-two-levels"),
])
def test_a_rate_is_recomputed_from_the_figures_the_question_quotes(engine: Engine, question: str, lead: str, shows: str) -> None:
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and answer.answer.startswith(lead) and shows in answer.answer, answer.answer
    assert answer.citations, "cited from the sentence that prints the figures"


def test_no_verdict_is_invented_when_the_quoted_figures_give_no_such_rate() -> None:
    from reportqa.query.answerers.consistency import quoted_arithmetic
    assert quoted_arithmetic("Is 5.0% growth consistent with 36881 and 38320?", "en") is None


@pytest.mark.parametrize(("question", "verdict", "shows"), [
    pytest.param("Is the 35.2% YoY growth printed for ternary (NCM) batteries in 2023 in Table 2 right?", "No", "30.19%",
                 id="en-report-2-is-X-right"),
    pytest.param("Text says East China has 31.6% of the nation's outlets. Does that match Table 3?", "Yes", "31.6%",
                 id="en-report-2-only-the-quoted-figure-decides"),
    pytest.param("Do the two figures for Xianglan's 2023 processed volume in the report agree?", "No", "5.8万吨",
                 id="en-report-2-the-companys-restated-figure"),
])
def test_verdicts_on_the_figures_asked_about(engine: Engine, question: str, verdict: str, shows: str) -> None:
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and answer.answer.startswith(verdict) and shows in answer.answer, answer.answer


def test_does_that_check_out_asks_for_the_tables_check(engine: Engine) -> None:
    answer = library.ask("Table 2 prints 35.2% YoY growth for NCM retirements in 2023 — does that check out against the cells?", engine)
    assert answer.kind == "consistency" and answer.answer.startswith("No") and "30.19%" in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "figures"), [
    # '…也是这么写的吗' asks whether two places agree (blind set AE); the audit's restated fact answers it
    pytest.param("正文说湘澜循环2023年处理了6.3万吨退役电池，企业案例里也是这么写的吗？", ("6.3", "5.8"), id="report-2"),
    pytest.param("正文说美团累计向7万商户提供外卖管家服务，附录里说的也一样吗？", ("7万", "3 万"), id="report-1"),
])
def test_is_it_written_the_same_there_asks_for_the_audit(engine: Engine, question: str, figures: tuple[str, str]) -> None:
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and answer.answer.startswith("报告前后不一致"), answer.answer
    assert all(f in answer.answer for f in figures), answer.answer
