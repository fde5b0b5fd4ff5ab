"""``reportqa bench``: latency of ``ask`` in-process and over HTTP, throughput under concurrency,
and llama-index's own retriever over the same vectors, side by side.

Every latency is reported as p50/p95 over the question set, taken as the median over ``repeats`` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportqa.bench_http import answer_cache, http_latency, http_throughput, query_cache, serve_in_process, serve_in_thread
from reportqa.settings import PROJECT_ROOT, Settings, get_settings

EVAL_SET = PROJECT_ROOT / "evals" / "report2023.jsonl"
TARGETS = {"http_ask_p50_ms": 25.0, "answers_per_s": 100.0}

GENERATED_QUESTIONS = 40  # questions generated from the index when there is no eval set


# --------------------------------------------------------------------------- measuring


def load_questions(path: Path | None = None, limit: int | None = None) -> list[str]:
    """Questions from an eval set (JSON lines with a 'question' field); [] when there is none."""
    path = path or EVAL_SET
    questions: list[str] = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                if isinstance(item, dict) and isinstance(item.get("question"), str):
                    questions.append(item["question"])
    return questions[:limit] if limit else questions


def index_questions(engine: Any, limit: int | None = None) -> list[str]:
    """Questions generated from the engine's own tables and sections (any report; no word list of one)."""
    from reportqa.loadtest_questions import generate_questions

    return generate_questions(engine.documents, limit=limit or GENERATED_QUESTIONS)


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation."""
    if not samples:
        return float("nan")
    s = sorted(samples)
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def summarize(runs: list[list[float]]) -> dict[str, float]:
    """p50/p95/mean per run (milliseconds), then the median of each over the runs."""
    return {
        "p50_ms": round(statistics.median(percentile(r, 50) for r in runs), 3),
        "p95_ms": round(statistics.median(percentile(r, 95) for r in runs), 3),
        "mean_ms": round(statistics.median(statistics.fmean(r) for r in runs), 3),
        "calls": sum(len(r) for r in runs),
    }


def ratio(a: float, b: float) -> float:
    """``a / b`` to 3 significant digits (a table question can be 1,000× faster than a retrieval on a busy machine)."""
    return float(f"{a / b:.3g}")


def time_calls(fn: Callable[[str], Any], questions: list[str], repeats: int) -> dict[str, float]:
    """Call ``fn`` once per question per repeat (after one warm-up pass) and summarize the latencies."""
    for q in questions:
        fn(q)
    runs = []
    for _ in range(repeats):
        run = []
        for q in questions:
            t0 = time.perf_counter()
            fn(q)
            run.append((time.perf_counter() - t0) * 1000)
        runs.append(run)
    return summarize(runs)


def bench_in_process(engine: Any, questions: list[str], repeats: int, k: int) -> dict[str, Any]:
    """Our ask and hybrid search (query and answer caches off, then on) vs llama-index's ``as_retriever().retrieve`` on the
    same embedder; ``ask_repeat``: a question asked again (same normalised text, top_k and build), from the answer cache."""
    from reportqa import library

    stages: dict[str, list[float]] = {}

    def ask(q: str) -> None:
        for name, ms in library.ask(q, engine, top_k=k).timing_ms.items():
            stages.setdefault(name, []).append(ms)

    def search(q: str) -> None:
        library.search(q, engine, k)

    result: dict[str, Any] = {}
    with query_cache(False), answer_cache(engine, False):
        result["ask"] = time_calls(ask, questions, repeats)
        result["ask_stages_p50_ms"] = {name: round(statistics.median(v), 3) for name, v in stages.items()}
        result["search"] = time_calls(search, questions, repeats)
    with query_cache(True):
        with answer_cache(engine, False):
            result["ask_cached"] = time_calls(ask, questions, repeats)
        result["search_cached"] = time_calls(search, questions, repeats)
        with answer_cache(engine, True):  # the warm-up pass fills it; the timed passes are repeats
            result["ask_repeat"] = time_calls(ask, questions, repeats)
    vector_index = getattr(engine.index, "vector_index", None)
    if vector_index is None:
        result["llama_retrieve"] = None
        return result
    retriever = vector_index.as_retriever(similarity_top_k=k)
    result["llama_retrieve"] = time_calls(retriever.retrieve, questions, repeats)
    llama_p50 = result["llama_retrieve"]["p50_ms"]
    result["ratio_ask_vs_llama_p50"] = ratio(result["ask"]["p50_ms"], llama_p50)
    result["ratio_ask_vs_llama_p95"] = ratio(result["ask"]["p95_ms"], result["llama_retrieve"]["p95_ms"])
    result["ratio_search_vs_llama_p50"] = ratio(result["search"]["p50_ms"], llama_p50)
    return result


def bench_http(engine: Any, questions: list[str], *, repeats: int, k: int, concurrency: int, requests: int,
               server: str, cache: bool) -> dict[str, Any]:
    """POST /v1/ask against a fresh uvicorn server: single-client latency, then throughput at ``concurrency``.

    The server runs in open mode (an empty service database) without rate limits: this measures answering.
    """
    import tempfile

    from reportqa.settings import RateLimitSettings

    with tempfile.TemporaryDirectory(prefix="reportqa-bench-") as data_dir:
        settings = engine.settings.model_copy(update={"data_dir": Path(data_dir), "rate_limit": RateLimitSettings(per_second=0)})
        serve = serve_in_process(settings, cache) if server == "process" else serve_in_thread(engine, cache, settings)
        with serve as base_url:
            latency = http_latency(base_url, questions, repeats, k, time_calls)
            load = http_throughput(base_url, questions, concurrency, requests, k)
    lat = load.pop("latencies_ms")
    throughput = {
        **load,
        "seconds": round(load["seconds"], 3),
        "answers_per_s": round(load["requests"] / load["seconds"], 1),
        "p50_ms": round(percentile(lat, 50), 3),
        "p95_ms": round(percentile(lat, 95), 3),
    }
    return {"server": f"uvicorn, 1 worker, {server}, query cache {'on' if cache else 'off'}",
            "latency": latency, "throughput": throughput}


def judge(report: dict[str, Any]) -> dict[str, Any]:
    """The measured values against the targets."""
    lat, thr = report["http"]["latency"], report["http"]["throughput"]
    return {
        "http_ask_p50_ms": {"value": lat["p50_ms"], "target": f"<= {TARGETS['http_ask_p50_ms']:g}",
                            "met": lat["p50_ms"] <= TARGETS["http_ask_p50_ms"] and lat["errors"] == 0},
        "answers_per_s": {"value": thr["answers_per_s"], "target": f">= {TARGETS['answers_per_s']:g} at concurrency {thr['concurrency']}, no errors",
                          "met": thr["answers_per_s"] >= TARGETS["answers_per_s"] and thr["errors"] == 0},
    }


# --------------------------------------------------------------------------- report


def run_bench(
    settings: Settings | None = None,
    *,
    questions: list[str] | None = None,
    repeats: int = 3,
    k: int | None = None,
    concurrency: int = 8,
    requests: int = 400,
    server: str = "process",
    http: bool = True,
    http_cache: bool = False,
    engine: Any = None,
) -> dict[str, Any]:
    """Load the engine (building the index if missing) unless one is given, measure; return the machine-readable report."""
    from reportqa import library

    t0 = time.perf_counter()
    engine = engine or library.load_engine(settings or get_settings(), build_if_missing=True)
    load_s = time.perf_counter() - t0
    settings = engine.settings
    questions = questions or load_questions() or index_questions(engine)
    k = k or settings.retrieval.top_k
    report: dict[str, Any] = {
        "questions": len(questions),
        "repeats": repeats,
        "top_k": k,
        "index": engine.index_info(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_avg_1m": round(os.getloadavg()[0], 2), "omp_num_threads": os.environ.get("OMP_NUM_THREADS", "default")},
        "engine_load_s": round(load_s, 3),
        "in_process": bench_in_process(engine, questions, repeats, k),
    }
    if http:
        report["http"] = bench_http(engine, questions, repeats=repeats, k=k, concurrency=concurrency,
                                    requests=requests, server=server, cache=http_cache)
        report["targets"] = judge(report)
    return report


def format_report(report: dict[str, Any]) -> str:
    """The report as an aligned text table."""
    ip = report["in_process"]
    lines = [
        f"questions: {report['questions']}  repeats: {report['repeats']}  top_k: {report['top_k']}  "
        f"cpus: {report['machine']['cpus']}  index: {report['index'].get('build_id', '?')} ({report['index'].get('embedder', '?')})",
        "",
        f"{'measure':<48}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}",
    ]

    def row(name: str, stats: dict[str, Any] | None) -> None:
        if stats:
            mean = stats.get("mean_ms")
            lines.append(f"{name:<48}{stats['p50_ms']:>9.2f}{stats['p95_ms']:>9.2f}{'' if mean is None else f'{mean:.2f}':>9}")

    row("library.ask, in-process (query cache off)", ip["ask"])
    row("library.ask, in-process (query cache on)", ip["ask_cached"])
    row("library.ask, a repeated question (answer cache)", ip.get("ask_repeat"))
    row("library.search hybrid (query cache off)", ip["search"])
    row("library.search hybrid (query cache on)", ip["search_cached"])
    row("llama-index as_retriever().retrieve", ip.get("llama_retrieve"))
    if "http" in report:
        row("POST /v1/ask over HTTP, 1 client", report["http"]["latency"])
        thr = report["http"]["throughput"]
        row(f"POST /v1/ask over HTTP, {thr['concurrency']} clients", thr)
    lines.append("")
    if ip.get("llama_retrieve"):
        lines.append(f"ask p50 / llama-index retrieve p50:    {ip['ratio_ask_vs_llama_p50']:.2f}x")
        lines.append(f"ask p95 / llama-index retrieve p95:    {ip['ratio_ask_vs_llama_p95']:.2f}x")
        lines.append(f"search p50 / llama-index retrieve p50: {ip['ratio_search_vs_llama_p50']:.2f}x")
    else:
        lines.append("llama-index comparison skipped: the index has no vector_index")
    stages = ", ".join(f"{name} {ms:.2f}" for name, ms in ip.get("ask_stages_p50_ms", {}).items())
    if stages:
        lines.append(f"ask stages, p50 ms: {stages}")
    if "http" in report:
        thr = report["http"]["throughput"]
        lines.append(f"throughput: {thr['answers_per_s']:.1f} answers/s ({thr['requests']} requests, {thr['errors']} errors; {report['http']['server']})")
        for name, t in report["targets"].items():
            lines.append(f"target {name} {t['target']}: {t['value']} → {'met' if t['met'] else 'NOT met'}")
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``reportqa bench`` options."""
    parser.add_argument("--questions", type=Path, default=None, help=f"JSON-lines file with a 'question' field (default: evals/{EVAL_SET.name}, else {GENERATED_QUESTIONS} generated from the index's tables and sections)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N questions")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs over the questions; the median run is reported")
    parser.add_argument("--top-k", type=int, default=None, help="passages per question (default: retrieval.top_k)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent HTTP clients for the throughput run")
    parser.add_argument("--requests", type=int, default=400, help="requests in the throughput run")
    parser.add_argument("--server", choices=["process", "thread"], default="process", help="uvicorn in a child process (default) or a thread")
    parser.add_argument("--query-cache", action="store_true", help="keep the server's query-embedding cache on (repeated questions)")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP measurements")
    parser.add_argument("--chat", action="store_true", help="instead: what /v1/chat/completions (plain and streaming) adds "
                        "to time-to-last-byte over /v1/ask (query cache on)")
    parser.add_argument("--cold", action="store_true", help="with --chat: the server's query-embedding cache off")
    parser.add_argument("--json", action="store_true", help="print the machine-readable report")


def run(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """Run ``reportqa bench`` with parsed arguments; print the table or the JSON."""
    if getattr(args, "chat", False):
        from reportqa.bench_chat import run as run_chat

        return run_chat(args, settings or get_settings(), load_questions(args.questions, args.limit))
    report = run_bench(
        settings, questions=load_questions(args.questions, args.limit), repeats=args.repeats, k=args.top_k,
        concurrency=args.concurrency, requests=args.requests, server=args.server,
        http=not args.no_http, http_cache=args.query_cache,
    )
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_report(report))
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m reportqa.bench``."""
    parser = argparse.ArgumentParser(prog="reportqa bench", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
