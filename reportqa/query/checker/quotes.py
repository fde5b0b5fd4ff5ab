"""Verbatim quotes of the report inside a checked text.

An answer often quotes the sentence that holds its figure (``The report says: “…6.5万骑手参与保供。”``).
A figure inside a quote of the report's own sentence is never contradicted: the quoted sentence is
found in the report (whitespace-insensitively, as PDF text breaks lines anywhere) and the figure is
verified against it. A figure outside the quotes that restates a quoted figure (same value, a
compatible unit: ``65,000 (6.5万)`` beside ``“6.5万骑手”``) is verified against the same sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reportqa.query.figures.claims import Claim
from reportqa.query.views.figure_index import FigureIndex, page_at, section_path
from reportqa.records import Document, Fact, Paragraph, Span

_STRAIGHT = re.compile(r'"([^"]{4,})"')
_MIN_QUOTE = 4
_SENTENCE_END = "。！？；!?;\n"
_CLAUSE_END = _SENTENCE_END + "，,、："
_MIN_CLAUSE = 8  # a shorter clause ('同比增长5%') is too common to prove a quote


@dataclass(frozen=True)
class Compact:
    """A text without whitespace, with each kept character's offset in the original."""

    text: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> Span:
        return (self.offsets[start], self.offsets[end - 1] + 1)


@lru_cache(maxsize=1024)
def compact(text: str) -> Compact:
    """``text`` without whitespace (cached: each paragraph of a report is compacted once)."""
    keep = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
    return Compact("".join(ch for _, ch in keep), tuple(i for i, _ in keep))


def quote_spans(text: str) -> list[Span]:
    """[start, end) of the inside of every outermost quotation in ``text`` (“…“inner”…” nests; 「」 too)."""
    out: list[Span] = []
    for m in _STRAIGHT.finditer(text):
        out.append((m.start(1), m.end(1)))
    for opening, closing in (("“", "”"), ("「", "」")):
        depth, start = 0, 0
        for i, ch in enumerate(text):
            if ch == opening:
                if depth == 0:
                    start = i + 1
                depth += 1
            elif ch == closing and depth:
                depth -= 1
                if depth == 0 and i - start >= _MIN_QUOTE:
                    out.append((start, i))
    return sorted(out)


def apply_quotes(text: str, claims: list[Claim], facts: list[Fact], index: FigureIndex) -> None:
    """Verify figures inside verbatim quotes of the report, and figures that restate them (in place)."""
    quotes = quote_spans(text)
    if not quotes:
        return
    quoted: list[tuple[Claim, Fact]] = []
    for claim, fact in zip(claims, facts):
        inside = next((q for q in quotes if q[0] <= claim.span[0] and claim.span[1] <= q[1]), None)
        if inside is None:
            continue
        if fact.status != "verified" or _plain(str(fact.source.get("text", ""))) != _plain(claim.text):
            source = _quoted_sentence(text, inside, claim, index)
            if source is not None:
                _verify(fact, source)
        if fact.status == "verified":
            quoted.append((claim, fact))
    for claim, fact in zip(claims, facts):
        if fact.status not in ("unsupported", "contradicted") or any(q[0] <= claim.span[0] < q[1] for q in quotes):
            continue
        same = next((f for c, f in quoted if _restates(claim, c)), None)
        if same is not None:
            _verify(fact, dict(same.source), restates=same.text)


def _plain(text: str) -> str:
    return "".join(text.split())


def _verify(fact: Fact, source: dict[str, object], *, restates: str | None = None) -> None:
    previous = fact.status
    fact.status = "verified"
    fact.expected = None
    fact.source = source
    if restates is not None:
        fact.source["restates"] = restates
    elif previous == "contradicted":
        fact.source["quoted"] = "the text quotes the report's own sentence"


def _restates(claim: Claim, quoted: Claim) -> bool:
    """Same figure in a compatible unit: a bare magnitude ('6.5万', '100 million') matches a count of anything."""
    if claim.family != quoted.family:
        bare = "count" in (claim.family, quoted.family)
        if not (bare and _counts(claim.family) and _counts(quoted.family)):
            return False
    lo, hi = claim.interval()
    qlo, qhi = quoted.interval()
    return min(hi, qhi) > max(lo, qlo)


def _counts(family: str) -> bool:
    return family in ("count", "people", "person_times") or family.startswith("count:")


def _windows(text: str, quote: Span, claim: Claim) -> list[Span]:
    """The quoted sentence around the claim, then its clause: the stretches to look up in the report."""
    out = []
    for ends in (_SENTENCE_END, _CLAUSE_END):
        start = max([quote[0]] + [i + 1 for i in range(quote[0], claim.span[0]) if text[i] in ends])
        end = min([quote[1]] + [i for i in range(claim.span[1], quote[1]) if text[i] in ends])
        out.append((start, end))
    return out


def _quoted_sentence(text: str, quote: Span, claim: Claim, index: FigureIndex) -> dict[str, object] | None:
    """Where the report prints the quoted sentence holding ``claim``, as a Fact source; None when it does not."""
    for n, (start, end) in enumerate(_windows(text, quote, claim)):
        needle = compact(text[start:end]).text
        if n == 1 and len(needle) < _MIN_CLAUSE:
            break
        before = len(compact(text[start:claim.span[0]]).text)
        width = len(compact(claim.text).text)
        for doc in index.docs.values():
            for para in doc.paragraphs:
                hay = compact(para.text) if needle[0] in para.text else None
                at = hay.text.find(needle) if hay is not None else -1
                if at < 0:
                    continue
                sentence = para.source_span(*hay.original_span(at, at + len(needle)))
                figure = para.source_span(*hay.original_span(at + before, at + before + width))
                return _source_at(index, doc, para, sentence, figure)
    return None


def _source_at(index: FigureIndex, doc: Document, para: Paragraph, sentence: Span, figure: Span) -> dict[str, object]:
    """The indexed text figure at ``figure`` (or a plain text source for the quoted sentence)."""
    for s in index.text_sources():
        if s.doc_id == doc.doc_id and s.paragraph_id == para.id and s.span[0] <= figure[0] < s.span[1]:
            return s.as_source()
    return {"doc": doc.doc_id, "kind": "text", "span": list(sentence), "section": section_path(doc, para.section_id),
            "page": page_at(doc, sentence[0]), "quote": doc.text[sentence[0]:sentence[1]],
            "id": f"{doc.doc_id}:{para.id}", "text": doc.text[figure[0]:figure[1]]}
