"""Every figure a report prints — table cells and numbers in the running text — indexed for fast lookup.

``build_figure_index(docs)`` runs the claim extractor over paragraphs, footnotes and headings (spans
mapped back to the source with ``Paragraph.source_span``) and adds every table cell. Lookups are by
unit family and value (bisect over sorted base values) and by (subject, family). An engine builds its
index once at load with its own vocabulary (``engine.views.figure_index``) and passes it to the checker
and the audit; ``get_figure_index(docs)`` serves callers without an engine (glossaries found beside the
reports, cached per set of documents by sha256).
"""

from __future__ import annotations

import bisect
import math
import re
import threading
from dataclasses import dataclass, field
from typing import Literal

from reportqa.query.figures.claims import Claim, extract_claims
from reportqa.query.figures.matching import specific_metrics
from reportqa.query.lexicon.vocab import Vocab
from reportqa.records import Cell, Document, Paragraph, Span, Table

_UNIT_FAMILY = {"亿元": ("CNY", 1e8), "万元": ("CNY", 1e4), "元": ("CNY", 1.0), "万亿元": ("CNY", 1e12),
                "万人": ("people", 1e4), "人": ("people", 1.0), "亿人": ("people", 1e8), "%": ("percent", 1.0),
                "亿美元": ("USD", 1e8), "美元": ("USD", 1.0), "个百分点": ("pp", 1.0), "倍": ("ratio", 1.0)}


@dataclass
class Source:
    """One printed figure of a report: a table cell or a number in its running text."""

    id: str
    origin: Literal["cell", "text", "footnote", "heading"]
    doc_id: str
    text: str
    value: float
    unit: str
    family: str
    kind: str
    base: float
    lo: float
    hi: float
    year: int | None
    period: str | None
    year_inferred: bool
    subject: str | None
    subject_text: str | None
    role: str | None
    metrics: frozenset[str]
    section_id: str | None
    section: str | None
    page: int | None
    span: Span
    quote: str
    listed_as: str | None = None
    approx: bool = False
    bound: str | None = None
    cell: Cell | None = None
    table: Table | None = None
    claim: Claim | None = None
    paragraph_id: str | None = None

    def label(self) -> str:
        """Short human name: '表1 共享住宿 2022年' or the quoted sentence."""
        if self.cell is not None:
            return f"{self.cell.id.split('/')[0]} {self.cell.row} {self.cell.column}"
        return f"“{self.quote}”"

    def as_source(self) -> dict[str, object]:
        """The dict a Fact carries as ``source``."""
        out: dict[str, object] = {"doc": self.doc_id, "kind": self.origin, "span": list(self.span),
                                  "section": self.section, "page": self.page, "quote": self.quote}
        if self.cell is not None:
            out["cell"] = self.cell.id
            out["text"] = self.cell.text
        else:
            out["id"] = self.id
            out["text"] = self.text
        return out


@dataclass
class FigureIndex:
    """Figures of a set of reports with lookups by value and by subject."""

    vocab: Vocab
    sources: list[Source]
    by_family: dict[str, tuple[list[float], list[Source]]] = field(default_factory=dict)
    wide: dict[str, list[Source]] = field(default_factory=dict)
    by_subject: dict[tuple[str | None, str], list[Source]] = field(default_factory=dict)
    cells: dict[str, Source] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    docs: dict[str, Document] = field(default_factory=dict)

    def __post_init__(self) -> None:
        grouped: dict[str, list[Source]] = {}
        for s in self.sources:
            if math.isinf(s.lo) or math.isinf(s.hi) or (s.hi - s.lo) > max(abs(s.base), 1.0):
                self.wide.setdefault(s.family, []).append(s)
            else:
                grouped.setdefault(s.family, []).append(s)
            self.by_subject.setdefault((s.subject, s.family), []).append(s)
            if s.cell is not None:
                self.cells[f"{s.doc_id}:{s.cell.id}"] = s
                self.cells.setdefault(s.cell.id, s)
        for fam, items in grouped.items():
            items.sort(key=lambda s: s.lo)
            self.by_family[fam] = ([s.lo for s in items], items)
        self._max_width = {fam: max((s.hi - s.lo for s in items), default=0.0) for fam, (_, items) in self.by_family.items()}
        self._cell_list = [s for s in self.sources if s.cell is not None]

    def overlapping(self, family: str, lo: float, hi: float) -> list[Source]:
        """Figures of a unit family whose rounding interval overlaps [lo, hi]."""
        out = [s for s in self.wide.get(family, []) if s.lo <= hi and lo <= s.hi]
        if family in self.by_family:
            keys, items = self.by_family[family]
            left = bisect.bisect_left(keys, lo - self._max_width[family] - 1e-9)
            right = bisect.bisect_right(keys, hi + 1e-9)
            out.extend(s for s in items[left:right] if s.lo <= hi + 1e-9 and lo - 1e-9 <= s.hi)
        return out

    def about(self, subject: str | None, family: str) -> list[Source]:
        """Figures about one subject in one unit family."""
        return self.by_subject.get((subject, family), [])

    def cell_sources(self) -> list[Source]:
        """All table cells."""
        return self._cell_list

    def text_sources(self) -> list[Source]:
        """All figures of the running text (paragraphs, footnotes, headings)."""
        return [s for s in self.sources if s.cell is None]


