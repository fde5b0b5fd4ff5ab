"""Shared number parsing, rounding intervals, interval arithmetic and unit scaling.

Used by the table parser, the table validator, the fact checker and the eval scorer, so a
printed figure means the same thing everywhere: "6" stands for [5.5, 6.5], "＜1" for [0, 1),
"-14.2%" for [-14.25, -14.15] percent.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from reportqa.records import Bound

Interval = tuple[float, float]
Status = Literal["exact", "within_rounding", "mismatch"]

EPS = 1e-9

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．，＋－−–—％＜＞＝　",
    "0123456789.,+---—%<>= ",
)
_NUMBER = re.compile(
    r"""^(?P<bound><=|>=|≤|≥|<|>)?\s*
        (?P<sign>[+-])?\s*
        (?P<int>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<frac>\d+))?
        \s*(?P<pct>%)?$""",
    re.VERBOSE,
)
_BOUNDS: dict[str, Bound] = {"<": "<", "<=": "<=", "≤": "<=", ">": ">", ">=": ">=", "≥": ">="}


@dataclass(frozen=True)
class ParsedNumber:
    """A printed figure: its value, printed precision, bound ('＜1') and percent sign."""

    value: float
    decimals: int
    bound: Bound | None
    percent: bool
    raw: str

    def interval(self) -> Interval:
        """The range of true values the printed figure stands for."""
        return rounding_interval(self.value, self.decimals, self.bound)


def normalize_digits(text: str) -> str:
    """Map full-width digits, signs, percent and comparison marks to ASCII ('−' and '－' become '-')."""
    return text.translate(_FULLWIDTH)


def parse_number(text: str) -> ParsedNumber | None:
    """Parse one printed figure ('-14.2%', '＜1', '2,891.3', '１２，０００'); None if it is not a number."""
    raw = text
    s = normalize_digits(text).strip()
    m = _NUMBER.match(s)
    if not m or (m.group("int") is None and m.group("frac") is None):
        return None
    digits = (m.group("int") or "0").replace(",", "")
    frac = m.group("frac") or ""
    value = float(f"{digits}.{frac}" if frac else digits)
    if m.group("sign") == "-":
        value = -value
    bound = _BOUNDS[m.group("bound")] if m.group("bound") else None
    return ParsedNumber(value=value, decimals=len(frac), bound=bound, percent=m.group("pct") is not None, raw=raw)


def half_unit(decimals: int) -> float:
    """Half of the last printed digit: 0.5 for '6', 0.05 for '6.0'."""
    return 0.5 * 10.0 ** (-decimals)


def rounding_interval(value: float, decimals: int, bound: Bound | None = None) -> Interval:
    """The interval a printed figure stands for: '6' → [5.5, 6.5]; '＜1' → [0, 1); '>5' → (5, inf)."""
    if bound in ("<", "<="):
        return (0.0 if value > 0 else -math.inf, value)
    if bound in (">", ">="):
        return (value, math.inf)
    h = half_unit(decimals)
    return (value - h, value + h)


def round_half_up(value: float, decimals: int) -> float:
    """Round like a report does (half away from zero), robust to binary float noise."""
    q = 10.0**decimals
    return math.copysign(math.floor(abs(value) * q + 0.5 + EPS), value) / q


# --------------------------------------------------------------------------- intervals


def interval_add(a: Interval, b: Interval) -> Interval:
    """[a] + [b]."""
    return (a[0] + b[0], a[1] + b[1])


def interval_sub(a: Interval, b: Interval) -> Interval:
    """[a] − [b]."""
    return (a[0] - b[1], a[1] - b[0])


def interval_mul(a: Interval, b: Interval) -> Interval:
    """[a] × [b]."""
    products = [x * y for x in a for y in b if not (math.isinf(x) and y == 0 or math.isinf(y) and x == 0)]
    if not products:
        return (0.0, 0.0)
    return (min(products), max(products))


def interval_div(a: Interval, b: Interval) -> Interval:
    """[a] ÷ [b]; unbounded when [b] contains zero (nothing can be ruled out)."""
    if b[0] <= 0 <= b[1]:
        return (-math.inf, math.inf)
    return interval_mul(a, (1.0 / b[1], 1.0 / b[0]))


def interval_sum(intervals: list[Interval]) -> Interval:
    """Sum of intervals ([0, 0] for an empty list)."""
    lo, hi = 0.0, 0.0
    for a, b in intervals:
        lo, hi = lo + a, hi + b
    return (lo, hi)


def growth_interval(prev: Interval, cur: Interval) -> Interval:
    """Growth rate in percent, (cur / prev − 1) × 100, over all values the inputs allow."""
    lo, hi = interval_div(cur, prev)
    return ((lo - 1) * 100, (hi - 1) * 100)


def share_interval(part: Interval, whole: Interval) -> Interval:
    """Share in percent, part / whole × 100, over all values the inputs allow."""
    lo, hi = interval_div(part, whole)
    return (lo * 100, hi * 100)


def agrees(printed_value: float, printed_decimals: int, interval: Interval, bound: Bound | None = None) -> bool:
    """True when some value in ``interval`` would be printed as the figure (closed ends: ties round either way)."""
    lo, hi = rounding_interval(printed_value, printed_decimals, bound)
    return interval[0] <= hi + EPS and lo - EPS <= interval[1]


def classify(
    printed_value: float,
    printed_decimals: int,
    point: float | None,
    interval: Interval,
    *,
    bound: Bound | None = None,
    point_is_exact: bool = True,
) -> Status:
    """'exact' if the point value rounds to the printed figure, 'within_rounding' if only the
    inputs' rounding intervals allow it, else 'mismatch'. ``point_is_exact=False`` (an input was
    printed as a bound such as '＜1') caps the result at 'within_rounding'."""
    if point is not None and point_is_exact and bound is None:
        if abs(point - printed_value) <= half_unit(printed_decimals) + EPS:
            return "exact"
    return "within_rounding" if agrees(printed_value, printed_decimals, interval, bound) else "mismatch"


def format_number(value: float, decimals: int) -> str:
    """'450.0', '-inf', '2,137' style-free plain formatting at a given precision."""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.{decimals}f}"


def format_interval(interval: Interval, decimals: int, suffix: str = "") -> str:
    """'[400.0%, 509.1%]'."""
    return f"[{format_number(interval[0], decimals)}{suffix}, {format_number(interval[1], decimals)}{suffix}]"


# --------------------------------------------------------------------------- units


class UnitError(ValueError):
    """A unit is unknown, or two units measure different things (元 vs 人)."""


_ZH_MAGNITUDES = [("万亿", 1e12), ("千亿", 1e11), ("百亿", 1e10), ("十亿", 1e9), ("亿", 1e8),
                  ("千万", 1e7), ("百万", 1e6), ("十万", 1e5), ("万", 1e4), ("千", 1e3), ("百", 1e2)]
EN_MAGNITUDES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
                  "trillion": 1e12, "tn": 1e12}
_BASE_ALIASES = {
    "元": "元", "yuan": "元", "cny": "元", "rmb": "元", "人民币": "元", "人民币元": "元", "¥": "元", "￥": "元",
    "美元": "美元", "usd": "美元", "us$": "美元", "$": "美元", "dollar": "美元", "dollars": "美元",
    "人": "人", "people": "人", "persons": "人", "person": "人", "users": "人", "user": "人",
    "%": "%", "％": "%", "percent": "%", "pct": "%", "per cent": "%",
    "个百分点": "个百分点", "百分点": "个百分点", "percentage points": "个百分点", "percentage point": "个百分点",
    "pp": "个百分点", "ppt": "个百分点",
}


def parse_unit(unit: str) -> tuple[str | None, float]:
    """Split a unit into (base, factor): '亿元' → ('元', 1e8), 'CNY billion' → ('元', 1e9), 'billion' → (None, 1e9)."""
    s = normalize_digits(unit).strip().lower()
    if s in _BASE_ALIASES:
        return _BASE_ALIASES[s], 1.0
    factor = 1.0
    base: str | None = None
    for word in re.split(r"[\s\-]+", s):
        if not word:
            continue
        if re.fullmatch(r"\d+(\.\d+)?", word):
            factor *= float(word)
        elif word in EN_MAGNITUDES:
            factor *= EN_MAGNITUDES[word]
        elif word in _BASE_ALIASES and base is None:
            base = _BASE_ALIASES[word]
        else:
            zh_base, zh_factor = _parse_zh_unit(word, unit)
            factor *= zh_factor
            if zh_base is not None:
                if base is not None:
                    raise UnitError(f"unit {unit!r} names two base units; write e.g. '亿元' or 'CNY billion'")
                base = zh_base
    return base, factor


def _parse_zh_unit(word: str, unit: str) -> tuple[str | None, float]:
    if word in _BASE_ALIASES:
        return _BASE_ALIASES[word], 1.0
    for prefix, factor in _ZH_MAGNITUDES:
        if word.startswith(prefix):
            rest = word[len(prefix):]
            if not rest:
                return None, factor
            base, inner = _parse_zh_unit(rest, unit)
            return base, factor * inner
    if re.fullmatch(r"[\u4e00-\u9fff]{1,3}", word):
        return word, 1.0  # a counting unit such as 个, 家, 辆, 笔, 人次
    raise UnitError(f"unknown unit {unit!r}; use e.g. 元/万元/亿元/万亿元, 人/万人/亿人, '%' or 'CNY billion'")


def to_unit(value: float, from_unit: str, to_unit: str) -> float:
    """Rescale ``value`` between units of the same kind: to_unit(11.5, 'CNY billion', '亿元') == 115."""
    from_base, from_factor = parse_unit(from_unit)
    to_base, to_factor = parse_unit(to_unit)
    if from_base is not None and to_base is not None and from_base != to_base:
        raise UnitError(f"cannot convert {from_unit!r} ({from_base}) to {to_unit!r} ({to_base}): they measure different things")
    return value * from_factor / to_factor


_QUANTITY = re.compile(
    r"""^(?P<pre>(?:cny|rmb|usd|us\$|¥|￥|\$)\s*)?
        (?P<num>[<>≤≥]?\s*[+-]?[\d,]*\.?\d+\s*%?)
        \s*(?P<unit>.*?)\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


def parse_quantity(text: str) -> tuple[ParsedNumber, str] | None:
    """Split '115亿元' / 'CNY 11.5 billion' / '3.9%' into (number, unit) — unit '' when none, '%' for percents."""
    m = _QUANTITY.match(normalize_digits(text).strip())
    if not m:
        return None
    number = parse_number(m.group("num"))
    if number is None:
        return None
    number = ParsedNumber(number.value, number.decimals, number.bound, number.percent, text)
    words = " ".join(w for w in ((m.group("pre") or "").strip(), m.group("unit")) if w)
    if number.percent:
        return number, "%" if not words else f"% {words}"
    return number, words
