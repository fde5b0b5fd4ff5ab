"""Document → chunks: sentence-bounded text chunks inside one section, one chunk per table, one per table row."""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from itertools import groupby

from reportqa.records import Cell, Chunk, Column, Document, Paragraph, Row, Table
from reportqa.settings import ChunkSettings

SENTENCE_END = "。！？；!?;"
CLOSERS = "”’」』》）)\"'"
BOUND_WORDS = {"<": "不足", "<=": "不超过", ">": "超过", ">=": "不低于"}
_UNIT_SUFFIX = re.compile(r"[（(][^（）()]*[）)]\s*$")
_YEAR_ONLY = re.compile(r"^\d{4}年$")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a paragraph: ``paragraph.text[start:end]``."""

    paragraph: Paragraph
    start: int
    end: int

    @property
    def size(self) -> int:
        return self.end - self.start


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` ranges of the sentences in ``text``; an ending keeps its closing quotes/brackets."""
    spans: list[tuple[int, int]] = []
    start, i, n = 0, 0, len(text)
    while i < n:
        if text[i] in SENTENCE_END:
            j = i + 1
            while j < n and (text[j] in SENTENCE_END or text[j] in CLOSERS):
                j += 1
            spans.append((start, j))
            start = i = j
        else:
            i += 1
    if start < n:
        spans.append((start, n))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def _pack(sizes: list[int], cfg: ChunkSettings) -> list[tuple[int, int]]:
    """Group sentence sizes into ``[i, j)`` runs of balanced length ≤ max_chars, overlapping by whole sentences."""
    groups: list[tuple[int, int]] = []
    i, n = 0, len(sizes)
    while i < n:
        remaining = sum(sizes[i:])
        if remaining <= cfg.max_chars:
            groups.append((i, n))
            break
        target = remaining / math.ceil(remaining / cfg.max_chars)
        j, size = i + 1, sizes[i]
        while j < n and size < target and size + sizes[j] <= cfg.max_chars:
            size += sizes[j]
            j += 1
        groups.append((i, j))
        if j >= n:
            break
        overlap = min(cfg.overlap_sentences, j - i - 1)
        while overlap > 0 and sum(sizes[j - overlap : j]) + sizes[j] > cfg.max_chars:
            overlap -= 1
        i = j - overlap
    return groups


class _Pages:
    """Page of a source offset, counted from the paragraph's first page plus the page breaks passed since."""

    def __init__(self, doc: Document) -> None:
        self.offsets = sorted(off for off, _ in doc.page_breaks)

    def at(self, para: Paragraph, offset: int) -> int | None:
        if para.page is None:
            return None
        passed = bisect.bisect_right(self.offsets, offset) - bisect.bisect_right(self.offsets, para.span[0])
        page = para.page + max(passed, 0)
        return min(page, para.page_end) if para.page_end is not None else page


def _footnotes_by_sentence(doc: Document, sentences: list[Sentence]) -> dict[int, set[int]]:
    """Footnote numbers per sentence index: a marker belongs to the last sentence starting at or before it."""
    by_para: dict[str, list[int]] = {}
    for k, s in enumerate(sentences):
        by_para.setdefault(s.paragraph.id, []).append(k)
    located = {(f.paragraph_id, f.number): f.marker_offset for f in doc.footnotes if f.marker_offset is not None}
    refs: dict[int, set[int]] = {}
    for pid, idxs in by_para.items():
        para = sentences[idxs[0]].paragraph
        starts = [para.source_span(sentences[k].start, sentences[k].start + 1)[0] for k in idxs]
        for number in para.footnote_refs:
            marker = located.get((pid, number))
            if marker is None:
                targets = idxs
            else:
                targets = [idxs[max(bisect.bisect_right(starts, marker) - 1, 0)]]
            for k in targets:
                refs.setdefault(k, set()).add(number)
    return refs


def _text_chunks(doc: Document, paragraphs: list[Paragraph], cfg: ChunkSettings, pages: _Pages, counters: dict[str, int]) -> list[Chunk]:
    """Chunks for a run of paragraphs of one section."""
    sentences = [Sentence(p, s, e) for p in paragraphs for s, e in split_sentences(p.text)]
    if not sentences:
        return []
    section = doc.section(paragraphs[0].section_id)
    footnotes = _footnotes_by_sentence(doc, sentences)
    chunks: list[Chunk] = []
    for i, j in _pack([s.size + 1 for s in sentences], cfg):
        run = sentences[i:j]
        pieces = [
            (para, group[0].start, group[-1].end)
            for para, group in ((p, list(g)) for p, g in groupby(run, key=lambda s: s.paragraph))
        ]
        first_para, first_start, _ = pieces[0]
        last_para, _, last_end = pieces[-1]
        start = first_para.source_span(first_start, first_start + 1)[0]
        end = last_para.source_span(last_end - 1, last_end)[1]
        n = counters.get(first_para.id, 0)
        counters[first_para.id] = n + 1
        refs = sorted(set().union(*(footnotes.get(k, set()) for k in range(i, j))))
        chunks.append(
            Chunk(
                id=f"{doc.doc_id}:{first_para.id}:{n}",
                doc_id=doc.doc_id,
                kind="text",
                text="\n".join(p.text[s:e] for p, s, e in pieces),
                section_id=first_para.section_id,
                section_path=list(section.path) if section else [],
                page=pages.at(first_para, start),
                page_end=pages.at(last_para, max(end - 1, start)),
                span=(start, end),
                paragraph_id=first_para.id,
                footnote_refs=refs,
            )
        )
    return chunks


