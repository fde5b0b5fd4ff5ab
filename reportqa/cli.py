"""The ``reportqa`` command line: thin calls into the library, errors as one line on stderr (exit 1).

Adding a subcommand is one function decorated with ``@command`` that adds its parser and sets ``handler``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportqa.errors import ReportQAError
from reportqa.records import Document, Section, Table
from reportqa.settings import Settings, get_settings

SubParsers = Any  # argparse._SubParsersAction (private type)
Handler = Callable[[argparse.Namespace, Settings], int]

_COMMANDS: list[Callable[[SubParsers, argparse.ArgumentParser], None]] = []


def command(register: Callable[[SubParsers, argparse.ArgumentParser], None]) -> Callable[[SubParsers, argparse.ArgumentParser], None]:
    """Register a subcommand: ``register(subparsers, common)`` adds a parser (``parents=[common]``) with ``handler`` set."""
    _COMMANDS.append(register)
    return register


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings, with ``--corpus`` / ``--index`` applied."""
    settings = get_settings()
    update: dict[str, Path] = {}
    if getattr(args, "corpus", None):
        update["corpus_dir"] = Path(args.corpus)
    if getattr(args, "index", None):
        update["index_dir"] = Path(args.index)
    return settings.model_copy(update=update) if update else settings


def print_json(data: Any) -> None:
    """Pretty JSON on stdout, Chinese kept readable."""
    print(json.dumps(data, ensure_ascii=False, indent=2))


# --------------------------------------------------------------------------- index


@command
def _index_command(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "index",
        parents=[common],
        help="parse the reports and build the search index",
        description="Parse every *.txt report in the corpus folder, chunk, embed and build the dense (FAISS) + "
        "sparse (BM25) index. The new index replaces the old one only when complete. Nothing is done when "
        "the corpus, embedder, chunk settings and code are unchanged and every file of the index still has the "
        "sha256 its manifest records; a corrupt index is rebuilt. A report that cannot be read (empty, binary, "
        "GBK, no headings) is skipped with a warning naming it and the fix.",
    )
    p.add_argument("--force", action="store_true", help="rebuild even if the index is up to date (re-embeds only what it cannot verify)")
    p.add_argument("--check", action="store_true", help="verify the index (checksums, records, vectors) without loading the model; exit 1 unless intact and current")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=run_index)


def warn(message: str) -> None:
    """A one-line warning on stderr."""
    print(f"reportqa: warning: {message}", file=sys.stderr)


def run_index(args: argparse.Namespace, settings: Settings) -> int:
    """Build the index (or only verify it with --check) and print a summary; bad reports are skipped with a warning."""
    from reportqa.library import build_index, index_status

    status = index_status(settings)
    if args.check:
        for w in status.warnings:
            warn(w.detail)
        if status.state != "current":
            print(f"reportqa: error: {status.detail}", file=sys.stderr)
            return 1
        print(status.detail)
        return 0
    if status.state == "corrupt":
        warn(f"{status.detail.split(' — ')[0]} — rebuilding it, reusing only vectors that verify")
    m = build_index(settings, force=args.force or status.state == "corrupt", progress=not args.quiet)
    for name, skipped in m.skipped.items():
        warn(f"skipped {Path(settings.corpus_dir) / name}: {skipped.reason}")
    if status.state == "current" and not args.force and status.manifest is not None and status.manifest.built_at == m.built_at:
        print(f"index is up to date (build {m.build_id}, {m.chunks} chunks, {m.embedder}) — nothing to do; --force rebuilds")
        return 0
    print(
        f"indexed {len(m.corpus)} report(s): {m.chunks} chunks ({m.tables} tables, {m.rows} rows) "
        f"with {m.embedder} ({m.dim}-d)\nbuild {m.build_id} in {m.build_seconds:.1f} s → {settings.index_dir}"
    )
    return 0


# --------------------------------------------------------------------------- tables / sections

_SOURCE_NOTE = (
    "Reads the parsed reports from the index when it is built and current; otherwise parses the corpus "
    "directly (cheap, no index or model needed)."
)


@command
def _tables_command(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "tables",
        parents=[common],
        help="list the report tables (--json: full typed data)",
        description="List every table: id, caption, section, page, columns, rows with typed cells, source, notes and "
        "arithmetic checks. " + _SOURCE_NOTE,
    )
    p.add_argument("--json", action="store_true", help="print the tables as JSON (a list of Table records plus 'doc')")
    p.set_defaults(handler=run_tables)


def run_tables(args: argparse.Namespace, settings: Settings) -> int:
    """Print the tables of every report."""
    from indexer.store import read_documents

    docs = read_documents(settings)
    if args.json:
        print_json([{"doc": d.doc_id, **t.model_dump(mode="json")} for d in docs for t in d.tables])
        return 0
    for d in docs:
        for t in d.tables:
            print(_table_line(d, t))
    return 0


def _table_line(doc: Document, t: Table) -> str:
    statuses = [c.status for c in t.checks]
    checks = ", ".join(f"{statuses.count(s)} {s}" for s in ("exact", "within_rounding", "mismatch") if statuses.count(s))
    where = " > ".join(t.section_path) or (t.section_id or "?")
    page = f"p.{t.page}" if t.page is not None else "p.?"
    return f"{doc.doc_id}  {t.id}  {t.caption}  [{page}; {where}]  {len(t.rows)} rows × {len(t.columns)} columns; checks: {checks or 'none'}"


@command
def _sections_command(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "sections",
        parents=[common],
        help="show the heading tree (--json: with pages and offsets)",
        description="Show each report's heading tree with pages and source offsets. " + _SOURCE_NOTE,
    )
    p.add_argument("--json", action="store_true", help="print the tree as JSON (Section records plus 'doc' and 'children')")
    p.set_defaults(handler=run_sections)


def section_tree(doc: Document) -> list[dict[str, Any]]:
    """The doc's sections as nested dicts: each Section's fields plus 'doc' and 'children'."""
    nodes = {s.id: {"doc": doc.doc_id, **s.model_dump(mode="json"), "children": []} for s in doc.sections}
    roots: list[dict[str, Any]] = []
    for s in doc.sections:
        parent = nodes.get(s.parent) if s.parent else None
        (parent["children"] if parent is not None else roots).append(nodes[s.id])
    return roots


def run_sections(args: argparse.Namespace, settings: Settings) -> int:
    """Print the heading tree of every report."""
    from indexer.store import read_documents

    docs = read_documents(settings)
    if args.json:
        print_json([node for d in docs for node in section_tree(d)])
        return 0
    for d in docs:
        print(f"{d.doc_id}  {d.title}")
        for s in d.sections:
            print(f"{'  ' * s.level}{s.heading}  {_pages(s)}  [{s.id}]")
    return 0


def _pages(s: Section) -> str:
    if s.page is None:
        return "p.?"
    return f"p.{s.page}" if s.page_end in (None, s.page) else f"p.{s.page}–{s.page_end}"


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
    p.add_argument("question", help="e.g. '2022年共享住宿规模' or 'How much direct financing was raised in 2022?'")
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
    p.add_argument("turns", nargs="+", metavar="TURN", help="user messages in order, e.g. '2022年共享住宿规模' '那2021年呢？'")
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
    p.add_argument("text", help="text to check, e.g. '2022年共享住宿交易额为125亿元'; '-' reads standard input")
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
