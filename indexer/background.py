"""Build the index in a child process with every core, reporting progress as JSON lines.

A server answers each query with one OpenMP thread (``limit_query_threads``, before the embedder loads):
OpenMP's spinning threads otherwise fight the event loop and the other requests for the cores. That
setting is fixed once the embedder's library has started, so a build inside the server would run on
one thread (~2× slower on 2 cores). ``build_in_subprocess`` runs ``reportqa index`` logic in a child
whose environment has the thread setting the user had before (none: OpenMP uses every core).

Child protocol: the parent writes the settings as JSON on stdin; the child writes one JSON object per
line on stdout — ``{"progress": BuildProgress}``, then ``{"manifest": Manifest}`` or ``{"error": {"type", "message"}}``.
Its log (what it skips, what it reuses) goes to the parent's stderr.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Callable

from reportqa import errors
from reportqa.errors import ReportQAError
from reportqa.records import BuildProgress, Manifest
from reportqa.settings import PROJECT_ROOT, Settings

logger = logging.getLogger("reportqa.index")

QUERY_OMP_THREADS = "1"
_UNSET = object()
_omp_before: object = _UNSET  # OMP_NUM_THREADS before limit_query_threads() (None: it was not set)


def limit_query_threads() -> None:
    """One OpenMP thread per query in this process unless OMP_NUM_THREADS is set already (call before the embedder loads)."""
    global _omp_before
    if _omp_before is _UNSET:
        _omp_before = os.environ.get("OMP_NUM_THREADS")
    os.environ.setdefault("OMP_NUM_THREADS", QUERY_OMP_THREADS)


def build_environment() -> dict[str, str]:
    """The environment for a build: this process's, with OMP_NUM_THREADS as it was before ``limit_query_threads``."""
    env = dict(os.environ)
    if _omp_before is None:
        env.pop("OMP_NUM_THREADS", None)
    elif isinstance(_omp_before, str):
        env["OMP_NUM_THREADS"] = _omp_before
    return env


class BuildProcess:
    """A running child build; ``wait`` streams its progress and returns the manifest (or raises its error)."""

    def __init__(self, settings: Settings, *, force: bool = False) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "indexer.background", *(["--force"] if force else [])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=build_environment(),
            cwd=PROJECT_ROOT,
            text=True,
            encoding="utf-8",
        )
        assert self.proc.stdin is not None
        self.proc.stdin.write(settings.model_dump_json())
        self.proc.stdin.close()

    def wait(self, on_progress: Callable[[BuildProgress], None] | None = None) -> Manifest:
        """Read the child's lines until it exits; the Manifest on success, its ReportQAError otherwise."""
        assert self.proc.stdout is not None
        result: dict | None = None
        for line in self.proc.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue  # not ours (a library printing to stdout)
            if "progress" in message and on_progress is not None:
                on_progress(BuildProgress.model_validate(message["progress"]))
            elif "manifest" in message or "error" in message:
                result = message
        code = self.proc.wait()
        if result and "manifest" in result:
            return Manifest.model_validate(result["manifest"])
        if result and "error" in result:
            cls = getattr(errors, result["error"]["type"], ReportQAError)
            raise (cls if isinstance(cls, type) and issubclass(cls, ReportQAError) else ReportQAError)(result["error"]["message"])
        raise ReportQAError(f"the index build stopped (exit code {code}) — see the log above, or run `reportqa index` to see the error")

    def stop(self) -> None:
        """Stop the child (it removes its temp folder) and reap it."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _emit(message: dict) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # unwinds through the build's `finally`, which removes the temp folder


def main(argv: list[str]) -> int:
    """The child: build with the settings read from stdin, report progress and the outcome on stdout."""
    from indexer.store import build_index

    signal.signal(signal.SIGTERM, _terminate)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("INFO:     index build: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    settings = Settings.model_validate_json(sys.stdin.read())
    try:
        manifest = build_index(settings, force="--force" in argv, on_progress=lambda p: _emit({"progress": p.model_dump()}))
    except ReportQAError as err:
        _emit({"error": {"type": type(err).__name__, "message": str(err)}})
        return 1
    except KeyboardInterrupt:
        return 130
    _emit({"manifest": manifest.model_dump(mode="json")})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