def _label(column: Column | None, cell: Cell, previous_metric: str | None) -> str:
    """How a cell is introduced in a row sentence: '共享经济交易额2021年', '2022年', '2022年同比增速', '用户规模'."""
    leaf = column.header[-1] if column and column.header else cell.column.split("/")[-1]
    leaf = _UNIT_SUFFIX.sub("", leaf).strip()
    if _YEAR_ONLY.match(leaf):
        metric = cell.metric or (_UNIT_SUFFIX.sub("", column.header[0]).strip() if column and column.header else "")
        return leaf if metric == previous_metric else f"{metric}{leaf}"
    return leaf


def render_value(cell: Cell) -> str:
    """A cell's printed figure with its unit, bounds in words: '115亿元', '-24.3%', '不足1亿元'."""
    text = cell.text.strip()
    unit = cell.unit or ""
    if cell.bound:
        number = text.lstrip("＜<≤＞>≥=＝ ")
        return f"{BOUND_WORDS[cell.bound]}{number}{unit if not number.endswith(unit) else ''}"
    return text if not unit or text.endswith(unit) else f"{text}{unit}"


def row_sentence(table: Table, row: Row) -> str:
    """A row as one self-contained sentence: caption, row label, then each column with its year and unit."""
    columns = {c.id: c for c in table.columns}
    parts: list[str] = []
    previous: str | None = None
    for cell in row.cells:
        if not cell.text.strip():
            continue
        parts.append(f"{_label(columns.get(cell.column), cell, previous)}为{render_value(cell)}")
        previous = cell.metric
    body = "，".join([row.label, *parts])
    return f"{table.id} {table.caption}：{body}。"


def table_text(table: Table) -> str:
    """The whole table as text: caption, header, every row as printed, source and notes."""
    lines = [f"{table.id} {table.caption}", " | ".join("/".join(c.header) or c.id for c in table.columns)]
    lines += [" | ".join([r.label, *(c.text for c in r.cells)]) for r in table.rows]
    if table.source:
        lines.append(table.source if table.source.startswith("数据来源") else f"数据来源：{table.source}")
    lines += table.notes
    return "\n".join(lines)


def table_chunks(doc: Document, table: Table) -> list[Chunk]:
    """One chunk for the whole table and one per row."""
    common = dict(doc_id=doc.doc_id, section_id=table.section_id, section_path=list(table.section_path), page=table.page, page_end=table.page, table_id=table.id)
    chunks = [Chunk(id=f"{doc.doc_id}:{table.id}", kind="table", text=table_text(table), span=table.span, **common)]
    seen: dict[str, int] = {}
    for row in table.rows:
        seen[row.label] = seen.get(row.label, 0) + 1
        key = row.label if seen[row.label] == 1 else f"{row.label}#{seen[row.label]}"
        chunks.append(Chunk(id=f"{doc.doc_id}:{table.id}/{key}", kind="row", text=row_sentence(table, row), span=row.span, row=row.label, **common))
    return chunks


def chunk_document(doc: Document, settings: ChunkSettings) -> list[Chunk]:
    """All chunks of a document: text chunks in reading order, then table and row chunks."""
    pages = _Pages(doc)
    counters: dict[str, int] = {}
    chunks: list[Chunk] = []
    for _, run in groupby(doc.paragraphs, key=lambda p: p.section_id):
        chunks += _text_chunks(doc, list(run), settings, pages, counters)
    for table in doc.tables:
        chunks += table_chunks(doc, table)
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """What the embedder sees: the chunk text, except that a row leads with its label ('共享住宿：…（表1 caption）').

    Measured on the eval questions with multilingual-e5-small: a heading-path prefix lowered recall, a
    label-first row raised it (the caption still names the table, in brackets at the end).
    """
    if chunk.kind == "row" and chunk.row:
        cut = chunk.text.find(f"：{chunk.row}")
        if cut >= 0:
            caption, rest = chunk.text[:cut], chunk.text[cut + 1 + len(chunk.row) :].lstrip("，")
            return f"{chunk.row}：{rest}（{caption}）"
    return chunk.text


def sparse_text(chunk: Chunk) -> str:
    """What BM25 indexes: the innermost heading, then the chunk text.

    The heading supplies the report's own topic words ('市场交易规模') that a table row lacks; measured on the
    eval questions it raised BM25 recall and never lowered the fused ranking.
    """
    heading = chunk.section_path[-1] if chunk.section_path else ""
    return f"{heading}\n{chunk.text}" if heading else chunk.text
