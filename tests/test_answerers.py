"""One question analysis, answerers that compete on evidence, and refusals when the evidence's frame differs.

Real report, real index. The classes: a figure whose period, place or named subject differs from the
question's is never given as the answer (answerable false, the qualified figure quoted as the nearest fact);
questions about things the report does not cover abstain; the best supported candidate wins.
"""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.query.analysis.question import analyse
from reportqa.query.answer import choose
from reportqa.query.answerers.base import Candidate, Draft
from reportqa.query.views.sentences import answer_context


def test_analysis_reads_years_periods_places_and_unknown_names(engine: Engine) -> None:
    ctx = answer_context(engine)
    q = analyse("2022年下半年美国网约车订单量是多少？", ctx)
    assert q.frame.years == (2022,) and q.frame.sub_annual == ("下半年",)
    assert "美国" in q.frame.names and q.intent == "figure"
    en = analyse("What was Acme Corp's revenue in the first half of 2022?", ctx)
    assert en.frame.names == ("Acme Corp",) and en.frame.sub_annual and en.language == "en"
    world = analyse("全球共享经济市场规模", ctx)
    assert world.frame.place == "world"


def test_analysis_does_not_mistake_question_words_or_lexicon_terms_for_names(engine: Engine) -> None:
    ctx = answer_context(engine)
    assert analyse("What was the transaction volume of shared accommodation in 2022?", ctx).frame.names == ()
    assert analyse("How much did China's sharing economy grow in 2022?", ctx).frame.names == ()


OFF_TOPIC = [
    pytest.param("What was Acme Corp's revenue in 2022?", id="en-unknown-company"),
    pytest.param("What is the population of Springfield?", id="en-unknown-city"),
    pytest.param("日本共享经济市场规模有多大？", id="zh-other-country"),
    pytest.param("Who won the 2022 World Cup?", id="en-sport"),
    pytest.param("光速是多少？", id="zh-physical-constant"),
]


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_questions_about_things_the_report_does_not_cover_abstain(engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)
    assert not answer.answerable, answer.answer
    assert answer.kind == "unanswerable"
    assert not [f for f in answer.facts if f.status == "verified" and f.text in answer.answer.split("Nearby")[0].split("报告中最接近")[0]]


def test_a_half_year_figure_does_not_answer_a_full_year_question(engine: Engine) -> None:
    # the report prints this count for the second half of the year only
    answer = library.ask("2022年全国网约车聚合订单合计多少单？", engine)
    assert not answer.answerable
    assert "下半年" in answer.answer  # the qualified figure is quoted as the nearest fact, with its period
    assert "8.55亿单" in answer.answer


def test_the_same_half_year_figure_answers_a_half_year_question(engine: Engine) -> None:
    answer = library.ask("2022年下半年全国网约车聚合订单合计多少单？", engine)
    assert answer.answerable and "8.55亿单" in answer.answer


def test_a_narrative_quotes_the_answering_sentences_not_whole_passages(engine: Engine) -> None:
    answer = library.ask("2022年共享经济领域直接融资大幅下滑的主要原因有哪些？", engine)
    assert answer.answerable and answer.kind == "narrative"
    assert "主要原因" in answer.answer
    assert len(answer.citations) <= 4 and all(len(c.quote) < 400 for c in answer.citations)


def _candidate(name: str, support: float, issues: list[str] | None = None) -> Candidate:
    return Candidate(name, Draft(name, True, name), support, issues or [])


def test_the_best_supported_fitting_candidate_wins() -> None:
    chosen = choose([_candidate("narrative", 0.9), _candidate("fact", 0.7), _candidate("fact", 0.95, ["下半年"])])
    assert chosen is not None and chosen.answerer == "narrative" and chosen.support == 0.9


def test_no_candidate_above_its_threshold_means_a_refusal() -> None:
    assert choose([_candidate("fact", 0.2), _candidate("narrative", 0.1)]) is None


