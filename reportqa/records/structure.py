"""The report's structure: contents, sections, paragraphs, footnotes, figures and typed tables."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from reportqa.records.base import Bound, Record, Span


class TocEntry(Record):
    """One line of the report's contents (目录) or list of figures and tables (图表目录)."""

    title: str = Field(description="Title as printed in the contents, dot leaders removed.")
    page: int | None = Field(description="Page number printed in the contents.")
    kind: Literal["section", "figure", "table"] = Field(description="Which list the entry comes from.")
    level: int = Field(description="1 for 一、 / 附 / 致谢 / cases, 2 for （一）; 0 for figures and tables.")
    span: Span = Field(description="Where the entry stands in the source text.")


class Section(Record):
    """A heading of the report and the body under it."""

    id: str = Field(description="Structural id: 'preface', 's1', 's1.2', 'appendix', 'appendix/case1/s2.1', 'ack'.")
    number: str = Field(description="Numbering as printed: '一', '（二）', '' for unnumbered headings.")
    title: str = Field(description="Heading text as printed in the body, without its number.")
    heading: str = Field(description="Full heading line as printed (number + title).")
    level: int = Field(description="Depth in the tree: 1 top level, 2 under it, ...")
    kind: Literal["preface", "chapter", "subsection", "appendix", "case", "case_chapter", "case_subsection", "acknowledgements"]
    parent: str | None = Field(default=None, description="Parent section id, None at the top.")
    path: list[str] = Field(description="Heading lines from the root to this section (inclusive).")
    span: Span = Field(description="The heading line in the source.")
    body_span: Span = Field(description="From the heading to the next heading of the same or higher level.")
    page: int | None = Field(default=None, description="Page where the heading stands (from the contents).")
    page_end: int | None = Field(default=None, description="Last page of the section's body.")
    toc_title: str | None = Field(default=None, description="Matching contents entry, when found.")
    toc_page: int | None = Field(default=None, description="Page the contents give for it.")
    title_mismatch: bool = Field(default=False, description="Contents title differs from the body heading.")


class Footnote(Record):
    """A footnote body split out of the running text, linked back to its marker."""

    number: int = Field(description="Footnote number as printed (1, 2, ...).")
    text: str = Field(description="Footnote body, lines re-joined.")
    span: Span = Field(description="Footnote body in the source.")
    page: int | None = Field(default=None, description="Page the footnote is printed on.")
    marker_offset: int | None = Field(default=None, description="Source offset of the marker digit in the running text.")
    paragraph_id: str | None = Field(default=None, description="Paragraph whose text carries the marker.")


class Paragraph(Record):
    """Running text re-joined across hard wraps and page breaks (footnote markers removed)."""

    id: str = Field(description="'p<N>' in reading order.")
    section_id: str = Field(description="Innermost section containing the paragraph.")
    text: str = Field(description="Paragraph text, wraps joined, page numbers and footnote bodies removed.")
    span: Span = Field(description="From the first to the last source character of the paragraph.")
    segments: list[tuple[int, int, int]] = Field(
        description="(text_offset, source_offset, length) runs mapping text characters back to the source."
    )
    page: int | None = Field(default=None, description="Page of the paragraph's first line.")
    page_end: int | None = Field(default=None, description="Page of its last line.")
    footnote_refs: list[int] = Field(default_factory=list, description="Footnote numbers referenced in it.")

    def source_span(self, start: int, end: int) -> Span:
        """Map a ``[start, end)`` range of ``text`` back to source offsets."""
        return (_to_source(self.segments, start, False), _to_source(self.segments, end, True))


def _to_source(segments: list[tuple[int, int, int]], pos: int, is_end: bool) -> int:
    for text_off, src_off, length in segments:
        if text_off <= pos < text_off + length or (is_end and pos == text_off + length):
            return src_off + (pos - text_off)
    if not segments:
        return 0
    text_off, src_off, length = segments[-1]
    return src_off + length


class Figure(Record):
    """A figure caption (图N). The text carries no data for figures."""

    id: str = Field(description="'图1'.")
    number: int
    caption: str = Field(description="Caption as printed in the body, without the '图 N' prefix.")
    section_id: str | None = None
    page: int | None = None
    span: Span
    toc_caption: str | None = Field(default=None, description="Caption in 图表目录.")
    toc_page: int | None = None
    has_data: bool = Field(default=False, description="Always False: PDF text keeps no figure data.")


# --------------------------------------------------------------------------- tables


