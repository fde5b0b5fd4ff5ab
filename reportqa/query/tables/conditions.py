"""'同比下降的领域', '负增长的', 'sectors whose growth exceeded 15%': rows a question picks by how they changed.

The condition is a comparison of a row's growth rate in the asked year with a rate (0 when the words give none);
its words are blanked before the rest of the question is parsed, as an exclusion's are (``tables/exclusion.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportqa.query.lexicon.tablewords import ROW_CONDITIONS
from reportqa.query.tables.tableops import row_growth
from reportqa.records import Table

_WORDS = re.compile("|".join(f"(?:{p.pattern})" for p, _ in ROW_CONDITIONS), re.I)


@dataclass(frozen=True)
class Condition:
    """Rows whose growth is below ('<') or above ('>') ``pct`` percent; ``spans`` are the words that say so."""

    cmp: str
    pct: float
    spans: list[tuple[int, int]]


def find_condition(text: str) -> Condition | None:
    """The row condition a question states, or None."""
    for pattern, cmp in ROW_CONDITIONS:
        m = pattern.search(text)
        if m is not None:
            pct = next((g for g in m.groups() if g), None)  # the rate, when the words give one
            return Condition(cmp, float(pct) if pct else 0.0, [w.span() for w in _WORDS.finditer(text)])
    return None


def rows_where(table: Table, metric: str, year: int | None, condition: Condition) -> list[str]:
    """The table's rows (not its total) whose growth in ``year`` meets ``condition``."""
    if year is None:
        return []
    out = []
    for row in table.rows:
        if row.is_total:
            continue
        g = row_growth(table, row.label, metric, year)
        if g is not None and (g < condition.pct if condition.cmp == "<" else g > condition.pct):
            out.append(row.label)
    return out
