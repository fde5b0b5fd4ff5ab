"""Answer a question: table QA → text fact → narrative → "the report does not say", every figure checked.

    answer = answer_question("2022年共享住宿规模", engine, top_k=5)
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field, replace
from typing import Any

from reportqa.query.analysis.concepts import (
    QuestionFacts,
    known_only,
    missing_everywhere,
    question_facts,
    warm_up,
)
from reportqa.query.answerers.consistency import (
    consistency_answer,
    findings_of,
    is_consistency_question,
)
from reportqa.query.answerers.textfacts import (
    FactMatch,
    find_fact,
    nearest,
    qualifiers,
    satisfied,
    weight,
)
from reportqa.query.checker.checker import check_answer_facts
from reportqa.query.lexicon.language import detect_language
from reportqa.query.render import quantity_en, quantity_zh, table_answer
from reportqa.query.retrieval.retrieve import hybrid_search
from reportqa.query.tables.tableqa import TableResult, execute, parse_table_query
from reportqa.query.views.sentences import (
    AnswerContext,
    Sentence,
    answer_context,
    compact,
)
from reportqa.records import Answer, Citation, Document, Hit, Language, Table

RETRIEVE_DEPTH = 8
_log = logging.getLogger(__name__)
_NUM_UNIT = re.compile(r"^(?:人民币|CNY|RMB|¥|￥)?\s*([<>≤≥＜＞]?[-+]?[\d,]*\.?\d+)\s*(.*)$")


@dataclass
class Draft:
    """An answer being composed: text, citations with the figures each must contain."""

    kind: str
    answerable: bool
    text: str
    citations: list[tuple[Citation, list[str]]] = field(default_factory=list)


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 3)


def answer_question(question: str, engine: Any, top_k: int) -> Answer:
    """Answer from the report with citations and checked facts (see module doc for the order of attempts)."""
    timing: dict[str, float] = {}
    ctx = answer_context(engine)
    lang = detect_language(question)

    t0 = time.perf_counter()
    consistency = is_consistency_question(question)
    facts = question_facts(question, ctx.glossary, lang)
    # 'What trends does the report expect …' / 'what measures …' are answered by a passage, not a cell.
    table_hit = None if consistency or (facts.narrative and not facts.quantitative) else _table_qa(question, ctx)
    timing["tableqa"] = _ms(t0)

    hits: list[Hit] = []
    if table_hit is not None and table_hit[1].answerable:
        t0 = time.perf_counter()
        draft = _table_draft(table_hit[0], table_hit[1], ctx, lang)
        timing["retrieve"] = 0.0
    else:
        t0 = time.perf_counter()
        hits = hybrid_search(question, engine.index, engine.settings.retrieval, max(top_k, RETRIEVE_DEPTH), glossary=ctx.glossary)
        timing["retrieve"] = _ms(t0)
        t0 = time.perf_counter()
        draft = _consistency_draft(question, facts, hits, ctx, lang) if consistency else None
        draft = draft or _text_draft(question, facts, hits, ctx, lang, table_hit[1] if table_hit else None)
    _verify_citations(draft)
    timing["compose"] = _ms(t0)

    t0 = time.perf_counter()
    citations = [c for c, _ in draft.citations][: max(top_k, 1) + 4]
    facts_checked = _check(draft.text, ctx, [c.id for c in citations])
    timing["check"] = _ms(t0)
    return Answer(
        question=question, language=lang, answerable=draft.answerable, answer=draft.text, kind=draft.kind,
        citations=citations, facts=facts_checked, timing_ms=timing,
    )


def warm(engine: Any) -> None:
    """Build the engine's answer caches now (sentences, claims, glossary, jieba, checker index) so the first question is fast."""
    ctx = answer_context(engine)
    warm_up()
    findings_of(ctx)
    _check("2022年交易额为100亿元，同比增长3.9%。", ctx, [])  # any sentence with figures


# --------------------------------------------------------------------------- table answers


