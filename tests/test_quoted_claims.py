"""A claim quoted in a question ('有文章说“…”，报告支持这个说法吗？', 'A memo says "…". Does the report support this?'),
asked on the bundled reports in our own wording (classes from blind set AC).

Real reports, real index. A claim the report bears out gets the verdict with the report's own figures restated
outside the quote; an English amount is read in the report's scale ('586,000 tonnes' ~ 58.6万吨); the world's figure
is never contradicted by a cell of the report's own country.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.answerers.compound import stated_figures
from reportqa.query.answerers.consistency import figure_groups


@pytest.mark.parametrize(("question", "groups"), [
    pytest.param("China retired about 586,000 tonnes in 2023", [["586000", "58.6"]], id="thousands"),
    pytest.param("revenue of 1.2 billion yuan", [["1.2", "120000", "12"]], id="billions"),
    pytest.param("serves 280,000 workers, or a million?", [["280000", "28"], ["1000000", "100"]], id="a-million"),
    pytest.param("298家，比上年增加40家", [["298"], ["40"]], id="report-scale-as-printed"),
])
def test_quoted_figures_are_read_in_the_reports_scale(question: str, groups: list[list[str]]) -> None:
    assert figure_groups(question) == groups


@pytest.mark.parametrize(("question", "printed"), [
    # report 1: '2022年全国城镇新增就业 1206万人，超过 1100万人的预期目标'
    pytest.param("有文章说“2022年城镇新增就业1206万人，超额完成了目标”，报告支持这个说法吗？", ("1206", "1100"), id="report-1-zh-claim"),
    # report 2: '2023年我国退役动力电池规模约为 58.6万吨' — the claim in English scale
    pytest.param('A memo says "China retired roughly 586,000 tonnes of EV batteries in 2023". Does the report support this?',
                 ("58.6",), id="report-2-en-claim-in-western-scale"),
])
def test_a_quoted_claim_the_report_supports_gets_its_figures_restated(engine: Engine, question: str,
                                                                       printed: tuple[str, ...]) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind == "consistency", answer.answer
    assert answer.answer.startswith(("一致", "Yes")), answer.answer
    assert all(p in stated_figures(answer.answer) for p in printed), answer.answer


def test_the_worlds_figure_is_no_contradiction_of_the_countrys_table(engine: Engine) -> None:
    # report 2: '2023年全球退役动力电池约96万吨' beside 表1's national 58.6万吨 for the same year
    answer = library.ask("有人说“2023年全球退役动力电池约96万吨”，报告里是这么写的吗？", engine)
    assert answer.answerable and not answer.answer.startswith(("报告前后不一致", "No")), answer.answer
    checked = [f for f in answer.facts if f.text.replace(" ", "").startswith("96")]
    assert checked and all(f.status != "contradicted" for f in checked), answer.facts


def test_a_daily_average_quoted_in_millions_is_checked_in_the_reports_scale(engine: Engine) -> None:
    # report 1: '聚合订单合计 8.55亿单，日均 465万单' (second half of 2022: 184 days)
    answer = library.ask("Do 855M orders in H2 2022 really work out to 4.65M a day?", engine)
    assert answer.answerable and answer.answer.startswith("Yes"), answer.answer
    assert all(f in stated_figures(answer.answer) for f in ("8.55", "465", "184")), answer.answer
