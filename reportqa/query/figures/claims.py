"""Numeric claims in Chinese or English text: '115亿元', '下降 93.8%', 'CNY 11.5 billion', '6.4个百分点'.

``extract_claims`` finds every figure that carries a unit (money, people, counts, %, 百分点, 倍),
normalises it to the report's units (money → 亿元, or 元 when written in 元; people → 万人;
percentage points → '个百分点', never '%'), and reads its year, subject and role from context.
Years, dates, ordinals (第八份, 表1, 图 2), footnote markers and list numbers are not claims.

Sign convention: a change figure governed by a decrease word (下降/减少/fell/declined ...) is negative,
as the tables print it ('-24.3%'); ``sign_word`` records the word. '降至 5.5%' / 'fell to 8%' is a
level, not a change, and keeps its sign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from reportqa.numeric import rounding_interval
from reportqa.query.figures.claim_context import annotate_context
from reportqa.query.lexicon.question_words import question_words, word_figures
from reportqa.query.lexicon.vocab import Vocab, get_vocab
from reportqa.records import Bound, Span

ClaimKind = Literal["level", "percent", "pp", "ratio", "count"]
Role = Literal["growth", "share", "change"]

# Length-preserving normalisation (spans stay valid); the Chinese comma '，' is kept as punctuation.
_WIDE = str.maketrans("０１２３４５６７８９．％＜＞－−–＋　", "0123456789.%<>---+ ")

_MAG_ZH = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "亿": 1e8, "千万": 1e7, "百万": 1e6,
           "十万": 1e5, "万": 1e4, "千": 1e3}
_MAG_EN = {"hundred million": 1e8, "thousand": 1e3, "million": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
           "trillion": 1e12}
_MONEY_ZH = {"元": "CNY", "人民币": "CNY", "美元": "USD", "港元": "HKD", "欧元": "EUR", "日元": "JPY"}
_PEOPLE_ZH = ("人次", "人", "名", "位")
_MEASURES_ZH = ("平方米", "千克", "个月", "小时", "分钟", "家", "个", "单", "笔", "起", "款", "项", "本", "台", "套", "辆",
                "吨", "亩", "场", "次", "件", "份", "条", "顶", "篇", "所", "座", "部", "张", "棵", "天", "周",
                "户", "间", "架", "艘", "枚", "批", "层", "公里", "千米", "米", "克", "元")
_PEOPLE_EN = {"users": "people", "user": "people", "people": "people", "persons": "people", "person": "people",
              "riders": "people", "workers": "people", "members": "people", "buyers": "people",
              "visitors": "person_times", "tourists": "person_times", "trips": "person_times",
              "passengers": "person_times"}
_COUNT_EN = {"orders": "单", "companies": "家", "firms": "家", "platforms": "家", "enterprises": "家",
             "merchants": "户", "deals": "笔", "stations": "个", "jobs": "个", "tonnes": "吨", "tons": "吨", "tonne": "吨", "ton": "吨",
             "hours": "小时", "days": "天", "cities": "个", "projects": "个", "accounts": "个"}
_PEOPLE_NOUNS = ("用户", "网民", "骑手", "劳动者", "会员", "买家", "游客", "人口", "员工", "从业者", "司机", "人员", "主播")

_NUMBER = re.compile(
    r"""(?P<pre>(?:CNY|RMB|USD|US\$|HK\$|人民币|¥|￥|\$)\s?)?
        (?P<sym>[<>≤≥])?\s?
        (?P<sign>[-+])?
        (?P<num>(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?:\.\d+)?)
        (?P<post>
          \s?(?P<more>多|余)?\s?
          (?P<mag>万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千(?![克米瓦]))?
          \s?(?P<more2>多|余)?\s?
          (?P<unit>个百分点|百分点|%|倍|美元|港元|欧元|日元|元|人次|人|名|位(?!置)|[GMkT]Wh(?![A-Za-z])|[GMk]W(?![A-Za-z])|"""
    + "|".join(m for m in _MEASURES_ZH if m != "元")
    + r""")?
        )
        (?P<en>\s*(?P<emag>hundred\ million|thousand|million|billion|trillion|bn|mn)?
          \s*(?P<eunit>yuan|renminbi|RMB|CNY|US\ dollars|dollars|USD|percentage\ points?|ppts?|pp|percent|per\ cent|pct|
             times|-?fold|[a-z]+)?)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_DATE_AFTER = re.compile(r"\s*(?:年|月|日|号|季度|世纪|周年|届|期|版|级|代|点(?!\d)|[A-Za-z∶:×*/.]\d?|[-~～至到]\s*\d{4}\s*年)")
