"""Classes of question found by blind sets P and O on both reports: everyday Chinese for a report's words, framing
words that name no subject, a rate named beside a level, the total row as the sum of every row, several table
checks asked at once, the top N rows named by the question, and a narrative whose only other word is the title's
subject. Each is asked in wording of our own on both reports (the blind sets stay the measure)."""

from __future__ import annotations

import re

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.lexicon.abbreviations import expand_colloquial

R1, R2 = "china-sharing-economy-report-2023", "china-power-battery-recycling-report-2024"


def test_everyday_chinese_is_written_as_reports_write_it() -> None:
    assert expand_colloquial("2022年共享经济的盘子有多大") == "2022年共享经济的规模有多大"
    assert expand_colloquial("一共融到了多少钱") == "一共融资多少钱"
    assert expand_colloquial("退下来的动力电池有多少") == "退役动力电池有多少"
    assert expand_colloquial("截至2022年年中") == "截至2022年6月"
    assert expand_colloquial("2022年中国的共享经济") == "2022年中国的共享经济"  # '年中' of '2022年中国' is no mid-year
    assert expand_colloquial("头六个月回收了多少") == "上半年回收了多少"
    assert expand_colloquial("全世界投到这个行当的钱") == "全球投到这个领域的钱"
    assert expand_colloquial("How big was the pie?") == "How big was the pie?"


def _ask(engine: Engine, question: str) -> library.Answer:
    return library.ask(question, engine)


@pytest.mark.parametrize(("question", "doc", "figure"), [
    pytest.param("2022年共享经济的盘子有多大？", R1, "38320", id="report-1-pie"),
    pytest.param("2022年共享经济领域一共融到了多少钱？", R1, "132", id="report-1-raised"),
    pytest.param("2023年退下来的动力电池有多少万吨？", R2, "58.6", id="report-2-retired"),
    pytest.param("2023年全国退役动力电池有多少万吨？", R2, "58.6", id="report-2-home-country-beside-a-row"),
])
def test_an_everyday_wording_gets_the_reports_figure(engine: Engine, question: str, doc: str, figure: str) -> None:
    a = _ask(engine, question)
    assert a.answerable and figure in a.answer, a.answer
    assert a.citations and a.citations[0].doc == doc


@pytest.mark.parametrize(("question", "figure", "not_figure"), [
    # a word that asks for a total ('累计') or names the home country frames the figure: the sentence need not repeat it
    pytest.param("截至2022年底，全国累计发放了多少本网约车驾驶员证？", "509.0", None, id="report-1-cumulative-word"),
    pytest.param("截至2023年底全国累计设立了多少个回收服务网点？", "13900", None, id="report-2-cumulative-word"),
    # an increment the table cannot compute is read from the sentence that states it, not from the year-end stock
    pytest.param("2023年全国新增了多少个回收服务网点？", "2815", "13900", id="report-2-increment"),
])
def test_framing_words_name_no_subject(engine: Engine, question: str, figure: str, not_figure: str | None) -> None:
    a = _ask(engine, question)
    assert a.answerable and figure in a.answer, a.answer
    assert not_figure is None or not_figure not in a.answer.split("报告原文")[0]


def test_a_rate_named_beside_a_level_is_the_rate(engine: Engine) -> None:
    a = _ask(engine, "2022年在线外卖用户的网民普及率是多少？")
    assert a.answerable and "61.44%" in a.answer and "64581" not in a.answer, a.answer
    both = _ask(engine, "2022年在线外卖用户规模及网民普及率")  # asked for both: the level stays first
    assert both.answerable and "64581" in both.answer, both.answer


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("2022年各领域直接融资一共多少亿元？", "132", id="report-1"),
    pytest.param("2023年动力电池回收利用各环节产值一共多少亿元？", "907", id="report-2"),
])
def test_a_one_year_sum_of_every_row_is_the_total_row(engine: Engine, question: str, figure: str) -> None:
    a = _ask(engine, question)
    assert a.answerable and figure in a.answer and "+" not in a.answer.split("。")[0], a.answer


