"""Audit (d): the contents (目录, 图表目录) against the body — titles, captions, missing headings, pages.

Pages are checked two ways. A lone page-number line N in the body starts page N (the convention the
structure parser uses), so a heading, caption or table listed on a page before an earlier N, or on
page N or later when the line N comes after it, is misplaced. And the
contents pages of the body's headings, figures and tables must not go backwards in reading order: an
element listed on a later page than both of its neighbours allow is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportqa.query.audit.locations import span_location
from reportqa.query.views.figure_index import FigureIndex
from reportqa.records import Document, Finding, Location, Span, TocEntry

_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}(?:\s*[-–~至]\s*(?:19|20)\d{2})?")


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


@dataclass
class Element:
    """A heading, figure or table with its contents entry and body position."""

    name: str
    toc_page: int
    offset: int
    body_span: Span
    entry: TocEntry | None
    section_id: str | None
    page: int | None


def contents_findings(doc: Document, index: FigureIndex) -> list[Finding]:
    """Title and caption differences, contents entries missing from the body (and back), page anomalies."""
    return _titles(doc) + _missing(doc) + _unlisted(doc) + _captions(doc) + _pages(doc)


_LISTED_KINDS = ("chapter", "subsection", "appendix", "case", "acknowledgements")


def _unlisted(doc: Document) -> list[Finding]:
    """Chapter, subsection, appendix, case and acknowledgement headings that have no contents entry."""
    if not any(e.kind == "section" for e in doc.toc):
        return []
    findings = []
    for s in doc.sections:
        if s.kind in _LISTED_KINDS and s.toc_title is None and not s.title_mismatch:
            before = [e for e in doc.toc if e.kind == "section"]
            locs = [span_location(doc, s.span, section_id=s.id, page=s.page)]
            if before:
                locs.insert(0, _toc_location(doc, before[-1]))
            summary = f"The body heading '{s.heading}' has no entry in the contents (its last entry is '{before[-1].title}')" if before \
                else f"The body heading '{s.heading}' has no entry in the contents"
            findings.append(Finding(kind="contents_vs_body", severity="warning", summary=summary, locations=locs))
    return findings


_NUMBERING = re.compile(r"^[（(]?([一二三四五六七八九十]+)[）)、]?")


def _split_number(title: str) -> tuple[str, str]:
    m = _NUMBERING.match(_squash(title))
    return (m.group(1), _squash(title)[m.end():]) if m else ("", _squash(title))


def _entry_for_section(doc: Document, number: str, title: str | None) -> TocEntry | None:
    want_number = _split_number(number)[0] if number else ""
    for e in doc.toc:
        if e.kind == "section":
            num, rest = _split_number(e.title)
            if rest == _squash(title) and num == want_number:
                return e
    return None


def _entry_for(doc: Document, kind: str, number: int) -> TocEntry | None:
    prefix = re.compile(rf"^[图表]\s*{number}(?!\d)")
    return next((e for e in doc.toc if e.kind == kind and prefix.match(e.title)), None)


def _toc_location(doc: Document, entry: TocEntry) -> Location:
    loc = span_location(doc, entry.span)
    return loc.model_copy(update={"section": "目录" if entry.kind == "section" else "图表目录", "page": None})


def _titles(doc: Document) -> list[Finding]:
    findings = []
    for s in doc.sections:
        if not s.title_mismatch:
            continue
        entry = _entry_for_section(doc, s.number, s.toc_title)
        locs = ([_toc_location(doc, entry)] if entry else []) + [span_location(doc, s.span, section_id=s.id, page=s.page)]
        summary = (f"Contents title '{entry.title if entry else s.toc_title}' (p{s.toc_page}) differs from the body heading "
                   f"'{s.heading}'")
        findings.append(Finding(kind="contents_vs_body", severity="warning", summary=summary, locations=locs))
    return findings


def _missing(doc: Document) -> list[Finding]:
    known: set[str] = set()
    for s in doc.sections:
        known |= {_squash(s.heading), _squash(s.title), _squash(s.toc_title), _squash(f"{s.number}{s.toc_title or ''}")}
    findings = []
    for entry in doc.toc:
        if entry.kind != "section" or _squash(entry.title) in known:
            continue
        last = max(doc.sections, key=lambda s: s.span[0], default=None)
        end = _body_end(doc)
        last_para = max(doc.paragraphs, key=lambda p: p.span[1], default=None)
        locs = [_toc_location(doc, entry)] + ([span_location(doc, end, section_id=last_para.section_id if last_para else None,
                                                             page=last_para.page_end if last_para else None)] if end else [])
        tail = f"; the body ends in '{last.heading}'" if last else ""
        summary = f"Contents lists '{entry.title}' on p{entry.page}, but the body has no such heading{tail}"
        findings.append(Finding(kind="contents_vs_body", severity="warning", summary=summary, locations=locs))
    return findings


def _body_end(doc: Document) -> Span | None:
    if not doc.paragraphs:
        return None
    last = max(doc.paragraphs, key=lambda p: p.span[1])
    cut = max(last.text.rfind("。", 0, len(last.text) - 1), last.text.rfind("；", 0, len(last.text) - 1))
    return last.source_span(cut + 1 if cut >= 0 else 0, len(last.text))


def _captions(doc: Document) -> list[Finding]:
    findings = []
    for kind, items in (("figure", doc.figures), ("table", doc.tables)):
        for item in items:
            if not item.toc_caption or _squash(item.toc_caption) == _squash(item.caption):
                continue
            entry = _entry_for(doc, kind, item.number)
            years_toc, years_body = _YEAR_RANGE.findall(item.toc_caption), _YEAR_RANGE.findall(item.caption)
            detail = f" (years {', '.join(years_toc)} vs {', '.join(years_body)})" if years_toc != years_body else ""
            summary = f"{item.id}: contents caption '{item.toc_caption}' differs from the body caption '{item.caption}'{detail}"
            locs = ([_toc_location(doc, entry)] if entry else []) + [span_location(doc, item.span, section_id=item.section_id, page=item.page)]
            findings.append(Finding(kind="contents_vs_body", severity="warning", summary=summary, locations=locs))
    return findings


def _elements(doc: Document) -> list[Element]:
    out = [Element(s.heading, s.toc_page, s.span[0], s.span, _entry_for_section(doc, s.number, s.toc_title), s.id, s.page)
           for s in doc.sections if s.toc_page is not None]
    out += [Element(f"{f.id} {f.caption}", f.toc_page, f.span[0], f.span, _entry_for(doc, "figure", f.number), f.section_id, f.page)
            for f in doc.figures if f.toc_page is not None]
    out += [Element(f"{t.id} {t.caption}", t.toc_page, t.span[0], _caption_span(doc, t.span), _entry_for(doc, "table", t.number),
                    t.section_id, t.page) for t in doc.tables if t.toc_page is not None]
    return sorted(out, key=lambda e: e.offset)


def _caption_span(doc: Document, span: Span) -> Span:
    end = doc.text.find("\n", span[0], span[1])
    return (span[0], end if end > 0 else span[1])


def _pages(doc: Document) -> list[Finding]:
    findings = []
    breaks = sorted(doc.page_breaks)
    elements = _elements(doc)
    for e in elements:
        before = [(pos, n) for pos, n in breaks if pos <= e.offset]
        after = [(pos, n) for pos, n in breaks if pos > e.offset]
        line = None
        if before and e.toc_page < before[-1][1]:
            line, relation = before[-1], "before"
        elif after and e.toc_page >= after[0][1]:
            line, relation = after[0], "after"
        if line is None:
            continue
        summary = (f"Contents puts '{e.name}' on p{e.toc_page}, but the page-number line {line[1]} stands {relation} it in the body")
        page_span = _line_span(doc, line[0])
        locs = ([_toc_location(doc, e.entry)] if e.entry else []) + [
            span_location(doc, e.body_span, section_id=e.section_id, page=e.page), span_location(doc, page_span, page=line[1])]
        findings.append(Finding(kind="contents_vs_body", severity="warning", summary=summary, locations=locs))
    for prev, e, nxt in zip(elements, elements[1:], elements[2:]):
        if prev.toc_page <= nxt.toc_page < e.toc_page:
            summary = (f"Contents puts '{e.name}' on p{e.toc_page}, but in the body it stands between '{prev.name}' "
                       f"(p{prev.toc_page}) and '{nxt.name}' (p{nxt.toc_page}): the contents pages go backwards")
            locs = ([_toc_location(doc, e.entry)] if e.entry else []) + [span_location(doc, e.body_span, section_id=e.section_id, page=e.page)]
            if nxt.entry:
                locs.append(_toc_location(doc, nxt.entry))
            findings.append(Finding(kind="contents_vs_body", severity="warning", summary=summary, locations=locs))
    return findings


def _line_span(doc: Document, pos: int) -> Span:
    end = doc.text.find("\n", pos)
    return (pos, end if end >= 0 else len(doc.text))
