"""The FastAPI application: ``create_app()`` wires settings, the engine, CORS, error handlers and routes.

    uvicorn --factory api.app:create_app      # or: reportqa serve
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from api.access import EXPOSED_HEADERS, REQUEST_HEADERS, install_access
from api.chat import router as chat_router
from api.errors import install_error_handlers
from api.limits import RequestLimits
from api.routes import router
from api.service import Service
from api.threads import AnswerThreads
from api.web import install_cors, install_web
from reportqa import __version__
from reportqa.library import Engine
from reportqa.settings import Settings, get_settings

logger = logging.getLogger("reportqa.api")

DESCRIPTION = """Document-grounded question answering over a report.

Ask in Chinese or English and get the figure with its unit, where it comes from (section, page,
table cell) and a check of every number — or `answerable: false` when the report does not say.
Every error is `{"detail": "..."}` saying what went wrong and what to send instead.
"""


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """The ReportQA API. Without an ``engine`` it loads the index at start-up in the background (building it if missing).

    The port answers at once: /healthz 200; /readyz and the /v1 routes answer 503 (with the build's progress
    and Retry-After) until the index is ready, or with the load error's fix-it message if it cannot be loaded.
    """
    settings = settings or (engine.settings if engine else get_settings())
    # FastAPIOffline: /docs and /redoc load Swagger UI and ReDoc from the package, not from a CDN.
    app = FastAPIOffline(title="ReportQA", version=__version__, description=DESCRIPTION, lifespan=_service_lifespan)
    app.state.settings = settings
    app.state.service = Service(settings, engine)
    app.state.answer_threads = AnswerThreads()  # library calls run here (api/threads.py)
    install_access(app, settings)  # request ids, metrics, access log, API keys, rate limits, /v1/feedback, /metrics
    install_cors(app, settings.api.cors_origins, REQUEST_HEADERS, EXPOSED_HEADERS)
    app.add_middleware(RequestLimits, settings=settings.api)  # added last = outermost: bounds every request first
    install_error_handlers(app)
    app.include_router(router)
    app.include_router(chat_router)
    install_web(app, settings.api.cors_origins)
    return app


@asynccontextmanager
async def _service_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start loading (or building) the index in the background; stop a build still running at shutdown."""
    service: Service = app.state.service
    service.start()
    app.state.started = True
    try:
        yield
    finally:
        service.stop()
        app.state.answer_threads.shutdown()
