"""Library calls off the event loop: each app's own thread pool, handed work with asyncio's ``run_in_executor``.

An answer is CPU-bound (the query embedding releases the GIL while it computes), so it must not run on the
event loop. Starlette's ``run_in_threadpool`` (anyio's worker threads) costs more on the loop for each call: a
capacity limiter, a cancel scope and a pure-Python ``queue.Queue`` whose ``Condition`` the loop notifies and
the worker waits on, under the GIL the answers share. A ``ThreadPoolExecutor`` hands work over through a C
``SimpleQueue`` and reports back with one ``call_soon_threadsafe``. Context variables (the request id) are
copied into the thread, as anyio does. Like anyio's default limiter, at most ``MAX_THREADS`` calls run at once
(``api.max_concurrency`` bounds the requests in flight before that).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from starlette.requests import HTTPConnection

T = TypeVar("T")
MAX_THREADS = 40  # anyio's default for run_in_threadpool


class AnswerThreads:
    """One app's thread pool for library calls (``app.state.answer_threads``): threads start on first use;
    ``shutdown()`` (the app's shutdown) lets them go, and a later call (the app started again) starts new ones."""

    def __init__(self, max_threads: int = MAX_THREADS) -> None:
        self.max_threads = max_threads
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def executor(self) -> ThreadPoolExecutor:
        """The running pool (started now if there is none)."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=self.max_threads, thread_name_prefix="reportqa-answer")
            return self._executor

    def shutdown(self) -> None:
        """Let the threads go once their calls finish (without waiting for them)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False)


async def run_sync(connection: HTTPConnection, func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``func(*args, **kwargs)`` in the app's thread pool, awaited without blocking the event loop."""
    threads: AnswerThreads = connection.app.state.answer_threads
    call = functools.partial(contextvars.copy_context().run, func, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(threads.executor(), call)
