"""Loaded resources reach routes through these dependencies, so tests can swap them (``app.dependency_overrides``).

Both are ``async def`` on purpose: a plain ``def`` dependency costs a thread-pool hop on every request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.service import Service
from reportqa.library import Engine
from reportqa.settings import Settings

NOT_LOADED = "the index is not loaded — run `reportqa index`, then restart `reportqa serve`"


async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings


async def get_service(request: Request) -> Service:
    """The engine's life cycle (first load, readiness, reload)."""
    return request.app.state.service


def not_ready(request: Request) -> HTTPException:
    """The 503 for a request that needs an engine before one is loaded: what is happening, Retry-After when waiting helps."""
    service: Service = request.app.state.service
    if service.state == "starting" and not getattr(request.app.state, "started", False):
        return HTTPException(status_code=503, detail=NOT_LOADED)  # the app's start-up (lifespan) never ran
    retry = service.retry_after()
    return HTTPException(status_code=503, detail=service.not_ready_detail(), headers={"Retry-After": str(retry)} if retry else None)


async def get_engine(request: Request) -> Engine:
    """The engine serving now (each request keeps the one it started with across a reload); else ``not_ready``'s 503."""
    engine = request.app.state.service.engine
    if engine is None:
        raise not_ready(request)
    return engine


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[Service, Depends(get_service)]
EngineDep = Annotated[Engine, Depends(get_engine)]
