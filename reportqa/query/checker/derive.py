"""Figures that follow from table cells: growth, share of total, ratio, difference, sum, percentage-point change.

Every derivation is computed over the cells' rounding intervals (``reportqa.numeric``), so a claim is
'derived' when some combination of the printed inputs, within their printed precision, gives it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import combinations

from reportqa.numeric import (
    growth_interval,
    interval_div,
    interval_sub,
    interval_sum,
    share_interval,
)
from reportqa.query.figures.claims import Claim, row_terms
from reportqa.query.figures.matching import metric_score
from reportqa.query.views.figure_index import FigureIndex, Source

Interval = tuple[float, float]


@dataclass
class Derivation:
    """A value computed from cells, with the range their rounding allows."""

    kind: str
    lo: float
    hi: float
    point: float
    inputs: list[Source]
    year: int | None
    formula: str = ""
    printed: Source | None = None  # the cell the table prints for this very quantity (its growth/share column, its total)
    years: tuple[int, ...] = ()  # every year the derivation speaks of ('2021 was N times 2022' is about both)


def derive(claim: Claim, index: FigureIndex) -> Derivation | None:
    """The best derivation from the tables that agrees with ``claim`` within rounding, if any."""
    rows = _subject_rows(claim.subject, index)
    if not rows:
        return None
    found: list[Derivation] = []
    if claim.kind == "percent":
        if claim.role in ("growth", None):
            found += _growths(rows)
        if claim.role in ("share", None):
            found += _shares(rows, _other_rows(claim, index), index) + _combined_shares(claim, index)
    elif claim.kind == "pp":
        found += _pp_changes(rows) + _share_changes(rows, index) + _pp_gaps(rows, _other_rows(claim, index))
    elif claim.kind == "ratio":
        found += _ratios(rows, _other_rows(claim, index))
    elif claim.kind == "per":
        found += _per_units(rows, claim)
    elif claim.kind in ("level", "count"):
        if claim.role == "change":
            found += _differences(rows, _other_rows(claim, index))
        found += _sums(claim, index)
    lo, hi = claim.interval()
    scale = claim.base / claim.value if claim.value else 1.0
    ok = [d for d in found if d.lo * scale <= hi + 1e-9 and lo - 1e-9 <= d.hi * scale and _fits(claim, d)]
    if not ok:
        return None
    best = min(ok, key=lambda d: (d.year != claim.year, len(d.inputs), abs(d.point * scale - claim.base)))
    best.formula = _formula(best, claim)
    best.printed = printed_target(best, index)
    return best


_CHECK_KIND = {"growth": "growth", "share": "share", "sum": "sum"}


def printed_target(d: Derivation, index: FigureIndex) -> Source | None:
    """The cell a table prints for the quantity ``d`` computes, found through the table's own checks.

    A growth computed from two level cells is printed in the row's growth column when the table's
    validation relates that column to exactly those cells; likewise a share column or a total row.
    """
    kind = _CHECK_KIND.get(d.kind)
    first = d.inputs[0]
    if kind is None or first.table is None or any(s.cell is None for s in d.inputs):
        return None
    used = {s.cell.id for s in d.inputs if s.cell is not None}
    for check in first.table.checks:
        if check.kind == kind and set(check.inputs) == used:
            return index.cells.get(f"{first.doc_id}:{check.target}")
    return None


def _fits(claim: Claim, d: Derivation) -> bool:
    if claim.year is not None and d.year is not None and claim.year != d.year and not claim.year_inferred \
            and claim.year not in d.years:
        return False
    return all(metric_score(claim, s) is not None for s in d.inputs)


# --------------------------------------------------------------------------- rows


def _subject_rows(subject: str | None, index: FigureIndex) -> list[list[Source]]:
    """Cell sources grouped by (table, row) for a subject (the total row when the subject is unnamed)."""
    if subject is None:
        return _total_rows(index)
    related = set(index.vocab.related(subject))
    out: dict[tuple[str, str], list[Source]] = {}
    for s in index.cell_sources():
        if s.subject == subject or (s.subject in related and not _has_row(index, s, subject)):
            out.setdefault((s.doc_id + (s.table.id if s.table else ""), s.cell.row if s.cell else ""), []).append(s)
    return list(out.values())


def _has_row(index: FigureIndex, s: Source, subject: str) -> bool:
    return s.table is not None and any(index.vocab.canonical(r.label) == subject for r in s.table.rows)


def _total_rows(index: FigureIndex) -> list[list[Source]]:
    out: dict[tuple[str, str], list[Source]] = {}
    for s in index.cell_sources():
        if index.vocab.is_total(s.subject):
            out.setdefault((s.doc_id + (s.table.id if s.table else ""), s.cell.row if s.cell else ""), []).append(s)
    return list(out.values())


def _other_rows(claim: Claim, index: FigureIndex) -> list[list[Source]]:
    """Rows of the other subjects the claim's clause names (for 'A is x% of B', 'A minus B')."""
    names = set(row_terms(claim, index.vocab)) - {claim.subject}
    rows: list[list[Source]] = []
    for name in names:
        rows += _subject_rows(name, index)
    return rows


