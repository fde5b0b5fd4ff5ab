"""Question classes from blind sets X and Z, asked in our own wording on the bundled reports.

Real reports, real index. A list question is answered by the sentence that lists the parts, also when only the
case's heading names whose parts they are; a sentence that lists the parts inline is quoted alone.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine


@pytest.mark.parametrize(("question", "parts", "not_quoted"), [
    # report 2, an appendix case: '公司将退役电池分为 A、B、C三级' under '…储源能源的梯次利用实践'
    pytest.param("按健康度评估结果，储源能源的退役电池分成哪几个等级？", ("A级", "B级", "C级"), "成立于", id="report-2-heading-names-it"),
    # report 1, an appendix case: '旨在从工作保障、体验提升、职业发展、骑手关怀四个层面…'; the next sentences are other measures
    pytest.param("美团同舟计划从哪些层面改善骑手的体验？", ("工作保障", "骑手关怀"), "意外预警", id="report-1-inline-list"),
    # report 1, the main text: '平台收费项目进一步明细化，包括佣金和配送服务费两部分'
    pytest.param("外卖平台的收费项目现在分为哪几部分？", ("佣金", "配送服务费"), "老字号", id="report-1-main-text"),
])
def test_a_list_question_quotes_the_sentence_listing_the_parts(engine: Engine, question: str, parts: tuple[str, ...],
                                                                not_quoted: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind == "narrative", answer.answer
    assert all(p in answer.answer for p in parts), answer.answer
    assert not_quoted not in answer.answer, answer.answer
