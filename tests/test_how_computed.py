"""'How is X computed?' is a definition question, answered with the report's own defining sentence, footnotes included.

Blind set AE asked how a rate is computed ('咋算的？分子分母分别是啥？', 'def …', '脚注里…是怎么计算的') and the
service refused. Asked here in our own wording on both bundled reports: the answer quotes the sentence that defines
the asked term itself (not a longer term ending in it), a footnote that says '<name>按照…计算' or opens '<name>为…'
counts as one, and saying where it is printed ('脚注里') names no term the sentence must hold.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine


@pytest.mark.parametrize(("question", "quoted"), [
    # report 2, footnote 5: '锂回收率按照再生产品中锂元素质量与投入废料中锂元素质量之比计算'
    pytest.param("锂回收率的计算方法是什么", "锂元素质量之比计算", id="report-2-zh-method"),
    pytest.param("How is the lithium recovery rate computed?", "锂元素质量之比计算", id="report-2-en-not-the-longer-term"),
    # report 2, footnote 1: '本报告所称规范渠道回收率，是指…'
    pytest.param("规范渠道回收率的分子和分母各是什么？", "本报告所称规范渠道回收率", id="report-2-zh-numerator"),
    pytest.param("what is the denominator of the regulated recovery rate", "本报告所称规范渠道回收率", id="report-2-en-denominator"),
    pytest.param("按脚注，规范渠道回收率怎么计算", "本报告所称规范渠道回收率", id="report-2-where-printed"),
    # report 2, footnote 4: '电池级碳酸锂价格为国内现货市场月度均价'
    pytest.param("电池级碳酸锂价格是按什么口径统计的", "国内现货市场月度均价", id="report-2-note-opens-with-the-name"),
    # report 1: '共享经济是利用互联网平台将分散资源进行优化配置…'
    pytest.param("def sharing economy", "共享经济是利用互联网平台", id="report-1-en-abbreviated"),
])
def test_how_a_term_is_computed_quotes_its_definition(engine: Engine, question: str, quoted: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind == "narrative", answer.answer
    assert quoted in answer.answer, answer.answer
