"""The library API. The CLI, the HTTP API and the eval runner all call these functions.

    engine = load_engine(build_if_missing=True)
    answer = ask("2022年共享住宿规模", engine)
    facts = check("2022年共享住宿交易额为125亿元", engine)
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from indexer.loaded import LoadedIndex
from indexer.store import build_index as _build_index
from indexer.store import index_exists, load_index
from reportqa.errors import AmbiguousId, BadQuestion, TableNotFound
from reportqa.query.answer import answer_question
from reportqa.query.answer import warm as warm_caches
from reportqa.query.audit.audit import audit_documents
from reportqa.query.checker.checker import check_text
from reportqa.query.lexicon.lexicon import Lexicon, load_lexicon
from reportqa.query.retrieval.retrieve import hybrid_search
from reportqa.query.views.engine_views import EngineViews, build_views
from reportqa.records import (
    Answer,
    Document,
    Fact,
    Finding,
    Hit,
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
    _views: EngineViews | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

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


def build_index(settings: Settings | None = None, *, force: bool = False, progress: bool = False) -> Manifest:
    """Parse every report in ``settings.corpus_dir`` and (re)build the dense + sparse index atomically."""
    return _build_index(settings or get_settings(), force=force, progress=progress)


def load_engine(settings: Settings | None = None, *, build_if_missing: bool = False, warm: bool = True) -> Engine:
    """Load the index (building it first when asked and missing); raise IndexNotBuilt / IndexMismatch otherwise."""
    settings = settings or get_settings()
    if build_if_missing and not index_exists(settings):
        build_index(settings, progress=True)
    engine = Engine(settings=settings, index=load_index(settings))
    engine.views  # noqa: B018 - lexicon, sentences and figure index are built once, here
    if warm:
        warm_caches(engine)  # sentences, claims, checker figure index, audit: the first question is fast too
    return engine


def validate_question(question: str, settings: Settings) -> str:
    """Strip and bound a question; raise BadQuestion with what to send instead."""
    if not isinstance(question, str) or not question.strip():
        raise BadQuestion("question is empty — send a question such as '2022年共享住宿规模'")
    q = question.strip()
    limit = settings.api.max_question_chars
    if len(q) > limit:
        raise BadQuestion(f"question is {len(q)} characters — send at most {limit}")
    return q


def search(query: str, engine: Engine, k: int | None = None) -> list[Hit]:
    """Hybrid (dense + BM25) retrieval over text, table and row chunks."""
    q = validate_question(query, engine.settings)
    glossary = engine.views.context.glossary
    return hybrid_search(q, engine.index, engine.settings.retrieval, k=k or engine.settings.retrieval.top_k, glossary=glossary)


def ask(question: str, engine: Engine, *, top_k: int | None = None) -> Answer:
    """Answer a question from the report with citations, every figure checked."""
    t0 = time.perf_counter()
    q = validate_question(question, engine.settings)
    answer = answer_question(q, engine, top_k=top_k or engine.settings.retrieval.top_k)
    answer.timing_ms["total"] = round((time.perf_counter() - t0) * 1000, 3)
    answer.index = engine.index_info()
    titles = document_titles(engine)
    answer.documents = {c.doc: titles[c.doc] for c in answer.citations if c.doc in titles}
    return answer


def check(text: str, engine: Engine) -> list[Fact]:
    """Extract every numeric claim in ``text`` and give each a verdict against the tables and the text."""
    if not isinstance(text, str) or not text.strip():
        raise BadQuestion("text is empty — send the text whose figures should be checked")
    return check_text(text, engine.documents, engine.views.figure_index)


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
