"""A question before it is answered: normalised, valid Unicode, and cheap enough to analyse.

The question analysis tags the runs of Chinese characters that form no dictionary word with jieba's HMM,
whose cost is ~10 ms per such character on a busy core (1,000 random characters: ~11 s, holding the
tagger's lock). ``unsegmented_chars`` counts those characters cheaply (dictionary only, no HMM) so that
``library.validate_question`` can refuse a question that would cost seconds before any work is done.
"""

from __future__ import annotations

import re
import threading
import unicodedata

_jieba_ready = False
_HAN_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")
_jieba_lock = threading.Lock()


def is_valid_unicode(text: str) -> bool:
    """True when ``text`` encodes to UTF-8 (no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def normalise_question(question: str) -> str:
    """NFKC, surrounding whitespace removed, inner whitespace runs collapsed to one space."""
    return " ".join(unicodedata.normalize("NFKC", question).split())


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def unsegmented_chars(text: str) -> int:
    """Chinese characters in runs of two or more that jieba's dictionary cannot split into words (what its HMM tags)."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(30)
                jieba.initialize()
                _jieba_ready = True
    if _HAN_PAIR.search(text) is None:  # no two Chinese characters side by side: nothing to segment (most English)
        return 0
    total = run = 0
    for word in jieba.cut(text, HMM=False):
        if len(word) == 1 and _is_han(word):
            run += 1
            continue
        total += run if run > 1 else 0
        run = 0
    return total + (run if run > 1 else 0)
