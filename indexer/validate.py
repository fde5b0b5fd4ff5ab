"""Rounding-aware arithmetic checks of a parsed table.

Every printed figure stands for an interval ("6" → [5.5, 6.5], "＜1" → [0, 1)). A relation
(column sum = 总计, growth = cur/prev − 1, share = part/whole) is 'exact' when the value computed
from the printed inputs rounds to the printed target, 'within_rounding' when only some values inside
the inputs' intervals give the printed target, and 'mismatch' when none do.
"""

from __future__ import annotations

from typing import Literal

from reportqa.numeric import (
    Interval,
    classify,
    format_interval,
    format_number,
    growth_interval,
    interval_sum,
    rounding_interval,
    share_interval,
)
from reportqa.records import Cell, Check, Column, Table

CheckKind = Literal["sum", "growth", "share"]

VERDICT = {
    "exact": "agrees at printed precision",
    "within_rounding": "agrees only through the inputs' rounding",
    "mismatch": "no rounding of the inputs explains it",
}


def validate_table(table: Table) -> list[Check]:
    """Column sums vs the 总计 row, growth columns vs their year columns, share columns vs part/whole."""
    return _sum_checks(table) + _growth_checks(table) + _share_checks(table)


def _iv(cell: Cell) -> Interval:
    assert cell.value is not None
    return rounding_interval(cell.value, cell.decimals, cell.bound)


def _column_cells(table: Table, column: str) -> dict[str, Cell]:
    """Row label → cell with a value, for one column."""
    out = {}
    for row in table.rows:
        for c in row.cells:
            if c.column == column and c.value is not None:
                out[row.label] = c
    return out


def _check(kind: CheckKind, target: Cell, inputs: list[Cell], point: float | None, interval: Interval,
           expr: str, shown: int, suffix: str = "", interval_shown: int | None = None) -> Check:
    """Classify the target against the computed point/interval and write the derivation."""
    assert target.value is not None
    bounded = [c for c in inputs if c.bound is not None]
    status = classify(target.value, target.decimals, point, interval, bound=target.bound, point_is_exact=not bounded)
    taken = "".join(f" ({t} taken as {format_number(v, 0)})" for t, v in dict.fromkeys((c.text, c.value) for c in bounded))
    point_txt = "undefined" if point is None else f"{format_number(point, shown)}{suffix}"
    detail = (f"{expr} = {point_txt}{taken}; inputs' rounding allows {format_interval(interval, shown if interval_shown is None else interval_shown, suffix)}; "
              f"printed {target.text} — {VERDICT[status]}")
    return Check(kind=kind, target=target.id, inputs=[c.id for c in inputs], printed=target.text,
                 computed=point, interval=interval, status=status, detail=detail)


def _sum_checks(table: Table) -> list[Check]:
    checks: list[Check] = []
    totals = [r for r in table.rows if r.is_total]
    parts = [r for r in table.rows if not r.is_total]
    if not totals or len(parts) < 2:
        return checks
    for col in (c for c in table.columns if c.kind == "level"):
        cells = _column_cells(table, col.id)
        inputs = [cells.get(r.label) for r in parts]
        if any(c is None for c in inputs):
            continue
        ins: list[Cell] = [c for c in inputs if c is not None]
        for total in totals:
            target = cells.get(total.label)
            if target is None:
                continue
            point = sum(c.value for c in ins if c.value is not None)
            shown = max(c.decimals for c in ins)
            expr = "+".join(c.text for c in ins)
            checks.append(_check("sum", target, ins, point, interval_sum([_iv(c) for c in ins]), expr, shown,
                                 interval_shown=shown + 1))
    return checks


def _level_years(table: Table) -> dict[str, dict[int, Column]]:
    """Level metric → year → column."""
    out: dict[str, dict[int, Column]] = {}
    for c in table.columns:
        if c.kind == "level" and c.year is not None:
            out.setdefault(c.metric, {})[c.year] = c
    return out


