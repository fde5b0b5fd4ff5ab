"""The figure's frame against the question's, on both bundled reports (blind set E's first-run failure classes).

Real reports, real index. A figure answers only when its measure kind, period, part of the year and counted
thing are the ones asked; the report's own subject (its title) and period words frame a figure without being
required of every sentence; a table cell that does not fit leaves the question to the text answerers.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.analysis.question import analyse
from reportqa.query.lexicon.frames import frame_words
from reportqa.query.views.sentences import answer_context
from tests.answers import lead


@pytest.mark.parametrize("question", [
    pytest.param("2023年我国动力电池规范渠道回收率为多少？", id="zh"),
    pytest.param("formal-channel recovery rate 2023?", id="en-terse"),
])
def test_a_rate_is_answered_with_the_printed_rate_not_the_amount_cell_of_the_same_row(engine: Engine, question: str) -> None:
    # 表1 prints the amount recovered (28.3万吨); the text prints the rate (48.3%)
    answer = library.ask(question, engine)
    assert answer.answerable and "48.3%" in answer.answer, answer.answer
    assert "28.3万吨" not in answer.answer.split("“")[0]


def test_a_table_cell_of_another_kind_leaves_the_question_to_the_text_answerers(engine: Engine) -> None:
    answer = library.ask("2023年规范渠道回收量是多少？", engine)  # the amount itself is still the table's
    assert answer.kind == "table" and "28.3万吨" in answer.answer


@pytest.mark.parametrize(("question", "figure", "other"), [
    pytest.param("Xianglan's inventory turnover days in 2023?", "41天", "96天", id="en-later-year"),
    pytest.param("What were Xianglan's inventory turnover days in 2022?", "96天", "41天", id="en-earlier-year"),
])
def test_a_figure_takes_the_year_printed_last_before_it(engine: Engine, question: str, figure: str, other: str) -> None:
    # '库存周转天数由 2022年的96天降至 2023年的 41天'
    answer = library.ask(question, engine)
    assert answer.answerable and figure in lead(answer.answer) and other not in lead(answer.answer), answer.answer


def test_a_quarter_never_answers_another_quarter(engine: Engine) -> None:
    # the report prints investment deal counts for the first, second and fourth quarters of 2022, not the third
    third = library.ask("2022年三季度国内互联网领域投融资数量是多少笔？", engine)
    assert not third.answerable, third.answer
    first = library.ask("2022年一季度国内互联网领域投融资数量是多少笔？", engine)
    assert first.answerable and "335" in first.answer


def test_part_of_year_words_name_one_period_in_either_language() -> None:
    words = frame_words()
    assert words.same_sub_annual("Q3", "三季度") and words.same_sub_annual("第三季度", "3季度")
    assert not words.same_sub_annual("一季度", "三季度") and not words.same_sub_annual("上半年", "下半年")
    assert words.same_sub_annual("quarter", "三季度")  # names no one period: contradicts none
    assert words.is_period("全年") and words.is_period("上半年") and not words.is_period("回收率")


@pytest.mark.parametrize(("question", "counted"), [
    pytest.param("广东省有多少个动力电池回收服务网点？", None, id="zh-province-not-in-report"),
    pytest.param("全国有多少个回收服务网点？", "13900", id="zh-national"),
])
def test_what_a_question_counts_must_be_what_the_figure_counts(engine: Engine, question: str, counted: str | None) -> None:
    # the report names 广东 only for another count (储能电站27座): that is not a count of outlets
    answer = library.ask(question, engine)
    if counted is None:
        assert not answer.answerable and "27座" not in lead(answer.answer), answer.answer
    else:
        assert answer.answerable and counted in answer.answer


def test_the_reports_own_subject_and_period_words_are_frames_not_required_subjects(engine: Engine) -> None:
    ctx = answer_context(engine)
    q = analyse("2023年全年我国动力电池规范渠道回收率为多少？", ctx)
    topic = next(c for c in q.facts.concepts if "动力电池" in c.forms)
    period = next(c for c in q.facts.concepts if c.forms[0] == "全年")
    assert topic.topic and not topic.required
    assert period.period and not period.required


def test_a_latin_name_opening_a_chinese_question_must_be_in_the_evidence(engine: Engine) -> None:
    ctx = answer_context(engine)
    assert "Airbnb" in analyse("Airbnb 2022年全年营收多少？", ctx).frame.names
    answer = library.ask("Airbnb 2022年全年营收多少？", engine)
    assert not answer.answerable, answer.answer


@pytest.mark.parametrize(("question", "figure"), [
    # colloquial Chinese around a known subject
    pytest.param("网约车驾驶员证 发放量 2022底", "509.0万本", id="measure-of-a-reported-verb"),
    pytest.param("滴滴被罚了多少钱来着？", "80.26亿元", id="colloquial-particle"),
    pytest.param("全國總工會建了多少個戶外勞動者服務站點？", "11.17万个", id="traditional-counted-noun-after-a-people-word"),
    pytest.param("23年正规渠道回收了百分之多少的退役电池啊？", "48.3%", id="colloquial-percentage"),
    # chemical symbols and analysts' shorthand (package data)
    pytest.param("avg Li recovery rate, whitelist firms, 2023", "90.2%", id="Li"),
    pytest.param("Average Ni/Co/Mn recovery rate of whitelisted recyclers in 2023?", "98.5%", id="Ni-Co-Mn"),
    pytest.param("How much Li2CO3 did recyclers produce in 2023?", "3.2万吨", id="formula"),
    pytest.param("2025E retired EV batt volume, China?", "82万吨", id="analysts-estimate-year-and-abbreviation"),
])
def test_wording_the_lexicon_reads_as_data_is_answered(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in lead(answer.answer), answer.answer



@pytest.mark.parametrize(("question", "figure", "other"), [
    pytest.param("What was the average lithium recovery rate of whitelist recyclers in 2023?", "90.2%", "98.5%", id="lithium"),
    pytest.param("What was the average nickel, cobalt and manganese recovery rate of whitelist recyclers in 2023?",
                 "98.5%", "90.2%", id="nickel-cobalt-manganese"),
])
def test_a_thing_named_inside_an_english_measure_picks_its_own_figure(engine: Engine, question: str, figure: str,
                                                                       other: str) -> None:
    # one sentence prints both rates; the glossary's 回收率 entry stands for the qualified and the unqualified measure
    head = lead(library.ask(question, engine).answer)
    assert figure in head and other not in head, head



@pytest.mark.parametrize("question", [
    pytest.param("What is the boiling point of lithium?", id="attribute-of-a-term-report-2"),
    pytest.param("What's the population of Chengdu?", id="attribute-of-a-place-report-1"),
    pytest.param("Number of shared bikes in operation nationwide in 2022?", id="counted-thing-inside-another-word"),
])
def test_an_attribute_or_thing_the_report_never_gives_is_not_answered_with_a_nearby_figure(engine: Engine,
                                                                                          question: str) -> None:
    # the report names lithium, the city and shared bikes, but gives none of these figures
    answer = library.ask(question, engine)
    assert not answer.answerable, answer.answer


def test_an_attribute_question_the_lexicon_knows_is_still_answered(engine: Engine) -> None:
    answer = library.ask("What is the new focus of competition in shared mobility?", engine)
    assert answer.answerable and "合规运力" in answer.answer


@pytest.mark.parametrize(("question", "change", "growth"), [
    pytest.param("2021年到2023年，退役动力电池规模一共增加了多少万吨？", "增加29.2万吨", "2021年至2023年累计增长99.3%", id="zh"),
    pytest.param("How much did retired power battery volume grow from 2021 to 2023?", "292,000 tonnes",
                 "from 2021 to 2023 was 99.3% over the 2 years", id="en"),
])
def test_an_increase_over_a_span_of_years_is_the_change_never_a_sum_nor_a_year_on_year_rate(
        engine: Engine, question: str, change: str, growth: str) -> None:
    answer = library.ask(question, engine)
    assert change in answer.answer and growth in answer.answer, answer.answer
    assert "129.2" not in answer.answer and "同比" not in answer.answer and "year-on-year" not in answer.answer


def test_an_excluded_row_in_quotes_is_left_out() -> None:
    from reportqa.query.lexicon.glossary import Glossary, GlossaryEntry
    from reportqa.query.tables.exclusion import find_exclusion

    glossary = Glossary([GlossaryEntry("其他类型", ("other types",), (), "row")])
    question = "不算“其他类型”，2023年退役量最大的是哪种电池？"
    assert [e.term for e in find_exclusion(question, glossary.find(question)).rows] == ["其他类型"]


@pytest.mark.parametrize(("question", "figure", "formula"), [
    pytest.param("2023年再生利用环节人均产值是多少？", "97.0万元/人", "611 ÷ 6.3", id="zh-per-person-report-2"),
    pytest.param("Output value per worker in the material-recycling segment in 2023?", "97.0万元/人", "611 ÷ 6.3",
                 id="en-per-worker-report-2"),
    pytest.param("华东地区平均每家规范条件企业对应多少个回收服务网点？", "75.6个/家", "4386 ÷ 58", id="zh-per-firm-report-2"),
])
def test_a_figure_per_unit_of_another_column_of_the_row_is_computed_and_checked(
        engine: Engine, question: str, figure: str, formula: str) -> None:
    answer = library.ask(question, engine)
    assert answer.kind == "computed" and figure in answer.answer and formula in answer.answer, answer.answer
    fact = next(f for f in answer.facts if f.text == figure)
    assert fact.status == "derived" and "÷" in (fact.formula or "")


def test_a_column_printed_per_unit_already_is_read_not_divided_again(engine: Engine) -> None:
    answer = library.ask("What was per-capita spending on ride-hailing in 2022?", engine)  # report 1, 表3
    assert answer.kind == "table" and "元/元" not in answer.answer



def test_chemical_symbols_are_case_sensitive_whole_words() -> None:
    from reportqa.query.lexicon.abbreviations import expand_abbreviations

    assert expand_abbreviations("Ni/Co/Mn rate") == "nickel/cobalt/manganese rate"
    assert expand_abbreviations("Acme Co. revenue") == "Acme Co. revenue"  # a company, not cobalt
    assert "co-op" in expand_abbreviations("co-op members")



@pytest.mark.parametrize(("question", "figure", "other"), [
    pytest.param("中国知网被市场监管总局罚了多少钱？", "8760万元", "17.52亿元", id="zh-the-fine"),
    pytest.param("What fine did SAMR impose on CNKI (中国知网)?", "8760万元", "17.52亿元", id="en-the-fine"),
    pytest.param("2021年中国知网境内销售额是多少？", "17.52亿元", "8760万元", id="zh-the-base-when-asked"),
])
def test_the_base_a_percentage_is_taken_of_is_not_the_amount_unless_asked(engine: Engine, question: str, figure: str,
                                                                          other: str) -> None:
    # '并处以其2021年中国境内销售额17.52亿元5%的罚款，计8760万元'
    head = lead(library.ask(question, engine).answer)
    assert figure in head and other not in head, head


def test_general_abbreviations_of_measures_are_written_out() -> None:
    from reportqa.query.lexicon.abbreviations import expand_abbreviations

    assert expand_abbreviations("taxi pax vol 2022") == "taxi passengers volume 2022"
    assert expand_abbreviations("formal chnl recovery rate") == "formal channel recovery rate"


@pytest.mark.parametrize(("question", "answered"), [
    pytest.param("H1 2024 regulated-channel recovery vol?", True, id="the-sentence-names-the-subject"),
    pytest.param("H1 2024 retired battery volume?", False, id="another-measure-of-the-headings-subject"),
])
def test_a_generic_english_measure_is_read_only_from_a_sentence_naming_the_subject(
        engine: Engine, question: str, answered: bool) -> None:
    # '2024年上半年，全国规范渠道回收量约17.9万吨' under the heading '退役动力电池规模…': the regulated-channel volume,
    # not the total volume of retired batteries the report never gives for the half-year
    answer = library.ask(question, engine)
    assert answer.answerable is answered, answer.answer
    if answered:
        assert "17.9万吨" in answer.answer


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("South China regulated-channel recovery volume 2023?", "5.4万吨", id="row-plus-generic-measure"),
    pytest.param("What share of national regulated-channel recovery volume came from Northeast China in 2023?", "3.5%",
                 id="share-of-the-national-total"),
])
def test_an_english_row_followed_by_a_generic_measure_is_the_measure_chinese_writes_as_one_word(
        engine: Engine, question: str, figure: str) -> None:
    # 表3's column is 规范渠道回收量 (row 规范渠道回收 of 表1 + 量)
    answer = library.ask(question, engine)
    assert answer.answerable and figure in answer.answer and "表3" in answer.answer, answer.answer


def test_a_named_row_another_table_holds_is_never_dropped_for_this_tables_total(engine: Engine) -> None:
    # before: 'South China … 2023' was answered with 表1's national 28.3万吨
    answer = library.ask("South China regulated-channel recovery volume 2023?", engine)
    assert "28.3万吨" not in answer.answer.split("(表")[0]


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("Retired LFP battery volume in 2022?", "23.9万吨", id="generic-volume-reads-the-tables-level-column"),
    pytest.param("LFP + NCM combined share of total retirements in 2023?", "96.1%", id="acronym-alias-alone"),
])
def test_generic_english_measures_and_acronyms_reach_the_table(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in answer.answer and "表2" in answer.answer, answer.answer


def test_an_acronym_alias_stands_alone_unless_another_entry_owns_it() -> None:
    from reportqa.query.lexicon.glossary import parse_glossary

    glossary = parse_glossary("甲电池\tABC batteries\trow\n乙电池\tXYZ cells\trow\n丙\tXYZ\tterm\n")
    assert [m.entry.term for m in glossary.find("ABC volume")] == ["甲电池"]
    assert [m.entry.term for m in glossary.find("XYZ")] == ["丙"]  # owned by another entry: not re-assigned


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("2023年公告的第五批规范条件企业共有多少家？", "67家", id="zh"),
    pytest.param("2023年公告的第五批規範條件企業共有幾家？", "67家", id="zh-traditional"),
    pytest.param("5th batch whitelist cos announced 2023 – how many?", "67", id="en-ordinal"),
    pytest.param("第三批规范条件企业有多少家？", None, id="zh-a-batch-the-report-does-not-count"),
    pytest.param("How many firms were in the third batch of the whitelist?", None, id="en-a-batch-the-report-does-not-count"),
])
def test_which_one_of_a_series_is_asked_is_the_one_answered(engine: Engine, question: str, figure: str | None) -> None:
    # '先后分五批公告了156家规范条件企业，其中2023年公告的第五批共67家': 156 is all five batches
    answer = library.ask(question, engine)
    if figure is None:
        assert not answer.answerable, answer.answer
    else:
        assert answer.answerable and figure in lead(answer.answer) and "156" not in lead(answer.answer), answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("广东省2022年共享经济交易规模是多少", id="zh-province-vs-national-table"),
    pytest.param("What was Guangdong province's sharing-economy transaction volume in 2022?", id="en-province"),
    pytest.param("Uber 2022 gross bookings?", id="en-name-opening-a-terse-query"),
])
def test_a_place_or_company_the_evidence_never_names_is_not_answered_with_the_national_figure(
        engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)
    assert not answer.answerable and "38320" not in lead(answer.answer), answer.answer


def test_a_general_term_the_table_does_not_print_does_not_block_its_answer(engine: Engine) -> None:
    answer = library.ask("share of knowledge & skills in total sharing economy GMV 2022", engine)
    assert answer.answerable and "12.5%" in answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("上海明天會下雨嗎", id="zh-traditional-weather-tomorrow"),
    pytest.param("Will it rain in Shanghai tomorrow?", id="en-weather-tomorrow"),
    pytest.param("下周共享经济交易规模会是多少", id="zh-next-week"),
])
def test_a_question_about_tomorrow_or_next_week_abstains(engine: Engine, question: str) -> None:
    # both reports name 上海 / Shanghai; no passage of a report can speak for a day after it was written
    answer = library.ask(question, engine)
    assert not answer.answerable and answer.kind == "unanswerable", answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("What share of taxi pax volume did ride-hailing account for in 2022?", id="share-of-an-unread-base"),
    pytest.param("ride-hailing % of taxi pax vol 2022?", id="percent-sign-asks-a-percentage"),
])
def test_a_share_of_something_the_lexicon_cannot_read_is_not_a_printed_share_of_another_base(
        engine: Engine, question: str) -> None:
    # 表3 prints ride-hailing's share of travel *spending* (7.8%); the question asks a share of taxi passenger volume
    answer = library.ask(question, engine)
    assert "7.8%" not in lead(answer.answer) and "298" not in lead(answer.answer), answer.answer
