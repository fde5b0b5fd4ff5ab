"""Hybrid retrieval: dense (e5) + sparse (BM25, glossary-expanded for English) fused by reciprocal rank.

Text, table and row chunks sit in one ranking. A table and its own rows are not allowed to fill the
whole top-k: after the best two chunks of one table, further ones from it are pushed behind the others.
"""

from __future__ import annotations

from typing import Literal, Protocol

from reportqa.query.lexicon.glossary import Glossary
from reportqa.query.lexicon.words import search_words
from reportqa.records import Chunk, Hit
from reportqa.settings import RetrievalSettings

Fusion = Literal["rrf", "dense", "sparse"]
MAX_PER_TABLE = 2
DENSE_TERMS = 2  # Chinese terms added to an English question's dense query (1, 2 and 4 retrieve alike on the eval sets)


class SearchIndex(Protocol):
    """What retrieval needs from indexer.store.LoadedIndex."""

    chunks: dict[str, Chunk]

    def dense_search(self, query: str, k: int) -> list[tuple[str, float]]: ...

    def sparse_search(self, query: str, k: int, extra_terms: list[str] | None = None) -> list[tuple[str, float]]: ...


def sparse_terms(question: str, glossary: Glossary | None) -> list[str]:
    """Chinese glossary terms for the English words of a question ('GDP' → 国内生产总值), and general words of
    analysis ('constraints' → 制约, 约束, 限制), added to the BM25 query."""
    if glossary is None:
        return search_words(question)
    return list(dict.fromkeys(glossary.expand(question) + search_words(question)))


def rrf(
    rankings: list[tuple[list[tuple[str, float]], float]], rrf_k: int
) -> list[tuple[str, float, list[int | None]]]:
    """Weighted reciprocal-rank fusion: score = Σ w / (rrf_k + rank); returns (id, score, 1-based ranks per list)."""
    scores: dict[str, float] = {}
    ranks: dict[str, list[int | None]] = {}
    for i, (ranking, weight) in enumerate(rankings):
        for rank, (chunk_id, _) in enumerate(ranking, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (rrf_k + rank)
            ranks.setdefault(chunk_id, [None] * len(rankings))[i] = rank
    fused = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(cid, score, ranks[cid]) for cid, score in fused]


def _spread_tables(fused: list[tuple[str, float, list[int | None]]], chunks: dict[str, Chunk]) -> list[tuple[str, float, list[int | None]]]:
    """Keep at most MAX_PER_TABLE chunks of one table ahead of the rest (order otherwise kept; unknown ids dropped)."""
    seen: dict[str, int] = {}
    front: list[tuple[str, float, list[int | None]]] = []
    back: list[tuple[str, float, list[int | None]]] = []
    for item in fused:
        chunk = chunks.get(item[0])
        if chunk is None:
            continue
        tid = chunk.table_id
        if tid is None:
            front.append(item)
            continue
        seen[tid] = seen.get(tid, 0) + 1
        (front if seen[tid] <= MAX_PER_TABLE else back).append(item)
    return front + back


def hybrid_search(
    question: str,
    index: SearchIndex,
    settings: RetrievalSettings,
    k: int,
    *,
    glossary: Glossary | None = None,
    fusion: Fusion = "rrf",
    augment_dense: bool = True,
) -> list[Hit]:
    """The ``k`` best chunks for a question: dense + glossary-expanded BM25, fused by weighted RRF."""
    depth = max(settings.candidates, k)
    terms = sparse_terms(question, glossary)
    # the dense query gains one Chinese form per named entry (a few tokens: query embedding time grows with length)
    heads = list(dict.fromkeys(m.entry.term for m in glossary.find(question) if m.text.isascii()))[:DENSE_TERMS] if glossary else []
    dense_query = f"{question} {' '.join(heads)}" if heads and augment_dense else question
    dense = index.dense_search(dense_query, depth) if fusion in ("rrf", "dense") else []
    sparse = index.sparse_search(question, depth, extra_terms=terms) if fusion in ("rrf", "sparse") else []
    fused = rrf([(dense, settings.dense_weight), (sparse, settings.sparse_weight)], settings.rrf_k)
    # a Hit (a validated record) only for the k kept: the fused list holds every chunk either retriever found
    return [Hit(chunk=index.chunks[cid], score=round(score, 6), dense_rank=ranks[0], sparse_rank=ranks[1])
            for cid, score, ranks in _spread_tables(fused, index.chunks)[:k]]
