"""The FastAPI application: ``create_app()`` wires settings, the engine, CORS, error handlers and routes.

    uvicorn --factory api.app:create_app      # or: reportqa serve
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from api.errors import install_error_handlers
from api.limits import RequestLimits
from api.routes import router
from reportqa import __version__, library
from reportqa.errors import ReportQAError
from reportqa.library import Engine
from reportqa.settings import Settings, get_settings

logger = logging.getLogger("reportqa.api")

WARM_UP_QUESTION = "warm-up"

DESCRIPTION = """Document-grounded question answering over a report.

Ask in Chinese or English and get the figure with its unit, where it comes from (section, page,
table cell) and a check of every number — or `answerable: false` when the report does not say.
Every error is `{"detail": "..."}` saying what went wrong and what to send instead.
"""


def _load(settings: Settings) -> Engine:
    engine = library.load_engine(settings, build_if_missing=True)
    _warm_up(engine)
    return engine


def _warm_up(engine: Engine) -> None:
    """Run one question through the whole pipeline so lazy loads (model, tokenizer) happen before traffic."""
    try:
        library.ask(WARM_UP_QUESTION, engine)
    except Exception:  # warm-up is best effort; real requests report their own errors
        logger.warning("warm-up question failed", exc_info=True)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """The ReportQA API. Loads (building if missing) the index at start-up unless an ``engine`` is given.

    If loading fails with a ReportQAError the app still starts: /healthz answers, and /readyz and the
    /v1 routes answer 503 with the error's fix-it message.
    """
    settings = settings or (engine.settings if engine else get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.engine is None:
            try:
                app.state.engine = await run_in_threadpool(_load, settings)
                app.state.load_error = None
            except ReportQAError as err:
                logger.error("index not loaded: %s", err)
                app.state.load_error = err
        yield

    # FastAPIOffline: /docs and /redoc load Swagger UI and ReDoc from the package, not from a CDN.
    app = FastAPIOffline(title="ReportQA", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.load_error = None
    app.add_middleware(RequestLimits, settings=settings.api)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.api.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
    )
    install_error_handlers(app)
    app.include_router(router)
    return app