_CACHE: dict[tuple[str, ...], FigureIndex] = {}
_LOCK = threading.Lock()


def get_figure_index(docs: list[Document]) -> FigureIndex:
    """The figure index of ``docs`` for callers without an engine (glossaries beside the reports), cached by sha256."""
    key = tuple(sorted(d.sha256 or d.doc_id for d in docs))
    index = _CACHE.get(key)
    if index is None:
        with _LOCK:
            index = _CACHE.get(key)
            if index is None:
                from reportqa.query.lexicon.lexicon import load_lexicon

                index = build_figure_index(docs, load_lexicon(docs).vocab)
                if len(_CACHE) > 8:
                    _CACHE.clear()
                _CACHE[key] = index
    return index


def build_figure_index(docs: list[Document], vocab: Vocab) -> FigureIndex:
    """Index every number of the running text (with its sentence and context) and every table cell, read with ``vocab``."""
    sources: list[Source] = []
    for doc in docs:
        sources.extend(_text_sources(doc, vocab))
        for table in doc.tables:
            sources.extend(_cell_sources(doc, table, vocab))
    index = FigureIndex(vocab=vocab, sources=sources)
    index.tables = {f"{d.doc_id}:{t.id}": t for d in docs for t in d.tables} | {t.id: t for d in docs for t in d.tables}
    index.docs = {d.doc_id: d for d in docs}
    return index


def section_path(doc: Document, section_id: str | None) -> str | None:
    """A section's heading path joined with ' > '."""
    section = doc.section(section_id) if section_id else None
    return " > ".join(section.path) if section else None


def page_at(doc: Document, offset: int) -> int | None:
    """Page from the lone page-number lines before ``offset`` (None before the first)."""
    page = None
    for pos, number in doc.page_breaks:
        if pos <= offset:
            page = number
    return page


def _text_sources(doc: Document, vocab: Vocab) -> list[Source]:
    out: list[Source] = []
    year: int | None = None  # the last year the running text named: a figure without one inherits it
    for para in doc.paragraphs:
        claims = extract_claims(para.text, vocab, default_year=year)
        for claim in claims:
            out.append(_from_claim(doc, claim, "text", para.source_span(*claim.span), para.section_id, para.page, para))
        year = _last_year(para.text, year)
    for note in doc.footnotes:
        section_id = next((p.section_id for p in doc.paragraphs if p.id == note.paragraph_id), None)
        for claim in extract_claims(note.text, vocab):
            span = _find_in_source(doc.text, claim.text, note.span) or note.span
            out.append(_from_claim(doc, claim, "footnote", span, section_id, note.page, None, f"{doc.doc_id}:fn{note.number}"))
    for section in doc.sections:
        for claim in extract_claims(section.title, vocab):
            span = _find_in_source(doc.text, claim.text, section.span) or section.span
            out.append(_from_claim(doc, claim, "heading", span, section.id, section.page, None, f"{doc.doc_id}:{section.id}"))
    return out


def _last_year(text: str, current: int | None) -> int | None:
    years = [int(m.group(1)) for m in re.finditer(r"(?<!\d)((?:19|20)\d{2})\s*年", text)
             if not re.search(r"(?:比|较|相比)\s*$", text[max(0, m.start() - 3):m.start()])]
    return years[-1] if years else current


