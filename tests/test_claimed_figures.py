"""A claim put to the report with a figure the report may not print ('有人说…下降了20%，对吗？', 'A note claims … about
17% … Does the report support that?').

Blind set AE's fact-checker quoted wrong figures and got refusals ('the report does not say') or a verdict from a
passage that merely prints the same digits. Asked here in our own wording on both bundled reports: the claim's figure
question is answered as any other and its answer settles the claim, with the report's own figure; a rate is settled
only by a rate, an amount in 亿元 only by an amount in 亿元; a claim the report cannot settle gets no verdict.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.analysis.claimed import claimed_question


@pytest.mark.parametrize(("question", "language", "asked", "written"), [
    pytest.param("有人说截至2022年底工会累计投入资金2.5亿元，对吗？", "zh", "截至2022年底工会累计投入资金多少亿元", "2.5亿元",
                 id="zh-lead-and-verdict-dropped"),
    pytest.param("Fact check: NEV sales rose 12% in 2023 — does the report support that?", "en",
                 "NEV sales rose how much in 2023", "12%", id="en-rate"),
    pytest.param("I read that North China has 20 whitelisted recyclers. True?", "en",
                 "North China has how many whitelisted recyclers", "20", id="en-count"),
])
def test_a_claim_is_read_as_its_figure_question(question: str, language: str, asked: str, written: str) -> None:
    claimed = claimed_question(question, language)  # type: ignore[arg-type]
    assert claimed is not None
    assert (claimed.question, claimed.written) == (asked, written)


def test_two_claimed_figures_are_left_to_the_audit() -> None:
    assert claimed_question("表4里共享住宿融资增速455.5%，跟6亿到33亿对得上吗？", "zh") is None


@pytest.mark.parametrize(("question", "verdict", "figure"), [
    # report 1: '2022年全年网约车平台订单量同比下降 16.8%' (and '…累计投入超过20亿元配送补贴' prints the digits 20)
    pytest.param("有人说2022年网约车平台订单量同比下降了20%，对吗？", "不一致", "16.8", id="report-1-zh-wrong-rate"),
    pytest.param("A colleague says ride-hailing platform orders fell 16.8% in 2022 — is that right?", "Yes", "16.8",
                 id="report-1-en-right-rate"),
    # report 2: '产能利用率约为 7%'
    pytest.param("I read that capacity utilisation of whitelisted recyclers was about 12% in 2023. Does the report "
                 "support that?", "No", "7", id="report-2-en-wrong-rate"),
    # report 2: '2023年全球退役动力电池约96万吨'
    pytest.param("有人说2023年全球退役动力电池约120万吨，对吗？", "不一致", "96", id="report-2-zh-wrong-amount"),
])
def test_a_claim_is_settled_by_the_reports_own_figure(engine: Engine, question: str, verdict: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind == "consistency", answer.answer
    assert answer.answer.startswith(verdict), answer.answer
    assert figure in answer.answer and answer.citations, answer.answer


def test_a_figure_of_another_kind_settles_nothing(engine: Engine) -> None:
    # report 1 prints '服务站点 11.17万个' and '累计投入资金 18.9亿元': a count does not settle an amount in 亿元
    answer = library.ask("Someone claims unions put 3亿元 into outdoor worker stations by end-2022 — true?", engine)
    assert not answer.answerable or "18.9" in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "verdict", "figure"), [
    # a share said in words is a claimed figure too, an approximate one (within a few points)
    # report 1: '2022年网约车客运量占出租车总客运量的比重约为 40.5%'
    pytest.param("有人说2022年网约车客运量占出租车总客运量的比重约四成，对吗？", "一致", "40.5", id="report-1-tenths-hold"),
    # report 2: '规范渠道回收率达到 48.3%'
    pytest.param("有人说2023年规范渠道回收率已经超过六成，对吗？", "不一致", "48.3", id="report-2-tenths-do-not"),
    pytest.param("有人说2023年走正规渠道回收的退役电池已经接近一半，对吗？", "一致", "48.3", id="report-2-half-holds"),
])
def test_a_share_said_in_words_is_settled_within_a_few_points(engine: Engine, question: str, verdict: str,
                                                                figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.answer.startswith(verdict) and figure in answer.answer, answer.answer


def test_a_share_said_in_words_keeps_an_unrelated_finding_out(engine: Engine) -> None:
    # report 2's audit finds a cumulative 150万吨 beside 2023's 58.6万吨; a claim about half of the outlets is not about it
    answer = library.ask("Is it true that about half of recycling outlets collected less than one tonne last year?", engine)
    assert "150" not in answer.answer.split("“")[0], answer.answer


@pytest.mark.parametrize(("question", "verdict", "figures"), [
    # growth said in words ('doubled', '翻了一番') is a claimed growth rate, an approximate one
    # report 2, 表1: 退役动力电池 29.4万吨 (2021) → 58.6万吨 (2023), +99.3%
    pytest.param("退役动力电池从2021年到2023年翻了一番，这个说法对吗？", "一致", ("29.4", "58.6", "99.3%"),
                 id="report-2-doubled-holds"),
    pytest.param("Is it right that retired EV battery tonnage doubled between 2021 and 2023?", "Yes", ("99.3%",),
                 id="report-2-doubled-holds-en"),
    # report 1, 表1: 共享住宿 152亿元 (2021) → 115亿元 (2022), −24.3%
    pytest.param("Shared accommodation transactions doubled in 2022 — true?", "No", ("24.3%",),
                 id="report-1-doubled-does-not"),
    pytest.param("有人说2022年共享住宿交易额比上年翻了一番，是真的吗", "不一致", ("24.3%",), id="report-1-doubled-does-not-zh"),
])
def test_growth_said_in_words_is_settled_by_the_computed_growth(engine: Engine, question: str, verdict: str,
                                                                figures: tuple[str, ...]) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.answer.startswith(verdict), answer.answer
    assert all(f in answer.answer for f in figures), answer.answer


def test_a_running_total_to_a_date_is_not_that_years_cell(engine: Engine) -> None:
    """'截至2023年底，累计退役…超过150万吨' is a cumulative figure: 表1's 2023 cell (58.6万吨) does not contradict it."""
    facts = library.check("截至2023年底，我国累计退役动力电池已超过150万吨。", engine)
    assert facts and all(f.status != "contradicted" for f in facts), facts
