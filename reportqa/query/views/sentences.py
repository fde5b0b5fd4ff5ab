"""The engine's sentence view, built once at load: sentences with spans/sections/pages and their numeric claims.

``build_context`` makes it from the parsed reports and the engine's lexicon; the engine keeps it
(``engine.views.context``) and ``answer_context(engine)`` returns it, so no question re-parses a report.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from reportqa.query.figures.claims import extract_claims
from reportqa.query.lexicon.glossary import Glossary
from reportqa.query.lexicon.lexicon import Lexicon
from reportqa.records import Chunk, Document, Paragraph, Span, Table

if TYPE_CHECKING:
    from reportqa.query.views.figure_index import FigureIndex

T = TypeVar("T")

_SPLIT = re.compile(r"[^。！？!?]+[。！？!?]*[”’」』》）)\"']*")
_WS = re.compile(r"\s+")
USES_CACHE_SIZE = 4096  # forms whose uses per report an answer context keeps


@dataclass
class Sentence:
    """One sentence of the running text or of a footnote, located in the source."""

    index: int
    doc_id: str
    text: str
    compact: str
    span: Span
    section_id: str | None
    section: str
    page: int | None
    paragraph_id: str | None = None
    chunk_id: str | None = None
    footnote: int | None = None
    footnote_refs: list[int] = field(default_factory=list)
    footnote_markers: list[int] = field(default_factory=list)
    claims: list[Any] = field(default_factory=list)
    # the year a sentence that prints none ('7月，…处80.26亿元罚款') is about: the last one printed before it in its
    # section ('2022年相关部门…'); None when the section prints none before it
    context_year: int | None = None


@dataclass
class AnswerContext:
    """Everything answering needs besides the index, precomputed per engine."""

    glossary: Glossary
    documents: list[Document]
    sentences: list[Sentence]
    by_chunk: dict[str, list[int]]
    footnotes: dict[tuple[str, int], Sentence]
    compact_text: dict[str, str]
    chunks: dict[str, Chunk]
    paragraphs: dict[tuple[str, str], str] = field(default_factory=dict)
    findings: list[Any] | None = None
    finding_views: list[tuple[str, set[str]]] | None = None  # per finding: its searchable text, the rows it is about
    lexicon: Lexicon | None = None
    figure_index: "FigureIndex | None" = None  # the engine's checker/audit index (set by the engine's views)
    _uses: dict[str, dict[str, int]] = field(default_factory=dict, repr=False, compare=False)  # form → uses per report
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def glossary_of(self, doc_id: str | None) -> Glossary:
        """One report's own glossary (plus general words); the union when the report has none."""
        return self.glossary.for_doc(doc_id)

    def context_of(self, sent: "Sentence") -> str:
        """Compact text that sets a sentence's subject: its heading path and its paragraph up to the sentence."""
        para = self.paragraphs.get((sent.doc_id, sent.paragraph_id or ""), "")
        head = para[: max(para.find(sent.compact), 0)] if sent.footnote is None else ""
        return compact(sent.section) + head

    def doc(self, doc_id: str) -> Document | None:
        """A document by id."""
        return next((d for d in self.documents if d.doc_id == doc_id), None)

    def tables_of(self, doc: Document) -> list[Table]:
        """A document's tables."""
        return doc.tables

    def memo(self, key: str, build: "Callable[[], T]") -> "T":
        """A value computed from the reports' text once per engine (a vocabulary of their words), built on first use."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]  # type: ignore[no-any-return]

    def uses(self, form: str) -> dict[str, int]:
        """How often each report's compact text uses ``form`` (compacted), per document id.

        Counting scans a whole report, and the glossary forms questions name recur: kept per engine (emptied when full).
        """
        found = self._uses.get(form)
        if found is None:
            if len(self._uses) >= USES_CACHE_SIZE:
                self._uses.clear()
            key = compact(form)
            found = self._uses[form] = {d: text.count(key) for d, text in self.compact_text.items()}
        return found

    def mentioned(self, form: str) -> bool:
        """True when ``form`` occurs anywhere in the reports' text (line wraps and spaces ignored)."""
        key = compact(form)
        return any(key in text for text in self.compact_text.values())


def compact(text: str) -> str:
    """Text without whitespace (the source is hard-wrapped; spaces sit between digits and CJK)."""
    return _WS.sub("", text)


def section_label(doc: Document, section_id: str | None) -> str:
    """Heading path joined with ' > '."""
    sec = doc.section(section_id) if section_id else None
    return " > ".join(sec.path) if sec else ""


