"""The service database's tables (SQLAlchemy Core). Times are stored in UTC."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, Column, DateTime, Integer, MetaData, String, Table, Text

SCHEMA_VERSION = 1

metadata = MetaData()

schema_version = Table(
    "reportqa_schema",
    metadata,
    Column("version", Integer, nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False, unique=True, comment="sha256 hex of the key; the key itself is never stored"),
    Column("prefix", String(16), nullable=False, comment="first characters of the key, to recognise it in listings"),
    Column("scopes", String(200), nullable=False, default="", comment="comma-separated scopes, e.g. 'admin'"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("citations", JSON, nullable=False),
    Column("rating", String(4), nullable=False, comment="'up' or 'down'"),
    Column("comment", Text, nullable=True),
    Column("corrected_answer", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("key_name", String(100), nullable=True, comment="API key that sent it; null in open mode"),
    Column("request_id", String(128), nullable=True),
)

question_log = Table(
    "question_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question", Text, nullable=False),
    Column("language", String(8), nullable=True),
    Column("kind", String(32), nullable=True),
    Column("answerable", Boolean, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("key_name", String(100), nullable=True),
    Column("request_id", String(128), nullable=True),
)


def utcnow() -> datetime:
    """Now, in UTC."""
    return datetime.now(timezone.utc)


def as_utc(value: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite returns naive ones)."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
