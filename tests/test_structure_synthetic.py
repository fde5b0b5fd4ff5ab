"""The same parser on a second, small report written for the tests: other headings, other numbers, same PDF-text style."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from indexer.patterns import squash
from reportqa.records import Document


def test_synthetic_sections_match_the_expected_tree(synthetic_doc: Document, synthetic_expected: dict[str, Any]) -> None:
    assert synthetic_doc.title == synthetic_expected["title"]
    assert synthetic_doc.doc_id == synthetic_expected["doc_id"]
    assert [s.id for s in synthetic_doc.sections] == [e["id"] for e in synthetic_expected["sections"]]


@pytest.mark.parametrize("index", range(16))
def test_synthetic_section_fields(synthetic_doc: Document, synthetic_expected: dict[str, Any], index: int) -> None:
    exp = synthetic_expected["sections"][index]
    s = synthetic_doc.section(exp["id"])
    assert s is not None
    for key in ("kind", "number", "title", "page", "toc_title", "title_mismatch", "toc_page"):
        if key in exp:
            assert getattr(s, key) == exp[key], key


def test_synthetic_case_numbering_restarts_inside_the_appendix(synthetic_doc: Document) -> None:
    assert [s.id for s in synthetic_doc.sections if s.kind == "chapter"] == ["s1", "s2", "s3"]
    case_ch = synthetic_doc.section("appendix/case1/s1")
    assert case_ch is not None and case_ch.level == 3 and case_ch.path[:2] == ["附：企业案例", "智慧导览服务助力景区提质增效——云游科技的实践探索"]
    first = next(p for p in synthetic_doc.paragraphs if p.section_id == "appendix/case1/s1.1")
    assert first.text.startswith("云游科技自主研发全域智能导览平台")


def test_synthetic_yishi_paragraphs_are_paragraphs_not_headings(synthetic_doc: Document) -> None:
    starts = [p.text[:3] for p in synthetic_doc.paragraphs if p.section_id == "s2.1"]
    assert starts == ["截至 ", "一是智", "二是景"]


def test_synthetic_page_breaks_and_contents_page_conflict(synthetic_doc: Document, synthetic_expected: dict[str, Any]) -> None:
    assert [p for _, p in synthetic_doc.page_breaks] == synthetic_expected["page_breaks"]
    s3 = synthetic_doc.section("s3")
    assert s3 is not None and (s3.toc_page, s3.page) == (6, 7)
    assert any("三、数字文旅发展展望" in w and "p.6" in w and "p.7" in w for w in synthetic_doc.warnings)
    assert any("沉浸式体验项目快速增长" in w for w in synthetic_doc.warnings)


@pytest.mark.parametrize("number", [pytest.param(1, id="inline-number"), pytest.param(2, id="lone-number-line")])
def test_synthetic_footnotes_are_split_out_and_linked(synthetic_doc: Document, synthetic_expected: dict[str, Any], number: int) -> None:
    exp = next(f for f in synthetic_expected["footnotes"] if f["number"] == number)
    fn = next(f for f in synthetic_doc.footnotes if f.number == number)
    assert exp["text_contains"] in fn.text
    text = synthetic_doc.text
    assert squash(text[fn.marker_offset - 30 : fn.marker_offset]).endswith(squash(exp["marker_after"]))  # type: ignore[operator]
    assert text[fn.marker_offset] == str(number)  # type: ignore[index]
    para = next(p for p in synthetic_doc.paragraphs if p.id == fn.paragraph_id)
    assert para.section_id == exp["section_id"] and para.footnote_refs == [number]
    assert squash(exp["marker_after"]) + "，" in squash(para.text)
    assert exp["text_contains"] not in para.text


def test_synthetic_paragraph_rejoined_across_a_footnote_and_a_page_break(synthetic_doc: Document) -> None:
    p = next(p for p in synthetic_doc.paragraphs if p.text.startswith("与此同时"))
    assert "沉浸式项目正从单一展陈向“演艺+餐饮+零售”的综合业态转变" in p.text
    assert "游客人均停留时间增加约 1.6小时，对夜间消费的带动作用更加明显。" in p.text
    assert (p.page, p.page_end) == (6, 7)


def test_synthetic_figure_and_tables_are_placed(synthetic_doc: Document, synthetic_expected: dict[str, Any]) -> None:
    (fig,) = synthetic_doc.figures
    exp_fig = synthetic_expected["figures"][0]
    assert (fig.id, fig.caption, fig.toc_caption, fig.toc_page, fig.section_id) == (
        exp_fig["id"], exp_fig["caption"], exp_fig["toc_caption"], exp_fig["toc_page"], exp_fig["section_id"]
    )
    for exp in synthetic_expected["tables"]:
        t = synthetic_doc.table(exp["id"])
        assert t is not None and (t.caption, t.section_id, t.toc_page, t.page) == (exp["caption"], exp["section_id"], exp["toc_page"], exp["toc_page"])


def test_synthetic_planted_text_figures_survive_paragraph_joining(synthetic_doc: Document, synthetic_expected: dict[str, Any]) -> None:
    text = "\n".join(p.text for p in synthetic_doc.paragraphs)
    for item in synthetic_expected["planted_inconsistencies"]:
        for quote in [item.get("text_quote"), *item.get("quotes", [])]:
            if quote:
                assert squash(quote) in squash(text), quote
    assert "在线演出 8.1 9.2" not in text and "数据来源" not in text


MINI = """示例城市养老服务发展报告（2024）

一、养老服务供给持续扩大

（一）机构床位稳步增加

截至 2023年底，全市养老机构床位达到 2.4万张，较上年增加 1800张，护理型床位占比

提高到 61%。

2

二、社区养老服务加快发展

社区嵌入式养老服务站点覆盖全部街道，全年服务老年人 86万人次。

附：典型案例

颐康科技智慧养老平台的实践探索

一、搭建统一平台

平台接入全市 312家养老服务机构。

致谢

感谢各有关部门对本报告的支持。
"""


def test_report_without_contents_still_gets_headings_paragraphs_and_acknowledgements(tmp_path: Path) -> None:
    from indexer.structure import parse_document

    path = tmp_path / "mini.txt"
    path.write_text(MINI, encoding="utf-8")
    doc = parse_document(path)
    assert doc.toc == [] and doc.title == "示例城市养老服务发展报告（2024）"
    assert [(s.id, s.kind) for s in doc.sections] == [
        ("s1", "chapter"), ("s1.1", "subsection"), ("s2", "chapter"), ("appendix", "appendix"),
        ("appendix/case1", "case"), ("appendix/case1/s1", "case_chapter"), ("ack", "acknowledgements"),
    ]
    assert doc.page_breaks and doc.page_breaks[0][1] == 2
    first = next(p for p in doc.paragraphs if p.section_id == "s1.1")
    assert first.text.endswith("护理型床位占比提高到 61%。")
    assert next(p for p in doc.paragraphs if p.section_id == "ack").text == "感谢各有关部门对本报告的支持。"
    assert all(s.toc_page is None for s in doc.sections)
