"""A bad file in corpus/ never takes a serving index down: `reportqa index` skips it with a warning naming it
(recorded in the manifest), and a service keeps serving the last good index while /readyz says which file and what to do.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from reportqa import library
from reportqa.cli import main
from reportqa.errors import CorpusFormatError, IndexMismatch
from reportqa.settings import Settings

BAD_FILES = [
    pytest.param("stray.txt", b"%PDF-1.7\n\x00\x01\x02\x03 binary \x00 stream", "stray.txt contains NUL bytes, so it is binary", id="binary"),
    pytest.param("gbk.txt", "一、总体情况\n2023年市场规模为100亿元，同比增长5.0%。\n".encode("gb18030"), "gbk.txt is GBK/GB18030-encoded, not UTF-8 — re-save as UTF-8", id="gbk"),
    pytest.param("empty.txt", b"", "empty.txt is empty — export the report's text (UTF-8) into it or remove the file", id="empty"),
]


@pytest.fixture
def corpus(tmp_path: Path, synthetic_path: Path) -> Path:
    """A corpus folder with the synthetic report."""
    (tmp_path / "corpus").mkdir()
    shutil.copy(synthetic_path, tmp_path / "corpus")
    return tmp_path / "corpus"


@pytest.fixture(scope="module")
def good_index(tmp_path_factory: pytest.TempPathFactory, synthetic_path: Path) -> Path:
    """An index of the synthetic report alone (read-only: tests copy it)."""
    root = tmp_path_factory.mktemp("good")
    (root / "corpus").mkdir()
    shutil.copy(synthetic_path, root / "corpus")
    library.build_index(Settings(corpus_dir=root / "corpus", index_dir=root / "index"))
    return root / "index"


def beside_good_index(good_index: Path, corpus: Path) -> Settings:
    shutil.copytree(good_index, corpus.parent / "index")
    return Settings(corpus_dir=corpus, index_dir=corpus.parent / "index")


def index_cli(capsys: pytest.CaptureFixture[str], settings: Settings, *argv: str) -> tuple[int, str, str]:
    code = main(["index", *argv, "--quiet", "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES)
def test_index_skips_a_bad_file_with_a_warning_naming_it_and_the_fix(capsys, good_index: Path, corpus: Path, name: str, data: bytes, reason: str) -> None:
    (corpus / name).write_bytes(data)
    settings = beside_good_index(good_index, corpus)
    code, out, err = index_cli(capsys, settings)
    assert code == 0 and out.startswith("indexed 1 report(s)")
    # one line names the file and the fix (a service's log handler, installed by an earlier test, may add its own)
    assert any(line.startswith(f"reportqa: warning: skipped {corpus / name}: {reason}") for line in err.splitlines())
    manifest = library.load_engine(settings, warm=False).manifest
    assert list(manifest.corpus) == ["synthetic-report.txt"] and list(manifest.skipped) == [name]

    code, out, err = index_cli(capsys, settings)
    assert code == 0 and out.startswith("index is up to date"), "an unchanged corpus with a skipped file is not rebuilt"
    code, out, err = index_cli(capsys, settings, "--check")
    assert code == 0 and "verified" in out and f"skipped by the build: {reason}" in err


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES)
def test_a_bad_file_beside_a_good_index_leaves_the_service_ready_and_readyz_names_it(good_index: Path, corpus: Path, name: str, data: bytes, reason: str) -> None:
    settings = beside_good_index(good_index, corpus)
    (corpus / name).write_bytes(data)
    with pytest.raises(IndexMismatch, match=rf"corpus changed since the index was built \({name}\)"):
        library.load_engine(settings, warm=False)  # the CLI's strict load says to run `reportqa index`
    with TestClient(create_app(settings)) as client:
        deadline = time.monotonic() + 120
        while (r := client.get("/readyz")).json().get("status") not in ("ready", "failed") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert r.status_code == 200, r.json()
        body = r.json()
        assert body["status"] == "ready" and list(body["corpus"]) == ["synthetic-report.txt"]
        [warning] = body["warnings"]
        assert warning["file"] == str(corpus / name)
        assert warning["detail"].startswith(reason) and warning["detail"].endswith("does not include it; `reportqa index` skips it)")
        answer = client.post("/v1/ask", json={"question": "2023年数字藏品投资额"})
        assert answer.status_code == 200 and answer.json()["answerable"]


def test_a_corpus_of_only_bad_files_fails_with_one_line_listing_them(capsys, tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_bytes(b"")
    (tmp_path / "corpus" / "b.txt").write_bytes(b"\x00\x01")
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    code, out, err = index_cli(capsys, settings)
    assert (code, out) == (1, "")
    assert any(line.startswith(f"reportqa: error: no readable report in {tmp_path / 'corpus'}: a.txt is empty")
               for line in err.splitlines()) and "b.txt contains NUL bytes" in err
    assert err.count("\n") == 1
    assert not (tmp_path / "index").exists()
    with pytest.raises(CorpusFormatError):
        library.build_index(settings)