def _table_qa(question: str, ctx: AnswerContext) -> tuple[Document, TableResult] | None:
    """The table reading of the report the question is about: every report's parse competes (see ``_doc_fit``)."""
    found = []
    for doc in ctx.documents:
        query = parse_table_query(question, doc.tables, ctx.glossary)
        if query is not None:
            found.append((_doc_fit(query, doc), -len(found), doc, query))
    if not found:
        return None
    _, _, doc, query = max(found, key=lambda f: (f[0], f[1]))
    return doc, execute(query, doc.tables)


def _doc_fit(query: Any, doc: Document) -> tuple[bool, int]:
    """A report fits a question when its tables have the asked years and print the rows it names."""
    labels = {r.label for t in doc.tables for r in t.rows}
    return query.missing is None, sum(1 for r in query.asked_rows if r in labels)


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


def _row_citation(doc: Document, table: Table, row: Any) -> Citation:
    """A whole table row (what the report does print for a row whose asked year is missing)."""
    return Citation(id=f"{doc.doc_id}:{table.id}/{row.label}", doc=doc.doc_id, section=" > ".join(table.section_path),
                    page=table.page, table=table.id, row=row.label, quote=doc.text[row.span[0]:row.span[1]],
                    span=row.span, score=1.0)


def sentence_citation(sent: Sentence, score: float = 1.0) -> Citation:
    """A report sentence (or footnote) as a citation."""
    cid = sent.chunk_id or (f"{sent.doc_id}:footnote{sent.footnote}" if sent.footnote else f"{sent.doc_id}:{sent.paragraph_id}")
    return Citation(id=cid, doc=sent.doc_id, section=sent.section, page=sent.page, quote=sent.text, span=sent.span, score=round(score, 6))


def _table_draft(doc: Document, result: TableResult, ctx: AnswerContext, lang: Language) -> Draft:
    assert result.table is not None
    text = table_answer(result, lang, ctx.glossary)
    kind = "computed" if any(f.computed for f in result.figures) else "table"
    draft = Draft(kind, True, text)
    for cell in result.cells:
        cit = cell_citation(doc, result.table, cell.id)
        if cit is not None:
            draft.citations.append((cit, [compact(cell.text)] if cell.text else []))
    restated = _restatements(result, ctx, doc)
    if restated:
        sent, quals = restated
        if quals:
            note = "、".join(quals)
            draft.text += f"报告正文注明：{note}（“{sent.text}”）。" if lang == "zh" else \
                f" The report's text qualifies it ({note}): “{sent.text}”"
        draft.citations.append((sentence_citation(sent), []))
    return draft


def _restatements(result: TableResult, ctx: AnswerContext, doc: Document) -> tuple[Sentence, list[str]] | None:
    """A report sentence that restates a read cell (same figure and year), with its qualifiers (初步估算, 约 …)."""
    if result.op not in ("value", "growth") or not result.figures or result.figures[0].computed:
        return None
    cell = result.figures[0].cells[0]
    if cell.value is None or cell.bound is not None:
        return None
    for sent in ctx.sentences:
        if sent.doc_id != doc.doc_id:
            continue
        for claim in sent.claims:
            if (abs(getattr(claim, "value", 0.0) - cell.value) < 1e-9 and getattr(claim, "unit", None) == cell.unit
                    and getattr(claim, "year", None) in (cell.year, None)
                    and (getattr(claim, "subject", None) in (cell.row, None) or cell.row in sent.compact)):
                return sent, qualifiers(sent.text, getattr(claim, "text", None))
    return None


# --------------------------------------------------------------------------- text answers


