"""What every answerer shares: the draft it writes, the candidate it proposes, the evidence it reads, citations.

An answerer reads the analysed ``Question`` and the ``Evidence`` (retrieval runs once, only when an answerer
asks for it) and proposes ``Candidate``s: a draft answer, how well its evidence supports it (0–1), and any
way the evidence's frame (period, place, named subject) differs from the question's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reportqa.query.analysis.question import Question, is_latin, name_in
from reportqa.query.lexicon.frames import frame_words
from reportqa.query.retrieval.retrieve import hybrid_search, sparse_terms
from reportqa.query.views.sentences import AnswerContext, Sentence
from reportqa.records import Chunk, Citation, Document, Hit, Language, Table

RETRIEVE_DEPTH = 8


@dataclass
class Draft:
    """An answer being composed: text, citations with the figures each must contain."""

    kind: str
    answerable: bool
    text: str
    citations: list[tuple[Citation, list[str]]] = field(default_factory=list)


@dataclass
class Candidate:
    """One answerer's proposal: its draft, its support (0–1) and the frame differences that disqualify it."""

    answerer: str
    draft: Draft
    support: float
    frame_issues: list[str] = field(default_factory=list)
    nearest: Sentence | None = None  # the sentence stating the (disqualified) figure, for a refusal to quote

    @property
    def fits(self) -> bool:
        """True when nothing in the evidence's frame contradicts the question's."""
        return not self.frame_issues


class Evidence:
    """Retrieved passages for a question, fetched on first use and shared by all answerers."""

    def __init__(self, question: Question, engine: Any, ctx: AnswerContext, top_k: int,
                 borrowed: "Evidence | None" = None) -> None:
        self.question = question
        # a part of a question of several asks reads the whole question's hybrid hits (one query embedding for all)
        self._borrowed = borrowed
        self.engine = engine
        self.ctx = ctx
        self.top_k = top_k
        self.retrieved = False
        # computed on first use, per question; not functools.cached_property: before Python 3.12 it holds one lock
        # for every instance, so concurrent requests waited on each other's query embedding
        self._hits: list[Hit] | None = None
        self._sparse: list[str] | None = None

    @property
    def hits(self) -> list[Hit]:
        """The hybrid-retrieval hits (dense + BM25)."""
        if self._hits is None and self._borrowed is not None:
            self.retrieved = True
            self._hits = [h for h in self._borrowed.hits if self.question.about(h.chunk.doc_id)]
        if self._hits is None:
            self.retrieved = True
            depth = max(self.top_k, RETRIEVE_DEPTH)
            q = self.question
            hits = hybrid_search(q.text, self.engine.index, self.engine.settings.retrieval,
                                 depth * 2 if q.docs else depth, glossary=self.ctx.glossary)
            self._hits = [h for h in hits if q.about(h.chunk.doc_id)][:depth]
        return self._hits

    @property
    def ranked(self) -> list[str]:
        """Chunk ids, best first."""
        return [h.chunk.id for h in self.hits]

    @property
    def sparse_ranked(self) -> list[str]:
        """Chunk ids by BM25 alone (glossary-expanded, no query embedding): the cheap first look."""
        if self._sparse is None:
            q, chunks = self.question, self.engine.index.chunks
            depth = max(self.top_k, RETRIEVE_DEPTH)
            found = self.engine.index.sparse_search(q.text, depth * 2, extra_terms=sparse_terms(q.text, self.ctx.glossary))
            self._sparse = [cid for cid, _ in found if cid in chunks and q.about(chunks[cid].doc_id)][:depth]
        return self._sparse

    def score_of(self, chunk_id: str | None, default: float) -> float:
        """A chunk's fused retrieval score when retrieval ran (it is not run for this)."""
        return self.scores.get(chunk_id or "", default) if self.retrieved else default

    @property
    def scores(self) -> dict[str, float]:
        """Fused score per chunk id."""
        return {h.chunk.id: h.score for h in self.hits}


