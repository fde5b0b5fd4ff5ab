"""Typed records that flow through ReportQA: parse → structure → tables → chunk → index → answer → check.

Every id is structural or content-derived, so it means the same thing across rebuilds:
sections ``s2.1`` / ``appendix/case1/s1.2``, tables ``表1``, cells ``表1/共享住宿/2022年``,
chunks ``<doc>:p12:0``, ``<doc>:表1``, ``<doc>:表1/共享住宿``.

The records live by stage (``base``, ``structure``, ``index``, ``answers``); import them from here.
"""

from reportqa.records.answers import (
    Answer,
    Citation,
    ConversationAnswer,
    Fact,
    Finding,
    Hit,
    Location,
)
from reportqa.records.base import TABLE_PREFIX, Bound, Language, Record, Span, Verdict
from reportqa.records.index import (
    BuildProgress,
    Chunk,
    IndexStatus,
    IndexWarning,
    Manifest,
    SkippedFile,
)
from reportqa.records.structure import (
    Cell,
    Check,
    Column,
    Document,
    Figure,
    Footnote,
    Paragraph,
    Row,
    Section,
    Table,
    TocEntry,
)

__all__ = [
    "Span",
    "Bound",
    "Verdict",
    "Language",
    "TABLE_PREFIX",
    "Record",
    "TocEntry",
    "Section",
    "Footnote",
    "Paragraph",
    "Figure",
    "Column",
    "Cell",
    "Row",
    "Check",
    "Table",
    "Document",
    "Chunk",
    "SkippedFile",
    "Manifest",
    "BuildProgress",
    "IndexWarning",
    "IndexStatus",
    "Hit",
    "Citation",
    "Fact",
    "Answer",
    "ConversationAnswer",
    "Location",
    "Finding",
]
