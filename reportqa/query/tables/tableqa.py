"""Table question answering: parse a question into a TableQuery, execute it on typed cells.

    query = parse_table_query("2022年共享住宿交易额占总计的比重", tables, glossary)
    result = execute(query, tables)   # figures, cells used, derivation with cell ids
"""

from __future__ import annotations

from reportqa.query.analysis.tableparse import (
    Op,
    TableQuery,
    parse_table_query,
    question_years,
)
from reportqa.query.tables.derived import execute
from reportqa.query.tables.tableops import Figure, TableResult
from reportqa.query.views.tableschema import table_years

__all__ = ["Figure", "Op", "TableQuery", "TableResult", "execute", "parse_table_query", "question_years", "table_years"]