def _series(row: list[Source], kind: str) -> dict[tuple[str, str], dict[int, Source]]:
    """Cells of one row by (metric, unit) and year."""
    out: dict[tuple[str, str], dict[int, Source]] = {}
    for s in row:
        if s.cell is not None and s.cell.kind == kind and s.year is not None:
            out.setdefault((s.cell.metric, s.unit), {})[s.year] = s
    return out


def _iv(s: Source) -> Interval:
    return (s.lo, s.hi)


def _same_column(a: Source, rows: list[list[Source]]) -> list[Source]:
    return [s for row in rows for s in row if s.table is a.table and s.cell is not None and a.cell is not None
            and s.cell.column == a.cell.column and s is not a]


# --------------------------------------------------------------------------- derivations


def _growths(rows: list[list[Source]]) -> list[Derivation]:
    out = []
    for row in rows:
        for series in _series(row, "level").values():
            for (y0, a), (y1, b) in combinations(sorted(series.items()), 2):
                lo, hi = growth_interval(_iv(a), _iv(b))
                out.append(Derivation("growth", lo, hi, (b.base / a.base - 1) * 100 if a.base else math.nan, [b, a], y1))
    return out


def _shares(rows: list[list[Source]], others: list[list[Source]], index: FigureIndex) -> list[Derivation]:
    out = []
    for row in rows:
        levels = [s for s in row if s.cell is not None and s.cell.kind == "level"]
        for part in levels:
            wholes = [w for w in _same_column(part, others) if w.base]
            total = _total_of(part, index)
            if total is not None and total is not part and total.base:
                wholes.append(total)
            for whole in wholes:
                lo, hi = share_interval(_iv(part), _iv(whole))
                out.append(Derivation("share", lo, hi, part.base / whole.base * 100, [part, whole], part.year))
            for other in levels:
                if other is not part and other.year == part.year and other.unit == part.unit and other.base:
                    lo, hi = share_interval(_iv(part), _iv(other))
                    if hi <= 100.0 + 1e-9:
                        out.append(Derivation("share", lo, hi, part.base / other.base * 100, [part, other], part.year))
    return out


def _combined_shares(claim: Claim, index: FigureIndex) -> list[Derivation]:
    """'A和B合计占总计的x%': several rows' level cells of one column, summed, over the total row's cell."""
    out = []
    for cells in _named_rows_by_column(claim, index):
        total = _total_of(cells[0], index)
        if total is None or not total.base or any(c is total for c in cells):
            continue
        lo, hi = share_interval(interval_sum([_iv(c) for c in cells]), _iv(total))
        out.append(Derivation("combined_share", lo, hi, sum(c.base for c in cells) / total.base * 100, [*cells, total], cells[0].year))
    return out


def _pp_gaps(rows: list[list[Source]], others: list[list[Source]]) -> list[Derivation]:
    """'A的普及率比B高x个百分点': two rows' rates (shares or growth) in one column, in percentage points."""
    out = []
    for row in rows:
        for part in (s for s in row if s.cell is not None and s.cell.kind in ("share", "growth")):
            for other in _same_column(part, others):
                for a, b in ((part, other), (other, part)):
                    lo, hi = interval_sub(_iv(a), _iv(b))
                    out.append(Derivation("pp", lo, hi, a.base - b.base, [a, b], part.year))
    return out


