"""Which columns a derived table figure uses: the part of a whole column, the rate of a count column, and
the two tables of a cross-table share. Everything is read off the parsed tables (units, kinds, values).
"""

from __future__ import annotations

import re

from reportqa.query.lexicon.glossary import Glossary, GlossaryEntry, Mention
from reportqa.query.lexicon.tablewords import DENOMINATOR, IMPLIED, PER, PER_PERSON, RATIO, REMAINDER, SHARE_WORD
from reportqa.query.tables.exclusion import Exclusion
from reportqa.query.tables.query import TableQuery
from reportqa.query.views.tableschema import level_metrics, metric_of, resolve_row, table_years, total_row
from reportqa.records import Language, Table


def _unit(table: Table, metric: str) -> str | None:
    return next((c.unit for c in table.columns if c.metric == metric and c.kind != "growth"), None)


def _values(table: Table, metric: str) -> dict[tuple[str, int | None], float]:
    cols = {c.id: c for c in table.columns if c.metric == metric and c.kind != "growth"}
    return {(r.label, cols[c.column].year): c.value for r in table.rows for c in r.cells
            if c.column in cols and c.value is not None and c.bound is None}


def is_rate(table: Table, metric: str) -> bool:
    """A share or rate column group (printed in %)."""
    ids = {c.id for c in table.columns if c.metric == metric and c.kind != "growth"}
    if any(c.metric == metric and c.kind != "growth" and (c.kind == "share" or c.unit == "%") for c in table.columns):
        return True
    return any(cell.unit == "%" for r in table.rows for cell in r.cells if cell.column in ids)


def part_metric(table: Table, whole: str) -> str | None:
    """Another column group of the same unit whose every value is at most ``whole``'s (a part of it)."""
    unit = _unit(table, whole)
    big = _values(table, whole)
    seen: list[str] = []
    for c in table.columns:
        if c.kind == "growth" or c.metric == whole or c.metric in seen or is_rate(table, c.metric):
            continue
        seen.append(c.metric)
        if c.unit != unit:
            continue
        small = _values(table, c.metric)
        common = [k for k in small if k in big]
        if common and all(small[k] <= big[k] for k in common):
            return c.metric
    return None


def whole_metric(table: Table, part: str) -> str | None:
    """The column group ``part`` is a part of (the inverse of :func:`part_metric`)."""
    for c in table.columns:
        if c.kind != "growth" and c.metric != part and part_metric(table, c.metric) == part:
            return c.metric
    return None


def rate_metric(table: Table, metric: str) -> str | None:
    """The rate column group (%) of a table that also holds the count column ``metric``."""
    if is_rate(table, metric):
        return None
    return next((c.metric for c in table.columns if c.kind != "growth" and is_rate(table, c.metric)), None)


def denominator_first(question: str, mentions: list[Mention]) -> list[Mention]:
    """Metric mentions ordered numerator, denominator: the one named after '占' / 'share of' / 'than' is the base."""
    metrics = [m for m in mentions if m.entry.kind == "metric"]
    if len(metrics) < 2:
        return metrics
    marker = DENOMINATOR.search(question)
    if marker:
        after = [m for m in metrics if m.start >= marker.end()]
        before = [m for m in metrics if m.start < marker.end()]
        if after and before:
            return [before[0], after[0]]
        if after and len(after) >= 2 and re.match(r"\s*(?:share|proportion|percentage|fraction|percent)", marker.group(0), re.I):
            return [after[1], after[0]]  # 'what share of X did Y account for': X is the base
    return metrics[:2]


def cross_plan(
    tables: list[Table], numerator: GlossaryEntry, denominator: GlossaryEntry, rows: list[GlossaryEntry],
    years: list[int], glossary: Glossary,
) -> tuple[tuple[Table, list[str], str], tuple[Table, list[str], str], int] | None:
    """Two different tables, one holding each measure in the same unit, and a year both cover (the asked one,
    else the latest common one). Rows are the asked rows a table has, else its total row."""
    def holders(entry: GlossaryEntry) -> list[tuple[Table, str]]:
        return [(t, m) for t in tables for m in [metric_of(t, entry, glossary)] if m]

    for ta, ma in holders(numerator):
        for tb, mb in holders(denominator):
            if ta is tb or _unit(ta, ma) != _unit(tb, mb) or is_rate(ta, ma) or is_rate(tb, mb):
                continue
            common = [y for y in table_years(ta) if y in table_years(tb)]
            year = years[-1] if years else (common[-1] if common else None)
            if year is None or year not in common:
                continue
            sides = []
            for t in (ta, tb):
                named = [label for e in rows for label in [resolve_row(t, e, glossary)] if label]
                total = total_row(t)
                sides.append(named[:1] or ([total] if total else []))
            if all(sides):
                return (ta, sides[0], ma), (tb, sides[1], mb), year
    return None


