"""What answering produces: hits, citations, checked facts, answers and the audit's findings."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from reportqa.records.base import TABLE_PREFIX, Language, Record, Span, Verdict
from reportqa.records.index import Chunk


class Hit(Record):
    """A retrieved chunk with its fused score and per-retriever ranks."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    sparse_rank: int | None = None


class Citation(Record):
    """Where an answer's evidence stands in the report. Ids carry the document: '<doc>:表1/共享住宿/2022年'."""

    id: str = Field(description="Chunk id ('<doc>:p12:0'), or '<doc>:表1/row/column' for a table cell.")
    doc: str = Field(description="Document id (file stem) of the report.")
    section: str = Field(description="Heading path joined with ' > '.")
    page: int | None = Field(description="Page of the quoted evidence, when known.")
    table: str | None = Field(default=None, description="Document-qualified table id ('<doc>:表1') when the evidence is a table or a cell.")
    row: str | None = Field(default=None, description="Row label when the evidence is a table row or cell.")
    column: str | None = Field(default=None, description="Column id when the evidence is a single cell.")
    quote: str = Field(description="Verbatim sentence or table row.")
    span: Span = Field(description="Where the quote stands in the source text: [start, end).")
    score: float = Field(description="Retrieval score of the evidence (1.0 for a table cell matched exactly).")

    @model_validator(mode="after")
    def _qualified(self) -> "Citation":
        """Table and cell ids are unique only within a report: prefix them with the document ('<doc>:表1')."""
        if self.doc and self.table and ":" not in self.table:
            self.table = f"{self.doc}:{self.table}"
        if self.doc and self.id.startswith(TABLE_PREFIX):
            self.id = f"{self.doc}:{self.id}"
        return self


class Fact(Record):
    """A numeric claim found in a text, with the checker's verdict."""

    text: str = Field(description="The claim as written ('115亿元', 'CNY 11.5 billion').")
    value: float = Field(description="Value in the report's unit.")
    unit: str | None = Field(description="Report unit: '亿元', '%', '个百分点', '万人', ...")
    year: int | None = Field(default=None, description="Year the claim is about, when recognised.")
    subject: str | None = Field(default=None, description="Row/entity the claim is about, when recognised.")
    span: Span | None = Field(default=None, description="Where the claim stands in the checked text.")
    status: Verdict = Field(
        description="verified: a source says it; derived: follows from sources by arithmetic; contradicted: a source says otherwise; unsupported: no source found."
    )
    source: dict[str, Any] = Field(default_factory=dict, description="Cell id / quote / span of the matched source.")
    expected: str | None = Field(default=None, description="For contradicted: what the source says.")
    formula: str | None = Field(default=None, description="For derived: how it follows from the sources.")


class Answer(Record):
    """What ``ask`` returns."""

    question: str = Field(description="The question as asked (stripped).")
    language: Language = Field(description="Language of the question, and of the answer: 'zh' or 'en'.")
    answerable: bool = Field(description="False when the report does not say; the citations are then the nearest passages.")
    answer: str = Field(description="The answer text, every figure with its unit.")
    kind: str = Field(default="text", description="table | computed | text | narrative | unanswerable")
    citations: list[Citation] = Field(default_factory=list, description="Where the evidence stands in the report.")
    facts: list[Fact] = Field(default_factory=list, description="Every figure in the answer, with the checker's verdict.")
    timing_ms: dict[str, float] = Field(default_factory=dict, description="Milliseconds per stage, and 'total'.")
    index: dict[str, str] = Field(default_factory=dict, description="build_id, embedder, corpus hash.")
    documents: dict[str, str] = Field(
        default_factory=dict, description="Title of every document the citations name: doc id → title."
    )


class ConversationAnswer(Answer):
    """What ``ask_conversation`` returns: the Answer to the last user message, read in the context of the earlier ones."""

    asked: str = Field(description="The last user message as sent.")
    understood_as: str | None = Field(
        default=None,
        description="The standalone question a follow-up was rewritten into (also in `question`); null when answered as asked.",
    )
    inherited: dict[str, str] = Field(
        default_factory=dict,
        description="What the follow-up took from earlier user turns: 'year', 'subject', 'measure' → value(s), comma-separated.",
    )


class Location(Record):
    """One place in the report an audit finding points at."""

    doc: str = Field(description="Document id (file stem) of the report.")
    section: str | None = Field(default=None, description="Heading path joined with ' > '.")
    page: int | None = Field(default=None, description="Page, when known.")
    span: Span | None = Field(default=None, description="Where the quote stands in the source text: [start, end).")
    quote: str = Field(description="Verbatim text (sentence, table row, contents line).")
    cell: str | None = Field(default=None, description="Table cell id, when the location is a cell.")


class Finding(Record):
    """An internal inconsistency of the report, found by the audit."""

    kind: Literal["text_vs_table", "table_arithmetic", "restated_fact", "contents_vs_body", "implausible_magnitude"] = Field(
        description="What kind of inconsistency: text vs table, table arithmetic, a fact restated differently, contents vs body, an implausible magnitude."
    )
    summary: str = Field(description="One sentence saying what disagrees with what.")
    severity: Literal["error", "warning", "info"] = Field(default="warning", description="error: the figures cannot both be right; warning: likely a slip; info: worth a look.")
    locations: list[Location] = Field(description="Both (or all) places involved, with quotes.")
