"""The dense side in llama-index terms: an embedding adapter, and a FAISS-backed VectorStoreIndex built and loaded.

Imported lazily (llama-index takes ~2 s to import). ``embed_model`` is always passed explicitly, so
llama-index never falls back to its OpenAI defaults.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core import StorageContext, VectorStoreIndex, load_index_from_storage
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.bridge.pydantic import PrivateAttr
from llama_index.core.schema import TextNode
from llama_index.core.vector_stores.types import VectorStoreQuery
from llama_index.vector_stores.faiss import FaissVectorStore

from indexer.embed import Embedder
from reportqa.records import Chunk


class EmbedderAdapter(BaseEmbedding):
    """llama-index ``BaseEmbedding`` that delegates to one of our Embedders (query/passage aware)."""

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.id, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "ReportQAEmbedderAdapter"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed_queries([query])[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed_passages([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed_passages(list(texts)).tolist()


def chunk_node(chunk: Chunk, embedding: np.ndarray) -> TextNode:
    """A llama-index node for ``chunk`` (id = chunk id, text verbatim) carrying its precomputed embedding."""
    metadata = {
        "doc_id": chunk.doc_id,
        "kind": chunk.kind,
        "section": " > ".join(chunk.section_path),
        "page": chunk.page,
        "table_id": chunk.table_id,
        "row": chunk.row,
    }
    return TextNode(
        id_=chunk.id,
        text=chunk.text,
        metadata=metadata,
        embedding=embedding.tolist(),
        excluded_embed_metadata_keys=list(metadata),
        excluded_llm_metadata_keys=["doc_id", "kind", "table_id", "row"],
    )


def build_vector_index(chunks: list[Chunk], vectors: np.ndarray, embedder: Embedder, persist_dir: Path) -> None:
    """Put the chunk vectors into a FAISS IndexFlatIP behind a VectorStoreIndex and persist it with its docstore."""
    import faiss

    vector_store = FaissVectorStore(faiss_index=faiss.IndexFlatIP(embedder.dim))
    storage = StorageContext.from_defaults(vector_store=vector_store)
    nodes = [chunk_node(c, v) for c, v in zip(chunks, vectors, strict=True)]
    VectorStoreIndex(nodes=nodes, storage_context=storage, embed_model=EmbedderAdapter(embedder))
    storage.persist(persist_dir=str(persist_dir))


def load_vector_index(persist_dir: Path, embedder: Embedder) -> tuple[VectorStoreIndex, FaissVectorStore, list[str]]:
    """The persisted VectorStoreIndex, its FAISS store, and the chunk id at each FAISS position."""
    vector_store = FaissVectorStore.from_persist_dir(str(persist_dir))
    storage = StorageContext.from_defaults(persist_dir=str(persist_dir), vector_store=vector_store)
    index = load_index_from_storage(storage, embed_model=EmbedderAdapter(embedder))
    nodes_dict = index.index_struct.nodes_dict
    positions = [nodes_dict[str(i)] for i in range(vector_store.client.ntotal)]
    return index, vector_store, positions


def stored_vectors(vector_store: FaissVectorStore) -> np.ndarray:
    """All vectors in the FAISS store, in position order."""
    n = vector_store.client.ntotal
    if n == 0:
        return np.zeros((0, vector_store.client.d), dtype=np.float32)
    return np.asarray(vector_store.client.reconstruct_n(0, n), dtype=np.float32)


def query_store(vector_store: FaissVectorStore, positions: list[str], vector: np.ndarray, k: int) -> list[tuple[str, float]]:
    """The ``k`` nearest chunks to ``vector`` as ``(chunk_id, cosine)``, best first."""
    k = min(k, len(positions))
    if k <= 0:
        return []
    result = vector_store.query(VectorStoreQuery(query_embedding=vector.tolist(), similarity_top_k=k))
    return [(positions[int(i)], float(s)) for i, s in zip(result.ids or [], result.similarities or [])]
