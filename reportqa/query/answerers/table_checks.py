"""A consistency question about a table answered by the table's own arithmetic: its parse-time checks (sums, growth
rates, shares) chosen by the question's kind of check, year, rows, measure and quoted figures, or a percentage the
text gives recomputed from two of the named table's cells."""

from __future__ import annotations

import re

from reportqa.query.analysis.concepts import QuestionFacts
from reportqa.query.answerers.base import cell_citation
from reportqa.query.answerers.quoted import PERCENT, POINTS
from reportqa.query.answerers.verdicts import describe_check
from reportqa.query.views.sentences import AnswerContext
from reportqa.records import Cell, Check, Citation, Document, Language, Table

_CHECK_WORDS = {"sum": re.compile(r"相加|合计|总计|加总|加起来|加在一起|之和|\bsum|add up|\btotal", re.I),
                "growth": re.compile(r"增速|增长率|同比|增幅|降幅|growth|year[- ]on[- ]year|\bchange\b|\b(?:fell|fall|drop|dropped|"
                                     r"declined?|rose|rise)\b", re.I),
                "share": re.compile(r"占比|比重|share", re.I)}


MAX_CHECKS = 10  # checks listed for a question about a whole table


def table_check(question: str, refs: set[str], asked_rows: set[str], facts: QuestionFacts, ctx: AnswerContext,
                 lang: Language, docs: tuple[str, ...] = (), numbers: list[str] | None = None,
                 ) -> tuple[str, list[Citation]] | None:
    """For '表1各领域相加等于总计吗': the table's own arithmetic check on the asked year/row (a check whose printed
    figure the question quotes first: '3.9%增速…对得上吗' is about the growth check, not the sum)."""
    tables = [t for d in ctx.documents if not docs or d.doc_id in docs for t in d.tables if t.id in refs]

    def measured(check: Check) -> bool:  # the check is of a measure the question names
        return any(c.kind == "metric" and any(f in check.target for f in c.compact_forms) for c in facts.concepts)

    best: dict[str, tuple[float, Table, Check]] = {}  # per kind of check the question's words ask about
    every: list[tuple[float, Table, Check]] = []
    for table in tables:
        for check in table.checks:
            kind_ok = _CHECK_WORDS.get(check.kind, re.compile("$^")).search(question)
            if not kind_ok:
                continue
            latest = max((c.year for c in table.columns if c.year), default=None)
            score = 1.0 + sum(1.0 for y in facts.years if str(y) in check.target)
            score += 0.5 if (not facts.years and latest and str(latest) in check.target) else 0.0
            score += sum(1.0 for r in asked_rows if f"/{r}/" in check.target)
            score += 1.0 if measured(check) else 0.0  # ('do the output values add up': 产值, not 从业人员)
            score += sum(2.0 for n in numbers or [] if re.search(rf"printed [-+]?{re.escape(n)}(?!\d)", check.detail))
            every.append((score, table, check))
            if score > best.get(check.kind, (0.0,))[0]:
                best[check.kind] = (score, table, check)
    if not best:
        return None
    # the best check, and any other kind of check on par with it ('do the cells sum to 907, and is the -3.9% right?')
    top = max(score for score, _, _ in best.values())
    lead_table = max(best.values(), key=lambda b: b[0])[1]  # (checks of one table: '表1' of one report)
    # (a check whose kind the question names and which fits its year, row or figures is asked too)
    chosen = sorted((b for b in best.values() if b[0] >= min(top - 0.5, 2.0) and b[1] is lead_table), key=lambda b: -b[0])
    if not facts.years and not asked_rows and not numbers and len(chosen) == 1:
        # 'do the totals equal the sums of the rows?' names no year nor row: every check of that kind in the table,
        # those that do not agree first
        kind, named = chosen[0][2].kind, measured(chosen[0][2])
        chosen = sorted((b for b in every if b[1] is lead_table and b[2].kind == kind and (not named or measured(b[2]))),
                        key=lambda b: b[2].status != "mismatch")[:MAX_CHECKS]
    statuses = {check.status for _, _, check in chosen}
    if statuses == {"exact"}:
        lead = "一致：" if lang == "zh" else "Yes, they agree: "
    elif statuses <= {"exact", "within_rounding"}:
        lead = "只在四舍五入范围内一致：" if lang == "zh" else "Only through rounding: "
    else:
        lead = "不一致：" if lang == "zh" else "No, they do not agree: "
    cites: list[Citation] = []
    for _, table, check in chosen:
        doc = next(d for d in ctx.documents if table in d.tables)
        for cell_id in [check.target, *check.inputs][:8]:
            cite = cell_citation(doc, table, cell_id)
            if cite is not None and all(c.id != cell_id for c in cites):
                cites.append(cite)
    joiner = "；" if lang == "zh" else "; "
    return lead + joiner.join(f"{table.id} {describe_check(check, lang)}" for _, table, check in chosen), cites