def in_brackets(text: str, pos: int) -> bool:
    before = text[:pos]
    return max(before.rfind("("), before.rfind("（")) > max(before.rfind(")"), before.rfind("）"))


def two_column_figure(query: TableQuery, table: Table, excl: Exclusion, text: str, glossary: Glossary | None = None) -> None:
    """Turn a one-row read into a figure that follows from two of its columns: the rest of a whole once a part
    is taken out ('…中除去Y之外的部分'), a count divided by its rate ('推算', 'implied'), or one column per unit of
    another ('平均每家企业对应多少个网点', 'output value per worker')."""
    if query.op not in ("value", "change") or len(query.rows) != 1 or query.metric is None:
        return
    per = PER.search(text)
    inside = per is not None and glossary is not None and any(
        m.start <= per.start() < m.end for m in glossary.find(text) if m.entry.kind == "metric")  # 'per-capita spending'
    if per is not None and query.op == "value" and not inside and not SHARE_WORD.search(text):
        pair = _per_columns(table, query.metric, text, per.start(), glossary)
        if pair is not None:
            query.op, (query.metric, query.part_metric) = "per", pair
            return
    related = any(query.rows[0] in e.related for e in excl.rows)  # '餐饮…除去外卖': a narrower row of the asked one
    if excl and (excl.remainder or related or (excl.metrics and REMAINDER.search(text))):
        part = part_metric(table, query.metric)
        if part is not None:
            query.op, query.part_metric, query.excluded = "remainder", part, []
            return
    if IMPLIED.search(text):
        metric = query.metric
        if is_rate(table, metric):
            metric = next((m for m in level_metrics(table) if not is_rate(table, m)), metric)
        rate = rate_metric(table, metric)
        if rate is not None:
            query.op, query.metric, query.part_metric = "implied", metric, rate


def _per_columns(table: Table, metric: str, text: str, at: int, glossary: Glossary | None) -> tuple[str, str] | None:
    """(numerator, denominator) level columns of a 'per' question: the denominator is the column named first after the
    per word ('平均每家<企业>对应多少个<网点>' → 网点 ÷ 企业; 'per worker' → the row's people count), the numerator the
    asked measure or the other column named; None when the table has no such pair."""
    levels = [m for m in level_metrics(table) if not is_rate(table, m)]
    named = glossary.find(text) if glossary is not None else []

    def where(m: str) -> int | None:
        """Where the question names column ``m`` (by its printed name or a glossary form), else None."""
        core = re.sub(r"[（(].*?[）)]", "", m)
        spots = [text.find(core)] if core and core in text else []
        spots += [n.start for n in named if any(f and f in m for f in n.entry.forms_zh)]
        return min(spots) if spots else None

    spots = {m: where(m) for m in levels}
    people = next((m for m in levels if (_unit(table, m) or "").endswith("人")), None)
    if PER_PERSON.match(text, at) or (PER_PERSON.search(text[at:at + 30]) and people is not None):
        denominator = people  # '人均产值', 'per worker': the row's count of people
    else:
        after = sorted((p, m) for m, p in spots.items() if p is not None and p >= at)
        denominator = after[0][1] if after else None
    if denominator is None:
        return None
    numerator = metric if metric != denominator else next(
        (m for p, m in sorted((p, m) for m, p in spots.items() if p is not None) if m != denominator), None)
    if numerator is None or PER.search(numerator):
        return None  # a column printed per unit already ('人均消费支出') is read, not divided again
    base = lambda m: re.sub(r"^[亿万千百]", "", _unit(table, m) or "")  # noqa: E731
    return (numerator, denominator) if base(numerator) != base(denominator) else None  # 元 per 元 is a share, not a per


def cross_query(
    question: str, text: str, lang: Language, tables: list[Table], rows: list[GlossaryEntry], years: list[int],
    wording: str, explicit: list[GlossaryEntry], glossary: Glossary, share_word: bool,
) -> TableQuery | None:
    """One table's figure as a share (or multiple) of another table's, when no single table holds both measures."""
    ratio = bool(RATIO.search(text))
    if len(explicit) < 2 or not (share_word or ratio):
        return None
    measures = [e for e in explicit if not SHARE_WORD.search(e.term)]
    ordered = denominator_first(text, [m for m in glossary.find(text) if m.entry in measures])
    if len(ordered) < 2 or ordered[0].entry is ordered[1].entry:
        return None
    plan = cross_plan(tables, ordered[0].entry, ordered[1].entry, rows, years, glossary)
    if plan is None:
        return None
    (ta, rows_a, ma), (tb, rows_b, mb), year = plan
    return TableQuery(
        question=question, language=lang, op="cross", table_id=ta.id, rows=rows_a, metric=ma, years=[year],
        asked_rows=[r.term for r in rows], covered_years=table_years(ta), wording=wording,
        ref_table_id=tb.id, ref_rows=rows_b, ref_metric=mb, as_share=not ratio or share_word,
    )