_BEFORE_BLOCK = re.compile(r"(?:第|表|图|附件|No\.?|#|×|\*)\s*$|[A-Za-z]$")
_BOUND_BEFORE = [
    (re.compile(r"(?:不足|低于|少于|不到|未满|未超过|less than|under|below|fewer than)\s*(?:约)?\s*$", re.I), "<"),
    (re.compile(r"(?:超过|超出|高于|多于|逾|超|more than|over|above|exceeding|in excess of|at least)\s*$", re.I), ">"),
]
_BOUND_AFTER = [(re.compile(r"^\s*(?:以下|之下|以内)"), "<"), (re.compile(r"^\s*以上"), ">")]
_APPROX = re.compile(r"(?:约有?|近|接近|大约|大概|将近|about|around|approximately|roughly|nearly|some|almost|close to)\s*$", re.I)


@dataclass
class Claim:
    """One numeric claim: the figure as written, normalised value and unit, and its context."""

    text: str = field(metadata={"description": "The figure as written ('115亿元', 'CNY 11.5 billion')."})
    span: Span = field(metadata={"description": "[start, end) of the figure in the analysed text."})
    value: float = field(metadata={"description": "Value in the report unit, signed (see sign_word)."})
    unit: str = field(metadata={"description": "Report unit: '亿元', '元', '万人', '%', '个百分点', '倍', '亿单', ..."})
    raw_value: float = field(metadata={"description": "The number as printed (unsigned unless printed with '-')."})
    raw_unit: str = field(metadata={"description": "Unit as written ('亿元', 'CNY billion', 'percent')."})
    kind: ClaimKind = field(metadata={"description": "level (money), count, percent, pp, ratio."})
    family: str = field(metadata={"description": "What the unit measures: CNY, USD, people, percent, pp, ratio, count:<measure>."})
    base: float = field(metadata={"description": "Value in the family's base unit (元, 人, %, ...)."})
    step: float = field(metadata={"description": "Last printed digit in the base unit (rounding precision)."})
    bound: Bound | None = None
    approx: bool = False
    sign_word: str | None = field(default=None, metadata={"description": "Decrease word that made the value negative."})
    year: int | None = None
    period: str | None = field(default=None, metadata={"description": "'2021-2022', '2022-06', '2022H1', '2022Q1'."})
    year_inferred: bool = field(default=False, metadata={"description": "Year carried over from earlier sentences."})
    subject: str | None = field(default=None, metadata={"description": "Canonical row/domain term (glossary)."})
    subject_text: str | None = field(default=None, metadata={"description": "The subject as written."})
    listed_as: str | None = field(default=None, metadata={"description": "Enumerated item aligned by 分别/respectively."})
    other_subject: str | None = field(default=None, metadata={"description": "An unrecognised subject named before the figure ('网络表演行业')."})
    context_inferred: bool = field(default=False, metadata={"description": "Subject or metric carried over from the sentence before."})
    role: Role | None = field(default=None, metadata={"description": "growth / share / change (a difference), None for a level."})
    metrics: frozenset[str] = frozenset()
    companies: frozenset[str] = frozenset()
    concepts: frozenset[str] = field(default=frozenset(), metadata={"description": "Glossary terms of the clause (any language)."})
    sentence_concepts: frozenset[str] = frozenset()
    clause: str = ""
    sentence: str = ""
    sentence_span: Span = (0, 0)
    clause_span: Span = (0, 0)
    clause_rows: tuple[str, ...] | None = field(default=None, metadata={"description": "Row terms the clause names, in order (filled on first use: see ``row_terms``)."})

    def interval(self) -> tuple[float, float]:
        """Range of base-unit values the printed figure stands for."""
        if self.bound is not None:
            lo, hi = rounding_interval(abs(self.base), 0, self.bound)
            return (-hi, -lo) if self.base < 0 else (lo, hi)
        return (self.base - self.step / 2, self.base + self.step / 2)


