"""parse_document: a report's text → Document (contents, headings, paragraphs, footnotes, figures, tables, pages).

Stages, each in its own module: source (read + validate) → lines → toc (目录/图表目录) →
footnotes (bodies + markers) → page-number lines → blocks (captions, tables, 数据来源/注) →
headings → paragraphs → sections + contents matching → pages.
"""

from __future__ import annotations

from pathlib import Path

from indexer.blocks import Caption, tag_blocks
from indexer.footnotes import FootnoteBody, find_footnotes
from indexer.headings import find_headings
from indexer.lines import Line, content_lines, quantile
from indexer.pages import Anchor, PageMap, consistent
from indexer.paragraphs import Draft, build_paragraphs
from indexer.patterns import ARABIC_PAGE, ROMAN_PAGE, squash
from indexer.sections import apply_contents, build_sections, innermost, match_contents
from indexer.source import read_report
from indexer.toc import caption_of, parse_contents, section_keys
from reportqa.errors import CorpusFormatError
from reportqa.records import Document, Figure, Footnote, Paragraph, Section, Table, TocEntry


def parse_document(path: Path) -> Document:
    """Parse a report file into a Document; raise CorpusFormatError when it cannot be read as a report."""
    path = Path(path)
    text, sha = read_report(path)
    warnings: list[str] = []
    lines = content_lines(text)
    title = _title(lines)
    toc, body_idx = parse_contents(lines)
    if body_idx == 0:
        body_idx = next((i + 1 for i, ln in enumerate(lines) if ln.text == title), 0)
    body = lines[body_idx:]
    body_start = body[0].start if body else len(text)
    header = _tag_running_headers(body, title)
    notes = find_footnotes(body)
    page_breaks = _page_breaks(body, toc, warnings)
    tables = _extract_tables(text, body_start, warnings)
    for table in tables:
        table.doc_id = path.stem
    figures = tag_blocks(body, [t.span for t in tables])
    case_titles = _case_entries(toc)
    typical = quantile([ln.width for ln in body if ln.kind == "text"], 0.7) or 50
    heads, body = find_headings(body, case_titles, typical)
    if not heads:
        raise CorpusFormatError(
            f"{path.name}: no headings were found in the body (after the contents) — "
            "check that the text is a report with numbered headings (一、… / （一）…)"
        )
    markers = {fn.marker: (fn.number, fn.marker_len) for fn in notes if fn.marker is not None}
    drafts = build_paragraphs(body, markers)

    sections = build_sections(heads, len(text), body_start, (title, header) if header else (title, (body_start, body_start)))
    matched, toc_warnings = match_contents(sections, toc)
    warnings += toc_warnings + apply_contents(sections, matched)
    pages = _page_map(sections, page_breaks, toc, figures, tables, warnings)
    for s in sections:
        s.page, s.page_end = pages.range(s.span[0], s.body_span[1])
        if s.toc_page is not None and s.page != s.toc_page:
            warnings.append(f"contents puts '{s.heading}' on p.{s.toc_page} but the body places it on p.{s.page}")

    paragraphs = _paragraphs(drafts, sections, pages)
    return Document(
        doc_id=path.stem,
        title=title,
        path=str(path),
        sha256=sha,
        text=text,
        toc=toc,
        sections=sections,
        paragraphs=paragraphs,
        footnotes=_footnotes(notes, paragraphs, pages),
        tables=_place_tables(tables, sections, toc, pages, warnings),
        figures=_figures(figures, sections, toc, pages, warnings),
        page_breaks=page_breaks,
        warnings=warnings,
    )


def _title(lines: list[Line]) -> str:
    for ln in lines[:20]:
        if not (ARABIC_PAGE.match(ln.text) or ROMAN_PAGE.match(ln.text)) and ln.text not in ("目录", "目 录"):
            return ln.text
    return ""


def _tag_running_headers(body: list[Line], title: str) -> tuple[int, int] | None:
    """Tag repeats of the title line (running headers); return the first one's span."""
    first = None
    for ln in body:
        if title and squash(ln.text) == squash(title):
            ln.kind = "header"
            first = first or ln.span
    return first


def _page_breaks(body: list[Line], toc: list[TocEntry], warnings: list[str]) -> list[tuple[int, int]]:
    """Lone page-number lines that increase; other lone numbers are dropped from the text with a warning."""
    listed = [e.page for e in toc if e.page is not None]
    limit = max(listed) + 20 if listed else 10_000
    out: list[tuple[int, int]] = []
    for ln in body:
        if ln.kind == "text" and ROMAN_PAGE.match(ln.text):
            ln.kind = "roman"
        if ln.kind != "text" or not ARABIC_PAGE.match(ln.text):
            continue
        ln.kind = "page"
        page = int(ln.text)
        if (out and page <= out[-1][1]) or page > limit:
            warnings.append(f"lone number line '{ln.text}' at offset {ln.start} is neither a page number nor a footnote; skipped")
            continue
        out.append((ln.start, page))
    return out


