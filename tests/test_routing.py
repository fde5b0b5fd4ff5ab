"""A question goes to the report it is about, and general English abbreviations read like the words they stand for.

Both bundled reports are indexed together. Which report a question is about comes from how often each
report's text uses what the question names (its terms in any language, its other words); evidence from the
other report can then not answer it. Real reports, real index.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.analysis.question import analyse
from reportqa.query.lexicon.abbreviations import expand_abbreviations
from reportqa.query.views.sentences import answer_context

SHARING = "china-sharing-economy-report-2023"
BATTERY = "china-power-battery-recycling-report-2024"


@pytest.mark.parametrize(("question", "doc"), [
    pytest.param("What was the total market transaction volume of China's sharing economy in 2022?", SHARING, id="en-total-row"),
    pytest.param("Total absolute change in transaction volume across all sectors in 2022?", SHARING, id="en-change"),
    pytest.param("表4显示，2023年装备制造环节从业人员有多少万人？", BATTERY, id="zh-table-cell"),
    pytest.param("报告认为回收行业商业模式会呈现哪几个趋势？", BATTERY, id="zh-narrative"),
])
def test_a_question_is_answered_from_the_report_its_words_point_at(engine: Engine, question: str, doc: str) -> None:
    ctx = answer_context(engine)
    assert analyse(question, ctx).docs == (doc,)
    answer = library.ask(question, engine)
    assert answer.answerable, answer.answer
    assert answer.citations and {c.doc for c in answer.citations} == {doc}


def test_a_question_whose_words_fit_every_report_is_not_tied_to_one(engine: Engine) -> None:
    ctx = answer_context(engine)
    assert analyse("2023年的数据是多少？", ctx).docs == ()
    assert analyse("What does the report say?", ctx).docs == ()


def test_general_abbreviations_are_written_out_as_whole_words() -> None:
    assert expand_abbreviations("CN sharing econ txn vol 2022") == "China sharing economy transaction volume 2022"
    assert expand_abbreviations("ride-hailing driver certs, 2nd-life installs") == \
        "ride-hailing driver certificates, second-life installs"  # an ordinal in digits glued to a hyphenated word
    assert expand_abbreviations("testing/eval svc output") == "testing/evaluation service output"
    assert expand_abbreviations("# licensed platforms, avg rate") == "number of licensed platforms, average rate"
    assert expand_abbreviations("Rank #3 co-op volume") == "Rank #3 co-op volume"  # a rank, a hyphenated word, a full word
    assert expand_abbreviations("2022年共享住宿规模") == "2022年共享住宿规模"
    assert expand_abbreviations("Acme Corp revenue") == "Acme Corp revenue"  # part of a name
    assert expand_abbreviations("S. China cos, NE China") == "South China companies, Northeast China"
    assert expand_abbreviations("U.S. market, e.g. this") == "U.S. market, e.g. this"


@pytest.mark.parametrize(("short", "full"), [
    pytest.param("CN sharing econ txn vol 2022", "What was the sharing economy's transaction volume in 2022?", id="report-1"),
    pytest.param("equip mfg output value 2023?", "What was the output value of equipment manufacturing in 2023?", id="report-2"),
])
def test_an_abbreviated_question_gets_the_figure_the_spelled_out_one_gets(engine: Engine, short: str, full: str) -> None:
    a, b = library.ask(short, engine), library.ask(full, engine)
    assert a.answerable and b.answerable, (a.answer, b.answer)
    assert [c.id for c in a.citations[:1]] == [c.id for c in b.citations[:1]]


@pytest.mark.parametrize(("question", "intent"), [
    pytest.param("报告里共享经济是怎么定义的？", "narrative", id="zh-colloquial-definition"),
    pytest.param("梯次利用和再生利用分别指什么？有啥区别？", "narrative", id="zh-colloquial-difference"),
    pytest.param("非正规渠道凭什么能把退役电池截走？", "narrative", id="zh-colloquial-why"),
    pytest.param("知网罚款8760万元是不是正好等于17.52亿元的5%？", "consistency", id="zh-does-it-equal"),
])
def test_colloquial_question_words_are_question_words_not_missing_subjects(engine: Engine, question: str, intent: str) -> None:
    ctx = answer_context(engine)
    q = analyse(question, ctx)
    assert q.intent == intent and q.absent == []
    answer = library.ask(question, engine)
    assert answer.answerable, answer.answer


def test_a_consistency_question_is_checked_in_its_own_reports_table_on_the_figure_it_quotes(engine: Engine) -> None:
    # both reports have a 表1 with a total row; the question's words are the 2023 report's, its figure a growth rate
    answer = library.ask("表1里总计的3.9%增速跟两年的总额对得上吗？", engine)
    assert answer.kind == "consistency" and "3.9%" in answer.answer and "38320/36881" in answer.answer
    assert {c.doc for c in answer.citations} == {SHARING}


def test_no_verdict_on_a_passage_that_does_not_state_the_figures_asked_about(engine: Engine) -> None:
    answer = library.ask("Does the 48.3% regulated recovery rate for 2023 agree with Table 1?", engine)
    assert not answer.answer.startswith(("Yes", "一致")) or "48.3" in answer.answer.split("The report says")[-1]


def test_two_digit_years_are_read_as_this_centurys_years_but_spans_of_years_are_not() -> None:
    from reportqa.query.lexicon.abbreviations import expand_short_years

    assert expand_short_years("23年正规企业锂回收率") == "2023年正规企业锂回收率"
    assert expand_short_years("H1 '24 volume") == "H1 2024 volume"
    for span in ("近10年增长", "过去10年", "12年来", "10年间", "第23年"):
        assert expand_short_years(span) == span


def test_an_average_asked_for_is_the_figure_the_report_calls_average(engine: Engine) -> None:
    # the sentence also gives a leading firms' rate ('部分领先企业…超过92%') and another element's average
    answer = library.ask("23年正规企业锂回收率平均能到多少？", engine)
    head = answer.answer.split("报告原文")[0]
    assert "90.2%" in head and "92%" not in head and "98.5%" not in head
    assert "较上年提高2.3个百分点" in head  # the change it states beside that figure, not beside another


def test_a_short_unknown_word_beside_a_known_measure_is_wording_but_alone_it_is_the_subject(engine: Engine) -> None:
    ctx = answer_context(engine)
    assert analyse("世行1月把2023年全球经济增速预期下调到多少？", ctx).absent == []  # '世行' beside a known measure
    assert [c.label for c in analyse("光速是多少？", ctx).absent] == ["光速"]
    assert not library.ask("光速是多少？", engine).answerable
