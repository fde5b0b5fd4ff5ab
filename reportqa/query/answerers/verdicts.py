"""The report's own checks and the audit's findings in the question's language: both are recorded in English; a
Chinese question gets the places a finding compares, quoted, and a check's arithmetic with its verdict in Chinese."""

from __future__ import annotations

import re

from reportqa.records import Check, Finding, Language


def describe_finding(finding: Finding, lang: Language) -> str:
    """An audit finding in the question's language: its summary (recorded in English), or for a Chinese question the
    places it compares, each quoted with where it stands."""
    if lang != "zh":
        return finding.summary
    if finding.kind == "table_arithmetic":
        return finding.summary  # a table's arithmetic reads the same in either language
    places = [f"“{loc.quote.strip()}”" + (f"——{loc.section.split(' > ')[-1]}" + (f"，第{loc.page}页" if loc.page else "")
                                          if loc.section else "") for loc in finding.locations[:4]]
    figures = compared_figures(finding.summary)
    return (f"数字为{figures}。" if figures else "") + "；".join(places)


def compared_figures(summary: str) -> str:
    """The figures an audit summary sets against each other ('7万 vs 3 万; 30% vs 50%', '2562个 vs 2265个'), else ''."""
    paired = re.search(r"\(([^()“”]*\bvs\b[^()“”]*)\)", summary)
    if paired:
        return re.sub(r"^years? ", "", paired.group(1)).replace("; ", "；")
    gives = re.search(r" as (\S+), but .* prints (\S+?);", summary) or re.search(r"states (\S+) here but (\S+) elsewhere", summary)
    return f"{gives.group(1)} vs {gives.group(2)}" if gives else ""


_VERDICT_ZH = {"exact": "按印刷精度一致", "within_rounding": "只有计入输入值的四舍五入才一致", "mismatch": "输入值的四舍五入也解释不了"}


def describe_check(check: Check, lang: Language) -> str:
    """A table check's derivation in the question's language (the check records it in English)."""
    if lang != "zh":
        return check.detail
    text = re.sub(r" \((.+?) taken as ([^)]+)\)", r"（\1按\2计）", check.detail)
    text = text.replace("; inputs' rounding allows ", "，输入值的四舍五入范围为").replace("; printed ", "，表中印为")
    return re.sub(r" — .*$", f"——{_VERDICT_ZH[check.status]}", text)
