"""Shared line patterns and small helpers for reading PDF-extracted Chinese report text."""

from __future__ import annotations

import re
import unicodedata

CN_DIGITS = "一二三四五六七八九十"
CHAPTER = re.compile(rf"^(?P<num>[{CN_DIGITS}]{{1,3}})、(?P<title>\S.*)$")
SUBSECTION = re.compile(rf"^[（(](?P<num>[{CN_DIGITS}]{{1,3}})[）)](?P<title>\S.*)$")
APPENDIX = re.compile(r"^附(?:\s*录)?\s*[：:]\s*\S.*$|^附\s*录\s*\S{0,20}$")
ACKNOWLEDGEMENTS = {"致谢", "致 谢", "后记", "鸣谢"}
FIGURE_CAPTION = re.compile(r"^图\s*(?P<num>\d{1,3})\s*(?P<caption>\S.*?)\s*$")
TABLE_CAPTION = re.compile(r"^表\s*(?P<num>\d{1,3})\s+(?P<caption>\S.*?)\s*$")
SOURCE_LINE = re.compile(r"^(数据来源|资料来源|来源)\s*[：:]")
NOTE_LINE = re.compile(r"^(注|备注|说明)\s*[：:]")
LEADER = re.compile(r"\s*(?:\.{3,}|…{2,}|·{3,}|．{3,}|-{4,})\s*(?P<page>\d{1,4})\s*$")
ARABIC_PAGE = re.compile(r"^\d{1,4}$")
ROMAN_PAGE = re.compile(r"^(?=[IVXLCivxlc])[IVXLCivxlc]{1,6}$")
FOOTNOTE_START = re.compile(r"^(?P<num>\d{1,2})(?:\s+|(?=[^\d.,%年月日万亿个千百余多项家次倍．，。、\s]))(?P<body>\S.*)?$")
# A marker digit is glued after a word or closing punctuation and followed by punctuation, the line end,
# or a Chinese character that is not a unit or date word ('回收率1达到' is a marker, '2个' is a count).
MARKER = re.compile(
    r"(?<=[\u4e00-\u9fff%％）)”」』》])(?P<num>\d{1,2})"
    r"(?=[，。；：、,;]|\s*$|(?![年月日时万亿个千百余多项家次倍元吨辆人座台条款批期号届种类名位户所级成折周岁度])[\u4e00-\u9fff])"
)
TERMINAL = ("。", "！", "？", "：", "。”", "！”", "？”", "…", "!", "?", ":")
SENTENCE_END = ("。", "！", "？", ".", "!", "?")
HEADING_BLOCKERS = ("，", "、", "；", ",", ";")


def cn_number(text: str) -> int:
    """Value of a small Chinese numeral ('一' → 1, '十二' → 12, '二十' → 20); 0 when unreadable."""
    vals = {c: i + 1 for i, c in enumerate(CN_DIGITS)}
    if not text or any(c not in vals for c in text):
        return 0
    if "十" not in text:
        return vals[text] if len(text) == 1 else 0
    tens, _, ones = text.partition("十")
    return (vals[tens] if tens else 1) * 10 + (vals[ones] if ones else 0)


def width(text: str) -> int:
    """Display width: CJK and ambiguous-width characters count 2, others 1."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def squash(text: str) -> str:
    """Text without any whitespace, for comparisons that must ignore wrap artefacts."""
    return re.sub(r"\s+", "", text)


def looks_like_heading_text(text: str) -> bool:
    """True when ``text`` could be a heading line: not ending mid-sentence, no sentence break inside."""
    t = text.strip()
    return bool(t) and not t.endswith(HEADING_BLOCKERS) and not t.endswith(SENTENCE_END) and "。" not in t


def has_headings(text: str) -> bool:
    """Cheap check that a text has at least one numbered heading line (一、 or （一）)."""
    for line in text.splitlines():
        t = line.strip()
        if len(t) > 60 or LEADER.search(t):
            continue
        m = CHAPTER.match(t) or SUBSECTION.match(t)
        if m and cn_number(m["num"]) and looks_like_heading_text(m["title"].split("。")[0]):
            return True
    return False
