"""Chunking of the real report: sentence-bounded text chunks inside one section, table and row chunks."""

from __future__ import annotations

import re

import pytest

from indexer.chunking import CLOSERS, SENTENCE_END, chunk_document, embedding_text, sparse_text, split_sentences
from reportqa.records import Chunk, Document
from reportqa.settings import ChunkSettings

SETTINGS = ChunkSettings()
DOC_ID = "china-sharing-economy-report-2023"


@pytest.fixture(scope="module")
def chunks(report_doc: Document) -> list[Chunk]:
    return chunk_document(report_doc, SETTINGS)


def text_chunks(chunks: list[Chunk]) -> list[Chunk]:
    return [c for c in chunks if c.kind == "text"]


def squash(text: str) -> str:
    return "".join(text.split())


def is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"], id="three-endings"),
        pytest.param("他说：“很好。”然后离开；结束。", ["他说：“很好。”", "然后离开；", "结束。"], id="closing-quote-stays"),
        pytest.param("没有句号的尾巴", ["没有句号的尾巴"], id="unterminated-tail"),
        pytest.param("  前导空格。 后面", ["前导空格。", "后面"], id="whitespace-trimmed"),
    ],
)
def test_split_sentences_cuts_after_endings_and_their_closing_quotes(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in split_sentences(text)] == expected


def test_text_chunks_never_cross_a_heading(report_doc: Document, chunks: list[Chunk]) -> None:
    headings = [s.span for s in report_doc.sections]
    for c in text_chunks(chunks):
        section = report_doc.section(c.section_id)
        assert section is not None
        assert section.body_span[0] <= c.span[0] and c.span[1] <= section.body_span[1], c.id
        assert not any(c.span[0] < h_start < c.span[1] for h_start, _ in headings), c.id
        assert c.section_path == section.path


