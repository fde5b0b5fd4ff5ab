"""The verdict on a claim put to the report (``analysis/claimed.py``), from the answer to the claim's figure question.

The figure question is answered as any other, with its own frame checks; only an answer that states figures of the
claim's kind (a percentage for a claimed rate, an amount for an amount) gives a verdict. The claim holds when one of
them is the claimed figure within the claim's own rounding ('about 7%' for 约为7%, '40%' for 40.5%), or within a few
points for a share said in words ('nearly half' for 48.3%); otherwise the
claim is contradicted. Either way the answer that settles it follows, with its citations: the report's own figure
and where it is printed. An unanswered figure question gives no verdict: the report cannot contradict a claim it
says nothing about.
"""

from __future__ import annotations

import re

from reportqa.query.analysis.claimed import Claimed
from reportqa.query.answerers.base import Draft
from reportqa.records import Language

_QUOTED = re.compile(r"“[^”]*”")
_RATE = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_AMOUNT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?!\s*%|[\d.])")


def claimed_verdict(claimed: Claimed, found: Draft, language: Language) -> Draft | None:
    """The verdict on ``claimed`` from ``found``, the answer to its figure question; None when that answer states no
    figure of the claim's kind (see the module's docstring)."""
    if not found.answerable or found.kind not in ("table", "text", "computed"):
        return None
    said = _QUOTED.sub(" ", found.text).replace(",", "")
    if claimed.unit:  # (an amount in 亿元 is settled by a figure in 亿元, not by a count beside it)
        stated = [float(v) for v in re.findall(rf"(\d+(?:\.\d+)?)\s*{re.escape(claimed.unit)}", said)]
    else:
        stated = [float(v) for v in (_RATE if claimed.rate else _AMOUNT).findall(said)]
    if not stated:
        return None
    value = float(claimed.figure)
    decimals = len(claimed.figure.split(".")[1]) if "." in claimed.figure else 0
    within = claimed.tolerance if claimed.tolerance is not None else 0.5 * 10 ** -decimals
    holds = any(abs(v - value) <= within + 1e-9 for v in stated)
    shown = claimed.written
    if language == "zh":
        lead = f"一致：报告给出的数字与{shown}相符。" if holds else f"不一致：报告给出的数字不是{shown}。"
    elif claimed.said:  # ('doubled (100%)', 'about half (50%)'): words the figures bear out or not
        lead = f"Yes, the report's figures bear out {shown}: " if holds else f"No, the report's figures do not bear out {shown}: "
    else:
        lead = (f"Yes, the report gives {shown}: " if holds else f"No, the report does not give {shown}: ")
    return Draft("consistency", True, lead + found.text, list(found.citations))
