"""Locations of audit findings: a sentence of the running text, a table row, a contents line, a heading."""

from __future__ import annotations

import re

from reportqa.query.views.figure_index import FigureIndex, Source, page_at, section_path
from reportqa.records import Cell, Document, Location, Span

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def text_location(index: FigureIndex, source: Source) -> Location:
    """The sentence a running-text figure stands in, with its source span."""
    doc = index.docs[source.doc_id]
    claim = source.claim
    quote = claim.sentence if claim is not None else source.quote
    span = _sentence_span(doc, source) or source.span
    return Location(doc=doc.doc_id, section=source.section, page=source.page, span=span, quote=quote)


def clause_location(index: FigureIndex, source: Source) -> Location:
    """The clause a running-text figure stands in (for findings inside one sentence)."""
    doc = index.docs[source.doc_id]
    claim = source.claim
    para = next((p for p in doc.paragraphs if p.id == source.paragraph_id), None) if claim is not None else None
    if claim is None or para is None:
        return text_location(index, source)
    return Location(doc=doc.doc_id, section=source.section, page=source.page,
                    span=para.source_span(*claim.clause_span), quote=claim.clause)


def cell_location(index: FigureIndex, source: Source) -> Location:
    """The table row a cell stands in, with the cell id."""
    return Location(doc=source.doc_id, section=source.section, page=source.page, span=source.span,
                    quote=source.quote, cell=source.cell.id if source.cell else None)


def location(index: FigureIndex, source: Source) -> Location:
    """Cell or sentence location of a figure."""
    return cell_location(index, source) if source.cell is not None else text_location(index, source)


def cell_source(index: FigureIndex, doc: Document, cell: Cell | str) -> Source | None:
    """The index entry of a table cell (by record or id)."""
    cid = cell if isinstance(cell, str) else cell.id
    return index.cells.get(f"{doc.doc_id}:{cid}")


def span_location(doc: Document, span: Span, *, section_id: str | None = None, page: int | None = None) -> Location:
    """A verbatim stretch of the source (contents line, heading, caption)."""
    quote = doc.text[span[0]:span[1]].strip()
    return Location(doc=doc.doc_id, section=section_path(doc, section_id), page=page or page_at(doc, span[0]),
                    span=span, quote=re.sub(r"\s*\n\s*", "", quote))


def _sentence_span(doc: Document, source: Source) -> Span | None:
    claim = source.claim
    if claim is None:
        return None
    if source.paragraph_id is not None:
        para = next((p for p in doc.paragraphs if p.id == source.paragraph_id), None)
        if para is not None:
            start, end = claim.sentence_span
            while start < end and para.text[start].isspace():
                start += 1
            return para.source_span(start, end)
    return None


def first_span(locations: list[Location]) -> int:
    """Sort key: where the first location starts."""
    return min((loc.span[0] for loc in locations if loc.span), default=0)
