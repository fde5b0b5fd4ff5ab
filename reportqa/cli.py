"""The ``reportqa`` command line: thin calls into the library, errors as one line on stderr (exit 1).

Adding a subcommand is one function decorated with ``@command`` (``cli_base``) that adds its parser and sets
``handler``. The commands about the reports and their index (``index``, ``tables``, ``sections``) live in
``cli_reports``; the questions and the service's operations here.
"""

from __future__ import annotations

import argparse
import os
import sys

from reportqa import cli_reports  # noqa: F401 - registers index, tables, sections (first in --help)
from reportqa.cli_base import (
    _COMMANDS,
    Handler,
    SubParsers,
    command,
    print_json,
    settings_from,
)
from reportqa.errors import ReportQAError
from reportqa.settings import Settings

# --------------------------------------------------------------------------- serve / bench


@command
def _serve_command(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "serve",
        parents=[common],
        help="run the HTTP API (builds the index first if it is missing)",
        description="Load the index (building it first if it is missing) and serve the HTTP API with uvicorn. "
        "Endpoints and schemas: http://HOST:PORT/docs.",
    )
    p.add_argument("--host", default=None, help="interface to bind (default: settings.api.host, 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default: settings.api.port, 8000)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes, each loading the index (default: settings.api.workers, 1)")
    p.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from api.serve import serve

    if args.workers is not None and args.workers < 1:
        raise ReportQAError(f"--workers {args.workers}: send a number of worker processes of at least 1")
    serve(args.host, args.port, settings, workers=args.workers)
    return 0


