"""Run an eval set against the engine (in process, as ``reportqa.library.ask``) or a server (``POST /v1/ask``),
score every answer, write results.json / report.md / report.html, compare with a baseline and apply gates.

    reportqa eval evals/report2023.jsonl --out runs/today --baseline runs/last/results.json --min-accuracy 0.9
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from evals.compare import GATES, RunDiff, check_gates, compare_runs, load_results
from evals.loaders import EvalItem, EvalSetError, assign_docs, load_eval_set
from evals.metrics import ItemResult, evidence_spans, score_item, summarize_groups
from reportqa.errors import ReportQAError
from reportqa.records import Answer
from reportqa.settings import Settings, get_settings

AnswerFn = Callable[[str], Answer]


class EvalRun(BaseModel):
    """One run of an eval set: where the answers came from, per-item results and the summary."""

    created_at: str
    eval_set: str = Field(description="Path or name of the eval set.")
    source: str = Field(description="'in-process' or the server URL.")
    k: int = Field(description="Citations considered for citation accuracy and hit@k.")
    index: dict[str, Any] = Field(default_factory=dict, description="build_id, embedder, corpus of the index answered from.")
    settings: dict[str, Any] = Field(default_factory=dict, description="Settings that shape answers (in-process runs).")
    results: list[ItemResult]
    summary: dict[str, Any] = Field(description="overall / by_type / by_lang / by_type_lang metric summaries.")


# --------------------------------------------------------------------------- where answers come from


def engine_answer_fn(engine: Any) -> AnswerFn:
    """Answer in process through the library, exactly as the API and CLI do."""
    from reportqa.library import ask

    return lambda question: ask(question, engine)


def http_answer_fn(url: str, *, timeout: float = 120.0, transport: Any = None) -> AnswerFn:
    """Answer through a running server's ``POST {url}/v1/ask`` (``transport``: an httpx transport, for tests).

    Sends ``Authorization: Bearer $REPORTQA_API_KEY`` when that variable is set (a server with API keys).
    """
    import httpx

    key = os.environ.get("REPORTQA_API_KEY")
    headers = {"Authorization": f"Bearer {key}"} if key else None
    client = httpx.Client(base_url=url.rstrip("/"), timeout=timeout, transport=transport, headers=headers)

    def answer(question: str) -> Answer:
        try:
            response = client.post("/v1/ask", json={"question": question})
        except httpx.ConnectError as err:
            raise EvalSetError(f"cannot reach {url} ({err}) — start the server with `reportqa serve` or fix --url") from err
        if response.status_code != 200:
            detail = _detail(response)
            raise RuntimeError(f"HTTP {response.status_code}: {detail}")
        return Answer.model_validate(response.json())

    return answer


def _detail(response: Any) -> str:
    try:
        return str(response.json().get("detail", response.text))
    except (ValueError, AttributeError):
        return response.text[:200]


def http_index_info(url: str, *, timeout: float = 10.0) -> dict[str, Any]:
    """What the server's /readyz says about its index ({} when it does not answer)."""
    import httpx

    try:
        response = httpx.get(url.rstrip("/") + "/readyz", timeout=timeout)
        return response.json() if response.status_code == 200 else {}
    except (httpx.HTTPError, ValueError):
        return {}


def load_documents(settings: Settings) -> dict[str, str]:
    """The corpus reports as doc id (file stem) → text, to locate gold evidence."""
    return {p.stem: p.read_text(encoding="utf-8-sig") for p in sorted(Path(settings.corpus_dir).glob("*.txt"))}


# --------------------------------------------------------------------------- the run


def run_eval(
    items: Sequence[EvalItem],
    *,
    engine: Any = None,
    url: str | None = None,
    k: int = 3,
    progress: bool = True,
    answer_fn: AnswerFn | None = None,
    documents: dict[str, str] | None = None,
    eval_set: str = "",
    doc: str | None = None,
) -> EvalRun:
    """Ask every question (through ``answer_fn``, a server at ``url``, or the engine — loaded when not given) and score it."""
    from tqdm import tqdm

    settings_info: dict[str, Any] = {}
    index_info: dict[str, Any] = {}
    if answer_fn is None and url:
        answer_fn, index_info, source = http_answer_fn(url), http_index_info(url), url
    elif answer_fn is None:
        if engine is None:
            from reportqa.library import load_engine

            engine = load_engine()
        answer_fn, source = engine_answer_fn(engine), "in-process"
        index_info = dict(engine.index_info())
        settings_info = engine.settings.model_dump(mode="json", include={"embedder", "chunking", "retrieval"})
        documents = documents if documents is not None else {d.doc_id: d.text for d in engine.documents}
    else:
        source = url or "answer_fn"
    if documents is None:
        documents = load_documents(get_settings())
    items = assign_docs(list(items), documents, doc)  # which report each item is about (citations must name it)

    results: list[ItemResult] = []
    bar = tqdm(items, desc="eval", unit="q", disable=not progress, dynamic_ncols=True)
    for item in bar:
        answer, result = ask_and_score(item, answer_fn, documents, k)
        results.append(result)
        if answer is not None and answer.index and not index_info:
            index_info = dict(answer.index)
        correct = sum(r.correct for r in results)
        bar.set_postfix(acc=f"{correct / len(results):.0%}", fail=len(results) - correct)
    bar.close()
    return EvalRun(
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), eval_set=eval_set, source=source, k=k,
        index=index_info, settings=settings_info, results=results, summary=summarize_groups(results),
    )