def row_terms(claim: Claim, vocab: Vocab) -> tuple[str, ...]:
    """The table-row terms the claim's clause names (looked up once per claim)."""
    if claim.clause_rows is None:
        claim.clause_rows = tuple(dict.fromkeys(t.term for t in vocab.find(claim.clause) if t.kind == "row"))
    return claim.clause_rows


def normalize(text: str) -> str:
    """Full-width digits and signs to ASCII without changing the length."""
    return text.translate(_WIDE)


def extract_claims(text: str, vocab: Vocab | None = None, *, default_year: int | None = None) -> list[Claim]:
    """Every numeric claim in ``text`` with value, unit, year, subject and role (Chinese and English)."""
    vocab = vocab or get_vocab()
    norm = normalize(text)
    claims: list[Claim] = []
    for m in _NUMBER.finditer(norm):
        claim = _claim(norm, text, m)
        if claim is not None:
            claims.append(claim)
    claims.extend(_word_shares(norm, text, claims))
    claims.sort(key=lambda c: c.span)
    _propagate_ranges(norm, claims)
    annotate_context(text, norm, claims, vocab, default_year=default_year)
    return claims


def _claim(norm: str, text: str, m: re.Match[str]) -> Claim | None:
    start = m.start("sym") if m.group("sym") else m.start("sign") if m.group("sign") else m.start("num")
    if m.group("pre"):
        start = m.start("pre")
    before = norm[max(0, start - 6):start]
    num_s = m.group("num")
    if _BEFORE_BLOCK.search(before) and not m.group("pre"):
        return None
    if m.start("num") > 0 and (norm[m.start("num") - 1].isdigit() or norm[m.start("num") - 1] == "."):
        return None
    if m.group("sign") and m.start("sign") > 0 and (norm[m.start("sign") - 1].isalnum() or norm[m.start("sign") - 1] in "%.)"):
        return None  # '6%-8%' is a range, not a negative number
    unit_zh, mag_zh = m.group("unit"), m.group("mag")
    emag, eunit = (m.group("emag") or "").lower(), (m.group("eunit") or "")
    after_num = norm[m.end("num"):]
    if not unit_zh and not mag_zh and _DATE_AFTER.match(after_num) and not (emag or _is_en_unit(eunit)):
        return None
    parsed = _unit_of(m, unit_zh, mag_zh, emag, eunit)
    if parsed is None:
        return None
    family, kind, scale, written, end = parsed
    raw = float(num_s.replace(",", ""))
    if re.fullmatch(r"(19|20)\d{2}", num_s) and kind in ("count",) and family == "count":
        return None  # a bare year such as 'in 2022'
    decimals = len(num_s.split(".")[1]) if "." in num_s else 0
    sign = -1.0 if m.group("sign") == "-" else 1.0
    base = sign * raw * scale
    step = 10.0 ** (-decimals) * scale
    bound = _bound(norm, start, end, m)
    value, unit = _report_unit(family, base, written, mag_zh, emag, kind)
    per = _PER_UNIT.match(norm, end)  # '97.0万元/人': an amount per person (or per outlet, per firm …)
    if per is not None and family not in ("percent", "pp", "ratio"):
        family, kind, unit, end = f"{family}/{per.group(1)}", "per", f"{unit}/{per.group(1)}", per.end()
    approx = bool(_APPROX.search(norm[max(0, start - 8):start])) or bool(re.match(r"\s*左右", norm[end:end + 4]))
    return Claim(text=text[start:end], span=(start, end), value=value, unit=unit, raw_value=sign * raw,
                 raw_unit=written, kind=kind, family=family, base=base, step=step, bound=bound, approx=approx)


