"""Question classes from blind sets X, Y and Z, asked in our own wording on the bundled reports.

Real reports, real index. A list question is answered by the sentence that lists the parts, also when only the
case's heading names whose parts they are; a sentence that lists the parts inline is quoted alone. A level asked
with its growth gets both; a count of the places named ('两地') is no place; a count of people of a place the
report names only in passing is refused; superlatives of change ('steepest', 'sharpest') rank a table. A growth
asked alone is stated with the level it grew to, as the report states it.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.analysis.question import analyse
from reportqa.query.views.sentences import answer_context
from tests.answers import lead


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


@pytest.mark.parametrize(("question", "level", "rate"), [
    pytest.param("2022年共享住宿的交易额和增速分别是多少？", "115亿元", "24.3%", id="report-1-zh"),
    pytest.param("How many tonnes of LFP batteries retired in 2023, and how fast did that grow?", "35.6万吨", "49.0%", id="report-2-en"),
])
def test_a_level_asked_with_its_growth_gets_both(engine: Engine, question: str, level: str, rate: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind == "table", answer.answer
    assert level in answer.answer and rate in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "level", "rate"), [
    ("2022年共享住宿融资的同比增速是多少？", "33亿元", "455.5%"),
    ("How fast did LFP retirements grow in 2023?", "35.6万吨", "49.0%"),
])
def test_a_growth_asked_alone_is_stated_with_the_level_it_grew_to(engine: Engine, question: str, level: str, rate: str) -> None:
    # (as the report states a rate, '132亿元，同比下降93.8%': blind set AJ's 'direct financing 2022 yoy' wants both)
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind == "table", answer.answer
    sentence = answer.answer.split("（表", 1)[0].split(" (表", 1)[0]  # before the table's name
    assert rate in sentence and level in sentence, answer.answer


def test_a_count_of_the_places_named_is_no_place_of_its_own(engine: Engine) -> None:
    # '华东和华南两地': two regions, not a region called '华南两地'
    answer = library.ask("华东、华南两地的回收服务网点合计有多少个？", engine)
    assert answer.answerable and "6500个" in answer.answer and "4386 + 2114" in answer.answer, answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("What is the number of residents in Chengdu?", id="report-1-city"),
    pytest.param("How many inhabitants does Shenzhen have?", id="report-2-city"),
])
def test_a_count_of_people_of_a_place_the_report_names_is_refused(engine: Engine, question: str) -> None:
    # both reports name the city (a case's office, a company's seat) and print counts of other people and things there
    answer = library.ask(question, engine)
    assert not answer.answerable, answer.answer


@pytest.mark.parametrize(("question", "row", "rate"), [
    pytest.param("Which sector in Table 1 had the steepest decline in 2022?", "共享办公", "-37.7%", id="report-1-steepest"),
    pytest.param("Which segment had the sharpest drop in output value in 2023?", "再生利用", "-15.6%", id="report-2-sharpest"),
    pytest.param("Which sector grew strongest in 2022?", "生活服务", "8.4%", id="report-1-strongest"),
])
def test_superlatives_of_change_rank_the_table(engine: Engine, question: str, row: str, rate: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind == "table", answer.answer
    first = answer.answer.split("Full ranking")[0]
    assert row in first and rate in first, answer.answer


def test_a_measure_written_in_two_halves_is_read_as_that_measure(engine: Engine) -> None:
    # '规范条件' … '企业' with '名单的' between: the 规范条件企业 column of the regional table
    answer = library.ask("华北进入规范条件名单的企业有多少家？", engine)
    assert answer.answerable and answer.kind == "table" and "14家" in answer.answer, answer.answer


def test_a_figure_is_not_the_row_its_sentence_names_only_after_it(engine: Engine) -> None:
    # '华东地区网点数量最多，…并集中了 58家规范条件企业…；华中、华南地区网点数量分别为…': the 58 are 华东's. The text
    # answerer (the table aside) must not fit 58家 to 华南.
    from reportqa.query.answerers import fact
    from reportqa.query.answerers.base import Evidence

    ctx = answer_context(engine)
    q = analyse("华南地区集中了多少家规范条件企业？", ctx)
    fitting = [c for c in fact.propose(q, Evidence(q, engine, ctx, 5)) if c.fits]
    assert not any("58家" in lead(c.draft.text) for c in fitting), [c.draft.text for c in fitting]


@pytest.mark.parametrize(("question", "figure"), [
    # '绝大部分商家佣金在 6%-8%的水平': one figure, both ends
    pytest.param("Since the fee reform, most Meituan merchants pay what commission rate?", "6%-8%", id="report-1-en"),
    # '能够以高出规范企业 10%-15%的价格收购退役电池', asked as a comparison of prices
    pytest.param("How much higher is the price informal collectors offer than regulated companies?", "10%-15%", id="report-2-en"),
    pytest.param("小作坊收电池的价格比规范企业高多少？", "10%-15%", id="report-2-zh"),
])
def test_a_range_is_given_whole_and_a_price_premium_answers_how_much_higher(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in lead(answer.answer), answer.answer


@pytest.mark.parametrize(("question", "points", "explanation"), [
    # '…仍面临一些制约。一是检测评估成本高。<why>。二是安全责任认定难。<why>。三是新电池价格下降压缩了价格优势。<why>'
    pytest.param("What challenges stand in the way of scaling up second-life battery use?",
                 ("一是检测评估成本高", "二是安全责任认定难", "三是"), "单包检测", id="report-2-en"),
    # '…呈现出一些新特点。一是…。<figures>。二是行业管理制度进一步完善。…三是主流网约车平台合规率显著提升。'
    pytest.param("2022年网约车行业出现了哪些新特点？", ("一是", "二是行业管理制度进一步完善", "三是主流网约车平台合规率显著提升"),
                 "运行管理办法", id="report-1-zh"),
])
def test_a_what_are_the_points_question_quotes_every_point_in_order(engine: Engine, question: str, points: tuple[str, ...],
                                                                      explanation: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind == "narrative", answer.answer
    assert all(p in answer.answer for p in points) and explanation not in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "rows", "total"), [
    pytest.param("2022年哪三个领域交易额最高？加起来多少？", ("生活服务", "生产能力", "知识技能"), "35902亿元", id="report-1-zh"),
    pytest.param("Which two regions had the most outlets, and how many did they have together?", ("华东", "华中"), "6651个",
                 id="report-2-en"),
])
def test_which_n_rows_rank_highest_and_their_sum(engine: Engine, question: str, rows: tuple[str, ...], total: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind == "computed", answer.answer
    assert all(r in answer.answer for r in rows) and total in answer.answer, answer.answer


def test_one_rows_year_minus_another_is_its_change_whatever_its_name_joins(engine: Engine) -> None:
    # 'collection+dismantling' is one row's English name, not a sum of two
    answer = library.ask("collection+dismantling output value 2023 minus 2021", engine)
    assert answer.answerable and "78亿元" in answer.answer and "146 − 68" in answer.answer, answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("正文和储源能源案例里说的累计部署梯次利用储能规模对得上吗？", id="report-2-zh"),
    pytest.param("Does the main text agree with the Chuyuan Energy case on cumulative second-life storage deployed?", id="report-2-en"),
])
def test_a_measure_printed_differently_in_the_text_and_the_case_is_compared_with_its_bounds(engine: Engine, question: str) -> None:
    # main text: '储源能源等企业累计部署梯次利用储能项目超过 1.2GWh'; the case: '公司累计部署梯次利用储能系统 1.26GWh'
    # (the case's '新增装机 0.46GWh' is another measure)
    answer = library.ask(question, engine)
    assert answer.kind == "consistency" and "1.2GWh" in answer.answer and "1.26GWh" in answer.answer, answer.answer
    assert answer.answer.startswith(("不矛盾", "No contradiction")), answer.answer
    assert len(answer.citations) >= 2


def test_a_change_in_points_beside_a_share_is_checked_against_the_year_before_in_the_table(engine: Engine) -> None:
    # 表1: 28.3 ÷ 58.6 = 48.29% in 2023, 18.5 ÷ 41.2 = 44.90% in 2022: 3.39 points, the stated 3.4
    answer = library.ask("Table 1 puts the formal recovery rate at 48.3% in 2023, 3.4 points above 2022 — do its cells bear "
                         "that out?", engine)
    assert answer.kind == "consistency" and "44.90%" in answer.answer and "3.39" in answer.answer, answer.answer
    wrong = library.ask("表1显示2023年规范渠道回收率48.3%，比上年提高了5.0个百分点，对吗？", engine)
    assert wrong.kind == "consistency" and wrong.answer.startswith("不完全一致") and "3.39" in wrong.answer, wrong.answer


def test_a_level_less_its_change_in_points_is_the_revised_figure_the_report_prints(engine: Engine) -> None:
    # '…比重约为 40.5%…，占比较上年提高 6.4个百分点' and the footnote's revised 2021 figure, 34.1%
    answer = library.ask("Ride-hailing took 40.5% of taxi passenger volume in 2022, 6.4 points more than the year before: "
                         "is that consistent with the revised 2021 number?", engine)
    assert answer.kind == "consistency" and "34.1%" in answer.answer and "6.4" in answer.answer, answer.answer


def test_a_word_starting_with_a_classifier_is_no_classifier_and_another_reports_table_does_not_answer(engine: Engine) -> None:
    # '多少户外劳动者…' counts 站点, not 户; report 2's national row of outlets is not report 1's service stations
    answer = library.ask("工会建成了多少户外劳动者服务站点？", engine)
    assert answer.answerable and "11.17万个" in lead(answer.answer) and "13900" not in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "figure", "arithmetic"), [
    # '出行' alone is no glossary form; '出行领域' is one of 交通出行's
    pytest.param("出行那一块2022年交易额跌了多少钱？", "332亿元", "2012 − 2344", id="field-named-by-the-glossary"),
    pytest.param("知识技能这块22年交易额比上年多了多少？", "266亿元", "4806 − 4540", id="row-named-itself"),
])
def test_a_sector_said_colloquially_is_the_tables_row(engine: Engine, question: str, figure: str, arithmetic: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in answer.answer and arithmetic in answer.answer, answer.answer


def test_a_set_phrase_describing_a_narratives_subject_is_no_absent_thing(engine: Engine) -> None:
    # '大起大落' (a set phrase the report never prints; it says '剧烈波动') describes the price swings the outlook explains
    answer = library.ask("锂价大起大落以后，回收行业商业模式会出现哪些趋势？", engine)
    assert answer.answerable and answer.kind == "narrative" and "三个趋势" in answer.answer, answer.answer


def test_how_much_of_a_named_thing_was_cut_asks_an_amount_not_a_rate(engine: Engine) -> None:
    # '…累计减少二氧化碳排放量 118.7万吨…', not the sentence's neighbours' percentages of a car's emissions
    answer = library.ask("美团的单车和电单车累计帮用户减少了多少二氧化碳排放量？", engine)
    assert answer.answerable and "118.7万吨" in lead(answer.answer), answer.answer
    rate = library.ask("2022年交通出行交易额下降了多少？", engine)  # a fall with no thing named: the rate (or the amount)
    assert rate.answerable and "14.2%" in rate.answer, rate.answer


def test_a_row_of_another_table_beside_the_named_tables_row_modifies_it(engine: Engine) -> None:
    # 'ride-hailing travel spending … in Table 3': 'travel' is table 1's 交通出行 row; table 3's 网约车 row is asked
    answer = library.ask("In Table 3, how much did per-capita ride-hailing travel consumption spending fall from 2021 to 2022?",
                         engine)
    assert answer.answerable and "1072.4" in answer.answer and "40.5%" not in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "level", "rate"), [
    # '报告期内快手电商交易总额同比增长 26.6%至 2225亿元'
    pytest.param("Kuaishou e-commerce GMV, third quarter of 2022, and its growth rate?", "2225亿元", "26.6%", id="report-1"),
    # '2023年新增装机 0.46GWh，实现营业收入 9.6亿元，同比增长 36.8%'
    pytest.param("Chuyuan Energy revenue 2023 and its growth rate?", "9.6亿元", "36.8%", id="report-2"),
])
def test_a_growth_rate_in_running_text_comes_with_its_level_when_both_are_asked(
        engine: Engine, question: str, level: str, rate: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and level in lead(answer.answer) and rate in lead(answer.answer), answer.answer


def test_a_region_the_national_row_cannot_speak_for_is_refused(engine: Engine) -> None:
    # 表1 prints national volumes; 表3 gives regions only outlets, firms and formal-channel tonnes
    answer = library.ask("What was the second-life utilisation volume in South China in 2023?", engine)
    assert not answer.answerable, answer.answer


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("What was the recycling segment worth in 2022?", "724亿元", id="report-2-worth"),
    pytest.param("How much was the equipment manufacturing segment worth in 2023?", "52亿元", id="report-2-worth-2023"),
])
def test_what_a_segment_is_worth_is_its_output_value(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in answer.answer and "万人" not in lead(answer.answer), answer.answer
