"""Where a report's own data lives in the corpus folder: ``<stem>.txt`` and, beside it, ``<stem>.glossary.tsv``.

A report's vocabulary (its rows, terms, English names) sits next to the report, so adding a report means
adding its files, never code. ``glossary_files`` also takes one optional extra glossary (REPORTQA_GLOSSARY)
that applies to every report.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

GLOSSARY_SUFFIX = ".glossary.tsv"


def glossary_beside(report: Path) -> Path:
    """The glossary file of a report: 'corpus/x.txt' → 'corpus/x.glossary.tsv' (may not exist)."""
    return report.with_name(report.stem + GLOSSARY_SUFFIX)


def glossary_files(corpus_dir: Path, extra: Path | None = None) -> list[tuple[str | None, Path]]:
    """(doc id, path) of every existing report glossary in ``corpus_dir``, sorted, then (None, extra) if given."""
    folder = Path(corpus_dir)
    reports = sorted(p for p in folder.glob("*.txt") if p.is_file()) if folder.is_dir() else []
    found: list[tuple[str | None, Path]] = [(p.stem, g) for p in reports if (g := glossary_beside(p)).is_file()]
    if extra is not None:
        found.append((None, Path(extra)))
    return found


def glossary_hashes(corpus_dir: Path, extra: Path | None = None) -> dict[str, str]:
    """File name → sha256 of every glossary an index over ``corpus_dir`` uses (a missing extra file hashes as '')."""
    out: dict[str, str] = {}
    for _, path in glossary_files(corpus_dir, extra):
        out[path.name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    return out