def _extract_tables(text: str, body_start: int, warnings: list[str]) -> list[Table]:
    try:
        from indexer.tables import extract_tables
    except ImportError:
        return []
    try:
        tables = extract_tables(text)
    except Exception as err:  # a table bug must not take the rest of the structure down
        warnings.append(f"table extraction failed ({type(err).__name__}: {err}); tables are missing")
        return []
    return [t for t in tables if t.span[0] >= body_start]


def _case_entries(toc: list[TocEntry]) -> list[TocEntry]:
    keys = section_keys(toc)
    return [e for k, e in keys.items() if k.startswith("appendix/case")]


def _page_map(sections: list[Section], breaks: list[tuple[int, int]], toc: list[TocEntry], figures: list[Caption],
              tables: list[Table], warnings: list[str]) -> PageMap:
    anchors = [Anchor(o, p, "break", f"page-number line {p}") for o, p in breaks]
    anchors += [Anchor(s.span[0], s.toc_page, "heading", s.heading) for s in sections if s.toc_page is not None]
    listed = {(e.kind, n): e.page for e in toc if e.kind in ("figure", "table") and (c := caption_of(e)) for n in [c[0]]}
    anchors += [Anchor(f.line.start, p, "caption", f"图{f.number}") for f in figures if (p := listed.get(("figure", f.number)))]
    anchors += [Anchor(t.span[0], p, "caption", t.id) for t in tables if (p := listed.get(("table", t.number)))]
    kept, dropped = consistent(anchors)
    for a in (a for a in dropped if a.kind != "heading"):  # headings get their own warning in parse_document
        warnings.append(f"page {a.page} for '{a.label}' (from the {'page-number line' if a.kind == 'break' else 'contents'}) "
                        "contradicts the pages around it; not used for page numbers")
    return PageMap(kept)


def _paragraphs(drafts: list[Draft], sections: list[Section], pages: PageMap) -> list[Paragraph]:
    out = []
    for n, d in enumerate(drafts, 1):
        sec = innermost(sections, d.start)
        page, page_end = pages.range(d.start, d.end)
        out.append(Paragraph(id=f"p{n}", section_id=sec.id if sec else "preface", text=d.text, span=(d.start, d.end),
                             segments=d.segments, page=page, page_end=page_end, footnote_refs=d.refs))
    return out


def _footnotes(notes: list[FootnoteBody], paragraphs: list[Paragraph], pages: PageMap) -> list[Footnote]:
    out = []
    for fn in notes:
        para = next((p for p in paragraphs if fn.marker is not None and p.span[0] <= fn.marker < p.span[1]), None)
        page = pages.page(fn.marker if fn.marker is not None else fn.span[0])  # printed on its marker's page
        out.append(Footnote(number=fn.number, text=fn.text, span=fn.span, page=page,
                            marker_offset=fn.marker, paragraph_id=para.id if para else None))
    return out


def _figures(
    caps: list[Caption], sections: list[Section], toc: list[TocEntry], pages: PageMap, warnings: list[str]
) -> list[Figure]:
    listed = {c[0]: (c[1], e.page) for e in toc if e.kind == "figure" and (c := caption_of(e))}
    out = []
    for cap in caps:
        toc_caption, toc_page = listed.get(cap.number, (None, None))
        sec = innermost(sections, cap.line.start)
        if toc_caption is not None and squash(toc_caption) != squash(cap.caption):
            warnings.append(f"图{cap.number}: contents caption '{toc_caption}' differs from the body caption '{cap.caption}'")
        out.append(Figure(id=f"图{cap.number}", number=cap.number, caption=cap.caption, section_id=sec.id if sec else None,
                          page=pages.page(cap.line.start), span=cap.line.span, toc_caption=toc_caption, toc_page=toc_page))
    return out


def _place_tables(
    tables: list[Table], sections: list[Section], toc: list[TocEntry], pages: PageMap, warnings: list[str]
) -> list[Table]:
    listed = {c[0]: (c[1], e.page) for e in toc if e.kind == "table" and (c := caption_of(e))}
    for t in tables:
        sec = innermost(sections, t.span[0])
        t.section_id = sec.id if sec else None
        t.section_path = list(sec.path) if sec else []
        t.page = pages.page(t.span[0])
        t.toc_caption, t.toc_page = listed.get(t.number, (None, None))
        if t.toc_caption is not None and squash(t.toc_caption) != squash(t.caption):
            warnings.append(f"{t.id}: contents caption '{t.toc_caption}' differs from the body caption '{t.caption}'")
    return tables
