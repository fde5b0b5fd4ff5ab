"""Measures a table's own notes define from its rows: '注：规范渠道回收量与梯次利用量、再生利用量之差主要为企业期末库存'
makes 期末库存 the first row less the others. A question naming what a note defines is that difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportqa.query.lexicon.glossary import Glossary
from reportqa.query.lexicon.language import detect_language
from reportqa.query.tables.query import TableQuery
from reportqa.query.views.sentences import compact
from reportqa.query.views.tableschema import level_metrics, resolve_row, table_years
from reportqa.records import Table

# 'A与B、C之差(主要)为D': the parts before 之差 (the first is what the others are taken from), and what it is
_DIFFERENCE = re.compile(r"(?P<parts>[^，。；：:]{4,60}?)之差(?:主要|大致|基本|大体)?(?:为|是|即)(?P<what>[^，。；]{2,20})")
_OWNER = re.compile(r"^(?:企业|行业|全国|我国)")  # '企业期末库存': whose it is, not what


@dataclass(frozen=True)
class Difference:
    """A measure a table note defines as one row less others: what it names, the rows, the note."""

    what: str
    rows: tuple[str, ...]
    note: str


def differences(table: Table, glossary: Glossary) -> list[Difference]:
    """The differences the table's notes define, with their parts resolved to the table's own row labels."""
    out = []
    for note in table.notes:
        text = compact(note)
        for m in _DIFFERENCE.finditer(text):
            parts = re.split(r"与|和|及|、", re.sub(r"^注[:：]?", "", m.group("parts")))
            rows = []
            for part in parts:
                entries = [x.entry for x in glossary.find(part) if x.entry.kind in ("row", "metric")]
                label = next((lab for e in entries for lab in [resolve_row(table, e, glossary)] if lab), None)
                label = label or next((r.label for r in table.rows if r.label and r.label in part), None)
                if label is None:
                    break
                rows.append(label)
            if len(rows) == len(parts) >= 2:
                out.append(Difference(_OWNER.sub("", m.group("what")), tuple(rows), note.strip()))
    return out


def difference_query(question: str, tables: list[Table], glossary: Glossary, years: list[int]) -> TableQuery | None:
    """The note-defined difference a question names ('期末库存', or the glossary's English for it), as a query."""
    asked = compact(question)
    named = {f for m in glossary.find(question) for f in (m.entry.term, *m.entry.forms_zh)}
    for table in tables:
        for diff in differences(table, glossary):
            core = diff.what
            if not (core in asked or any(len(f) >= 2 and (f in core) for f in named if f not in diff.rows)):
                continue
            covered = table_years(table)
            wanted = [y for y in years if y in covered] or covered[-1:]
            metrics = level_metrics(table)
            if not metrics or not wanted:
                return None
            return TableQuery(question=question, language=detect_language(question), op="minus", table_id=table.id,
                              rows=list(diff.rows), metric=metrics[0], years=wanted[-1:], year_order=wanted[-1:],
                              asked_rows=list(diff.rows), covered_years=covered, note=diff.note)
    return None
