"""Chinese words with parts of speech (jieba), one segmenter for every part of the question analysis."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

_lock = threading.Lock()
_ready = False


def pos_words(text: str) -> list[tuple[str, str]]:
    """jieba words with part-of-speech flags (initialised once, quietly; the report's clauses recur, so kept)."""
    return list(_pos_words(text))


@lru_cache(maxsize=8192)
def _pos_words(text: str) -> tuple[tuple[str, str], ...]:
    global _ready
    import jieba
    import jieba.posseg as pseg

    with _lock:
        if not _ready:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _ready = True
        return tuple((w.word, w.flag) for w in pseg.cut(text))


def only_wording(word: str, function_tags: frozenset[str]) -> bool:
    """Whether every jieba word of ``word`` is a function word (通过, 到底, 里头): how a question is put, not a subject."""
    words = pos_words(word)
    return bool(words) and all(flag in function_tags for _, flag in words)


def is_place(word: str) -> bool:
    """Whether jieba tags a Chinese word as a place name ('上海', '华东')."""
    tagged = pos_words(word)
    return len(tagged) == 1 and tagged[0][1] == "ns"
