"""What a parsed table offers a question: its years, metric groups, row labels, total row, and its vocabulary."""

from __future__ import annotations

from collections.abc import Sequence

from reportqa.query.lexicon.glossary import Glossary, GlossaryEntry
from reportqa.records import Column, Table


def table_years(table: Table) -> list[int]:
    """Years a table covers (its columns' years)."""
    return sorted({c.year for c in table.columns if c.year is not None})


def unit_family(unit: str) -> str:
    """What a table unit measures, in the claim families' terms ('亿元' → CNY, '万人' → people, '万吨' → count:吨)."""
    if unit.endswith("元"):
        return "CNY"
    if unit.endswith("个百分点"):
        return "pp"
    if unit.endswith("%"):
        return "percent"
    if unit.endswith("人") and not unit.endswith("人次"):
        return "people"
    return f"count:{unit.lstrip('万亿千百')}"


def family_matches(family: str, units: Sequence[str]) -> bool:
    """Whether a unit family ('CNY', 'people', 'count:吨' …) is one of ``units``, the kinds a question asks for:
    'count' alone is a bare magnitude (44.99亿), 'count:*' any counted thing (家, 项, 吨 …)."""
    return any(family == u or (u.endswith(":*") and family.startswith(u[:-1])) or
               (":" not in u and u != "count" and family.startswith(u)) for u in units)


def level_metrics(table: Table) -> list[str]:
    """Metric groups of a table's non-growth columns, in column order."""
    out: list[str] = []
    for c in table.columns:
        if c.kind != "growth" and c.metric not in out:
            out.append(c.metric)
    return out


def _column_match_rank(col: Column, entry: GlossaryEntry, glossary: Glossary) -> int | None:
    """0: the glossary reads the column's metric as ``entry``; 1: the entry's term is part of it; None: no match."""
    named = {m.entry.term for m in glossary.find(col.metric) if m.entry.kind == "metric"}
    if entry.term in named:
        return 0
    if entry.term in col.metric:
        return 1
    if not named and any(form in t for form in entry.forms_zh for t in (col.metric, *col.header)):
        return 2  # a metric the glossary does not know: fall back to its Chinese variants
    return None


def metric_of(table: Table, entry: GlossaryEntry, glossary: Glossary) -> str | None:
    """The table's metric group (a non-growth Column.metric) named by a glossary metric entry."""
    hits = [(rank, i, c.metric) for i, c in enumerate(table.columns) if c.kind != "growth"
            for rank in [_column_match_rank(c, entry, glossary)] if rank is not None]
    return min(hits)[2] if hits else None


def resolve_row(table: Table, entry: GlossaryEntry, glossary: Glossary) -> str | None:
    """The printed row label a glossary row entry stands for in ``table`` (direct, variant or related term)."""
    labels = [r.label for r in table.rows]
    for form in entry.forms_zh:
        if form in labels:
            return form
    for label in labels:
        other = glossary.lookup(label)
        if other is entry:
            return label
    for rel in entry.related:
        if rel in labels:
            return rel
    return None


def total_row(table: Table) -> str | None:
    """Label of the table's total row, if any."""
    return next((r.label for r in table.rows if r.is_total), None)


def table_glossary(tables: list[Table], glossary: Glossary) -> Glossary:
    """The glossary of the tables' report plus every row label and metric they print that it lacks.

    ``glossary`` is the engine's (a union of reports): the tables' own report's glossary is used, so a
    word another report defines differently does not change how these tables read. Built once per
    table set and kept on the glossary object.
    """
    doc_ids = {t.doc_id for t in tables if t.doc_id}
    base = glossary.for_doc(next(iter(doc_ids))) if len(doc_ids) == 1 else glossary
    key = ("tables", tuple((t.doc_id, t.id, t.span) for t in tables))
    return glossary.derived(key, lambda: _with_table_words(tables, base))


def _with_table_words(tables: list[Table], glossary: Glossary) -> Glossary:
    extra: list[GlossaryEntry] = []
    for t in tables:
        for r in t.rows:
            if glossary.lookup(r.label) is None:
                extra.append(GlossaryEntry(r.label, (), (), "row"))
        for c in t.columns:
            if c.kind != "growth" and glossary.lookup(c.metric) is None:
                extra.append(GlossaryEntry(c.metric, (), (), "metric"))
    unique = list({e.term: e for e in extra}.values())
    return glossary.with_entries(unique) if unique else glossary


def metric_groups(table: Table) -> list[tuple[str, bool]]:
    """(metric, is_share) of each non-growth metric group, in column order."""
    out: dict[str, bool] = {}
    for c in table.columns:
        if c.kind != "growth":
            out.setdefault(c.metric, c.kind == "share")
    return list(out.items())
