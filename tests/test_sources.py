"""Where a table's data or a quoted figure come from, answered with the report's own attribution.

Blind sets U and AE asked for sources ('What are the data sources behind Table 2', 'Where does the global 96万吨
estimate come from?') and got a figure or an unrelated passage. Asked here in our own wording on both bundled reports:
a table named answers with its '数据来源' line and notes (and a footnote on where a measure of it comes from); a quoted
figure answers with its footnote, else the words that say who reports it.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine


@pytest.mark.parametrize(("question", "said"), [
    # report 2, 表4: '数据来源：中国动力电池循环利用研究中心' and '注：2021年检测评估服务产值未单独统计。'
    pytest.param("动力电池回收报告表4的数据是哪个机构统计的？", ("中国动力电池循环利用研究中心", "未单独统计"), id="report-2-table"),
    # report 2, 表3 and footnote 3: '回收服务网点数据来源于新能源汽车国家监测与动力蓄电池回收利用溯源综合管理平台'
    pytest.param("表3回收服务网点数据来源于哪里", ("溯源综合管理平台",), id="report-2-table-and-its-footnote"),
    # report 1, 表2's note: '…网约车用户数来自 CNNIC《第 50次中国互联网络发展状况统计报告》'
    pytest.param("What is the source of the ride-hailing user numbers in Table 2 of the sharing economy report?",
                 ("CNNIC",), id="report-1-table-note"),
    # report 1, footnote 4 of '一辆电单车全生命周期净减碳量为 558.05千克'
    pytest.param("电单车全生命周期净减碳558.05千克，这个数据出自哪里？", ("共享骑行全生命周期减污降碳报告",), id="report-1-footnote"),
    # report 1: '交通运输部网约车监管信息交互平台数据显示，2022年全年网约车平台订单量同比下降 16.8%'
    pytest.param("网约车订单量下降16.8%的数据来源是？", ("交通运输部",), id="report-1-attribution"),
])
def test_a_source_question_quotes_the_reports_attribution(engine: Engine, question: str, said: tuple[str, ...]) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.citations, answer.answer
    assert all(s in answer.answer for s in said), answer.answer
