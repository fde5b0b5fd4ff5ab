"""``reportqa loadtest``: answers/s, p50/p95/p99 and errors of ``POST /v1/ask`` at several concurrencies, for
distinct and repeated questions, against ``reportqa serve`` (1 and N workers) started on loopback; the
embedder's own ceiling in the same run; the server's RSS over a soak.

Distinct questions are generated from the index's tables and sections (``loadtest_questions``) and never
sent twice to one server, so neither the answer cache nor the query-embedding cache can help them.
Everything is bounded: each measurement stops after ``--duration`` seconds or when its questions run out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from reportqa.bench import percentile
from reportqa.bench_http import free_port, settings_env, wait_ready
from reportqa.settings import PROJECT_ROOT, RateLimitSettings, Settings, get_settings

REPEATED = 20  # questions in the repeated set


# --------------------------------------------------------------------------- the server under test


def rss_kb(pid: int) -> int:
    """Resident memory (KB) of ``pid`` and all its descendants (uvicorn workers), from /proc."""
    total = 0
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (OSError, StopIteration):
        return total
    return total + sum(rss_kb(int(child)) for child in children)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time (s) of ``pid`` and all its descendants so far, from /proc (0.0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (OSError, IndexError):
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return own + sum(cpu_seconds(int(child)) for child in children)


@contextmanager
def serve(settings: Settings, workers: int, timeout: float = 600) -> Iterator[tuple[str, int]]:
    """``reportqa serve --workers N`` on a free loopback port; yield (base URL, pid); SIGTERM it at the end."""
    port = free_port()
    env = {**os.environ, **settings_env(settings)}
    cmd = [sys.executable, "-m", "reportqa.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_ready(base_url, timeout, alive=lambda: proc.poll() is None)
        if workers > 1:
            _wait_workers_ready(base_url, workers)
        yield base_url, proc.pid
    finally:
        stop(proc)


def stop(proc: subprocess.Popen, grace_s: float = 60) -> None:
    """SIGTERM (a graceful shutdown: in-flight answers finish), then SIGKILL after ``grace_s``."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _wait_workers_ready(base_url: str, workers: int, seconds: float = 300) -> None:
    """With several workers, one answering /readyz says nothing of the others: poll until a burst is all 200."""
    import httpx

    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=base_url, trust_env=False, timeout=30) as client:
        while time.monotonic() < deadline:
            if all(client.get("/readyz", headers={"connection": "close"}).status_code == 200 for _ in range(4 * workers)):
                return
            time.sleep(0.5)


# --------------------------------------------------------------------------- load


Send = Callable[[dict[str, Any]], Awaitable[str]]  # posts one /v1/ask body; returns "200", another status or an exception name
CLIENTS = ("aiohttp", "httpx")


@asynccontextmanager
async def _httpx_sender(base_url: str, concurrency: int) -> AsyncIterator[Send]:
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, trust_env=False, timeout=60, limits=limits) as client:

        async def send(body: dict[str, Any]) -> str:
            try:
                r = await client.post("/v1/ask", json=body)
            except httpx.HTTPError as exc:
                return type(exc).__name__
            return str(r.status_code)

        yield send


