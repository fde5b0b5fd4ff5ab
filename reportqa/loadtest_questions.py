"""Distinct, valid questions generated from an index's own tables and sections (no word list of one report).

Every table gives questions per row and year column (value, change, growth, share, comparisons of two rows),
every section heading gives narrative questions; Chinese and English templates. The order is shuffled with
a fixed seed, so runs are comparable, and no question repeats.
"""

from __future__ import annotations

import itertools
import random

from reportqa.records import Document, Table

ROW_TEMPLATES = (
    "{year}年{row}的{metric}是多少？",
    "{year}年{row}{metric}",
    "{row}在{year}年的{metric}有多大？",
    "What was the {metric} of {row} in {year}?",
)
CHANGE_TEMPLATES = (
    "{row}的{metric}{y0}年到{y1}年变化了多少？",
    "{row}{y1}年的{metric}比{y0}年增长了多少？",
    "How did the {metric} of {row} change from {y0} to {y1}?",
)
PAIR_TEMPLATES = (
    "{year}年{a}和{b}的{metric}相差多少？",
    "{year}年{a}与{b}哪个{metric}更高？",
    "{year}年{a}的{metric}是{b}的多少倍？",
    "In {year}, which had the higher {metric}: {a} or {b}?",
)
SHARE_TEMPLATES = ("{year}年{row}占{total}的比重是多少？",)
SECTION_TEMPLATES = (
    "{title}的主要内容是什么？",
    "报告中关于{title}说了什么？",
    "What does the report say about {title}?",
)


def _table_questions(table: Table) -> list[str]:
    out: list[str] = []
    rows = [r for r in table.rows if r.label]
    years_by_metric: dict[str, list[int]] = {}
    for column in table.columns:
        if column.year is not None and column.kind == "level":
            years_by_metric.setdefault(column.metric, []).append(column.year)
    totals = [r.label for r in rows if r.is_total]
    for metric, years in years_by_metric.items():
        years = sorted(set(years))
        for row, year in itertools.product(rows, years):
            out += [t.format(year=year, row=row.label, metric=metric) for t in ROW_TEMPLATES]
            out += [t.format(year=year, row=row.label, total=total) for t in SHARE_TEMPLATES for total in totals if total != row.label]
        for row, (y0, y1) in itertools.product(rows, itertools.combinations(years, 2)):
            out += [t.format(row=row.label, metric=metric, y0=y0, y1=y1) for t in CHANGE_TEMPLATES]
        for (a, b), year in itertools.product(itertools.permutations([r.label for r in rows if not r.is_total], 2), years):
            out += [t.format(year=year, a=a, b=b, metric=metric) for t in PAIR_TEMPLATES]
    return out


def generate_questions(documents: list[Document], *, seed: int = 7, limit: int | None = None) -> list[str]:
    """Distinct questions about every table row/year and every section of ``documents``, shuffled with ``seed``."""
    questions: list[str] = []
    for doc in documents:
        for table in doc.tables:
            questions += _table_questions(table)
        for section in doc.sections:
            if section.title.strip():
                questions += [t.format(title=section.title.strip()) for t in SECTION_TEMPLATES]
    distinct = list(dict.fromkeys(q for q in questions if len(q) <= 200))
    random.Random(seed).shuffle(distinct)
    return distinct[:limit] if limit else distinct
