"""``reportqa serve``: load the engine (building the index first if it is missing), then run uvicorn."""

from __future__ import annotations

from reportqa import library
from reportqa.settings import Settings, get_settings


def serve(host: str | None = None, port: int | None = None, settings: Settings | None = None) -> None:
    """Serve the API on ``host:port`` (default ``api.host``/``api.port``) with one uvicorn worker.

    The engine is loaded before the server starts, so a broken index fails here with a ReportQAError
    (one-line fix-it message for the CLI) instead of a server that is never ready.
    """
    import uvicorn

    from api.app import create_app

    settings = settings or get_settings()
    engine = library.load_engine(settings, build_if_missing=True)
    uvicorn.run(create_app(settings, engine), host=host or settings.api.host, port=port or settings.api.port,
                workers=1, log_level="info")
