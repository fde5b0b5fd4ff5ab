"""What the access layer (request id + metrics + access log, API-key check, rate limit) costs per request.

Calls the ASGI app directly (no sockets, so only the app's own work is timed) with ``GET /v1/tables`` on an
app without an index (the route answers 503 at once), in four set-ups: the access layer removed (baseline),
open mode, a valid key with the key cache on, and a valid key with the cache off (one SQLite lookup and one
``last_used`` write per request). Prints the median per-request time of each over repeated runs.

    .venv/bin/python scripts/bench_access.py [--requests 2000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.middleware.cors import CORSMiddleware

from api.app import create_app
from reportqa.settings import AuthSettings, RateLimitSettings, Settings
from reportqa.store.db import database_for
from reportqa.store.keys import create_key


def make_app(data_dir: Path, *, layer: bool, cache_seconds: float) -> Any:
    settings = Settings(data_dir=data_dir, auth=AuthSettings(cache_seconds=cache_seconds),
                        rate_limit=RateLimitSettings(per_second=1e9, burst=10**9))
    app = create_app(settings)
    if not layer:
        app.user_middleware = [m for m in app.user_middleware if m.cls is CORSMiddleware]
    return app


async def one_request(app: Any, headers: list[tuple[bytes, bytes]]) -> int:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": "/v1/tables", "raw_path": b"/v1/tables", "root_path": "", "query_string": b"",
             "headers": headers, "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)}
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def time_requests(app: Any, headers: list[tuple[bytes, bytes]], n: int) -> float:
    """Median microseconds per request over ``n`` sequential requests."""
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        status = await one_request(app, headers)
        samples.append((time.perf_counter() - t0) * 1e6)
        assert status == 503, status  # no index loaded: the route itself costs next to nothing
    return statistics.median(samples)


async def main(requests: int, runs: int) -> None:
    logging.getLogger("reportqa.access").disabled = True  # time the work, not the terminal
    with tempfile.TemporaryDirectory() as tmp:
        keyed_dir = Path(tmp) / "keyed"
        _, key = create_key(database_for(Settings(data_dir=keyed_dir)), "bench")
        auth = [(b"authorization", f"Bearer {key}".encode())]
        setups = {
            "no access layer (baseline)": (make_app(Path(tmp) / "open", layer=False, cache_seconds=5), []),
            "open mode (no keys)": (make_app(Path(tmp) / "open", layer=True, cache_seconds=5), []),
            "valid key, key cache on (5 s)": (make_app(keyed_dir, layer=True, cache_seconds=5), auth),
            "valid key, key cache off": (make_app(keyed_dir, layer=True, cache_seconds=0), auth),
        }
        for app, headers in setups.values():
            await time_requests(app, headers, 200)  # warm up: build the middleware stack, open the database
        results: dict[str, list[float]] = {name: [] for name in setups}
        for _ in range(runs):
            for name, (app, headers) in setups.items():
                results[name].append(await time_requests(app, headers, requests))
        base = statistics.median(results["no access layer (baseline)"])
        print(f"GET /v1/tables (503, no index), {requests} requests x {runs} runs, median of run medians")
        for name, values in results.items():
            med = statistics.median(values)
            print(f"  {name:<32} {med:8.1f} µs/request   (+{med - base:6.1f} µs vs baseline)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.runs))
