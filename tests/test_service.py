"""The engine's life cycle in a running service: a first run that talks (/readyz building → ready on a real
`reportqa serve`), a port in use or a corrupt index failing before any build, and hot reload (admin route, SIGHUP)
that swaps atomically and keeps the old index when the new one does not load.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.admin import DISABLED, UNAUTHORISED
from api.app import create_app
from reportqa import library
from reportqa.settings import ApiSettings, RateLimitSettings, Settings

EDIT = ("77.6亿元和 70.4亿元", "77.6亿元和 70.5亿元")  # one figure of the synthetic report: a new build re-embeds one chunk


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory, synthetic_path: Path) -> Path:
    """An index of the synthetic report (read-only: tests copy it)."""
    root = tmp_path_factory.mktemp("small")
    (root / "corpus").mkdir()
    shutil.copy(synthetic_path, root / "corpus")
    library.build_index(Settings(corpus_dir=root / "corpus", index_dir=root / "index"))
    return root / "index"


@pytest.fixture
def corpus(tmp_path: Path, synthetic_path: Path) -> Path:
    (tmp_path / "corpus").mkdir()
    shutil.copy(synthetic_path, tmp_path / "corpus")
    return tmp_path / "corpus"


def with_index(small_index: Path, corpus: Path, admin_key: str | None = None) -> Settings:
    shutil.copytree(small_index, corpus.parent / "index")
    return Settings(corpus_dir=corpus, index_dir=corpus.parent / "index", api=ApiSettings(admin_key=SecretStr(admin_key) if admin_key else None),
                    rate_limit=RateLimitSettings(per_second=0))  # these tests send bursts; limits have their own tests


def edit_report(corpus: Path) -> None:
    report = corpus / "synthetic-report.txt"
    report.write_text(report.read_text(encoding="utf-8").replace(*EDIT), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_command(port: int, settings: Settings) -> list[str]:
    return [sys.executable, "-m", "reportqa.cli", "serve", "--port", str(port), "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)]


def wait_for(check: Callable[[], Any], timeout: float = 180.0, every: float = 0.2) -> Any:
    """Call ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    pytest.fail(f"gave up after {timeout} s")


# --------------------------------------------------------------------------- start-up


