"""Checker precedence: a figure the report prints for a quantity outranks a derivation from rounded cells.

A growth rate that the level cells allow within their rounding is still *contradicted* when the table
prints another rate for that row and year; derivations decide only where the report prints nothing.
"""

from __future__ import annotations

import pytest

from reportqa.query.checker.checker import check_text
from reportqa.records import Check, Document, Table


def _only(facts):
    assert len(facts) == 1, [(f.text, f.status) for f in facts]
    return facts[0]


@pytest.mark.parametrize(
    ("text", "cell", "printed"),
    [
        # 表4 共享住宿: 6 → 33 allows [400%, 509%] (33/6−1 = 450% exactly), the table prints 455.5%.
        pytest.param("2022年共享住宿融资额同比增长450%", "表4/共享住宿/2022年同比增速", "455.5%", id="zh-levels-exact-print-differs"),
        # 表1 共享住宿: 152 → 115 allows [-24.92%, -23.76%], printed -24.3%.
        pytest.param("2022年共享住宿交易额同比下降24.5%", "表1/共享住宿/2022年同比增速", "-24.3%", id="zh-within-rounding-print-differs"),
        # No metric named: the derivation from 表1's levels is overruled by 表1's own growth column.
        pytest.param("2022年共享住宿同比下降24.5%", "表1/共享住宿/2022年同比增速", "-24.3%", id="zh-no-metric"),
        pytest.param("In 2022 shared healthcare transactions grew 8.0%", "表1/共享医疗/2022年同比增速", "8.2%", id="en-within-rounding"),
        # 表4 知识技能 prints -98.0% although ＜1 / 253 gives at most -99.6%: the print still decides.
        pytest.param("2022年知识技能融资额同比下降99.6%", "表4/知识技能/2022年同比增速", "-98.0%", id="zh-print-the-levels-cannot-give"),
        # -99.3% and -99.4% touch at -99.35% but are different printed figures.
        pytest.param("2022年生产能力领域融资额同比下降99.3%", "表4/生产能力/2022年同比增速", "-99.4%", id="zh-adjacent-printed-values"),
    ],
)
def test_printed_rate_contradicts_a_rate_the_levels_allow(report_doc: Document, text: str, cell: str, printed: str) -> None:
    fact = _only(check_text(text, [report_doc]))
    assert fact.status == "contradicted"
    assert fact.source["cell"] == cell
    assert fact.expected is not None and fact.expected.startswith(f"{cell.split('/')[0]} says {printed}")


def test_the_contradiction_shows_what_the_levels_would_allow(report_doc: Document) -> None:
    fact = _only(check_text("2022年共享住宿融资额同比增长450%", [report_doc]))
    assert fact.source["derivation"] == "表4 共享住宿 2022年 33 / 表4 共享住宿 2021年 6 − 1 = 450%"


def test_the_printed_rate_itself_is_verified(report_doc: Document) -> None:
    fact = _only(check_text("2022年共享住宿融资额同比增长455.5%", [report_doc]))
    assert (fact.status, fact.source["cell"]) == ("verified", "表4/共享住宿/2022年同比增速")


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        pytest.param("2022年网约车人均消费支出同比下降37.1%",
                     "表3 网约车 人均消费支出（元）/2022年 1818.9 / 表3 网约车 人均消费支出（元）/2021年 2891.3 − 1 = -37.1%",
                     id="growth-no-growth-column"),
        pytest.param("生活服务占2022年交易总额的48.4%", "表1 生活服务 2022年 18548 / 表1 总计 2022年 38320 = 48.4%", id="share-not-printed"),
        pytest.param("2022年交通出行和共享住宿交易额合计2127亿元",
                     "表1 交通出行 2022年 2012 + 表1 共享住宿 2022年 115 = 2127亿元", id="sum-of-two-rows"),
    ],
)
def test_quantities_the_report_does_not_print_stay_derived(report_doc: Document, text: str, formula: str) -> None:
    fact = _only(check_text(text, [report_doc]))
    assert (fact.status, fact.formula) == ("derived", formula)


def test_a_computation_written_out_is_judged_as_a_derivation(report_doc: Document) -> None:
    # The text recomputes 表4's knowledge-skills growth from its levels: the result is not a claim about the print.
    facts = check_text("表4知识技能2022年融资额同比增速：＜1/253−1 = -99.60%", [report_doc])
    fact = _only(facts)
    assert (fact.status, fact.formula) == ("derived", "表4 知识技能 2022年 ＜1 / 表4 知识技能 2021年 253 − 1 = -99.60%")


