"""Arithmetic on the figures a question quotes itself ('Is the 25.4% growth consistent with 13,900 and 2,815
added?', 'Do 8.55亿 orders in H2 square with 465万 a day?'): the relation is worked out from the question's own
numbers and holds only within their printed rounding; an English amount is also read in the report's scale
('586,000 tonnes' ~ 58.6万). Nothing here reads the report; a consistency answer cites the passage that prints the
figures.
"""

from __future__ import annotations

import re

from reportqa.numeric import EN_MAGNITUDES
from reportqa.records import Language

PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*[%％]")  # a percentage as a question or a sentence writes it
POINTS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:个百分点|pp\b|percentage points?|points?\b)", re.I)  # a change in points
_QUOTED_NUMBER = re.compile(r"(?<![\d.%])(\d+(?:\.\d+)?)(?![\d.]|\s*[%％]|\s*(?:个百分点|pp\b|percentage point))")


def quoted_arithmetic(question: str, lang: Language) -> str | None:
    """'Is the 25.4% growth consistent with 13,900 points and 2,815 added?': a rate the question quotes, recomputed
    from two figures it quotes — a share (b ÷ a), a growth from a base (a ÷ b − 1) or from an end level and its
    increment (b ÷ (a − b)) — holds when it rounds to the printed rate. None when no such relation gives it (no verdict
    is invented)."""
    rates = [m.group(1) for m in PERCENT.finditer(question)]
    values = [float(m.group(1)) for m in _QUOTED_NUMBER.finditer(question)
              if not re.fullmatch(r"(?:19|20)\d{2}", m.group(1))]
    if len(rates) != 1 or len(values) < 2:
        return None
    rate = float(rates[0])
    tolerance = 0.5 * 10 ** -(len(rates[0].split(".")[1]) if "." in rates[0] else 0) + 1e-9
    for a in values:
        for b in values:
            if a <= b or b <= 0:
                continue
            for formula, value in ((f"{b:g} ÷ {a:g}", b / a * 100), (f"{a:g} ÷ {b:g} − 1", (a / b - 1) * 100),
                                   (f"{b:g} ÷ ({a:g} − {b:g})", b / (a - b) * 100)):
                if abs(value - rate) <= tolerance:
                    shown = f"{formula} = {value:.2f}%"
                    return (f"一致：{shown}，与{rates[0]}%相符（按题中数字计算）。" if lang == "zh"
                            else f"Yes, the figures agree: {shown}, which rounds to the {rates[0]}% stated (computed from the figures the question gives).")
    return None


_MAGNITUDE = {"亿": 1e8, "万": 1e4, "千": 1e3, **EN_MAGNITUDES, "m": 1e6, "k": 1e3}  # (the patterns say which apply)
_AMOUNT = re.compile(r"(?<![\d.A-Za-z])(\d+(?:\.(\d+))?)\s*(亿|万|千|billion|million|bn|mn|M(?![A-Za-z]))?", re.I)
_PER_DAY = re.compile(r"日均|每天|每日|一天|per day|a day|daily|/day|per-day", re.I)
# the days of a period a total is quoted for: (pattern, days)
_PERIOD_DAYS = ((re.compile(r"下半年|second half|\bH2\b", re.I), 184), (re.compile(r"上半年|first half|\bH1\b", re.I), 181),
                (re.compile(r"全年|一年|whole year|full year|a year|per year|annual", re.I), 365))


def per_day_average(question: str, lang: Language) -> str | None:
    """'Do 8.55亿 orders in H2 square with a daily average of 465万?': a daily average the question quotes, recomputed
    from the total it quotes over the days of the period it names, within both figures' rounding. None when the
    question quotes no such pair or names no period."""
    if not _PER_DAY.search(question):
        return None
    days = next((d for pattern, d in _PERIOD_DAYS if pattern.search(question)), None)
    amounts = []
    for m in _AMOUNT.finditer(question):
        if re.fullmatch(r"(?:19|20)\d{2}", m.group(1)) or (m.group(3) is None and len(m.group(1)) < 2):
            continue  # a year, or a lone digit ('H2', '第2'), is no amount
        scale = _MAGNITUDE.get((m.group(3) or "").lower(), 1.0)
        half = 0.5 * 10 ** -len(m.group(2) or "") * scale
        amounts.append((float(m.group(1)) * scale, half, m.group(0).strip()))
    if days is None or len(amounts) != 2:
        return None
    (total, t_half, t_text), (avg, a_half, a_text) = sorted(amounts, key=lambda a: -a[0])
    lo, hi = (total - t_half) / days, (total + t_half) / days
    value = total / days
    unit, shown = (1e4, "万") if avg >= 1e4 else (1.0, "")
    # (an English scale is also given in the report's: '855M' (8.55亿), '4.65M' (465万))
    t_text += f" ({total / 1e8:g}亿)" if total >= 1e8 and not re.search("[亿万]", t_text) else ""
    a_text += f" ({avg / 1e4:g}万)" if avg >= 1e4 and not re.search("[亿万]", a_text) else ""
    worked = f"{t_text} ÷ {days} = {value / unit:.1f}{shown}"
    if lo <= avg + a_half and avg - a_half <= hi:
        return (f"一致：{worked}（每天），与日均{a_text}相符（按{days}天计算）。" if lang == "zh"
                else f"Yes, the figures agree: {worked} a day over {days} days, which rounds to the {a_text} stated.")
    return (f"不一致：{worked}（每天，按{days}天计算），而不是{a_text}。" if lang == "zh"
            else f"No: {worked} a day over {days} days, not the {a_text} stated.")


_EN_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\ban?\b|\bone\b)\s*(million|billion|thousand|mn|bn|k)?\b", re.I)


def in_report_scale(question: str) -> list[tuple[str, list[str]]]:
    """English amounts of ten thousand or more, each as written (separators dropped) with the report's 万 / 亿
    figures for it ('586,000' → ['58.6'])."""
    out = []
    for m in _EN_AMOUNT.finditer(question):
        if not m.group(1)[0].isdigit() and m.group(2) is None:
            continue  # ('a', 'one' before anything but a scale word)
        number = 1.0 if not m.group(1)[0].isdigit() else float(m.group(1).replace(",", ""))  # ('a million')
        value = number * _MAGNITUDE.get((m.group(2) or "").lower(), 1.0)
        if value < 1e4 or (m.group(2) is None and "," not in m.group(1)):
            continue  # (a bare number is a year or a figure already in the report's scale)
        written = f"{value:.0f}" if not m.group(1)[0].isdigit() else m.group(1).replace(",", "")
        out.append((written, [f"{round(value / unit, 4):g}" for unit in (1e4, 1e8) if value >= unit]))
    return out