def _word_shares(norm: str, text: str, found: list[Claim]) -> list[Claim]:
    """Shares a Chinese text writes in words ('约有四成', '三分之一', '过半': package data ``word_figures``): percent claims
    keeping the words as printed, approximate within the data's tolerance."""
    taken = [c.span for c in found]
    tolerance = question_words().word_figure_tolerance
    out: list[Claim] = []
    for m, value in word_figures(norm):
        start, end = m.span()
        if m.group(0).isascii() or re.match(r"[年月天日]", norm[end:end + 1]) or \
                any(a < end and start < b for a, b in taken):
            continue  # an English word ('half' of a year) or '超过半年' is no share
        bound = ">" if m.group(0).startswith("过") else _bound_in_words(norm, start, end)
        out.append(Claim(text=text[start:end], span=(start, end), value=value, unit="%", raw_value=value,
                         raw_unit=m.group(0), kind="percent", family="percent", base=value, step=2 * tolerance,
                         bound=bound, approx=True))
    return out


_PER_UNIT = re.compile(r"\s*/\s*([人个家吨辆台座户套名位])")


def _is_en_unit(word: str) -> bool:
    w = word.lower()
    return bool(w) and (w in _PEOPLE_EN or w in _COUNT_EN or w in ("yuan", "renminbi", "rmb", "cny", "dollars", "usd", "percent", "pct", "times", "fold", "-fold", "pp", "ppt", "ppts")
                        or w.startswith("percentage") or w in ("us dollars", "per cent"))


def _unit_of(m: re.Match[str], unit_zh: str | None, mag_zh: str | None, emag: str, eunit: str
             ) -> tuple[str, str, float, str, int] | None:
    """(family, kind, scale to base, unit as written, end offset) or None when the number has no unit."""
    pre = (m.group("pre") or "").strip().upper()
    scale_zh = _MAG_ZH.get(mag_zh or "", 1.0)
    if unit_zh or mag_zh:
        end = m.end("post")
        written = f"{mag_zh or ''}{unit_zh or ''}"
        if unit_zh in ("个百分点", "百分点"):
            return "pp", "pp", 1.0, unit_zh, end
        if unit_zh == "%":
            return "percent", "percent", 1.0, "%", end
        if unit_zh == "倍":
            return "ratio", "ratio", 1.0, "倍", end
        if unit_zh in _MONEY_ZH or pre in ("CNY", "RMB", "人民币", "¥", "￥") and not unit_zh:
            return _MONEY_ZH.get(unit_zh or "元", "CNY"), "level", scale_zh, written or "元", end
        if pre in ("USD", "US$", "$") and not unit_zh:
            return "USD", "level", scale_zh, written, end
        if unit_zh in ("人", "名", "位"):
            return "people", "count", scale_zh, written, end
        if unit_zh == "人次":
            return "person_times", "count", scale_zh, written, end
        if unit_zh:
            return f"count:{unit_zh}", "count", scale_zh, written, end
        return "count", "count", scale_zh, written, end
    if not (emag or eunit or pre):
        return None
    return _english_unit(m, pre, emag, eunit)


