"""``reportqa bench --chat [--cold]``: what the OpenAI-compatible chat layer adds to time-to-last-byte over ``POST /v1/ask``.

For every question, one client asks the same server three ways — ``/v1/ask``, ``/v1/chat/completions`` and
``/v1/chat/completions`` with ``stream: true`` (read until ``data: [DONE]``) — in rotating order, ``repeats``
times, after a warm-up pass. Per question the median over repeats is taken; reported are p50 / p95 over the
questions per mode, the time to first byte of the stream, and the *paired* overhead (chat minus ask on the
same question) at p50 / p95. The server's query-embedding cache is on (``--cold`` turns it off), so the
embedder's jitter (tens of ms on a shared machine) does not drown the few milliseconds being measured.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from reportqa.bench_http import serve_in_process, serve_in_thread

MODES = ("ask", "chat", "chat_stream")
TARGET_STREAM_OVERHEAD_MS = 5.0


def _percentile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def _callers(client: Any, errors: dict[str, int], ttfb: list[float]) -> dict[str, Callable[[str], None]]:
    """One timed-call function per mode; a non-200 answer (or a stream without [DONE]) counts as an error."""

    def ask(q: str) -> None:
        errors["ask"] += client.post("/v1/ask", json={"question": q}).status_code != 200

    def chat(q: str) -> None:
        body = {"model": "reportqa", "messages": [{"role": "user", "content": q}]}
        errors["chat"] += client.post("/v1/chat/completions", json=body).status_code != 200

    def chat_stream(q: str) -> None:
        body = {"model": "reportqa", "messages": [{"role": "user", "content": q}], "stream": True}
        t0 = time.perf_counter()
        tail = b""
        with client.stream("POST", "/v1/chat/completions", json=body) as r:
            for i, part in enumerate(r.iter_raw()):
                if i == 0:
                    ttfb.append((time.perf_counter() - t0) * 1000)
                tail = (tail + part)[-32:]
            errors["chat_stream"] += r.status_code != 200 or not tail.endswith(b"data: [DONE]\n\n")

    return {"ask": ask, "chat": chat, "chat_stream": chat_stream}


def measure(base_url: str, questions: list[str], repeats: int) -> dict[str, Any]:
    """Time-to-last-byte per mode and question (median over repeats), paired overheads, stream time to first byte."""
    import httpx

    errors = {m: 0 for m in MODES}
    ttfb: list[float] = []
    per_question: dict[str, list[list[float]]] = {m: [[] for _ in questions] for m in MODES}
    with httpx.Client(base_url=base_url, trust_env=False, timeout=60) as client:
        call = _callers(client, errors, ttfb)
        for q in questions:  # warm-up: connections, caches
            for m in MODES:
                call[m](q)
        for m in MODES:
            errors[m] = 0
        ttfb.clear()
        for r in range(repeats):
            for i, q in enumerate(questions):
                shift = (i + r) % len(MODES)
                for m in MODES[shift:] + MODES[:shift]:
                    t0 = time.perf_counter()
                    call[m](q)
                    per_question[m][i].append((time.perf_counter() - t0) * 1000)
    medians = {m: [statistics.median(xs) for xs in per_question[m]] for m in MODES}
    result: dict[str, Any] = {m: {"p50_ms": round(_percentile(v, 50), 3), "p95_ms": round(_percentile(v, 95), 3),
                                  "errors": errors[m]} for m, v in medians.items()}
    result["chat_stream"]["ttfb_p50_ms"] = round(_percentile(ttfb, 50), 3) if ttfb else None
    for m in ("chat", "chat_stream"):
        diffs = [c - a for c, a in zip(medians[m], medians["ask"])]
        result[f"{m}_minus_ask"] = {"p50_ms": round(_percentile(diffs, 50), 3), "p95_ms": round(_percentile(diffs, 95), 3),
                                    "mean_ms": round(statistics.fmean(diffs), 3)}
    overhead = result["chat_stream_minus_ask"]["p50_ms"]
    result["target"] = {"stream_overhead_p50_ms": overhead, "target": f"<= {TARGET_STREAM_OVERHEAD_MS:g}",
                        "met": overhead <= TARGET_STREAM_OVERHEAD_MS and not any(errors.values())}
    return result


def bench_chat(engine: Any, questions: list[str], *, repeats: int = 3, server: str = "process", cache: bool = True) -> dict[str, Any]:
    """Run :func:`measure` against a fresh uvicorn server (a child process by default, as ``reportqa serve``)."""
    serve = serve_in_process(engine.settings, cache) if server == "process" else serve_in_thread(engine, cache)
    with serve as base_url:
        result = measure(base_url, questions, repeats)
    return {"questions": len(questions), "repeats": repeats, "index": engine.index_info(),
            "server": f"uvicorn, 1 worker, {server}, query cache {'on' if cache else 'off'}", **result}


def format_chat_report(report: dict[str, Any]) -> str:
    """The chat benchmark as an aligned text table."""
    lines = [
        f"questions: {report['questions']}  repeats: {report['repeats']}  server: {report['server']}",
        "",
        f"{'time to last byte, per question (median of repeats)':<56}{'p50 ms':>9}{'p95 ms':>9}",
    ]
    names = {"ask": "POST /v1/ask", "chat": "POST /v1/chat/completions", "chat_stream": "POST /v1/chat/completions, stream",
             "chat_minus_ask": "  chat − ask, same question", "chat_stream_minus_ask": "  stream − ask, same question"}
    for key, name in names.items():
        lines.append(f"{name:<56}{report[key]['p50_ms']:>9.2f}{report[key]['p95_ms']:>9.2f}")
    errors = ", ".join(f"{m} {report[m]['errors']}" for m in MODES)
    lines.append(f"stream time to first byte p50: {report['chat_stream']['ttfb_p50_ms']} ms; errors: {errors}")
    t = report["target"]
    lines.append(f"target stream overhead p50 {t['target']} ms: {t['stream_overhead_p50_ms']} → {'met' if t['met'] else 'NOT met'}")
    return "\n".join(lines)


def run(args: Any, settings: Any, questions: list[str]) -> int:
    """``reportqa bench --chat``: load the engine, measure, print the table or the JSON."""
    from reportqa import library

    from reportqa.bench import index_questions

    engine = library.load_engine(settings, build_if_missing=True)
    report = bench_chat(engine, questions or index_questions(engine, args.limit), repeats=args.repeats, server=args.server, cache=not args.cold)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_chat_report(report))
    return 0
