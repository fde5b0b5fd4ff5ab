"""Figures that follow from two columns or two tables: the rest of a whole (whole − part), a count divided by
its rate (count ÷ rate), and one table's figure as a share or multiple of another table's (same unit and year).

Each keeps the printed inputs and a derivation with cell ids; a '＜v' input gives an interval.
"""

from __future__ import annotations

import math

from reportqa.numeric import Interval, interval_div, interval_sub
from reportqa.query.tables.query import TableQuery
from reportqa.query.tables import tableops
from reportqa.query.tables.tableops import Figure, TableResult, _cell, _interval, _read, _shown, level_column
from reportqa.records import Cell, Table


def execute(query: TableQuery, tables: list[Table]) -> TableResult:
    """Run a TableQuery: the derived operations here, every other one in :mod:`tableops`."""
    if query.op not in ("remainder", "implied", "cross", "per"):
        return tableops.execute(query, tables)
    table = next((t for t in tables if t.id == query.table_id), None)
    if table is None or query.metric is None:
        return TableResult(query, table, query.op, False, reason="no table holds the rows and metric asked")
    if query.missing:
        return TableResult(query, table, query.op, False, reason=query.missing)
    result = TableResult(query, table, query.op, True)
    years = query.years or [y for y in [tableops._default_year(table, query.metric, query)] if y] or [None]
    if query.op == "cross":
        _cross(result, table, tables)
    else:
        for year in years:
            for row in query.rows:
                _two_columns(result, table, row, year)
    if not any(f.computed for f in result.figures):
        result.answerable = False
        result.figures = []
        result.reason = result.reason or f"{table.id} lacks the cells to compute this"
    return result


def _two_columns(result: TableResult, table: Table, row: str, year: int | None) -> None:
    q = result.query
    assert q.metric is not None and q.part_metric is not None
    col_a, col_b = level_column(table, q.metric, year), level_column(table, q.part_metric, year)
    a = _read(table, row, col_a) if col_a else None
    b = _read(table, row, col_b) if col_b else None
    if a is None or b is None:
        result.reason = f"{table.id} lacks {row} {q.metric} or {q.part_metric}{f' for {year}' if year else ''}"
        return
    ca, cb = a.cells[0], b.cells[0]
    ia, ib = _interval(ca), _interval(cb)
    bounded = ca.bound is not None or cb.bound is not None
    if q.op == "remainder":
        lo, hi = interval_sub(ia, ib)
        fig = Figure(
            label=row, value=(ca.value or 0) - (cb.value or 0), unit=ca.unit, decimals=max(ca.decimals, cb.decimals),
            cells=[ca, cb], computed=True, formula=f"{ca.id} − {cb.id} = {_shown(ca)} − {_shown(cb)}",
            interval=(lo, hi) if bounded else None, year=ca.year or cb.year, kind="remainder",
        )
    elif q.op == "per":
        fig = _per_unit(row, ca, cb, ia, ib, bounded)
        if fig is None:
            result.reason = f"{ca.id} ({ca.unit}) and {cb.id} ({cb.unit}) cannot be divided"
            return
    else:
        rate = (ib[0] / 100, ib[1] / 100)
        lo, hi = interval_div(ia, rate) if rate[0] > 0 else (ia[0] / rate[1] if rate[1] else math.inf, math.inf)
        fig = Figure(
            label=row, value=(ca.value or 0) / ((cb.value or math.nan) / 100), unit=ca.unit, decimals=ca.decimals,
            cells=[ca, cb], computed=True, formula=f"{ca.id} ÷ {cb.id} = {_shown(ca)} ÷ {_shown(cb)}",
            interval=(lo, hi) if bounded else None, year=ca.year or cb.year, kind="implied",
        )
    result.figures.extend([a, b, fig])


_SCALE = {"亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}


def _split_unit(unit: str) -> tuple[float, str]:
    """'亿元' → (1e8, '元'); '万人' → (1e4, '人'); '个' → (1, '个')."""
    if len(unit) > 1 and unit[0] in _SCALE:
        return _SCALE[unit[0]], unit[1:]
    return 1.0, unit


def _per_unit(row: str, ca: Cell, cb: Cell, ia: Interval, ib: Interval, bounded: bool) -> Figure | None:
    """One column per unit of another ('611亿元 ÷ 6.3万人' → 96.98万元/人), in the numerator's base unit, scaled to
    万/亿 when large; two decimals under 10, one above."""
    if not ca.unit or not cb.unit or not cb.value or "%" in ca.unit + cb.unit:
        return None
    (sa, ua), (sb, ub) = _split_unit(ca.unit), _split_unit(cb.unit)
    factor = sa / sb
    raw = (ca.value or 0) / cb.value * factor
    prefix, scale = next(((p, v) for p, v in (("亿", 1e8), ("万", 1e4)) if abs(raw) >= v * 10), ("", 1.0))
    value = raw / scale
    lo, hi = interval_div(ia, ib) if ib[0] > 0 else (ia[0] / ib[1] if ib[1] else 0.0, math.inf)
    return Figure(
        label=row, value=value, unit=f"{prefix}{ua}/{ub}", decimals=2 if abs(value) < 10 else 1, cells=[ca, cb],
        computed=True, formula=f"{ca.id} ÷ {cb.id} = {_shown(ca)} ÷ {_shown(cb)}",
        interval=(lo * factor / scale, hi * factor / scale) if bounded else None, year=ca.year or cb.year, kind="per",
    )


def _cross(result: TableResult, table: Table, tables: list[Table]) -> None:
    q = result.query
    other = next((t for t in tables if t.id == q.ref_table_id), None)
    year = q.years[0] if q.years else None
    if other is None or q.ref_metric is None or not q.rows or not q.ref_rows:
        result.reason = "the second table of the comparison is missing"
        return
    ca = _cell(table, q.rows[0], level_column(table, q.metric or "", year))
    cb = _cell(other, q.ref_rows[0], level_column(other, q.ref_metric, year))
    if ca is None or cb is None:
        result.reason = f"{table.id} or {other.id} has no {year} value for the rows asked"
        return
    if ca.unit != cb.unit:
        result.reason = f"{ca.id} is in {ca.unit} and {cb.id} in {cb.unit}; they cannot be divided"
        return
    a, b = _read(table, ca.row, level_column(table, q.metric or "", year)), _read(other, cb.row, level_column(other, q.ref_metric, year))  # type: ignore[arg-type]
    assert a is not None and b is not None
    bounded = ca.bound is not None or cb.bound is not None
    lo, hi = interval_div(_interval(ca), _interval(cb))
    scale, unit, decimals = (100.0, "%", 1) if q.as_share else (1.0, "倍", 2)
    if q.as_share and cb.value and abs((ca.value or 0) / cb.value * scale) < 1:
        decimals = 2  # a share under 1% keeps two significant places
    fig = Figure(
        label=f"{ca.row}/{cb.row}", value=(ca.value or 0) / (cb.value or math.nan) * scale, unit=unit, decimals=decimals,
        cells=[ca, cb], computed=True, formula=f"{ca.id} ÷ {cb.id} = {_shown(ca)} ÷ {_shown(cb)}",
        interval=(lo * scale, hi * scale) if bounded else None, year=year, kind="share" if q.as_share else "ratio",
    )
    result.figures = [a, b, fig]