def _total_of(part: Source, index: FigureIndex) -> Source | None:
    """The total row's cell in the same column as ``part``."""
    if part.table is None or part.cell is None:
        return None
    total = next((r for r in part.table.rows if r.is_total), None)
    cell = part.table.cell(total.label, part.cell.column) if total is not None else None
    return index.cells.get(f"{part.doc_id}:{cell.id}") if cell is not None else None


def _pp_changes(rows: list[list[Source]]) -> list[Derivation]:
    out = []
    for row in rows:
        for kind in ("share", "growth"):
            for series in _series(row, kind).values():
                for (y0, a), (y1, b) in combinations(sorted(series.items()), 2):
                    lo, hi = interval_sub(_iv(b), _iv(a))
                    out.append(Derivation("pp", lo, hi, b.base - a.base, [b, a], y1))
    return out


def _share_changes(rows: list[list[Source]], index: FigureIndex) -> list[Derivation]:
    """Change of a row's share of the total between two years, in percentage points."""
    out = []
    for row in rows:
        for series in _series(row, "level").values():
            shares: dict[int, tuple[Interval, float, Source, Source]] = {}
            for year, part in series.items():
                total = _total_of(part, index)
                if total is not None and total is not part and total.base:
                    shares[year] = (share_interval(_iv(part), _iv(total)), part.base / total.base * 100, part, total)
            for (y0, a), (y1, b) in combinations(sorted(shares.items()), 2):
                lo, hi = b[0][0] - a[0][1], b[0][1] - a[0][0]
                out.append(Derivation("share_pp", lo, hi, b[1] - a[1], [b[2], b[3], a[2], a[3]], y1))
    return out


def _ratios(rows: list[list[Source]], others: list[list[Source]]) -> list[Derivation]:
    out = []
    for row in rows:
        for series in _series(row, "level").values():
            for (y0, a), (y1, b) in combinations(sorted(series.items()), 2):
                for num, den in ((b, a), (a, b)):
                    if den.base:
                        lo, hi = interval_div(_iv(num), _iv(den))
                        out.append(Derivation("ratio", lo, hi, num.base / den.base, [num, den], y1, years=(y0, y1)))
        for part in (s for s in row if s.cell is not None and s.cell.kind == "level"):
            for other in _same_column(part, others):
                for num, den in ((part, other), (other, part)):
                    if den.base:
                        lo, hi = interval_div(_iv(num), _iv(den))
                        out.append(Derivation("ratio", lo, hi, num.base / den.base, [num, den], part.year))
    return out


def _per_units(rows: list[list[Source]], claim: Claim) -> list[Derivation]:
    """One cell per unit of another cell of the same row and year ('611亿元 ÷ 6.3万人' for a claim in 万元/人), in the
    claim's unit."""
    family, _, per = claim.family.partition("/")
    scale = claim.base / claim.value if claim.value else 1.0
    out = []
    for row in rows:
        cells = [s for s in row if s.cell is not None and s.cell.kind == "level"]
        for num in (s for s in cells if s.family == family):
            for den in (s for s in cells if s is not num and s.year == num.year and s.unit.endswith(per) and s.base):
                lo, hi = interval_div(_iv(num), _iv(den))
                out.append(Derivation("per", lo / scale, hi / scale, num.base / den.base / scale, [num, den], num.year))
    return out


def _differences(rows: list[list[Source]], others: list[list[Source]]) -> list[Derivation]:
    out = []
    for row in rows:
        for series in _series(row, "level").values():
            for (y0, a), (y1, b) in combinations(sorted(series.items()), 2):
                lo, hi = interval_sub(_iv(b), _iv(a))
                scale = b.base / b.value if b.value else 1.0
                out.append(Derivation("difference", lo / scale, hi / scale, (b.base - a.base) / scale, [b, a], y1))
        for part in (s for s in row if s.cell is not None and s.cell.kind == "level"):
            for other in _same_column(part, others):
                lo, hi = interval_sub(_iv(part), _iv(other))
                scale = part.base / part.value if part.value else 1.0
                out.append(Derivation("difference", lo / scale, hi / scale, (part.base - other.base) / scale, [part, other], part.year))
                lo, hi = interval_sub(_iv(other), _iv(part))
                out.append(Derivation("difference", lo / scale, hi / scale, (other.base - part.base) / scale, [other, part], part.year))
    return out