def missing_names(question: Question, evidence_compact: str) -> list[str]:
    """The question's proper names that the evidence does not contain. A Latin-script name the lexicon cannot
    render only counts when the question names no known subject (a row or company) and the name is short like
    a company's or a place's (a long one, '<Some National Work Conference>', describes rather than names):
    beside a known subject it is most likely that subject's English wording."""
    anchored = any(c.glossary_kind in ("row", "company") for c in question.facts.concepts)
    return [n for n in question.frame.names if not name_in(n, evidence_compact)
            and not ((anchored or len(n.split()) >= 3) and is_latin(n) and n not in frame_words().foreign_names
                     and not _owner_or_acronym(n, question))]


def _owner_or_acronym(name: str, question: Question) -> bool:
    """A Latin name the lexicon does not know that is no wording of a known subject beside it: one written as an
    owner ('<Name>'s volume') or an acronym in capitals ('<ABCD> recycling volume')."""
    if name not in {re.sub(r"['’]s$", "", w) for w in question.facts.unknown_en_all}:
        return False  # a word the lexicon reads ('CAGR' is an operation)
    return re.fullmatch(r"[A-Z]{3,}", name) is not None or re.search(rf"\b{re.escape(name)}['’]s\b", question.text) is not None


def cell_citation(doc: Document, table: Table, cell_id: str) -> Citation | None:
    """A table cell as a citation: the printed row line is the quote."""
    for row in table.rows:
        for cell in row.cells:
            if cell.id == cell_id:
                return Citation(
                    id=cell.id, doc=doc.doc_id, section=" > ".join(table.section_path), page=table.page,
                    table=table.id, row=row.label, column=cell.column, quote=doc.text[row.span[0]:row.span[1]],
                    span=row.span, score=1.0,
                )
    return None


def row_citation(doc: Document, table: Table, row: Any) -> Citation:
    """A whole table row (what the report does print for a row whose asked year is missing)."""
    return Citation(id=f"{doc.doc_id}:{table.id}/{row.label}", doc=doc.doc_id, section=" > ".join(table.section_path),
                    page=table.page, table=table.id, row=row.label, quote=doc.text[row.span[0]:row.span[1]],
                    span=row.span, score=1.0)


def sentence_citation(sent: Sentence, score: float = 1.0) -> Citation:
    """A report sentence (or footnote) as a citation."""
    cid = sent.chunk_id or (f"{sent.doc_id}:footnote{sent.footnote}" if sent.footnote else f"{sent.doc_id}:{sent.paragraph_id}")
    return Citation(id=cid, doc=sent.doc_id, section=sent.section, page=sent.page, quote=sent.text, span=sent.span,
                    score=round(score, 6))


def chunk_citation(ctx: AnswerContext, chunk: Chunk, score: float) -> Citation:
    """A retrieved chunk as a citation (table chunks quote their source lines)."""
    quote = chunk.text
    if chunk.kind != "text":
        doc = ctx.doc(chunk.doc_id)
        quote = doc.text[chunk.span[0]:chunk.span[1]] if doc else chunk.text
    return Citation(id=chunk.id, doc=chunk.doc_id, section=" > ".join(chunk.section_path), page=chunk.page,
                    table=chunk.table_id, row=chunk.row, quote=quote, span=chunk.span, score=score)


def where(sent: Sentence, lang: Language) -> str:
    """'（section，第N页）' / ' (section, p. N)' for a sentence."""
    page = f"，第{sent.page}页" if (lang == "zh" and sent.page) else (f", p. {sent.page}" if sent.page else "")
    if sent.footnote:
        label = f"脚注{sent.footnote}" if lang == "zh" else f"footnote {sent.footnote}"
        return f"（{sent.section}，{label}{page}）" if lang == "zh" else f" ({sent.section}, {label}{page})"
    return f"（{sent.section}{page}）" if lang == "zh" else f" ({sent.section}{page})"

