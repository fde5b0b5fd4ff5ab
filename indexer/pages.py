"""Page numbers for any offset, from two sources: lone page-number lines and the contents' pages.

Anchors are (offset, page) facts: a page-number line N says the text after it is on page N
(and the text before it on an earlier page); a heading listed in the contents on page N
stands on page N; a figure/table listed in 图表目录 likewise, but more weakly. Anchors that
contradict the others (pages must not decrease) are dropped — the largest consistent set
wins, page-number lines weighing most — and reported. Between two anchors the page is
interpolated by character offset, never outside the two anchors' pages.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from reportqa.records import Document

WEIGHTS = {"break": 4, "heading": 2, "caption": 1}


@dataclass(frozen=True)
class Anchor:
    """A fact about the page at a source offset."""

    offset: int
    page: int
    kind: str  # 'break' | 'heading' | 'caption'
    label: str


def _compatible(a: Anchor, b: Anchor) -> bool:
    """Can ``a`` (earlier in the text) and ``b`` both hold?"""
    if b.kind == "break":
        return a.page < b.page or (a.page == b.page and a.offset == b.offset)
    return a.page <= b.page


def consistent(anchors: list[Anchor]) -> tuple[list[Anchor], list[Anchor]]:
    """Split anchors into the heaviest mutually consistent chain and the ones that contradict it."""
    items = sorted(anchors, key=lambda a: (a.offset, -WEIGHTS[a.kind]))
    best = [WEIGHTS[a.kind] for a in items]
    back: list[int | None] = [None] * len(items)
    for j, b in enumerate(items):
        for i in range(j):
            if _compatible(items[i], b) and best[i] + WEIGHTS[b.kind] > best[j]:
                best[j], back[j] = best[i] + WEIGHTS[b.kind], i
    if not items:
        return [], []
    k: int | None = max(range(len(items)), key=lambda x: best[x])
    chain: list[Anchor] = []
    while k is not None:
        chain.append(items[k])
        k = back[k]
    chain.reverse()
    kept = set(chain)
    return chain, [a for a in items if a not in kept]


class PageMap:
    """Offset → page, from a consistent chain of anchors."""

    def __init__(self, anchors: list[Anchor]):
        self.anchors = sorted(anchors, key=lambda a: a.offset)
        self.offsets = [a.offset for a in self.anchors]

    def page(self, offset: int) -> int | None:
        """Estimated page of ``offset`` (None when there are no anchors at all)."""
        if not self.anchors:
            return None
        k = bisect_right(self.offsets, offset)
        prev = self.anchors[k - 1] if k else None
        nxt = self.anchors[k] if k < len(self.anchors) else None
        if prev is None:
            assert nxt is not None
            page = nxt.page - 1 if nxt.kind == "break" else nxt.page
            return page if page >= 1 else None
        if nxt is None:
            return prev.page
        upper = max(prev.page, nxt.page - 1 if nxt.kind == "break" else nxt.page)
        if upper == prev.page:
            return prev.page
        frac = (offset - prev.offset) / max(1, nxt.offset - prev.offset)
        return prev.page + min(upper - prev.page, int(frac * (upper - prev.page + 1)))

    def range(self, start: int, end: int) -> tuple[int | None, int | None]:
        """(page of the first character, page of the last character) of ``[start, end)``."""
        first = self.page(start)
        last = self.page(max(start, end - 1))
        if first is not None and last is not None and last < first:
            last = first
        return first, last


def page_map(doc: Document) -> PageMap:
    """The offset → page map parse_document used: page-number lines + contents pages that held."""
    anchors = [Anchor(o, p, "break", f"page-number line {p}") for o, p in doc.page_breaks]
    anchors += [Anchor(s.span[0], s.page, "heading", s.heading) for s in doc.sections if s.page is not None and s.page == s.toc_page]
    anchors += [Anchor(f.span[0], f.page, "caption", f.id) for f in doc.figures if f.page is not None and f.page == f.toc_page]
    anchors += [Anchor(t.span[0], t.page, "caption", t.id) for t in doc.tables if t.page is not None and t.page == t.toc_page]
    return PageMap(consistent(anchors)[0])