_YEAR_RANGE = re.compile(r"^((?:19|20)\d{2})-((?:19|20)\d{2})$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def _named_rows_by_column(claim: Claim, index: FigureIndex) -> list[list[Source]]:
    """The level cells of the (two or more) rows the claim's clause names, grouped by table column."""
    names = [t for t in row_terms(claim, index.vocab) if not index.vocab.is_total(t)]
    if len(names) < 2:
        return []
    by_column: dict[tuple[int, str], list[Source]] = {}
    for name in names:
        for row in _subject_rows(name, index):
            for s in row:
                if s.cell is not None and s.cell.kind == "level":
                    by_column.setdefault((id(s.table), s.cell.column), []).append(s)
    return [cells for cells in by_column.values() if len(cells) == len(names)]


def _sums(claim: Claim, index: FigureIndex) -> list[Derivation]:
    groups = _named_rows_by_column(claim, index)
    if not groups:
        return _sums_over_years(claim, index)
    out = []
    for cells in groups:
        if cells:
            lo, hi = interval_sum([_iv(s) for s in cells])
            scale = cells[0].base / cells[0].value if cells[0].value else 1.0
            out.append(Derivation("sum", lo / scale, hi / scale, sum(s.base for s in cells) / scale, cells, cells[0].year))
    return out


def _sums_over_years(claim: Claim, index: FigureIndex) -> list[Derivation]:
    """'<row>2020-2022三年<metric>合计' or '2020年<row>与2021年<row>…合计': one row's level cells summed over years."""
    m = _YEAR_RANGE.match(claim.period or "")
    if m:
        years = set(range(int(m.group(1)), int(m.group(2)) + 1))
    else:
        years = {int(y) for y in _YEAR.findall(claim.clause)}
    if len(years) < 2:
        return []
    out = []
    for row in _subject_rows(claim.subject, index):
        for series in _series(row, "level").values():
            cells = [series[y] for y in sorted(series) if y in years]
            if len(cells) == len(years):
                lo, hi = interval_sum([_iv(s) for s in cells])
                scale = cells[0].base / cells[0].value if cells[0].value else 1.0
                out.append(Derivation("sum", lo / scale, hi / scale, sum(s.base for s in cells) / scale, cells, None))
    return out


# --------------------------------------------------------------------------- formulas


def _decimals(claim: Claim) -> int:
    scale = claim.base / claim.value if claim.value else 1.0
    step = claim.step / scale if scale else claim.step
    return max(0, min(4, -math.floor(math.log10(step) + 1e-9))) if step > 0 else 1


def _name(s: Source) -> str:
    table = s.cell.id.split("/")[0] if s.cell else ""
    return f"{table} {s.cell.row if s.cell else ''} {s.cell.column if s.cell else ''} {s.text}".strip()


def _formula(d: Derivation, claim: Claim) -> str:
    dec = _decimals(claim)
    a, b = d.inputs[0], d.inputs[-1]
    point = f"{d.point:.{dec}f}"
    if d.kind == "growth":
        return f"{_name(a)} / {_name(b)} − 1 = {point}%"
    if d.kind == "share":
        return f"{_name(a)} / {_name(b)} = {point}%"
    if d.kind == "combined_share":
        return "(" + " + ".join(_name(s) for s in d.inputs[:-1]) + f") / {_name(b)} = {point}%"
    if d.kind == "pp":
        return f"{_name(a)} − {_name(b)} = {point}个百分点"
    if d.kind == "share_pp":
        p, t, p0, t0 = d.inputs
        return f"{_name(p)} / {_name(t)} − {_name(p0)} / {_name(t0)} = {point}个百分点"
    if d.kind == "ratio":
        return f"{_name(a)} / {_name(b)} = {point}倍"
    if d.kind == "per":
        return f"{_name(a)} ÷ {_name(b)} ≈ {claim.text.strip()}"  # in the claim's own unit (万元/人), not the report's
    if d.kind == "difference":
        return f"{_name(a)} − {_name(b)} = {point}{claim.unit}"
    return " + ".join(_name(s) for s in d.inputs) + f" = {point}{claim.unit}"


