"""``reportqa serve``: claim the port, check the index, then run uvicorn while the index loads (or builds) in the background.

Order matters for an operator:
1. the port is bound first, so a port in use fails at once (one line naming ``--port``), before any build;
2. an index that exists is verified before the server starts: a corrupt one (or one built with another
   embedder) fails here with one line naming the repair — there is no last good index to serve;
3. uvicorn starts on the bound socket: /healthz answers at once; a missing index is built in a child
   process with every core while /readyz reports the progress; SIGHUP reloads the index on disk.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import socket
from typing import Any

from reportqa.errors import PortInUse, ReportQAError
from reportqa.settings import Settings, get_settings

logger = logging.getLogger("reportqa.service")


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``; PortInUse naming --port when it is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise PortInUse(f"port {port} on {host} is already in use — stop the other server or pick a free port with --port (or REPORTQA_API__PORT)") from None
        raise ReportQAError(f"cannot listen on {host}:{port} ({err.strerror}) — choose another --host/--port") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def preflight(settings: Settings) -> None:
    """Refuse what cannot be served: an index that is corrupt or built with another embedder, or — when the index
    is missing and must be built — a corpus without one readable report. Cheap: no model is loaded."""
    from indexer.integrity import verify_contents, verify_files
    from indexer.store import check_index

    index_dir = settings.index_dir
    if not index_dir.exists() or not any(index_dir.iterdir()):
        _check_corpus(settings)
        return
    manifest = check_index(settings, allow_stale=True)  # IndexCorrupt / IndexMismatch with the repair
    verify_files(index_dir, manifest)
    verify_contents(index_dir, manifest)


def _check_corpus(settings: Settings) -> None:
    """CorpusNotFound / CorpusFormatError (every file named with its fix) unless at least one report is readable."""
    from indexer.source import read_report
    from indexer.store import corpus_files
    from reportqa.errors import CorpusFormatError

    reasons = []
    for path in corpus_files(settings.corpus_dir):
        try:
            read_report(path)
            return
        except CorpusFormatError as err:
            reasons.append(str(err))
    raise CorpusFormatError(f"no readable report in {settings.corpus_dir}: {'; '.join(reasons)}")


def configure_logging() -> None:
    """Our progress and warnings in uvicorn's format on stderr."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
    for name in ("reportqa.service", "reportqa.index", "reportqa.api"):
        log = logging.getLogger(name)
        if not log.handlers:
            log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def serve(host: str | None = None, port: int | None = None, settings: Settings | None = None, *,
          access_log: bool = False, workers: int | None = None) -> None:
    """Serve the API on ``host:port`` (default ``api.host``/``api.port``) with ``workers`` uvicorn processes.

    The port is bound first (a port in use fails before any build). One worker answers at once and loads (or
    builds, in a child with every core) the index in the background. With more workers the index is built here
    if missing, then each worker process loads the same read-only index folder itself.
    """
    from indexer.background import limit_query_threads

    limit_query_threads()  # before the embedder's library loads; index builds run in a child with every core
    import uvicorn

    from api.app import create_app
    from api.protocol import APP_FACTORY, server_config, uvicorn_options

    settings = settings or get_settings()
    host = host if host is not None else settings.api.host
    port = port if port is not None else settings.api.port
    workers = workers or settings.api.workers
    sock = bind(host, port)
    try:
        preflight(settings)
        configure_logging()
        if workers == 1:
            app = create_app(settings)
            server = uvicorn.Server(server_config(app, settings, host=host, port=port, log_level="info", access_log=access_log))
            _reload_on_sighup(app)
            logger.info("listening on http://%s:%d — /healthz is up; /readyz turns 200 when the index is loaded", host, sock.getsockname()[1])
            server.run(sockets=[sock])
            return
    finally:
        sock.close()
    from indexer.store import (
        index_exists,  # after limit_query_threads: nothing loads the embedder before it
    )
    from reportqa import library
    from reportqa.bench_http import settings_env

    if not index_exists(settings):  # build once here, not in N workers at once
        library.build_index(settings, progress=True)
    os.environ.update(settings_env(settings))  # workers build their settings from the environment and load the index
    uvicorn.run(APP_FACTORY, factory=True, workers=workers, host=host, port=port, log_level="info",
                access_log=access_log, **uvicorn_options(settings))


def _reload_on_sighup(app: Any) -> None:
    """``kill -HUP <pid>`` reloads the index on disk (same as POST /v1/admin/reload), without blocking the event loop."""
    signal.signal(signal.SIGHUP, lambda signum, frame: app.state.service.reload_in_background())
