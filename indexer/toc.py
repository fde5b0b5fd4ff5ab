"""The report's contents (目录) and list of figures and tables (图表目录) as TocEntry records."""

from __future__ import annotations

import re
from typing import Literal

from indexer.lines import Line
from indexer.patterns import (
    ACKNOWLEDGEMENTS,
    APPENDIX,
    ARABIC_PAGE,
    CHAPTER,
    LEADER,
    ROMAN_PAGE,
    SUBSECTION,
    cn_number,
    squash,
)
from reportqa.records import TocEntry

CONTENTS_HEADERS = {"目录", "目 录", "目  录", "目次", "Contents", "CONTENTS"}
LIST_HEADERS = {"图表目录", "图表索引", "图目录", "表目录", "插图目录"}
_FIG = re.compile(r"^图\s*(?P<num>\d{1,3})\s*(?P<caption>\S.*)$")
_TAB = re.compile(r"^表\s*(?P<num>\d{1,3})\s*(?P<caption>\S.*)$")
MAX_HEADER_SEARCH = 40


def join_wrapped(parts: list[str]) -> str:
    """Join hard-wrapped pieces: no space between CJK characters, one space between Latin words."""
    out = ""
    for p in (p.strip() for p in parts):
        if out and p and _ascii_word(out[-1]) and _ascii_word(p[0]):
            out += " "
        out += p
    return out


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def parse_contents(lines: list[Line]) -> tuple[list[TocEntry], int]:
    """Contents entries and the index of the first body line; tags contents lines as 'toc'/'roman'."""
    head = next((i for i, ln in enumerate(lines[:MAX_HEADER_SEARCH]) if ln.text in CONTENTS_HEADERS), None)
    if head is None:
        return [], 0
    lines[head].kind = "toc"
    entries: list[TocEntry] = []
    pending: list[Line] = []
    end = head + 1
    j = head + 1
    while j < len(lines):
        ln = lines[j]
        if ln.text in LIST_HEADERS:
            ln.kind = "toc"
        elif ROMAN_PAGE.match(ln.text):
            ln.kind = "roman"
        elif m := LEADER.search(ln.text):
            parts = [p.text for p in pending] + [ln.text[: m.start()]]
            first = pending[0] if pending else ln
            entries.append(_entry(join_wrapped(parts), int(m["page"]), (first.start, ln.end)))
            for p in [*pending, ln]:
                p.kind = "toc"
            pending = []
            end = j + 1
        elif len(pending) < 2 and not ARABIC_PAGE.match(ln.text) and _next_is_leader(lines, j):
            pending.append(ln)
        else:
            break
        j += 1
    if not entries:
        lines[head].kind = "text"
        return [], 0
    return entries, end


def _next_is_leader(lines: list[Line], j: int) -> bool:
    for ln in lines[j + 1 : j + 4]:
        if ROMAN_PAGE.match(ln.text):
            continue
        return bool(LEADER.search(ln.text))
    return False


def _entry(title: str, page: int, span: tuple[int, int]) -> TocEntry:
    title = title.strip()
    kind: Literal["section", "figure", "table"]
    if _FIG.match(title):
        kind, level = "figure", 0
    elif _TAB.match(title):
        kind, level = "table", 0
    else:
        kind, level = "section", 2 if SUBSECTION.match(title) else 1
    return TocEntry(title=title, page=page, kind=kind, level=level, span=span)


def caption_of(entry: TocEntry) -> tuple[int, str] | None:
    """(number, caption) of a figure/table entry: '图 5 2017-2021年…' → (5, '2017-2021年…')."""
    m = (_FIG if entry.kind == "figure" else _TAB).match(entry.title)
    return (int(m["num"]), m["caption"].strip()) if m else None


def section_keys(entries: list[TocEntry]) -> dict[str, TocEntry]:
    """Contents entries keyed by the structural id they should match: 's1', 's1.2', 'appendix', 'appendix/case1', 'ack'."""
    keys: dict[str, TocEntry] = {}
    chapter = 0
    in_appendix = False
    cases = 0
    for e in entries:
        if e.kind != "section":
            continue
        t = e.title
        if squash(t) in {squash(a) for a in ACKNOWLEDGEMENTS}:
            keys["ack"] = e
        elif APPENDIX.match(t) and not in_appendix:
            in_appendix = True
            keys["appendix"] = e
        elif in_appendix:
            if e.level == 1 and not CHAPTER.match(t):
                cases += 1
                keys[f"appendix/case{cases}"] = e
        elif (m := CHAPTER.match(t)) and cn_number(m["num"]):
            chapter = cn_number(m["num"])
            keys[f"s{chapter}"] = e
        elif (m := SUBSECTION.match(t)) and cn_number(m["num"]):
            keys[f"s{chapter}.{cn_number(m['num'])}"] = e
    return keys


def strip_number(title: str) -> str:
    """Title without its printed numbering ('（一）治理…' → '治理…', '附：企业案例' stays)."""
    m = CHAPTER.match(title) or SUBSECTION.match(title)
    return m["title"].strip() if m and cn_number(m["num"]) else title.strip()
