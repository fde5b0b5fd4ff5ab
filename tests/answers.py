"""Helpers for tests that read answers."""

from __future__ import annotations


def lead(text: str) -> str:
    """An answer's own words, before the report's quoted sentence and the nearest-passage part of a refusal."""
    for cut in ("报告原文", "The report says", "最接近", "Nearby"):
        text = text.split(cut)[0]
    return text
