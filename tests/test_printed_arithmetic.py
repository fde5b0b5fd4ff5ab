"""'Does the printed figure follow from the report's own numbers?': a percentage recomputed from the two amounts it
divides, a total from the parts listed after it, with the arithmetic shown.

Blind set AF asked whether a utilisation rate printed beside its capacity and output holds, and whether a count of
firms broken down by business type adds up; the answers said "一致" with no arithmetic, or refused. Asked here in our
own wording on both bundled reports.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.answerers.implied import parts_checks, ratio_checks
from reportqa.query.views.sentences import answer_context


@pytest.mark.parametrize(("question", "shown"), [
    # report 2: '名义产能合计超过300万吨/年，而当年实际再生利用量仅 21.7万吨，产能利用率约为 7%'
    pytest.param("产能利用率大约7%，拿名义产能和实际再生利用量自己算一下对吗？", ("21.7万吨 ÷ 300万吨 = 7.2%", "至多"),
                 id="report-2-ratio-with-a-bound-denominator"),
    pytest.param("Is the 48.3% regulated-channel recovery rate consistent with the tonnages the report gives?",
                 ("28.3万吨 ÷ 58.6万吨 = 48.29%",), id="report-2-ratio-en"),
    # report 1: '职业数达 1639个。新版大典首次标识了 97个数字职业，占职业总数的 6%' (the whole in the sentence before)
    pytest.param("数字职业97个、占全部职业6%，这个比例能从报告的数字算出来吗？", ("97个 ÷ 1639个 = 5.9%",),
                 id="report-1-ratio-whole-in-the-sentence-before"),
    # report 1: '处以其 2021 年中国境内销售额 17.52亿元 5%的罚款，计8760万元' (two units of one kind)
    pytest.param("Does 8760万元 really come to 5% of 17.52亿元 in the CNKI penalty?", ("8760万元 ÷ 17.52亿元 = 5.0%",),
                 id="report-1-ratio-across-units"),
    # report 2: '156家企业中，梯次利用企业 93家，再生利用企业 48家，同时开展两类业务的企业 15家'
    pytest.param("Does the split of the 156 qualified firms by business type add up?", ("93家 + 48家 + 15家 = 156家",),
                 id="report-2-parts-add-up"),
])
def test_a_printed_figure_is_recomputed_from_its_inputs(engine: Engine, question: str, shown: tuple[str, ...]) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind == "consistency", answer.answer
    assert all(s in answer.answer for s in shown), answer.answer


def test_parts_that_do_not_add_up_are_no_evidence(engine: Engine) -> None:
    """A sentence listing figures of other measures in the unit of its total (provinces and prefectures beside a count
    of service points), or only some parts of it, is not called inconsistent: no check is shown either way."""
    ctx = answer_context(engine)
    sents = [s for s in ctx.sentences if "回收服务网点13900个" in s.compact and "326个" in s.compact]
    assert sents and parts_checks(sents[0], "en") == []


def test_a_ratio_is_shown_only_when_one_pair_gives_it(engine: Engine) -> None:
    """Every ratio shown over both reports names two amounts and the printed percentage it recomputes."""
    ctx = answer_context(engine)
    shown = [f for s in ctx.sentences for f, _ in ratio_checks(s, "en")]
    assert shown and all(" ÷ " in f and ", printed " in f for f in shown), shown


def test_a_figure_is_not_printed_by_a_longer_one(engine: Engine) -> None:
    """'48' quoted is not printed by '48.3%': the passage printing the quoted count of firms is the one checked."""
    answer = library.ask("规范条件企业里再生利用企业是48家吗？和156家的拆分对得上吗", engine)
    assert answer.answerable and "156家企业中" in answer.answer and "48.3" not in answer.answer, answer.answer
