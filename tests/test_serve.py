"""`reportqa serve --workers N`: N uvicorn worker processes, each loading the same read-only index folder, all answering."""

from __future__ import annotations

import concurrent.futures
import signal
import time
from pathlib import Path

import httpx
import pytest

from reportqa.cli import main
from reportqa.settings import Settings
from tests.servers import serve_process


def worker_pids(pid: int) -> list[int]:
    """uvicorn's worker processes under ``pid`` (not multiprocessing's resource tracker)."""
    children = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return [c for c in children if b"resource_tracker" not in Path(f"/proc/{c}/cmdline").read_bytes()]


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def test_two_workers_both_answer_from_one_index_folder(index_settings: Settings) -> None:
    with serve_process(index_settings, "--workers", "2") as (base_url, proc):
        workers = worker_pids(proc.pid)
        assert len(workers) == 2
        with httpx.Client(base_url=base_url, trust_env=False, timeout=120) as client:
            while not all(client.get("/readyz", headers={"connection": "close"}).status_code == 200 for _ in range(8)):
                pass  # the second worker may still be loading
            before = {pid: cpu_ticks(pid) for pid in workers}

            def ask(i: int) -> int:
                deadline = time.monotonic() + 120
                while True:  # a 503 with Retry-After is a worker still loading: retried, as a load balancer would
                    r = httpx.post(f"{base_url}/v1/ask", json={"question": f"{2021 + i % 2}年共享住宿规模", "top_k": 1 + i % 5},
                                   headers={"connection": "close"}, trust_env=False, timeout=120)
                    if r.status_code != 503 or "retry-after" not in r.headers or time.monotonic() > deadline:
                        return r.status_code
                    time.sleep(0.2)

            with concurrent.futures.ThreadPoolExecutor(8) as pool:
                statuses = list(pool.map(ask, range(40)))
        assert statuses == [200] * 40
        busy = [pid for pid in workers if cpu_ticks(pid) > before[pid]]
        assert sorted(busy) == sorted(workers), "every worker answered some of the questions"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0, "SIGTERM shuts the workers down cleanly"


def test_workers_must_be_at_least_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--workers", "0"]) == 1
    assert "--workers 0: send a number of worker processes of at least 1" in capsys.readouterr().err
