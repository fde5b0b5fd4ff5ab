"""Structure of the real report recovered from its PDF text: contents, headings, pages, paragraphs, footnotes, figures."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from indexer.lines import content_lines
from indexer.paragraphs import build_paragraphs
from indexer.patterns import squash
from indexer.structure import parse_document
from reportqa.records import Document, Paragraph


def _para(doc: Document, needle: str) -> Paragraph:
    found = [p for p in doc.paragraphs if needle in p.text]
    assert len(found) == 1, f"{needle!r} in {len(found)} paragraphs"
    return found[0]


# --------------------------------------------------------------------------- document and contents


def test_title_and_doc_id_come_from_the_title_line_and_file_stem(report_doc: Document) -> None:
    assert report_doc.title == "中国共享经济发展报告（2023）"
    assert report_doc.doc_id == "china-sharing-economy-report-2023"


def test_contents_lists_25_sections_5_figures_4_tables(report_doc: Document) -> None:
    kinds = [e.kind for e in report_doc.toc]
    assert (kinds.count("section"), kinds.count("figure"), kinds.count("table")) == (25, 5, 4)
    assert all(report_doc.text[e.span[0] : e.span[1]].startswith(e.title[:4]) for e in report_doc.toc)


@pytest.mark.parametrize(
    ("title", "page", "level"),
    [
        pytest.param("一、共享经济市场规模持续扩大", 2, 1, id="chapter-1"),
        pytest.param("（四）共享经济领域直接融资大幅下降", 13, 2, id="subsection-1.4"),
        pytest.param("（一）治理制度体系持续完善", 23, 2, id="subsection-3.1-contents-wording"),
        pytest.param("附：企业案例", 38, 1, id="appendix"),
        pytest.param("积极履行社会责任，构建新型餐饮外卖生态——美团外卖的实践探索", 38, 1, id="case1-wrapped-entry"),
        pytest.param("以数字技术赋能助力新业态劳动者权益保障体系建设——好活科技的实践探索", 47, 1, id="case3-wrapped-entry"),
        pytest.param("致谢", 50, 1, id="acknowledgements"),
        pytest.param("图 5 2017-2021年共享住宿收入占全国住宿业客房收入的比重", 9, 0, id="figure-5"),
        pytest.param("表 4 2020-2022年共享经济主要领域直接融资规模", 14, 0, id="table-4"),
    ],
)
def test_contents_entry_is_parsed_with_dot_leaders_removed(report_doc: Document, title: str, page: int, level: int) -> None:
    entry = next(e for e in report_doc.toc if e.title == title)
    assert (entry.page, entry.level) == (page, level)
    assert "..." not in entry.title


# --------------------------------------------------------------------------- heading tree

TOP_LEVEL = [
    ("s1", "共享经济市场规模持续扩大"),
    ("s1.1", "共享经济市场交易规模同比增长 3.9%"),
    ("s1.2", "共享型服务和消费成为稳增长的重要力量"),
    ("s1.3", "共享经济在稳岗稳就业中发挥积极作用"),
    ("s1.4", "共享经济领域直接融资大幅下降"),
    ("s2", "共享经济主要领域亮点凸显"),
    ("s2.1", "共享出行领域新一轮竞争聚焦合规运力"),
    ("s2.2", "本地生活服务市场竞争更加激烈"),
    ("s2.3", "制造业共享经济发展步伐加快"),
    ("s2.4", "共享经济助力绿色低碳发展"),
    ("s3", "共享经济治理创新护航规范发展"),
    ("s3.1", "治理规则和制度规范持续完善"),
    ("s3.2", "制度实施取得新成效"),
    ("s3.3", "重点领域治理创新持续推进"),
    ("s4", "共享经济发展趋势展望"),
    ("s4.1", "共享经济发展的宏观经济环境喜忧参半"),
    ("s4.2", "共享经济发展的政策环境更加优化"),
    ("s4.3", "共享经济成为拼经济扩内需的重要抓手"),
    ("s4.4", "元宇宙为代表的技术创新带来新机遇"),
    ("s4.5", "共享经济平台治理呈现新趋势"),
]

APPENDIX = [
    ("appendix", "appendix", "附：企业案例", None),
    ("appendix/case1", "case", "积极履行社会责任，构建新型餐饮外卖生态——美团外卖的实践探索", "appendix"),
    ("appendix/case1/s1", "case_chapter", "繁盛计划：努力培育共生共荣的商户平台发展生态", "appendix/case1"),
    ("appendix/case1/s2", "case_chapter", "同舟计划：率先推动建立良性的骑手平台发展生态", "appendix/case1"),
    ("appendix/case1/s3", "case_chapter", "青山计划：系统倡导和推动外卖行业的绿色发展", "appendix/case1"),
    ("appendix/case2", "case", "以创新升级服务助力人民更充分就业——“云账户”平台的实践探索", "appendix"),
    ("appendix/case2/s1", "case_chapter", "创新业务实践，服务最广大人民充分就业", "appendix/case2"),
    ("appendix/case2/s1.1", "case_subsection", "技术创新先行，打牢服务基础", "appendix/case2/s1"),
    ("appendix/case2/s1.2", "case_subsection", "区分所得性质，明确研判标准", "appendix/case2/s1"),
    ("appendix/case2/s1.3", "case_subsection", "拓展服务模式，提升服务能力", "appendix/case2/s1"),
    ("appendix/case2/s2", "case_chapter", "参与行业法治建设，保障人民劳动权益", "appendix/case2"),
    ("appendix/case3", "case", "以数字技术赋能助力新业态劳动者权益保障体系建设——好活科技的实践探索", "appendix"),
    ("appendix/case3/s1", "case_chapter", "“数字技术+政企协同+行业研究”，赋能新业态协同治理", "appendix/case3"),
    ("appendix/case3/s2", "case_chapter", "“平台经济+合规方案”，赋能产业集群健康发展", "appendix/case3"),
    ("appendix/case3/s3", "case_chapter", "“多元服务+试点创新”，赋能新业态劳动者权益保障", "appendix/case3"),
]


def test_section_ids_in_reading_order(report_doc: Document) -> None:
    expected = ["preface"] + [i for i, _ in TOP_LEVEL] + [i for i, *_ in APPENDIX]
    assert [s.id for s in report_doc.sections] == expected


@pytest.mark.parametrize(("sid", "title"), [pytest.param(i, t, id=i) for i, t in TOP_LEVEL])
def test_report_chapters_and_subsections_have_body_titles(report_doc: Document, sid: str, title: str) -> None:
    s = report_doc.section(sid)
    assert s is not None and s.title == title
    if "." in sid:
        assert (s.kind, s.level, s.parent) == ("subsection", 2, sid.split(".")[0])
        assert s.heading == s.number + title and re.fullmatch(r"（[一二三四五]）", s.number)
    else:
        assert (s.kind, s.level, s.parent) == ("chapter", 1, None)
        assert s.heading == f"{s.number}、{title}"
    assert report_doc.text[s.span[0] : s.span[1]] == s.heading


@pytest.mark.parametrize(("sid", "kind", "title", "parent"), [pytest.param(*row, id=row[0]) for row in APPENDIX])
def test_appendix_cases_keep_their_own_numbering_below_the_appendix(
    report_doc: Document, sid: str, kind: str, title: str, parent: str | None
) -> None:
    s = report_doc.section(sid)
    assert s is not None
    assert (s.kind, s.title, s.parent) == (kind, title, parent)
    levels = {"appendix": 1, "case": 2, "case_chapter": 3, "case_subsection": 4}
    assert s.level == levels[kind]
    assert s.path[0] == "附：企业案例" and len(s.path) == levels[kind]


def test_case_numbering_is_never_taken_for_the_report_top_level(report_doc: Document) -> None:
    chapters = [s.id for s in report_doc.sections if s.kind == "chapter"]
    assert chapters == ["s1", "s2", "s3", "s4"]
    appendix_start = report_doc.section("appendix").span[0]  # type: ignore[union-attr]
    assert all(s.span[0] < appendix_start for s in report_doc.sections if s.kind in ("chapter", "subsection"))


def test_run_on_case_subsection_heading_ends_at_the_first_full_stop(report_doc: Document) -> None:
    s = report_doc.section("appendix/case2/s1.1")
    assert s is not None
    assert s.heading == "（一）技术创新先行，打牢服务基础。"
    first = next(p for p in report_doc.paragraphs if p.section_id == "appendix/case2/s1.1")
    assert first.text.startswith("针对灵活就业服务应用场景，云账户自主研发")


def test_running_text_starting_with_yishi_is_not_a_heading(report_doc: Document) -> None:
    assert not any(s.heading.startswith(("一是", "二是", "三是")) for s in report_doc.sections)
    p = _para(report_doc, "一是数据治理。过去五年")
    assert p.section_id == "s3.1" and p.text.startswith("一是数据治理。")


def test_preface_covers_the_text_before_the_first_chapter(report_doc: Document) -> None:
    pre = report_doc.section("preface")
    assert pre is not None and pre.kind == "preface" and pre.title == report_doc.title
    assert pre.body_span[1] == report_doc.section("s1").span[0]  # type: ignore[union-attr]
    assert _para(report_doc, "本报告是国家信息中心推出的第八份").section_id == "preface"


def test_body_spans_nest_chapter_over_its_subsections(report_doc: Document) -> None:
    s2, s24, s3 = (report_doc.section(i) for i in ("s2", "s2.4", "s3"))
    assert s2 and s24 and s3
    assert s2.body_span[0] <= s24.body_span[0] and s24.body_span[1] == s2.body_span[1] == s3.span[0]


# --------------------------------------------------------------------------- contents ↔ body, pages


@pytest.mark.parametrize(
    ("sid", "page"),
    [
        pytest.param("s1", 2, id="s1"),
        pytest.param("s1.2", 5, id="s1.2"),
        pytest.param("s2.3", 19, id="s2.3-after-page-19-line"),
        pytest.param("s3.1", 23, id="s3.1-title-differs"),
        pytest.param("s4.5", 36, id="s4.5"),
        pytest.param("appendix", 38, id="appendix"),
        pytest.param("appendix/case2", 43, id="case2"),
        pytest.param("appendix/case3", 47, id="case3"),
    ],
)
def test_heading_page_comes_from_its_contents_entry(report_doc: Document, sid: str, page: int) -> None:
    s = report_doc.section(sid)
    assert s is not None and s.page == page and s.toc_page == page


def test_subsection_3_1_title_mismatch_is_recorded(report_doc: Document) -> None:
    s = report_doc.section("s3.1")
    assert s is not None
    assert s.title_mismatch and s.toc_title == "治理制度体系持续完善" and s.title == "治理规则和制度规范持续完善"
    assert sum(x.title_mismatch for x in report_doc.sections) == 1
    assert any("治理制度体系持续完善" in w and "s3.1" in w for w in report_doc.warnings)


def test_contents_entry_missing_from_body_is_a_warning(report_doc: Document) -> None:
    assert report_doc.section("ack") is None
    assert any("致谢" in w and "no such heading" in w for w in report_doc.warnings)


def test_lone_page_number_lines_are_page_breaks(report_doc: Document) -> None:
    assert [p for _, p in report_doc.page_breaks] == [1, 6, 19]
    for off, page in report_doc.page_breaks:
        assert report_doc.text[off : off + len(str(page))] == str(page)


@pytest.mark.parametrize(
    ("needle", "joined"),
    [
        pytest.param("占比较上年提高 6.4个百分点", "占比较上年提高 6.4个百分点。实践层面看", id="across-page-6"),
        pytest.param("美团平台累计向 7万商户", "美团平台累计向 7万商户提供外卖管家服务", id="across-page-19"),
    ],
)
def test_page_number_lines_are_removed_from_paragraph_text(report_doc: Document, needle: str, joined: str) -> None:
    assert joined in _para(report_doc, needle).text


def test_pages_never_decrease_and_every_paragraph_has_one(report_doc: Document) -> None:
    pages = [(p.page, p.page_end) for p in report_doc.paragraphs]
    assert all(a is not None and b is not None and a <= b for a, b in pages)
    starts = [a or 0 for a, _ in pages]
    assert starts == sorted(starts)
    assert starts[0] == 1 and starts[-1] == 47


def test_paragraph_pages_lie_between_the_surrounding_headings(report_doc: Document) -> None:
    p = _para(report_doc, "有数据显示")
    assert p.section_id == "s1.3" and 10 <= p.page <= p.page_end <= 13  # type: ignore[operator]
    fig3 = next(f for f in report_doc.figures if f.id == "图3")
    assert _para(report_doc, "从发展态势看").page_end == fig3.page == 6


# --------------------------------------------------------------------------- paragraphs


def test_known_paragraph_is_rejoined_exactly(report_doc: Document) -> None:
    p = _para(report_doc, "本报告是国家信息中心推出的第八份")
    assert p.text == (
        "本报告是国家信息中心推出的第八份共享经济年度报告，对 2022 年我国共享经济发展的最新态势及未来趋势"
        "进行了全面分析，以期为政府决策、产业发展和公众参与提供参考借鉴。"
    )
    assert p.page == 1 and p.footnote_refs == []


def test_every_segment_maps_text_back_to_identical_source(report_doc: Document) -> None:
    for p in report_doc.paragraphs:
        pos = 0
        for t, s, n in p.segments:
            assert p.text[t : t + n] == report_doc.text[s : s + n]
            assert t == pos or (t == pos + 1 and p.text[pos] == " "), "only a joining space has no source"
            pos = t + n
        assert pos == len(p.text)
        assert p.span == (p.segments[0][1], p.segments[-1][1] + p.segments[-1][2])


def test_source_span_of_a_sentence_across_wraps_points_at_the_same_words(report_doc: Document) -> None:
    p = _para(report_doc, "不同领域共享经济发展的不平衡性凸显")
    sentence = "生活服务和共享医疗两个领域市场规模同比分别增长 8.4%和 8.2%"
    i = p.text.index(sentence)
    a, b = p.source_span(i, i + len(sentence))
    assert "\n" in report_doc.text[a:b]
    assert squash(report_doc.text[a:b]) == squash(sentence)


def test_no_paragraph_carries_tables_captions_sources_or_footnote_bodies(report_doc: Document) -> None:
    text = "\n".join(p.text for p in report_doc.paragraphs)
    for junk in ("交通出行 2344 2012", "数据来源", "注：①", "图 1 2022年", "表 1 2021", "2022年度共享经济年度报告中", "生态环境部环境发展中心"):
        assert junk not in text
    assert "中国共享经济发展报告（2023）" not in text


LEAD_SPACE_CONTINUES = "稳就业方面发挥了积极作用，共享经济主要领域亮点凸显，平台治理制度建设和执法实施取得新成效"


@pytest.mark.parametrize(
    ("starts", "new_paragraph"),
    [
        pytest.param("二是虚与实的交互。", True, id="indented-line-after-full-stop-starts"),
        pytest.param("但也要认识到宏观经济环境面临的较大压力", True, id="indented-line-after-percent-starts"),
        pytest.param("在生活服务领域，2022年在线外卖收入", True, id="leading-space-and-indent-starts"),
        pytest.param("共享经济强调所有权与使用权的相对分离", False, id="full-width-line-after-full-stop-continues"),
        pytest.param("美团平台通过强大的同城物流网络", False, id="full-width-after-full-stop-continues"),
        pytest.param("COSMOPlat”平台已链接企业", False, id="line-short-only-by-a-latin-word-continues"),
    ],
)
def test_paragraph_boundary_is_the_first_line_indent(report_doc: Document, starts: str, new_paragraph: bool) -> None:
    p = _para(report_doc, starts)
    assert p.text.startswith(starts) is new_paragraph


def test_leading_space_at_a_wrap_is_not_a_paragraph_start(report_doc: Document) -> None:
    assert LEAD_SPACE_CONTINUES in _para(report_doc, "2022年是党的二十大胜利召开之年").text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙。\n\n甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙丁\n\n结束。\n",
            ["甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙。甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙丁结束。"],
            id="full-lines-join",
        ),
        pytest.param(
            "甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙丁\n\n结束。\n\n甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙\n\n甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙丁\n\n再见。\n",
            ["甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙丁结束。", "甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙丁再见。"],
            id="short-last-line-ends",
        ),
        pytest.param("the cash flow of\nthe platform grew 5%.\n", ["the cash flow of the platform grew 5%."], id="latin-words-keep-one-space"),
    ],
)
def test_build_paragraphs_on_small_texts(source: str, expected: list[str]) -> None:
    drafts = build_paragraphs(content_lines(source), {})
    assert [d.text for d in drafts] == expected


# --------------------------------------------------------------------------- footnotes

FOOTNOTES = [
    (1, "6.4个百分点", "网约车客运量占比为初步估算数据", "占比较上年提高 6.4个百分点。"),
    (2, "下降 0.6个百分点", "共享住宿收入占全国住宿业客房收入的比重为初步估算数据", "下降 0.6个百分点，但降幅"),
    (3, "有数据显示", "网络（表演）直播行业发展报告", "有数据显示，2021年中国网络表演"),
    (4, "213.70千克", "共享骑行全生命周期减污降碳报告", "而单车为 213.70千克。"),
    (5, "公交车的80%", "2021 共享电单车绿色发展价值报告", "公交车的80%。"),
    (6, "停驶 14天的碳减排量", "在线会议助力碳减排量化研究报告", "2.29亿私家车停驶 14天的碳减排量；"),
    (7, "一年产生的碳汇量", "在线文档产品碳减排绩效研究报告", "6万亩森林一年产生的碳汇量。"),
]


def test_footnotes_1_to_7_are_found_in_order(report_doc: Document) -> None:
    assert [f.number for f in report_doc.footnotes] == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize(("number", "anchor", "body", "kept"), [pytest.param(*f, id=f"footnote-{f[0]}") for f in FOOTNOTES])
def test_footnote_body_is_split_out_and_linked_to_its_marker(
    report_doc: Document, number: int, anchor: str, body: str, kept: str
) -> None:
    fn = next(f for f in report_doc.footnotes if f.number == number)
    assert body in fn.text and not fn.text.startswith(f"{number} ")
    assert squash(report_doc.text[fn.span[0] : fn.span[1]]) == squash(fn.text)
    assert fn.marker_offset is not None and report_doc.text[fn.marker_offset] == str(number)
    para = next(p for p in report_doc.paragraphs if p.id == fn.paragraph_id)
    assert number in para.footnote_refs
    assert kept in para.text, "the marker digit is removed, the real number next to it is kept"
    assert body not in para.text
    assert para.page <= fn.page <= para.page_end  # type: ignore[operator]


def test_footnote_3_marker_follows_you_shuju_xianshi(report_doc: Document) -> None:
    fn = next(f for f in report_doc.footnotes if f.number == 3)
    assert report_doc.text[fn.marker_offset - 5 : fn.marker_offset + 2] == "有数据显示3，"  # type: ignore[operator]
    assert "网络（表演）直播" in fn.text and fn.text.endswith("t20220908_935869.html。")


# --------------------------------------------------------------------------- figures and tables


def test_figures_1_to_5_with_body_and_contents_captions(report_doc: Document) -> None:
    figs = report_doc.figures
    assert [f.id for f in figs] == ["图1", "图2", "图3", "图4", "图5"]
    assert [f.section_id for f in figs] == ["s1.1", "s1.1", "s1.2", "s1.2", "s1.2"]
    assert all(not f.has_data for f in figs)
    assert [f.toc_page for f in figs] == [3, 3, 6, 7, 9]


def test_figure5_keeps_both_year_ranges_and_warns(report_doc: Document) -> None:
    fig5 = next(f for f in report_doc.figures if f.id == "图5")
    assert fig5.caption == "2018-2022年共享住宿收入占全国住宿业客房收入的比重"
    assert fig5.toc_caption == "2017-2021年共享住宿收入占全国住宿业客房收入的比重"
    assert report_doc.text[fig5.span[0] : fig5.span[1]] == "图 5 " + fig5.caption
    assert any("图5" in w and "2017-2021" in w for w in report_doc.warnings)
    assert 7 <= fig5.page <= 8, "表2 (p.7) follows 图5, so the contents' p.9 cannot hold"  # type: ignore[operator]


@pytest.mark.parametrize(
    ("table_id", "section_id", "page"),
    [
        pytest.param("表1", "s1.1", 2, id="table-1"),
        pytest.param("表2", "s1.2", 7, id="table-2"),
        pytest.param("表3", "s1.2", 8, id="table-3"),
        pytest.param("表4", "s1.4", 14, id="table-4"),
    ],
)
def test_tables_get_section_and_page(report_doc: Document, table_id: str, section_id: str, page: int) -> None:
    t = report_doc.table(table_id)
    assert t is not None
    assert (t.section_id, t.page, t.toc_page) == (section_id, page, page)
    assert t.section_path[-1] == report_doc.section(section_id).heading  # type: ignore[union-attr]
    assert t.toc_caption == t.caption


def test_parse_document_is_fast(report_path: Path) -> None:
    start = time.perf_counter()
    parse_document(report_path)
    assert time.perf_counter() - start < 1.0


def test_page_map_of_a_parsed_document_agrees_with_its_paragraph_pages(report_doc: Document) -> None:
    from indexer.pages import page_map

    pages = page_map(report_doc)
    assert all(pages.page(p.span[0]) == p.page for p in report_doc.paragraphs)
    assert pages.page(report_doc.section("s2.3").span[0]) == 19  # type: ignore[union-attr]