class Column(Record):
    """A leaf column of a table; multi-level headers are flattened into ``header``."""

    id: str = Field(description="Stable column key, the header levels joined by '/': '共享型服务支出（元）/2021年'.")
    header: list[str] = Field(description="Header levels from top to leaf, as printed.")
    metric: str = Field(description="What is measured: '共享经济交易额', '用户规模', '同比增速', ...")
    unit: str | None = Field(description="'亿元', '元', '万人', '%' or None.")
    year: int | None = Field(description="Year of the column, when it has one.")
    kind: Literal["level", "growth", "share"] = Field(description="A level, a growth rate, or a share/ratio.")


class Cell(Record):
    """One typed table cell."""

    id: str = Field(description="'表1/共享住宿/2022年' (table/row/column id).")
    row: str = Field(description="Row label as printed.")
    column: str = Field(description="Column id (see Column.id).")
    text: str = Field(description="Cell text exactly as printed ('＜1', '-14.2%', '').")
    value: float | None = Field(description="Numeric value in the printed unit (for '＜1': 1).")
    unit: str | None
    year: int | None
    metric: str
    kind: Literal["level", "growth", "share"]
    bound: Bound | None = Field(default=None, description="'<' for '＜1': the true value is below ``value``.")
    decimals: int = Field(default=0, description="Printed decimal places (rounding precision).")

    def interval(self) -> tuple[float, float]:
        """The closed-open interval the printed figure stands for."""
        if self.value is None:
            raise ValueError(f"cell {self.id} has no value")
        if self.bound in ("<", "<="):
            return (0.0 if self.value > 0 else float("-inf"), self.value)
        half = 0.5 * 10 ** (-self.decimals)
        return (self.value - half, self.value + half)


class Row(Record):
    label: str = Field(description="Row label as printed ('共享住宿', '总计').")
    is_total: bool = Field(default=False, description="The row sums the others (总计/合计).")
    cells: list[Cell]
    span: Span = Field(description="The row's line in the source.")


class Check(Record):
    """One arithmetic validation of a table, rounding-aware."""

    kind: Literal["sum", "growth", "share", "difference", "text"] = Field(description="What relation is checked.")
    target: str = Field(description="Cell id the relation predicts.")
    inputs: list[str] = Field(description="Cell ids it is computed from.")
    printed: str = Field(description="The printed figure of the target.")
    computed: float | None = Field(description="Value computed from the printed inputs.")
    interval: tuple[float, float] | None = Field(description="Range the inputs allow, given their printed precision.")
    status: Literal["exact", "within_rounding", "mismatch"] = Field(
        description="exact: agrees at printed precision; within_rounding: only through the inputs' rounding; mismatch: no rounding explains it."
    )
    detail: str = Field(description="Human-readable derivation.")


class Table(Record):
    """A table (表N) as typed, validated data."""

    id: str = Field(description="'表1' as printed; unique only within its document (see ``qualified_id``).")
    doc_id: str = Field(default="", description="Document id (file stem) of the report the table belongs to.")
    number: int
    caption: str = Field(description="Caption without the '表 N' prefix.")
    section_id: str | None = None
    section_path: list[str] = Field(default_factory=list)
    page: int | None = None
    toc_caption: str | None = None
    toc_page: int | None = None
    columns: list[Column]
    rows: list[Row]
    source: str | None = Field(default=None, description="数据来源 line.")
    notes: list[str] = Field(default_factory=list, description="注 lines.")
    checks: list[Check] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list, description="Parse problems (short rows, unreadable cells).")
    span: Span

    @property
    def qualified_id(self) -> str:
        """'<doc>:表1': unique across the documents of a corpus."""
        return f"{self.doc_id}:{self.id}" if self.doc_id else self.id

    def cell(self, row: str, column: str) -> Cell | None:
        """The cell at a row label and a column id."""
        for r in self.rows:
            if r.label == row:
                for c in r.cells:
                    if c.column == column:
                        return c
        return None


class Document(Record):
    """A parsed report."""

    doc_id: str = Field(description="File stem, e.g. 'china-sharing-economy-report-2023'.")
    title: str
    path: str
    sha256: str = Field(description="Of the raw file bytes.")
    text: str = Field(description="Decoded source text; every span points into it.")
    toc: list[TocEntry] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    page_breaks: list[tuple[int, int]] = Field(
        default_factory=list, description="(source offset, page number) of each lone page-number line."
    )
    warnings: list[str] = Field(default_factory=list)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)