def _growth_checks(table: Table) -> list[Check]:
    checks: list[Check] = []
    levels = _level_years(table)
    all_years = [y for years in levels.values() for y in years]
    for col in (c for c in table.columns if c.kind == "growth"):
        year = col.year if col.year is not None else max(all_years, default=None)
        if year is None:
            continue
        candidates = [m for m, ys in levels.items() if year in ys and year - 1 in ys]
        named = sorted((m for m in candidates if m and m in col.metric), key=len, reverse=True)
        options = named[:1] or candidates
        results = [_growth_for(table, col, levels[m][year - 1], levels[m][year]) for m in options]
        if results:
            checks += min(results, key=lambda cs: sum(c.status == "mismatch" for c in cs))
    return checks


def _growth_for(table: Table, col: Column, prev_col: Column, cur_col: Column) -> list[Check]:
    prevs, curs, targets = (_column_cells(table, c.id) for c in (prev_col, cur_col, col))
    scale = 100.0 if col.unit == "%" else 1.0
    suffix = "%" if scale == 100.0 else ""
    out = []
    for row in table.rows:
        prev, cur, target = prevs.get(row.label), curs.get(row.label), targets.get(row.label)
        if prev is None or cur is None or target is None:
            continue
        assert prev.value is not None and cur.value is not None
        point = (cur.value / prev.value - 1) * scale if prev.value else None
        lo, hi = growth_interval(_iv(prev), _iv(cur))
        out.append(_check("growth", target, [prev, cur], point, (lo * scale / 100, hi * scale / 100),
                          f"{cur.text}/{prev.text}−1", target.decimals + 1, suffix))
    return out


def _share_checks(table: Table) -> list[Check]:
    checks: list[Check] = []
    for col in (c for c in table.columns if c.kind == "share"):
        same_year = [c for c in table.columns if c.kind == "level" and c.year == col.year]
        parts = sorted((c for c in same_year if c.metric and c.metric in col.metric), key=lambda c: len(c.metric), reverse=True)
        if parts:
            pairs = [(parts[0], w) for w in same_year if w is not parts[0] and w.unit == parts[0].unit]
            guessed = False
        else:
            pairs = [(p, w) for p in same_year for w in same_year if p is not w and p.unit == w.unit]
            guessed = True  # no name says which is part and whole: keep a pair only if it explains most rows
        results = [_share_for(table, col, p, w) for p, w in pairs]
        totals = [r.label for r in table.rows if r.is_total]
        if not parts and len(totals) == 1:  # a structure column: each row's share of the 总计 row
            results += [_share_for(table, col, c, c, whole_row=totals[0]) for c in same_year]
        results = [r for r in results if r and not (guessed and 2 * _explained(r) <= len(r))]
        if results:
            checks += min(results, key=_mismatch_then_rounding)
    return checks


def _explained(checks: list[Check]) -> int:
    """How many checks agree (exactly or through rounding)."""
    return sum(c.status != "mismatch" for c in checks)


def _mismatch_then_rounding(checks: list[Check]) -> tuple[int, int]:
    """Sort key: fewest mismatches, then fewest rounding-only agreements."""
    return sum(c.status == "mismatch" for c in checks), sum(c.status == "within_rounding" for c in checks)


def _share_for(table: Table, col: Column, part_col: Column, whole_col: Column, whole_row: str | None = None) -> list[Check]:
    """Share checks row by row: part/whole in the same row, or each row's part over ``whole_row``."""
    parts, wholes, targets = (_column_cells(table, c.id) for c in (part_col, whole_col, col))
    scale = 100.0 if col.unit == "%" else 1.0
    suffix = "%" if scale == 100.0 else ""
    out = []
    for row in table.rows:
        part, whole, target = parts.get(row.label), wholes.get(whole_row or row.label), targets.get(row.label)
        if part is None or whole is None or target is None or (whole_row is not None and row.label == whole_row):
            continue
        assert part.value is not None and whole.value is not None
        point = part.value / whole.value * scale if whole.value else None
        lo, hi = share_interval(_iv(part), _iv(whole))
        out.append(_check("share", target, [part, whole], point, (lo * scale / 100, hi * scale / 100),
                          f"{part.text}/{whole.text}", target.decimals + 1, suffix))
    return out