@pytest.mark.parametrize(("question", "checks"), [
    pytest.param("表1各领域2022年加起来是38320吗？3.9%的增速对不对？", ("= 38320", "38320/36881"), id="report-1"),
    pytest.param("Do Table 4's 2023 segment outputs add up to 907, and is the -3.9% year-on-year right?", ("= 907", "907/944"),
                 id="report-2"),
    # 'total' is a general word ('合计' in one report, '总计' in the other): it does not pick the report
    pytest.param("Table 1: do the rows add up to the 2022 total, and is the 3.9% growth correct?", ("= 38320", "38320/36881"),
                 id="report-1-general-words"),
])
def test_every_check_the_question_asks_is_reported(engine: Engine, question: str, checks: tuple[str, ...]) -> None:
    a = _ask(engine, question)
    assert a.answerable and all(c in a.answer for c in checks), a.answer


@pytest.mark.parametrize(("question", "figures"), [
    pytest.param("Top 2 sectors by transaction volume in 2022?", ("18548", "12548"), id="report-1-top-n"),
    pytest.param("Top 2 regions by recycling service outlets?", ("4386", "2265"), id="report-2-top-n"),
    pytest.param("What share of 2022 total transactions did the top two sectors (life services, production capacity) "
                 "account for together?", ("81.1%",), id="report-1-named-top-rows"),
])
def test_top_n(engine: Engine, question: str, figures: tuple[str, ...]) -> None:
    a = _ask(engine, question)
    assert a.answerable and all(f in a.answer for f in figures), a.answer


def test_a_narrative_need_not_repeat_the_title_subject(engine: Engine) -> None:
    a = _ask(engine, "What measures have localities taken against informal battery recycling?")
    assert a.answerable and "各地采取了一系列措施" in a.answer, a.answer
    alone = _ask(engine, "What are the trends of the sharing economy?")  # the title subject alone still needs its passage
    assert alone.answerable, alone.answer


@pytest.mark.parametrize(("question", "shown"), [
    pytest.param("正文说生活服务占2022年交易总额的48.4%，和表1对得上吗？", "18548 ÷ 38320", id="report-1"),
    pytest.param("The text puts recycling at 67.4% of 2023 industry output; does Table 4 bear that out?", "611 ÷ 907",
                 id="report-2"),
    pytest.param("Does the 48.3% formal recovery rate tie out with Table 1?", "28.3 ÷ 58.6", id="report-2-row-rate"),
])
def test_a_text_percentage_is_recomputed_from_the_named_tables_cells(engine: Engine, question: str, shown: str) -> None:
    a = _ask(engine, question)
    assert a.answerable and shown in a.answer and a.citations and a.citations[0].table, a.answer


def test_a_percentage_no_pair_of_cells_gives_gets_no_invented_agreement(engine: Engine) -> None:
    a = _ask(engine, "Does Table 4 show recycling at 55% of 2023 industry output?")
    assert "agrees" not in a.answer and "÷ 907 = 55" not in a.answer, a.answer


@pytest.mark.parametrize(("question", "verdict"), [
    pytest.param("下半年聚合订单8.55亿单、日均465万单，两个数对得上吗？", "一致", id="report-1-agrees"),
    pytest.param("Would 8.55亿 orders in H2 square with 500万 a day?", "No", id="report-1-disagrees"),
    pytest.param("全年回收2.92万吨，日均80吨，这两个数对得上吗？", "一致", id="report-2-agrees"),
])
def test_a_daily_average_is_recomputed_from_the_period_total(engine: Engine, question: str, verdict: str) -> None:
    a = _ask(engine, question)
    assert a.answer.startswith(verdict) and "÷" in a.answer, a.answer





@pytest.mark.parametrize(("question", "figure"), [
    # '<X>平台' / '<X>企业' is named by '<X>' in the sentence that states the figure
    pytest.param("How many ride-hailing orders went through aggregator platforms in H2 2022?", "8.55", id="report-1-body-stem"),
    pytest.param("How many automakers and battery makers had joined the national traceability platform by end-2023?",
                 "1.6万", id="report-2-body-stem"),
    # everyday Chinese for users and places
    pytest.param("点外卖的人有多少？", "64581", id="report-1-users"),
    pytest.param("生活服务这块2022年交易额有多少？", "18548", id="report-1-filler"),
    pytest.param("2023年西南那边有多少个回收服务网点？", "1978", id="report-2-filler"),
    # 'summed over' a span of years
    pytest.param("Total direct financing summed over 2020-2022?", "3454", id="report-1-summed"),
    pytest.param("Retired battery volume summed over 2021-2023?", "129.2", id="report-2-summed"),
])
def test_the_figure_is_found_however_the_subject_is_worded(engine: Engine, question: str, figure: str) -> None:
    a = _ask(engine, question)
    assert a.answerable and figure in a.answer, a.answer


