"""A cited quote in its context: the paragraph around it (or the source lines around a table row)."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from reportqa.errors import ReportQAError
from reportqa.records import Document, Paragraph

CONTEXT_CHARS = 240


class PassageNotFound(ReportQAError):
    status_code = 404


class Passage(BaseModel):
    """A quote with the text before and after it, as the reader would see it in the report."""

    doc: str = Field(description="Document id (file stem).")
    span: list[int] = Field(min_length=2, max_length=2, description="The quote's [start, end) in the source text.")
    page: int | None = Field(description="Page of the paragraph (None for table rows outside paragraphs).")
    before: str = Field(description="Text before the quote (at most ~240 characters, '…' when cut).")
    quote: str = Field(description="The quoted text itself.")
    after: str = Field(description="Text after the quote (at most ~240 characters, '…' when cut).")
    paragraph: str | None = Field(description="Paragraph id ('p12') when the quote lies in running text.")


def _text_offset(paragraph: Paragraph, source: int, is_end: bool) -> int | None:
    for text_off, src_off, length in paragraph.segments:
        if src_off <= source < src_off + length or (is_end and source == src_off + length):
            return text_off + (source - src_off)
    return None


def _cut_before(text: str, chars: int) -> str:
    return text if len(text) <= chars else "…" + text[-chars:]


def _cut_after(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:chars] + "…"


def quote_context(documents: list[Document], doc_id: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> Passage:
    """The paragraph around source span ``[start, end)`` (with its neighbours when the quote fills it); the raw source lines when no paragraph holds it."""
    doc = next((d for d in documents if d.doc_id == doc_id), None)
    if doc is None:
        known = ", ".join(d.doc_id for d in documents)
        raise PassageNotFound(f"no document {doc_id!r} — send a citation's doc ({known})")
    if not 0 <= start < end <= len(doc.text):
        raise PassageNotFound(f"span [{start}, {end}) is outside {doc_id} (0..{len(doc.text)}) — send a citation's span")
    paragraphs = doc.paragraphs
    for i, p in enumerate(paragraphs):
        if p.span[0] <= start < p.span[1]:
            ts, te = _text_offset(p, start, False), _text_offset(p, end, True)
            if ts is not None and te is not None and ts < te:
                before, after = p.text[:ts], p.text[te:]
                if len(before) < chars and i > 0:  # a quote at a paragraph's start: show the paragraph before
                    before = paragraphs[i - 1].text + "\n" + before
                if len(after) < chars and i + 1 < len(paragraphs):
                    after = after + "\n" + paragraphs[i + 1].text
                return Passage(doc=doc_id, span=(start, end), page=p.page, paragraph=p.id,
                               before=_cut_before(before, chars), quote=p.text[ts:te], after=_cut_after(after, chars))
    text = doc.text
    return Passage(doc=doc_id, span=(start, end), page=None, paragraph=None,
                   before=_cut_before(_lines(text[max(0, start - 2 * chars):start]), chars), quote=text[start:end],
                   after=_cut_after(_lines(text[end:end + 2 * chars]), chars))


def _lines(text: str) -> str:
    """Source lines without the blank lines the PDF extraction leaves between them."""
    return re.sub(r"\n\s*\n", "\n", text)
