"""'Apart from X', '除X以外', 'X中除去Y之外的部分': the rows a question leaves out, and where it says so.

The excluded rows are the glossary row mentions that follow an exclusion word, joined by list words
('除A、B以外', 'other than A and B'); a parenthesis right after a row ('外卖（共享型服务）') belongs to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reportqa.query.lexicon.glossary import GlossaryEntry, Mention
from reportqa.query.lexicon.tablewords import EXCLUDE, EXCLUDE_CLOSE, LIST_JOINER, REMAINDER

_PAREN = re.compile(r"\s*[（(][^（）()]{0,24}[）)]")
_ARTICLE = re.compile(r"\s*(?:the\s+)?[“\"‘'「『]?", re.I)  # an article or an opening quote before the row


@dataclass
class Exclusion:
    """Rows a question leaves out, and the character spans that say so (to be blanked before parsing the rest)."""

    rows: list[GlossaryEntry]
    spans: list[tuple[int, int]]
    remainder: bool = False  # '…中除去Y之外的部分': the rest of a whole once a part is taken out
    metrics: list[GlossaryEntry] = field(default_factory=list)  # '人均花费中除去线上花费': a measure taken out

    def __bool__(self) -> bool:
        return bool(self.rows or self.metrics)


def _named_at(mentions: list[Mention], pos: int) -> Mention | None:
    return next((m for m in mentions if m.start == pos and m.entry.kind in ("row", "metric")), None)


def find_exclusion(question: str, mentions: list[Mention]) -> Exclusion:
    """The rows named after an exclusion word ('apart from', '除…以外'), with the spans to blank."""
    rows: list[GlossaryEntry] = []
    metrics: list[GlossaryEntry] = []
    spans: list[tuple[int, int]] = []
    remainder = False
    for m in EXCLUDE.finditer(question):
        pos = m.end()
        end = pos
        found: list[GlossaryEntry] = []
        while True:
            pos += _ARTICLE.match(question, pos).end() - pos  # type: ignore[union-attr]
            row = _named_at(mentions, pos)
            if row is None:
                break
            found.append(row.entry)
            pos = end = row.end
            quote = re.match(r"[”\"’'」』]", question[pos:pos + 1])
            if quote:
                pos = end = pos + 1
            paren = _PAREN.match(question, pos)
            if paren:
                pos = end = paren.end()
            joiner = re.compile(rf"\s*(?:{LIST_JOINER.pattern})\s*", re.I).match(question, pos)
            if not joiner or joiner.end() == pos:
                break
            pos = joiner.end()
        if not found:
            continue
        close = re.compile(rf"\s*(?:{EXCLUDE_CLOSE.pattern})", re.I).match(question, end)
        if close:
            end = close.end()
        rest = question[end:end + 6]
        if REMAINDER.match(rest.lstrip("的之 ")) or (close and REMAINDER.search(rest)):
            remainder = True
        rows.extend(e for e in found if e not in rows and e.kind == "row")
        metrics.extend(e for e in found if e not in metrics and e.kind == "metric")
        spans.append((m.start(), end))
    return Exclusion(rows, spans, remainder, metrics)


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the spans replaced by spaces (same length, so mention offsets stay valid)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = [" "] * (end - start)
    return "".join(chars)
