"""The library API. The CLI, the HTTP API and the eval runner all call these functions.

    engine = load_engine(build_if_missing=True)
    answer = ask("<year> <row> <measure>?", engine)
    facts = check("<a sentence with figures>", engine)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.loaded import LoadedIndex
from indexer.query_embedder import BatchingQueryEmbedder, BoundedQueryEmbedder
from indexer.store import build_index as _build_index
from indexer.store import corpus_warnings, index_exists, load_index
from indexer.store import index_status as _index_status
from reportqa.answer_cache import AnswerCache
from reportqa.conversation import Rewrite, rewrite_followup, user_turns, vocabulary
from reportqa.errors import AmbiguousId, BadQuestion, TableNotFound
from reportqa.query.answer import answer_question
from reportqa.query.answer import warm as warm_caches
from reportqa.query.audit.audit import audit_documents
from reportqa.query.checker.checker import check_text
from reportqa.query.lexicon.lexicon import Lexicon, load_lexicon
from reportqa.query.lexicon.script import normalise_input
from reportqa.query.lexicon.segment import pos_words
from reportqa.query.retrieval.retrieve import hybrid_search
from reportqa.query.views.engine_views import EngineViews, build_views
from reportqa.query.views.sentences import answer_context
from reportqa.questions import is_valid_unicode, normalise_question, unsegmented_chars
from reportqa.records import (
    Answer,
    BuildProgress,
    ConversationAnswer,
    Document,
    Fact,
    Finding,
    Hit,
    IndexStatus,
    IndexWarning,
    Manifest,
    Section,
    Table,
)
from reportqa.settings import Settings, get_settings


@dataclass
class Engine:
    """Everything a query needs, loaded once: settings, the index on disk, the parsed reports."""

    settings: Settings
    index: LoadedIndex
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # derived views, built on first use
    answers: AnswerCache = field(default=None, repr=False)  # type: ignore[assignment]
    """Answers to questions already asked (``ask`` keys them on normalised question, top_k and build id)."""
    _views: EngineViews | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.answers is None:
            self.answers = AnswerCache(self.settings.answer_cache_size)

    @property
    def views(self) -> EngineViews:
        """The engine's lexicon, sentences and figure index, built once (at load, or on first use)."""
        if self._views is None:
            with self._lock:
                if self._views is None:
                    lexicon = load_lexicon(self.documents, Path(self.settings.corpus_dir), self.settings.glossary)
                    self._views = build_views(self.documents, self.index.chunks, lexicon)
        return self._views

    @property
    def lexicon(self) -> Lexicon:
        """The union of the reports' glossaries (+ the extra one and general words): what this engine reads words with."""
        return self.views.lexicon

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


def build_index(settings: Settings | None = None, *, force: bool = False, progress: bool = False, on_progress: Callable[[BuildProgress], None] | None = None) -> Manifest:
    """Parse every readable report in ``settings.corpus_dir`` and (re)build the dense + sparse index atomically.

    Unreadable reports are skipped (``Manifest.skipped``); ``on_progress`` receives a BuildProgress per stage and batch.
    """
    return _build_index(settings or get_settings(), force=force, progress=progress, on_progress=on_progress)


def index_status(settings: Settings | None = None) -> IndexStatus:
    """Verify the index on disk (checksums, records, counts, vectors) without loading the model; say whether it is current."""
    return _index_status(settings or get_settings())


def index_warnings(engine: Engine) -> list[IndexWarning]:
    """What an operator should fix beside the loaded index: skipped or unreadable corpus files, files changed since the build."""
    return corpus_warnings(engine.settings, engine.manifest)