def _text_draft(question: str, facts: QuestionFacts, hits: list[Hit], ctx: AnswerContext, lang: Language,
                table_missing: TableResult | None) -> Draft:
    ranked = [h.chunk.id for h in hits]
    scores = {h.chunk.id: h.score for h in hits}
    absent = missing_everywhere(facts, ctx)
    if absent:
        what = "、".join(c.label for c in absent) if lang == "zh" else ", ".join(c.label for c in absent)
        reason = f"报告没有提到“{what}”" if lang == "zh" else f"the report never mentions {what}"
        return _unanswerable(question, facts, ctx, ranked, scores, lang, reason)
    facts = known_only(facts, ctx)
    if facts.unknown_en and facts.quantitative and not facts.narrative and \
            not any(c.kind == "entity" and c.required for c in facts.concepts):
        # "market size of shared power banks": only the metric is recognised; the subject may be absent.
        reason = f"it names no figure for “{' '.join(facts.unknown_en)}”"
        return _unanswerable(question, facts, ctx, ranked, scores, lang, reason)
    if facts.narrative and table_missing is None:
        return _narrative_draft(facts, hits, ctx, lang)
    if table_missing is not None or facts.forecast:
        # Strict: every named metric and entity (共享经济 included) must be in the sentence.
        strict = facts.with_concepts([replace(c, required=c.required or c.kind in ("metric", "entity"))
                                      for c in facts.concepts])
        match = find_fact(strict, ctx, ranked)
        if match is not None:
            return _fact_draft(match, facts, lang, scores, ctx)
        reason = _table_reason(table_missing, lang) if table_missing is not None else None
        draft = _unanswerable(question, facts, ctx, ranked, scores, lang, reason)
        if table_missing is not None and table_missing.table is not None:
            doc = next(d for d in ctx.documents if table_missing.table in d.tables)
            for row in table_missing.table.rows:
                if row.label in table_missing.query.rows:
                    draft.citations.insert(0, (_row_citation(doc, table_missing.table, row), []))
        return draft
    if not facts.quantitative and not facts.years:
        return _narrative_draft(facts, hits, ctx, lang)
    match = find_fact(facts, ctx, ranked)
    if match is not None:
        return _fact_draft(match, facts, lang, scores, ctx)
    # A question asking for a figure is not answered by passages full of other figures.
    return _unanswerable(question, facts, ctx, ranked, scores, lang, None)


def _table_reason(result: TableResult, lang: Language) -> str:
    q = result.query
    covered = q.covered_years
    span = f"{covered[0]}–{covered[-1]}" if len(covered) > 1 else (str(covered[0]) if covered else "")
    if lang == "zh":
        return f"{q.table_id}《{result.table.caption if result.table else ''}》只覆盖{span}年"
    return f"{q.table_id} covers {span} only"


def _figure_parts(claim: Any) -> tuple[str, str]:
    m = _NUM_UNIT.match(getattr(claim, "text", "").strip())
    if not m:
        return getattr(claim, "text", ""), ""
    return m.group(1), m.group(2).strip()


def _fact_draft(match: FactMatch, facts: QuestionFacts, lang: Language, scores: dict[str, float], ctx: AnswerContext) -> Draft:
    sent = match.sentence
    claim = match.claim
    number, unit = _figure_parts(claim)
    quals = qualifiers(sent.text, getattr(claim, "text", None))
    where = _where(sent, lang)
    lead = _fact_lead(claim, facts, sent, lang)
    if lang == "zh":
        qual = f"（报告注明：{'、'.join(quals)}）" if quals else ""
        text = f"{lead}{qual}。报告原文：“{sent.text}”{where}"
    else:
        qual = f" (the report qualifies it: {', '.join(quals)})" if quals else ""
        text = f"{lead}{qual}. The report says: “{sent.text}”{where}"
    draft = Draft("text", True, text)
    draft.citations.append((sentence_citation(sent, scores.get(sent.chunk_id or "", 1.0)), [compact(getattr(claim, "text", ""))]))
    for n in sent.footnote_markers:
        note = ctx.footnotes.get((sent.doc_id, n))
        if note is not None:
            draft.text += f"脚注{n}：“{note.text}”" if lang == "zh" else f" Footnote {n}: “{note.text}”"
            draft.citations.append((sentence_citation(note), []))
    return draft