@asynccontextmanager
async def _aiohttp_sender(base_url: str, concurrency: int) -> AsyncIterator[Send]:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(base_url, connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:

        async def send(body: dict[str, Any]) -> str:
            try:
                async with session.post("/v1/ask", json=body) as r:
                    await r.read()
                    return str(r.status)
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                return type(exc).__name__

        yield send


def _cpu_seconds() -> float:
    """User + system CPU time of this process (the load generator) so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _cell(base_url: str, questions: list[str], concurrency: int, duration: float, top_k: int, client: str,
                server_pid: int | None) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    failed: dict[str, int] = {}  # status code (or exception name) → count
    queue = iter(questions)
    sender = _aiohttp_sender if client == "aiohttp" else _httpx_sender
    async with sender(base_url, concurrency) as send:
        server0 = cpu_seconds(server_pid) if server_pid else 0.0
        cpu0, t0 = _cpu_seconds(), time.perf_counter()
        deadline = t0 + duration

        async def worker() -> None:
            nonlocal errors
            for q in queue:
                if time.perf_counter() >= deadline:
                    return
                start = time.perf_counter()
                outcome = await send({"question": q, "top_k": top_k})
                if outcome != "200":
                    errors += 1
                    failed[outcome] = failed.get(outcome, 0) + 1
                latencies.append((time.perf_counter() - start) * 1000)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds, cpu = time.perf_counter() - t0, _cpu_seconds() - cpu0
        server = cpu_seconds(server_pid) - server0 if server_pid else None
    answered = len(latencies) - errors
    return {
        "concurrency": concurrency, "requests": len(latencies), "errors": errors, "errors_by_status": failed,
        "seconds": round(seconds, 2),
        "answers_per_s": round((len(latencies) - errors) / seconds, 1) if seconds else 0.0,
        **{f"p{q}_ms": round(percentile(latencies, q), 1) for q in (50, 95, 99)},
        "client": client,
        "client_cpu_s_per_s": round(cpu / seconds, 3) if seconds else 0.0,
        "client_cpu_ms_per_request": round(1000 * cpu / len(latencies), 2) if latencies else 0.0,
        **({"server_cpu_s_per_s": round(server / seconds, 3) if seconds else 0.0,
            "server_cpu_ms_per_answer": round(1000 * server / answered, 2) if answered else 0.0} if server is not None else {}),
    }


def run_cell(base_url: str, questions: list[str], concurrency: int, duration: float, top_k: int = 5, client: str = "aiohttp",
             server_pid: int | None = None) -> dict[str, Any]:
    """``concurrency`` clients posting ``questions`` in order for at most ``duration`` seconds.

    ``client_cpu_s_per_s`` is the CPU the load generator itself used per second of the cell: on a machine whose
    cores the server shares, that much is taken from the server. With ``server_pid``, the server's CPU per answer too.
    """
    return asyncio.run(_cell(base_url, questions, concurrency, duration, top_k, client, server_pid))


def soak(base_url: str, pid: int, questions: list[str], seconds: float, concurrency: int = 8, every: float = 5.0,
         client: str = "aiohttp") -> dict[str, Any]:
    """Load for ``seconds`` while sampling the server's RSS every ``every`` seconds."""
    samples: list[tuple[float, int]] = [(0.0, rss_kb(pid))]
    t0 = time.monotonic()
    cells = []
    while time.monotonic() - t0 < seconds:  # the pool again and again: new and repeated questions, caches must stay bounded
        cells.append(run_cell(base_url, questions, concurrency, min(every, seconds - (time.monotonic() - t0)), client=client))
        samples.append((round(time.monotonic() - t0, 1), rss_kb(pid)))
    mb = [kb / 1024 for _, kb in samples]
    requests = sum(c["requests"] for c in cells)
    return {
        "seconds": seconds, "concurrency": concurrency, "requests": requests, "errors": sum(c["errors"] for c in cells),
        "errors_by_status": {k: sum(c["errors_by_status"].get(k, 0) for c in cells) for c0 in cells for k in c0["errors_by_status"]},
        "answers_per_s": round(sum(c["requests"] - c["errors"] for c in cells) / max(time.monotonic() - t0, 1e-9), 1),
        "rss_mb_start": round(mb[0], 1), "rss_mb_end": round(mb[-1], 1), "rss_mb_max": round(max(mb), 1),
        "rss_mb_second_half_growth": round(mb[-1] - mb[len(mb) // 2], 1),
        "samples": [(t, round(kb / 1024, 1)) for t, kb in samples],
    }


# --------------------------------------------------------------------------- the embedder's own ceiling


def _embed_for(settings_json: str, questions: list[str], seconds: float, barrier: Any) -> tuple[int, float, float]:
    os.environ["OMP_NUM_THREADS"] = "1"  # as the server runs it
    from indexer.embed import load_embedder

    embedder = load_embedder(Settings.model_validate_json(settings_json).embedder)
    embedder.embed_queries(["warm-up"])
    barrier.wait()  # every process starts at once
    n, t0, cpu0 = 0, time.perf_counter(), _cpu_seconds()
    for q in questions:
        embedder.embed_queries([q])
        n += 1
        if time.perf_counter() - t0 >= seconds:
            break
    return n, time.perf_counter() - t0, _cpu_seconds() - cpu0


def embedder_ceiling(settings: Settings, questions: list[str], seconds: float, processes: int | None = None) -> dict[str, Any]:
    """Queries/s when one process per core does nothing but embed distinct questions with the same embedder."""
    processes = processes or os.cpu_count() or 1
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(processes)
        with ctx.Pool(processes) as pool:
            share = len(questions) // processes
            jobs = [pool.apply_async(_embed_for, (settings.model_dump_json(), questions[i * share:(i + 1) * share], seconds, barrier))
                    for i in range(processes)]
            results = [j.get(timeout=seconds + 600) for j in jobs]
    queries = sum(n for n, _, _ in results)
    return {"processes": processes, "seconds": seconds, "queries": queries,
            "queries_per_s": round(sum(n / s for n, s, _ in results if s), 1),
            "cpu_ms_per_query": round(1000 * sum(c for _, _, c in results) / queries, 2) if queries else 0.0}


# --------------------------------------------------------------------------- the run


def unlimited(settings: Settings) -> Settings:
    """``settings`` with the per-client rate limit off (the load test's servers only)."""
    return settings.model_copy(update={"rate_limit": RateLimitSettings(per_second=0.0)})


def retrieval_questions(settings: Settings, questions: list[str]) -> list[str]:
    """The questions whose answer needs retrieval (the query embedding): not answered from the parsed tables."""
    from reportqa import library

    engine = library.load_engine(settings)
    return [q for q in questions if library.ask(q, engine).kind not in ("table", "computed")]


def run_loadtest(settings: Settings, *, concurrencies: list[int], workers: list[int], duration: float,
                 soak_seconds: float, ceiling: bool = True, progress: bool = True,
                 retrieval_only: bool = False, client: str = "aiohttp") -> dict[str, Any]:
    """Every measurement of ``reportqa loadtest``; returns the machine-readable report."""
    from indexer.store import index_exists, read_documents
    from reportqa import library
    from reportqa.loadtest_questions import generate_questions

    # one loopback client sends everything: the per-client rate limit would measure itself (429s), not the server
    settings = unlimited(settings)
    if not index_exists(settings):
        library.build_index(settings, progress=progress)  # once, before any server starts
    pool = generate_questions(read_documents(settings))
    if retrieval_only:  # most generated questions are table lookups that never embed the question
        pool = retrieval_questions(settings, pool)
    repeated = pool[:REPEATED]
    fresh = iter(pool[REPEATED:])
    say = (lambda msg: print(msg, file=sys.stderr, flush=True)) if progress else (lambda msg: None)
    report: dict[str, Any] = {"questions_generated": len(pool), "retrieval_only": retrieval_only,
                              "duration_s": duration, "cpus": os.cpu_count(), "client": client,
                              "load_avg_1m_start": round(os.getloadavg()[0], 2), "runs": []}
    per_cell = max((len(pool) - REPEATED) // max(len(concurrencies) * len(workers), 1), 1)
    for n in workers:
        say(f"starting reportqa serve --workers {n} …")
        with serve(settings, n) as (base_url, pid):
            run_cell(base_url, repeated, 1, duration, client=client)  # warm: the repeated set is answered once
            for c in concurrencies:
                distinct = [q for _, q in zip(range(per_cell), fresh)]
                for kind, questions in (("distinct", distinct), ("repeated", repeated * 10_000)):
                    say(f"  workers {n}, concurrency {c}, {kind} …")
                    report["runs"].append({"workers": n, "kind": kind, **run_cell(base_url, questions, c, duration, client=client, server_pid=pid)})
            report.setdefault("rss_mb_after", {})[n] = round(rss_kb(pid) / 1024, 1)
            if soak_seconds and n == workers[0]:
                say(f"  soak {soak_seconds:g} s …")
                report["soak"] = {"workers": n, **soak(base_url, pid, pool, soak_seconds, client=client)}
    if ceiling:
        say("embedder ceiling …")
        report["embedder_ceiling"] = embedder_ceiling(settings, pool, duration)
    report["load_avg_1m_end"] = round(os.getloadavg()[0], 2)
    return report


def format_report(report: dict[str, Any]) -> str:
    """The report as an aligned table."""
    lines = [f"{'workers':>7} {'kind':<9} {'conc':>4} {'requests':>8} {'errors':>6} {'answers/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
             f"{'client CPU s/s':>14} {'server CPU ms/answer':>20}"]
    for r in report["runs"]:
        why = ", ".join(f"{n}×{status}" for status, n in r.get("errors_by_status", {}).items())
        lines.append(f"{r['workers']:>7} {r['kind']:<9} {r['concurrency']:>4} {r['requests']:>8} {r['errors']:>6} "
                     f"{r['answers_per_s']:>9.1f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['client_cpu_s_per_s']:>14.2f} "
                     f"{r.get('server_cpu_ms_per_answer', float('nan')):>20.1f}" + (f"  ({why})" if why else ""))
    if "embedder_ceiling" in report:
        e = report["embedder_ceiling"]
        lines.append(f"embedder ceiling: {e['queries_per_s']:.1f} queries/s ({e['processes']} processes embedding distinct questions, "
                     f"{e.get('cpu_ms_per_query', float('nan')):.1f} CPU-ms a query)")
        best = max((r["answers_per_s"] for r in report["runs"] if r["kind"] == "distinct"), default=0.0)
        if e["queries_per_s"]:
            lines.append(f"best distinct answers/s = {best / e['queries_per_s']:.0%} of the ceiling")
    if "soak" in report:
        s = report["soak"]
        lines.append(f"soak {s['seconds']:g} s at concurrency {s['concurrency']}: {s['requests']} requests, {s['errors']} errors, "
                     f"RSS {s['rss_mb_start']} → {s['rss_mb_end']} MB (max {s['rss_mb_max']}, second half {s['rss_mb_second_half_growth']:+} MB)")
    kind = "retrieval-bound " if report.get("retrieval_only") else ""
    lines.append(f"client CPU s/s: CPU-seconds per second the load generator ({report.get('client', 'aiohttp')}) took from the same cores")
    lines.append(f"{report['questions_generated']} distinct {kind}questions generated; {report['cpus']} CPUs; "
                 f"load average {report['load_avg_1m_start']} → {report['load_avg_1m_end']}")
    return "\n".join(lines)


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``reportqa loadtest`` options."""
    parser.add_argument("--concurrency", type=_ints, default=[1, 8, 32], help="comma-separated client counts (default 1,8,32)")
    parser.add_argument("--workers", type=_ints, default=[1, 2], help="comma-separated server worker counts (default 1,2)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement (default 10)")
    parser.add_argument("--soak", type=float, default=0.0, metavar="SECONDS", help="also load the first server this long, sampling its RSS")
    parser.add_argument("--no-ceiling", action="store_true", help="skip the embedder-ceiling measurement")
    parser.add_argument("--retrieval-only", action="store_true",
                        help="only the generated questions whose answer embeds the question (not answered from a table)")
    parser.add_argument("--client", choices=CLIENTS, default="aiohttp", help="the load generator's HTTP client (default aiohttp)")
    parser.add_argument("--json", action="store_true", help="print the machine-readable report")


def run(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """Run ``reportqa loadtest`` with parsed arguments."""
    report = run_loadtest(settings or get_settings(), concurrencies=args.concurrency, workers=args.workers,
                          duration=args.duration, soak_seconds=args.soak, ceiling=not args.no_ceiling,
                          retrieval_only=args.retrieval_only, client=args.client)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_report(report))
    return 0