def quoted_share(question: str, refs: set[str], asked_rows: set[str], facts: QuestionFacts, ctx: AnswerContext,
                  lang: Language, docs: tuple[str, ...] = ()) -> tuple[str, list[Citation]] | None:
    """'The text says <row> is 67.4% of the total — does Table 4 agree?': a percentage the named table does not print,
    recomputed as the ratio of two of its level cells in one column (a row the question names over another row, the
    total row first), within the cells' rounding. None when no such pair gives it."""
    quoted = [(float(m.group(1)), len(m.group(1).partition(".")[2])) for m in PERCENT.finditer(question)]
    if not quoted or not refs:
        return None
    best: tuple[tuple[bool, int, float], Document, Table, Cell, Cell, float] | None = None
    for doc in ctx.documents:
        for table in (t for t in doc.tables if t.id in refs and (not docs or doc.doc_id in docs)):
            printed = {c.value for r in table.rows for c in r.cells if c.value is not None}
            if any(p in printed for p, _ in quoted):
                continue  # a printed cell: the table's own checks speak for it
            named = {r.label for r in table.rows if r.label in asked_rows
                     or ((e := ctx.glossary.lookup(r.label)) is not None and e.term in asked_rows)
                     # '规范渠道回收率': a measure named as a row plus a rate's suffix is that row's rate
                     or any(f != r.label and f.startswith(r.label) and len(f) - len(r.label) <= 2
                            for c in facts.concepts if c.kind == "metric" for f in c.forms)}
            totals = {r.label for r in table.rows if r.is_total}
            for col in table.columns:
                if col.kind != "level" or (facts.years and col.year not in facts.years):
                    continue
                cells = {r.label: c for r in table.rows for c in r.cells
                         if c.column == col.id and c.value and c.bound is None}
                for part_label in named & cells.keys():
                    part = cells[part_label]
                    for whole_label, whole in cells.items():
                        if whole_label == part_label or whole.value <= part.value:
                            continue
                        (plo, phi), (wlo, whi) = part.interval(), whole.interval()
                        for p, decimals in quoted:
                            half = 0.5 * 10 ** -decimals
                            if plo / whi * 100 <= p + half and p - half <= phi / wlo * 100:
                                key = (whole_label in totals or whole_label in named, col.year or 0, -abs(part.value / whole.value * 100 - p))
                                if best is None or key > best[0]:
                                    best = (key, doc, table, part, whole, p)
    if best is None:
        return None
    _, doc, table, part, whole, p = best
    ratio = part.value / whole.value * 100
    shown = f"{p:g}%"
    year = f"{part.year}年" if part.year else ""
    cites = [c for c in (cell_citation(doc, table, part.id), cell_citation(doc, table, whole.id)) if c is not None]
    before = _points_on_year_before(question, table, part, whole, lang)
    if before is not None:
        change_text, holds, cells = before
        cites += [c for c in (cell_citation(doc, table, cid) for cid in cells) if c is not None]
        if not holds:
            lead = "不完全一致：" if lang == "zh" else "Not quite: "
            if lang == "zh":
                return (f"{lead}{table.id} {part.text} ÷ {whole.text} = {ratio:.2f}%，四舍五入为{shown}，与所述相符；"
                        f"但{change_text}。"), cites
            return f"{lead}{table.id} gives {part.text} ÷ {whole.text} = {ratio:.2f}% (the stated {shown}), but {change_text}.", cites
    if lang == "zh":
        text = (f"一致：{table.id} {part.text} ÷ {whole.text} = {ratio:.2f}%（{part.row} ÷ {whole.row}"
                f"{'，' + year if year else ''}），四舍五入为{shown}，与所述相符"
                f"{'；' + before[0] if before else ''}。")
    else:
        text = (f"Yes, {table.id} agrees: {part.text} ÷ {whole.text} = {ratio:.2f}% ({part.row} ÷ {whole.row}"
                f"{', ' + year if year else ''}), which rounds to the stated {shown}{'; ' + before[0] if before else ''}.")
    return text, cites



def _points_on_year_before(question: str, table: Table, part: Cell, whole: Cell,
                           lang: Language) -> tuple[str, bool, list[str]] | None:
    """A change in points the question quotes beside the share ('提高3.4个百分点'), checked against the same ratio a
    year earlier in the same rows: (the arithmetic, whether it holds within the cells' rounding, the cells' ids)."""
    m = POINTS.search(question)
    if m is None or part.year is None:
        return None
    stated = float(m.group(1))
    half = 0.5 * 10 ** -len(m.group(1).partition(".")[2])
    col = next((c for c in table.columns if c.kind == "level" and c.year == part.year - 1 and c.metric == _metric(table, part)), None)
    if col is None:
        return None
    p0, w0 = table.cell(part.row, col.id), table.cell(whole.row, col.id)
    if p0 is None or w0 is None or not p0.value or not w0.value or p0.bound or w0.bound:
        return None
    (plo, phi), (wlo, whi), (qlo, qhi), (rlo, rhi) = part.interval(), whole.interval(), p0.interval(), w0.interval()
    lo, hi = plo / whi * 100 - qhi / rlo * 100, phi / wlo * 100 - qlo / rhi * 100
    now, then = part.value / whole.value * 100, p0.value / w0.value * 100
    holds = lo <= stated + half and stated - half <= hi
    if lang == "zh":
        text = (f"上年{p0.text} ÷ {w0.text} = {then:.2f}%，{now:.2f}% − {then:.2f}% = {now - then:.2f}个百分点，"
                f"{'与所述' if holds else '不合所述'}{m.group(1)}个百分点{'相符' if holds else ''}")
    else:
        text = (f"a year earlier {p0.text} ÷ {w0.text} = {then:.2f}%, and {now:.2f}% − {then:.2f}% = {now - then:.2f} points, "
                f"{'matching' if holds else 'not'} the stated {m.group(1)}")
    return text, holds, [p0.id, w0.id]


def _metric(table: Table, cell: Cell) -> str | None:
    return next((c.metric for c in table.columns if c.id == cell.column), None)