@pytest.mark.parametrize("question", [
    pytest.param("2022年生产能力的融资额是共享办公的多少倍？", id="zh"),
    pytest.param("How many times shared office financing was production capacity financing in 2022?", id="en"),
])
def test_a_ratio_with_a_less_than_one_cell_is_a_bound_never_an_error(engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)  # one divisor is printed as '＜1' (0 to 1): the ratio has no ceiling
    assert answer.answerable and ("超过2.00倍" in answer.answer or "less than 0.50 times" in answer.answer)


@pytest.mark.parametrize(("question", "figure", "change"), [
    pytest.param("Kuaishou e-commerce GMV in Q3 2022?", "2225亿元", "up 26.6% year on year", id="en-change-before-figure"),
    pytest.param("云账户2022年收入", "974.30亿元", "同比增长85%", id="zh-change-after-figure"),
    pytest.param("2023年规范条件企业锂平均回收率是多少？", "90.2%", "较上年提高2.3个百分点", id="zh-report-2-points"),
])
def test_a_figure_in_running_text_comes_with_the_change_the_report_states_beside_it(
        engine: Engine, question: str, figure: str, change: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable, answer.answer
    head = answer.answer.split("报告原文")[0].split("The report says")[0]
    assert figure in head and change in head
    assert all(f.status in ("verified", "derived") for f in answer.facts if f.text in head)


@pytest.mark.parametrize(("question", "defining"), [
    pytest.param("How does the report define the sharing economy?", "共享经济是利用互联网平台", id="en-report-1-body"),
    pytest.param("规范渠道回收率是什么意思？", "所称规范渠道回收率，是指", id="zh-report-2-footnote"),
    pytest.param("梯次利用的定义", "所称梯次利用，是指", id="zh-report-2-body"),
])
def test_a_definition_question_quotes_the_reports_defining_sentence(engine: Engine, question: str, defining: str) -> None:
    answer = library.ask(question, engine)
    assert answer.answerable and answer.kind == "narrative", answer.answer
    assert defining in answer.answer.replace(" ", "")
    assert any(defining in c.quote.replace(" ", "") for c in answer.citations)


@pytest.mark.parametrize("question", [
    pytest.param("2023年华东地区梯次利用量是多少万吨？", id="region-row-with-another-tables-row-as-measure"),
    pytest.param("2023年三元锂电池的梯次利用量是多少？", id="chemistry-row-with-another-tables-row-as-measure"),
])
def test_a_row_is_not_answered_with_its_default_column_when_the_measure_asked_is_another_tables_row(
        engine: Engine, question: str) -> None:
    answer = library.ask(question, engine)
    assert not answer.answerable, answer.answer


def test_a_figure_dated_another_year_never_answers_for_the_asked_year(engine: Engine) -> None:
    # the report's title carries its publication year; a '全年…' figure under it belongs to the year before
    answer = library.ask("How much battery volume was recovered through regulated channels in the full year 2024?", engine)
    assert not answer.answerable, answer.answer


def test_english_aliases_match_singular_and_plural_and_ampersands() -> None:
    from reportqa.query.lexicon.glossary import parse_glossary

    g = parse_glossary("行业A\tgrain industry|grain batteries\trow\n")
    for text in ("grain industries", "the grain battery", "grain batteries"):
        assert [m.entry.term for m in g.find(text)] == ["行业A"], text


@pytest.mark.parametrize(("question", "added", "stock"), [
    pytest.param("23年一年新开了几个回收网点？", "2815个", "13900个", id="zh-report-2"),
    pytest.param("How many new occupations were added in the 2022 edition of the occupational classification?", "158",
                 "1639", id="en-report-1"),
    # 表3 prints the stock (13900个); only the text prints the increment (新增2815个)
    pytest.param("How many new power-battery recycling service outlets were established nationwide during 2023?", "2815",
                 "13900", id="en-report-2-table-prints-the-stock"),
    pytest.param("2023年新增了多少个回收服务网点？", "2815", "13900", id="zh-report-2-table-prints-the-stock"),
])
def test_how_many_were_added_is_answered_with_the_increment_not_the_stock(
        engine: Engine, question: str, added: str, stock: str) -> None:
    answer = library.ask(question, engine)
    head = answer.answer.split("报告原文")[0].split("The report says")[0]
    assert answer.answerable and added in head and stock not in head, answer.answer


@pytest.mark.parametrize(("question", "says"), [
    pytest.param("检测评估服务2021年产值多少", "检测评估服务2021年一格没有数值（表中印为“-”）", id="zh"),
    pytest.param("Output value of testing and evaluation services in 2021?", "prints no value for 检测评估服务 in 2021", id="en"),
])
def test_a_cell_the_table_leaves_blank_is_refused_as_blank_not_as_a_missing_year(
        engine: Engine, question: str, says: str) -> None:
    answer = library.ask(question, engine)
    assert not answer.answerable and says in answer.answer, answer.answer


def test_a_figure_bm25_finds_stated_in_full_needs_no_query_embedding(engine: Engine) -> None:
    from reportqa.query.answerers import fact
    from reportqa.query.answerers.base import Evidence

    ctx = answer_context(engine)
    q = analyse("2022年全国网约车平台公司取得经营许可的有多少家？", ctx)
    ev = Evidence(q, engine, ctx, 5)
    [candidate] = fact.propose(q, ev)
    assert "298家" in candidate.draft.text and candidate.fits and not ev.retrieved
    # English words the lexicon cannot render are invisible to BM25: the dense look runs
    q_en = analyse("# licensed ride-hailing outfits end-2022", ctx)  # "outfits": a word no glossary renders
    ev_en = Evidence(q_en, engine, ctx, 5)
    fact.propose(q_en, ev_en)
    assert ev_en.retrieved


def test_a_table_cell_of_another_measure_kind_does_not_answer(engine: Engine) -> None:
    # the regeneration row has tonnes for 2022 and people only for 2023: 'how many people … 2022' is not in tonnes
    answer = library.ask("How many people worked in the regeneration segment in 2022?", engine)
    assert not answer.answerable and "万吨" not in answer.answer.split("Nearby")[0], answer.answer
    tonnes = library.ask("How many tonnes of LFP batteries were retired in China in 2021?", engine)
    assert tonnes.answerable and "15.8万吨" in tonnes.answer


def test_the_report_title_does_not_make_every_passage_under_it_about_the_asked_term(engine: Engine) -> None:
    # the second report's title names 动力电池回收利用; the introduction under it is not about innovations
    answer = library.ask("Main tech innovations in battery recycling per the report?", engine)
    assert answer.answerable and answer.citations
    assert all(c.section and c.section != "中国动力电池回收利用发展报告（2024）" for c in answer.citations), answer.answer


def test_two_questions_retrieve_at_the_same_time(engine: Engine) -> None:
    """Concurrent requests must not queue behind each other's query embedding (a lock shared by every question's
    evidence once serialised them): both retrievals are inside the dense search at once."""
    import threading

    from reportqa.query.answerers.base import Evidence

    ctx = answer_context(engine)
    both_inside = threading.Barrier(2, timeout=20)

    class Meeting:  # the real index; its dense search first waits until the other question's is running too
        def __init__(self, index) -> None:
            self.index, self.chunks = index, index.chunks

        def dense_search(self, query: str, k: int):
            both_inside.wait()
            return self.index.dense_search(query, k)

        def sparse_search(self, *args, **kwargs):
            return self.index.sparse_search(*args, **kwargs)

    class EngineView:
        def __init__(self) -> None:
            self.index, self.settings = Meeting(engine.index), engine.settings

    errors: list[BaseException] = []

    def retrieve(text: str) -> None:
        try:
            assert Evidence(analyse(text, ctx), EngineView(), ctx, 5).hits
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=retrieve, args=(t,)) for t in ("共享经济领域直接融资为什么大幅下降？", "梯次利用的主要障碍是什么？")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
