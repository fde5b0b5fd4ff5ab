"""Question classes from blind set AJ, asked in our own wording on the bundled reports.

Real reports, real index. A word naming the kind of row a table is by ('哪个地区' of a table '分区域…') is no unknown
subject; a year-end ('23年底') asks the year's figure of a stock table, a cumulative stock ('截至…累计') does not; a
question asking an amount and a share gets both; 'did the platform match' is a verb, not a consistency question;
a ranking of regions does not call them sectors.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine
from tests.answers import lead


@pytest.mark.parametrize(("question", "shown"), [
    pytest.param("除了华东，哪个地区的规范条件企业最多？", "华南（27家）", id="zh-region-excluded"),
    pytest.param("Besides East China, which region has the most whitelisted recyclers?", "27家", id="en-region-excluded"),
    pytest.param("Which region hosts the fewest collection outlets?", "713个", id="en-verb-hosts"),
])
def test_a_ranking_by_region_reads_the_regional_table(engine: Engine, question: str, shown: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind == "table" and shown in answer.answer, answer.answer
    assert "领域" not in lead(answer.answer), answer.answer  # regions are no sectors


def test_a_year_end_asks_the_stock_table_and_a_cumulative_stock_does_not(engine: Engine) -> None:
    a = library.ask("西北 回收服务网点 数量 23年底", engine)
    assert a.answerable and a.kind == "table" and "713个" in a.answer, a.answer
    b = library.ask("截至2023年底我国累计退役的动力电池一共有多少？", engine)
    assert b.answerable and "150万吨" in lead(b.answer) and "58.6" not in lead(b.answer), b.answer


@pytest.mark.parametrize(("question", "amount", "share"), [
    pytest.param("How many power batteries were retired worldwide in 2023, and what was China's share?", "96万吨", "六成",
                 id="report-2-en"),
    pytest.param("2023年全球退役动力电池大概多少万吨？我国占多少？", "96万吨", "六成", id="report-2-zh"),
    pytest.param("How many aggregator ride-hailing orders were there in H2 2022, and what share of all orders was that?",
                 "8.55亿单", "24%", id="report-1-en"),
])
def test_an_amount_and_a_share_asked_together_are_both_given(engine: Engine, question: str, amount: str, share: str) -> None:
    answer = library.ask(question, engine)
    shown = lead(answer.answer)
    assert answer.answerable and amount in shown and share in shown, answer.answer


def test_match_as_a_verb_is_no_consistency_question(engine: Engine) -> None:
    answer = library.ask("How many tonnes did the 闭环云 platform match in 2023?", engine)
    assert answer.answerable and answer.kind == "text" and "4.1万吨" in answer.answer, answer.answer
    check = library.ask("Does the Central China outlet count in the text match Table 3?", engine)
    assert check.kind == "consistency" and "2265" in check.answer, check.answer


@pytest.mark.parametrize(("question", "shown", "absent"), [
    # report 2, 表1: 退役动力电池 29.4 / 41.2 / 58.6 (2021-2023)
    pytest.param("21年到23年退役动力电池规模翻倍了吗", "1.99倍", "0.71倍", id="report-2"),
    # report 1, 表4: 融资额总计 2020 / 2021 / 2022
    pytest.param("2020年到2022年共享经济融资总额是原来的几倍", "2022年", "2021年", id="report-1"),
])
def test_a_ratio_over_a_span_divides_its_last_year_by_its_first(engine: Engine, question: str, shown: str, absent: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and shown in lead(answer.answer) and absent not in lead(answer.answer), answer.answer
