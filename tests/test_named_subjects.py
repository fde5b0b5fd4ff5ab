"""Classes of question found by blind set R on both reports, asked in wording of our own (the blind sets stay the
measure): an English name the reports never use stands for a subject of its own, even beside a row the report
prints."""

from __future__ import annotations

import re

import pytest

from reportqa import library
from reportqa.library import Engine


def _stated(a: library.Answer) -> str:
    """What the answer states, without the source it quotes."""
    return a.answer.split("报告原文")[0].split("The report says")[0]


def _answers(engine: Engine, question: str, figure: str, *, stated: bool = False) -> library.Answer:
    """The answer, asserted to give ``figure`` (in what it states, with ``stated``)."""
    a = library.ask(question, engine)
    assert a.answerable and figure in (_stated(a) if stated else a.answer), a.answer
    return a


def _refuses(engine: Engine, question: str) -> None:
    a = library.ask(question, engine)
    assert not a.answerable, a.answer


@pytest.mark.parametrize("question", [
    # an owner ('<Name>'s') or an acronym in capitals is a company of its own, not the English of the row beside it
    pytest.param("What was Zorvexa's shared accommodation market size in 2022?", id="report-1-owner"),
    pytest.param("QWXT shared accommodation transaction volume 2022", id="report-1-acronym"),
    pytest.param("What was Zorvexa's recycling volume in 2023?", id="report-2-owner"),
    pytest.param("QWXT recycling volume 2023", id="report-2-acronym"),
])
def test_an_unknown_name_beside_a_row_is_not_answered_with_the_row(engine: Engine, question: str) -> None:
    _refuses(engine, question)


@pytest.mark.parametrize(("question", "figure"), [
    # an acronym the lexicon reads ('CAGR' is an operation) names nothing
    pytest.param("CAGR of retired battery volume 2021-2023?", "%", id="report-2-known-acronym"),
    pytest.param("What was the shared accommodation market size in 2022?", "115", id="report-1-no-name"),
])
def test_a_known_acronym_or_no_name_is_still_answered(engine: Engine, question: str, figure: str) -> None:
    _answers(engine, question, figure)


@pytest.mark.parametrize(("question", "figure"), [
    # the paragraph names both companies; the figure's sentence names only the other one ('如<B>平台上…')
    pytest.param("饿了么向商家收取的佣金比例是多少？", None, id="report-1-other-company-in-the-sentence"),
    pytest.param("美团向商家收取的佣金比例是多少？", "6%", id="report-1-the-company-the-sentence-names"),
    pytest.param("储源能源的锂回收率达到多少？", None, id="report-2-other-company-in-the-sentence"),
    pytest.param("湘澜循环的锂回收率达到多少？", "92.6%", id="report-2-the-company-the-sentence-names"),
])
def test_a_company_is_answered_only_by_a_sentence_about_it(engine: Engine, question: str, figure: str | None) -> None:
    if figure is None:
        _refuses(engine, question)
    else:
        _answers(engine, question, figure)


def test_a_bound_word_qualifies_only_its_own_figure() -> None:
    from reportqa.query.answerers.textfacts import qualifiers

    sentence = "截至2023年底，经营范围包含某项业务的存续企业超过5.9万家，其中2023年新注册2.4万家，回收率约为48.3%。"
    assert qualifiers(sentence, "5.9万家") == ["截至2023年底", "超过"]
    assert qualifiers(sentence, "2.4万家") == ["截至2023年底"]  # '超过' bounds 5.9万家, not this figure
    assert qualifiers(sentence, "48.3%") == ["截至2023年底", "约"]


@pytest.mark.parametrize(("question", "figure", "stock"), [
    # 'newly registered' asks the increment the sentence states beside the stock ('存续…超过5.9万家，其中…新注册2.4万家')
    pytest.param("2023年新注册的经营范围含动力电池回收的企业有多少家？", "2.4万", "5.9万", id="report-2-zh"),
    pytest.param("No. of firms newly registered in 2023 with power battery recycling in their business scope?",
                 "2.4万", "5.9万", id="report-2-en"),
    pytest.param("截至2023年底经营范围包含动力电池回收的企业有多少家？", "5.9万", None, id="report-2-stock"),
])
def test_newly_registered_is_an_increment(engine: Engine, question: str, figure: str, stock: str | None) -> None:
    a = _answers(engine, question, figure, stated=True)
    assert stock is None or stock not in _stated(a)


