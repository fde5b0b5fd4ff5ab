"""Re-join hard-wrapped text lines into paragraphs, with a map from paragraph text back to the source.

The paragraph-boundary signal in PDF text is the first-line indent: a paragraph's first line
is two CJK characters (≈4 width units) narrower than a full line, and its last line usually
stops short. So a new paragraph starts after a line that ends a sentence (。！？：) when
either that line is short or the next line is indented. Full-width lines that happen to end
with 。 continue the paragraph. The stray leading space some lines carry is an extraction
artefact at wrap points and is NOT a signal. A line narrower than full only because the
next line starts with a long Latin word/number that did not fit is not indented either.
Page-number lines, running headers and footnote bodies are skipped without breaking the
paragraph; headings, captions, tables and 数据来源/注 lines always end it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from indexer.lines import TRANSPARENT, Line, local_full_widths
from indexer.patterns import TERMINAL

SHORT_LAST_LINE = 6  # a last line at least this much narrower than full ends the paragraph
INDENT_MIN, INDENT_MAX = 2, 12  # a first line is this much narrower than full
_LEADING_ASCII = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.,%/+\-]*")


@dataclass
class Draft:
    """A paragraph being built: its text, segments and the footnote markers taken out of it."""

    text: str = ""
    segments: list[tuple[int, int, int]] = field(default_factory=list)
    start: int = 0
    end: int = 0
    refs: list[int] = field(default_factory=list)
    markers: list[tuple[int, int]] = field(default_factory=list)  # (source offset, number)

    def add(self, line: Line, markers: dict[int, tuple[int, int]]) -> None:
        """Append a line (joining without a space unless two Latin words meet), dropping marker digits."""
        if not self.segments:
            self.start = line.start
        elif _ascii_word(self.text[-1:]) and _ascii_word(line.text[:1]):
            self.text += " "
        pos = line.start
        for off in sorted(o for o in markers if line.start <= o < line.end):
            number, length = markers[off]
            self._piece(line, pos, off)
            self.refs.append(number)
            self.markers.append((off, number))
            pos = off + length
        self._piece(line, pos, line.end)
        self.end = line.end

    def _piece(self, line: Line, a: int, b: int) -> None:
        if b > a:
            self.segments.append((len(self.text), a, b - a))
            self.text += line.text[a - line.start : b - line.start]


def _ascii_word(ch: str) -> bool:
    return bool(ch) and ch.isascii() and ch.isalnum()


def build_paragraphs(lines: list[Line], markers: dict[int, tuple[int, int]]) -> list[Draft]:
    """Join the 'text' lines into paragraphs; ``markers`` maps source offset → (footnote number, length)."""
    fulls = local_full_widths(lines)
    texts = [ln for ln in lines if ln.kind == "text"]
    next_text = {id(a): b for a, b in pairwise(texts)}
    out: list[Draft] = []
    cur: Draft | None = None
    prev: Line | None = None
    for ln in lines:
        if ln.kind in TRANSPARENT:
            continue
        if ln.kind != "text":
            cur, prev = None, None
            continue
        if cur is None or prev is None or _is_break(prev, ln, next_text.get(id(ln)), fulls):
            cur = Draft()
            out.append(cur)
        cur.add(ln, markers)
        prev = ln
    return [d for d in out if d.text.strip()]


def _is_break(a: Line, b: Line, after_b: Line | None, fulls: dict[int, int]) -> bool:
    """Whether text line ``b`` starts a new paragraph after text line ``a``."""
    if b.forced_start:
        return True
    if not a.text.endswith(TERMINAL):
        return False
    full_a, full_b = fulls.get(a.start, a.width), fulls.get(b.start, b.width)
    if a.width + _carry(b) <= full_a - SHORT_LAST_LINE:
        return True
    w = b.width + (_carry(after_b) if after_b is not None and not _ascii_word(b.text[-1:]) else 0)
    return full_b - INDENT_MAX <= w <= full_b - INDENT_MIN


def _carry(nxt: Line) -> int:
    """Width of a Latin word/number at the start of ``nxt`` that may have been pushed off the previous line."""
    m = _LEADING_ASCII.match(nxt.text)
    return len(m.group()) + 1 if m else 0
