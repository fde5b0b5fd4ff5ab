"""An index that proves itself: the layout of the index folder, a sha256 of every file in the manifest, and the checks run before use.

Checks, in order; the first failure is reported as one line naming the repair:

1. ``manifest.json`` parses and lists a sha256 for every other file of the index;
2. every listed file exists and still has that sha256 (``verify_files``: cheap, no model, no FAISS);
3. the records parse: ``documents.json`` is a list of Document, one per indexed report, each with the
   report's sha256; ``chunks.json`` a list of Chunk with unique ids (``verify_contents``);
4. counts agree with the manifest: chunks = FAISS vectors = embedding keys = BM25 ids; tables and rows;
5. every vector is finite, of the manifest's dimension, and of unit (or zero) length.

Nothing here loads the embedding model, so ``reportqa index --check`` runs it in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportqa.errors import IndexCorrupt, IndexNotBuilt
from reportqa.records import Chunk, Document, Manifest

if TYPE_CHECKING:
    import numpy as np

MANIFEST = "manifest.json"
DOCUMENTS = "documents.json"
CHUNKS = "chunks.json"
EMBED_KEYS = "embed_keys.json"
VECTOR_DIR = "vector"
SPARSE_DIR = "sparse"
REQUIRED = (MANIFEST, DOCUMENTS, CHUNKS, EMBED_KEYS, VECTOR_DIR, SPARSE_DIR)
FAISS_FILE = "default__vector_store.json"  # llama-index's name for the persisted FAISS index (binary despite the name)
FAISS_PATH = f"{VECTOR_DIR}/{FAISS_FILE}"
SPARSE_IDS = f"{SPARSE_DIR}/chunk_ids.json"
MUST_LIST = (DOCUMENTS, CHUNKS, EMBED_KEYS, FAISS_PATH, SPARSE_IDS)
"""Files every manifest must list: an edited manifest cannot drop the check of one of them."""


def repair(index_dir: Path) -> str:
    """The fix for a corrupt index, as printed after every integrity error."""
    return f"run `reportqa index --force` (or delete {index_dir}/ and run `reportqa index`)"


def corrupt(index_dir: Path, what: str) -> IndexCorrupt:
    """The one-line error for an index that fails a check."""
    return IndexCorrupt(f"{index_dir}/ is corrupt ({what}) — {repair(index_dir)}")


def sha256_file(path: Path) -> str:
    """sha256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def hash_files(index_dir: Path) -> dict[str, str]:
    """Every file under ``index_dir`` except the manifest (relative POSIX path → sha256), sorted by path."""
    paths = sorted(p for p in index_dir.rglob("*") if p.is_file() and p.relative_to(index_dir).as_posix() != MANIFEST)
    return {p.relative_to(index_dir).as_posix(): sha256_file(p) for p in paths}


# --------------------------------------------------------------------------- manifest and files


def load_manifest(index_dir: Path) -> Manifest:
    """The manifest of the index in ``index_dir``; IndexNotBuilt when the folder is missing, IndexCorrupt when incomplete."""
    if not index_dir.exists():
        raise IndexNotBuilt(f"{index_dir}/ is missing — run `reportqa index`")
    missing = [n for n in REQUIRED if not (index_dir / n).exists()]
    if missing:
        raise IndexCorrupt(f"{index_dir}/ is incomplete or corrupt (missing {', '.join(missing)}) — {repair(index_dir)}")
    try:
        return Manifest.model_validate_json((index_dir / MANIFEST).read_bytes())
    except (OSError, ValueError):
        raise IndexCorrupt(f"{index_dir}/ is incomplete or corrupt (unreadable manifest.json) — {repair(index_dir)}") from None


def file_problem(index_dir: Path, manifest: Manifest, name: str) -> str | None:
    """Why file ``name`` of the index cannot be trusted, or None when it has the sha256 the manifest records."""
    expected = manifest.files.get(name)
    if expected is None:
        return f"manifest.json lists no sha256 for {name}"
    path = index_dir / name
    if not path.is_file():
        return f"missing {name}"
    if sha256_file(path) != expected:
        return f"{name} does not match its sha256 in manifest.json"
    return None


def verify_files(index_dir: Path, manifest: Manifest) -> None:
    """Raise IndexCorrupt unless every file the manifest lists (and every file it must list) has its recorded sha256."""
    if not manifest.files:
        raise IndexCorrupt(f"{index_dir}/ has no checksums (built by an older ReportQA) — run `reportqa index`")
    for name in dict.fromkeys([*MUST_LIST, *manifest.files]):
        problem = file_problem(index_dir, manifest, name)
        if problem:
            raise corrupt(index_dir, problem)


# --------------------------------------------------------------------------- contents


