"""The library API. The CLI, the HTTP API and the eval runner all call these functions.

    engine = load_engine(build_if_missing=True)
    answer = ask("2022年共享住宿规模", engine)
    facts = check("2022年共享住宿交易额为125亿元", engine)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from collections.abc import Callable

from reportqa.errors import BadQuestion
from reportqa.records import Answer, BuildProgress, Document, Fact, Finding, Hit, IndexStatus, IndexWarning, Manifest, Section, Table
from reportqa.settings import Settings, get_settings


@dataclass
class Engine:
    """Everything a query needs, loaded once: settings, the index on disk, the parsed reports."""

    settings: Settings
    index: "LoadedIndex"  # noqa: F821  (indexer.store.LoadedIndex)

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
    from indexer.store import build_index as _build

    return _build(settings or get_settings(), force=force, progress=progress, on_progress=on_progress)


def index_status(settings: Settings | None = None) -> IndexStatus:
    """Verify the index on disk (checksums, records, counts, vectors) without loading the model; say whether it is current."""
    from indexer.store import index_status as _status

    return _status(settings or get_settings())


def index_warnings(engine: Engine) -> list[IndexWarning]:
    """What an operator should fix beside the loaded index: skipped or unreadable corpus files, files changed since the build."""
    from indexer.store import corpus_warnings

    return corpus_warnings(engine.settings, engine.manifest)


def load_engine(settings: Settings | None = None, *, build_if_missing: bool = False, warm: bool = True, allow_stale: bool = False) -> Engine:
    """Load and verify the index (building it first when asked and missing); raise IndexNotBuilt / IndexCorrupt / IndexMismatch otherwise.

    ``allow_stale`` loads an intact index even if the corpus changed since its build (a service keeps serving it).
    """
    from indexer.store import index_exists, load_index

    settings = settings or get_settings()
    if build_if_missing and not index_exists(settings):
        build_index(settings, progress=True)
    engine = Engine(settings=settings, index=load_index(settings, allow_stale=allow_stale))
    if warm:
        from reportqa.query.answer import warm as warm_caches

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
    from reportqa.query.context import answer_context
    from reportqa.query.retrieve import hybrid_search

    q = validate_question(query, engine.settings)
    glossary = answer_context(engine).glossary
    return hybrid_search(q, engine.index, engine.settings.retrieval, k=k or engine.settings.retrieval.top_k, glossary=glossary)


def ask(question: str, engine: Engine, *, top_k: int | None = None) -> Answer:
    """Answer a question from the report with citations, every figure checked."""
    from reportqa.query.answer import answer_question

    t0 = time.perf_counter()
    q = validate_question(question, engine.settings)
    answer = answer_question(q, engine, top_k=top_k or engine.settings.retrieval.top_k)
    answer.timing_ms["total"] = round((time.perf_counter() - t0) * 1000, 3)
    answer.index = engine.index_info()
    return answer


def check(text: str, engine: Engine) -> list[Fact]:
    """Extract every numeric claim in ``text`` and give each a verdict against the tables and the text."""
    from reportqa.query.checker import check_text

    if not isinstance(text, str) or not text.strip():
        raise BadQuestion("text is empty — send the text whose figures should be checked")
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
