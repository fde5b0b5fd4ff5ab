"""Table answers: a cell read, or a figure computed from cells (change, growth, share, sum, ratio, rank)."""

from __future__ import annotations

import re

from reportqa.query.analysis.concepts import Concept
from reportqa.query.analysis.question import Question
from reportqa.query.analysis.tableparse import own_words_dropped
from reportqa.query.answerers.base import (
    Candidate,
    Draft,
    cell_citation,
    missing_names,
    row_citation,
    sentence_citation,
)
from reportqa.query.answerers.textfacts import family_fits, qualifiers
from reportqa.query.lexicon.frames import frame_words
from reportqa.query.lexicon.question_words import question_words
from reportqa.query.lexicon.segment import pos_words
from reportqa.query.lexicon.tablewords import named_table
from reportqa.query.lexicon.words import search_words
from reportqa.query.render import table_answer
from reportqa.query.tables.plans import in_brackets
from reportqa.query.tables.tableqa import TableResult, execute
from reportqa.query.views.sentences import AnswerContext, Sentence, compact
from reportqa.query.views.tableschema import unit_family
from reportqa.records import Document


def propose(q: Question, ctx: AnswerContext) -> tuple[list[Candidate], TableResult | None]:
    """A candidate when the question's table query can be answered; else the result saying why not (for refusals)."""
    if q.table_query is None:
        return [], None
    doc, query = q.table_query
    result = execute(query, doc.tables)
    if not result.answerable or result.table is None:
        return [], result
    draft = _draft(doc, result, ctx, q)
    return [Candidate("table", draft, 1.0, _frame_issues(q, doc, result, ctx))], None


def _frame_issues(q: Question, doc: Document, result: TableResult, ctx: AnswerContext) -> list[str]:
    """A table holds for its report's own place and its printed years: a named place or thing it lacks, or the
    world when the table is national, disqualifies it."""
    glossary = ctx.glossary
    table = result.table
    assert table is not None
    where = compact(table.caption + "".join(table.section_path) + "".join(r.label for r in table.rows) + doc.title)
    issues = [f"“{n}”" for n in missing_names(q, where)]
    own = {r.label for r in table.rows}
    used = set(result.query.asked_rows) | set(result.query.rows)
    # (a place asked that the table lacks and the answer does not read: '<row A> … in <region>' read as the national
    # row A drops the region)
    read = (used & own) | set(result.query.rows)
    # a place or company the question requires that the table never names: '<province> 2022年<measure>' is not
    # answered by the national table
    issues += [f"“{c.label}”" for c in q.facts.concepts if c.kind == "entity" and c.required and _named_subject(c)
               and not any(compact(f) in where or f in read for f in c.forms)]
    if q.frame.place == "world" and frame_words().place(where) != "world":
        issues.append("world")
    # a thing only another report's glossary names ('户外劳动者服务站点') is not this report's table's subject
    issues += [f"“{c.label}”" for c in q.facts.concepts if c.kind == "entity" and c.required and c.glossary_kind == "term"
               and (entry := glossary.lookup(c.label)) is not None and entry.docs and doc.doc_id not in entry.docs
               and not any(compact(f) in where for f in c.forms)]
    # a row the question names that another table of the report prints, but not the table read: the question
    # asks about that other subject or measure ('<row A>的<row B>量' is not row A's figure in this table)
    elsewhere = {r.label for t in doc.tables if t is not table for r in t.rows} - own
    printed = compact(table.caption + "".join(t for c in table.columns for t in (c.metric, *c.header)))
    # (a row the glossary relates to one read here, '在线外卖' to '餐饮', is that row's part: 'catering/food delivery')
    kin = {r for e in glossary.entries if e.related and e.term in used for r in e.related} | \
        {e.term for e in glossary.entries if set(e.related) & used}
    other = [c.label for c in q.facts.concepts if c.kind == "entity" and c.glossary_kind == "row"
             and any(f in elsewhere for f in c.forms) and not any(f in own or f in used or f in kin for f in c.forms)
             and not _aside(q.text, c.label)  # '餐饮共享型服务支出（在线外卖）': a bracket glosses the term before it
             and not any(f in (result.query.metric or "") or f in printed for f in c.forms)  # '<row>量': this table's measure
             and not any(f in table.caption for f in c.forms)]  # the caption's subject ('分类型退役动力电池规模') is this table's
    if other and named_table(q.text) != table.id:  # (the question names this very table)
        issues.append("、".join(other))
    # a thing within a row the question names ('共享医疗融资里互联网医院拿了多少'): words the question requires that the
    # table never prints, but the report's text does, are a finer breakdown than the table's
    nouns = {w for w, tag in pos_words(q.text) if tag in question_words().noun_tags} if q.language == "zh" else set()
    finer = [c.label for c in q.facts.concepts if c.kind == "word" and c.required and c.label in nouns and len(c.label) >= 2
             and not any(compact(f) in where or compact(f) in printed for f in c.forms) and ctx.mentioned(c.label)]
    if len(finer) >= 2:
        issues.append("".join(finer))
    asked = q.frame.sub_annual + q.frame.months
    if asked and not any(w in where for w in asked):
        issues.append("、".join(asked))  # a year's cell does not answer a month or a quarter
    if result.op == "value" and q.facts.change and q.facts.units != ("percent", "pp"):
        issues.append("added")  # 'how many new <X> were added': a printed stock is not the increment
    base = _SHARE_OF.search(q.text) if q.language == "en" else None
    # the words of the report's own aliases ('sharing' of 'sharing economy') are no other base, as the tables read them;
    # a general word ('taxi' → 出租车) is another base unless the table prints its Chinese
    unknown = {w.lower().strip("'’") for w in own_words_dropped(q.facts.unknown_en_all, glossary)
               if not any(z in printed for z in search_words(w))}
    if base is not None and any(f.unit == "%" for f in result.figures) and \
            any(w.lower().strip("'’") in unknown for w in re.findall(r"[\w'’-]+", base.group(1))):
        issues.append(base.group(1))  # 'share of taxi passenger volume': a share of something this table does not name
    read = result.figures[0] if result.op == "value" and len(result.figures) == 1 else None
    if read is not None and read.unit and q.facts.units and not family_fits(unit_family(read.unit), q.facts):
        issues.append(read.unit)  # 'how many people …' is not answered by a cell in 万吨
    return issues


