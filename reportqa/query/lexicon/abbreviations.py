"""General abbreviations expanded before a question is analysed: English words ('txn vol', 'avg', '# of'),
colloquial Chinese ('盘子' → '规模', '融到' → '融资') and two-digit years ('23年' → '2023年', "in '23" → 'in 2023').

The words are data (``data/en_abbreviations.tsv``, ``data/zh_colloquial.tsv``); a report's own abbreviations and
aliases belong in its glossary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern[str], dict[str, str]]:
    words: dict[str, str] = {}
    text = resources.files("reportqa.query.lexicon").joinpath("data/en_abbreviations.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or (line.startswith("#") and not line.startswith("#\t")):
            continue
        short, _, full = line.partition("\t")
        if full.strip():
            words[short.strip().lower()] = full.strip()
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # whole words only: no letter, digit or hyphen on either side ('vol' not in 'volume', 'co' not in 'co-op'),
    # no dot before ('S.' in 'U.S.' is not South)
    # and a longer abbreviation closing a hyphenated compound ('sharing-econ'); a short one there is a word's part
    tails = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if len(w) >= 4 and w.isalpha())
    # (an abbreviation's own dot before the next word goes with it: 'recov. rate' is 'recovery rate')
    pattern = re.compile(rf"(?:(?<![A-Za-z0-9\-.])(?:{alternatives})|(?<=[A-Za-z]-)(?:{tails}))(?![A-Za-z0-9/\-])"
                         rf"(?:\.(?=\s+[a-z0-9%(]))?", re.I)
    return pattern, words


_ESTIMATE_YEAR = re.compile(r"(?<![\w.])((?:19|20)\d{2})[EF](?![A-Za-z0-9])")
# an ordinal in digits glued to a hyphenated word is the word's first part ('2nd-life' → 'second-life', '1st-tier')
_DIGIT_ORDINAL = re.compile(r"(?<![\w.])(1st|2nd|3rd)(?=-[A-Za-z])", re.I)
_ORDINAL_WORDS = {"1st": "first", "2nd": "second", "3rd": "third"}


@lru_cache(maxsize=1)
def _symbols() -> tuple[re.Pattern[str], dict[str, str]]:
    text = resources.files("reportqa.query.lexicon").joinpath("data/en_symbols.tsv").read_text(encoding="utf-8")
    words = dict(line.split("\t", 1) for line in text.splitlines() if line.strip() and not line.startswith("#"))
    words = {k.strip(): v.strip() for k, v in words.items()}
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # case-sensitive whole words; not a name's part ('Acme Co.') nor a Chinese-text fragment
    return re.compile(rf"(?<![A-Za-z0-9\-.])(?:{alternatives})(?![A-Za-z0-9\-.])"), words


def expand_abbreviations(text: str) -> str:
    """``text`` with the general abbreviations written out ('CN txn vol' → 'China transaction volume'); Chinese
    text and words that are not abbreviations stay as they are."""
    if not re.search(r"[A-Za-z#]", text):
        return text
    text = _ESTIMATE_YEAR.sub(lambda m: f"{m.group(1)} (forecast)", text)  # analysts' '2025E' / '2025F'
    text = _DIGIT_ORDINAL.sub(lambda m: _ORDINAL_WORDS[m.group(1).lower()], text)
    symbols, names = _symbols()
    text = symbols.sub(lambda m: names[m.group(0)], text)  # chemical symbols ('Li', 'Ni/Co/Mn', 'Li2CO3')
    pattern, words = _table()

    def full(m: re.Match[str]) -> str:
        word = m.group(0)
        if word.endswith(".") and word.lower() not in words:
            word = word[:-1]
        if word == "#" and re.match(r"\s*\d", text[m.end():]):
            return word  # '#3' is a rank, not 'number of'
        if word == "#" and re.match(r"\s+of\b", text[m.end():], re.I):
            return "number"  # '# of' is 'number of', not 'number of of'
        if word[:1].isupper() and re.search(r"[A-Z][A-Za-z.&']*\s+$", text[:m.start()]):
            return m.group(0)  # 'Acme Corp', 'Acme Co.': part of a name
        return words[word.lower()]

    return pattern.sub(full, text)


@lru_cache(maxsize=1)
def _colloquial() -> tuple[tuple[re.Pattern[str], str], ...]:
    text = resources.files("reportqa.query.lexicon").joinpath("data/zh_colloquial.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t", 1) for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return tuple((re.compile(pattern.strip()), formal.strip()) for pattern, formal in rows)


def expand_colloquial(text: str, keep: Iterable[str] = ()) -> str:
    """``text`` with everyday Chinese written as reports write it ('一共做了多大的盘子' → '一共做了多大的规模',
    '融到多少钱' → '融资多少钱'); text without Chinese stays as it is. The names in ``keep`` (a company's own name that
    holds an everyday word, '<X>打车') are left as written."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return text
    masks = {}
    for i, name in enumerate(sorted({k for k in keep if k and k in text}, key=len, reverse=True)):
        masks[f"\ue000{i}\ue001"] = name
        text = text.replace(name, f"\ue000{i}\ue001")
    for pattern, formal in _colloquial():
        text = pattern.sub(formal, text)
    for token, name in masks.items():
        text = text.replace(token, name)
    return text


