"""Execute a TableQuery on typed cells: read, difference, growth, share of total, sum, ratio, rank, compare.

Every result records the cells it used and a derivation string with cell ids and printed values.
A '＜1' input makes the result an interval (rendered "不足…" / "less than …"), never a point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from reportqa.numeric import (
    Interval,
    interval_div,
    interval_sub,
    interval_sum,
    round_half_up,
)
from reportqa.query.tables.query import Op, TableQuery
from reportqa.query.views.tableschema import total_row
from reportqa.records import Bound, Cell, Column, Table


@dataclass
class Figure:
    """One number of a result: a printed cell or a value computed from cells."""

    label: str
    value: float
    unit: str | None
    decimals: int
    cells: list[Cell]
    formula: str
    interval: Interval | None = None
    bound: Bound | None = None
    computed: bool = False
    year: int | None = None
    kind: str = "level"

    @property
    def derivation(self) -> str:
        """The formula with its result: '表1/生活服务/2022年 ÷ 表1/总计/2022年 = 18548 ÷ 38320 = 48.4%'."""
        if not self.computed:
            return self.formula
        unit = "%" if self.unit == "%" else (self.unit or "")
        shown = self.printed
        if self.interval is not None:
            lo, hi = self.interval
            shown = f"[{lo:.{self.decimals}f}, {hi:.{self.decimals}f})"
        return f"{self.formula} = {shown}{unit}"

    @property
    def printed(self) -> str:
        """The figure as the table prints it (or at its computed precision)."""
        if not self.computed and len(self.cells) == 1:
            return self.cells[0].text
        return f"{round_half_up(self.value, self.decimals):.{self.decimals}f}"


@dataclass
class TableResult:
    """What table QA found: figures with their cells and derivation, or why it cannot answer."""

    query: TableQuery
    table: Table | None
    op: Op
    answerable: bool
    figures: list[Figure] = field(default_factory=list)
    reason: str | None = None
    winner: str | None = None
    ranking: list[Figure] = field(default_factory=list)

    @property
    def cells(self) -> list[Cell]:
        """Every cell used, without duplicates, in order."""
        out: dict[str, Cell] = {}
        for f in self.figures:
            for c in f.cells:
                out.setdefault(c.id, c)
        return list(out.values())

    @property
    def formula(self) -> str:
        """All derivations, one per figure."""
        return "; ".join(f.derivation for f in self.figures if f.formula)


def _interval(cell: Cell) -> Interval:
    """A cell's honest range: exact printed value, or [0, v) for a '＜v' bound."""
    if cell.bound in ("<", "<="):
        return cell.interval()
    return (cell.value or 0.0, cell.value or 0.0)


def _shown(cell: Cell) -> str:
    return cell.text or "—"


def level_column(table: Table, metric: str, year: int | None) -> Column | None:
    """The non-growth column of a metric group for a year (the group's only column when years are absent)."""
    cols = [c for c in table.columns if c.metric == metric and c.kind != "growth"]
    if year is None:
        dated = [c for c in cols if c.year is not None]
        return max(dated, key=lambda c: c.year or 0) if dated else (cols[0] if cols else None)
    return next((c for c in cols if c.year == year), None)


def growth_column(table: Table, year: int, metric: str | None = None) -> Column | None:
    """The printed growth-rate column for a year, if the table has one — of ``metric``'s series only when that
    measure is printed for the year before too (a measure printed for one year has no growth rate here: '从业人员'
    beside '产值 2021–2023 | 同比增速')."""
    if metric is not None and year - 1 not in _years_of(table, metric):
        return None
    return next((c for c in table.columns if c.kind == "growth" and c.year == year), None)


def _years_of(table: Table, metric: str) -> list[int]:
    return sorted({c.year for c in table.columns if c.metric == metric and c.kind != "growth" and c.year is not None})


def _cell(table: Table, row: str, col: Column | None) -> Cell | None:
    if col is None:
        return None
    cell = table.cell(row, col.id)
    return cell if cell is not None and cell.value is not None else None


def _read(table: Table, row: str, col: Column) -> Figure | None:
    cell = _cell(table, row, col)
    if cell is None:
        return None
    bounded = cell.bound is not None
    return Figure(
        label=row, value=cell.value or 0.0, unit=cell.unit, decimals=cell.decimals, cells=[cell],
        formula=f"{cell.id} = {_shown(cell)}", interval=_interval(cell) if bounded else None, bound=cell.bound,
        year=cell.year, kind=cell.kind,
    )