def _fact_lead(claim: Any, facts: QuestionFacts, sent: Sentence, lang: Language) -> str:
    """The figure with what it is about: the report's own clause (zh) or subject, year and figure (en)."""
    number, unit = _figure_parts(claim)
    clause = compact(getattr(claim, "clause", "") or "").rstrip("。；，")
    entities = [c for c in facts.concepts if c.kind == "entity" and c.required]
    year = getattr(claim, "year", None) or (facts.years[0] if facts.years else None)
    if lang == "zh":
        missing = [c.forms[0] for c in entities if not any(compact(f) in clause for f in c.forms)]
        prefix = "、".join(missing) + "：" if missing else ""
        if year and str(year) not in clause:
            until = next((q for q in qualifiers(sent.text, getattr(claim, "text", None)) if q.startswith("截至") and str(year) in q), None)
            prefix = f"{until or str(year) + '年'}，{prefix}"
        return f"{prefix}{clause}" if clause else quantity_zh(number, unit)
    subject = ", ".join(c.label for c in entities)
    head = ", ".join(x for x in (subject, str(year) if year else "") if x)
    value = quantity_en(number.lstrip("+-"), unit)
    if getattr(claim, "role", None) in ("growth", "change") and getattr(claim, "value", 0) < 0:
        value = f"down {value}"  # '同比下降16.8%' → 'down 16.8%', never a bare 16.8%
    elif getattr(claim, "role", None) in ("growth", "change"):
        value = f"up {value}"
    return f"{head}: {value}" if head else value


def _where(sent: Sentence, lang: Language) -> str:
    page = f"，第{sent.page}页" if (lang == "zh" and sent.page) else (f", p. {sent.page}" if sent.page else "")
    if sent.footnote:
        label = f"脚注{sent.footnote}" if lang == "zh" else f"footnote {sent.footnote}"
        return f"（{sent.section}，{label}{page}）" if lang == "zh" else f" ({sent.section}, {label}{page})"
    return f"（{sent.section}{page}）" if lang == "zh" else f" ({sent.section}{page})"


def _narrative_draft(facts: QuestionFacts, hits: list[Hit], ctx: AnswerContext, lang: Language) -> Draft:
    """Quote the two passages that best cover the question (its concepts in the text or the heading, then rank)."""
    texts = [h for h in hits if h.chunk.kind == "text"]
    texts += _heading_hits(facts, texts, ctx)
    if not texts:
        return Draft("unanswerable", False, "报告未涉及这个问题。" if lang == "zh" else "The report does not address this question.")

    def cover(rank: int, h: Hit) -> float:
        where = compact(h.chunk.text + "".join(h.chunk.section_path))
        named = sum(weight(c) for c in facts.concepts if c.kind != "year" and satisfied(c, where))
        head = compact("".join(h.chunk.section_path))
        titled = sum(weight(c) for c in facts.concepts if c.kind == "entity" and c.required and satisfied(c, head))
        return named + titled + 2.0 / (rank + 1)

    best = [h for _, h in sorted(((cover(i, h), h) for i, h in enumerate(texts)), key=lambda t: -t[0])[:2]]
    section = " > ".join(best[0].chunk.section_path)
    lead = f"报告在{section}中谈到：" if lang == "zh" else f"The report addresses this in {section}:"
    quotes = " ".join(f"“{h.chunk.text}”" for h in best)
    draft = Draft("narrative", True, f"{lead}{quotes}" if lang == "zh" else f"{lead} {quotes}")
    for h in best:
        c = h.chunk
        draft.citations.append((Citation(id=c.id, doc=c.doc_id, section=" > ".join(c.section_path), page=c.page,
                                         quote=c.text, span=c.span, score=h.score), []))
    return draft


