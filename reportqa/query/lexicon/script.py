"""Input normalisation at the library's edges: traditional Chinese → simplified, full-width → ASCII.

Reports are written in simplified script; a user may type ``2022年共享住宿交易額為115億元`` or
``２０２２年``. ``normalise_input`` gives the text every analysis reads, together with a map from its
offsets back to what the user typed, so records can quote the user's own words (``Normalised.original_span``).

The script conversion is OpenCC's ``t2s`` (the ``opencc`` wheel bundles its dictionaries: nothing is
fetched at run time). Its character and phrase tables map every entry to one of the same length, so
the offset map is usually the identity; when a conversion does change the length, the text is
converted one character at a time and every output character remembers the input character it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from reportqa.records import Span

# Full-width digits, Latin letters, '％' and '．' → ASCII (one character each, so lengths stay). Signs the
# report itself prints full-width ('＜1', '电子商务＋本地生活', '2022－2035年') and Chinese punctuation
# (，。：；（）) stay: the report is written that way and the claim extractor reads both forms.
_WIDTH = {chr(c): chr(c - 0xFEE0) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_WIDTH |= {"％": "%", "．": ".", "　": " "}
_WIDTH_TABLE = str.maketrans(_WIDTH)


@dataclass(frozen=True)
class Normalised:
    """A text as the user wrote it and as the analysis reads it, with offsets between the two."""

    original: str
    text: str
    origin: tuple[int, ...] | None = None  # origin[i]: offset in ``original`` of text[i]; None when offsets are equal

    @property
    def changed(self) -> bool:
        """Whether normalisation changed anything."""
        return self.text != self.original

    def original_span(self, span: Span) -> Span:
        """The [start, end) of ``original`` that ``text[start:end]`` came from."""
        start, end = span
        if self.origin is None:
            return (start, end)
        if end <= start:
            pos = self.origin[start] if start < len(self.origin) else len(self.original)
            return (pos, pos)
        return (self.origin[start], self.origin[end - 1] + 1)

    def original_text(self, span: Span) -> str:
        """What the user typed for ``text[start:end]``."""
        start, end = self.original_span(span)
        return self.original[start:end]


@lru_cache(maxsize=1)
def _converter() -> Callable[[str], str]:
    import opencc  # on first use: nothing heavy at import time

    return opencc.OpenCC("t2s").convert


def to_simplified(text: str) -> str:
    """Traditional Chinese characters and phrases → simplified (simplified and non-Chinese text unchanged)."""
    return _converter()(text) if text else text


def normalise_width(text: str) -> str:
    """Full-width digits, letters, '％' and '．' → ASCII, the ideographic space → ' '; always the same length."""
    return text.translate(_WIDTH_TABLE)


def normalise_input(text: str) -> Normalised:
    """The text the analysis reads (simplified script, ASCII digits) and the map back to ``text``."""
    return align(text, lambda t: to_simplified(normalise_width(t)))


def align(original: str, convert: Callable[[str], str]) -> Normalised:
    """Apply ``convert`` and keep offsets: identity when the length is kept, else character by character."""
    converted = convert(original)
    if len(converted) == len(original):
        return Normalised(original, converted)
    pieces: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(original):
        out = convert(ch)
        pieces.append(out)
        origin.extend([i] * len(out))
    return Normalised(original, "".join(pieces), tuple(origin))
