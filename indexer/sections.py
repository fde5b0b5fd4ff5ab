"""Turn found headings into Section records: body spans, heading paths, contents matches."""

from __future__ import annotations

from difflib import SequenceMatcher

from indexer.headings import Heading
from indexer.patterns import squash
from indexer.toc import section_keys, strip_number
from reportqa.records import Section, TocEntry

FUZZY_MATCH = 0.6


def build_sections(
    heads: list[Heading], text_len: int, body_start: int, preface: tuple[str, tuple[int, int]] | None
) -> list[Section]:
    """Sections in reading order (preface first when there is text before the first heading)."""
    sections: list[Section] = []
    first = heads[0].span[0] if heads else text_len
    if preface is not None and first > body_start:
        title, span = preface
        sections.append(
            Section(id="preface", number="", title=title, heading=title, level=1, kind="preface", parent=None,
                    path=[title] if title else [], span=span, body_span=(body_start, first))
        )
    paths: dict[str, list[str]] = {}
    for k, h in enumerate(heads):
        end = next((o.span[0] for o in heads[k + 1 :] if o.level <= h.level), text_len)
        path = [*paths.get(h.parent or "", []), h.heading] if h.parent else [h.heading]
        paths[h.id] = path
        sections.append(
            Section(id=h.id, number=h.number, title=h.title, heading=h.heading, level=h.level, kind=h.kind,  # type: ignore[arg-type]
                    parent=h.parent, path=path, span=h.span, body_span=(h.span[0], end))
        )
    return sections


def match_contents(sections: list[Section], toc: list[TocEntry]) -> tuple[dict[str, TocEntry], list[str]]:
    """Map section ids to contents entries (by number and position, then by title similarity); warnings."""
    keyed = section_keys(toc)
    matched: dict[str, TocEntry] = {}
    warnings: list[str] = []
    used: set[int] = set()
    for s in sections:
        e = keyed.get(s.id)
        if e is not None and _similar(s.title, e) >= 0.3:
            matched[s.id] = e
            used.add(id(e))
    for s in sections:
        if s.id in matched or s.kind in ("preface", "case_chapter", "case_subsection"):
            continue
        pool = [e for e in toc if e.kind == "section" and id(e) not in used]
        best = max(pool, key=lambda e: _similar(s.title, e), default=None)
        if best is not None and _similar(s.title, best) >= FUZZY_MATCH:
            matched[s.id] = best
            used.add(id(best))
        else:
            warnings.append(f"body heading '{s.heading}' ({s.id}) has no entry in the contents")
    for e in toc:
        if e.kind == "section" and id(e) not in used:
            warnings.append(f"contents lists '{e.title}' (p.{e.page}) but the body has no such heading")
    return matched, warnings


def _similar(title: str, entry: TocEntry) -> float:
    return SequenceMatcher(None, squash(title), squash(strip_number(entry.title))).ratio()


def apply_contents(sections: list[Section], matched: dict[str, TocEntry]) -> list[str]:
    """Fill toc_title / toc_page / title_mismatch; return a warning per title mismatch."""
    warnings = []
    for s in sections:
        e = matched.get(s.id)
        if e is None:
            continue
        s.toc_title = strip_number(e.title)
        s.toc_page = e.page
        if squash(s.toc_title) != squash(s.title):
            s.title_mismatch = True
            warnings.append(f"contents title '{e.title}' differs from the body heading '{s.heading}' ({s.id})")
    return warnings


def innermost(sections: list[Section], offset: int) -> Section | None:
    """The deepest section whose body contains ``offset``."""
    best: Section | None = None
    for s in sections:
        a, b = s.body_span
        if a <= offset < b and (best is None or s.level >= best.level):
            best = s
    return best
