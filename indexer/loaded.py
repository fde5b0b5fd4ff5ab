"""LoadedIndex: the index on disk, in memory, with dense and sparse search."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import numpy as np

from indexer.embed import Embedder
from indexer.sparse import SparseIndex, tokenize
from reportqa.records import Chunk, Document, Manifest

QUERY_CACHE_SIZE = 256
TOKENS_CACHE_SIZE = 4096  # texts whose BM25 tokens an index keeps


class LoadedIndex:
    """Everything retrieval needs: manifest, parsed documents, chunks by id, the embedder, dense and sparse indexes."""

    def __init__(
        self,
        *,
        manifest: Manifest,
        documents: list[Document],
        chunks: dict[str, Chunk],
        embedder: Embedder,
        vector_index: Any,
        vector_store: Any,
        positions: list[str],
        sparse: SparseIndex,
    ) -> None:
        self.manifest = manifest
        self.documents = documents
        self.chunks = chunks
        self.embedder = embedder
        self.vector_index = vector_index
        """The llama-index VectorStoreIndex (FAISS store, docstore); ``as_retriever()`` works on it."""
        self.vector_store = vector_store
        self.sparse = sparse
        self._positions = positions
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        # text → its BM25 tokens: a question is searched up to twice, and the glossary terms added to English ones recur
        self._tokens: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def embed_query(self, query: str) -> np.ndarray:
        """The query's L2-normalised vector (cached per query string; read-only)."""
        with self._lock:
            hit = self._query_cache.get(query)
            if hit is not None:
                self._query_cache.move_to_end(query)
                return hit
        vector = self.embedder.embed_queries([query])[0]
        vector.setflags(write=False)
        with self._lock:
            self._query_cache[query] = vector
            while len(self._query_cache) > QUERY_CACHE_SIZE:
                self._query_cache.popitem(last=False)
        return vector

    def dense_search(self, query: str, k: int) -> list[tuple[str, float]]:
        """The ``k`` chunks nearest to the query as ``(chunk_id, cosine)``, best first."""
        return self.dense_search_vector(self.embed_query(query), k)

    def dense_search_vector(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Like :meth:`dense_search` for an already embedded query."""
        from indexer.vector import query_store

        return query_store(self.vector_store, self._positions, vector, k)

    def sparse_search(self, query: str, k: int, extra_terms: list[str] | None = None) -> list[tuple[str, float]]:
        """BM25 over jieba tokens of the query (plus ``extra_terms``, e.g. glossary translations), best first."""
        tokens = list(self.tokens(query))
        for term in extra_terms or []:
            tokens += self.tokens(term)
        return self.sparse.search(tokens, k)

    def tokens(self, text: str) -> tuple[str, ...]:
        """``tokenize(text)``, kept per index (jieba is the dearest part of a BM25 search; emptied when full)."""
        found = self._tokens.get(text)
        if found is None:
            if len(self._tokens) >= TOKENS_CACHE_SIZE:
                self._tokens.clear()
            found = self._tokens[text] = tuple(tokenize(text))
        return found

    def chunk(self, chunk_id: str) -> Chunk:
        """A chunk by id (KeyError when unknown)."""
        return self.chunks[chunk_id]
