"""The audit finds the second report's three planted inconsistencies — and nothing else it calls an error —
with the same code that audits the bundled report (its glossary beside it is the only report data)."""

from __future__ import annotations

import pytest

from reportqa.query.audit.audit import audit_documents
from reportqa.records import Document, Finding


@pytest.fixture(scope="module")
def findings(report2024_doc: Document) -> list[Finding]:
    return audit_documents([report2024_doc])


def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def test_growth_rate_that_does_not_follow_from_the_levels(findings: list[Finding]) -> None:
    found = [f for f in findings if f.kind == "table_arithmetic" and "表2/三元锂电池/2023年/同比增速" in f.summary]
    assert len(found) == 1 and found[0].severity == "error" and "30.19%" in found[0].summary


def test_a_company_fact_restated_in_its_case_with_another_figure(findings: list[Finding]) -> None:
    found = [f for f in findings if f.kind == "restated_fact" and "6.3万吨" in f.summary and "5.8万吨" in f.summary]
    assert len(found) == 1
    sections = [loc.section or "" for loc in found[0].locations]
    assert any("再生利用技术水平稳步提高" in s for s in sections) and any("湘澜循环的实践探索" in s for s in sections)


def test_text_figure_that_the_table_contradicts(findings: list[Finding]) -> None:
    found = [f for f in findings if f.kind == "text_vs_table" and "2562个" in f.summary]
    assert len(found) == 1 and "2265个" in found[0].summary and "华中" in found[0].summary


def test_no_other_errors_counts_of_other_things_and_cumulative_figures_are_not_contradictions(findings: list[Finding]) -> None:
    assert len(_errors(findings)) == 3, [f.summary for f in _errors(findings)]
    assert not any(t in f.summary for f in findings for t in ("31个", "326个", "150万吨"))