def load_engine(settings: Settings | None = None, *, build_if_missing: bool = False, warm: bool = True, allow_stale: bool = False) -> Engine:
    """Load and verify the index (building it first when asked and missing); raise IndexNotBuilt / IndexCorrupt / IndexMismatch otherwise.

    ``allow_stale`` loads an intact index even if the corpus changed since its build (a service keeps serving it).
    """
    settings = settings or get_settings()
    if build_if_missing and not index_exists(settings):
        build_index(settings, progress=True)
    index = load_index(settings, allow_stale=allow_stale)
    bounded = BoundedQueryEmbedder(index.embedder, settings.retrieval.max_query_tokens)
    index.embedder = BatchingQueryEmbedder(bounded, settings.embedder.query_concurrency or None, settings.embedder.query_batch)
    engine = Engine(settings=settings, index=index)
    engine.views  # noqa: B018 - lexicon, sentences and figure index are built once, here
    if warm:
        warm_caches(engine)  # sentences, claims, checker figure index, audit: the first question is fast too
        normalise_input("預熱")  # loads the script converter's dictionaries
        pos_words("报告预热")  # loads jieba's part-of-speech tables (~0.45 s, else paid by the first Chinese question)
        vocabulary(engine)  # follow-up vocabulary (tables + glossary): the first chat message is fast too
    return engine


def validate_question(question: str, settings: Settings) -> str:
    """Normalise (NFKC, whitespace collapsed) and bound a question; raise BadQuestion with what to send instead."""
    if not isinstance(question, str) or not question.strip():
        raise BadQuestion("question is empty — send a question about the report (a year, a row and a measure, or why/how)")
    limit = settings.api.max_question_chars
    if len(question.strip()) > limit:
        raise BadQuestion(f"question is {len(question.strip())} characters — send at most {limit}")
    if not is_valid_unicode(question):
        raise BadQuestion("question is not valid Unicode (a lone surrogate such as \\ud800) — send UTF-8 text")
    q = normalise_question(question)
    if not q:
        raise BadQuestion("question is empty — send a question about the report (a year, a row and a measure, or why/how)")
    if len(q) > limit:  # NFKC can expand a character into several
        raise BadQuestion(f"question is {len(q)} characters once normalised (NFKC) — send at most {limit}")
    unknown, most = unsegmented_chars(q), settings.api.max_unsegmented_chars
    if unknown > most:  # each costs ~10 ms of analysis: bound a question's work before doing any
        raise BadQuestion(f"question has {unknown} Chinese characters that form no known words — send a question in words "
                          f"(at most {most} such characters)")
    return q


def search(query: str, engine: Engine, k: int | None = None) -> list[Hit]:
    """Hybrid (dense + BM25) retrieval over text, table and row chunks."""
    q = normalise_input(validate_question(query, engine.settings)).text
    glossary = answer_context(engine).glossary
    return hybrid_search(q, engine.index, engine.settings.retrieval, k=k or engine.settings.retrieval.top_k, glossary=glossary)


def ask(question: str, engine: Engine, *, top_k: int | None = None) -> Answer:
    """Answer a question from the report with citations, every figure checked.

    The question is normalised first (NFKC, whitespace collapsed); a repeat of a normalised question with
    the same ``top_k`` on the same index build is answered from ``engine.answers`` (its lists are shared
    with the cache: treat answers as read-only).

    Traditional-script and full-width input is read as simplified text; ``Answer.question`` stays as typed.
    """
    t0 = time.perf_counter()
    q = validate_question(question, engine.settings)
    k = top_k or engine.settings.retrieval.top_k
    key = (q, k, engine.manifest.build_id)
    cached = engine.answers.get(key)
    if cached is not None:
        ms = round((time.perf_counter() - t0) * 1000, 3)
        stages = {name: 0.0 for name in cached.timing_ms if name != "total"}  # same keys; no stage ran this time
        return cached.model_copy(update={"question": question.strip(), "timing_ms": {**stages, "answer_cache": ms, "total": ms}})
    answer = answer_question(normalise_input(q).text, engine, top_k=k)
    answer.question = question.strip()  # as typed
    answer.timing_ms["total"] = round((time.perf_counter() - t0) * 1000, 3)
    answer.index = engine.index_info()
    titles = document_titles(engine)
    answer.documents = {c.doc: titles[c.doc] for c in answer.citations if c.doc in titles}
    # answers are read-only (a repeat shares the cached one's lists too): a shallow copy keeps the caller's field
    # assignments out of the cache without the deep copy's cost (~0.1 ms a fresh answer)
    engine.answers.put(key, answer.model_copy(update={"timing_ms": dict(answer.timing_ms)}))
    return answer


