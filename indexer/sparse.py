"""Sparse retrieval: jieba tokenisation and a bm25s index over chunk texts, saved beside the dense index."""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from pathlib import Path

import numpy as np

IDS_FILE = "chunk_ids.json"

# Words so common in questions and reports that they only add noise to BM25.
STOPWORDS = frozenset(
    "的 了 在 是 和 与 及 或 为 中 等 之 其 对 从 以 约 个 也 都 将 the a an of in on at for to and or is are was were "
    "what which how much many did does do by with from as".split()
)

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?%?$")
_init_lock = threading.Lock()
_jieba = None


def _tokenizer():
    """The jieba module, initialised once and silenced."""
    global _jieba
    if _jieba is None:
        with _init_lock:
            if _jieba is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def _is_word(token: str) -> bool:
    """True when the token has at least one letter or digit (not only punctuation or spaces)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def tokenize(text: str) -> list[str]:
    """Lowercased jieba search-mode tokens without whitespace, punctuation or stopwords; numbers such as '3.9%' stay whole."""
    norm = unicodedata.normalize("NFKC", text).lower()
    tokens: list[str] = []
    for tok in _tokenizer().cut_for_search(norm):
        tok = tok.strip()
        if not tok or tok in STOPWORDS:
            continue
        if _NUMBER.match(tok):
            tokens.append(tok.lstrip("+-"))
        elif _is_word(tok):
            tokens.append(tok)
    return tokens


class SparseIndex:
    """A BM25 index (bm25s) over pre-tokenised chunk texts, keyed by chunk id."""

    def __init__(self, bm25: object, chunk_ids: list[str]) -> None:
        self._bm25 = bm25
        self.chunk_ids = chunk_ids
        self._vocab: dict[str, int] = dict(bm25.vocab_dict)  # type: ignore[attr-defined]

    @classmethod
    def build(cls, chunk_ids: list[str], texts: list[str]) -> "SparseIndex":
        """Tokenise ``texts`` and build the BM25 index; ``chunk_ids[i]`` names ``texts[i]``."""
        import bm25s
        from bm25s.tokenization import Tokenized

        if len(chunk_ids) != len(texts):
            raise ValueError("chunk_ids and texts differ in length")
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(tok, len(vocab)) for tok in tokenize(text)] for text in texts]
        bm25 = bm25s.BM25()
        bm25.index(Tokenized(ids=ids, vocab=vocab), show_progress=False)
        return cls(bm25, list(chunk_ids))

    def save(self, directory: Path) -> None:
        """Write the index and its chunk ids into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        self._bm25.save(str(directory), show_progress=False)  # type: ignore[attr-defined]
        (directory / IDS_FILE).write_text(json.dumps(self.chunk_ids, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "SparseIndex":
        """Read an index written by :meth:`save`."""
        import bm25s

        chunk_ids = json.loads((directory / IDS_FILE).read_text(encoding="utf-8"))
        bm25 = bm25s.BM25.load(str(directory), show_progress=False)
        return cls(bm25, chunk_ids)

    def search(self, query_tokens: list[str], k: int) -> list[tuple[str, float]]:
        """The ``k`` best chunks for the tokens, as ``(chunk_id, score)`` with score > 0, best first."""
        token_ids = [self._vocab[t] for t in dict.fromkeys(query_tokens) if t in self._vocab]
        if not token_ids or k <= 0:
            return []
        scores = np.asarray(self._bm25.get_scores(token_ids), dtype=np.float32)  # type: ignore[attr-defined]
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]
