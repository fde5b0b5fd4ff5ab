"""Chinese words with parts of speech (jieba), one segmenter for every part of the question analysis."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

_lock = threading.Lock()
_ready = False


def pos_words(text: str) -> list[tuple[str, str]]:
    """jieba words with part-of-speech flags (initialised once, quietly; the report's clauses recur, so kept)."""
    return list(_pos_words(text))


@lru_cache(maxsize=8192)
def _pos_words(text: str) -> tuple[tuple[str, str], ...]:
    import jieba.posseg as pseg

    with _initialised():
        return tuple((w.word, w.flag) for w in pseg.cut(text))


@contextmanager
def _initialised() -> Iterator[None]:
    """jieba, initialised once and quietly, held for one call (its segmenter is not thread-safe)."""
    global _ready
    import jieba

    with _lock:
        if not _ready:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _ready = True
        yield


@lru_cache(maxsize=4096)
def dictionary_words(text: str) -> tuple[str, ...]:
    """jieba's dictionary words of ``text``, with no guessing: a run it cannot split into words stays single
    characters (its HMM would join them into a new word)."""
    import jieba

    with _initialised():
        return tuple(jieba.lcut(text, HMM=False))


def is_word(text: str) -> bool:
    """Whether jieba's dictionary knows ``text`` as a word of its own (with a frequency, not only as a prefix)."""
    return _dictionary().get(text, 0) > 0


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, int]:
    import jieba

    with _initialised():
        return jieba.dt.FREQ


def only_wording(word: str, function_tags: frozenset[str]) -> bool:
    """Whether every jieba word of ``word`` is a function word (通过, 到底, 里头): how a question is put, not a subject."""
    words = pos_words(word)
    return bool(words) and all(flag in function_tags for _, flag in words)


def is_place(word: str) -> bool:
    """Whether jieba tags a Chinese word as a place name ('上海', '华东')."""
    tagged = pos_words(word)
    return len(tagged) == 1 and tagged[0][1] == "ns"
