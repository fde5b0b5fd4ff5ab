"""Base types every record module shares: spans, bounds, verdicts, languages and the ``Record`` model."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Span = tuple[int, int]
"""Half-open character range ``[start, end)`` into the source file's decoded text."""

Bound = Literal["<", "<=", ">", ">="]
Verdict = Literal["verified", "derived", "unsupported", "contradicted"]
Language = Literal["zh", "en"]


TABLE_PREFIX = "表"  # structural ids of tables and cells start with it: 表1, 表1/共享住宿/2022年


class Record(BaseModel):
    """Base: frozen-ish pydantic model with JSON-friendly defaults."""

    model_config = ConfigDict(extra="forbid")
