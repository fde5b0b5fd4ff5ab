"""Body headings: 一、 chapters, （一） subsections, 附 appendix, company cases with their own numbering, 致谢.

A heading is told apart from running text by three things together: it starts where a
paragraph may start (the previous line closed one), its number is the next one expected at
its level (so a wrapped line that happens to start with '二、' is not taken), and its text
does not read like a sentence. Inside the appendix, numbering restarts in every case and
maps to case_chapter / case_subsection, never to the report's top level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from indexer.lines import TRANSPARENT, Line, split_line
from indexer.patterns import (
    ACKNOWLEDGEMENTS,
    APPENDIX,
    CHAPTER,
    SUBSECTION,
    TERMINAL,
    cn_number,
    looks_like_heading_text,
    squash,
    width,
)
from indexer.toc import join_wrapped
from reportqa.records import TocEntry

CASE_ENDINGS = ("的实践探索", "实践探索", "的实践")
MAX_HEADING_CHARS = 60
MAX_CASE_LINES = 3
CASE_MATCH = 0.85


@dataclass
class Heading:
    """A heading found in the body, before pages and contents are attached."""

    id: str
    kind: str
    number: str
    title: str
    heading: str
    level: int
    parent: str | None
    lines: list[Line] = field(default_factory=list)

    @property
    def span(self) -> tuple[int, int]:
        return (self.lines[0].start, self.lines[-1].end)


@dataclass
class _State:
    chapter: int = 0
    sub: int = 0
    appendix: bool = False
    case: int = 0
    case_chapter: int = 0
    case_sub: int = 0
    ack: bool = False


def find_headings(lines: list[Line], case_titles: list[TocEntry], typical: int) -> tuple[list[Heading], list[Line]]:
    """Headings in reading order and the line list with run-on heading lines split (heading part + text part)."""
    st = _State()
    out: list[Line] = []
    heads: list[Heading] = []
    closed = True
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.kind in TRANSPARENT:
            out.append(ln)
            i += 1
            continue
        found = _match(lines, i, st, case_titles, typical) if ln.kind == "text" and closed else None
        if found is None:
            out.append(ln)
            closed = ln.kind != "text" or _closes(ln, typical)
            i += 1
            continue
        head, used, rest = found
        heads.append(head)
        for part in head.lines:
            part.kind = "heading"
        out.extend(head.lines)
        if rest is not None:
            out.append(rest)
            closed = _closes(rest, typical)
        else:
            closed = True
        i += used
    return heads, out


def _closes(ln: Line, typical: int) -> bool:
    return ln.text.endswith(TERMINAL) or ln.width <= typical * 0.75


def _match(lines: list[Line], i: int, st: _State, cases: list[TocEntry], typical: int) -> tuple[Heading, int, Line | None] | None:
    ln = lines[i]
    t = ln.text
    if not st.appendix and not st.ack and APPENDIX.match(t) and len(t) <= 20:
        st.appendix = True
        return Heading("appendix", "appendix", "", t, t, 1, None, [ln]), 1, None
    if squash(t) in {squash(a) for a in ACKNOWLEDGEMENTS} and not st.ack:
        st.ack = True
        st.appendix = False
        return Heading("ack", "acknowledgements", "", t, t, 1, None, [ln]), 1, None
    if st.appendix and (case := _case_title(lines, i, st, cases)):
        return case
    numbered = _numbered(ln, typical)
    if numbered is None:
        return None
    kind, num, title, cut = numbered
    value = cn_number(num)
    head_line, rest = split_line(ln, cut, "heading") if cut < ln.end else (ln, None)
    text = head_line.text
    if st.appendix:
        prefix = f"appendix/case{st.case}" if st.case else "appendix"
        if kind == "chapter" and value == st.case_chapter + 1:
            st.case_chapter, st.case_sub = value, 0
            head = Heading(f"{prefix}/s{value}", "case_chapter", num, title, text, 3 if st.case else 2, prefix, [head_line])
        elif kind == "subsection" and value == st.case_sub + 1:
            st.case_sub = value
            parent = f"{prefix}/s{st.case_chapter}" if st.case_chapter else prefix
            level = (3 if st.case else 2) + (1 if st.case_chapter else 0)
            sid = f"{prefix}/s{st.case_chapter}.{value}"
            head = Heading(sid, "case_subsection", f"（{num}）", title, text, level, parent, [head_line])
        else:
            return None
    elif kind == "chapter" and value == st.chapter + 1:
        st.chapter, st.sub = value, 0
        head = Heading(f"s{value}", "chapter", num, title, text, 1, None, [head_line])
    elif kind == "subsection" and value == st.sub + 1:
        st.sub = value
        chapter = f"s{st.chapter}" if st.chapter else None
        head = Heading(f"s{st.chapter}.{value}", "subsection", f"（{num}）", title, text, 2, chapter, [head_line])
    else:
        return None
    return head, 1, rest


def _numbered(ln: Line, typical: int) -> tuple[str, str, str, int] | None:
    """(kind, number, title, end offset of the heading part) for a 一、 / （一） line, else None."""
    t = ln.text
    m = CHAPTER.match(t)
    kind = "chapter"
    if m is None:
        m, kind = SUBSECTION.match(t), "subsection"
    if m is None or not cn_number(m["num"]):
        return None
    title = m["title"]
    cut = ln.end
    if "。" in title:
        head, _, tail = title.partition("。")
        if not tail.strip() and not head:
            return None
        title = head
        cut = ln.start + m.start("title") + len(head) + 1
    title = title.strip()
    if not title or len(title) > MAX_HEADING_CHARS or not looks_like_heading_text(title):
        return None
    if cut == ln.end and width(t) > typical + 4:
        return None
    return kind, m["num"], title, cut


def _case_title(lines: list[Line], i: int, st: _State, cases: list[TocEntry]) -> tuple[Heading, int, None] | None:
    """A company case title: 1–3 lines matching a contents entry under 附, or ending in '…的实践探索'."""
    group: list[Line] = []
    best: tuple[float, int] = (0.0, 0)
    for ln in lines[i : i + MAX_CASE_LINES]:
        if ln.kind != "text" or "。" in ln.text or CHAPTER.match(ln.text) or SUBSECTION.match(ln.text):
            break
        group.append(ln)
        joined = join_wrapped([g.text for g in group])
        score = max(_case_ratio(joined, cases), 0.9 if joined.endswith(CASE_ENDINGS) else 0.0)
        if score > best[0]:
            best = (score, len(group))
    if best[0] < CASE_MATCH:
        return None
    group = group[: best[1]]
    joined = join_wrapped([g.text for g in group])
    st.case += 1
    st.case_chapter = st.case_sub = 0
    return Heading(f"appendix/case{st.case}", "case", "", joined, joined, 2, "appendix", group), len(group), None


def _case_ratio(text: str, cases: list[TocEntry]) -> float:
    a = squash(text)
    return max((SequenceMatcher(None, a, squash(e.title)).ratio() for e in cases), default=0.0)
