"""A misspelt English word ('finacing', 'recylcing') read as the one word of the lexicon it is a single edit from
('financing', 'recycling'): a letter added or dropped, or two letters swapped. Words of six letters or more that
the lexicon does not know are corrected only when exactly one known word, with the same first letter, is that close.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{6,}(?![A-Za-z])")


def one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one letter added or dropped, or two neighbours swapped (a changed letter is
    left alone: it too often makes another real word, 'heating' / 'heading', 'policy' / 'police')."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1:]


_SUFFIXES = ("s", "es", "d", "ed", "ing", "er", "ers", "ly")


def _inflected(word: str, known: frozenset[str]) -> bool:
    """Whether ``word`` is a known word with an inflection ('platforms', 'structured', 'reporting'; not 'hailng',
    which only starts with 'hail')."""
    return any(word.endswith(suffix) and (word[:-len(suffix)] in known or word[:-len(suffix)] + "e" in known)
               for suffix in _SUFFIXES) or (word.endswith("ies") and word[:-3] + "y" in known)


def correct_spelling(text: str, known: frozenset[str]) -> str:
    """``text`` with each unknown long English word replaced by the single known word one edit away, if there is one."""
    if not re.search(r"[A-Za-z]{6}", text):
        return text

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if low in known or _inflected(low, known):
            return word  # (a known word inflected: 'structured', 'platforms', 'reporting')
        near = {k for k in known if k[:1] == low[:1] and abs(len(k) - len(low)) <= 1 and len(k) >= 5 and one_edit(low, k)}
        return next(iter(near)) if len(near) == 1 else word

    return _WORD.sub(fix, text)
