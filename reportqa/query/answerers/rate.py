"""A rate the report names after a table row and prints for one year only, asked for another year: '规范渠道回收率达到
48.3%' (2023) beside 表1's 规范渠道回收 row gives 2021's rate as 11.8 ÷ 29.4 = 40.1%.

The rate's definition is recovered from the year the report prints it: the named row's cell over the one other row of
the same table (same unit, same year) whose quotient falls within the printed rate's rounding. It is applied to the
asked year's cells, and the answer says it is derived, shows the arithmetic, and quotes the printed rate it follows.
Nothing is derived when no row, or more than one, reproduces the printed rate.
"""

from __future__ import annotations

import re
from typing import Any

from reportqa.numeric import interval_div, round_half_up
from reportqa.query.analysis.question import Question
from reportqa.query.answerers.base import (
    Candidate,
    Draft,
    Evidence,
    cell_citation,
    sentence_citation,
    where,
)
from reportqa.query.answerers.textfacts import dated_year
from reportqa.query.tables.tableops import level_column
from reportqa.query.views.sentences import AnswerContext, Sentence, compact
from reportqa.records import Cell, Document, Table

_RATE = re.compile(r"[\u4e00-\u9fff]{2,}率")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")


def propose(q: Question, ev: Evidence) -> list[Candidate]:
    """The asked year's rate derived from the table rows its printed year divides, as a candidate; else []."""
    if len(q.frame.years) != 1 or q.facts.change or q.facts.forecast:
        return []
    asked = q.frame.years[0]
    for concept in (c for c in q.facts.concepts if c.kind == "metric"):
        for form in (f for f in concept.forms if _RATE.fullmatch(f)):
            found = _derive(form, asked, ev.ctx, q.docs)
            if found is not None:
                return [Candidate("fact", _draft(form, asked, *found, q.language), 1.0)]
    return []


def _derive(rate: str, asked: int, ctx: AnswerContext, docs: tuple[str, ...]) -> tuple[Any, ...] | None:
    """(report, table, numerator and denominator cells for the asked year, the printed sentence, its year, its rate,
    its numerator and denominator cells) when exactly one row reproduces the printed rate; else None."""
    named = rate[:-1]  # '规范渠道回收率' → the row '规范渠道回收'
    for doc in ctx.documents:
        if docs and doc.doc_id not in docs:
            continue
        for table in doc.tables:
            if not any(r.label == named for r in table.rows):
                continue
            printed = _printed(rate, ctx, doc.doc_id)
            if any(year == asked for _, year, _, _ in printed):
                return None  # the report prints the asked year's rate: the text answers it
            for sent, year, value, decimals in printed:
                rows = _dividing(table, named, year, value, decimals)
                if len(rows) != 1:
                    continue
                top, bottom = _cells(table, named, rows[0], asked)
                if top is None or bottom is None:
                    continue
                return (doc, table, top, bottom, sent, year, value, *_cells(table, named, rows[0], year))
    return None


def _printed(rate: str, ctx: AnswerContext, doc_id: str) -> list[tuple[Sentence, int, float, int]]:
    """The sentences of the report that print the rate with a year: (sentence, year, value in %, decimals)."""
    out = []
    for sent in ctx.sentences:
        if sent.doc_id != doc_id or rate not in sent.compact:
            continue
        for claim in sent.claims:
            m = _PERCENT.match(compact(claim.text))
            year = dated_year(claim, sent)
            if m and year is not None and rate in compact(claim.clause or ""):
                out.append((sent, year, float(m.group(1)), len(m.group(1).partition(".")[2])))
    return out


def _cells(table: Table, top: str, bottom: str, year: int) -> tuple[Cell | None, Cell | None]:
    """The two rows' level cells of one metric for ``year``."""
    for col in table.columns:
        if col.year != year or col.kind == "growth" or level_column(table, col.metric, year) is not col:
            continue
        a, b = table.cell(top, col.id), table.cell(bottom, col.id)
        if a is not None and b is not None and a.value and b.value and not a.bound and not b.bound and a.unit == b.unit:
            return a, b
    return None, None


def _dividing(table: Table, named: str, year: int, value: float, decimals: int) -> list[str]:
    """The rows whose cell for ``year`` divides the named row's to the printed rate within rounding."""
    half = 0.5 * 10 ** (-decimals)
    out = []
    for row in table.rows:
        if row.label == named:
            continue
        top, bottom = _cells(table, named, row.label, year)
        if top is None or bottom is None:
            continue
        # the printed cells are rounded too: the quotient's interval must meet the rate's
        lo, hi = interval_div(top.interval(), bottom.interval())
        if lo * 100 <= value + half and hi * 100 >= value - half:
            out.append(row.label)
    return out


def _draft(rate: str, asked: int, doc: Document, table: Table, top: Cell, bottom: Cell, sent: Sentence, year: int, value: float,
           top0: Cell, bottom0: Cell, lang: str) -> Draft:
    result = round_half_up(top.value / bottom.value * 100, 1)
    if lang == "zh":
        text = (f"{asked}年{rate}约为{result}%（报告未印该年{rate}；按报告{year}年{value:g}% = {top0.text} ÷ {bottom0.text}"
                f"（{table.id}{top0.row} ÷ {bottom0.row}）的口径，由{table.id}推算：{top.text} ÷ {bottom.text}）。"
                f"报告原文：“{sent.text}”{where(sent, lang)}")
    else:
        text = (f"{asked}: about {result}% (derived: the report prints no {rate} for {asked}; its {year} rate of {value:g}% "
                f"is {table.id}'s {top0.row} ÷ {bottom0.row} = {top0.text} ÷ {bottom0.text}, so {asked}'s is "
                f"{top.text} ÷ {bottom.text}). The report says: “{sent.text}”{where(sent, lang)}")
    draft = Draft("computed", True, text)
    for cell in (top, bottom):
        if (cited := cell_citation(doc, table, cell.id)) is not None:
            draft.citations.append((cited, [compact(cell.text)]))
    draft.citations.append((sentence_citation(sent), []))
    return draft
