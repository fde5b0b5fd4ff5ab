"""A whole the report prints only as the base of a share: a table with a level column and a '<base>普及率' column
('网约车 40507万人 38.54%') gives the base as level ÷ rate (40507 ÷ 38.54% ≈ 105104万人) — asked as '倒推网民规模'.

Every row of the table gives its own estimate; the answer shows each division, and gives the whole only when the rows
agree within the rounding of their printed cells (interval arithmetic). It says it is derived, and quotes the table's
notes (the period its data cover).
"""

from __future__ import annotations

from reportqa.numeric import interval_div, round_half_up
from reportqa.query.analysis.concepts import Concept
from reportqa.query.analysis.question import Question
from reportqa.query.answerers.base import Candidate, Draft, Evidence, cell_citation
from reportqa.query.lexicon.question_words import question_words
from reportqa.query.tables.quantities import quantity_en
from reportqa.query.views.sentences import compact
from reportqa.records import Cell, Column, Document, Table


def propose(q: Question, ev: Evidence) -> list[Candidate]:
    """The asked whole derived from a table's levels and their shares of it, as a candidate; else []."""
    if q.facts.change or q.facts.forecast or q.intent in ("consistency", "narrative") \
            or (q.facts.units and set(q.facts.units) <= {"percent", "pp"}):
        return []  # (a rate asked, '…在网民中的普及率', is the table's own cell or nothing)
    words = question_words()
    for concept in (c for c in q.facts.concepts if c.kind in ("entity", "metric") and c.glossary_kind != "row"):
        bases = {f[: -len(s)] if s and f.endswith(s) else f for f in concept.compact_forms for s in (*words.scale_words, "")}
        others = [c for c in q.facts.concepts if c is not concept and c.kind == "entity"]
        for doc in ev.ctx.documents:
            if q.docs and doc.doc_id not in q.docs:
                continue
            for table in doc.tables:
                found = _divisions(table, bases, others, q)
                if found:
                    return [Candidate("fact", _draft(doc, table, concept.label, *found, q.language), 1.0)]
    return []


def _divisions(table: Table, bases: set[str], others: list[Concept], q: Question,
               ) -> tuple[Column, Column, list[tuple[Cell, Cell, tuple[float, float]]]] | None:
    """(level column, share column, per row: level cell, share cell, the whole's interval) when a share column names
    one of ``bases`` ('网民' + '普及率') and every row's division agrees; else None. ``others``, the question's other
    subjects, must be rows of the table (they choose the rows divided): another subject ('在线医疗用户规模及占网民比例')
    asks its own figure, not the whole."""
    rows_named = [r for r in table.rows if any(compact(r.label) in c.compact_forms for c in others)]
    if len(rows_named) < len(others):
        return None
    suffixes = question_words().share_of_base
    share = next((c for c in table.columns if c.unit == "%" and c.kind == "share"
                  and any(len(b) >= 2 and c.metric in (b + s for s in suffixes) for b in bases)), None)
    if share is None or (q.frame.years and share.year is not None and share.year not in q.frame.years):
        return None
    level = next((c for c in table.columns if c.kind == "level" and c.unit not in (None, "%") and c.year == share.year), None)
    if level is None:
        return None
    rows = []
    for row in rows_named or table.rows:
        a, b = table.cell(row.label, level.id), table.cell(row.label, share.id)
        if a is None or b is None or not a.value or not b.value or a.bound or b.bound:
            continue
        lo, hi = interval_div(a.interval(), (b.interval()[0] / 100, b.interval()[1] / 100))
        rows.append((a, b, (lo, hi)))
    if not rows or max(r[2][0] for r in rows) > min(r[2][1] for r in rows):
        return None  # the rows give different wholes: no one base
    rows.sort(key=lambda r: -(r[1].value or 0))  # the largest share first: its rounding weighs least
    return level, share, rows


def _estimate(a: Cell, b: Cell) -> float:
    return round_half_up(a.value / (b.value / 100), a.decimals) if a.value and b.value else 0.0


def _coarse(value: float, unit: str, lang: str) -> str:
    """'105104万人' → '10.51亿人' ('about 1.051 billion people (10.51亿人)'): a whole in 万 said in 亿 too, at four
    figures."""
    if not unit.startswith("万") or value < 1e4:
        return ""
    printed = f"{round_half_up(value / 1e4, 2):g}"
    return f"{printed}亿{unit[1:]}" if lang == "zh" else quantity_en(printed, f"亿{unit[1:]}")


def _draft(doc: Document, table: Table, asked: str, level: Column, share: Column,
           rows: list[tuple[Cell, Cell, tuple[float, float]]], lang: str) -> Draft:
    unit = level.unit or ""
    first = _estimate(*rows[0][:2])
    coarse = _coarse(first, unit, lang)
    each = [f"{a.row}：{a.text}{unit} ÷ {b.text} ≈ {_estimate(a, b):g}{unit}" for a, b, _ in rows]
    each_en = [f"{a.row}: {a.text}{unit} ÷ {b.text} ≈ {_estimate(a, b):g}{unit}" for a, b, _ in rows]
    notes = "".join(n.removeprefix("注：").removeprefix("注:") for n in table.notes)
    if lang == "zh":
        head = f"约{coarse}（约{first:g}{unit}）" if coarse else f"约{first:g}{unit}"
        text = (f"报告未直接给出{asked}；由{table.id}《{table.caption}》推算为{head}：{share.metric}是{level.metric}占{asked}的"
                f"比例，故{asked} = {level.metric} ÷ {share.metric}。" + "；".join(each)
                + ("（各行在印刷精度内一致）" if len(rows) > 1 else "") + "。")
        if notes:
            text += f"表注：“{notes}”"
    else:
        head = f"about {coarse[:-1]}, i.e. {first:g}{unit})" if coarse.endswith(")") else f"about {first:g}{unit}"
        text = (f"The report does not print {asked} itself; derived from {table.id} “{table.caption}”, it is {head}: "
                f"{share.metric} is {level.metric} as a share of {asked}, so {asked} = {level.metric} ÷ {share.metric}. "
                + "; ".join(each_en) + (" (the rows agree within their printed rounding)" if len(rows) > 1 else "") + ".")
        if notes:
            text += f" Table note: “{notes}”"
    draft = Draft("computed", True, text)
    for a, b, _ in rows:
        for cell in (a, b):
            if (cited := cell_citation(doc, table, cell.id)) is not None:
                draft.citations.append((cited, [compact(cell.text)]))
    return draft
