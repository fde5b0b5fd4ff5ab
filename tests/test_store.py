"""The service database: API keys and feedback behave the same on SQLite and on a real PostgreSQL server,
under concurrent writers (threads and processes), and feedback exports into an eval set `reportqa eval` reads."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from evals.loaders import load_eval_set
from reportqa.settings import Settings
from reportqa.store.db import Database, DatabaseError, database_for
from reportqa.store.feedback import add_feedback, eval_item, export_feedback, list_feedback, log_question, logged_questions
from reportqa.store.keys import BadKeyRequest, KeyExists, KeyNotFound, create_key, find_key, has_keys, list_keys, revoke_key
from reportqa.store.tables import api_keys

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- keys


def test_a_key_is_shown_once_and_stored_only_as_its_hash(store_settings: Settings) -> None:
    db = database_for(store_settings)
    record, key = create_key(db, "portal", ["admin"])
    assert key.startswith("rqa_") and len(key) >= 40
    assert (record.name, record.scopes, record.active, record.prefix) == ("portal", ["admin"], True, key[:12])
    with db.read() as conn:
        stored = [tuple(str(v) for v in row) for row in conn.execute(select(api_keys))]
    assert not any(key in value for row in stored for value in row)
    assert find_key(db, key) == record
    assert find_key(db, key[:-1] + ("A" if key[-1] != "A" else "B")) is None


def test_key_lifecycle_create_list_revoke_by_name_and_by_id(store_settings: Settings) -> None:
    db = database_for(store_settings)
    assert (has_keys(db), list_keys(db)) == (False, [])
    a, key_a = create_key(db, "portal-prod")
    b, _ = create_key(db, "ops", ["admin"])
    assert has_keys(db)
    assert [(k.id, k.name, k.scopes, k.active) for k in list_keys(db)] == [(a.id, "portal-prod", [], True), (b.id, "ops", ["admin"], True)]
    revoked = revoke_key(db, "portal-prod")
    assert revoked.revoked_at is not None and not revoked.active
    assert find_key(db, key_a).revoked_at == revoked.revoked_at  # a revoked key is still recognised (→ 403, not 401)
    assert revoke_key(db, str(b.id)).name == "ops"
    assert revoke_key(db, "ops").revoked_at == list_keys(db)[1].revoked_at  # revoking twice changes nothing
    assert has_keys(db)  # revoked keys keep the API closed


def test_bad_key_requests_say_what_to_do(store_settings: Settings) -> None:
    db = database_for(store_settings)
    create_key(db, "portal")
    with pytest.raises(KeyExists, match="choose another name"):
        create_key(db, "portal")
    with pytest.raises(BadKeyRequest, match="not valid"):
        create_key(db, "two words")
    with pytest.raises(BadKeyRequest, match="add a letter"):
        create_key(db, "123")
    with pytest.raises(BadKeyRequest, match="known scopes: admin"):
        create_key(db, "x", ["root"])
    with pytest.raises(KeyNotFound, match="reportqa keys list"):
        revoke_key(db, "nobody")


def test_keys_created_concurrently_from_threads_all_land_with_distinct_ids(store_settings: Settings) -> None:
    db = database_for(store_settings)
    errors: list[BaseException] = []

    def make(i: int) -> None:
        try:
            create_key(db, f"thread-{i}")
        except BaseException as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=make, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    keys = list_keys(db)
    assert sorted(k.name for k in keys) == sorted(f"thread-{i}" for i in range(16))
    assert len({k.id for k in keys}) == 16


def test_one_name_created_concurrently_lets_exactly_one_thread_win(store_settings: Settings) -> None:
    db = database_for(store_settings)
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def make() -> None:
        barrier.wait()
        try:
            create_key(db, "shared")
            outcomes.append("created")
        except KeyExists:
            outcomes.append("exists")

    threads = [threading.Thread(target=make) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["created"] + ["exists"] * 7
    assert [k.name for k in list_keys(db)] == ["shared"]


_WRITER = """
import sys
from reportqa.settings import Settings, DbSettings
from reportqa.store.db import database_for
from reportqa.store.feedback import add_feedback
from reportqa.store.keys import create_key
url, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
db = database_for(Settings(db=DbSettings(url=url)))
for i in range(n):
    create_key(db, f"{tag}-{i}")
    add_feedback(db, question=f"{tag} question {i}", answer="a", rating="up")
