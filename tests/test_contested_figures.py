"""An answer whose figure the report states differently elsewhere says so, quoting and citing the other place.

Blind set AF asked 'Is it right that <company> processed <figure> in 2023?' and 'the main text says <figure>; does
the appendix case say the same?', and got one place's figure as settled although the audit finds the other place
giving another. Asked here in our own wording on both bundled reports: a lookup, a claim and a quoted-figure question
about a contested figure get the other figure and its place; a figure of the same sentence that nobody contests
does not.
"""

from __future__ import annotations

import re

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.answerers.consistency import findings_of
from reportqa.query.views.sentences import answer_context


def _contested(engine: Engine) -> list[tuple[str, str]]:
    """Each error finding's two figures as the audit pairs them."""
    from reportqa.query.answerers.verdicts import compared_figures
    pairs = []
    for f in findings_of(answer_context(engine)):
        if f.kind in ("restated_fact", "text_vs_table") and f.severity == "error":
            a, b = compared_figures(f.summary).split("；")[0].split(" vs ")
            pairs.append((a.replace(" ", ""), b.replace(" ", "")))
    return pairs


@pytest.mark.parametrize(("question", "figures"), [
    # report 2: 表3 prints 2265 for 华中, the text 2562
    pytest.param("华中区域一共有几个回收网点？", ("2265", "2562"), id="report-2-table-cell-vs-text"),
    pytest.param("How many battery collection points did Central China have in 2023?", ("2265", "2562"),
                 id="report-2-table-cell-vs-text-en"),
    # report 2: the recycling section and the company's appendix case give its 2023 volume as 6.3 and 5.8万吨
    pytest.param("湘澜循环23年回收处理退役动力电池多少万吨", ("6.3", "5.8"), id="report-2-lookup"),
    pytest.param("Did Xianglan really handle 6.3万吨 of used EV batteries in 2023?", ("6.3", "5.8"), id="report-2-claim"),
    # report 1: the main text and the appendix case give the merchants served as 7万 and 3万
    pytest.param("美团累计为7万商户提供外卖管家服务，这项服务是怎么运作的？", ("7", "3"), id="report-1-narrative-quoting-it"),
    pytest.param("正文提到美团为7万商户提供外卖管家服务，案例部分写的数字一样吗？", ("7", "3"), id="report-1-consistency"),
])
def test_a_contested_figure_comes_with_the_other_place(engine: Engine, question: str, figures: tuple[str, ...]) -> None:
    """Stated outside the quotes (a note after the answer, or the audit's verdict for a consistency question)."""
    answer = library.ask(question, engine)
    assert answer.answerable, answer.answer
    stated = re.sub(r"“[^”]*”", " ", answer.answer)
    assert all(re.search(rf"(?<![\d.]){re.escape(f)}(?![\d])", stated) for f in figures), answer.answer
    assert len({c.section for c in answer.citations}) >= 2 or any(c.table for c in answer.citations), answer.citations


def test_the_audit_pairs_a_figure_in_each_report(engine: Engine) -> None:
    """The class rests on the audit's error findings: each pairs two different figures of one quantity."""
    pairs = _contested(engine)
    assert len(pairs) >= 3 and all(a != b for a, b in pairs), pairs


@pytest.mark.parametrize("question", [
    # report 2: the lithium recovery rate sits in the sentence of the contested volume, and is printed once
    pytest.param("湘澜循环的锂回收率是多少", id="report-2-same-sentence-other-figure"),
    # report 2: 华南's count is printed the same in the text and 表3
    pytest.param("华南地区回收服务网点数量", id="report-2-same-table-other-row"),
    # report 1: a passage about the merchants that quotes no contested figure
    pytest.param("美团外卖如何帮助中小商户提升数字化经营水平？", id="report-1-narrative-without-the-figure"),
])
def test_a_figure_nobody_contests_gets_no_note(engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable, answer.answer
    assert "注意：报告前后" not in answer.answer and "states this differently" not in answer.answer, answer.answer