@pytest.mark.parametrize(
    ("text", "status", "cell", "printed"),
    [
        # 在线演出: 8.1 → 9.2 allows [12.27%, 14.91%], printed 13.6%.
        pytest.param("2023年在线演出消费规模同比增长14.0%", "contradicted", "表1/在线演出/2023年同比增速", "13.6%", id="within-rounding"),
        pytest.param("2023年在线演出同比增长14.0%", "contradicted", "表1/在线演出/2023年同比增速", "13.6%", id="no-metric"),
        # 智慧景区 prints 15.2% although 22.4 → 25.1 gives 12.0%: the checker reports what the table prints.
        pytest.param("2023年智慧景区消费规模同比增长12.0%", "contradicted", "表1/智慧景区/2023年同比增速", "15.2%", id="print-inconsistent-with-levels"),
        pytest.param("2023年沉浸式体验投资额同比增长50%", "contradicted", "表2/沉浸式体验/2023年同比增速", "55.6%", id="integer-levels"),
        pytest.param("2023年在线演出消费规模同比增长13.6%", "verified", "表1/在线演出/2023年同比增速", None, id="printed-rate"),
        pytest.param("2023年文旅平台投资额同比增长45.5%", "derived", "表2/文旅平台/2023年", None, id="no-printed-rate"),
    ],
)
def test_precedence_on_the_synthetic_report(synthetic_doc: Document, text: str, status: str, cell: str,
                                            printed: str | None) -> None:
    fact = _only(check_text(text, [synthetic_doc]))
    assert (fact.status, fact.source["cell"]) == (status, cell)
    if printed is not None:
        assert fact.expected is not None and f"says {printed}" in fact.expected


def _rates_the_levels_allow_but_the_table_does_not_print(table: Table) -> list[tuple[Check, float]]:
    """For each growth check, a one-decimal rate inside the levels' rounding range but not the printed one."""
    out = []
    for check in table.checks:
        if check.kind != "growth" or check.interval is None:
            continue
        printed = float(check.printed.rstrip("%"))
        lo, hi = check.interval
        for candidate in (round(printed + step / 10, 1) for step in (2, -2, 3, -3, 5, -5)):
            if lo < candidate < hi and abs(candidate - printed) > 0.05:
                out.append((check, candidate))
                break
    return out


@pytest.mark.parametrize("which", ["report", "synthetic"])
def test_every_printed_growth_column_outranks_its_levels(report_doc: Document, synthetic_doc: Document, which: str) -> None:
    doc = report_doc if which == "report" else synthetic_doc
    cases = [(t, c, v) for t in doc.tables for c, v in _rates_the_levels_allow_but_the_table_does_not_print(t)
             if "总计" not in c.target]
    assert len(cases) >= 4
    for table, check, value in cases:
        _, row, column = check.target.split("/")
        level = next(c for c in table.columns if c.kind == "level")
        word = "增长" if value >= 0 else "下降"
        text = f"{column[:5]}{row}{level.metric}同比{word}{abs(value):.1f}%"
        fact = _only(check_text(text, [doc]))
        assert (fact.status, fact.source.get("cell")) == ("contradicted", check.target), (text, fact)


@pytest.mark.parametrize(("text", "status"), [
    # the remainder is no row's level: its written arithmetic, not the 2023 cell of the first row, judges it
    pytest.param("2023年规范渠道回收的规模为28.3万吨，减去梯次利用6.2万吨、再生利用21.7万吨，余0.4万吨（= 28.3 − 6.2 − 21.7）。", "derived",
                 id="remainder-holds"),
    pytest.param("2023年规范渠道回收的规模为28.3万吨，减去梯次利用6.2万吨、再生利用21.7万吨，余0.6万吨（= 28.3 − 6.2 − 21.7）。", "contradicted",
                 id="wrong-remainder-is-not-derived"),
])
def test_written_arithmetic_judges_a_computed_amount(report2024_doc: Document, text: str, status: str) -> None:
    facts = check_text(text, [report2024_doc])
    last = facts[-1]
    assert last.status == status, [(f.text, f.status) for f in facts]


def test_written_arithmetic_does_not_override_a_printed_rate(report_doc: Document) -> None:
    # 33/6−1 = 450% is written out, but 表4 prints 455.5% for that very rate: the print still decides
    fact = _only(check_text("2022年共享住宿融资额同比增长450%（= 33 ÷ 6 − 1）", [report_doc]))
    assert fact.status == "contradicted" and fact.source["cell"] == "表4/共享住宿/2022年同比增速"