@pytest.mark.parametrize("question", [
    # the share asked is the subject's own rate ('规范渠道回收率达到48.3%'); report 1 prints no '<subject>率'
    pytest.param("2023年退役电池里有多大比例走的是规范渠道回收？", id="report-2-zh"),
    pytest.param("Share of 2023's retired batteries that went through formal recycling channels?", id="report-2-en"),
])
def test_a_subjects_own_rate_is_its_share(engine: Engine, question: str) -> None:
    _answers(engine, question, "48.3%", stated=True)


def test_everyday_chinese_region_and_link_words() -> None:
    from reportqa.query.lexicon.abbreviations import expand_colloquial

    assert expand_colloquial("西南片区有几个回收网点") == "西南有几个回收网点"  # '片区' after a compass region is the region
    assert expand_colloquial("这个平台连了多少家企业") == "这个平台链接了多少家企业"
    assert expand_colloquial("连续三年增长") == "连续三年增长"


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("西南片区有几个回收网点？", "1978", id="report-2-region-suffix"),
    pytest.param("海尔的卡奥斯平台连了多少家企业？", "90万", id="report-1-linked"),
])
def test_everyday_chinese_gets_the_figure(engine: Engine, question: str, figure: str) -> None:
    _answers(engine, question, figure)


@pytest.mark.parametrize(("question", "figure"), [
    # modifiers sharing the last one's noun name one region each ('East + South China' = East China and South China)
    pytest.param("Combined share of recovered volume, East + South China, 2023?", "53.0%", id="report-2-plus"),
    pytest.param("How many collection points do East and South China have in total?", "6500", id="report-2-and"),
    # the total row is never summed with its parts (the glossary relates 规范渠道回收 to the national row)
    pytest.param("combined share of East + South China in regulated collection 2023", "53.0%", id="report-2-no-total"),
])
def test_a_shared_noun_names_each_row(engine: Engine, question: str, figure: str) -> None:
    a = _answers(engine, question, figure)
    assert "全国" not in a.answer and not re.search(r"[\u4e00-\u9fff]{4}", re.sub(r"[(（“][^)）”]*[)）”]", "", a.answer)), a.answer


def test_an_english_figure_keeps_its_chinese_role_in_brackets() -> None:
    from reportqa.query.tables.quantities import quantity_en

    assert quantity_en("53.0", "%", zh_prefix="甲与乙的占比合计为") == "53.0% (甲与乙的占比合计为53.0%)"
    assert quantity_en("6500", "个", zh_prefix="甲与乙的网点合计为") == "6500个 (甲与乙的网点合计为6500个)"
    assert quantity_en("53.0", "%") == "53.0%"


@pytest.mark.parametrize(("question", "figure"), [
    # 'how long' asks a duration: a figure in minutes, hours or months, not a passage
    pytest.param("How long does battery pack disassembly take on automated lines?", "20分钟", id="report-2-en"),
    pytest.param("电池包拆解要多长时间？", "20分钟", id="report-2-zh"),
    pytest.param("How long did it take Chinese concept stocks to lose nearly 10 trillion yuan?", "15个月", id="report-1-en"),
    pytest.param("云账户服务的劳动者连续多久每月新增超过百万？", "21个月", id="report-1-zh"),
    # '由6小时缩短至40分钟': the duration now is the one reached
    pytest.param("How long does Chuyuan Energy now need to test one pack?", "40分钟", id="report-2-reached"),
])
def test_how_long_asks_a_duration(engine: Engine, question: str, figure: str) -> None:
    assert _answers(engine, question, figure, stated=True).kind == "text"


@pytest.mark.parametrize("question", [
    # 'can it reach half?' asks the share (a yes/no on a share is answered with the share and its arithmetic)
    pytest.param("生活服务在共享经济里能占到一半吗？", id="report-1-zh"),
    pytest.param("Did life services make up over half of the sharing economy in 2022?", id="report-1-en"),
])
def test_a_yes_no_share_question_gets_the_share(engine: Engine, question: str) -> None:
    assert _answers(engine, question, "48.4%").kind == "computed"


@pytest.mark.parametrize(("question", "figure", "superseded"), [
    # 'per the footnote' says where the figure is printed, not what it is about; the revised figure is the answer
    pytest.param("Per the footnote, what's the revised 2021 share of ride-hailing in taxi passenger volume?", "34.1%", None,
                 id="report-1-en"),
    pytest.param("根据脚注，2021年网约车客运量占出租车客运量的比重修正为多少？", "34.1%", None, id="report-1-zh"),
    pytest.param("Per the footnote, what was the revised 2022 formal-channel recovery rate?", "44.9%", "44.6%", id="report-2-en"),
    pytest.param("脚注里2022年规范渠道回收率修订为多少？", "44.9%", None, id="report-2-zh"),
])
def test_a_footnote_is_where_not_what(engine: Engine, question: str, figure: str, superseded: str | None) -> None:
    a = _answers(engine, question, figure, stated=True)
    assert superseded is None or superseded not in _stated(a)