def _bound_remainder(table: Table, fig: Figure, metric: str) -> Figure | None:
    """A cell printed only as a bound ('＜1') read as its column's total less every other row's printed cell, when all
    of those are printed exactly and the result keeps within the bound; else None."""
    total = total_row(table)
    col = level_column(table, metric, fig.year)
    if fig.bound not in ("<", "<=") or total is None or col is None or fig.label == total:
        return None
    whole = _cell(table, total, col)
    others = [_cell(table, r.label, col) for r in table.rows if not r.is_total and r.label != fig.label]
    if whole is None or whole.bound is not None or not others or any(c is None or c.bound is not None for c in others):
        return None
    parts = [c for c in others if c is not None]
    decimals = max([whole.decimals, *(c.decimals for c in parts)])
    value = round((whole.value or 0.0) - sum(c.value or 0.0 for c in parts), decimals)
    lo, hi = fig.interval or (0.0, math.inf)
    if not lo <= value < hi:
        return None  # the printed bound and the column's other cells disagree: no remainder is claimed
    formula = " − ".join([_shown(whole), *(_shown(c) for c in parts)])
    return Figure(label=fig.label, value=value, unit=fig.unit, decimals=decimals, cells=[whole, *parts],
                  formula=formula, computed=True, year=fig.year, kind="remainder")


def _change(table: Table, row: str, metric: str, y0: int, y1: int) -> list[Figure]:
    """Absolute change (and % change for levels; percentage points for shares) from y0 to y1."""
    a = _cell(table, row, level_column(table, metric, y0))
    b = _cell(table, row, level_column(table, metric, y1))
    if a is None or b is None:
        return []
    ia, ib = _interval(a), _interval(b)
    diff = interval_sub(ib, ia)
    dec = max(a.decimals, b.decimals)
    bounded = a.bound is not None or b.bound is not None
    is_share = b.kind == "share" or b.unit == "%"
    unit = "个百分点" if is_share else b.unit
    out = [Figure(
        label=row, value=(b.value or 0) - (a.value or 0), unit=unit, decimals=dec, cells=[a, b], computed=True,
        formula=f"{b.id} − {a.id} = {_shown(b)} − {_shown(a)}", interval=diff if bounded else None, year=y1,
        kind="change",
    )]
    if not is_share:
        out.append(_growth_from(a, b, row, y1))
    return out


def _growth_from(a: Cell, b: Cell, row: str, year: int | None) -> Figure:
    ia, ib = _interval(a), _interval(b)
    bounded = a.bound is not None or b.bound is not None
    point = ((b.value or 0) / (a.value or math.nan) - 1) * 100 if a.value else math.nan
    lo, hi = interval_div(ib, ia)
    return Figure(
        label=row, value=point, unit="%", decimals=1, cells=[a, b], computed=True,
        formula=f"({b.id} − {a.id}) ÷ {a.id} = ({_shown(b)} − {_shown(a)}) ÷ {_shown(a)}",
        interval=((lo - 1) * 100, (hi - 1) * 100) if bounded else None, year=year, kind="growth",
    )


def row_growth(table: Table, row: str, metric: str, year: int) -> float | None:
    """A row's growth rate (%) for ``year``: the printed one, else computed from the year before; None if neither."""
    fig = _growth(table, row, metric, year)
    return fig.value if fig is not None and fig.kind == "growth" and math.isfinite(fig.value) else None


def _growth(table: Table, row: str, metric: str, year: int) -> Figure | None:
    """The printed growth rate for a year, else one computed from the year before."""
    printed = _cell(table, row, growth_column(table, year, metric))
    if printed is not None:
        return _read(table, row, growth_column(table, year, metric))  # type: ignore[arg-type]
    a = _cell(table, row, level_column(table, metric, year - 1))
    b = _cell(table, row, level_column(table, metric, year))
    if a is None or b is None:
        return None
    if b.kind == "share" or b.unit == "%":
        return _change(table, row, metric, year - 1, year)[0]
    return _growth_from(a, b, row, year)


