"""Non-blank lines of a report with their source offsets, display widths and a kind tag."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from indexer.patterns import width

# Kinds: text, heading, page, roman, header (running title), footnote, caption_figure, caption_table,
# table, source, note, toc. Only 'text' lines become paragraph text.
TRANSPARENT = {"page", "roman", "header", "footnote"}


@dataclass
class Line:
    """One non-blank line (or the text part of a run-on heading line), stripped of outer whitespace."""

    start: int
    end: int
    text: str
    kind: str = "text"
    lead_space: bool = False
    forced_start: bool = False  # text that follows a run-on heading starts a paragraph

    @property
    def width(self) -> int:
        return width(self.text)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def content_lines(text: str, start: int = 0) -> list[Line]:
    """Every non-blank line of ``text`` from offset ``start``, stripped, with offsets into ``text``."""
    out: list[Line] = []
    pos = start
    for raw in text[start:].split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(pos + lead, pos + lead + len(stripped), stripped, lead_space=lead > 0))
        pos += len(raw) + 1
    return out


def split_line(line: Line, cut: int, head_kind: str) -> tuple[Line, Line | None]:
    """Split a line at source offset ``cut``: the head gets ``head_kind``, the rest stays text."""
    head_text = line.text[: cut - line.start].rstrip()
    head = Line(line.start, line.start + len(head_text), head_text, head_kind, line.lead_space)
    rest_raw = line.text[cut - line.start :]
    rest_text = rest_raw.strip()
    if not rest_text:
        return head, None
    lead = len(rest_raw) - len(rest_raw.lstrip())
    rest = Line(cut + lead, cut + lead + len(rest_text), rest_text, "text", forced_start=True)
    return head, rest


def local_full_widths(lines: list[Line], radius: int = 40) -> dict[int, int]:
    """For each text line (keyed by start offset), the full line width around it: the most common width nearby."""
    text_lines = [ln for ln in lines if ln.kind == "text"]
    widths = [ln.width for ln in text_lines]
    out: dict[int, int] = {}
    for i, ln in enumerate(text_lines):
        window = widths[max(0, i - radius) : i + radius + 1]
        top = max(window)
        counts = Counter(w for w in window if w >= top * 0.6)
        out[ln.start] = max(counts, key=lambda w: (counts[w], w))
    return out


def quantile(values: list[int], q: float) -> int:
    """The ``q`` quantile of ``values`` (nearest rank); 0 for an empty list."""
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
