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
