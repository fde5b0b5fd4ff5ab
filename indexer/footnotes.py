"""Footnote bodies printed in the middle of the running text, and the markers that point at them.

In PDF text a footnote body is a line (or a few) noticeably wider than the body text — the
footnote font is smaller — starting with its number ('1 2022年度…', '3市场管理司…') or
preceded by a lone number line ('4'). Markers are digits glued after a word or closing
punctuation and before punctuation or the line end ('有数据显示3，', '千克4。'). Both are
numbered 1, 2, 3… in reading order, and a body always follows its marker; that sequence is
what separates them from real numbers and from page-number lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.lines import Line, quantile
from indexer.patterns import ARABIC_PAGE, FOOTNOTE_START, MARKER, SENTENCE_END
from indexer.toc import join_wrapped

WIDE_FACTOR = 1.15
MAX_BODY_LINES = 6


@dataclass
class FootnoteBody:
    """A footnote body found in the text: its number, its lines and where its text starts."""

    number: int
    lines: list[Line] = field(default_factory=list)
    text_start: int = 0
    number_line: Line | None = None  # a lone 'N' line printed before the body
    marker: int | None = None  # source offset of the marker digit(s)
    marker_len: int = 0

    @property
    def text(self) -> str:
        first = self.lines[0]
        parts = [first.text[self.text_start - first.start :]] + [ln.text for ln in self.lines[1:]]
        return join_wrapped(parts)

    @property
    def span(self) -> tuple[int, int]:
        return (self.text_start, self.lines[-1].end)


def _typical_width(lines: list[Line], i: int, radius: int = 10) -> int:
    window = [ln.width for ln in lines[max(0, i - radius) : i + radius + 1] if ln.kind == "text" and ln.width > 8]
    return quantile(window, 0.6) or 50


def _markers(lines: list[Line]) -> list[tuple[int, int, int]]:
    """(source offset, number, length) of every marker-shaped digit in text lines."""
    out = []
    for ln in lines:
        if ln.kind != "text":
            continue
        for m in MARKER.finditer(ln.text):
            out.append((ln.start + m.start("num"), int(m["num"]), len(m["num"])))
    return out


def find_footnotes(lines: list[Line]) -> list[FootnoteBody]:
    """Find footnote bodies in order (1, 2, …), tag their lines 'footnote' and link each to its marker."""
    candidates = _markers(lines)
    found: list[FootnoteBody] = []
    expected = 1
    last_marker = -1
    i = 0
    while i < len(lines):
        ln = lines[i]
        body = _body_at(lines, i, expected) if ln.kind == "text" else None
        if body is None:
            i += 1
            continue
        marker = next(
            ((off, n, k) for off, n, k in candidates if n == expected and last_marker < off < body.lines[0].start),
            None,
        )
        if marker is None:
            i += 1
            continue
        body.marker, _, body.marker_len = marker
        last_marker = marker[0]
        _extend(lines, body, i)
        for part in body.lines:
            part.kind = "footnote"
        if body.number_line is not None:
            body.number_line.kind = "footnote"
        found.append(body)
        expected += 1
        i = lines.index(body.lines[-1]) + 1
    return found


def _body_at(lines: list[Line], i: int, expected: int) -> FootnoteBody | None:
    ln = lines[i]
    full = _typical_width(lines, i)
    if ARABIC_PAGE.match(ln.text) and int(ln.text) == expected and i + 1 < len(lines):
        nxt = lines[i + 1]
        if nxt.kind == "text" and nxt.width >= full * WIDE_FACTOR:
            return FootnoteBody(expected, [nxt], nxt.start, number_line=ln)
        return None
    m = FOOTNOTE_START.match(ln.text)
    if m and int(m["num"]) == expected and m["body"] and ln.width >= full * WIDE_FACTOR:
        return FootnoteBody(expected, [ln], ln.start + m.start("body"))
    return None


def _extend(lines: list[Line], body: FootnoteBody, i: int) -> None:
    """Add continuation lines until one ends a sentence (or a page number / narrow body line shows up)."""
    j = lines.index(body.lines[0]) + 1
    full = _typical_width(lines, i)
    while j < len(lines) and len(body.lines) < MAX_BODY_LINES:
        last, nxt = body.lines[-1], lines[j]
        if last.text.endswith(SENTENCE_END) or nxt.kind != "text" or ARABIC_PAGE.match(nxt.text):
            break
        if nxt.width < full * WIDE_FACTOR and not (nxt.text.endswith(SENTENCE_END) and not nxt.lead_space):
            break
        body.lines.append(nxt)
        j += 1