def _heading_hits(facts: QuestionFacts, texts: list[Hit], ctx: AnswerContext) -> list[Hit]:
    """Passages under a heading naming a term the retrieved passages' headings lack ('trends' → '…发展趋势展望')."""
    wanted = [c for c in facts.concepts if c.kind == "entity" and c.required and c.glossary_kind == "term"
              and not any(satisfied(c, compact("".join(h.chunk.section_path))) for h in texts)]
    if not wanted:
        return []
    out = [Hit(chunk=c, score=0.0) for c in ctx.chunks.values()
           if c.kind == "text" and any(satisfied(w, compact("".join(c.section_path))) for w in wanted)]
    return out[:2]


_TRAILING_ASK = re.compile(r"(?:是多少|有多少|多少|是什么|有哪些|吗|呢|？|\?|。)+$")


def _unanswerable(question: str, facts: QuestionFacts, ctx: AnswerContext, ranked: list[str],
                  scores: dict[str, float], lang: Language, reason: str | None) -> Draft:
    near = nearest(facts, ctx, ranked, n=2)
    if lang == "zh":
        core = _TRAILING_ASK.sub("", question.strip()) or question.strip()
        text = f"报告未提供“{core}”的数据" + (f"（{reason}）" if reason else "") + "。"
        if near:
            text += f"报告中最接近的内容：“{near[0].text}”{_where(near[0], lang)}"
    else:
        labels = [c.label for c in facts.concepts if c.kind != "year"] + [c.label.rstrip("年") for c in facts.concepts if c.kind == "year"]
        what = f"it gives no figure for {' / '.join(labels)}" if labels else "it does not cover this question"
        text = f"The report does not say: {what}" + (f" ({reason})" if reason else "") + "."
        if near:
            text += f" Nearby, the report says: “{near[0].text}”{_where(near[0], lang)}"
    draft = Draft("unanswerable", False, text)
    for s in near:
        draft.citations.append((sentence_citation(s, scores.get(s.chunk_id or "", 0.0)), []))
    if not near:
        for cid in ranked[:2]:
            c = ctx.chunks[cid]
            draft.citations.append((Citation(id=c.id, doc=c.doc_id, section=" > ".join(c.section_path), page=c.page,
                                             table=c.table_id, row=c.row, quote=c.text if c.kind == "text" else
                                             _source(ctx, c.doc_id, c.span), span=c.span, score=scores.get(cid, 0.0)), []))
    return draft


def _source(ctx: AnswerContext, doc_id: str, span: tuple[int, int]) -> str:
    doc = ctx.doc(doc_id)
    return doc.text[span[0]:span[1]] if doc else ""


def _consistency_draft(question: str, facts: QuestionFacts, hits: list[Hit], ctx: AnswerContext, lang: Language) -> Draft | None:
    """'一致吗?' questions: the audit's finding on the figures asked about, or a check of the passage stating them."""
    ranked = [h.chunk.id for h in hits]
    near = nearest(facts, ctx, ranked, n=1)
    found = consistency_answer(question, facts, ctx, near, lang, lambda text: _check(text, ctx, []))
    if found is None:
        return None
    text, cites = found
    return Draft("consistency", True, text, [(c, []) for c in cites])


# --------------------------------------------------------------------------- checks


def _verify_citations(draft: Draft) -> None:
    """Drop a citation that claims to support a figure its quote does not contain."""
    kept = []
    for cit, figures in draft.citations:
        quote = compact(cit.quote).replace("＜", "<")
        if all(f.replace("＜", "<") in quote for f in figures if f):
            kept.append((cit, figures))
    draft.citations = kept


def _check(text: str, ctx: AnswerContext, cited: list[str]) -> list:
    """Run the numeric-fact checker over the answer text (with the engine's figure index)."""
    try:
        return check_answer_facts(text, ctx.documents, cited, index=ctx.figure_index)
    except Exception:  # noqa: BLE001 - a checker failure must not lose the answer; it is logged for the checker's owner
        _log.exception("fact checker failed on an answer; returning it without facts")
        return []
