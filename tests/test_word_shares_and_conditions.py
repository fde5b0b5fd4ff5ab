"""Shares a report writes in words, shares of a group, and the figure a question states as its condition.

Blind sets AH and AI (report 2) found '全年约有四成再生利用企业处于亏损状态' refused in both languages (a share in
words was no figure), and '有多少比例的回收网点一年连1吨电池都没收到' answered with a footnote's recovery rate: the
figure the question states ('1吨') is what singles out its sentence ('约 35%的回收服务网点全年回收量不足 1吨').
Asked here in our own wording on both bundled reports.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.figures.claims import extract_claims


@pytest.mark.parametrize(("text", "figure", "value", "bound"), [
    pytest.param("全年约有四成企业处于亏损状态。", "四成", 40.0, None, id="tenths"),
    pytest.param("比重首次超过三成。", "三成", 30.0, ">", id="tenths-over"),
    pytest.param("约三分之一的门店已接入。", "三分之一", 33.3, None, id="fraction"),
    pytest.param("超过半数的网点位于东部。", "半数", 50.0, ">", id="half-over"),
    pytest.param("过半企业实现盈利。", "过半", 50.0, ">", id="more-than-half"),
])
def test_a_share_written_in_words_is_an_approximate_percentage(text: str, figure: str, value: float, bound: str | None) -> None:
    (claim,) = extract_claims(text)
    assert (claim.text, claim.unit, claim.bound, claim.approx) == (figure, "%", bound, True)
    assert claim.value == pytest.approx(value, abs=0.05)


@pytest.mark.parametrize("text", ["制度一成不变。", "四川成都的门店", "第三成员单位", "项目周期超过半年。", "in the first half of 2023"])
def test_words_that_only_look_like_a_share_are_no_figure(text: str) -> None:
    assert not [c for c in extract_claims(text) if c.unit == "%"]


@pytest.mark.parametrize(("text", "role"), [
    pytest.param("过去一年，约 35%的门店营业额不足 1万元。", "share", id="digits-de-noun"),
    pytest.param("全年约有四成企业处于亏损状态。", "share", id="words-noun"),
    pytest.param("About 40% of firms lost money.", "share", id="en-of"),
    pytest.param("全年保持 5%的增速。", None, id="a-rate-is-no-group"),
])
def test_a_percentage_followed_by_its_group_is_a_share(text: str, role: str | None) -> None:
    claim = next(c for c in extract_claims(text) if c.unit == "%")
    assert claim.role == role


@pytest.mark.parametrize(("question", "shown"), [
    pytest.param("再生利用企业里亏损的大概占几成？", "四成", id="report-2-zh"),
    pytest.param("What fraction of recyclers were in the red during 2023?", "about 40% (四成)", id="report-2-en"),
    pytest.param("2023年全球退役动力电池中我国占几成？", "六成", id="report-2-home-country-s-share"),
    # report 1: '近 80%的骑手对新服务评价规则表示满意' — a share of riders, asked without the report's verb
    pytest.param("绍兴试点里有多大比例的骑手对新的服务评价规则满意？", "80%", id="report-1-zh"),
])
def test_a_share_of_a_group_answers_what_share(engine: Engine, question: str, shown: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and shown in answer.answer.split("“")[0], answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("一年回收量连1吨都不到的网点占多少", id="zh"),
    pytest.param("share of outlets that took in under one tonne in 2023", id="en-number-word"),
])
def test_the_figure_a_question_states_finds_its_sentence(engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)
    lead = answer.answer.split("“")[0]
    assert answer.answerable and "35%" in lead, answer.answer
    assert "1 tonnes" not in lead and "78.6%" not in lead, answer.answer  # the question's own figure is not given back
