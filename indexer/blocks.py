"""Tag the non-paragraph blocks of the body: figure/table captions, table lines, 数据来源 and 注 lines."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.lines import Line
from indexer.patterns import (
    FIGURE_CAPTION,
    NOTE_LINE,
    SENTENCE_END,
    SOURCE_LINE,
    TABLE_CAPTION,
    looks_like_heading_text,
)

MAX_TABLE_LINES = 40
MAX_NOTE_LINES = 6
MAX_CAPTION_CHARS = 60


@dataclass
class Caption:
    """A figure caption line in the body."""

    number: int
    caption: str
    line: Line


def tag_blocks(lines: list[Line], table_spans: list[tuple[int, int]]) -> list[Caption]:
    """Tag caption/table/source/note lines in place; return the figure captions in order."""
    figures: list[Caption] = []
    next_table = 1
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.kind != "text":
            i += 1
            continue
        if any(a <= ln.start < b for a, b in table_spans):
            if NOTE_LINE.match(ln.text):
                _tag_note(lines, i)
                i += 1
                continue
            ln.kind = "caption_table" if TABLE_CAPTION.match(ln.text) else "table"
            if ln.kind == "caption_table":
                next_table = int(TABLE_CAPTION.match(ln.text)["num"]) + 1  # type: ignore[index]
        elif (m := TABLE_CAPTION.match(ln.text)) and _is_caption(ln.text) and int(m["num"]) == next_table:
            ln.kind = "caption_table"
            next_table += 1
            _tag_table_body(lines, i + 1)
        elif (m := FIGURE_CAPTION.match(ln.text)) and _is_caption(ln.text) and int(m["num"]) == len(figures) + 1:
            ln.kind = "caption_figure"
            figures.append(Caption(int(m["num"]), m["caption"], ln))
        elif SOURCE_LINE.match(ln.text):
            ln.kind = "source"
        elif NOTE_LINE.match(ln.text):
            _tag_note(lines, i)
        i += 1
    return figures


def _is_caption(text: str) -> bool:
    return len(text) <= MAX_CAPTION_CHARS and looks_like_heading_text(text)


def _tag_table_body(lines: list[Line], j: int) -> None:
    """Without a parsed table, take the lines up to the end of the first 数据来源/注 run as table lines."""
    window = range(j, min(len(lines), j + MAX_TABLE_LINES))
    end = next((k for k in window if SOURCE_LINE.match(lines[k].text) or NOTE_LINE.match(lines[k].text)), None)
    if end is None:
        return
    for k in range(j, end):
        if lines[k].kind == "text":
            lines[k].kind = "table"


def _tag_note(lines: list[Line], i: int) -> None:
    """A 注 line and its continuation lines, up to the one that ends a sentence."""
    k = i
    lines[k].kind = "note"
    while not lines[k].text.endswith(SENTENCE_END) and k + 1 < len(lines) and k + 1 - i < MAX_NOTE_LINES:
        nxt = lines[k + 1]
        if nxt.kind not in ("text", "table") or SOURCE_LINE.match(nxt.text) or NOTE_LINE.match(nxt.text):
            break
        nxt.kind = "note"
        k += 1