@command
def _ask_command(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("ask", parents=[common], help="answer a question from the report, with citations and checked figures")
    p.add_argument("question", help="e.g. '表1中2022年的总计是多少？' or 'What was the total in Table 1 for 2022?'")
    p.add_argument("--top-k", type=int, default=None, help="passages to cite (default: settings.retrieval.top_k)")
    p.add_argument("--json", action="store_true", help="print the Answer as JSON (the /v1/ask response)")
    p.set_defaults(handler=_ask)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from reportqa.library import ask, load_engine

    answer = ask(args.question, load_engine(settings), top_k=args.top_k)
    if args.json:
        print_json(answer.model_dump(mode="json"))
        return 0
    print(answer.answer)
    for i, c in enumerate(answer.citations, 1):
        where = " ".join(x for x in (c.table, c.row, c.column) if x) or c.section
        print(f"  [{i}] {where} (p.{c.page}) {c.quote[:80]}")
    for f in answer.facts:
        note = f" — {f.expected}" if f.expected else (f" — {f.formula}" if f.formula else "")
        print(f"  {f.status}: {f.text}{note}")
    return 0


@command
def _chat_command(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "chat", parents=[common], help="answer a conversation turn by turn: follow-ups inherit subject, year and measure",
        description="Answer each user turn in the context of the turns before it, as POST /v1/chat/completions does: "
        "a follow-up such as '那2021年呢？' or 'and in 2021?' is rewritten into a standalone question first.",
    )
    p.add_argument("turns", nargs="+", metavar="TURN", help="user messages in order, e.g. '表1中2022年的总计' '那2021年呢？'")
    p.add_argument("--json", action="store_true", help="print each turn's ConversationAnswer as JSON (a list)")
    p.set_defaults(handler=_chat)


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from reportqa.conversation import understood_as_line
    from reportqa.library import ask_conversation, load_engine

    engine = load_engine(settings)
    messages: list[dict[str, str]] = []
    answers = []
    for turn in args.turns:
        messages.append({"role": "user", "content": turn})
        answer = ask_conversation(messages, engine)
        answers.append(answer)
        messages.append({"role": "assistant", "content": answer.answer})
        if not args.json:
            print(f"> {turn}")
            line = understood_as_line(answer.understood_as, answer.language)
            print(f"{line}\n{answer.answer}\n" if line else f"{answer.answer}\n")
    if args.json:
        print_json([a.model_dump(mode="json") for a in answers])
    return 0


@command
def _check_command(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check", parents=[common], help="check every figure in a text against the report")
    p.add_argument("text", help="text to check, e.g. '2022年总计为125亿元'; '-' reads standard input")
    p.add_argument("--json", action="store_true", help="print the facts as JSON")
    p.set_defaults(handler=_check)


def _check(args: argparse.Namespace, settings: Settings) -> int:
    from reportqa.library import check, load_engine

    text = sys.stdin.read() if args.text == "-" else args.text
    facts = check(text, load_engine(settings))
    if args.json:
        print_json([f.model_dump(mode="json") for f in facts])
        return 0
    if not facts:
        print("no figures found in the text")
    for f in facts:
        note = f" — {f.expected}" if f.expected else (f" — {f.formula}" if f.formula else "")
        src = f.source.get("cell") or f.source.get("id") or f.source.get("quote", "")
        print(f"{f.status:>12}: {f.text}{note}" + (f"  [{str(src)[:60]}]" if src else ""))
    return 0


@command
def _audit_command(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("audit", parents=[common], help="list the report's internal inconsistencies, both places quoted")
    p.add_argument("--json", action="store_true", help="print the findings as JSON (the /v1/audit response)")
    p.set_defaults(handler=_audit)


def _audit(args: argparse.Namespace, settings: Settings) -> int:
    from reportqa.library import audit, load_engine

    findings = audit(load_engine(settings))
    if args.json:
        print_json([f.model_dump(mode="json") for f in findings])
        return 0
    for f in findings:
        print(f"[{f.severity}] {f.kind}: {f.summary}")
        for loc in f.locations:
            print(f"    {loc.section or ''} p.{loc.page}: {loc.quote[:90]}")
    return 0


@command
def _eval_command(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    from evals.runner import add_arguments

    p = sub.add_parser("eval", parents=[common], help="run an eval set (JSONL/JSON/CSV, Ragas columns too) and gate on its metrics")
    add_arguments(p)
    p.set_defaults(handler=_eval)


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from evals.runner import run_from_args

    return run_from_args(args, settings)


@command
def _keys_command(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    from reportqa.store.commands import add_keys_arguments, run_keys

    p = sub.add_parser(
        "keys",
        parents=[common],
        help="create, list and revoke API keys (with none, the API runs in open mode)",
        description="API keys for the HTTP API, stored hashed in the service database (REPORTQA_DB__URL, or "
        "data_dir/reportqa.db). Once a key exists, every /v1/* request needs 'Authorization: Bearer <key>'.",
    )
    add_keys_arguments(p)
    p.set_defaults(handler=run_keys)


@command
def _feedback_command(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    from reportqa.store.commands import add_feedback_arguments, run_feedback

    p = sub.add_parser("feedback", parents=[common], help="export the answers' 👍/👎 feedback as an eval set")
    add_feedback_arguments(p)
    p.set_defaults(handler=run_feedback)


@command
def _bench_command(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    from reportqa.bench import add_arguments

    p = sub.add_parser(
        "bench",
        parents=[common],
        help="measure ask latency in-process and over HTTP, throughput, and llama-index's retriever",
        description="Latency p50/p95 of ask and hybrid search in-process (vs llama-index's own retriever on the same "
        "vectors), over HTTP against a fresh uvicorn server, and throughput at a given concurrency.",
    )
    add_arguments(p)
    p.set_defaults(handler=_bench)


def _bench(args: argparse.Namespace, settings: Settings) -> int:
    from reportqa.bench import run

    return run(args, settings)


@command
def _loadtest_command(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    from reportqa.loadtest import add_arguments

    p = sub.add_parser(
        "loadtest",
        parents=[common],
        help="load-test `reportqa serve` on loopback: answers/s and p50/p95/p99 at several concurrencies",
        description="Start `reportqa serve` (1 and N workers) on a free loopback port and post distinct questions (generated "
        "from the index's tables and sections) and repeated ones at each concurrency for a bounded time; measure the "
        "embedder's own ceiling (one process per core) and, with --soak, the server's RSS under load.",
    )
    add_arguments(p)
    p.set_defaults(handler=_loadtest)


def _loadtest(args: argparse.Namespace, settings: Settings) -> int:
    from reportqa.loadtest import run

    return run(args, settings)


# --------------------------------------------------------------------------- entry point


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", metavar="DIR", help="folder of report .txt files (default: settings.corpus_dir)")
    common.add_argument("--index", metavar="DIR", help="index folder (default: settings.index_dir)")
    parser = argparse.ArgumentParser(prog="reportqa", description="Document-grounded QA over reports, every figure checked.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in _COMMANDS:
        register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; a ReportQAError becomes a one-line message on stderr and exit code 1."""
    from pydantic import ValidationError

    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args, settings_from(args))
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        print(f"reportqa: error: invalid setting {where}: {first.get('msg')} — fix the REPORTQA_ environment variable", file=sys.stderr)
        return 1
    except ReportQAError as err:
        print(f"reportqa: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("reportqa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