"""


def test_two_processes_writing_at_once_lose_nothing(store_settings: Settings) -> None:
    db = database_for(store_settings)
    url = db.url.render_as_string(hide_password=False)
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, url, tag, "25"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
             for tag in ("p1", "p2")]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert len(list_keys(db)) == 50
    assert len(list_feedback(db)) == 50


def test_sqlite_database_is_created_on_first_write_in_wal_mode(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "new" / "data")
    db = database_for(settings)
    assert (has_keys(db), list_keys(db), list_feedback(db)) == (False, [], [])
    assert not (tmp_path / "new").exists()  # reading an absent database creates nothing
    create_key(db, "first")
    path = tmp_path / "new" / "data" / "reportqa.db"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"api_keys", "feedback", "question_log", "reportqa_schema"} <= tables
    db.dispose()


def test_unreachable_database_is_a_one_line_error_naming_the_setting() -> None:
    db = Database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(DatabaseError, match="REPORTQA_DB__URL"):
        create_key(db, "x")
    with pytest.raises(DatabaseError, match="not valid"):
        Database("not a url")


# --------------------------------------------------------------------------- feedback


def _three_ratings(settings: Settings) -> None:
    db = database_for(settings)
    add_feedback(db, question="2022年共享住宿规模", answer="2022年共享住宿的共享经济交易额为115亿元。",
                 citations=[{"id": "表1/共享住宿/2022年"}], rating="up", key_name="portal", request_id="r1")
    add_feedback(db, question="2021年共享住宿规模", answer="报告未提及。", rating="down",
                 corrected_answer="2021年共享住宿的交易额为152亿元", comment="表1有")
    add_feedback(db, question="How many platforms?", answer="42", rating="down", comment="wrong number")


def test_feedback_is_stored_with_its_question_answer_citations_and_key(store_settings: Settings) -> None:
    _three_ratings(store_settings)
    stored = list_feedback(database_for(store_settings))
    assert [(f.rating, f.key_name, f.request_id) for f in stored] == [("up", "portal", "r1"), ("down", None, None), ("down", None, None)]
    assert stored[0].citations == [{"id": "表1/共享住宿/2022年"}]
    assert (stored[1].corrected_answer, stored[1].comment) == ("2021年共享住宿的交易额为152亿元", "表1有")


def test_feedback_export_is_an_eval_set_with_corrections_as_gold(store_settings: Settings, tmp_path: Path) -> None:
    _three_ratings(store_settings)
    out = tmp_path / "exports" / "feedback.jsonl"
    assert export_feedback(database_for(store_settings), out) == 3
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["answer"] for line in lines] == ["2022年共享住宿的共享经济交易额为115亿元。", "2021年共享住宿的交易额为152亿元", ""]
    assert lines[2]["type"] == "unspecified" and "without a correction" in lines[2]["note"] and lines[2]["rejected_answer"] == "42"
    items = load_eval_set(out)
    assert [(i.id, i.type, i.numbers, i.lang) for i in items] == [
        (lines[0]["id"], "unspecified", [115.0], "zh"),
        (lines[1]["id"], "unspecified", [152.0], "zh"),
        (lines[2]["id"], "unspecified", [], "en"),
    ]
    assert list(tmp_path.joinpath("exports").iterdir()) == [out]  # no temp file left behind


def test_an_upvoted_abstention_exports_as_an_unanswerable_item(tmp_path: Path) -> None:
    db = database_for(Settings(data_dir=tmp_path))
    add_feedback(db, question="2030年的规模是多少？", answer="报告未提及2030年的规模。", rating="up")
    item = eval_item(list_feedback(db)[0])
    out = tmp_path / "fb.jsonl"
    out.write_text(json.dumps(item, ensure_ascii=False) + "\n", encoding="utf-8")
    assert load_eval_set(out)[0].type == "unanswerable"


def test_question_log_keeps_question_key_and_request(store_settings: Settings) -> None:
    db = database_for(store_settings)
    log_question(db, "2022年共享住宿规模", language="zh", kind="table", answerable=True, key_name="portal", request_id="abc")
    rows = logged_questions(db)
    assert [(r["question"], r["kind"], r["answerable"], r["key_name"], r["request_id"]) for r in rows] == [
        ("2022年共享住宿规模", "table", True, "portal", "abc")]
