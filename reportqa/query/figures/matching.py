"""How well a claim and a printed figure of the report fit: subject, year, role, metric and wording."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from reportqa.query.lexicon.vocab import Vocab

GENERIC_METRICS = frozenset({"同比增速", "占比"})
_DIGITS = re.compile(r"[\d.,，%％]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z]{3,}")
_STOP_BIGRAMS = frozenset({"同比", "比增", "增长", "数据", "显示", "我国", "全国", "其中", "分别", "约为", "达到",
                           "下降", "上年", "较上", "比上", "提高", "领域", "截至", "年底", "比下", "年同", "同期", "期下", "期增",
                           "合计", "总计", "报告"})


class Figure(Protocol):
    """What claims and index sources share."""

    subject: str | None
    year: int | None
    year_inferred: bool
    role: str | None
    metrics: frozenset[str]
    family: str


def specific_metrics(metrics: frozenset[str]) -> frozenset[str]:
    """Metrics other than the generic growth/share words."""
    return metrics - GENERIC_METRICS


def subject_score(claim: Figure, source: Figure, vocab: Vocab, *, source_is_cell: bool) -> int | None:
    """+3 same subject, +1 related or total for an unnamed subject, None when they differ."""
    if claim.subject is None:
        if not source_is_cell or (vocab.is_total(source.subject) and not getattr(claim, "other_subject", None)):
            return 1
        return None
    if source.subject == claim.subject:
        return 3
    if source.subject is None:
        return None if source_is_cell else 0
    if source.subject in vocab.related(claim.subject) or claim.subject in vocab.related(source.subject):
        return 1
    return None


def year_score(claim: Figure, source: Figure) -> int | None:
    """+2 same explicit year, +1 same inferred year, -1 different inferred year, None for different explicit years."""
    if claim.year is None or source.year is None:
        return 0
    if claim.year == source.year:
        return 1 if (claim.year_inferred or source.year_inferred) else 2
    if claim.year_inferred or source.year_inferred:
        return -1
    return None


def role_score(claim: Figure, source: Figure) -> int | None:
    """+1 same role, 0 when one is unknown, None for growth vs share."""
    if claim.role == source.role:
        return 1 if claim.role else 0
    if claim.role is None or source.role is None:
        return 0
    if {claim.role, source.role} == {"change", None}:
        return 0
    return None


def metric_score(claim: Figure, source: Figure) -> int | None:
    """+2 a shared specific metric, 0 when either names none, None when both name different ones."""
    a, b = specific_metrics(claim.metrics), specific_metrics(source.metrics)
    if not a or not b:
        return 0
    return 2 if a & b else None


@lru_cache(maxsize=4096)
def bigrams(text: str) -> frozenset[str]:
    """Content bigrams (CJK) and words (Latin) of a text, digits removed."""
    t = _DIGITS.sub(" ", text)
    grams = {t[i:i + 2] for i in range(len(t) - 1) if _CJK.match(t[i]) and _CJK.match(t[i + 1])}
    grams |= {w.lower() for w in _WORD.findall(t)}
    return frozenset(grams - _STOP_BIGRAMS)


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the content bigrams of two texts."""
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


def containment(a: str, b: str) -> float:
    """Share of the smaller text's content bigrams found in the other."""
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


def concept_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set of glossary concepts found in the other (language-independent)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