def test_text_chunks_are_sized_within_bounds_except_short_sections(report_doc: Document, chunks: list[Chunk]) -> None:
    section_chars = {}
    for p in report_doc.paragraphs:
        section_chars[p.section_id] = section_chars.get(p.section_id, 0) + len(p.text)
    for c in text_chunks(chunks):
        sentences = split_sentences(c.text)
        assert len(c.text) <= SETTINGS.max_chars or len(sentences) == 1, c.id
        assert len(c.text) >= SETTINGS.min_chars or section_chars[c.section_id] < SETTINGS.min_chars, c.id
    sizes = sorted(len(c.text) for c in text_chunks(chunks))
    assert sizes[len(sizes) // 2] >= 250, "chunks should mostly be well filled"


def test_text_chunks_end_on_a_sentence_ending(chunks: list[Chunk]) -> None:
    for c in text_chunks(chunks):
        assert c.text[-1] in SENTENCE_END + CLOSERS, (c.id, c.text[-20:])


def test_chunk_spans_map_back_to_the_source_text(report_doc: Document, chunks: list[Chunk]) -> None:
    for c in text_chunks(chunks):
        source = squash(report_doc.text[c.span[0] : c.span[1]])
        text = squash(c.text)
        assert source[0] == text[0] and source[-1] == text[-1], c.id
        assert is_subsequence(text, source), c.id


def test_consecutive_chunks_of_a_section_overlap_by_one_sentence(chunks: list[Chunk]) -> None:
    pairs = 0
    for a, b in zip(text_chunks(chunks), text_chunks(chunks)[1:]):
        if a.section_id == b.section_id and b.span[0] < a.span[1]:
            last = [a.text[s:e] for s, e in split_sentences(a.text)][-1]
            assert b.text.startswith(last), (a.id, b.id)
            pairs += 1
    assert pairs >= 20


def test_chunk_ids_are_unique_and_stable_across_rebuilds(report_doc: Document, chunks: list[Chunk]) -> None:
    again = chunk_document(report_doc, SETTINGS)
    assert [c.id for c in again] == [c.id for c in chunks]
    assert len({c.id for c in chunks}) == len(chunks)
    for c in text_chunks(chunks):
        assert re.fullmatch(rf"{DOC_ID}:{c.paragraph_id}:\d+", c.id)


def test_text_chunks_carry_pages_within_their_section(report_doc: Document, chunks: list[Chunk]) -> None:
    for c in text_chunks(chunks):
        section = report_doc.section(c.section_id)
        assert c.page is not None and c.page_end is not None and c.page <= c.page_end
        assert section.page <= c.page and c.page_end <= section.page_end, c.id


def test_footnote_markers_are_carried_by_the_chunk_holding_them(report_doc: Document, chunks: list[Chunk]) -> None:
    for note in report_doc.footnotes:
        holders = [c for c in text_chunks(chunks) if note.number in c.footnote_refs]
        assert holders, f"footnote {note.number} is referenced by no chunk"
        assert all(c.span[0] <= note.marker_offset <= c.span[1] + 2 for c in holders), [c.span for c in holders]


def test_every_table_has_a_table_chunk_and_a_row_chunk_per_row(report_doc: Document, chunks: list[Chunk]) -> None:
    by_id = {c.id: c for c in chunks}
    assert len(report_doc.tables) == 4
    for table in report_doc.tables:
        whole = by_id[f"{DOC_ID}:{table.id}"]
        assert whole.kind == "table" and whole.table_id == table.id and whole.span == table.span
        assert whole.text.startswith(f"{table.id} {table.caption}")
        for row in table.rows:
            assert row.label in whole.text
            chunk = by_id[f"{DOC_ID}:{table.id}/{row.label}"]
            assert chunk.kind == "row" and chunk.row == row.label and chunk.table_id == table.id
            assert chunk.span == row.span and chunk.section_path == table.section_path
            assert chunk.text.startswith(f"{table.id} {table.caption}：{row.label}，")
            assert chunk.text.endswith("。")


@pytest.mark.parametrize(
    ("chunk_id", "sentence"),
    [
        pytest.param(
            "表1/共享住宿",
            "表1 2021-2022年我国共享经济发展概况：共享住宿，共享经济交易额2021年为152亿元，2022年为115亿元，2022年同比增速为-24.3%。",
            id="table1-level-and-growth",
        ),
        pytest.param(
            "表2/共享住宿",
            "表2 2022年主要生活服务领域共享型服务普及情况：共享住宿，用户规模为6970万人，网民普及率为6.63%。",
            id="table2-no-year-columns",
        ),
        pytest.param(
            "表3/住宿",
            "表3 2021-2022年主要生活服务领域共享型服务支出占比：住宿，人均消费支出2021年为215.2元，2022年为183.0元，"
            "共享型服务支出2021年为10.8元，2022年为8.1元，共享型服务支出占比2021年为5.0%，2022年为4.4%。",
            id="table3-two-level-header",
        ),
        pytest.param(
            "表4/知识技能",
            "表4 2020-2022年共享经济主要领域直接融资规模：知识技能，融资额2020年为467亿元，2021年为253亿元，2022年为不足1亿元，2022年同比增速为-98.0%。",
            id="table4-below-one-in-words",
        ),
    ],
)
def test_row_chunk_is_a_self_contained_sentence(chunks: list[Chunk], chunk_id: str, sentence: str) -> None:
    assert {c.id: c.text for c in chunks}[f"{DOC_ID}:{chunk_id}"] == sentence


def test_row_embedding_input_leads_with_the_row_label(chunks: list[Chunk]) -> None:
    row = next(c for c in chunks if c.id == f"{DOC_ID}:表1/共享住宿")
    assert embedding_text(row) == "共享住宿：共享经济交易额2021年为152亿元，2022年为115亿元，2022年同比增速为-24.3%。（表1 2021-2022年我国共享经济发展概况）"
    text = next(c for c in chunks if c.kind == "text")
    assert embedding_text(text) == text.text


def test_sparse_text_adds_the_innermost_heading_to_the_chunk_text(chunks: list[Chunk]) -> None:
    row = next(c for c in chunks if c.id == f"{DOC_ID}:表1/共享住宿")
    assert sparse_text(row) == "（一）共享经济市场交易规模同比增长 3.9%\n" + row.text


def test_synthetic_report_chunks_by_the_same_rules(synthetic_doc: Document) -> None:
    chunks = chunk_document(synthetic_doc, SETTINGS)
    kinds = {c.kind for c in chunks}
    assert kinds == {"text", "table", "row"}
    for table in synthetic_doc.tables:
        rows = [c for c in chunks if c.kind == "row" and c.table_id == table.id]
        assert len(rows) == len(table.rows)
    for c in text_chunks(chunks):
        assert c.id.startswith(f"{synthetic_doc.doc_id}:p")
        section = synthetic_doc.section(c.section_id)
        assert section.body_span[0] <= c.span[0] and c.span[1] <= section.body_span[1]


def test_smaller_max_chars_gives_more_and_smaller_chunks(report_doc: Document, chunks: list[Chunk]) -> None:
    small = [c for c in chunk_document(report_doc, ChunkSettings(min_chars=80, max_chars=200)) if c.kind == "text"]
    assert len(small) > len(text_chunks(chunks))
    assert all(len(c.text) <= 200 or len(split_sentences(c.text)) == 1 for c in small)
