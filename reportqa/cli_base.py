"""What every ``reportqa`` subcommand module shares: the ``@command`` registry, settings from ``--corpus`` /
``--index``, JSON and warning output.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def warn(message: str) -> None:
    """A one-line warning on stderr."""
    print(f"reportqa: warning: {message}", file=sys.stderr)
