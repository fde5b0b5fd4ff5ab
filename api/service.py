"""The engine's life cycle in a running service: first load (building a missing index), readiness, hot reload.

States: ``starting`` → (``building`` →) ``loading`` → ``ready``; ``failed`` when there is nothing to serve.
- A missing index is built in a child process with every core (``indexer.background``) while the port
  already answers: /healthz 200, /readyz 503 with the build's progress, /v1 503 with Retry-After.
- An intact index is served even when the corpus changed since its build (a stray bad file never takes
  it down); /readyz lists what an operator should fix (``warnings``).
- ``reload()`` verifies and loads the index on disk beside the serving one and swaps the reference:
  requests in flight finish on the engine they started with; a failed reload keeps the old engine.
"""

from __future__ import annotations

import gc
import logging
import math
import threading
import time
from typing import Literal

from reportqa import library
from reportqa.errors import ReportQAError
from reportqa.library import Engine
from reportqa.records import BuildProgress, IndexWarning
from reportqa.settings import Settings

logger = logging.getLogger("reportqa.service")

State = Literal["starting", "building", "loading", "ready", "failed"]
LOADING_RETRY_S = 5
WARM_UP_QUESTION = "warm-up"


def freeze_heap() -> None:
    """Put every object alive now (the engine just loaded: index, parsed reports, views) out of the cyclic
    collector's sight (``gc.freeze``).

    The engine is read-only until the next reload, yet each full collection walked its ~200,000 objects, and the
    allocations of fresh answers set collections off often enough to cost ~0.2 CPU-ms an answer. The engine needs
    no collector to be freed: a reload drops the old one by reference counting once its last request finishes, and
    first gives the frozen objects back (``gc.unfreeze``) so whatever garbage they hold is collected.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class ReloadFailed(ReportQAError):
    """A reload could not load the index on disk; the service keeps the engine it had."""

    status_code = 409


class Service:
    """Holds the serving engine and says whether the service is ready; thread-safe."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine: Engine | None = engine
        self.state: State = "ready" if engine is not None else "starting"
        self.progress: BuildProgress | None = None
        self.error: ReportQAError | None = None
        self.warnings: list[IndexWarning] = self._warnings(engine) if engine is not None else []
        self.reload_error: str | None = None
        self._reload_lock = threading.Lock()
        self._build = None
        self._stopped = threading.Event()
        self._last_log = 0.0

    # ----------------------------------------------------------------- first load

    def start(self) -> threading.Thread | None:
        """Load (building first if missing) in a background thread; None when an engine was given."""
        if self.engine is not None:
            return None
        thread = threading.Thread(target=self._first_load, name="reportqa-first-load", daemon=True)
        thread.start()
        return thread

    def _first_load(self) -> None:
        from indexer.store import index_exists

        try:
            if not index_exists(self.settings):
                self._build_missing_index()
            if self._stopped.is_set():
                return
            self.state = "loading"
            logger.info("loading %s/: verifying every file against its sha256, then loading the model", self.settings.index_dir)
            self._swap(self._load())
        except ReportQAError as err:
            self.error, self.state = err, "failed"
            if not self._stopped.is_set():  # a build stopped by shutdown is not an error to report
                logger.error("index not loaded: %s", err)
        except Exception as err:  # noqa: BLE001 - a bug: report it on /readyz rather than die silently
            self.error, self.state = ReportQAError(f"loading failed ({type(err).__name__}: {err}) — see the log"), "failed"
            logger.exception("index not loaded")

    def _build_missing_index(self) -> None:
        from indexer.background import BuildProcess

        self.state = "building"
        logger.info("%s/ is missing: building it from %s/ in a child process with every core; "
                    "/readyz answers 503 with the progress until it is ready", self.settings.index_dir, self.settings.corpus_dir)
        self._build = BuildProcess(self.settings)
        try:
            manifest = self._build.wait(self._on_progress)
        finally:
            self._build = None
        logger.info("index built: build %s, %d chunks in %.1f s", manifest.build_id, manifest.chunks, manifest.build_seconds)

    def _on_progress(self, progress: BuildProgress) -> None:
        first_embedding = progress.stage == "embedding" and (self.progress is None or self.progress.stage != "embedding")
        self.progress = progress
        now = time.monotonic()
        if first_embedding and progress.to_embed:
            logger.info("embedding %d chunks (%d reused) — expect ~%.0f s in all", progress.to_embed,
                        progress.chunks - progress.to_embed, progress.expected_s or 0)
        elif progress.stage == "embedding" and progress.embedded and now - self._last_log >= 5:
            logger.info("embedded %d/%d chunks (%.0f s elapsed, ~%.0f s left)", progress.embedded, progress.to_embed,
                        progress.elapsed_s, max((progress.expected_s or 0) - progress.elapsed_s, 0))
        else:
            return
        self._last_log = now

    def _load(self) -> Engine:
        """Verify and load the index on disk (an intact index is served even if the corpus changed since), warmed up."""
        engine = library.load_engine(self.settings, allow_stale=True)
        try:
            library.ask(WARM_UP_QUESTION, engine)  # lazy loads (model, tokenizer) happen before traffic
        except Exception:  # noqa: BLE001 - warm-up is best effort; real requests report their own errors
            logger.warning("warm-up question failed", exc_info=True)
        return engine

    def _warnings(self, engine: Engine) -> list[IndexWarning]:
        try:
            return library.index_warnings(engine)
        except Exception as err:  # noqa: BLE001 - warnings must never take readiness down
            return [IndexWarning(detail=f"could not inspect the corpus ({type(err).__name__}: {err})")]

    def _swap(self, engine: Engine) -> None:
        warnings = self._warnings(engine)
        self.engine, self.warnings, self.error, self.progress = engine, warnings, None, None
        freeze_heap()
        self.state = "ready"
        m = engine.manifest
        logger.info("ready: build %s (%d chunks, %s)%s", m.build_id, m.chunks, m.embedder,
                    f" with {len(warnings)} warning(s)" if warnings else "")
        for w in warnings:
            logger.warning("%s", w.detail)

    # ----------------------------------------------------------------- reload

    def reload(self) -> tuple[str | None, Engine]:
        """Verify and load the index on disk, then swap it in; (previous build id, new engine). ReloadFailed keeps the old engine."""
        if self.state in ("starting", "building", "loading"):
            raise ReloadFailed(f"the service is still {self.state} its first index — wait until /readyz answers 200, then reload")
        with self._reload_lock:
            previous = self.engine.manifest.build_id if self.engine is not None else None
            try:
                engine = self._load()
            except ReportQAError as err:
                keeping = f"still serving build {previous}" if previous else "nothing is served yet"
                self.reload_error = f"reload failed: {err}; {keeping}"
                logger.error("%s", self.reload_error)
                raise ReloadFailed(self.reload_error) from err
            self.reload_error = None
            self._swap(engine)
            logger.info("reloaded: build %s (was %s)", engine.manifest.build_id, previous)
            return previous, engine

    def reload_in_background(self) -> None:
        """Reload without blocking the caller (SIGHUP); the outcome goes to the log and /readyz."""

        def run() -> None:
            try:
                self.reload()
            except ReportQAError:
                pass  # logged and kept in reload_error
            except Exception:  # noqa: BLE001
                logger.exception("reload failed")

        threading.Thread(target=run, name="reportqa-reload", daemon=True).start()

    def stop(self) -> None:
        """Stop a build in progress (server shutdown)."""
        self._stopped.set()
        build = self._build
        if build is not None:
            build.stop()

    # ----------------------------------------------------------------- readiness

    def all_warnings(self) -> list[IndexWarning]:
        """Corpus warnings plus the last failed reload, if any."""
        return self.warnings + ([IndexWarning(detail=self.reload_error)] if self.reload_error else [])

    def retry_after(self) -> int | None:
        """Seconds a client should wait before retrying (None when waiting will not help)."""
        if self.state == "building" and self.progress and self.progress.expected_s:
            return max(1, min(60, math.ceil(self.progress.expected_s - self.progress.elapsed_s)))
        if self.state in ("starting", "building", "loading"):
            return LOADING_RETRY_S
        return None

    def not_ready_detail(self) -> str:
        """Why requests cannot be answered now, and what to do."""
        if self.state == "failed" and self.error is not None:
            return str(self.error)
        if self.state == "building":
            p = self.progress
            done = f" ({p.embedded}/{p.to_embed} chunks embedded, {p.elapsed_s:.0f} s elapsed)" if p and p.stage == "embedding" else ""
            return f"the index is being built{done} — retry after {self.retry_after()} s; /readyz shows the progress"
        return f"the index is loading — retry after {LOADING_RETRY_S} s"
