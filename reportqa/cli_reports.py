"""``reportqa`` commands about the reports themselves and their index: ``index``, ``tables``, ``sections``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from reportqa.cli_base import SubParsers, command, print_json, warn
from reportqa.records import Document, Section, Table
from reportqa.settings import Settings

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
