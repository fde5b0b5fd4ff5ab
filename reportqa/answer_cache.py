"""Repeated questions: a bounded LRU of answers keyed on (normalised question, top_k, index build id).

Two questions that normalise alike (NFKC, whitespace collapsed) are the same question, so a repeat is
answered from memory. The build id in the key means an answer never outlives the index it came from.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from reportqa.records import Answer

Key = tuple[str, int, str]


class AnswerCache:
    """A thread-safe LRU of at most ``size`` answers (``size`` 0: nothing is kept)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[Key, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: Key) -> Answer | None:
        """The stored answer (shared: callers get a copy from ``library.ask``), or None."""
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: Key, answer: Answer) -> None:
        """Keep ``answer``, dropping the least recently used ones beyond ``size``."""
        if self.size <= 0:
            return
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._answers.clear()
