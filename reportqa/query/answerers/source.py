"""Where a table's data or a quoted figure come from ('表2的数据来源是什么', 'What is the source of Table 2's user
numbers?', '96万吨这个数出自哪里'): the report's own attribution, quoted.

A table the question names answers with its '数据来源' line and its notes (the table's passage is the citation: it
prints them). A figure the question quotes answers with the attribution of the sentence that prints it: the footnote
its marker points to, else the words before the figure that say who reports it ('交通运输部数据显示', '据测算'). A source
question the report's attribution does not answer is left to the other answerers (and so, mostly, to a refusal).
"""

from __future__ import annotations

import re

from reportqa.query.analysis.question import Question
from reportqa.query.answerers.base import (
    Candidate,
    Draft,
    Evidence,
    chunk_citation,
    sentence_citation,
    where,
)
from reportqa.query.answerers.consistency import figure_refs, quoted_figures, quotes_any
from reportqa.query.answerers.textfacts import satisfied
from reportqa.query.lexicon.question_words import question_words
from reportqa.query.views.sentences import AnswerContext, Sentence
from reportqa.records import Table

# who reports a figure, at the head of its sentence: '交通运输部网约车监管信息交互平台数据显示', '据测算', '中国信通院数据显示'
_ATTRIBUTION = re.compile(r"^(?:据|根据)?([^，。；]{2,40}?(?:数据显示|统计显示|显示|测算|统计|发布的数据显示))[，,]")


def propose(q: Question, ev: Evidence) -> list[Candidate]:
    """The report's attribution for the table or figure a source question names; [] when it names neither."""
    if not question_words().source.search(q.text):
        return []
    ctx = ev.ctx
    tables = _named_tables(q, ctx)
    if tables:
        return [_table_source(q, tables, ctx)]
    numbers = quoted_figures(q.text)
    printed = [s for s in ctx.sentences if q.about(s.doc_id) and numbers and quotes_any(s.text, numbers)]
    for sent in printed[:3]:
        found = _figure_source(q, sent, ctx)
        if found is not None:
            return [found]
    return []


def _named_tables(q: Question, ctx: AnswerContext) -> list[tuple[str, Table]]:
    """The (report, table) pairs the question names ('表2', 'Table 2') in the reports it is about."""
    named = figure_refs(q.text)  # ('Table 2' → 表2)
    return [(d.doc_id, t) for d in ctx.documents if q.about(d.doc_id) for t in d.tables if t.id in named]


def _table_source(q: Question, tables: list[tuple[str, Table]], ctx: AnswerContext) -> Candidate:
    zh = q.language == "zh"
    texts, draft = [], Draft("narrative", True, "")
    several = len({doc_id for doc_id, _ in tables}) > 1  # (both reports have a 表2: each is named by its report)
    for doc_id, table in tables[:2]:
        said = [x for x in (table.source, *table.notes) if x]
        if not said:
            said = ["报告未注明数据来源。" if zh else "the report gives no source for it."]
        doc = ctx.doc(doc_id)
        head = f"{table.id}《{table.caption}》" if zh else f"{table.id} “{table.caption}”"
        head = f"{doc.title if doc else doc_id} {head}" if several else head
        for note in _source_notes(q, doc_id, ctx):  # a footnote on where a measure of the table comes from
            said.append(f"脚注{note.footnote}：{note.text}" if zh else f"footnote {note.footnote}: {note.text}")
            draft.citations.append((sentence_citation(note), []))
        quoted = "；".join(f"“{x}”" for x in said) if zh else "; ".join(f"“{x}”" for x in said)
        texts.append(f"{head}：{quoted}" if zh else f"{head}: {quoted}")
        chunk = ctx.chunks.get(f"{doc_id}:{table.id}")
        if chunk is not None:
            draft.citations.append((chunk_citation(ctx, chunk, 1.0), []))
    lead = "报告注明的数据来源与注释——" if zh else "The report's source and notes for it — "
    draft.text = lead + ("\n".join(texts) if zh else "\n".join(texts))
    return Candidate("narrative", draft, 1.0, [])


def _source_notes(q: Question, doc_id: str, ctx: AnswerContext) -> list[Sentence]:
    """A report's footnotes that say where the data on something the question names come from ('回收服务网点数据来源于…')."""
    named = [c for c in q.facts.concepts if c.kind in ("entity", "metric") and not c.frame]
    return [n for (d, _), n in sorted(ctx.footnotes.items()) if d == doc_id and "来源" in n.compact
            and any(satisfied(c, n.compact) for c in named)]


def _figure_source(q: Question, sent: Sentence, ctx: AnswerContext) -> Candidate | None:
    zh = q.language == "zh"
    notes = [ctx.footnotes.get((sent.doc_id, n)) for n in sent.footnote_markers]
    notes = [n for n in notes if n is not None]
    attribution = _ATTRIBUTION.match(sent.compact)
    if not notes and attribution is None:
        return None
    draft = Draft("narrative", True, "")
    if notes:
        said = "；".join(f"脚注{n.footnote}：“{n.text}”" if zh else f"footnote {n.footnote}: “{n.text}”" for n in notes)
        draft.citations += [(sentence_citation(n), []) for n in notes]
    else:
        said = f"“{attribution.group(1)}”"  # type: ignore[union-attr]
    draft.citations.insert(0, (sentence_citation(sent), []))
    if zh:
        draft.text = f"报告注明的来源：{said}。该数字所在原文：“{sent.text}”{where(sent, 'zh')}"
    else:
        draft.text = f"The report attributes it to {said}. The figure is printed in: “{sent.text}”{where(sent, 'en')}"
    return Candidate("narrative", draft, 1.0, [], nearest=sent)
