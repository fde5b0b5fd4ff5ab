"""A rate the report names after a table row and prints for one year, asked for another (blind sets AB and AC), on
the bundled reports in our own wording.

Real reports, real index. The definition comes from the year the report prints: the one other row of the table whose
cell divides the named row's to the printed rate within rounding; the answer says it is derived and shows both
divisions. A year the report prints is read, never derived; a rate no table row is named for is never derived.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine


@pytest.mark.parametrize("question", [
    "按表1推算，2021年规范渠道回收率是多少？",
    "What was the regulated-channel recovery rate in 2021, from Table 1?",
])
def test_a_rate_for_a_year_the_report_does_not_print_is_derived_from_its_definition(engine: Engine, question: str) -> None:
    # report 2: '规范渠道回收率达到48.3%' (2023) = 表1 规范渠道回收 28.3 ÷ 退役动力电池 58.6; 2021: 11.8 ÷ 29.4
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind == "computed", answer.answer
    assert "40.1%" in answer.answer and "11.8 ÷ 29.4" in answer.answer and "28.3 ÷ 58.6" in answer.answer, answer.answer
    assert {c.table.split(":")[-1] for c in answer.citations if c.table} == {"表1"}, answer.citations


def test_a_year_the_report_prints_is_read_not_derived(engine: Engine) -> None:
    # report 2: '2022年规范渠道回收率由上一年度报告中的44.6%修订为44.9%'
    answer = library.ask("2022年规范渠道回收率是多少？", engine)
    assert answer.answerable and answer.kind != "computed" and "44.9%" in answer.answer, answer.answer


def test_a_share_of_a_year_named_by_its_table_is_computed(engine: Engine) -> None:
    # report 2, 表2: LFP 15.8 of 29.4万吨 in 2021 ('based on Table 2' names the table, nothing else)
    answer = library.ask("What share of the batteries retired in 2021 were LFP, based on Table 2?", engine)
    assert answer.answerable and "53.7%" in answer.answer and "15.8 ÷ 29.4" in answer.answer, answer.answer


def test_a_rate_named_after_no_row_is_not_derived(engine: Engine) -> None:
    # report 1 prints penetration rates ('网民普及率') of no table row: nothing to divide
    answer = library.ask("2020年共享住宿普及率是多少？", engine)
    assert answer.kind != "computed", answer.answer