def test_a_month_asked_in_english_is_the_figures_month(engine: Engine) -> None:
    a = _ask(engine, "How many online medical users did China have as of June 2022?")
    assert a.answerable and "3亿人" in a.answer, a.answer
    # report 2 prints the year-end stock only: June is not what it gives
    b = _ask(engine, "How many recycling service outlets were there as of June 2023?")
    assert not b.answerable, b.answer
    # a span of months ('from Aug 2020 to Oct 2022') is answered by a figure dated to those months
    c = _ask(engine, "Haohuo's operating revenue from Aug 2020 to Oct 2022?")
    assert c.answerable and "44.99" in c.answer, c.answer


def test_what_was_placed_or_taken_asks_for_a_narrative(engine: Engine) -> None:
    a = _ask(engine, "What requirements were placed on aggregator platforms in 2022?")
    assert a.answerable and a.kind == "narrative", a.answer
    b = _ask(engine, "What measures were taken in 2023 against informal channels?")
    assert b.answerable and b.kind == "narrative" and "措施" in b.answer, b.answer


@pytest.mark.parametrize(("question", "frame"), [
    pytest.param("2022年全球共享经济交易规模是多少？", "我国", id="report-1-home-country"),
    pytest.param("2022年下半年共享住宿收入是多少？", "全年", id="report-1-full-year"),
    pytest.param("2023年全球梯次利用量是多少？", "我国", id="report-2-home-country"),
])
def test_a_chinese_refusal_names_the_figures_frame_in_chinese(engine: Engine, question: str, frame: str) -> None:
    a = _ask(engine, question)
    reason = a.answer.split("报告中最接近")[0]
    assert not a.answerable and f"只适用于{frame}" in reason and not re.search(r"[A-Za-z]", reason), a.answer


def test_how_many_people_reads_the_column_printed_in_people(engine: Engine) -> None:
    a = _ask(engine, "How many people worked in the collection and dismantling segment in 2023?")
    assert a.answerable and "4.8万人" in a.answer, a.answer
    # the table's growth column belongs to the measure printed for both years (output value), not to the workforce
    assert "30.4%" not in a.answer and "year on year" not in a.answer, a.answer
    out = _ask(engine, "2023年回收与拆解环节产值多少？")
    assert "146亿元" in out.answer and "30.4%" in out.answer, out.answer


@pytest.mark.parametrize(("question", "figure", "not_figure"), [
    pytest.param("2022年打车的人里网约车占几成？", "40.5%", None, id="report-1-taxi-rides"),
    pytest.param("打车软件的用户有多少？", "40507", None, id="report-1-ride-hailing-apps"),
    pytest.param("2023年正规渠道回收率是多少？", "48.3%", "53.0%", id="report-2-a-rows-rate-is-not-its-growth"),
    pytest.param("正规企业的锂平均回收率是多少？", "90.2%", None, id="report-2-regular-firms"),
])
def test_everyday_words_for_rides_and_regular_channels(engine: Engine, question: str, figure: str,
                                                        not_figure: str | None) -> None:
    a = _ask(engine, question)
    lead = a.answer.split("报告原文")[0]  # (the quoted sentence may print other figures)
    assert a.answerable and figure in lead and (not_figure is None or not_figure not in lead), a.answer


def test_a_share_of_the_subject_is_not_the_subjects_share(engine: Engine) -> None:
    # '…占规范渠道回收量的21.9%' is cascade use's share of the formal channel, not the formal channel's share
    a = _ask(engine, "2023年正规渠道回收的比例是多少？")
    assert "21.9%" not in a.answer.split("报告中最接近")[0], a.answer
    # the whole's share of itself (a total row's 100%) answers nothing
    b = _ask(engine, "全国回收量占比是多少？")
    assert "100.0%" not in b.answer, b.answer