def ask_and_score(item: EvalItem, answer_fn: AnswerFn, documents: dict[str, str], k: int) -> tuple[Answer | None, ItemResult]:
    """Ask one question and score the answer; a failing question is scored as failed with its error."""
    spans = evidence_spans(item.evidence, documents)
    t0 = time.perf_counter()
    try:
        answer = answer_fn(item.question)
    except EvalSetError:
        raise
    except Exception as err:  # one failing question must not end the run
        wall = round((time.perf_counter() - t0) * 1000, 3)
        return None, score_item(item, None, spans=spans, k=k, error=f"{type(err).__name__}: {err}", latency_ms=wall)
    wall = round((time.perf_counter() - t0) * 1000, 3)
    return answer, score_item(item, answer, spans=spans, k=k, latency_ms=answer.timing_ms.get("total", wall))


# --------------------------------------------------------------------------- outputs


def run_to_dict(run: EvalRun) -> dict[str, Any]:
    """JSON-ready results (the results.json format)."""
    return run.model_dump(mode="json")


def write_outputs(run: EvalRun, out_dir: str | Path, diff: RunDiff | None = None) -> list[Path]:
    """Write results.json, report.md and report.html into ``out_dir``; return their paths."""
    from evals.render import render_html, render_markdown

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = run_to_dict(run)
    if diff is not None:
        data["baseline"] = diff.to_dict()
    paths = [out / "results.json", out / "report.md", out / "report.html"]
    paths[0].write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    paths[1].write_text(render_markdown(data), encoding="utf-8")
    paths[2].write_text(render_html(data), encoding="utf-8")
    return paths
# --------------------------------------------------------------------------- command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the eval options to ``parser`` (the ``reportqa eval`` subcommand embeds this)."""
    parser.add_argument("eval_set", metavar="SET", help="eval set: .jsonl / .json (full, {question, answer}, or Ragas "
                        "columns user_input / reference / retrieved_contexts) or .csv")
    parser.add_argument("--url", help="ask a running server (POST URL/v1/ask) instead of answering in process")
    parser.add_argument("--out", metavar="DIR", help="write results.json, report.md and report.html here")
    parser.add_argument("--baseline", metavar="PREVIOUS.json", help="results.json of an earlier run: print deltas and flipped items")
    parser.add_argument("--k", type=int, default=3, help="citations that count for citation accuracy and hit@k (default 3)")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N items")
    parser.add_argument("--export-ragas", metavar="PATH", help="also write the run as a Ragas EvaluationDataset (JSON lines: "
                        "user_input, response, retrieved_contexts, retrieved_context_ids, reference)")
    parser.add_argument("--doc", metavar="DOC_ID", help="the report (file stem) items without a 'doc' are about "
                        "(default: the report holding each item's evidence)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    gates = parser.add_argument_group("gates (exit code 1 when one is missed; shares as 0.9 or 90)")
    for gate in GATES:
        gates.add_argument("--" + gate.flag.replace("_", "-"), dest=gate.flag, type=float, metavar="X", help=gate.help)


def run_from_args(args: argparse.Namespace, settings: Settings | None = None, *, answer_fn: AnswerFn | None = None) -> int:
    """Run the eval the arguments describe; print the summary; 1 when a gate is missed, else 0.

    ``answer_fn`` replaces the engine and the server (tests drive the runner with hand-made answers).
    """
    from evals.render import render_console

    settings = settings or get_settings()
    items = load_eval_set(args.eval_set)
    if args.limit:
        items = items[: args.limit]
    baseline = load_results(args.baseline) if args.baseline else None
    engine = None
    if not args.url and answer_fn is None:
        from reportqa.library import load_engine

        engine = load_engine(settings, build_if_missing=True)
    documents = load_documents(settings) if engine is None else None
    run = run_eval(items, engine=engine, url=args.url, k=args.k, progress=not args.quiet, documents=documents,
                   answer_fn=answer_fn, eval_set=str(args.eval_set), doc=getattr(args, "doc", None))
    data = run_to_dict(run)
    diff = compare_runs(data, baseline, name=str(args.baseline)) if baseline is not None else None
    paths = write_outputs(run, args.out, diff) if args.out else []
    if getattr(args, "export_ragas", None):
        from evals.ragas_export import write_ragas_jsonl

        paths.append(write_ragas_jsonl(run.results, args.export_ragas))
    thresholds = {g.flag: getattr(args, g.flag, None) for g in GATES}
    missed = check_gates(run.summary["overall"], thresholds)
    print(render_console(data, diff, missed, paths, gated=any(v is not None for v in thresholds.values())))
    return 1 if missed else 0


def main(argv: list[str] | None = None, *, answer_fn: AnswerFn | None = None) -> int:
    """``python -m evals.runner SET [...]``: run, report, gate; a ReportQAError is one line on stderr and exit 1."""
    parser = argparse.ArgumentParser(prog="python -m evals.runner", description="Run a ReportQA eval set and gate on its metrics.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run_from_args(args, answer_fn=answer_fn)
    except ReportQAError as err:
        print(f"eval: error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
