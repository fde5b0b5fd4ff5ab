"""How a figure is written: the report's own form ('115亿元', '＜1亿元', '4.0个百分点'), an English rendering that
keeps it ('CNY 11.5 billion (115亿元)'), and honest bounds for intervals ('不足31亿元', 'less than …')."""

from __future__ import annotations

import math

from reportqa.numeric import parse_unit, round_half_up
from reportqa.query.tables.tableops import Figure
from reportqa.records import Language

_EN_COUNT = {"家": "companies", "人": "people", "人次": "person-times", "个": "", "单": "orders", "笔": "deals",
             "台": "units", "辆": "vehicles", "本": "licences", "吨": "tonnes", "名": "people", "位": "people",
             "项": "items", "款": "items", "次": "times", "场": "events", "户": "households"}


def _trim(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


def _grouped(value: float, decimals: int) -> str:
    return _trim(f"{value:,.{max(decimals, 0)}f}")


def quantity_zh(printed: str, unit: str | None) -> str:
    """The report's way of writing a figure: '115亿元', '38.54%', '4.0个百分点', '＜1亿元'."""
    if unit in (None, ""):
        return printed
    if unit == "%":
        return printed if printed.endswith("%") else f"{printed}%"
    return f"{printed}{unit}"


def quantity_en(printed: str, unit: str | None, zh_prefix: str = "") -> str:
    """An English rendering with the report's figure kept: 'CNY 11.5 billion (115亿元)', '405.07 million people (40507万人)'.

    ``zh_prefix`` goes inside the parentheses ('(减少37亿元)') so the Chinese figure keeps its role for the checker.
    """
    plain = quantity_zh(printed, unit)
    zh = zh_prefix + plain
    unitless = f"{plain} ({zh})" if zh_prefix else zh  # no English unit: the Chinese role stays in brackets, as for any other
    if unit in (None, ""):
        return printed
    if unit == "%":
        return unitless
    if unit in ("个百分点", "百分点"):
        return f"{printed} percentage points"
    if unit == "倍":
        return f"{printed} times"
    bare = printed.lstrip("＜<≤＞>≥~约")
    prefix = "less than " if printed[:1] in "＜<" else ("more than " if printed[:1] in "＞>" else "")
    try:
        number = float(bare.replace(",", ""))
        base, factor = parse_unit(unit)
    except ValueError:
        return zh
    decimals = len(bare.split(".")[1]) if "." in bare else 0
    value = number * factor
    digits = round(math.log10(factor)) - decimals  # the last printed digit is 10**digits base units
    if base in ("元", "美元"):
        cur = "CNY" if base == "元" else "USD"
        return f"{prefix}{cur} {_scaled(value, digits)} ({zh})"
    if base in ("人", "人次"):
        noun = "people" if base == "人" else "person-times"
        return f"{prefix}{_scaled(value, digits)} {noun} ({zh})"
    noun = _EN_COUNT.get(base or "", "")
    if noun or (factor > 1 and (base is None or base in _EN_COUNT)):  # (a unit with an SI prefix, '千克', stays as printed)
        return f"{prefix}{_scaled(value, digits)}{(' ' + noun) if noun else ''} ({zh})"
    return unitless


def _scaled(value: float, digits: int) -> str:
    """'11.5 billion', '405.07 million', '2,891.3' at the printed precision (last digit = 10**digits base units)."""
    for name, size in (("trillion", 12), ("billion", 9), ("million", 6)):
        if abs(value) >= 10**size:
            decimals = max(0, size - digits)
            return f"{_grouped(round_half_up(value / 10**size, decimals), decimals)} {name}"
    return _grouped(value, max(0, -digits))


def figure_text(fig: Figure, lang: Language) -> str:
    """A figure as printed or computed, bounds honest: '115亿元', '不足0.8%', 'less than 0.8%'."""
    unit = fig.unit
    if fig.interval is not None:
        lo, hi = fig.interval
        d = fig.decimals
        if not math.isfinite(hi):  # a '＜1' divisor may be ~0: the ratio has a floor, no ceiling
            if not math.isfinite(lo):
                return "无法从表中确定" if lang == "zh" else "not determinable from the table"
            low = f"{math.floor(lo * 10**d + 1e-9) / 10**d:.{d}f}"
            return f"超过{quantity_zh(low, unit)}" if lang == "zh" else f"more than {quantity_en(low, unit)}"
        up = math.ceil(hi * 10**d - 1e-9) / 10**d
        if lo >= 0 or math.isinf(lo):
            shown = f"{up:.{d}f}"
            return f"不足{quantity_zh(shown, unit)}" if lang == "zh" else f"less than {quantity_en(shown, unit)}"
        low = math.floor(lo * 10**d + 1e-9) / 10**d
        rng = f"{low:.{d}f}～{up:.{d}f}"
        return quantity_zh(rng, unit) if lang == "zh" else f"between {low:.{d}f} and {quantity_en(f'{up:.{d}f}', unit)}"
    printed = fig.printed
    return quantity_zh(printed, unit) if lang == "zh" else quantity_en(printed, unit)
