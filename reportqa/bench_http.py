"""The HTTP half of ``reportqa bench``: a uvicorn server (1 worker) in a child process or a thread,
single-client latency and throughput under concurrency with httpx."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from reportqa.settings import PROJECT_ROOT, Settings


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def settings_env(settings: Settings) -> dict[str, str]:
    """``REPORTQA_*`` variables that recreate ``settings`` in a child process."""
    env = {}
    for name, value in settings.model_dump(mode="json").items():
        if value is None:
            continue  # unset optional setting (e.g. no extra glossary): the child's default is None too
        env[f"REPORTQA_{name.upper()}"] = value if isinstance(value, str) else json.dumps(value)
    return env


@contextmanager
def query_cache(enabled: bool) -> Iterator[None]:
    """Switch the index's query-embedding cache off (every question is embedded, as a new one would be) or leave it on."""
    import indexer.loaded as loaded

    saved = loaded.QUERY_CACHE_SIZE
    loaded.QUERY_CACHE_SIZE = saved if enabled else 0
    try:
        yield
    finally:
        loaded.QUERY_CACHE_SIZE = saved


@contextmanager
def answer_cache(engine: Any, enabled: bool) -> Iterator[None]:
    """Switch the engine's answer cache off (every question is answered afresh) or on, starting empty either way."""
    saved = engine.answers.size
    engine.answers.size = saved if enabled else 0
    engine.answers.clear()
    try:
        yield
    finally:
        engine.answers.size = saved
        engine.answers.clear()


def serve_main(port: int, cache: bool) -> None:
    """Child-process entry: what ``reportqa serve`` runs (settings from the environment), on 127.0.0.1:``port``."""
    from api.serve import serve

    with query_cache(cache):
        serve("127.0.0.1", port, access_log=False)


def wait_ready(base_url: str, timeout: float, alive: Callable[[], bool] = lambda: True) -> None:
    """Poll /readyz until it answers 200; raise RuntimeError with the last answer otherwise."""
    import httpx

    deadline = time.monotonic() + timeout
    last = "no answer"
    with httpx.Client(base_url=base_url, trust_env=False, timeout=5) as client:
        while time.monotonic() < deadline:
            if not alive():
                raise RuntimeError("the server exited before it was ready")
            try:
                r = client.get("/readyz")
                if r.status_code == 200:
                    return
                last = r.text
            except httpx.TransportError as exc:
                last = str(exc)
            time.sleep(0.1)
    raise RuntimeError(f"the server was not ready after {timeout:.0f}s: {last}")


@contextmanager
def serve_in_process(settings: Settings, cache: bool, timeout: float = 180.0) -> Iterator[str]:
    """Run ``reportqa serve`` in a child process (its own GIL, as in production); yield its base URL."""
    port = free_port()
    code = f"from reportqa.bench_http import serve_main; serve_main({port}, {cache!r})"
    served = settings if cache else settings.model_copy(update={"answer_cache_size": 0})
    env = {**os.environ, **settings_env(served), "PYTHONPATH": str(PROJECT_ROOT)}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT, stderr=log)
        try:
            base_url = f"http://127.0.0.1:{port}"
            try:
                wait_ready(base_url, timeout, alive=lambda: proc.poll() is None)
            except RuntimeError as exc:
                log.seek(0)
                tail = log.read().decode("utf-8", "replace").strip().splitlines()[-5:]
                raise RuntimeError(f"{exc}; server log: {' | '.join(tail)}") from None
            yield base_url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def serve_in_thread(engine: Any, cache: bool, settings: Settings | None = None, timeout: float = 30.0) -> Iterator[str]:
    """Run the API over an already loaded engine in a background thread (shares the GIL with the client)."""
    import uvicorn

    from api.app import create_app

    port = free_port()
    config = uvicorn.Config(create_app(settings or engine.settings, engine), host="127.0.0.1", port=port,
                            log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="reportqa-bench-server", daemon=True)
    with query_cache(cache), answer_cache(engine, cache):
        thread.start()
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_ready(base_url, timeout, alive=thread.is_alive)
            yield base_url
        finally:
            server.should_exit = True
            thread.join(timeout=10)


def http_latency(base_url: str, questions: list[str], repeats: int, k: int,
                 time_calls: Callable[[Callable[[str], Any], list[str], int], dict[str, float]]) -> dict[str, Any]:
    """One client, one request at a time, keep-alive: POST /v1/ask latency (non-200 answers counted as errors)."""
    import httpx

    errors = 0
    with httpx.Client(base_url=base_url, trust_env=False, timeout=30) as client:

        def post(q: str) -> None:
            nonlocal errors
            if client.post("/v1/ask", json={"question": q, "top_k": k}).status_code != 200:
                errors += 1

        stats = time_calls(post, questions, repeats)
    return {**stats, "errors": errors}


async def _load(base_url: str, questions: list[str], concurrency: int, requests: int, k: int) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    errors = sent = limit = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, trust_env=False, timeout=60, limits=limits) as client:

        async def worker() -> None:
            nonlocal errors, sent
            while sent < limit:
                q = questions[sent % len(questions)]
                sent += 1
                t0 = time.perf_counter()
                try:
                    r = await client.post("/v1/ask", json={"question": q, "top_k": k})
                    errors += r.status_code != 200
                except httpx.HTTPError:
                    errors += 1
                latencies.append((time.perf_counter() - t0) * 1000)

        async def burst(n: int) -> float:
            nonlocal sent, limit, errors
            sent, limit, errors = 0, n, 0
            latencies.clear()
            t0 = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            return time.perf_counter() - t0

        await burst(2 * concurrency)  # open the connections
        seconds = await burst(requests)
    return {"concurrency": concurrency, "requests": requests, "seconds": seconds, "errors": errors, "latencies_ms": latencies}


def http_throughput(base_url: str, questions: list[str], concurrency: int, requests: int, k: int) -> dict[str, Any]:
    """``concurrency`` clients posting ``requests`` questions in total: wall seconds, errors and every latency."""
    return asyncio.run(_load(base_url, questions, concurrency, requests, k))
