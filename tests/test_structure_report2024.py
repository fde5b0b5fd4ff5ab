"""The second bundled report (动力电池回收利用, 2024) parses with the same code: contents, headings, pages,
footnotes in three print styles, four typed tables (a multi-level header, '-' and '＜1' cells, a total row
labelled 全国) and the planted growth-rate mismatch found by validation."""

from __future__ import annotations

import pytest

from reportqa.records import Document, Table


def _table(doc: Document, table_id: str) -> Table:
    return next(t for t in doc.tables if t.id == table_id)


def _cell(table: Table, row: str, column: str):
    r = next(r for r in table.rows if r.label == row)
    return next(c for c in r.cells if c.column == column)


def test_title_doc_id_and_clean_parse(report2024_doc: Document) -> None:
    assert report2024_doc.title == "中国动力电池回收利用发展报告（2024）"
    assert report2024_doc.doc_id == "china-power-battery-recycling-report-2024"
    assert report2024_doc.warnings == []
    assert all(t.warnings == [] for t in report2024_doc.tables)


def test_contents_lists_sections_figures_and_tables(report2024_doc: Document) -> None:
    kinds = [e.kind for e in report2024_doc.toc]
    assert (kinds.count("figure"), kinds.count("table")) == (3, 4)
    assert kinds.count("section") == 23  # 4 chapters, 14 subsections, 附, 3 cases (one wrapped), 致谢
    wrapped = next(e for e in report2024_doc.toc if e.title.startswith("以精细拆解"))
    assert wrapped.title.endswith("实践探索") and wrapped.page == 20


@pytest.mark.parametrize(
    ("section_id", "title", "page"),
    [
        pytest.param("s1", "动力电池退役规模进入快速增长期", 2, id="chapter-1"),
        pytest.param("s1.1", "退役动力电池规模同比增长 42.2%", 2, id="heading-with-a-figure"),
        pytest.param("s1.4", "产业规模与就业结构发生变化", 11, id="subsection-1.4"),
        pytest.param("s4.4", "数字化和低碳化成为竞争新焦点", 19, id="fourth-subsection-of-chapter-4"),
        pytest.param("appendix", "附：企业案例", 20, id="appendix"),
        pytest.param("appendix/case2", "让退役电池“再上岗”——储源能源的梯次利用实践", 22, id="case-2"),
        pytest.param("appendix/case1/s1.2", "布局区域集散中心", 21, id="case-1-subheading"),
        pytest.param("ack", "致谢", 26, id="acknowledgements-after-appendix"),
    ],
)
def test_heading_tree_with_pages(report2024_doc: Document, section_id: str, title: str, page: int) -> None:
    sec = report2024_doc.section(section_id)
    assert sec is not None and sec.title == title and sec.page == page


def test_each_case_restarts_its_own_numbering(report2024_doc: Document) -> None:
    chapters = [s.id for s in report2024_doc.sections if s.kind == "case_chapter"]
    assert {"appendix/case1/s1", "appendix/case2/s1", "appendix/case3/s1", "appendix/case3/s3"} <= set(chapters)


@pytest.mark.parametrize(
    ("number", "page", "start", "end"),
    [
        pytest.param(1, 2, "本报告所称规范渠道回收率", "修订为 44.9%。", id="number-space-text-wrapped"),
        pytest.param(2, 4, "环球能源材料研究所", "2024年 3月。", id="mid-paragraph-at-page-end"),
        pytest.param(3, 7, "回收服务网点数据来源于", "网点统计。", id="number-on-its-own-line"),
        pytest.param(6, 17, "部分地区的财税激励政策", "量化评估。", id="number-glued-to-text"),
        pytest.param(7, 18, "《欧盟电池与废电池法规》", "分阶段实施。", id="marker-after-a-closing-bracket"),
    ],
)
def test_seven_footnotes_in_three_print_styles(report2024_doc: Document, number: int, page: int, start: str, end: str) -> None:
    assert [f.number for f in report2024_doc.footnotes] == list(range(1, 8))
    note = next(f for f in report2024_doc.footnotes if f.number == number)
    assert (note.page, note.text[: len(start)], note.text[-len(end):]) == (page, start, end)


def test_markers_glued_before_a_word_are_taken_out_of_the_running_text(report2024_doc: Document) -> None:
    para = next(p for p in report2024_doc.paragraphs if "规范渠道回收率" in p.text and p.section_id == "s1.1")
    assert "规范渠道回收率达到 48.3%" in para.text and 1 in para.footnote_refs


def test_tables_have_their_pages_and_sections(report2024_doc: Document) -> None:
    placed = [(t.id, t.page, t.section_id) for t in report2024_doc.tables]
    assert placed == [("表1", 3, "s1.1"), ("表2", 6, "s1.1"), ("表3", 8, "s1.2"), ("表4", 11, "s1.4")]


def test_stub_label_and_unit_line_give_a_wan_tonne_table(report2024_doc: Document) -> None:
    t1 = _table(report2024_doc, "表1")
    assert [c.id for c in t1.columns] == ["2021年", "2022年", "2023年", "2023年同比增速"]
    assert {c.unit for c in t1.columns if c.kind == "level"} == {"万吨"}
    assert _cell(t1, "退役动力电池", "2023年").value == 58.6


def test_multi_level_header_pairs_each_year_with_its_measures(report2024_doc: Document) -> None:
    t2 = _table(report2024_doc, "表2")
    cols = [(c.id, c.year, c.kind, c.unit) for c in t2.columns]
    assert cols == [
        ("2021年/退役量（万吨）", 2021, "level", "万吨"),
        ("2022年/退役量（万吨）", 2022, "level", "万吨"),
        ("2022年/同比增速", 2022, "growth", "%"),
        ("2023年/退役量（万吨）", 2023, "level", "万吨"),
        ("2023年/同比增速", 2023, "growth", "%"),
    ]
    assert _cell(t2, "磷酸铁锂电池", "2022年/退役量（万吨）").value == 23.9
    assert [r.label for r in t2.rows if r.is_total] == ["合计"]


def test_planted_growth_rate_mismatch_is_found_and_only_it(report2024_doc: Document) -> None:
    mismatches = [c for t in report2024_doc.tables for c in t.checks if c.status == "mismatch"]
    assert [(c.kind, c.target) for c in mismatches] == [("growth", "表2/三元锂电池/2023年/同比增速")]
    assert mismatches[0].interval is not None and mismatches[0].interval[1] < 31.0


def test_a_total_row_labelled_otherwise_is_recognised_by_its_sums(report2024_doc: Document) -> None:
    t3 = _table(report2024_doc, "表3")
    assert [r.label for r in t3.rows if r.is_total] == ["全国"]
    units = {c.metric: c.unit for c in t3.columns}
    assert units == {"回收服务网点": "个", "规范条件企业": "家", "规范渠道回收量": "万吨", "回收量占比": "%"}
    sums = [c for c in t3.checks if c.kind == "sum"]
    assert sums and all(c.status == "exact" for c in sums)


def test_missing_cell_and_upper_bound_cell_in_a_mixed_unit_table(report2024_doc: Document) -> None:
    t4 = _table(report2024_doc, "表4")
    missing = _cell(t4, "检测评估服务", "2021年")
    bound = _cell(t4, "检测评估服务", "从业人员（万人）/2023年")
    assert (missing.text, missing.value) == ("-", None)
    assert (bound.text, bound.value, bound.bound, bound.unit) == ("＜1", 1.0, "<", "万人")
    assert _cell(t4, "合计", "2022年").unit == "亿元"
    assert t4.notes == ["注：2021年检测评估服务产值未单独统计。"]
