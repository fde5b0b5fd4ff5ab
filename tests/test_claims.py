"""Claim extraction: figures with units, normalised to report units, with year/subject/role from context."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportqa.query.figures import claims as claims_module
from reportqa.query.lexicon.glossary import load_glossary
from reportqa.query.lexicon.vocab import build_vocab

# The bundled report's own glossary (the claim extractor reads words with the vocabulary it is given).
VOCAB = build_vocab(load_glossary(Path(__file__).resolve().parent.parent / "corpus" / "china-sharing-economy-report-2023.glossary.tsv"), [])


def extract_claims(text: str, **kw):
    return claims_module.extract_claims(text, VOCAB, **kw)


def _one(text: str):
    claims = extract_claims(text)
    assert len(claims) == 1, [c.text for c in claims]
    return claims[0]


@pytest.mark.parametrize(
    ("text", "written", "value", "unit", "kind"),
    [
        pytest.param("交易额为115亿元", "115亿元", 115, "亿元", "level", id="zh-yi-yuan"),
        pytest.param("市场交易规模约为38320亿元", "38320亿元", 38320, "亿元", "level", id="zh-large-yi-yuan"),
        pytest.param("同比增长约 3.9%", "3.9%", 3.9, "%", "percent", id="zh-percent"),
        pytest.param("同比大幅下降 93.8%", "93.8%", -93.8, "%", "percent", id="zh-decrease-is-negative"),
        pytest.param("占比较上年提高 6.4个百分点", "6.4个百分点", 6.4, "个百分点", "pp", id="zh-percentage-points"),
        pytest.param("按照正常情况下 1.5倍配备人手", "1.5倍", 1.5, "倍", "ratio", id="zh-ratio"),
        pytest.param("用户规模 40507万人", "40507万人", 40507, "万人", "count", id="zh-wan-people"),
        pytest.param("在线医疗用户规模达 3亿人", "3亿人", 30000, "万人", "count", id="zh-yi-people-to-wan"),
        pytest.param("聚合订单合计 8.55亿单", "8.55亿单", 8.55, "亿单", "count", id="zh-orders"),
        pytest.param("社会消费品零售总额约为 43.97万亿元", "43.97万亿元", 439700, "亿元", "level", id="zh-wan-yi-yuan"),
        pytest.param("罚款计8760万元", "8760万元", 0.876, "亿元", "level", id="zh-wan-yuan-to-yi"),
        pytest.param("人均消费支出 2891.3元", "2891.3元", 2891.3, "元", "level", id="zh-per-capita-yuan-kept"),
        pytest.param("知识技能融资 ＜1亿元", "＜1亿元", 1, "亿元", "level", id="zh-bounded"),
        pytest.param("面向全国 12,000多家平台企业", "12,000多家", 12000, "家", "count", id="zh-thousands-comma"),
        pytest.param("transactions were CNY 11.5 billion", "CNY 11.5 billion", 115, "亿元", "level", id="en-cny-billion"),
        pytest.param("worth 11.5 billion yuan", "11.5 billion yuan", 115, "亿元", "level", id="en-billion-yuan"),
        pytest.param("about RMB 3.83 trillion", "RMB 3.83 trillion", 38300, "亿元", "level", id="en-rmb-trillion"),
        pytest.param("came to 115 hundred million yuan", "115 hundred million yuan", 115, "亿元", "level", id="en-hundred-million"),
        pytest.param("share of 24.3 percent", "24.3 percent", 24.3, "%", "percent", id="en-percent-word"),
        pytest.param("up 6.4 percentage points", "6.4 percentage points", 6.4, "个百分点", "pp", id="en-percentage-points"),
        pytest.param("it had 405.07 million users", "405.07 million users", 40507, "万人", "count", id="en-million-users"),
        pytest.param("less than 100 million yuan", "100 million yuan", 1, "亿元", "level", id="en-less-than"),
        pytest.param("a price of 350 yuan per night", "350 yuan", 350, "元", "level", id="en-small-yuan-kept"),
    ],
)
def test_claim_is_normalised_to_report_units(text: str, written: str, value: float, unit: str, kind: str) -> None:
    claim = _one(text)
    assert claim.text == written
    assert claim.value == pytest.approx(value)
    assert claim.unit == unit
    assert claim.kind == kind
    assert text[claim.span[0]:claim.span[1]] == written


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        pytest.param("知识技能 ＜1亿元", "<", id="zh-less-than-sign"),
        pytest.param("less than 100 million yuan", "<", id="en-less-than"),
        pytest.param("收入同比提升超过 30%", ">", id="zh-more-than"),
        pytest.param("服务 8万多家企业", ">", id="zh-duo"),
        pytest.param("交易额为115亿元", None, id="exact"),
    ],
)
def test_bounds_are_read_from_the_wording(text: str, bound: str | None) -> None:
    assert _one(text).bound == bound


@pytest.mark.parametrize(
    ("text", "value", "sign_word", "role"),
    [
        pytest.param("比上年下降 22.1%", -22.1, "下降", "growth", id="zh-xiajiang"),
        pytest.param("同比减少 50.9%", -50.9, "减少", "growth", id="zh-jianshao"),
        pytest.param("较上年下降 1.1个百分点", -1.1, "下降", None, id="zh-pp-down"),
        pytest.param("shared accommodation fell 24.3 percent", -24.3, "fell", "growth", id="en-fell"),
        pytest.param("a decline of 93.8%", -93.8, "decline", "growth", id="en-decline-of"),
        pytest.param("年末全国城镇调查失业率降至 5.5%", 5.5, None, None, id="zh-fell-to-is-a-level"),
        pytest.param("这个比例下降到不足 20%", 20, None, None, id="zh-down-to-is-a-level"),
        pytest.param("同比增长 8.4%", 8.4, None, "growth", id="zh-growth-positive"),
        pytest.param("占整体网民的 28.5%", 28.5, None, "share", id="zh-share"),
    ],
)
def test_decrease_words_make_changes_negative(text: str, value: float, sign_word: str | None, role: str | None) -> None:
    claim = _one(text)
    assert claim.value == pytest.approx(value)
    assert claim.sign_word == sign_word
    assert claim.role == role


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("本报告是国家信息中心推出的第八份共享经济年度报告", id="ordinal-chinese"),
        pytest.param("如表 1所示，见图 2和表4", id="table-and-figure-numbers"),
        pytest.param("2022年 6月 30日，2021-2022年，2018年版", id="dates-and-year-ranges"),
        pytest.param("荣列中国民营企业500 强第 187 位", id="rank"),
        pytest.param("占比较上年提高个百分点1。有数据显示3，", id="footnote-markers"),
        pytest.param("5G网络、T3出行、4A级景区、7×24小时", id="alphanumeric-tokens"),
        pytest.param("《第 50次中国互联网络发展状况统计报告》", id="ordinal-in-title"),
        pytest.param("in 2022 and 2023", id="english-years"),
    ],
)
def test_years_dates_ordinals_and_markers_are_not_claims(text: str) -> None:
    assert extract_claims(text) == []


@pytest.mark.parametrize(
    ("text", "year", "period"),
    [
        pytest.param("2022年共享住宿交易额为115亿元", 2022, "2022", id="zh-year"),
        pytest.param("In 2022 shared accommodation transactions were CNY 11.5 billion", 2022, "2022", id="en-in-year"),
        pytest.param("2021-2022年交易额增长3.9%", 2022, "2021-2022", id="zh-range-ends-the-period"),
        pytest.param("截至2022年6月，在线医疗用户规模达3亿人", 2022, "2022-06", id="zh-as-of-month"),
        pytest.param("2022年下半年，聚合订单合计 8.55亿单", 2022, "2022H2", id="zh-half-year"),
        pytest.param("截至 2022年底，共有 298家，比 2021年底增加了 40家", 2022, "2022", id="zh-comparison-year-skipped"),
        pytest.param("交易额为125亿元（2022年）", 2022, "2022", id="zh-year-after-figure"),
    ],
)
def test_year_comes_from_context(text: str, year: int, period: str) -> None:
    claim = extract_claims(text)[-1]
    assert (claim.year, claim.period) == (year, period)
    assert not claim.year_inferred


def test_year_is_carried_from_an_earlier_sentence_and_marked_inferred() -> None:
    claims = extract_claims("2022年国内旅游人次下降。网约车订单量同比下降 16.8%。")
    assert (claims[0].year, claims[0].year_inferred) == (2022, True)


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        pytest.param("2022年共享住宿交易额为115亿元", "共享住宿", id="zh-row"),
        pytest.param("2022年共享经济市场交易规模约为38320亿元", "总计", id="zh-total"),
        pytest.param("In 2022 shared accommodation transactions were CNY 11.5 billion", "共享住宿", id="en-shared-accommodation"),
        pytest.param("Home sharing fell 24.3 percent", "共享住宿", id="en-home-sharing"),
        pytest.param("ride-hailing had 405.07 million users", "网约车", id="en-ride-hailing"),
        pytest.param("food delivery users reached 645.81 million", "在线外卖", id="en-food-delivery"),
        pytest.param("life services grew 8.4%", "生活服务", id="en-life-services"),
        pytest.param("production capacity grew 1.5%", "生产能力", id="en-production-capacity"),
        pytest.param("国内旅游总人次 25.3亿", None, id="no-known-subject"),
    ],
)
def test_subject_is_the_nearest_glossary_row(text: str, subject: str | None) -> None:
    assert extract_claims(text)[0].subject == subject


def test_respectively_aligns_listed_subjects_with_figures() -> None:
    text = "受多种复杂因素影响，共享空间、共享住宿、交通出行三个领域共享经济市场规模显著下降，同比分别下降37.7%、24.3%和 14.2%"
    claims = extract_claims(text)
    assert [(c.listed_as, c.subject, c.value) for c in claims] == [
        ("共享空间", "共享办公", -37.7), ("共享住宿", "共享住宿", -24.3), ("交通出行", "交通出行", -14.2)]


def test_respectively_alignment_is_reused_for_a_second_group() -> None:
    text = "生活服务和共享医疗两个领域市场规模同比分别增长 8.4%和 8.2%，增速较上年分别提高了 2.6个百分点和 1.7个百分点"
    assert [(c.subject, c.unit) for c in extract_claims(text)] == [
        ("生活服务", "%"), ("共享医疗", "%"), ("生活服务", "个百分点"), ("共享医疗", "个百分点")]


def test_english_respectively_aligns_subjects() -> None:
    claims = extract_claims("Life services and healthcare grew 8.4% and 8.2% respectively in 2022.")
    assert [(c.subject, c.value, c.year) for c in claims] == [("生活服务", 8.4, 2022), ("共享医疗", 8.2, 2022)]


def test_range_start_takes_the_unit_of_the_range_end() -> None:
    low, high = extract_claims("提供 10万至 80万元不同保额的保险保障服务")
    assert (low.unit, high.unit) == ("亿元", "亿元")
    assert (low.value, high.value) == (pytest.approx(0.001), pytest.approx(0.008))


def test_bare_count_next_to_users_counts_people() -> None:
    claim = _one("“快招工”月活跃用户达 2.5亿")
    assert (claim.family, claim.unit, claim.value) == ("people", "万人", 25000)


def test_interval_reflects_printed_precision() -> None:
    lo, hi = _one("CNY 11.5 billion").interval()
    assert (lo, hi) == (pytest.approx(114.5e8), pytest.approx(115.5e8))
    lo, hi = _one("＜1亿元").interval()
    assert (lo, hi) == (0.0, pytest.approx(1e8))


def test_claims_of_the_real_report_cover_its_table_figures(report_doc) -> None:
    texts = {c.text for p in report_doc.paragraphs for c in extract_claims(p.text)}
    assert {"38320亿元", "3.9%", "18548亿元", "132亿元", "93.8%", "38.54%", "2.04亿元"} <= texts

