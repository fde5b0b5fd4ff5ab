"""Eval metrics on a tiny hand-checked set of fake answers, with exact expected numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.loaders import EvalItem
from evals.metrics import (
    GoldValue,
    abstention_scores,
    checker_share,
    citation_correct,
    evidence_spans,
    gold_values,
    heading_matches,
    numeric_correct,
    percentile,
    score_item,
    summarize,
    summarize_groups,
    table_matches,
    value_present,
)
from evals.quantities import extract_quantities
from reportqa.records import Answer, Citation, Fact

ROOT = Path(__file__).resolve().parent.parent
DOC = "china-sharing-economy-report-2023"
DOCS = {DOC: (ROOT / "corpus" / f"{DOC}.txt").read_text(encoding="utf-8")}
CH1 = "一、共享经济市场规模持续扩大"
S11 = "（一）共享经济市场交易规模同比增长 3.9%"
S12 = "（二）共享型服务和消费成为稳增长的重要力量"
S14 = "（四）共享经济领域直接融资大幅下降"

YI = GoldValue(value=115, decimals=0, base="元", factor=1e8)


# --------------------------------------------------------------------------- single values


@pytest.mark.parametrize(
    ("text", "gold", "expected"),
    [
        pytest.param("2022年共享住宿交易规模为115亿元", YI, True, id="same-unit"),
        pytest.param("CNY 11.5 billion", YI, True, id="english-billion-converted"),
        pytest.param("about 11.5 billion yuan", YI, True, id="english-yuan-suffix"),
        pytest.param("115万元", YI, False, id="wrong-scale"),
        pytest.param("115%", YI, False, id="wrong-base-unit"),
        pytest.param("114亿元", YI, False, id="wrong-figure"),
        pytest.param("共享住宿 152 115 -24.3%", YI, True, id="bare-number-read-in-gold-unit"),
        pytest.param("roughly 65,000 riders", GoldValue(6.5, 1, None, 1e4), True, id="bare-number-in-plain-units"),
        pytest.param("6.5 riders", GoldValue(6.5, 1, None, 1e4), True, id="bare-number-in-gold-units"),
        pytest.param("CNY 3.83 trillion", GoldValue(38320, 0, "元", 1e8), True, id="coarser-scale-right-at-its-precision"),
        pytest.param("CNY 4 trillion", GoldValue(38320, 0, "元", 1e8), False, id="coarser-scale-too-rough"),
        pytest.param("USD 582 million", GoldValue(5.82, 2, "美元", 1e8), True, id="usd-million"),
        pytest.param("CNY 582 million", GoldValue(5.82, 2, "美元", 1e8), False, id="yuan-is-not-dollars"),
        pytest.param("48.40%", GoldValue(48.4, 1, "%", 1.0), True, id="more-decimals"),
        pytest.param("48.43%", GoldValue(48.4, 1, "%", 1.0), True, id="rounds-to-gold"),
        pytest.param("48%", GoldValue(48.4, 1, "%", 1.0), False, id="less-precise-than-gold"),
        pytest.param("6.4 percentage points", GoldValue(6.4, 1, "个百分点", 1.0), True, id="percentage-points"),
        pytest.param("6.4%", GoldValue(6.4, 1, "个百分点", 1.0), False, id="percent-is-not-points"),
        pytest.param("40.5% − 6.4 pp = 34.1%", GoldValue(6.4, 1, "%", 1.0), True, id="points-state-a-difference-written-in-percent"),
        pytest.param("＜1亿元", GoldValue(1, 0, "元", 1e8), True, id="printed-bound"),
        pytest.param("-14.2%", GoldValue(-14.2, 1, "%", 1.0), True, id="signed"),
        pytest.param("14.2%", GoldValue(-14.2, 1, "%", 1.0), False, id="missing-sign-without-decline-word"),
        pytest.param("约75.6个/家（= 4386 ÷ 58）", GoldValue(75.6, 1, "个/家", 1.0), True, id="a-rate-unit-reads-whole"),
        pytest.param("75.6个", GoldValue(75.6, 1, "个/家", 1.0), False, id="a-count-is-not-a-rate"),
        pytest.param("约97.0万元/人", GoldValue(97.0, 1, "万元/人", 1.0), True, id="a-rate-with-a-magnitude"),
    ],
)
def test_value_present(text: str, gold: GoldValue, expected: bool) -> None:
    assert value_present(gold, extract_quantities(text)) is expected


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param("交通出行同比下降14.2%", id="zh-下降"),
        pytest.param("交通出行规模减少14.2%", id="zh-减少"),
        pytest.param("Transportation fell 14.2% in 2022", id="en-fell"),
        pytest.param("a 14.2% decrease", id="en-decrease"),
        pytest.param("Transportation declined by 14.2%", id="en-declined"),
        pytest.param("2021年交通出行增速比2022年高出14.2%", id="zh-gap-stated-the-other-way"),
        pytest.param("2021年比2022年多14.2%", id="zh-比-多"),
    ],
)
def test_missing_minus_is_forgiven_when_the_answer_says_it_fell(answer: str) -> None:
    item = EvalItem(question="交通出行增速", answer="-14.2%", numbers=[-14.2], unit="%")
    assert numeric_correct(item, answer) is True


def test_gold_precision_and_unit_come_from_the_printed_gold_answer() -> None:
    item = EvalItem(question="q", answer="3亿人，占整体网民的28.50%", numbers=[3, 28.5], unit="亿人")
    assert gold_values(item) == [GoldValue(3, 0, "人", 1e8), GoldValue(28.5, 2, "%", 1.0)]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        pytest.param("homestay: 80%. The report says: “入住率超 80%，平均客单价 350元/晚”", False, id="figure-only-in-the-quote"),
        pytest.param("平均客单价350元/晚。报告原文：“平均客单价 350元/晚”", True, id="figure-stated-and-quoted"),
        pytest.param("报告原文：“旧改民宿全年平均入住率超 80%，平均客单价 350元/晚”", True, id="answer-is-only-a-quote"),
    ],
)
def test_figures_count_when_stated_not_merely_quoted(answer: str, expected: bool) -> None:
    item = EvalItem(question="平均客单价", answer="350元", numbers=[350], unit="元")
    assert numeric_correct(item, answer) is expected


def test_every_gold_number_must_be_present() -> None:
    item = EvalItem(question="q", answer="3亿人，28.5%", numbers=[3, 28.5], unit="亿人")
    assert numeric_correct(item, "在线医疗用户规模达3亿人") is False
    assert numeric_correct(item, "3亿人，占网民的28.5%") is True
    assert numeric_correct(EvalItem(question="q", answer="why"), "anything") is None


@pytest.mark.parametrize(
    ("gold", "path", "expected"),
    [
        pytest.param(S11, f"{CH1} > （一）共享经济市场交易规模同比增长3.9%", True, id="spaces-ignored"),
        pytest.param(S11, f"{CH1} > (一) 共享经济市场交易规模同比增长 3.9%", True, id="ascii-numbering"),
        pytest.param(S11, f"{CH1} > 1.1 共享经济市场交易规模同比增长 3.9%", True, id="arabic-numbering"),
        pytest.param(S11, f"{CH1} > {S12}", False, id="sibling-section"),
        pytest.param(S11, CH1, False, id="only-the-chapter"),
        pytest.param(CH1, f"{CH1} > {S12}", True, id="chapter-on-the-path"),
        pytest.param("（二）区分所得性质，明确研判标准。", "附：企业案例 > X > 一、Y > （二）区分所得性质，明确研判标准", True, id="trailing-stop"),
    ],
)
def test_heading_matches_loosely(gold: str, path: str, expected: bool) -> None:
    assert heading_matches(gold, path) is expected


# --------------------------------------------------------------------------- a tiny run


def cite(cid: str, section: str, quote: str, *, table: str | None = None, span: tuple[int, int] = (0, 0)) -> Citation:
    return Citation(id=cid, doc=DOC, section=section, page=2, table=table, quote=quote, span=span, score=1.0)


def fact(status: str) -> Fact:
    return Fact(text="x", value=1.0, unit="亿元", status=status)  # type: ignore[arg-type]


def answer(q: str, text: str, cites: list[Citation], *, answerable: bool = True, facts: list[Fact] | None = None,
           ms: float = 10.0) -> Answer:
    return Answer(question=q, language="zh", answerable=answerable, answer=text, citations=cites, facts=facts or [],
                  timing_ms={"total": ms})


ROW_JT = "交通出行 2344 2012 -14.2%"
ROW_ZS = "共享住宿 152 115 -24.3%"
ROW_T4 = "总计 1185 2137 132 -93.8%"
T1_PATH = f"{CH1} > {S11}"
NOISE = cite(f"{DOC}:p40:0", "三、共享经济治理创新护航规范发展 > （二）制度实施取得新成效", "对滴滴公司处人民币 80.26亿元罚款")
CASES: list[tuple[EvalItem, Answer]] = [
    # A: right figure, right row cited first.
    (EvalItem(id="A", lang="zh", type="table_lookup", question="2022年共享住宿规模", answer="115亿元", numbers=[115], unit="亿元",
              evidence=ROW_ZS, section=S11, table="表1"),
     answer("2022年共享住宿规模", "2022年共享住宿交易规模为115亿元。", [cite(f"{DOC}:表1/共享住宿", T1_PATH, ROW_ZS, table="表1")],
            facts=[fact("verified")], ms=10)),
    # B: wrong answer (the 2021 figure); the right row is cited second.
    (EvalItem(id="B", lang="zh", type="table_lookup", question="2022年交通出行规模", answer="2012亿元", numbers=[2012], unit="亿元",
              evidence=ROW_JT, section=S11, table="表1"),
     answer("2022年交通出行规模", "2022年交通出行交易规模为2344亿元。", [NOISE, cite(f"{DOC}:表1/交通出行", T1_PATH, ROW_JT, table="表1")],
            facts=[fact("contradicted")], ms=20)),
    # C: right figure, no citation at all.
    (EvalItem(id="C", lang="zh", type="text_fact", question="2022年全国网上零售额", answer="13.79万亿元", numbers=[13.79], unit="万亿元",
              evidence="2022年全国网上零售额达 13.79万亿元", section=S12),
     answer("2022年全国网上零售额", "13.79万亿元", [], facts=[fact("verified")], ms=30)),
    # D: false abstention on an answerable question.
    (EvalItem(id="D", lang="en", type="text_fact", question="How much did Chinese companies raise from US listings in 2022?",
              answer="5.82亿美元", numbers=[5.82], unit="亿美元", evidence="2022年中国公司赴美上市共融资约 5.82亿美元", section=S14),
     answer("How much did Chinese companies raise from US listings in 2022?", "The report does not say.", [], answerable=False, ms=40)),
    # E: decline stated without a minus sign; the row is found through its span, not its quote.
    (EvalItem(id="E", lang="en", type="table_lookup", question="Transportation growth in 2022", answer="-14.2%", numbers=[-14.2], unit="%",
              evidence=ROW_JT, section=S11, table="表1"),
     answer("Transportation growth in 2022", "Transportation fell 14.2% in 2022.",
            [cite(f"{DOC}:表1/交通出行/2022年同比增速", T1_PATH, "表1 交通出行 2022年同比增速 -14.2%", table="表1",
                  span=(DOCS[DOC].find(ROW_JT), DOCS[DOC].find(ROW_JT) + 5))],
            facts=[fact("derived")], ms=50)),
    # F: unit conversion (CNY 13.2 billion = 132亿元); the evidence row only comes 4th.
    (EvalItem(id="F", lang="en", type="table_lookup", question="How much direct financing did the sharing economy raise in 2022?",
              answer="132亿元", numbers=[132], unit="亿元", evidence=ROW_T4, section=S14, table="表4"),
     answer("How much direct financing did the sharing economy raise in 2022?", "About CNY 13.2 billion.",
            [cite(f"{DOC}:p30:0", f"{CH1} > {S14}", "初步测算表明，2022年共享经济领域直接融资规模约为 132亿元"), NOISE, NOISE,
             cite(f"{DOC}:表4/总计", f"{CH1} > {S14}", ROW_T4, table="表4")],
            facts=[fact("verified")], ms=60)),
    # G: unanswerable, abstained.
    (EvalItem(id="G", lang="zh", type="unanswerable", question="2019年共享经济市场交易规模", answer="报告未提供"),
     answer("2019年共享经济市场交易规模", "报告没有给出2019年的数据。", [NOISE], answerable=False, ms=70)),
    # H: unanswerable, but the system invents a figure.
    (EvalItem(id="H", lang="en", type="unanswerable", question="What will the transaction volume be in 2023?", answer="The report does not say."),
     answer("What will the transaction volume be in 2023?", "About 40000亿元.", [NOISE], facts=[fact("unsupported")], ms=80)),
]


@pytest.fixture()
def results() -> list:
    return [score_item(item, ans, spans=evidence_spans(item.evidence, DOCS), k=3, latency_ms=ans.timing_ms["total"])
            for item, ans in CASES]


def test_per_item_verdicts(results: list) -> None:
    got = {r.id: (r.numeric, r.citation, r.evidence_rank, r.abstained, r.correct) for r in results}
    assert got == {
        "A": (True, True, 1, False, True),
        "B": (False, True, 2, False, False),
        "C": (True, False, None, False, True),
        "D": (False, False, None, True, False),
        "E": (True, True, 1, False, True),
        "F": (True, True, 4, False, True),
        "G": (None, None, None, True, True),
        "H": (None, None, None, False, False),
    }


def test_summary_has_exact_metrics(results: list) -> None:
    s = summarize(results)
    assert (s["n"], s["errors"]) == (8, 0)
    assert s["accuracy"] == 5 / 8
    assert (s["numeric_accuracy"], s["n_numeric"]) == (4 / 6, 6)
    assert (s["citation_accuracy"], s["n_citation"]) == (4 / 6, 6)
    assert (s["hit_at_k"], s["n_evidence"]) == (3 / 6, 6)
    assert s["mrr"] == pytest.approx((1 + 0.5 + 0 + 0 + 1 + 0.25) / 6)
    assert (s["abstention_precision"], s["abstention_recall"]) == (0.5, 0.5)
    assert (s["checker_share"], s["n_facts"]) == (4 / 6, 6)
    assert s["facts"] == {"verified": 3, "derived": 1, "unsupported": 1, "contradicted": 1}
    assert (s["latency_p50_ms"], s["latency_p95_ms"]) == (45.0, pytest.approx(76.5))


def test_groups_split_by_type_and_language(results: list) -> None:
    g = summarize_groups(results)
    assert {k: v["accuracy"] for k, v in g["by_lang"].items()} == {"en": 0.5, "zh": 0.75}
    assert {k: v["n"] for k, v in g["by_type"].items()} == {"table_lookup": 4, "text_fact": 2, "unanswerable": 2}
    assert g["by_type_lang"]["unanswerable/zh"]["abstention_recall"] == 1.0
    assert g["by_type_lang"]["unanswerable/en"]["abstention_recall"] == 0.0


def test_a_failed_question_is_scored_as_wrong() -> None:
    item = CASES[0][0]
    r = score_item(item, None, error="RuntimeError: HTTP 500", latency_ms=5.0)
    assert (r.correct, r.numeric, r.error) == (False, None, "RuntimeError: HTTP 500")
    assert summarize([r])["errors"] == 1


def test_citations_beyond_k_do_not_count() -> None:
    item, ans = CASES[5]
    assert citation_correct(item, ans.citations[1:], k=2) is False
    assert citation_correct(item, ans.citations[1:], k=3) is True


@pytest.mark.parametrize(
    ("unanswerable", "abstained", "expected"),
    [
        pytest.param([True, True, False], [True, False, False], (1.0, 0.5), id="missed-one"),
        pytest.param([True, False], [True, True], (0.5, 1.0), id="false-abstention"),
        pytest.param([False, False], [False, False], (None, None), id="undefined"),
    ],
)
def test_abstention_scores(unanswerable: list[bool], abstained: list[bool], expected: tuple) -> None:
    assert abstention_scores(unanswerable, abstained) == expected


def test_checker_share_and_percentiles() -> None:
    assert checker_share(["verified", "derived", "unsupported", "contradicted"]) == 0.5
    assert checker_share([]) is None
    assert percentile([10, 20, 30, 40], 0.5) == 25.0
    assert percentile([10, 20, 30, 40], 0.95) == pytest.approx(38.5)
    assert percentile([], 0.5) is None


def _answer(text: str, answerable: bool = True) -> Answer:
    return Answer(question="q", language="zh", answerable=answerable, answer=text, kind="table")


def test_paraphrase_agreement_counts_facts_answered_right_every_way() -> None:
    items = [EvalItem(id=f"p{i}", lang="zh", type="table_lookup", question=f"q{i}", answer="115亿元", numbers=[115.0],
                      unit="亿元", fact=fact) for i, fact in enumerate(["f1", "f1", "f2", "f2"])]
    answers = ["115亿元", "115亿元", "115亿元", "152亿元"]
    results = [score_item(item, _answer(a)) for item, a in zip(items, answers)]
    summary = summarize(results)
    assert (summary["paraphrase_agreement"], summary["n_paraphrased"]) == (0.5, 2)


def test_off_topic_abstention_and_language_gap() -> None:
    off = EvalItem(id="u1", lang="en", type="unanswerable", question="Who won the cup?", note="off-topic")
    on = EvalItem(id="u2", lang="zh", type="unanswerable", question="2019年规模")
    results = [score_item(off, _answer("The report does not say.", False)), score_item(on, _answer("100亿元"))]
    summary = summarize_groups(results)["overall"]
    assert (summary["off_topic_abstention"], summary["n_off_topic"]) == (1.0, 1)
    assert summary["lang_gap"] == 1.0  # en all right, zh all wrong
# --------------------------------------------------------------------------- documents


OTHER = "china-power-battery-recycling-report-2024"


@pytest.mark.parametrize(
    ("cid", "cite_doc", "table", "doc", "expected"),
    [
        pytest.param(f"{DOC}:表1/共享住宿/2022年", DOC, "表1", DOC, True, id="qualified-cell-of-the-item-document"),
        pytest.param(f"{DOC}:表1/共享住宿", DOC, None, "", True, id="row-chunk-any-document"),
        pytest.param(f"{OTHER}:表1/退役动力电池/2023年", OTHER, "表1", DOC, False, id="same-table-number-other-document"),
        pytest.param(f"{DOC}:表2/网约车/用户规模", DOC, "表2", DOC, False, id="other-table"),
    ],
)
def test_a_gold_table_matches_only_a_citation_of_its_document(cid: str, cite_doc: str, table: str | None, doc: str,
                                                               expected: bool) -> None:
    c = Citation(id=cid, doc=cite_doc, section="", page=1, table=table, quote="q", span=(0, 1), score=1.0)
    assert c.table is None or c.table == f"{cite_doc}:{table}", "citations qualify table ids with their document"
    assert table_matches("表1", c, doc) is expected


def test_an_items_document_comes_from_doc_option_or_its_evidence() -> None:
    from evals.loaders import EvalSetError, assign_docs

    docs = {DOC: DOCS[DOC], OTHER: "华东 4386 58 9.6 33.9%"}
    items = [EvalItem(id="a", question="q", evidence=ROW_ZS), EvalItem(id="b", question="q", evidence="华东 4386 58"),
             EvalItem(id="c", question="q"), EvalItem(id="d", question="q", doc=DOC, evidence="华东 4386 58")]
    assert [i.doc for i in assign_docs(items, docs)] == [DOC, OTHER, "", DOC]
    assert [i.doc for i in assign_docs(items, docs, OTHER)] == [OTHER, OTHER, OTHER, DOC]
    with pytest.raises(EvalSetError, match=r"--doc 'nope' is not an indexed report — use one of: "):
        assign_docs(items, docs, "nope")


def test_a_citation_quoting_the_gold_evidence_elsewhere_counts_as_the_right_place() -> None:
    # The 2023 report repeats a plan's four parts in its appendix case; a narrative answer that quotes the case carries
    # the gold evidence though its heading is not the gold section. A top-k citation quoting nothing of it does not.
    evidence = "保障、体验提升、职业发展、骑手关怀四个层面优化骑手"
    item = EvalItem(id="N", lang="zh", type="narrative", question="同舟计划从哪几个层面优化骑手体验？", answer="四个层面",
                    evidence=evidence, section=S11)
    case = "附：企业案例 > 二、同舟计划"
    quoting = cite(f"{DOC}:p68:0", case, "旨在从工作保障、体验提升、职业发展、骑手关怀四个层面优化骑手体验与建设骑手平台良性发展生态。")
    other = cite(f"{DOC}:p68:1", case, "美团配送还在部分城市试点“骑手意外预警”能力。")
    spans = evidence_spans(evidence, DOCS)
    assert score_item(item, answer(item.question, "……", [quoting]), spans=spans).correct
    assert not score_item(item, answer(item.question, "……", [other]), spans=spans).correct
    assert not score_item(item, answer(item.question, "……", [other, other, other, quoting]), spans=spans, k=3).correct