# '23年' is a year, '10年来' / '近10年' / '10年间' a span of years
_SHORT_YEAR_ZH = re.compile(r"(?<![\d.近过去前后这多几第每约共])([1-3]\d)年(?![来间内前后代里龄级度])")
_SHORT_YEAR_EN = re.compile(r"(?<![\w.])['’]([1-3]\d)\b")
_SHORT_YEAR_SPAN = re.compile(r"(?<!\d)((?:19|20)\d{2})(\s*(?:→|->|–|—|~|-)\s*)(\d{2})(?![\d.%])")  # '2021→22'
_SHORT_YEARS_ARROW = re.compile(r"(?<![\d.])([1-3]\d)(\s*(?:→|->)\s*)([1-3]\d)(?![\d.%])")  # '21→23': an arrow between years
_SHORT_YEAR_TAGGED = re.compile(r"\b(end|mid|start|early|late|FY|H[12]|Q[1-4])([-\s]?)([1-3]\d)\b(?![.,]?\d|\s*%)", re.I)  # 'end-23', 'FY22'


# a keyword query's closing two-digit number, its only number: the year ('ride-hailing share of taxi volume 22'), unless
# a word before it counts ('top 20', 'over 25')
_SHORT_YEAR_LAST = re.compile(r"(?<![\w.,$%￥¥'’-])([12]\d)\s*[?？]?\s*$")
_COUNTS_BEFORE = re.compile(r"(?:\b(?:top|first|last|over|under|than|about|around|nearly|almost|least|most|only|just|all|"
                            r"those|these|the|of|by|to|from|per|no|rank|row|page|item|number|section|table|figure|chapter|part)|"
                            r"[#前第近约超逾共表图])\s*$", re.I)


def _closing_year(text: str) -> str:
    m = _SHORT_YEAR_LAST.search(text)
    if m is None or len(re.findall(r"\d", text)) != 2 or _COUNTS_BEFORE.search(text[:m.start()]):
        return text
    return text[:m.start()] + f"20{m.group(1)}" + text[m.end(1):]


def expand_short_years(text: str) -> str:
    """Two-digit years written out in this century ('23年正规企业…' → '2023年正规企业…', "H1 '24" → 'H1 2024',
    'end-23' → 'end-2023', a keyword query's closing '22' → 2022)."""
    text = _closing_year(text)
    text = _SHORT_YEAR_TAGGED.sub(lambda m: f"{m.group(1)}{m.group(2)}20{m.group(3)}", text)
    text = _SHORT_YEARS_ARROW.sub(lambda m: f"20{m.group(1)}{m.group(2)}20{m.group(3)}"
                                  if m.group(3) > m.group(1) else m.group(0), text)
    text = _SHORT_YEAR_SPAN.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(1)[:2]}{m.group(3)}"
                                if m.group(3) > m.group(1)[2:] else m.group(0), text)
    return _SHORT_YEAR_EN.sub(lambda m: f"20{m.group(1)}", _SHORT_YEAR_ZH.sub(lambda m: f"20{m.group(1)}年", text))


def abbreviation_words() -> tuple[str, ...]:
    """What the general abbreviations stand for, written out ('number of', 'amount', …)."""
    return tuple(_table()[1].values())