def _english_unit(m: re.Match[str], pre: str, emag: str, eunit: str) -> tuple[str, str, float, str, int] | None:
    scale = _MAG_EN.get(emag, 1.0)
    unit = eunit.lower()
    end = m.end("eunit") if eunit else m.end("emag") if emag else m.end("num")
    words = " ".join(w for w in (pre, emag, eunit) if w)
    if unit.startswith("percentage") or unit in ("pp", "ppt", "ppts"):
        return "pp", "pp", 1.0, eunit, end
    if unit in ("percent", "per cent", "pct"):
        return "percent", "percent", 1.0, eunit, end
    if unit == "times" and emag:  # '6.3 million times': a count of occurrences (次), not a ratio
        return "count:次", "count", scale, words, end
    if unit in ("times", "fold", "-fold"):
        return "ratio", "ratio", 1.0, eunit, end
    if unit in ("yuan", "renminbi", "rmb", "cny") or pre in ("CNY", "RMB", "¥", "￥", "人民币"):
        if not eunit or unit in ("yuan", "renminbi", "rmb", "cny"):
            return "CNY", "level", scale, words, end
        return "CNY", "level", scale, " ".join(w for w in (pre, emag) if w), m.end("emag") if emag else m.end("num")
    if unit in ("dollars", "usd", "us dollars") or pre in ("USD", "US$", "$"):
        if not eunit or unit in ("dollars", "usd", "us dollars"):
            return "USD", "level", scale, words, end
        return "USD", "level", scale, " ".join(w for w in (pre, emag) if w), m.end("emag") if emag else m.end("num")
    if unit in _PEOPLE_EN:
        return _PEOPLE_EN[unit], "count", scale, words, end
    if unit in _COUNT_EN:
        return f"count:{_COUNT_EN[unit]}", "count", scale, words, end
    if emag:
        return "count", "count", scale, emag, m.end("emag")
    return None


def _report_unit(family: str, base: float, written: str, mag_zh: str | None, emag: str, kind: str) -> tuple[float, str]:
    """Express a base-unit value in the report's unit for its family."""
    if family == "CNY":
        if written in ("元", "亿元") or (written == "" and not emag):
            scale = 1e8 if written == "亿元" else 1.0
            return base / scale, written or "元"
        if abs(base) >= 1e6 or mag_zh or emag:
            return base / 1e8, "亿元"
        return base, "元"
    if family == "USD":
        return (base / 1e8, "亿美元") if (mag_zh or emag) else (base, "美元")
    if family == "people":
        return base / 1e4, "万人"
    if family == "person_times":
        return base / 1e4, "万人次"
    if kind in ("percent", "pp", "ratio"):
        return base, {"percent": "%", "pp": "个百分点", "ratio": "倍"}[kind]
    measure = family.split(":", 1)[1] if ":" in family else ""
    if mag_zh:
        return base / _MAG_ZH[mag_zh], f"{mag_zh}{measure}"
    if emag:
        for mag, scale in (("亿", 1e8), ("万", 1e4)):
            if abs(base) >= scale:
                return base / scale, f"{mag}{measure}"
    return base, measure


def _bound(norm: str, start: int, end: int, m: re.Match[str]) -> Bound | None:
    sym = m.group("sym")
    if sym in ("<", "≤"):
        return "<" if sym == "<" else "<="
    if sym in (">", "≥"):
        return ">" if sym == ">" else ">="
    if m.group("more") or m.group("more2"):
        return ">"
    return _bound_in_words(norm, start, end)


def _bound_in_words(norm: str, start: int, end: int) -> Bound | None:
    """A bound the words around a figure put on it: '超过 5%' / '5%以上' → '>', '不足 1吨' / '1吨以下' → '<'."""
    head = norm[max(0, start - 10):start]
    for pattern, bound in _BOUND_BEFORE:
        if pattern.search(head):
            return bound  # type: ignore[return-value]
    tail = norm[end:end + 4]
    for pattern, bound in _BOUND_AFTER:
        if pattern.match(tail):
            return bound  # type: ignore[return-value]
    return None


def _propagate_ranges(norm: str, claims: list[Claim]) -> None:
    """'10万至 80万元': the first bound of a range takes the unit of the second."""
    for a, b in zip(claims, claims[1:]):
        gap = norm[a.span[1]:b.span[0]]
        if a.family == "count" and b.family != "count" and re.fullmatch(r"\s*(?:至|到|-|~|～|—)\s*", gap):
            factor = b.base / b.value if b.value else 1.0
            a.family, a.kind, a.unit = b.family, b.kind, b.unit
            a.value = a.base / factor
