"""A part of a table row the question asks about that the table does not break down (blind set AB), on the bundled
reports in our own wording: words the question requires (nouns) that the table never prints but the report's text
does are a finer breakdown than the table's, and the row's cell does not answer them.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine


@pytest.mark.parametrize("question", [
    "2022年共享医疗的融资额中互联网医院拿到多少？",  # report 1, 表4 prints 共享医疗 whole
    "2023年再生利用产值里湿法冶金工艺贡献了多少亿元？",  # report 2, 表4 prints 再生利用 whole
])
def test_a_part_of_a_row_the_table_does_not_break_down_is_not_the_rows_cell(engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)
    assert not answer.answerable, answer.answer


@pytest.mark.parametrize(("question", "figure"), [
    # the rows but one, together: '其他' is 'the others', never a row of its own ('其他类型'), and a total row's label
    # used as the sum word ('合计') sums the others (report 2, 表4: 146 + 87 + 11 + 52; 表3: the six other regions)
    pytest.param("除了再生利用，其他环节23年产值加起来多少？", "296", id="report-2-others-summed"),
    pytest.param("2023年除再生利用外其余环节产值合计多少", "296", id="report-2-total-label-as-sum-word"),
    pytest.param("2023年除华东地区以外，其他地区的回收服务网点合计有多少个？", "9514", id="report-2-regions"),
    # report 1, 表1: every row but 生活服务 (19772亿元)
    pytest.param("2022年除生活服务外其余领域交易额合计多少", "19772", id="report-1-others-summed"),
])
def test_the_rows_but_one_are_summed(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in answer.answer.split("（=")[0], answer.answer


def test_the_row_left_out_does_not_answer(engine: Engine) -> None:
    # report 2: '再生利用环节产值 611亿元，…但仍占产业总产值的 67.4%' is the left-out row's own share, not the others'
    answer = library.ask("除了再生利用，其他环节2023年产值加起来占总产值几成？", engine)
    assert "67.4" not in answer.answer.split("“")[0], answer.answer
