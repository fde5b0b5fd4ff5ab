"""The corpus audit finds the report's internal inconsistencies, each with every location quoted."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from reportqa.query.audit.audit import audit_documents
from reportqa.records import Document, Finding, Location

SEVERITY = {"error": 0, "warning": 1, "info": 2}


def _sq(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _quotes(finding: Finding) -> str:
    return "\n".join(_sq(loc.quote) for loc in finding.locations)


def _find(findings: list[Finding], kind: str, *fragments: str) -> Finding:
    hits = [f for f in findings if f.kind == kind and all(_sq(x) in _quotes(f) for x in fragments)]
    assert hits, f"no {kind} finding quoting {fragments}: " + "; ".join(f.summary for f in findings)
    return hits[0]


def _in_order(quote: str, source: str) -> bool:
    """Every character of the quote appears in the source stretch, in order (wraps and page lines may interleave)."""
    it = iter(_sq(source))
    return all(ch in it for ch in _sq(quote))


@pytest.fixture(scope="module")
def real_findings(report_doc: Document) -> list[Finding]:
    return audit_documents([report_doc])


@pytest.fixture(scope="module")
def synthetic_findings(synthetic_doc: Document) -> list[Finding]:
    return audit_documents([synthetic_doc])


# --------------------------------------------------------------------------- the real report


@pytest.mark.parametrize(
    ("kind", "fragments"),
    [
        pytest.param("implausible_magnitude", ("国内旅游收入（旅游总消费）2.04亿元", "国内旅游总人次25.3亿"), id="revenue-per-visit-under-1-yuan"),
        pytest.param("table_arithmetic", ("知识技能 467 253 ＜1 -98.0%",), id="table4-growth-mismatch"),
        pytest.param("restated_fact", ("美团平台累计向 7万商户", "美团累计向 3 万商户"), id="meituan-merchants-restated"),
        pytest.param("contents_vs_body", ("（一）治理制度体系持续完善", "（一）治理规则和制度规范持续完善"), id="contents-title"),
        pytest.param("contents_vs_body", ("致谢",), id="contents-entry-without-body-heading"),
        pytest.param("contents_vs_body", ("2017-2021年共享住宿收入", "2018-2022年共享住宿收入"), id="figure-caption-years"),
        pytest.param("text_vs_table", ("共享空间、共享住宿、交通出行", "共享办公 212 132 -37.7%"), id="naming-shared-space-vs-office"),
    ],
)
def test_real_report_inconsistencies_are_found_with_both_quotes(real_findings: list[Finding], kind: str, fragments: tuple[str, ...]) -> None:
    finding = _find(real_findings, kind, *fragments)
    assert len(finding.locations) >= 2
    assert finding.summary


def test_restated_meituan_fact_names_both_differing_figures(real_findings: list[Finding]) -> None:
    finding = _find(real_findings, "restated_fact", "7万商户", "3 万商户")
    assert "7万 vs 3 万" in finding.summary and "30% vs 50%" in finding.summary
    assert finding.severity == "error"
    assert len({loc.section for loc in finding.locations}) == 2


def test_implausible_revenue_explains_the_per_unit_reasoning(real_findings: list[Finding]) -> None:
    finding = _find(real_findings, "implausible_magnitude", "2.04亿元")
    assert "per unit" in finding.summary and "806元" in finding.summary


def test_page_anomaly_of_figure5_is_reported(real_findings: list[Finding]) -> None:
    hits = [f for f in real_findings if f.kind == "contents_vs_body" and "p9" in f.summary and "图5" in f.summary]
    assert hits and "backwards" in hits[0].summary


def test_agreeing_text_and_table_figures_are_not_reported(real_findings: list[Finding]) -> None:
    assert not [f for f in real_findings if f.kind == "text_vs_table" and f.severity == "error"]
    for finding in real_findings:
        assert "38320" not in _quotes(finding), finding.summary
        assert "18548亿元" not in _quotes(finding), finding.summary


def test_real_report_errors_are_exactly_the_known_inconsistencies(real_findings: list[Finding]) -> None:
    errors = sorted(f.kind for f in real_findings if f.severity == "error")
    assert errors == ["implausible_magnitude", "restated_fact", "table_arithmetic"]


def test_findings_are_sorted_by_severity(real_findings: list[Finding]) -> None:
    ranks = [SEVERITY[f.severity] for f in real_findings]
    assert ranks == sorted(ranks)


def test_every_location_quotes_the_source_verbatim(report_doc: Document, real_findings: list[Finding]) -> None:
    for finding in real_findings:
        for loc in finding.locations:
            assert loc.span is not None and loc.doc == report_doc.doc_id
            stretch = report_doc.text[loc.span[0]:loc.span[1]]
            assert _in_order(loc.quote, stretch), (finding.summary, loc.quote, stretch)
            if loc.cell is not None:
                assert loc.quote == stretch.strip()


def test_audit_of_the_real_report_is_fast(report_doc: Document) -> None:
    audit_documents([report_doc])
    start = time.perf_counter()
    audit_documents([report_doc])
    assert time.perf_counter() - start < 3.0


# --------------------------------------------------------------------------- the synthetic report


def _planted_ids(planted: list[dict[str, Any]]) -> list[str]:
    return [f"{i}-{p['kind']}" for i, p in enumerate(planted)]


def _matches(planted: dict[str, Any], finding: Finding, doc: Document) -> bool:
    quotes = _quotes(finding)
    kind = planted["kind"]
    if kind == "text_vs_table":
        return finding.kind == kind and _sq(planted["text_quote"]) in quotes and any(l.cell == planted["cell"] for l in finding.locations)
    if kind == "table_arithmetic":
        cell_ok = any(l.cell == planted["cell"] for l in finding.locations)
        text_ok = "text_quote" not in planted or _sq(planted["text_quote"]) in quotes
        return finding.kind == kind and finding.severity == "error" and cell_ok and text_ok
    if kind == "restated_fact":
        sections = {doc.section(sid).heading for sid in planted["section_ids"]}  # type: ignore[union-attr]
        located = {loc.section.split(" > ")[-1] for loc in finding.locations if loc.section}
        return finding.kind == kind and all(_sq(q) in quotes for q in planted["quotes"]) and sections <= located
    if kind == "contents_vs_body":
        section = doc.section(planted["section_id"])
        assert section is not None
        if "toc_title" in planted:
            return finding.kind == kind and _sq(planted["toc_title"]) in quotes and _sq(planted["body_title"]) in quotes
        return (finding.kind == kind and _sq(section.heading) in quotes
                and f"p{planted['toc_page']}" in finding.summary and str(planted["body_page"]) in finding.summary)
    raise AssertionError(f"unknown planted kind {kind}")


def test_every_planted_inconsistency_is_found(synthetic_doc: Document, synthetic_findings: list[Finding],
                                              synthetic_expected: dict[str, Any]) -> None:
    planted = synthetic_expected["planted_inconsistencies"]
    missing = [pid for pid, p in zip(_planted_ids(planted), planted)
               if not any(_matches(p, f, synthetic_doc) for f in synthetic_findings)]
    assert not missing, [f.summary for f in synthetic_findings]


def test_no_error_beyond_the_planted_ones(synthetic_doc: Document, synthetic_findings: list[Finding],
                                          synthetic_expected: dict[str, Any]) -> None:
    planted = synthetic_expected["planted_inconsistencies"]
    for finding in synthetic_findings:
        if finding.severity == "error":
            assert any(_matches(p, finding, synthetic_doc) for p in planted), finding.summary


def test_text_vs_table_finding_quotes_the_sentence_and_the_row(synthetic_findings: list[Finding]) -> None:
    finding = _find(synthetic_findings, "text_vs_table", "在线演出领域消费规模为 9.6亿元")
    text, cell = finding.locations
    assert cell.cell == "表1/在线演出/2023年" and cell.quote == "在线演出 8.1 9.2 13.6%"
    assert "9.6亿元" in finding.summary and "9.2亿元" in finding.summary
    assert isinstance(text, Location) and text.page is not None


def test_restated_fact_also_points_at_the_agreeing_cell(synthetic_findings: list[Finding]) -> None:
    finding = _find(synthetic_findings, "restated_fact", "186.5亿元", "185.6亿元")
    assert any(loc.cell == "表1/总计/2023年" for loc in finding.locations)


def test_consistent_restatements_are_not_reported(synthetic_findings: list[Finding]) -> None:
    for finding in synthetic_findings:
        assert "数字博物馆领域增速最快" not in _quotes(finding)
        assert "沉浸式体验项目投资额达到 14亿元" not in finding.summary


# --------------------------------------------------------------------------- a third report, planted for the audit


@pytest.fixture(scope="module")
def planted_findings() -> list[Finding]:
    from indexer.structure import parse_document
    from reportqa.settings import PROJECT_ROOT

    return audit_documents([parse_document(PROJECT_ROOT / "tests" / "data" / "audit-planted.txt")])


@pytest.mark.parametrize(
    ("kind", "severity", "fragments"),
    [
        pytest.param("implausible_magnitude", "error", ("120亿元、85万元和 18亿元", "共享单车 25 27 8.0%"), id="wan-for-yi-against-the-table"),
        pytest.param("implausible_magnitude", "error", ("平台交易额 1.26亿元", "全市网约出行订单量 4.2亿单"), id="under-1-yuan-per-order"),
        pytest.param("restated_fact", "error", ("汽车租赁领域交易额为 21亿元", "汽车租赁 15 18 20.0%"), id="text-contradicts-table-and-text"),
        pytest.param("restated_fact", "error", ("累计服务用户 1200万人", "累计服务用户 1500万人"), id="same-company-two-user-counts"),
        pytest.param("text_vs_table", "warning", ("网约出行、两轮共享和汽车租赁", "共享单车 25 27 8.0%"), id="unknown-name-for-a-row"),
        pytest.param("contents_vs_body", "warning", ("（二）各业态发展态势分化 .....",), id="page-line-after-heading"),
        pytest.param("contents_vs_body", "warning", ("数字化赋能网约出行——滨行科技的实践探索",), id="body-heading-not-in-contents"),
    ],
)
def test_planted_report_inconsistencies_are_found(planted_findings: list[Finding], kind: str, severity: str,
                                                  fragments: tuple[str, ...]) -> None:
    assert _find(planted_findings, kind, *fragments).severity == severity


@pytest.mark.parametrize(
    "fragment",
    [
        pytest.param("同比增长 12%", id="different-quarters-are-different-facts"),
        pytest.param("海通出行", id="different-companies-are-different-facts"),
        pytest.param("骑行收入 1.2亿元", id="plausible-revenue-per-ride"),
        pytest.param("交易额约为 165亿元", id="total-named-by-the-report-scope"),
    ],
)
def test_planted_report_consistent_statements_are_not_reported(planted_findings: list[Finding], fragment: str) -> None:
    assert not [f.summary for f in planted_findings if _sq(fragment) in _quotes(f)]


def test_planted_report_has_no_other_errors(planted_findings: list[Finding]) -> None:
    assert len([f for f in planted_findings if f.severity == "error"]) == 5
