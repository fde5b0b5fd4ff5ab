"""`reportqa keys create|list|revoke` and `reportqa feedback export`: the key is printed once, errors are one line with the fix."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from reportqa.cli import main
from reportqa.settings import Settings, get_settings
from reportqa.store.db import database_for
from reportqa.store.keys import find_key


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("REPORTQA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def test_keys_create_prints_the_key_once_and_list_never_shows_it(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "list"]) == 0
    assert "open mode" in capsys.readouterr().out
    assert main(["keys", "create", "portal", "--scope", "admin"]) == 0
    out = capsys.readouterr().out.splitlines()
    key = out[0]
    assert key.startswith("rqa_") and "not shown again" in out[1] and "Authorization: Bearer" in out[1]
    found = find_key(database_for(Settings(data_dir=data_dir)), key)
    assert found is not None and (found.name, found.scopes) == ("portal", ["admin"])
    assert main(["keys", "list"]) == 0
    listing = capsys.readouterr().out
    assert "portal" in listing and "scopes=admin" in listing and "active" in listing and key not in listing
    assert main(["keys", "list", "--json"]) == 0
    assert [k["name"] for k in json.loads(capsys.readouterr().out)] == ["portal"]


def test_keys_revoke_by_name_or_id_and_errors_are_one_line(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["keys", "create", "a"])
    main(["keys", "create", "b"])
    capsys.readouterr()
    assert main(["keys", "revoke", "a"]) == 0
    assert capsys.readouterr().out.startswith("revoked key 'a' (id 1)")
    assert main(["keys", "revoke", "2"]) == 0
    assert "revoked key 'b'" in capsys.readouterr().out
    assert main(["keys", "revoke", "nobody"]) == 1
    assert capsys.readouterr().err == "reportqa: error: no key 'nobody' — `reportqa keys list` shows the names and ids\n"
    assert main(["keys", "create", "a"]) == 1
    assert "choose another name" in capsys.readouterr().err


def test_feedback_export_with_nothing_stored_says_so(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feedback", "export", str(tmp_path / "fb.jsonl")]) == 0
    assert "no feedback stored yet" in capsys.readouterr().out
    assert (tmp_path / "fb.jsonl").read_text() == ""