def understand(messages: Sequence[Mapping[str, Any]], engine: Engine) -> Rewrite:
    """The standalone question the last user message asks, given the earlier user turns (OpenAI-style messages)."""
    rewrite = rewrite_followup(user_turns(messages), vocabulary(engine))
    validate_question(rewrite.question, engine.settings)
    return rewrite


def answer_rewrite(rewrite: Rewrite, engine: Engine, *, top_k: int | None = None) -> ConversationAnswer:
    """Answer an understood follow-up: the Answer to its standalone question, saying what it was understood as."""
    answer = ask(rewrite.question, engine, top_k=top_k)
    return ConversationAnswer.model_construct(  # the Answer's fields are validated records already
        **{name: getattr(answer, name) for name in Answer.model_fields}, asked=rewrite.asked,
        understood_as=rewrite.question if rewrite.rewritten else None, inherited=dict(rewrite.inherited),
    )


def ask_conversation(messages: Sequence[Mapping[str, Any]], engine: Engine, *, top_k: int | None = None) -> ConversationAnswer:
    """Answer the last user message in the context of the conversation ("那2021年呢？" after a question about 2022)."""
    return answer_rewrite(understand(messages, engine), engine, top_k=top_k)


def check(text: str, engine: Engine) -> list[Fact]:
    """Extract every numeric claim in ``text`` and give each a verdict against the tables and the text."""
    if not isinstance(text, str) or not text.strip():
        raise BadQuestion("text is empty — send the text whose figures should be checked")
    if not is_valid_unicode(text):
        raise BadQuestion("text is not valid Unicode (a lone surrogate such as \\ud800) — send UTF-8 text")
    norm = normalise_input(text)
    facts = check_text(norm.text, engine.documents, engine.views.figure_index)
    if norm.changed:  # quote what the user wrote (traditional script, full-width digits), at their offsets
        for fact in facts:
            if fact.span is not None:
                fact.text = norm.original_text(fact.span)
                fact.span = norm.original_span(fact.span)
    return facts


def audit(engine: Engine) -> list[Finding]:
    """The report's internal inconsistencies, each with both locations quoted."""
    return audit_documents(engine.documents, engine.views.figure_index)


def get_table(table_id: str, engine: Engine, doc: str | None = None) -> Table:
    """A table by id: '<doc>:表1', or '表1' with ``doc``, or a bare '表1' that only one report has.

    Raise TableNotFound naming the ids that exist, or AmbiguousId listing the qualified ids when several
    reports have a table with that id (never silently the first).
    """
    wanted = table_id.strip()
    if ":" in wanted and doc is None:
        doc, _, wanted = wanted.rpartition(":")
    known = ", ".join(t.qualified_id for t in engine.tables) or "none"
    if doc is not None and doc not in {d.doc_id for d in engine.documents}:
        docs = ", ".join(d.doc_id for d in engine.documents)
        raise TableNotFound(f"no document {doc!r} — known documents: {docs}")
    found = [t for t in engine.tables if t.id == wanted and (doc is None or t.doc_id == doc)]
    if not found:
        raise TableNotFound(f"no table {table_id!r} — known tables: {known}")
    if len(found) > 1:
        ids = ", ".join(t.qualified_id for t in found)
        raise AmbiguousId(f"{len(found)} reports have a table {wanted!r} — ask for one of: {ids} (or pass its doc)")
    return found[0]


def document_titles(engine: Engine) -> dict[str, str]:
    """Document id → title, for every report the engine holds."""
    return {d.doc_id: d.title for d in engine.documents}