def _share(table: Table, row: str, metric: str, year: int | None, whole: str | None = None) -> Figure | None:
    total = whole or total_row(table)
    col = level_column(table, metric, year)
    part, whole = _cell(table, row, col), (_cell(table, total, col) if total else None)
    if part is None or whole is None:
        return None
    bounded = part.bound is not None or whole.bound is not None
    lo, hi = interval_div(_interval(part), _interval(whole))
    return Figure(
        label=row, value=(part.value or 0) / (whole.value or math.nan) * 100, unit="%", decimals=1,
        cells=[part, whole], computed=True, formula=f"{part.id} ÷ {whole.id} = {_shown(part)} ÷ {_shown(whole)}",
        interval=(lo * 100, hi * 100) if bounded else None, year=col.year if col else None, kind="share",
    )


def _combined_share(shares: list[Figure]) -> Figure:
    """Share of the total held by several rows together: (a + b) ÷ total."""
    parts = [f.cells[0] for f in shares]
    whole = shares[0].cells[1]
    bounded = any(c.bound for c in parts) or whole.bound is not None
    lo, hi = interval_div(interval_sum([_interval(c) for c in parts]), _interval(whole))
    value = sum(c.value or 0 for c in parts) / (whole.value or math.nan) * 100
    ids = " + ".join(c.id for c in parts)
    shown = " + ".join(_shown(c) for c in parts)
    return Figure(
        label="+".join(c.row for c in parts), value=value, unit="%", decimals=1, cells=[*parts, whole], computed=True,
        formula=f"({ids}) ÷ {whole.id} = ({shown}) ÷ {_shown(whole)}", interval=(lo * 100, hi * 100) if bounded else None,
        year=whole.year, kind="share",
    )


def _combine(figs: list[Figure], label: str, kind: str) -> Figure:
    """Sum of figures (intervals when any input is a bound)."""
    bounded = any(f.interval is not None for f in figs)
    total = interval_sum([f.interval or (f.value, f.value) for f in figs])
    return Figure(
        label=label, value=sum(f.value for f in figs), unit=figs[0].unit, decimals=max(f.decimals for f in figs),
        cells=[c for f in figs for c in f.cells], computed=True,
        formula=" + ".join(f.cells[0].id for f in figs) + " = " + " + ".join(f.printed for f in figs),
        interval=total if bounded else None, kind=kind,
    )


def _minus(figs: list[Figure]) -> Figure:
    """The first figure less the others ('规范渠道回收 − 梯次利用 − 再生利用'), over the cells' intervals when any is a bound."""
    first, rest = figs[0], figs[1:]
    bounded = any(f.interval is not None for f in figs)
    lo, hi = interval_sub(first.interval or (first.value, first.value), interval_sum([f.interval or (f.value, f.value) for f in rest]))
    return Figure(
        label="−".join(f.label for f in figs), value=first.value - sum(f.value for f in rest), unit=first.unit,
        decimals=max(f.decimals for f in figs), cells=[c for f in figs for c in f.cells], computed=True,
        formula=" − ".join(f.cells[0].id for f in figs) + " = " + " − ".join(f.printed for f in figs),
        interval=(lo, hi) if bounded else None, year=first.year, kind="difference",
    )


def _cagr(first: Figure, last: Figure) -> Figure:
    """Compound annual growth from ``first`` to ``last``: (last ÷ first)^(1/years) − 1."""
    n = (last.year or 0) - (first.year or 0)
    value = ((last.value / first.value) ** (1 / n) - 1) * 100 if n > 0 and last.value / first.value > 0 else math.nan
    return Figure(
        label=first.label, value=value, unit="%", decimals=1, cells=[first.cells[0], last.cells[0]], computed=True,
        formula=(f"({last.cells[0].id} ÷ {first.cells[0].id})^(1/{n}) − 1 = "
                 f"({last.printed} ÷ {first.printed})^(1/{n}) − 1"), year=last.year, kind="cagr",
    )


def _ratio(a: Figure, b: Figure) -> Figure:
    bounded = a.interval is not None or b.interval is not None
    ia, ib = a.interval or (a.value, a.value), b.interval or (b.value, b.value)
    if ib[0] <= 0 < ib[1] and ia[0] >= 0:  # a non-negative amount over '＜1' (0 to 1): at least a / 1, no ceiling
        lo, hi = ia[0] / ib[1], math.inf
    else:
        lo, hi = interval_div(ia, ib)
    return Figure(
        label=f"{a.label}/{b.label}", value=a.value / b.value if b.value else math.nan, unit="倍", decimals=2,
        cells=a.cells + b.cells, computed=True, formula=f"{a.cells[0].id} ÷ {b.cells[0].id} = {a.printed} ÷ {b.printed}",
        interval=(lo, hi) if bounded else None, kind="ratio",
    )


