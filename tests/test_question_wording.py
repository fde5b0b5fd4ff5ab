"""How a question is worded against what its figure is, on both bundled reports (blind set H's first-run classes).

Real reports, real index. Colloquial particles and adverbs ('到底', '啊', '里头') are how a question is asked, not a
subject the report lacks; a slang word beside the report's whole is still unknown. A figure whose sentence prints
no year takes its section's; the measure, the counted thing and a share are what the figure must be; energy units
(GWh) are figures.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.analysis.question import analyse
from reportqa.query.lexicon.abbreviations import expand_short_years
from reportqa.query.lexicon.script import normalise_input
from reportqa.query.views.sentences import answer_context
from tests.answers import lead


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("2023年规范渠道回收量到底是多少啊？", "28.3万吨", id="report2-particles"),
    pytest.param("2022年共享住宿的交易额到底有多少呢？", "115亿元", id="report1-particles"),
])
def test_particles_and_adverbs_are_wording_not_an_unknown_subject(engine: Engine, question: str, figure: str) -> None:
    assert analyse(question, answer_context(engine)).absent == []
    answer = library.ask(question, engine)
    assert answer.answerable and figure in lead(answer.answer), answer.answer


def test_a_slang_word_beside_the_reports_whole_names_something_the_report_lacks(engine: Engine) -> None:
    question = "2023年动力电池回收利用这个摊子有多大啊？"
    assert [c.label for c in analyse(question, answer_context(engine)).absent] == ["摊子"]
    assert not library.ask(question, engine).answerable


@pytest.mark.parametrize(("question", "intent"), [
    pytest.param("美团外卖推出了哪几个计划？", "narrative", id="which-ones"),
    pytest.param("规范条件企业名单一共发布了几批？", "figure", id="how-many"),
    # 'what parts', '分哪两类', '哪三类' ask for the parts, and 'what is <a quoted term>' for a definition, even beside a
    # measure word ('charges', '收入') that would otherwise ask for a figure (blind sets S and T)
    pytest.param("新就业形态劳动者的收入分哪两类？", "narrative", id="split-into-which-two"),
    pytest.param("退役电池通过哪三类渠道交投？", "narrative", id="which-three-kinds"),
    pytest.param("What components make up food-delivery platform charges?", "narrative", id="what-components"),
    pytest.param("What is Yunzhanghu's 'income-cost dual principle'?", "narrative", id="quoted-term-en"),
    pytest.param("What is the principle behind classifying gig workers' income?", "narrative", id="principle-behind"),
])
def test_which_ones_is_a_list_question_and_how_many_a_count(engine: Engine, question: str, intent: str) -> None:
    assert analyse(question, answer_context(engine)).intent == intent


@pytest.mark.parametrize(("question", "part"), [
    pytest.param("新就业形态劳动者的收入分哪两类？", "劳务报酬", id="report-1"),
    pytest.param("Into what kinds does the report split new-form workers' income?", "劳务报酬", id="report-1-en"),
    pytest.param("公司把退役电池分为哪几级？", "A、B、C三级", id="report-2"),
])
def test_a_question_about_parts_quotes_the_sentence_that_lists_them(engine: Engine, question: str, part: str) -> None:
    answer = library.ask(question, engine)
    assert answer.kind == "narrative" and part in answer.answer, answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("How large was the fine the Cyberspace Administration imposed on Didi in 2022?", id="en"),
    pytest.param("2022年网信办给滴滴开了多少罚款？", id="zh"),
])
def test_a_sentence_without_a_year_takes_its_sections_year_and_says_so(engine: Engine, question: str) -> None:
    # '7月，国家互联网信息办公室…对滴滴公司处人民币 80.26亿元罚款' follows '2022年相关部门…' in its section
    answer = library.ask(question, engine)
    assert answer.answerable and "80.26亿元" in lead(answer.answer), answer.answer
    assert "2022" in lead(answer.answer) and ("章节" in lead(answer.answer) or "section" in lead(answer.answer))


@pytest.mark.parametrize("question", [
    pytest.param("滴滴2022年的营业收入是多少？", id="zh"),
    pytest.param("What was Didi's revenue in 2022?", id="en"),
])
def test_a_figure_of_another_measure_does_not_answer_the_asked_one(engine: Engine, question: str) -> None:
    # the report prints Didi's fine for 2022, never its revenue
    answer = library.ask(question, engine)
    assert not answer.answerable and "80.26" not in lead(answer.answer), answer.answer


def test_revenue_is_stated_under_either_of_its_names(engine: Engine) -> None:
    answer = library.ask("云账户2022年营收多少？", engine)  # the report says '实现收入974.30亿元'
    assert answer.answerable and "974.30亿元" in lead(answer.answer), answer.answer


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("截至2023年底梯次利用储能和备电产品累计装机多少GWh？", "2.9GWh", id="zh"),
    pytest.param("2023年动力电池装车量是多少？", "387.7GWh", id="zh-no-unit-asked"),
])
def test_energy_figures_are_figures(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in lead(answer.answer), answer.answer


def test_the_counted_thing_of_a_classifier_must_match(engine: Engine) -> None:
    answer = library.ask("网约车驾驶员证一共发了多少本？", engine)
    assert answer.answerable and "509.0万本" in lead(answer.answer), answer.answer
    assert "亿单" not in lead(answer.answer)


@pytest.mark.parametrize("question", [
    pytest.param("22年坐出租车的人里网约车大概占几成？", id="report1"),
])
def test_a_share_is_not_answered_by_another_rate(engine: Engine, question: str) -> None:
    # '16个城市网约车订单合规率超过80%' is a compliance rate, not a share of taxi trips
    answer = library.ask(question, engine)
    assert "80%" not in lead(answer.answer), answer.answer
    assert not answer.answerable or "40.5%" in lead(answer.answer), answer.answer


def test_money_asked_colloquially_is_not_answered_with_a_percentage(engine: Engine) -> None:
    answer = library.ask("2022年大家花在外卖上的钱有多少？", engine)
    assert "%" not in lead(answer.answer), answer.answer


def test_a_measure_named_with_a_change_verb_is_an_amount(engine: Engine) -> None:
    # '减少二氧化碳排放量' names a measure (an amount in 万吨), it does not ask how much something fell in percent
    answer = library.ask("美团单车用户到2021年9月累计减少的二氧化碳排放量有多少？", engine)
    assert answer.answerable and "118.7万吨" in lead(answer.answer), answer.answer


@pytest.mark.parametrize(("question", "units"), [
    pytest.param("碳排放减少了多少吨", ("count:吨",), id="zh-tonnes"),
    pytest.param("回收产值下降了多少亿元", ("CNY", "USD", "count"), id="zh-money"),
    pytest.param("回收产值下降了多少", ("percent", "pp"), id="zh-no-unit-named"),
])
def test_a_change_asked_in_a_named_unit_is_an_absolute_change(engine: Engine, question: str, units: tuple[str, ...]) -> None:
    assert analyse(question, answer_context(engine)).facts.units == units


# --------------------------------------------------------------------------- blind set K's first-run classes


@pytest.mark.parametrize(("question", "row", "change"), [
    pytest.param("Which sector saw the largest absolute decline in transaction volume from 2021 to 2022?", "交通出行", "减少332亿元", id="en"),
    pytest.param("2022年哪个领域交易额减少最多？", "交通出行", "减少332亿元", id="zh-amount-not-rate"),
])
def test_a_ranking_by_change_says_the_direction_and_checks_as_derived(engine: Engine, question: str, row: str, change: str) -> None:
    answer = library.ask(question, engine)
    assert answer.kind == "computed" and row in lead(answer.answer) and change in answer.answer, answer.answer
    assert not [f.text for f in answer.facts if f.status == "contradicted"], answer.answer  # a change is no level
    assert any(f.status == "derived" and "332" in f.text for f in answer.facts)


def test_a_later_clause_continues_the_sentences_subject(engine: Engine) -> None:
    # '规范条件企业的镍、钴、锰平均回收率达到98.5%，锂平均回收率达到90.2%': the lithium rate is the firms' too
    for question in ("avg Li recovery rate of compliant (规范条件) firms, 2023?", "2023年规范条件企业锂的平均回收率达到多少？"):
        text = lead(library.ask(question, engine).answer)
        assert "90.2%" in text and "98.5%" not in text, text


def test_a_second_measure_asked_may_be_the_sentences_other_figure(engine: Engine) -> None:
    answer = library.ask("截至2022年6月在线医疗用户规模及占网民比例", engine)
    assert answer.answerable and "3亿人" in answer.answer and "28.5%" in answer.answer, answer.answer


def test_an_acronym_that_names_a_place_does_not_stand_alone(engine: Engine) -> None:
    # 'US listings' is an alias; 'US' alone is a country ('EV' of 'EV batteries' does stand alone), and CPI inflation is nothing the reports give
    answer = library.ask("US CPI inflation rate 2022?", engine)
    assert not answer.answerable, answer.answer


@pytest.mark.parametrize(("text", "expanded"), [
    ("Li2CO3 price end-23 per t", "Li2CO3 price end-2023 per t"),
    ("FY22 revenue", "FY2022 revenue"),
    ("H1 24 volume", "H1 2024 volume"),
    ("growth of 23% mid-year", "growth of 23% mid-year"),
    # a keyword query's closing number, its only one, is its year; not a count or a reference
    ("ride-hailing share of taxi trips 22", "ride-hailing share of taxi trips 2022"),
    ("回收网点 数量 23", "回收网点 数量 2023"),
    ("which are the top 20?", "which are the top 20?"),
    ("Table 22", "Table 22"),
    ("规模 22 vs 21", "规模 22 vs 21"),
])
def test_tagged_two_digit_years_are_written_out(text: str, expanded: str) -> None:
    assert expand_short_years(text) == expanded


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("铁锂电池去年退役了多少万吨？", "35.6万吨", id="report2-last-year-is-2023"),
    pytest.param("去年城镇新增了多少就业啊", "1206万人", id="report1-last-year-is-2022"),
    pytest.param("How many new recycling service outlets were added last year?", "2815", id="en"),
])
def test_last_year_is_the_year_of_the_report_asked_about(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in lead(answer.answer), answer.answer


def test_how_much_a_tonne_asks_a_price(engine: Engine) -> None:
    answer = library.ask("碳酸锂到23年底跌到多少钱一吨了？", engine)
    assert answer.answerable and "10万元" in lead(answer.answer), answer.answer


def test_the_same_period_last_year_is_year_on_year(engine: Engine) -> None:
    answer = library.ask("2022年第三季度，快手上卖货的成交额比去年同期多了百分之多少？", engine)
    assert answer.answerable and "26.6%" in lead(answer.answer), answer.answer


def test_an_acronym_of_a_thing_stands_alone(engine: Engine) -> None:
    answer = library.ask("2023 EV power battery installations (GWh) and YoY growth?", engine)
    assert answer.answerable and "387.7GWh" in lead(answer.answer) and "31.6%" in lead(answer.answer), answer.answer


def test_a_rate_word_the_lexicon_lacks_still_asks_a_percentage(engine: Engine) -> None:
    # '产能利用率' is no glossary measure; its '率' asks for the 7%, not the 300万吨/年 of capacity beside it
    answer = library.ask("截至2023年底规范条件企业再生利用产能利用率约为多少？", engine)
    assert answer.answerable and "7%" in lead(answer.answer) and "300万吨" not in lead(answer.answer), answer.answer


@pytest.mark.parametrize(("question", "passage"), [
    pytest.param("Why can informal collectors outbid compliant firms?", "之所以能够", id="report2-why"),
    pytest.param("What are the three areas of technical innovation in battery material recycling?", "技术创新主要体现在三个方面", id="report2-list"),
    pytest.param("What new trends does the report expect in sharing-economy platform governance?", "平台治理", id="report1-trends"),
])
def test_general_english_words_find_the_passage_a_narrative_quotes(engine: Engine, question: str, passage: str) -> None:
    # 'outbid', 'innovation', 'governance' are no glossary term; en_zh_search.tsv gives the Chinese a passage uses
    answer = library.ask(question, engine)
    assert answer.kind == "narrative" and passage in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "level", "change"), [
    pytest.param("Shared healthcare transaction value 2022?", "159亿元", "up 8.2% year on year", id="report1-table-en"),
    pytest.param("2022年交通出行领域交易额", "2012亿元", "同比下降14.2%", id="report1-table-zh"),
    pytest.param("2023年再生利用的产值是多少", "611亿元", "同比", id="report2-table-zh"),
    pytest.param("2022年网约车客运量占出租车总客运量的比重是多少？", "40.5%", "较上年提高6.4个百分点", id="report1-share-in-text"),
])
def test_a_level_comes_with_the_change_the_report_prints_beside_it(engine: Engine, question: str, level: str, change: str) -> None:
    answer = library.ask(question, engine)
    text = lead(answer.answer)
    assert level in text and change in text, answer.answer
    assert not [f.text for f in answer.facts if f.status == "contradicted"], answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("TSLA stock price today", id="a-ticker-in-capitals-first"),
    pytest.param("What was India's GDP growth rate in 2022?", id="an-owner-before-a-known-measure"),
    pytest.param("贵州茅台2022年营业收入多少？", id="a-place-glued-to-an-unknown-noun"),
])
def test_a_name_the_reports_lack_is_not_answered_with_another_subjects_figure(engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)
    assert not answer.answerable, answer.answer


# --------------------------------------------------------------------------- blind set M's first-run classes

@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("What average lithium recovery rate did certified recycling enterprises achieve in 2023?", "90.2%", id="report2-achieve"),
    pytest.param("How much direct financing did the sharing economy secure in 2022?", "132亿元", id="report1-secure"),
])
def test_a_general_verb_names_no_subject(engine: Engine, question: str, figure: str) -> None:
    assert analyse(question, answer_context(engine)).facts.unknown_en == []
    answer = library.ask(question, engine)
    assert answer.answerable and figure in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "evidence"), [
    pytest.param("锂价大幅波动以后，回收行业的商业模式会往哪几个方向变？", "三个趋势", id="report2-directions"),
    pytest.param("What two shifts will metaverse tech bring to the sharing economy?", "两个方面的转变", id="report1-what-two"),
])
def test_a_question_about_aspects_is_a_narrative_the_report_answers(engine: Engine, question: str, evidence: str) -> None:
    q = analyse(question, answer_context(engine))
    assert q.intent == "narrative" and q.absent == []
    answer = library.ask(question, engine)
    assert answer.answerable and evidence in answer.answer, answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("台積電2023年營收多少？", id="report2-traditional"),
    pytest.param("台积电2022年营收多少", id="report1"),
])
def test_a_noun_glued_to_a_word_the_report_uses_by_accident_is_a_name_it_lacks(engine: Engine, question: str) -> None:
    # '台积' stands in '平台积极…' across a word boundary; '台积电' stands nowhere
    assert "台积电" in [c.label for c in analyse(normalise_input(question).text, answer_context(engine)).absent]
    assert not library.ask(question, engine).answerable


def test_a_chinese_abbreviation_is_read_as_the_term_whose_words_it_begins(engine: Engine) -> None:
    answer = library.ask("社零总额2022年是多少", engine)
    assert answer.answerable and "43.97万亿元" in lead(answer.answer), answer.answer
    assert not library.ask("台积电2023年营收多少", engine).answerable  # no term of either report spells '台积电' out


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("Number of certified (compliant) recycling enterprises in North China, 2023?", "14家", id="report2"),
    pytest.param("In 2022, how much did the average person spend on shared (online food delivery) services within catering "
                 "spending, in yuan?", "789.7元", id="report1"),
])
def test_an_english_aside_in_brackets_does_not_split_the_phrase_it_interrupts(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("去年白名单企业锂平均能回收百分之多少？", "90.2%", id="report2-bm25-only-passage"),
    pytest.param("去年正规渠道到底收回来几成电池？回收率多少", "48.3%", id="report2-share-asked-as-a-named-rate"),
    pytest.param("Global retired EV battery volume in 2023 according to the report?", "96万吨", id="report2-the-worlds-figure"),
    pytest.param("How many Meituan riders has the company sponsored for associate/bachelor degrees by end-2022?", "248名",
                 id="report1-the-act-asked-about"),
    pytest.param("现在有牌照的网约车平台有几家了？", "298家", id="report1-colloquial-licence"),
])
def test_running_text_figures_found_in_the_asked_frame(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in lead(answer.answer), answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("What was the boiling point of water in 2023?", id="with-a-year"),
    pytest.param("Who won the World Cup in 2022?", id="sports"),
])
def test_a_question_whose_only_known_word_is_a_year_abstains(engine: Engine, question: str) -> None:
    assert not library.ask(question, engine).answerable


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("Forecast retired volume for 2030?", "300万吨", id="report2-forecast-word-is-a-frame-not-a-subject"),
    pytest.param("2025 retirement forecast (t)", "82万吨", id="report2-measure-stated-as-scale"),
    pytest.param("Share of outlets that collected <1 t over the past year?", "35%", id="report2-percent-of-a-group-is-a-share"),
    pytest.param("How many new collection/service outlets were added in 2023?", "2815个", id="report2-slash-shared-noun"),
    pytest.param("homestay/shared lodging user base 2022, 万人", "6970万人", id="report1-slash-kept-when-a-side-is-no-name"),
])
def test_forecasts_shares_and_slashes(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in answer.answer, answer.answer


def test_a_quoted_name_is_what_the_question_is_about_not_what_it_asks(engine: Engine) -> None:
    # 'income' inside the quoted name does not make 'how is X distinguished from Y' a figure question
    question = "Under Yunzhanghu's 'income-cost dual principle', how is a labour-service provider distinguished from a business operator?"
    assert analyse(question, answer_context(engine)).intent == "narrative"
    assert library.ask(question, engine).kind == "narrative"


@pytest.mark.parametrize(("question", "evidence"), [
    pytest.param("After the fee-transparency reform, what does a food-delivery platform's charge consist of?", "包括佣金和配送服务费",
                 id="report1-consist-of-en"),
    pytest.param("外卖平台费率透明化改革后，收费分成哪几块？", "包括佣金和配送服务费", id="report1-which-parts-zh"),
    pytest.param("What will competition in the sector shift toward, per the outlook?", "竞争", id="report2-outlook-is-a-passage"),
    pytest.param("报告认为行业商业模式会出现哪三个趋势？", "三个趋势", id="report2-which-three-trends"),
])
def test_a_parts_question_quotes_the_sentence_that_lists_them(engine: Engine, question: str, evidence: str) -> None:
    # the passage whose listing sentence names what the question asks, over a case study's passage on the same subject;
    # an outlook question without a figure asked is the outlook's passage, not its forecast figure
    answer = library.ask(question, engine)
    assert answer.kind == "narrative" and evidence in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("After Meituan's fee-transparency reform, what commission rate do most merchants pay?", "6%", id="report1-a-rate-asked"),
    pytest.param("What was the average nightly rate of the renovated homestay project in Chengdu's Jinjiang district?", "350元",
                 id="report1-a-rate-that-is-a-price"),
    pytest.param("ride-hailing % of taxi pax volume 2022", "40.5%", id="report1-general-words-rendered-and-the-base-of-a-share"),
    pytest.param("living svcs % of total sharing GMV 2022", "48.4%", id="report1-an-alias-word-is-no-other-base"),
    pytest.param("What share of retired batteries went through compliant (regulated) channels in 2023, i.e. the formal-channel "
                 "recovery rate?", "48.3%", id="report2-the-share-is-the-rate-named"),
    pytest.param("regen segment output val 2023, CNY 100m", "611亿元", id="report2-abbreviations"),
    pytest.param("现在正规渠道能收回来几成退役电池？说的是23年的数", "48.3%", id="report2-a-rate-states-a-share"),
    pytest.param("What was China's power battery installation volume in 2023, and how fast did it grow?", "387.7GWh",
                 id="report2-a-word-of-the-reports-aliases-is-no-unknown-subject"),
])
def test_blind_n_classes(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in lead(answer.answer), answer.answer


@pytest.mark.parametrize("question", [
    pytest.param("What is the population of Shenzhen?", id="report2-city"),
    pytest.param("What's the population of Chengdu?", id="report1-city"),
    pytest.param("What is the boiling point of lithium?", id="report2-physical-constant"),
])
def test_an_attribute_the_lexicon_only_knows_inside_an_alias_still_abstains(engine: Engine, question: str) -> None:
    # 'population' and 'point' are words of the reports' aliases ('netizen population', 'percentage point'), not figures they give
    assert not library.ask(question, engine).answerable


@pytest.mark.parametrize(("question", "figure"), [
    # a misspelt word that starts like a known one ('hailng' is not 'hail' inflected) is still corrected
    pytest.param("ride-hailng share of taxi passenger volume 22", "40.5%", id="report-1"),
    pytest.param("retired LFP batteires 23", "35.6", id="report-2"),
])
def test_a_misspelt_keyword_query_is_answered(engine: Engine, question: str, figure: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and figure in lead(answer.answer), answer.answer


def test_a_figure_over_a_span_is_said_with_its_span(engine: Engine) -> None:
    # report 1: '自 2020年 8月至 2022年10月，贵州好活科技实现营业收入 44.99亿' (a company case); '哪段时间' asks, names nothing
    answer = library.ask("贵州好活科技的营业收入有多少，是哪段时间的？", engine)
    assert answer.answerable and lead(answer.answer).startswith("自2020年8月至2022年10月"), answer.answer
    assert "44.99" in lead(answer.answer), answer.answer


def test_english_words_rendering_one_compound_name_one_thing(engine: Engine) -> None:
    """'collection service points' is 回收服务网点, not 回收与拆解 ('collection') beside 回收服务网点 ('service points');
    two mentions that share no stem stay two ('takeaway delivery riders': 在线外卖 and 骑手)."""
    glossary = answer_context(engine).glossary
    assert [m.entry.term for m in glossary.find("collection service points in 2023")] == ["回收服务网点"]
    assert [m.entry.term for m in glossary.find("takeaway delivery riders")] == ["在线外卖", "骑手"]
    answer = library.ask("What share of collection service points handled under 1 tonne over the past year?", engine)
    assert answer.answerable and "35%" in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "figure", "other"), [
    # report 2: '再生钴、再生锂和再生镍的比例应分别不低于 16%、6%和 6%': words no glossary knows, aligned by 分别
    pytest.param("EU rules: minimum recycled lithium share in new batteries from 2031?", "6%", "16%", id="report-2-second-item"),
    pytest.param("EU rules: minimum recycled cobalt share in new batteries from 2031?", "16%", None, id="report-2-first-item"),
])
def test_a_respectively_list_of_unknown_words_gives_each_its_figure(engine: Engine, question: str, figure: str,
                                                                    other: str | None) -> None:
    answer = library.ask(question, engine)
    said = answer.answer.split("“")[0]
    assert answer.answerable and figure in said and (other is None or other not in said), answer.answer


def test_a_parallel_list_is_cut_at_its_middle_items_length() -> None:
    from reportqa.query.figures.claims import extract_claims
    claims = extract_claims("新建线路中甲线路、乙线路和丙线路的长度分别为12公里、30公里和7公里。")
    assert [c.listed_as for c in claims] == ["甲线路", "乙线路", "丙线路"]
    assert [c.listed_as for c in extract_claims("收入和利润分别为5亿元和2亿元。")] == [None, None]  # two items: no cut


@pytest.mark.parametrize(("question", "shown"), [
    # report 2: every item of the '分别' list the question names, each with its own figure
    pytest.param("Minimum recycled cobalt, lithium and nickel content the EU requires from 2031?",
                 ("再生钴 16%", "再生锂 6%", "再生镍 6%"), id="report-2-three-items-en"),
    pytest.param("欧盟要求2031年起再生钴和再生镍的比例各不低于多少", ("再生钴16%", "再生镍6%"), id="report-2-two-items-zh"),
])
def test_each_named_item_of_a_respectively_list_gets_its_figure(engine: Engine, question: str,
                                                               shown: tuple[str, ...]) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and all(s in answer.answer for s in shown), answer.answer
