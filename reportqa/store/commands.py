"""``reportqa keys create|list|revoke`` and ``reportqa feedback export``: argument parsers and handlers."""

from __future__ import annotations

import argparse
import json

from typing import TYPE_CHECKING

from reportqa.settings import Settings
from reportqa.store import SCOPES

if TYPE_CHECKING:
    from reportqa.store.keys import ApiKey


def add_keys_arguments(parser: argparse.ArgumentParser) -> None:
    """``keys create NAME [--scope admin]``, ``keys list [--json]``, ``keys revoke NAME|ID``."""
    sub = parser.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    create = sub.add_parser("create", help="create a key and print it once (only its hash is stored)")
    create.add_argument("name", help="who or what uses the key, e.g. portal-prod (unique, never reused)")
    create.add_argument("--scope", action="append", default=[], choices=SCOPES, help="extra right; 'admin' allows /v1/admin/* (repeatable)")
    listing = sub.add_parser("list", help="list keys: id, name, prefix, scopes, created, last used, revoked")
    listing.add_argument("--json", action="store_true", help="print the keys as JSON")
    revoke = sub.add_parser("revoke", help="revoke a key by name or id (takes effect within auth.cache_seconds)")
    revoke.add_argument("key", metavar="NAME|ID", help="the key's name or id, as `reportqa keys list` shows")


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else "-"  # type: ignore[attr-defined]


def _line(k: ApiKey) -> str:
    state = f"revoked {_when(k.revoked_at)}" if k.revoked_at else "active"
    return (f"{k.id:>4}  {k.name:<24} {k.prefix}…  scopes={','.join(k.scopes) or '-'}  "
            f"created {_when(k.created_at)}  last used {_when(k.last_used_at)}  {state}")


def run_keys(args: argparse.Namespace, settings: Settings) -> int:
    """Create, list or revoke API keys in the service database."""
    from reportqa.store.db import database_for, database_url
    from reportqa.store.keys import create_key, list_keys, revoke_key

    db = database_for(settings)
    if args.keys_command == "create":
        record, key = create_key(db, args.name, args.scope)
        print(key)
        scopes = f" with scope {','.join(record.scopes)}" if record.scopes else ""
        print(f"created key {record.name!r} (id {record.id}){scopes} in {database_url(settings).split('@')[-1]} — "
              "store it now, it is not shown again; send it as 'Authorization: Bearer <key>'")
        return 0
    if args.keys_command == "list":
        keys = list_keys(db)
        if args.json:
            print(json.dumps([k.model_dump(mode="json") for k in keys], ensure_ascii=False, indent=2))
        elif not keys:
            print("no keys — the service runs in open mode; `reportqa keys create NAME` creates one")
        for k in keys if not args.json else []:
            print(_line(k))
        return 0
    record = revoke_key(db, args.key)
    print(f"revoked key {record.name!r} (id {record.id}) at {_when(record.revoked_at)} UTC")
    return 0


def add_feedback_arguments(parser: argparse.ArgumentParser) -> None:
    """``feedback export OUT.jsonl``."""
    sub = parser.add_subparsers(dest="feedback_command", required=True, metavar="ACTION")
    export = sub.add_parser("export", help="write all feedback as an eval set (JSONL) that `reportqa eval` reads")
    export.add_argument("out", metavar="OUT.jsonl", help="file to write (replaced atomically)")


def run_feedback(args: argparse.Namespace, settings: Settings) -> int:
    """Export feedback as eval JSONL."""
    from reportqa.store.db import database_for
    from reportqa.store.feedback import export_feedback

    n = export_feedback(database_for(settings), args.out)
    print(f"wrote {n} item(s) to {args.out} — run `reportqa eval {args.out}`" if n else
          f"no feedback stored yet — wrote an empty {args.out}")
    return 0
