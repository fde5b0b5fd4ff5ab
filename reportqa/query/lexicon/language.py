"""Question language detection."""

from __future__ import annotations

import re

from reportqa.records import Language

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z]+")


def detect_language(question: str) -> Language:
    """'zh' when Chinese carries at least as many words as Latin script (two CJK characters ≈ one word)."""
    cjk_words = len(_CJK.findall(question)) / 2
    latin_words = len(_WORD.findall(question))
    if cjk_words == 0:
        return "en"
    return "zh" if cjk_words >= latin_words else "en"
