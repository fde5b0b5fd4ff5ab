"""Loaded resources reach routes through these dependencies, so tests can swap them (``app.dependency_overrides``).

Both are ``async def`` on purpose: a plain ``def`` dependency costs a thread-pool hop on every request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from reportqa.errors import ReportQAError
from reportqa.library import Engine
from reportqa.settings import Settings

NOT_LOADED = "the index is not loaded — run `reportqa index`, then restart `reportqa serve`"


async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings


async def get_engine(request: Request) -> Engine:
    """The engine loaded at start-up; 503 with the load error's fix-it message when there is none."""
    engine: Engine | None = request.app.state.engine
    if engine is None:
        error: ReportQAError | None = request.app.state.load_error
        raise HTTPException(status_code=503, detail=str(error) if error else NOT_LOADED)
    return engine


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