def _default_year(table: Table, metric: str, query: TableQuery) -> int | None:
    years = _years_of(table, metric)
    return years[-1] if years else None


def _top_together(query: TableQuery, tables: list[Table], table: Table, metric: str, years: list[int]) -> TableResult:
    """The top N rows of a ranking, taken together (``query.then``: their sum, or their combined share of the total)."""
    ranked = TableResult(query, table, "rank", True)
    _rank(ranked, table, metric, years)
    top = ranked.figures
    if not top or (len(top) < 2 and query.then != "share_of_total"):
        return ranked
    together = replace(query, op=query.then, rows=[f.label for f in top], years=years[-1:] or query.years, combine=True,
                       top_n=None, then=None)
    result = execute(together, tables)
    result.ranking, result.winner = ranked.ranking, ranked.winner
    return result


def _sort_key(f: Figure) -> float:
    """Rank on the value; a '＜v' figure ranks at the middle of its interval."""
    if f.interval is not None and not math.isinf(f.interval[0]):
        return (f.interval[0] + f.interval[1]) / 2
    return f.value


def execute(query: TableQuery, tables: list[Table]) -> TableResult:
    """Run a TableQuery; unanswerable (with the reason) when the table lacks the years or cells asked."""
    table = next((t for t in tables if t.id == query.table_id), None)
    if table is None or query.metric is None:
        return TableResult(query, table, query.op, False, reason="no table holds the rows and metric asked")
    if query.missing:
        return TableResult(query, table, query.op, False, reason=query.missing)
    metric = query.metric
    years = query.years or ([y] if (y := _default_year(table, metric, query)) else [])
    result = TableResult(query, table, query.op, True)
    op = query.op
    if op == "rank" and query.then is not None:
        return _top_together(query, tables, table, metric, years)
    if op == "rank":
        _rank(result, table, metric, years)
    elif op in ("change", "growth"):
        _over_time(result, table, metric, years)
        changes = [f for f in result.figures if f.kind == "change"]
        if op == "change" and query.combine and len(changes) >= 2:
            result.figures.append(_combine(changes, "+".join(f.label for f in changes), "sum"))
    elif op == "share_of_total":
        total = query.whole_row or total_row(table)
        parts = [r for r in query.rows if r != total] or query.rows  # the total is the denominator, never a part
        for row in parts:
            for year in years or [None]:
                fig = _share(table, row, metric, year, total)
                if fig:
                    result.figures.append(fig)
        if query.combine and len(result.figures) > 1:
            result.figures.append(_combined_share(result.figures))
    else:
        if op == "cagr":
            years = [years[0], years[-1]] if len(years) >= 2 else years
        if op in ("ratio", "compare") and len(query.year_order) == len(years):
            years = query.year_order  # '2021年是2020年的几倍': numerator first, as asked
        if op == "ratio" and len(query.rows) == 1 and len(years) > 2:
            years = [max(years), min(years)]  # '21年到23年翻倍了吗': a span's last year over its first, not its first two
        rows = query.rows
        if op == "sum" and len(rows) > 2 and (total := total_row(table)) in rows:
            rows = [r for r in rows if r != total]  # a total is never summed with its own parts
        figs = [f for row in rows for year in (years or [None])
                for f in [_read(table, row, level_column(table, metric, year))  # type: ignore[arg-type]
                          if level_column(table, metric, year) else None] if f]
        result.figures = figs
        bounded = [f for f in figs if f.bound in ("<", "<=")]
        if op == "value" and len(bounded) == 1 and all(f is bounded[0] or f.label == total_row(table) for f in figs) \
                and (rest := _bound_remainder(table, bounded[0], metric)) is not None:
            result.figures = [bounded[0], rest]  # '＜1': what the column's total leaves for it
        if op == "sum" and len(figs) >= 2:
            result.figures = figs + [_combine(figs, "+".join(f.label for f in figs), "sum")]
        elif op == "ratio" and len(figs) >= 2:
            result.figures = figs[:2] + [_ratio(figs[0], figs[1])]
        elif op == "minus" and len(figs) >= 2:
            result.figures = figs + [_minus(figs)]
        elif op == "cagr" and len(figs) == 2 and figs[0].value and figs[0].year and figs[1].year:
            result.figures = figs + [_cagr(figs[0], figs[1])]
        elif op == "compare" and len(figs) >= 2:
            _compare(result, table, metric, figs, years)
    if not result.figures:
        result.answerable = False
        result.reason = result.reason or f"{table.id} has no value for {'/'.join(query.rows) or 'the rows asked'} {years or ''}"
    return result