@dataclass
class IndexContents:
    """The verified records of an index, read without the embedding model."""

    manifest: Manifest
    documents: list[Document]
    chunks: list[Chunk]
    vectors: np.ndarray


def _json(index_dir: Path, name: str) -> Any:
    try:
        return json.loads((index_dir / name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise corrupt(index_dir, f"{name} is not readable JSON: {type(exc).__name__}") from None


def _records(index_dir: Path, name: str, model: type[Document] | type[Chunk]) -> list[Any]:
    data = _json(index_dir, name)
    if not isinstance(data, list):
        raise corrupt(index_dir, f"{name} holds a JSON {type(data).__name__}, not a list of records")
    try:
        return [model.model_validate(item) for item in data]
    except ValueError as exc:
        raise corrupt(index_dir, f"{name} has a record that does not parse as {model.__name__}: {str(exc).splitlines()[0]}") from None


def read_vectors(index_dir: Path) -> np.ndarray:
    """Every vector of the FAISS file, in position order (raises whatever FAISS raises on a damaged file)."""
    import faiss
    import numpy as np

    flat = faiss.read_index(str(index_dir / FAISS_PATH))
    if flat.ntotal == 0:
        return np.zeros((0, flat.d), dtype=np.float32)
    return np.asarray(flat.reconstruct_n(0, flat.ntotal), dtype=np.float32)


def vector_problem(vectors: np.ndarray, dim: int) -> str | None:
    """Why these vectors cannot be an index's (wrong shape, NaN/inf, not unit length), or None."""
    import numpy as np

    if vectors.ndim != 2 or (len(vectors) and vectors.shape[1] != dim):
        return f"vectors have shape {vectors.shape}, expected (n, {dim})"
    if not np.isfinite(vectors).all():
        return f"{int((~np.isfinite(vectors)).any(axis=1).sum())} vector(s) hold NaN or infinity"
    norms = np.linalg.norm(vectors, axis=1)
    off = int(((np.abs(norms - 1.0) > 1e-3) & (norms > 0)).sum())
    return f"{off} vector(s) are not of unit length" if off else None


def verify_contents(index_dir: Path, manifest: Manifest) -> IndexContents:
    """Parse the records and cross-check them against the manifest and each other; raise IndexCorrupt on the first mismatch."""
    documents = _records(index_dir, DOCUMENTS, Document)
    indexed = {Path(d.path).name: d.sha256 for d in documents}
    if len(documents) != len(manifest.corpus) or indexed != manifest.corpus:
        raise corrupt(index_dir, f"{DOCUMENTS} holds {len(documents)} report(s), manifest.json lists {len(manifest.corpus)}: {', '.join(manifest.corpus) or 'none'}")
    chunks = _records(index_dir, CHUNKS, Chunk)
    ids = [c.id for c in chunks]
    if len(ids) != manifest.chunks or len(set(ids)) != len(ids):
        raise corrupt(index_dir, f"{CHUNKS} holds {len(ids)} chunks ({len(set(ids))} distinct), manifest.json says {manifest.chunks}")
    tables, rows = sum(len(d.tables) for d in documents), sum(1 for c in chunks if c.kind == "row")
    if (tables, rows) != (manifest.tables, manifest.rows):
        raise corrupt(index_dir, f"{tables} tables and {rows} row chunks, manifest.json says {manifest.tables} and {manifest.rows}")
    keys = _json(index_dir, EMBED_KEYS)
    if not isinstance(keys, dict) or len(keys.get("keys", [])) != len(ids) or keys.get("embedder") != manifest.embedder:
        raise corrupt(index_dir, f"{EMBED_KEYS} does not list one key per chunk for {manifest.embedder}")
    if _json(index_dir, SPARSE_IDS) != ids:
        raise corrupt(index_dir, f"{SPARSE_IDS} does not list the chunks of {CHUNKS} in order")
    try:
        vectors = read_vectors(index_dir)
    except Exception as exc:  # noqa: BLE001 - FAISS raises RuntimeError with C++ text on any damage
        raise corrupt(index_dir, f"{FAISS_PATH} is not a FAISS index: {str(exc).splitlines()[0][:120]}") from None
    if len(vectors) != len(ids):
        raise corrupt(index_dir, f"{FAISS_PATH} holds {len(vectors)} vectors for {len(ids)} chunks")
    problem = vector_problem(vectors, manifest.dim)
    if problem:
        raise corrupt(index_dir, f"{FAISS_PATH}: {problem}")
    return IndexContents(manifest=manifest, documents=documents, chunks=chunks, vectors=vectors)


def verify_index(index_dir: Path) -> IndexContents:
    """Every check above; the verified records. Raise IndexNotBuilt / IndexCorrupt with the repair."""
    manifest = load_manifest(index_dir)
    verify_files(index_dir, manifest)
    return verify_contents(index_dir, manifest)
