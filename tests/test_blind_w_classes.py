"""Question classes from blind sets U, V and W, asked in our own wording on the bundled reports.

Real reports, real index. A year's figure the report gives only through the next year's level and its change is
derived, with the arithmetic shown; a year printed as a comparison base or as the start of a span dates no figure;
'降了多少' takes an amount or a rate; a change over N years runs across N intervals; a sum over N years of the whole
reads the total row's years; a measure named only after a figure is not that figure's; a figure counting another
noun yields to one counting the noun asked; a total asked beside its average is given too; general words (国标,
咱们国家, 'project', 'how much can X cut', '21→23', 'contents', China's provinces, a bracketed acronym, 'the X
bucket', a whole named beside its parts, a related row as a gloss) read as they mean.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.analysis.question import analyse
from reportqa.query.lexicon.abbreviations import (
    expand_abbreviations,
    expand_short_years,
)
from reportqa.query.lexicon.spelling import one_edit
from reportqa.query.views.sentences import answer_context
from tests.answers import lead


def _answered(engine: Engine, question: str, *figures: str) -> str:
    answer = library.ask(question, engine)
    assert answer.answerable, answer.answer
    assert all(f in lead(answer.answer) for f in figures), answer.answer
    return answer.answer


@pytest.mark.parametrize(("question", "figure", "arithmetic"), [
    # '截至2022年底…298家…，比2021年底增加了40家': end-2021 is 258
    pytest.param("截至2021年底，取得经营许可的网约车平台公司有几家？", "258家", "298 − 40", id="report-1-zh"),
    pytest.param("How many ride-hailing platform companies held an operating licence at the end of 2021?", "258", "298 − 40",
                 id="report-1-en"),
    # '2023年，全行业从业人员约15.0万人，较上年增加2.3万人': 2022 is 12.7万人
    pytest.param("2022年动力电池回收利用全行业大概有多少从业人员？", "12.7万人", "15.0 − 2.3", id="report-2-zh"),
    pytest.param("Total industry headcount in 2022?", "12.7", "15.0 − 2.3", id="report-2-en"),
])
def test_the_year_before_is_derived_from_the_next_years_level_and_its_change(
        engine: Engine, question: str, figure: str, arithmetic: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind == "computed", answer.answer
    assert figure in answer.answer and arithmetic in answer.answer, answer.answer
    assert "推算" in answer.answer or "derived, not printed" in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("截至2022年底，取得经营许可的网约车平台公司有几家？", "298家", id="report-1"),
    pytest.param("2023年全行业从业人员有多少？", "15.0万人", id="report-2"),
])
def test_a_year_the_report_prints_is_read_not_derived(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind != "computed" and figure in lead(answer.answer), answer.answer


@pytest.mark.parametrize(("question", "figures"), [
    # '降了多少' without a unit: the rate the report prints answers it
    pytest.param("2022年全年网约车平台订单量跌了多少？", ("16.8%",), id="report-1-rate-in-text"),
    # in a table both are computed: the amount and the growth rate
    pytest.param("2023年梯次利用量涨了多少？", ("2.1万吨", "51.2%"), id="report-2-table"),
])
def test_a_change_asked_without_amount_or_rate_takes_either(engine: Engine, question: str, figures: tuple[str, ...]) -> None:
    _answered(engine, question, *figures)


@pytest.mark.parametrize(("question", "figure", "start"), [
    # a three-year table (2021–2023): 'two years' of change runs from 2021
    # ('这两年', these recent years, names no count of years: the change is the latest year's)
    pytest.param("梯次利用量这两年涨了多少？", "2.1万吨", "比2022年", id="these-two-years-is-no-count"),
    pytest.param("磷酸铁锂电池退役量两年增加了多少万吨？", "19.8万吨", "2021年", id="report-2-zh"),
    pytest.param("Ternary battery retired volume: change over the two years, in tonnes?", "8.6", "2021", id="report-2-en"),
])
def test_a_change_over_n_years_runs_across_n_intervals(engine: Engine, question: str, figure: str, start: str) -> None:
    answer = _answered(engine, question, figure)
    assert start in answer, answer


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("三年动力电池回收利用产值加起来一共多少？", "2373亿元", id="report-2-zh"),
    pytest.param("Total output value of the battery recycling industry over the three years?", "2373", id="report-2-en"),
])
def test_a_sum_over_n_years_of_the_whole_reads_the_total_rows_years(engine: Engine, question: str, figure: str) -> None:
    _answered(engine, question, figure)


@pytest.mark.parametrize(("text", "written"), [
    pytest.param("LFP delta 21→23", "LFP delta 2021→2023", id="arrow"),
    pytest.param("output 22->23 growth", "output 2022->2023 growth", id="ascii-arrow"),
    pytest.param("ranks 23→21", "ranks 23→21", id="backwards-is-no-span"),
    pytest.param("sizes 21-23", "sizes 21-23", id="hyphen-is-a-range-of-numbers"),
])
def test_two_short_years_joined_by_an_arrow_are_written_out(text: str, written: str) -> None:
    assert expand_short_years(text) == written


@pytest.mark.parametrize(("question", "wanted", "absent"), [
    pytest.param("What does the table of contents list?", "目录", "", id="contents"),
    pytest.param("Minimum recycled content of cobalt from 2031?", "钴", "目录", id="content-is-no-contents"),
])
def test_a_plural_only_noun_does_not_match_its_singular(engine: Engine, question: str, wanted: str, absent: str) -> None:
    q = analyse(question, answer_context(engine))
    forms = {f for c in q.facts.concepts for f in c.forms}
    assert wanted in forms and (not absent or absent not in forms), forms


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("What retired volume does the report project for 2025?", "82", id="project"),
    pytest.param("How much could direct repair reduce the regeneration cost of LFP cathode material?", "30%", id="how-much-can-cut"),
    pytest.param("What minimum share of recycled cobalt content applies from 2031 under the EU rules?", "16%", id="content"),
])
def test_general_english_words_read_as_they_mean(engine: Engine, question: str, figure: str) -> None:
    _answered(engine, question, figure)


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("咱们国家到2023年底累计退役的动力电池有多少？", "150万吨", id="咱们国家"),
    pytest.param("动力电池回收利用方面已经发了多少项行标？", "17项", id="行标"),
    pytest.param("再生利用这个环节有多少人在干？", "6.3万人", id="多少人在干"),
    pytest.param("2022年流入梯次利用环节的电池有多少万吨？", "4.1万吨", id="流入"),
])
def test_everyday_chinese_reads_as_the_reports_words(engine: Engine, question: str, figure: str) -> None:
    _answered(engine, question, figure)


@pytest.mark.parametrize("question", [
    pytest.param("How many tonnes went through formal channels in Zhejiang in 2023?", id="report-2-province"),
    pytest.param("How large was the sharing economy of Shanghai in 2022?", id="report-1-city"),
])
def test_a_province_or_city_the_report_never_names_is_refused(engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)
    assert not answer.answerable, answer.answer


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("Retired volume of ternary (NCM) batteries in 2022?", "15.9", id="bracketed-acronym"),
    pytest.param("Apart from the 'other types' category, which battery type's retired volume grew fastest in 2023?",
                 "75.0%", id="the-x-category"),
    pytest.param("Share of national formal-channel collection from East + South China together in 2023?", "53.0%",
                 id="the-whole-named-beside-its-parts"),
    pytest.param("per-capita catering/food delivery shared spending: how many yuan up from 2021 to 2022?", "80.1",
                 id="a-related-row-glosses"),
])
def test_table_questions_in_everyday_english(engine: Engine, question: str, figure: str) -> None:
    _answered(engine, question, figure)


@pytest.mark.parametrize(("question", "figures"), [
    pytest.param("2022年下半年网约车聚合订单总共多少单，平均每天多少单？", ("8.55亿单", "465万单"), id="zh"),
    pytest.param("Aggregated ride-hailing orders in H2 2022, and the daily average?", ("8.55", "4.65"), id="en"),
])
def test_a_total_asked_beside_its_average_is_given_too(engine: Engine, question: str, figures: tuple[str, ...]) -> None:
    _answered(engine, question, *figures)


def test_a_count_of_another_noun_yields_to_a_count_of_the_noun_asked(engine: Engine) -> None:
    # '闭环云已与12个城市…实现数据对接' counts cities; '接入回收服务网点1500个' counts the outlets asked about
    _answered(engine, "闭环云平台上接入的回收网点有多少个？", "1500个")


def test_a_measure_named_only_after_the_figure_is_not_the_figures(engine: Engine) -> None:
    # '…目前覆盖用户规模超过8亿，互联网营销从业人员每月增速…': 8亿 counts users, not workers
    answer = library.ask("2022年互联网营销从业人员有多少？", engine)
    assert "8亿" not in lead(answer.answer), answer.answer


@pytest.mark.parametrize(("question", "figure"), [
    # '海尔…平台已链接企业90万家' counts firms linked to one platform, not platforms
    pytest.param("# of industrial internet platforms nationwide?", "1000", id="report-1-en"),
    pytest.param("全国一共有多少家工业互联网平台？", "1000家", id="report-1-zh"),
    # '平台注册回收商3200余家': the noun before the figure is what it counts
    pytest.param("闭环云平台上注册的回收商有多少家？", "3200余家", id="report-2-zh"),
])
def test_a_count_is_of_the_noun_beside_it(engine: Engine, question: str, figure: str) -> None:
    _answered(engine, question, figure)


def test_hash_of_reads_number_of() -> None:
    assert expand_abbreviations("# of platforms, #3 ranked") == "number of platforms, #3 ranked"


@pytest.mark.parametrize(("question", "figures"), [
    # ranked by level, then the top N's shares of the total row, added
    pytest.param("规范渠道回收量最多的三个区域合计占全国的比重是多少？", ("华东", "华南", "华中", "69.6%"), id="report-2-zh-share"),
    pytest.param("Top three sectors by 2022 transaction volume: their combined share of the total?", ("93.7%",),
                 id="report-1-en-share"),
    pytest.param("2022年交易额排前两位的领域加起来是多少？", ("31096亿元",), id="report-1-zh-sum"),
])
def test_the_top_n_of_a_ranking_taken_together(engine: Engine, question: str, figures: tuple[str, ...]) -> None:
    _answered(engine, question, *figures)


@pytest.mark.parametrize(("question", "winner", "share"), [
    # a table printing no shares: the winner by level, and its share of the total computed
    pytest.param("2021年哪个领域的直接融资最多？占全部融资的多少？", "生活服务", "35.1%", id="report-1-zh"),
    pytest.param("Which sector had the biggest share of 2022 transaction volume?", "生活服务", "48.4%", id="report-1-en"),
    # a table printing a share column: the printed share is ranked
    pytest.param("Which region had the highest share of formal-channel collection in 2023?", "华东", "33.9%", id="report-2-printed"),
])
def test_a_ranking_asked_with_a_share_gives_the_winners_share(engine: Engine, question: str, winner: str, share: str) -> None:
    _answered(engine, question, winner, share)


@pytest.mark.parametrize(("question", "verdict", "figures"), [
    # '超过1.2GWh' in the text and 1.26GWh in the case: a lower bound and a figure above it agree
    pytest.param("正文写储源能源等企业累计部署超过1.2GWh，案例写1.26GWh，两处矛盾吗？", "不矛盾", ("1.2GWh", "1.26GWh"), id="report-2-zh"),
    pytest.param("Text: over 1.2GWh deployed; case: 1.26GWh. Do the two places contradict each other?", "No contradiction",
                 ("1.2GWh", "1.26GWh"), id="report-2-en"),
])
def test_two_quoted_figures_are_compared_where_the_report_prints_them(
        engine: Engine, question: str, verdict: str, figures: tuple[str, ...]) -> None:
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and answer.answer.startswith(verdict), answer.answer
    assert all(f in answer.answer for f in figures) and len(answer.citations) >= 2, answer.answer


@pytest.mark.parametrize(("question", "column"), [
    pytest.param("Do the Table 4 segment output values add up to the 2023 total?", "907", id="report-2-en-output"),
    pytest.param("表4各环节的从业人员加起来等于合计吗？", "15.0", id="report-2-zh-workers"),
])
def test_a_table_check_reads_the_measure_the_question_names(engine: Engine, question: str, column: str) -> None:
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and column in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("2021年生活服务领域的共享经济做了多少钱的买卖？", "17118亿元", id="做了多少钱的买卖"),
    pytest.param("2022年共享医疗一年成交了多少钱？", "159亿元", id="成交了多少钱"),
    pytest.param("2022年住宿共享型服务人均支出多少元？", "8.1元", id="a-measure-split-by-人均"),
    pytest.param("2023年东北那边有多少个回收旧电池的网点？", "802个", id="a-row-modifying-the-measure"),
    pytest.param("2023年华南规范渠道回收的电池占全国的百分之多少？", "19.1%", id="the-share-word-is-the-measure"),
])
def test_everyday_chinese_table_questions(engine: Engine, question: str, figure: str) -> None:
    _answered(engine, question, figure)


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("By what percentage did formal-channel collection grow year on year in H1 2024?", "27.4%", id="report-2"),
    pytest.param("By what percentage did shared accommodation transaction volume fall in 2022?", "24.3%", id="report-1"),
])
def test_by_what_percentage_asks_a_growth_rate(engine: Engine, question: str, figure: str) -> None:
    _answered(engine, question, figure)


@pytest.mark.parametrize("question", [
    pytest.param("How much did Chinese firms raise from US listings in 2022?", id="en"),
    pytest.param("2022年中国企业去美国上市融了多少钱？", id="zh"),
])
def test_a_country_is_found_under_the_reports_own_wording(engine: Engine, question: str) -> None:
    _answered(engine, question, "5.82")


@pytest.mark.parametrize(("question", "figures"), [
    # '＜1' printed: the column's total less every other row's cell, within the bound
    pytest.param("2023年检测评估服务环节有多少从业人员？", ("不足1万人", "0.6万人", "15.0 − 4.8 − 2.1 − 6.3 − 1.2"), id="report-2-zh"),
    pytest.param("Testing and evaluation services headcount in 2023, as implied by the Table 4 total?", ("0.6",), id="report-2-en"),
])
def test_a_cell_printed_as_a_bound_gets_what_the_total_leaves_for_it(
        engine: Engine, question: str, figures: tuple[str, ...]) -> None:
    _answered(engine, question, *figures)


def test_a_bound_cell_is_not_split_when_another_cell_is_a_bound_too(engine: Engine) -> None:
    # 表4 of report 1 prints two '＜1' cells for 2022: nothing can be read off the total for either
    answer = _answered(engine, "2022年知识技能领域直接融资多少？", "不足1亿元")
    assert "推算" not in answer, answer


@pytest.mark.parametrize(("question", "figures"), [
    pytest.param("电池级碳酸锂价格是从多少降到多少的？", ("57万元", "10万元"), id="zh"),
    pytest.param("Battery-grade lithium carbonate price: from how much to how much did it drop?", ("57", "10"), id="en"),
])
def test_from_what_to_what_gives_both_ends(engine: Engine, question: str, figures: tuple[str, ...]) -> None:
    _answered(engine, question, *figures)


def test_a_row_named_only_by_the_context_is_not_another_rows_figure(engine: Engine) -> None:
    # '2024年上半年，全国规范渠道回收量约17.9万吨' (in a section on retired batteries) is the formal channel's, not all retired batteries'
    answer = library.ask("2024年上半年退役动力电池总量有多少？", engine)
    assert not answer.answerable, answer.answer
    assert library.ask("2024年上半年规范渠道回收量有多少？", engine).answerable


@pytest.mark.parametrize(("question", "figures"), [
    # '注：规范渠道回收量与梯次利用量、再生利用量之差主要为企业期末库存': the note defines the measure
    pytest.param("2023年企业的期末库存大约有多少万吨？", ("0.4万吨", "28.3 − 6.2 − 21.7", "期末库存"), id="report-2-zh"),
    pytest.param("Period-end inventory held by formal recyclers in 2022?", ("0.4", "18.5 − 4.1 − 14.0"), id="report-2-en"),
])
def test_a_measure_a_table_note_defines_is_computed_as_the_note_says(
        engine: Engine, question: str, figures: tuple[str, ...]) -> None:
    _answered(engine, question, *figures)


def test_two_quoted_changes_are_not_one_quantity_printed_twice(engine: Engine) -> None:
    # '从218家增加到298家' holds two quantities (January 2021 and December 2022): no 'one place says 218, the other 298'
    answer = library.ask("网约车平台数一处说比2021年底增加40家，另一处说从218家增到298家，矛盾吗？", engine)
    assert not answer.answer.startswith("不一致：报告一处为218家"), answer.answer


@pytest.mark.parametrize(("text", "written"), [
    pytest.param("formal recov. rate 2023 %", "formal recovery rate 2023 %", id="dot-before-a-word"),
    pytest.param("It was approx.", "It was approximately.", id="sentence-end-kept"),
    pytest.param("What is the U.S. share?", "What is the U.S. share?", id="initials-untouched"),
])
def test_an_abbreviations_own_dot_goes_with_it(text: str, written: str) -> None:
    assert expand_abbreviations(text) == written


@pytest.mark.parametrize("question", [
    # the report names the place (上海) but gives no population of it: a count of orders there is no answer
    pytest.param("shanghai population 2022?", id="report-1-city"),
    pytest.param("Guangdong GDP 2023", id="report-2-province"),
])
def test_a_place_with_a_measure_the_report_never_gives_is_refused(engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)
    assert not answer.answerable, answer.answer


@pytest.mark.parametrize(("written", "meant"), [
    pytest.param("finacing", "financing", id="dropped-letter"),
    pytest.param("finnancing", "financing", id="added-letter"),
    pytest.param("recylcing", "recycling", id="swapped-letters"),
    pytest.param("platfroms", "platforms", id="swapped-letters-plural"),
])
def test_a_misspelt_word_is_one_edit_from_the_word_meant(written: str, meant: str) -> None:
    assert one_edit(written, meant) and not one_edit(written, written)


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("total direct finacing 2022 sharing econ?", "132", id="report-1"),
    pytest.param("recylcing segment output value 2023?", "611", id="report-2"),
])
def test_a_misspelt_question_is_read_as_meant(engine: Engine, question: str, figure: str) -> None:
    _answered(engine, question, figure)


@pytest.mark.parametrize(("question", "known"), [
    # the report's subject with a modifier the lexicon does not know is another kind of it: not the subject's total
    pytest.param("Sodium-ion battery retired volume 2023?", "Retired battery volume 2023?", id="report-2"),
])
def test_an_unknown_kind_of_the_reports_subject_is_refused(engine: Engine, question: str, known: str) -> None:
    assert not library.ask(question, engine).answerable
    assert library.ask(known, engine).answerable
