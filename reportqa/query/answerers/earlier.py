"""A figure for a year the report states only through the next year's level and its change: '截至2022年底…298家，比
2021年底增加了40家' gives end-2021 as 298 − 40 = 258家; '2023年…约15.0万人，较上年增加2.3万人' gives 2022 as 12.7万人.

The answer says it is derived and shows the arithmetic on the two printed figures. Only an absolute change in the
level's own unit is used (a growth rate would need a division whose rounding the answer could not vouch for).
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from reportqa.query.analysis.concepts import Concept
from reportqa.query.analysis.question import Question
from reportqa.query.answerers.base import (
    Candidate,
    Draft,
    Evidence,
    sentence_citation,
    where,
)
from reportqa.query.answerers.textfacts import FactMatch, dated_year, find_facts
from reportqa.query.render import quantity_en
from reportqa.query.views.sentences import compact

TRIES = 4  # matches of the later year read for a level with its change
_NUMBER = re.compile(r"^([-+]?\d+(?:\.\d+)?)(.*)$")


def _base(year: int) -> re.Pattern[str]:
    """'较上年', '比上年末', '比2021年底', '同比' right before the change verb: the change is over the year before."""
    return re.compile(rf"(?:同比|(?:较|比)(?:上年|去年|{year}年)(?:末|底|同期)?)(?:大幅|共|累计)?"
                      r"(?P<dir>增加|增长|提高|上升|扩大|多|减少|下降|降低|缩减|少)了?$")


_DOWN = ("减少", "下降", "降低", "缩减", "少")


def propose(q: Question, ev: Evidence) -> list[Candidate]:
    """The asked year's figure derived from the next year's level and its stated change, as a candidate; else []."""
    if len(q.frame.years) != 1 or q.frame.multi_year or q.facts.change or q.facts.forecast:
        return []
    asked = q.frame.years[0]
    later = asked + 1
    concepts = [c if c.kind != "year" else Concept(f"{later}年", (str(later),), "year", True) for c in q.facts.concepts]
    facts = replace(q.facts, years=[later], concepts=concepts)
    # the BM25 hits first (no query embedding), then the hybrid ones
    for looked in (ev.sparse_ranked, ev.ranked + [cid for cid in ev.sparse_ranked[:3] if cid not in ev.ranked]):
        for match in find_facts(facts, ev.ctx, looked, q.docs, everywhere=False)[:TRIES]:
            derived = _derive(match, asked)
            if derived is not None:
                return [Candidate("fact", _draft(match, derived, asked, q, ev), round(match.coverage, 3), nearest=match.sentence)]
    return []


def _derive(match: FactMatch, asked: int) -> tuple[Any, Decimal, str] | None:
    """(the change claim, the asked year's value, the operator) when the match's level figure is dated the year after
    ``asked`` and the sentence states its change over that year in the same unit; else None."""
    level, sent = match.claim, match.sentence
    if level is None or getattr(level, "role", None) in ("growth", "change") or level.family in ("percent", "pp"):
        return None
    if dated_year(level, sent) != asked + 1 or _NUMBER.match(compact(level.text)) is None:
        return None
    base = _base(asked)
    text = sent.compact
    end = text.find(compact(level.text)) + len(compact(level.text))
    for other in sent.claims:
        if getattr(other, "role", None) != "change" or other.unit != level.unit:
            continue
        at = text.find(compact(other.text), end)
        if at < 0 or at - end > 40:
            continue
        m = base.search(text[end:at])  # only a change stated right after the level is the level's own
        if m is None or any(0 <= text.find(compact(c.text), end) < at for c in sent.claims if c is not other):
            continue
        value = Decimal(_NUMBER.match(compact(level.text)).group(1))
        delta = Decimal(_NUMBER.match(compact(other.text).lstrip("+")).group(1))
        down = m.group("dir") in _DOWN
        return other, (value + delta if down else value - delta), ("+" if down else "−")
    return None


def _draft(match: FactMatch, derived: tuple[Any, Decimal, str], asked: int, q: Question, ev: Evidence) -> Draft:
    change, value, op = derived
    sent, level = match.sentence, match.claim
    number, unit = _NUMBER.match(compact(level.text)).groups()
    delta = _NUMBER.match(compact(change.text).lstrip("+")).group(1)
    places = max(len(number.partition(".")[2]), len(delta.partition(".")[2]))
    shown = f"{value:.{places}f}"
    later = asked + 1
    if q.language == "zh":
        text = (f"报告未直接给出{asked}年的数字；由{later}年的数字推算，{asked}年为{shown}{unit}"
                f"（= {number} {op} {delta}：{later}年{number}{unit}，较上年{'减少' if op == '+' else '增加'}{delta}{unit}）。"
                f"报告原文：“{sent.text}”{where(sent, q.language)}")
    else:
        moved = "fall" if op == "+" else "increase"
        text = (f"{asked}: {quantity_en(shown, unit)} — derived, not printed: the report gives {later} as "
                f"{quantity_en(number, unit)} and its {moved} on the year before as {quantity_en(delta, unit)} "
                f"(= {number} {op} {delta}). The report says: “{sent.text}”{where(sent, q.language)}")
    draft = Draft("computed", True, text)
    draft.citations.append((sentence_citation(sent, ev.score_of(sent.chunk_id, 1.0)), [compact(level.text), compact(change.text)]))
    return draft