@pytest.mark.parametrize(("question", "quote"), [
    pytest.param("What is holding back large-scale cascade use of retired batteries?", "制约", id="report-2-holds-back"),
    pytest.param("Why are informal channels able to pay more than licensed recyclers?", "高出规", id="report-2-licensed"),
])
def test_what_holds_back_and_why_ask_for_the_passage(engine: Engine, question: str, quote: str) -> None:
    a = _ask(engine, question)
    assert a.answerable and a.kind == "narrative" and quote in a.answer, a.answer


def test_an_ordinal_after_any_word_names_the_series_member(engine: Engine) -> None:
    from reportqa.query.lexicon.frames import frame_words
    # every pair of adjacent words is read, so 'the 5th batch' is found whatever comes before it
    assert ("5th batch", "第五批") in frame_words().ordinal_forms("How many firms were in the 5th batch announced?")
    a = _ask(engine, "How many certified enterprises were in the 5th batch announced in 2023?")
    assert a.answerable and "67家" in a.answer, a.answer


def test_a_price_per_watt_hour(engine: Engine) -> None:
    a = _ask(engine, "Storage-grade LFP cell price in 2023, per Wh?")
    assert a.answerable and "0.4元" in a.answer, a.answer


@pytest.mark.parametrize("question", [
    pytest.param("今年全国考研报名人数是多少？", id="entrance-exam"),
    pytest.param("去年全国有多少人打疫苗？", id="vaccinations"),
    pytest.param("2023年全国马拉松赛事一共办了多少场？", id="marathons"),
])
def test_a_chinese_figure_question_about_something_no_report_names_abstains(engine: Engine, question: str) -> None:
    # the words are verbs to the segmenter ('考研', '打疫苗'), so no noun is missing, yet no report uses them
    a = _ask(engine, question)
    assert not a.answerable and "报告没有提到" in a.answer, a.answer


@pytest.mark.parametrize(("question", "figure"), [
    # a rate the glossary names '<X>率', asked as the share of <X> (blind sets AE and I-K: refused before)
    pytest.param("2022年共享住宿在网民中普及的比例是多少", "6.63%", id="report-1-penetration-said-as-share"),
    pytest.param("正规企业回收锂能回收多少比例啊（2023年）", "90.2%", id="report-2-recovery-said-as-share"),
    pytest.param("23年走正规渠道回收的电池占比多少，过一半了没？", "48.3%", id="report-2-rate-of-a-channel"),
    # a share of a volume is not a rate: '回收量占比' stays the table's column
    pytest.param("2023年华东回收量占比多少", "33.9%", id="report-2-share-of-a-volume-stays"),
])
def test_a_rate_asked_as_a_share_is_the_rate(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in answer.answer.split("“")[0], answer.answer


@pytest.mark.parametrize(("question", "figure"), [
    # '那阵子', '那段时间' say when, in everyday words; they name nothing the evidence must hold
    pytest.param("上海疫情那段时间，美团自动配送车单日配送产能有多少？", "2万单", id="report-1"),
    pytest.param("碳酸锂价格暴跌那阵子，到2023年底每吨跌到了多少钱？", "10万元", id="report-2"),
])
def test_that_time_in_everyday_words_names_nothing(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in answer.answer.split("“")[0], answer.answer


@pytest.mark.parametrize(("question", "figure"), [
    # '占了多大一块' and '说个百分比' ask for a share of the total; '增长的百分比' for the printed growth rate
    pytest.param("2022年知识技能在共享经济里占了多大一块？给个百分比", "12.5%", id="report-1-how-big-a-slice"),
    pytest.param("23年三元电池在退役电池总量里占了多大一块", "%（= ", id="report-2-how-big-a-slice"),
    pytest.param("华北的回收服务网点占全国的百分比", "11.8%", id="report-2-percentage-of-the-whole"),
    pytest.param("共享医疗2022年增长的百分比是多少", "8.2%", id="report-1-percentage-of-growth-is-the-rate"),
    # '有没有过半', '到没到一半' ask whether the asked share passes half: they name nothing to look for
    pytest.param("2022年网约车客运量占出租车总客运量的比重多少，有没有过半？", "40.5%", id="report-1-past-half"),
    pytest.param("23年规范渠道回收率多少 到没到一半", "48.3%", id="report-2-past-half"),
])
def test_a_share_asked_in_everyday_words(engine: Engine, question: str, figure: str) -> None:
    answer = _ask(engine, question)
    assert answer.answerable and figure in answer.answer, answer.answer