def page_at(doc: Document, para: Paragraph, offset: int) -> int | None:
    """Page of a source offset inside a paragraph (its first page plus the page breaks passed)."""
    if para.page is None:
        return None
    offsets = sorted(o for o, _ in doc.page_breaks)
    passed = bisect.bisect_right(offsets, offset) - bisect.bisect_right(offsets, para.span[0])
    page = para.page + max(passed, 0)
    return min(page, para.page_end) if para.page_end is not None else page


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence (ends at 。！？ keeping closing quotes; ；stays inside), whitespace trimmed."""
    out = []
    for m in _SPLIT.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _chunk_index(chunks: dict[str, Chunk]) -> dict[str, list[tuple[Span, str]]]:
    by_doc: dict[str, list[tuple[Span, str]]] = {}
    for c in chunks.values():
        if c.kind == "text":
            by_doc.setdefault(c.doc_id, []).append((c.span, c.id))
    for spans in by_doc.values():
        spans.sort()
    return by_doc


def _chunk_for(spans: list[tuple[Span, str]], span: Span) -> str | None:
    """First text chunk whose span holds ``span``."""
    for (s, e), cid in spans:
        if s <= span[0] and span[1] <= e:
            return cid
        if s > span[0]:
            break
    return None


_PRINTED_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})年(?!代)")
_BASE_BEFORE = re.compile(r"(?:比|较|与|从|相比|自)$")


def _printed_years(text: str) -> list[int]:
    """The years a sentence is about ('2022年…'), comparison bases ('较2021年') left out."""
    return [int(m.group(1)) for m in _PRINTED_YEAR.finditer(text) if not _BASE_BEFORE.search(text[:m.start()])]


def build_context(documents: list[Document], chunks: dict[str, Chunk], lexicon: Lexicon) -> AnswerContext:
    """Split every paragraph and footnote into located sentences and extract their numeric claims once."""
    vocab = lexicon.vocab
    glossary = lexicon.glossary
    chunk_spans = _chunk_index(chunks)
    sentences: list[Sentence] = []
    by_chunk: dict[str, list[int]] = {}
    footnotes: dict[tuple[str, int], Sentence] = {}
    for doc in documents:
        spans = chunk_spans.get(doc.doc_id, [])
        last_year: dict[str | None, int] = {}
        for para in doc.paragraphs:
            section = section_label(doc, para.section_id)
            claims = extract_claims(para.text, vocab)
            for s, e in split_sentences(para.text):
                src = para.source_span(s, e)
                sent = Sentence(
                    index=len(sentences), doc_id=doc.doc_id, text=para.text[s:e], compact=compact(para.text[s:e]),
                    span=src, section_id=para.section_id, section=section, page=page_at(doc, para, src[0]),
                    paragraph_id=para.id, chunk_id=_chunk_for(spans, src), footnote_refs=list(para.footnote_refs),
                    footnote_markers=[f.number for f in doc.footnotes if f.paragraph_id == para.id
                                      and f.marker_offset is not None and src[0] <= f.marker_offset <= src[1] + 1],
                    claims=[c for c in claims if s <= c.span[0] < e],
                    context_year=last_year.get(para.section_id),
                )
                if (printed := _printed_years(sent.compact)):
                    last_year[para.section_id] = printed[-1]
                sentences.append(sent)
                if sent.chunk_id:
                    by_chunk.setdefault(sent.chunk_id, []).append(sent.index)
        for note in doc.footnotes:
            para = next((p for p in doc.paragraphs if p.id == note.paragraph_id), None)
            section = section_label(doc, para.section_id) if para else ""
            sent = Sentence(
                index=len(sentences), doc_id=doc.doc_id, text=note.text, compact=compact(note.text), span=note.span,
                section_id=para.section_id if para else None, section=section, page=note.page,
                paragraph_id=note.paragraph_id, footnote=note.number, claims=extract_claims(note.text, vocab),
            )
            sentences.append(sent)
            footnotes[(doc.doc_id, note.number)] = sent
    return AnswerContext(
        glossary=glossary, documents=documents, sentences=sentences, by_chunk=by_chunk, footnotes=footnotes,
        compact_text={d.doc_id: compact(d.text) for d in documents}, chunks=chunks,
        paragraphs={(d.doc_id, p.id): compact(p.text) for d in documents for p in d.paragraphs}, lexicon=lexicon,
    )


def answer_context(engine: Any) -> AnswerContext:
    """The engine's AnswerContext (built once with the engine's views)."""
    return engine.views.context