def test_a_port_in_use_fails_before_any_build_with_one_line_naming_port(tmp_path: Path, corpus: Path) -> None:
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        done = subprocess.run(serve_command(port, settings), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr == (
        f"reportqa: error: port {port} on 127.0.0.1 is already in use — stop the other server or pick a free port with --port (or REPORTQA_API__PORT)\n"
    )
    assert not settings.index_dir.exists(), "nothing was built"
    assert time.monotonic() - started < 60


def test_a_corrupt_index_stops_serve_before_it_listens_with_the_repair(small_index: Path, corpus: Path) -> None:
    settings = with_index(small_index, corpus)
    (settings.index_dir / "documents.json").write_text("{}")
    done = subprocess.run(serve_command(free_port(), settings), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr == (
        f"reportqa: error: {settings.index_dir}/ is corrupt (documents.json does not match its sha256 in manifest.json) — "
        f"run `reportqa index --force` (or delete {settings.index_dir}/ and run `reportqa index`)\n"
    )


def test_serve_without_a_readable_report_and_no_index_fails_before_listening(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "scan.txt").write_bytes(b"%PDF\x00\x01")
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    done = subprocess.run(serve_command(free_port(), settings), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith(f"reportqa: error: no readable report in {tmp_path / 'corpus'}: scan.txt contains NUL bytes")
    assert done.stderr.count("\n") == 1 and not settings.index_dir.exists()


@pytest.fixture
def server(tmp_path: Path, corpus: Path) -> Iterator[tuple[str, Settings, subprocess.Popen]]:
    """A real `reportqa serve` on a free port over a corpus with no index yet (its log in tmp_path/serve.log)."""
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    port = free_port()
    with open(tmp_path / "serve.log", "w") as log:
        proc = subprocess.Popen(serve_command(port, settings), stdout=log, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}", settings, proc
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def get(url: str) -> httpx.Response | None:
    try:
        return httpx.get(url, timeout=10)
    except httpx.TransportError:
        return None


def test_first_run_answers_at_once_reports_building_progress_then_ready_and_reloads_on_sighup(server, tmp_path: Path) -> None:
    base, settings, proc = server
    health = wait_for(lambda: get(f"{base}/healthz"), timeout=60)
    assert health.status_code == 200

    seen: list[dict] = []

    def ready() -> bool:
        r = get(f"{base}/readyz")
        if r is None:
            return False
        seen.append({"code": r.status_code, **r.json()})
        if r.status_code == 503 and r.json()["status"] == "building":
            busy = get(f"{base}/v1/tables")
            assert busy.status_code == 503 and int(busy.headers["Retry-After"]) >= 1
            assert busy.json()["detail"].startswith(("the index is being built", "the index is loading"))  # it may have moved on
        return r.status_code == 200

    wait_for(ready)
    assert seen[0]["code"] == 503 and seen[0]["status"] in ("starting", "building"), seen[0]
    building = [s for s in seen if s.get("progress", {}).get("stage") == "embedding"]
    assert building, "the build's progress was never shown"
    p = building[-1]["progress"]
    assert p["to_embed"] == p["chunks"] > 0 and 0 <= p["embedded"] <= p["to_embed"] and p["expected_s"] > 0
    first = seen[-1]
    assert first["status"] == "ready" and first["warnings"] == []
    log = (tmp_path / "serve.log").read_text()
    for line in ("is missing: building it from", "— expect ~", f"ready: build {first['build_id']}"):
        assert line in log, f"{line!r} not in the log:\n{log}"

    edit_report(settings.corpus_dir)
    rebuilt = library.build_index(settings)
    assert rebuilt.build_id != first["build_id"]
    proc.send_signal(signal.SIGHUP)
    wait_for(lambda: (r := get(f"{base}/readyz")) is not None and r.json().get("build_id") == rebuilt.build_id, timeout=120)

    (settings.index_dir / "documents.json").write_text("{}")
    proc.send_signal(signal.SIGHUP)
    failed = wait_for(lambda: (r := get(f"{base}/readyz")) is not None and r.json()["warnings"] and r, timeout=120)
    assert failed.status_code == 200 and failed.json()["build_id"] == rebuilt.build_id
    assert failed.json()["warnings"][-1]["detail"].startswith("reload failed: ") and f"still serving build {rebuilt.build_id}" in failed.json()["warnings"][-1]["detail"]
    assert httpx.post(f"{base}/v1/ask", json={"question": "2023年数字藏品投资额"}, timeout=30).status_code == 200


# --------------------------------------------------------------------------- reload route


def test_reload_route_is_403_saying_how_to_enable_it_without_an_admin_key(small_index: Path, corpus: Path) -> None:
    settings = with_index(small_index, corpus)
    with TestClient(create_app(settings, library.load_engine(settings, warm=False))) as client:
        r = client.post("/v1/admin/reload", headers={"Authorization": "Bearer anything"})
    assert (r.status_code, r.json()) == (403, {"detail": DISABLED})
    assert "REPORTQA_API__ADMIN_KEY" in DISABLED


@pytest.mark.parametrize("headers", [pytest.param({}, id="missing"), pytest.param({"Authorization": "Bearer wrong"}, id="wrong"), pytest.param({"Authorization": "s3cret"}, id="not-bearer")])
def test_reload_route_is_401_without_the_right_bearer_key(small_index: Path, corpus: Path, headers: dict[str, str]) -> None:
    settings = with_index(small_index, corpus, admin_key="s3cret")
    with TestClient(create_app(settings, library.load_engine(settings, warm=False))) as client:
        r = client.post("/v1/admin/reload", headers=headers)
    assert (r.status_code, r.json(), r.headers.get("WWW-Authenticate")) == (401, {"detail": UNAUTHORISED}, "Bearer")


def test_reload_route_swaps_a_rebuilt_index_while_requests_keep_succeeding_and_keeps_it_when_the_next_is_corrupt(small_index: Path, corpus: Path) -> None:
    settings = with_index(small_index, corpus, admin_key="s3cret")
    admin = {"Authorization": "Bearer s3cret"}
    old_engine = library.load_engine(settings)
    old = old_engine.manifest.build_id
    with TestClient(create_app(settings, old_engine)) as client:
        edit_report(settings.corpus_dir)
        new = library.build_index(settings).build_id
        statuses: list[int] = []
        stop = threading.Event()

        def ask_in_a_loop() -> None:
            while not stop.is_set():
                statuses.append(client.post("/v1/ask", json={"question": "2023年数字藏品投资额"}).status_code)

        asker = threading.Thread(target=ask_in_a_loop)
        asker.start()
        try:
            r = client.post("/v1/admin/reload", headers=admin)
            time.sleep(0.5)
        finally:
            stop.set()
            asker.join()
        assert r.status_code == 200
        assert r.json() == {"status": "reloaded", "build_id": new, "previous_build_id": old, "chunks": r.json()["chunks"], "warnings": []}
        assert statuses and set(statuses) == {200}, "no request failed during the swap"
        assert client.get("/readyz").json()["build_id"] == new
        assert old_engine.manifest.build_id == old, "requests holding the old engine finish on it"

        (settings.index_dir / "documents.json").write_text("{}")
        r = client.post("/v1/admin/reload", headers=admin)
        assert r.status_code == 409
        assert r.json()["detail"].startswith(f"reload failed: {settings.index_dir}/ is corrupt (documents.json does not match its sha256")
        assert r.json()["detail"].endswith(f"; still serving build {new}")
        ready = client.get("/readyz").json()
        assert ready["build_id"] == new and ready["warnings"] == [{"file": None, "detail": r.json()["detail"]}]
        assert client.post("/v1/ask", json={"question": "2023年数字藏品投资额"}).status_code == 200


def test_reload_while_the_first_index_builds_is_409_saying_to_wait(tmp_path: Path, corpus: Path) -> None:
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", api=ApiSettings(admin_key=SecretStr("k")))
    app = create_app(settings)
    with TestClient(app) as client:
        r = client.post("/v1/admin/reload", headers={"Authorization": "Bearer k"})
        assert r.status_code == 409 and "wait until /readyz answers 200" in r.json()["detail"]
        wait_for(lambda: client.get("/readyz").status_code == 200)