_SHARE_OF = re.compile(r"(?:share|percentage|proportion|percent|%)\s+of\s+((?:the\s+)?(?:[\w'’-]+\s+){0,3}[\w'’-]+)", re.I)


def _aside(text: str, label: str) -> bool:
    """Whether every place the question writes ``label`` is inside brackets (an aside glossing the words before it)."""
    spots = [m.start() for m in re.finditer(re.escape(label), text)]
    return bool(spots) and all(in_brackets(text, i) for i in spots)


def _named_subject(concept: Concept) -> bool:
    """A company or a place (what a national table cannot speak for), as opposed to a general term ('累计', '网民')."""
    return concept.glossary_kind == "company" or any(flag == "ns" for f in concept.forms[:1] for _, flag in pos_words(f))


def _draft(doc: Document, result: TableResult, ctx: AnswerContext, q: Question) -> Draft:
    assert result.table is not None
    lang = q.language
    text = table_answer(result, lang, ctx.glossary)
    kind = "computed" if any(f.computed for f in result.figures) else "table"
    draft = Draft(kind, True, text)
    for cell in result.cells:
        cit = cell_citation(doc, result.table, cell.id)
        if cit is not None:
            draft.citations.append((cit, [compact(cell.text)] if cell.text else []))
    restated = _restatement(result, ctx, doc)
    if restated:
        sent, quals = restated
        if quals:
            note = "、".join(quals)
            draft.text += f"报告正文注明：{note}（“{sent.text}”）。" if lang == "zh" else \
                f" The report's text qualifies it ({note}): “{sent.text}”"
        draft.citations.append((sentence_citation(sent), []))
    return draft


def _restatement(result: TableResult, ctx: AnswerContext, doc: Document) -> tuple[Sentence, list[str]] | None:
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


def missing_rows(result: TableResult, ctx: AnswerContext) -> list[tuple]:
    """Citations of the asked rows of a table that lacks the asked year (what the report does print)."""
    if result.table is None:
        return []
    doc = next((d for d in ctx.documents if result.table in d.tables), None)
    if doc is None:
        return []
    return [(row_citation(doc, result.table, row), []) for row in result.table.rows if row.label in result.query.rows]


def table_reason(result: TableResult, lang: str) -> str:
    """Why a table cannot answer: the years it covers, or — when it covers them — the asked cell it leaves blank."""
    q = result.query
    blank = _blank_cells(result)
    if q.missing is None and blank and result.table is not None:
        sep, year = ("", "{}年") if lang == "zh" else (" in ", "{}")
        what = "、".join(c.row + (sep + year.format(c.year) if c.year else "") for c in blank)
        printed = "、".join(dict.fromkeys(f"“{c.text}”" for c in blank if c.text))
        if lang == "zh":
            return f"{q.table_id}《{result.table.caption}》中{what}一格没有数值" + (f"（表中印为{printed}）" if printed else "")
        return f"{q.table_id} prints no value for {what}" + (f" (the cell reads {printed})" if printed else "")
    covered = q.covered_years
    span = f"{covered[0]}–{covered[-1]}" if len(covered) > 1 else (str(covered[0]) if covered else "")
    if lang == "zh":
        return f"{q.table_id}《{result.table.caption if result.table else ''}》只覆盖{span}年"
    return f"{q.table_id} covers {span} only"


def _blank_cells(result: TableResult) -> list:
    """The asked rows' cells in the asked years that hold no number ('-', empty)."""
    table, q = result.table, result.query
    if table is None:
        return []
    return [cell for row in table.rows if row.label in q.rows for cell in row.cells
            if cell.value is None and cell.bound is None and (not q.years or cell.year in q.years)
            and (not q.metric or q.metric in (cell.column or "") or "/" not in (cell.column or ""))]  # a year-only header