@pytest.mark.parametrize(("question", "group_figure"), [
    # one figure for a list ('镍、钴、锰平均回收率98.5%', '北京、上海两地…6.5万骑手') is no figure of one member
    pytest.param("2023年规范企业钴的回收率是多少？", "98.5%", id="report-2-zh"),
    pytest.param("What was the 2023 cobalt recovery rate?", "98.5%", id="report-2-en"),
    pytest.param("疫情保供期间北京有多少美团骑手参与？", "6.5万", id="report-1-zh"),
    pytest.param("How many riders took part in supply work in Shanghai alone?", "6.5", id="report-1-en"),
])
def test_a_lists_figure_is_not_one_members(engine: Engine, question: str, group_figure: str) -> None:
    _refuses(engine, question)


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("2023年镍、钴、锰的平均回收率是多少？", "98.5%", id="report-2-the-whole-list"),
    pytest.param("北京、上海两地有多少骑手参与保供？", "6.5万", id="report-1-the-whole-list"),
])
def test_the_whole_list_gets_its_figure(engine: Engine, question: str, figure: str) -> None:
    _answers(engine, question, figure)


def test_everyday_chinese_hedges_and_company_names() -> None:
    from reportqa.query.lexicon.abbreviations import expand_colloquial

    # a name the glossary knows that ends in an everyday word stays whole ('<row>打车', '<company>打车')
    assert expand_colloquial("网民里头差不多多少比例用网约车打车", keep=["网约车打车"]) == "网民中多少比例用网约车打车"
    assert expand_colloquial("<X>打车一共接了多少单", keep=["<X>打车"]) == "<X>打车一共接了多少单"  # a name stays whole
    assert expand_colloquial("打车的人里网约车占几成") == "出租车的人里网约车占几成"


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("shared accom financing delta 21→22", "27", id="report-1-delta"),
    pytest.param("regulated-channel recovery volume delta 2022→2023", "9.8", id="report-2-delta"),
])
def test_delta_is_a_change(engine: Engine, question: str, figure: str) -> None:
    _answers(engine, question, figure)


@pytest.mark.parametrize("question", [
    # 'how many orders' asks a count of orders (单): a count of cities ('16个城市…订单合规率') is no answer
    pytest.param("How many orders did Didi complete in 2022?", id="report-1-en"),
    pytest.param("美团打车2022年一共接了多少单？", id="report-1-zh"),
])
def test_orders_are_counted_in_orders(engine: Engine, question: str) -> None:
    _refuses(engine, question)


@pytest.mark.parametrize(("question", "figure"), [
    # '前一年' is the year before, not the top one; '拆' is 拆解; 'chg' is a change
    pytest.param("再生利用那块产值比前一年少了多少钱", "113", id="report-2-year-before"),
    pytest.param("2022年生活服务交易额比前一年多了多少？", "1430", id="report-1-year-before"),
    pytest.param("现在电池包拆一个要多久？", "20分钟", id="report-2-dismantle"),
    pytest.param("regen segment output value chg 22→23", "113", id="report-2-chg"),
    pytest.param("life services transaction value chg 21→22", "1430", id="report-1-chg"),
])
def test_everyday_words_for_the_year_before_and_a_change(engine: Engine, question: str, figure: str) -> None:
    _answers(engine, question, figure)


@pytest.mark.parametrize(("question", "verdict", "figure"), [
    # a consistency question that quotes the report's words is about the fact those words name, not another fact
    # restated about the same company ('城市守护者' is not the 外卖管家 finding; '锂回收率' is not the volume finding)
    pytest.param("正文和美团案例里“城市守护者”勋章骑手人数一致吗？", "一致：", "10万", id="report-1-agrees"),
    pytest.param("美团“外卖管家”服务的商户数在正文和案例里一致吗？", "不一致", "7万", id="report-1-differs"),
    pytest.param("正文和湘澜循环案例里的“锂回收率”一致吗？", "一致：", "92.6%", id="report-2-agrees"),
    pytest.param("正文和湘澜循环案例里“回收处理”的退役电池量一致吗？", "不一致", "5.8万吨", id="report-2-differs"),
])
def test_a_quoted_term_picks_the_fact_checked(engine: Engine, question: str, verdict: str, figure: str) -> None:
    a = _answers(engine, question, figure)
    said = "不一致" if "不一致" in a.answer[:10] else "一致：" if a.answer.startswith("一致：") else ""
    assert a.kind == "consistency" and said == verdict, a.answer
