"""Find the quantities written in a free-text answer: '115亿元', 'CNY 11.5 billion', '-24.3%', '6.4个百分点'.

Figures are parsed with ``reportqa.numeric`` (printed precision, bounds such as '＜1', unit scaling), so the
scorer reads a number exactly as the table parser and the checker do. Only the scan for where numbers
stand in running text lives here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportqa.numeric import UnitError, normalize_digits, parse_number, parse_unit
from reportqa.records import Bound

_ZH_MAGNITUDE = r"万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千"
# Counting units taken as a base only when listed, so '7万商户' reads as 7万 (no base) rather than '商户'.
_ZH_BASE = (
    r"个百分点|百分点|人民币元|美元|港元|平方米|千克|公斤|人次|"
    r"元|人|名|位|户|家|个|款|件|单|本|台|套|吨|倍|笔|起|场|项|份|条|顶|辆|次|亩|棵|天|年|月|日|%"
)
_EN_MAGNITUDE = r"trillion|billion|million|thousand|tn|bn|mn"
_EN_BASE = (
    r"percentage\s+points?|per\s*cent|percent|pp|yuan|cny|rmb|usd|us\s+dollars|dollars|people|persons|users|"
    r"times|fold|tonnes|tons"
)
_EN_BASE_CANON = {"times": "倍", "fold": "倍", "tonnes": "吨", "tons": "吨", "per cent": "%", "percent": "%"}
_CURRENCY = {"cny": "元", "rmb": "元", "¥": "元", "￥": "元", "usd": "美元", "us$": "美元", "$": "美元"}

_PATTERN = re.compile(
    rf"""(?P<pre>(?:CNY|RMB|USD|US\$|¥|￥|\$)\s?)?
        (?P<bound>[<>≤≥]\s?)?
        (?P<sign>[-+])?
        (?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)
        (?P<approx>\s?(?:多|余))?
        (?:
            \s?(?P<zhmag>{_ZH_MAGNITUDE})?(?:多|余)?(?P<zhbase>{_ZH_BASE})?(?:(?<=\S)/(?P<per>[\u4e00-\u9fff]{{1,2}}))?
        )
        (?:
            (?:\s|-(?=fold))?(?P<enmag>{_EN_MAGNITUDE})?\b(?:\s|-(?=fold))?(?P<enbase>{_EN_BASE})?\b
        )?""",
    re.VERBOSE | re.IGNORECASE,
)
_JOINS_ADJACENT = re.compile(r"[\d%A-Za-z]")


@dataclass(frozen=True)
class Quantity:
    """One figure found in a text, with its printed precision and unit."""

    value: float = 0.0
    decimals: int = 0
    bound: Bound | None = None
    unit: str = ""
    base: str | None = None
    factor: float = 1.0
    span: tuple[int, int] = (0, 0)
    text: str = ""
    rate: str | None = None  # a rate's whole unit ('个/家' of '75.6个/家'); base is then its numerator's

    def scaled(self) -> float:
        """The value in base units (11.5 billion → 1.15e10)."""
        return self.value * self.factor


def _normalize(text: str) -> str:
    # Same length as the input, so spans stay valid; the full-width comma stays a separator, not a thousands mark.
    return normalize_digits(text.replace("，", "；"))


def _is_sign(text: str, start: int) -> bool:
    """'-' is a minus sign unless it joins a range or a word ('6%-8%', '2018-2022', 'COVID-19') or stands
    between two numbers as an operator ('2012 - 2344')."""
    i = start - 1
    if i < 0:
        return True
    if _JOINS_ADJACENT.match(text[i]):
        return False
    while i >= 0 and text[i] == " ":
        i -= 1
    return not (i < start - 1 and i >= 0 and text[i].isdigit())


def _parse_unit(unit: str) -> tuple[str | None, float]:
    try:
        return parse_unit(unit)
    except UnitError:
        return unit, 1.0


def _unit_of(m: re.Match[str]) -> tuple[str, str | None, float]:
    pre = (m.group("pre") or "").strip().lower()
    zhmag, zhbase = m.group("zhmag") or "", m.group("zhbase") or ""
    enmag = (m.group("enmag") or "").lower()
    enbase = re.sub(r"\s+", " ", (m.group("enbase") or "").lower())
    unit = " ".join(w for w in (pre.upper(), zhmag + zhbase, enmag, enbase) if w)
    factor = 1.0
    for mag in (zhmag, enmag):
        if mag:
            factor *= _parse_unit(mag)[1]
    base_word = zhbase or _EN_BASE_CANON.get(enbase, enbase) or _CURRENCY.get(pre, "")
    base = _parse_unit(base_word)[0] if base_word else None
    return unit, base, factor


def extract_quantities(text: str) -> list[Quantity]:
    """Every figure in ``text`` with its unit; a '-' only counts as a sign where it cannot be a range or an operator."""
    norm = _normalize(text)
    found: list[Quantity] = []
    for m in _PATTERN.finditer(norm):
        number = parse_number((m.group("bound") or "").strip() + m.group("num"))
        if number is None:
            continue
        value = number.value
        sign = m.group("sign")
        signed = sign is not None and _is_sign(norm, m.start("sign"))
        if signed and sign == "-":
            value = -value
        unit, base, factor = _unit_of(m)
        rate = f"{m.group('zhmag') or ''}{m.group('zhbase')}/{m.group('per')}" if m.group("per") and m.group("zhbase") else None
        start = m.start("pre") if m.group("pre") else m.start("bound") if m.group("bound") else m.start("num")
        if signed and not m.group("pre") and not m.group("bound"):
            start = m.start("sign")
        end = m.end()
        while end > start and norm[end - 1] == " ":
            end -= 1
        found.append(
            Quantity(value=value, decimals=number.decimals, bound=number.bound, unit=unit, base=base, factor=factor,
                     span=(start, end), text=text[start:end], rate=rate)
        )
    return found