def _over_time(result: TableResult, table: Table, metric: str, years: list[int]) -> None:
    q = result.query
    for row in q.rows:
        if q.op == "growth" and len(years) <= 1:
            year = years[0] if years else _years_of(table, metric)[-1]
            fig = _growth(table, row, metric, year)
            if fig is None:
                result.reason = f"{table.id} prints no {year} growth for {row} and lacks {year - 1} to compute it"
            else:
                result.figures.append(fig)
            continue
        span = years if len(years) >= 2 else ([years[0] - 1, years[0]] if years else _years_of(table, metric)[-2:])
        if len(span) < 2:
            result.reason = f"{table.id} has a single year; no change can be computed"
            continue
        figs = _change(table, row, metric, span[0], span[-1])
        if not figs:
            result.reason = f"{table.id} lacks {row} for {span[0]} or {span[-1]}"
        if len(span) == 2 and span[-1] - span[0] == 1 and len(figs) == 2:
            column = growth_column(table, span[-1], metric)
            printed = _read(table, row, column) if column else None
            if printed is not None:
                computed = round_half_up(figs[1].value, 1)
                printed.formula += f" (printed; from the levels {figs[1].formula} = {computed:.1f}%)"
                figs[1] = printed
        result.figures.extend(figs)


def _compare(result: TableResult, table: Table, metric: str, figs: list[Figure], years: list[int]) -> None:
    q = result.query
    a, b = figs[0], figs[1]
    if q.rank_by == "growth" and years:
        ga, gb = _growth(table, a.label, metric, years[-1]), _growth(table, b.label, metric, years[-1])
        if ga and gb:
            a, b = ga, gb
    hi, lo = (a, b) if _sort_key(a) >= _sort_key(b) else (b, a)
    result.winner = hi.label if hi.label != lo.label else str(hi.year)
    diff_unit = "个百分点" if (a.unit == "%") else a.unit
    ia, ib = hi.interval or (hi.value, hi.value), lo.interval or (lo.value, lo.value)
    diff = Figure(
        label=f"{hi.label}−{lo.label}", value=hi.value - lo.value, unit=diff_unit, decimals=max(a.decimals, b.decimals),
        cells=hi.cells + lo.cells, computed=True, formula=f"{hi.printed} − {lo.printed}",
        interval=interval_sub(ia, ib) if (hi.interval or lo.interval) else None, kind="change",
    )
    result.figures = [a, b, diff]


def _rank(result: TableResult, table: Table, metric: str, years: list[int]) -> None:
    q = result.query
    year = years[-1] if years else None
    rows = [r for r in (q.rows or [r.label for r in table.rows if not r.is_total]) if r not in q.excluded]
    figs: list[Figure] = []
    for row in rows:
        if q.rank_by == "growth" and year is not None:
            fig = _growth(table, row, metric, year)
        elif q.rank_by == "change" and year is not None:
            ch = _change(table, row, metric, year - 1, year)
            fig = ch[0] if ch else None
        else:
            col = level_column(table, metric, year)
            fig = _read(table, row, col) if col else None
        if fig is not None:
            figs.append(fig)
    figs.sort(key=_sort_key, reverse=(q.order == "desc"))
    result.ranking = figs
    if q.position:
        if q.position > len(figs):
            result.figures, result.reason = [], f"{table.id} ranks only {len(figs)} rows"
            return
        at = figs[q.position - 1]
        result.figures = [at]  # ties at that place are in the ranking with the same printed value and interval
        result.winner = at.label
        return
    n = q.top_n or 1
    result.figures = figs[:n]
    result.winner = figs[0].label if figs else None