def _find_in_source(text: str, needle: str, within: Span) -> Span | None:
    pattern = r"\s*".join(re.escape(ch) for ch in needle if not ch.isspace())
    m = re.compile(pattern).search(text, within[0], within[1] + 1)
    return (m.start(), m.end()) if m else None


def _from_claim(doc: Document, claim: Claim, origin: str, span: Span, section_id: str | None, page: int | None,
                para: Paragraph | None, sid: str | None = None) -> Source:
    lo, hi = claim.interval()
    return Source(
        id=sid or f"{doc.doc_id}:{para.id if para else 'x'}@{claim.span[0]}", origin=origin,  # type: ignore[arg-type]
        doc_id=doc.doc_id, text=claim.text, value=claim.value, unit=claim.unit, family=claim.family, kind=claim.kind,
        base=claim.base, lo=lo, hi=hi, year=claim.year, period=claim.period, year_inferred=claim.year_inferred,
        subject=claim.subject, subject_text=claim.subject_text, role=claim.role, metrics=claim.metrics,
        section_id=section_id, section=section_path(doc, section_id), page=page or page_at(doc, span[0]),
        span=span, quote=claim.sentence, listed_as=claim.listed_as, approx=claim.approx, bound=claim.bound,
        claim=claim, paragraph_id=para.id if para else None,
    )


def cell_family(cell: Cell) -> tuple[str, float] | None:
    """(unit family, scale to base unit) of a cell's unit."""
    if cell.unit is None:
        return ("percent", 1.0) if cell.kind in ("growth", "share") else None
    if cell.unit in _UNIT_FAMILY:
        return _UNIT_FAMILY[cell.unit]
    m = _MAGNITUDE_UNIT.match(cell.unit)
    if m:  # '万吨' is tonnes ×10⁴, as the claim extractor reads '6.3万吨' in the text
        return (f"count:{m['unit']}", _MAGNITUDES[m['mag']])
    return (f"count:{cell.unit}", 1.0)


_MAGNITUDES = {"万亿": 1e12, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3}
_MAGNITUDE_UNIT = re.compile(r"^(?P<mag>万亿|千万|百万|亿|万|千)(?P<unit>[\u4e00-\u9fffA-Za-z]+)$")


def _cell_sources(doc: Document, table: Table, vocab: Vocab) -> list[Source]:
    out: list[Source] = []
    caption_years = {int(y) for y in re.findall(r"(?:19|20)\d{2}", table.caption)}
    default_year = next(iter(caption_years)) if len(caption_years) == 1 else None
    columns = {c.id: c for c in table.columns}
    section = section_path(doc, table.section_id)
    level_metrics = frozenset(t.term for c in table.columns if c.kind == "level"
                              for t in vocab.find(" ".join(c.header) + " " + c.metric) if t.kind == "metric")
    caption_metrics = frozenset(t.term for t in vocab.find(table.caption) if t.kind == "metric")
    for row in table.rows:
        quote = doc.text[row.span[0]:row.span[1]].strip() or row.label
        subject = vocab.canonical(row.label)
        for cell in row.cells:
            fam = cell_family(cell)
            if cell.value is None or fam is None:
                continue
            family, scale = fam
            lo, hi = cell.interval()
            col = columns.get(cell.column)
            header = " ".join(col.header) if col else cell.column
            metrics = frozenset(t.term for t in vocab.find(f"{header} {cell.metric}") if t.kind == "metric")
            if not specific_metrics(metrics):
                metrics |= (level_metrics if cell.kind != "level" and level_metrics else caption_metrics)
            role = {"growth": "growth", "share": "share"}.get(cell.kind)
            out.append(Source(
                id=cell.id, origin="cell", doc_id=doc.doc_id, text=cell.text, value=cell.value, unit=cell.unit or "%",
                family=family, kind=_claim_kind(family), base=cell.value * scale, lo=lo * scale, hi=hi * scale,
                year=cell.year or default_year, period=str(cell.year or default_year or "") or None, year_inferred=False,
                subject=subject, subject_text=row.label, role=role, metrics=metrics, section_id=table.section_id,
                section=section, page=table.page, span=row.span, quote=quote, bound=cell.bound, cell=cell, table=table,
            ))
    return out


def _claim_kind(family: str) -> str:
    return {"CNY": "level", "USD": "level", "percent": "percent", "pp": "pp", "ratio": "ratio"}.get(family, "count")
