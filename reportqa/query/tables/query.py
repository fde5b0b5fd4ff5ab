"""The record a table question becomes: which table, rows, metric group, years and operation (and, for derived
figures, the second column or table)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from reportqa.records import Language

Op = Literal["value", "change", "growth", "share_of_total", "sum", "ratio", "rank", "compare", "remainder", "implied", "cross", "per",
             "minus", "cagr"]
RankBy = Literal["level", "growth", "change"]


@dataclass
class TableQuery:
    """A table question: which table, rows, metric group, years and operation."""

    question: str
    language: Language
    op: Op
    table_id: str | None = None
    rows: list[str] = field(default_factory=list)
    metric: str | None = None
    years: list[int] = field(default_factory=list)
    year_order: list[int] = field(default_factory=list)
    rank_by: RankBy = "level"
    order: Literal["desc", "asc"] = "desc"
    top_n: int | None = None
    absolute: bool = False
    combine: bool = False
    asked_rows: list[str] = field(default_factory=list)
    asked_metric: str | None = None
    covered_years: list[int] = field(default_factory=list)
    missing: str | None = None
    position: int | None = None
    wording: str = ""
    excluded: list[str] = field(default_factory=list)  # row labels left out ('apart from X', '除X以外')
    part_metric: str | None = None  # remainder: the part taken out of ``metric``; implied: the rate column
    ref_table_id: str | None = None  # cross: the denominator's table, rows and metric
    ref_rows: list[str] = field(default_factory=list)
    ref_metric: str | None = None
    as_share: bool = True  # cross: a share (%) rather than a multiple (倍)
    whole_row: str | None = None  # share_of_total: the row the share is of ('占规范渠道回收量的比重'; default: the total row)
    then: Op | None = None
    note: str | None = None  # the table note defining what is computed ('…之差主要为企业期末库存')  # rank: what is done with the top N rows together ('排前三的加起来' → sum; '…占全国多少' → share)
