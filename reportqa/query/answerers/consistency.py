"""Consistency questions ("正文和表1一致吗?", "Do these figures agree?"): answered from the audit's findings,
or — when no finding concerns the figures asked about — by checking the passage that states them.
"""

from __future__ import annotations

import re
from typing import Any

from reportqa.query.analysis.concepts import QuestionFacts
from reportqa.query.answerers.base import (
    Candidate,
    Draft,
    sentence_citation,
)
from reportqa.query.answerers.implied import (
    change_and_base,
    growth_checks,
    implied_passages,
    parts_checks,
    ratio_checks,
)
from reportqa.query.answerers.quoted import (
    PERCENT,
    POINTS,
    in_report_scale,
    per_day_average,
    quoted_arithmetic,
)
from reportqa.query.answerers.table_checks import quoted_share, table_check
from reportqa.query.answerers.textfacts import satisfied
from reportqa.query.answerers.two_places import (
    restated_figures,
    same_figure_twice,
    two_places,
)
from reportqa.query.answerers.verdicts import describe_finding
from reportqa.query.audit.audit import audit_documents
from reportqa.query.lexicon.question_words import question_words, word_figures
from reportqa.query.views.sentences import AnswerContext, Sentence, compact
from reportqa.query.views.tableschema import total_row
from reportqa.records import (
    Citation,
    Finding,
    Language,
    Location,
)

_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?!\.?\d)")
_REF = re.compile(r"([表图])\s*(\d+)|\b(table|figure)\s*(\d+)", re.I)
_ROUNDING = "info"


def findings_of(ctx: AnswerContext) -> list[Finding]:
    """The audit's findings for the context's documents, with their searchable text (computed once per engine:
    scanning every finding with the glossary on every question cost ~240 ms)."""
    if ctx.findings is None:
        findings = audit_documents(ctx.documents, ctx.figure_index)
        ctx.finding_views = [(_describe_finding(f, ctx), _rows(f.summary, ctx)) for f in findings]
        ctx.findings = findings
    return ctx.findings


def _describe_finding(f: Finding, ctx: AnswerContext) -> str:
    """The finding's summary and quotes, plus the Chinese terms its English summary names ('Contents' → 目录)."""
    named = "".join(m.entry.term for m in ctx.glossary.find(f.summary))
    return compact(f.summary + named + "".join(loc.quote + (loc.cell or "") for loc in f.locations))


def _rows(text: str, ctx: AnswerContext) -> set[str]:
    """The rows the question names, less the tables' total rows ('the totals' asks about every column's whole)."""
    totals = {total_row(t) for d in ctx.documents for t in d.tables}
    return {m.entry.term for m in ctx.glossary.find(text) if m.entry.kind == "row" and m.entry.term not in totals
            and m.entry.term != "总计"}


def _plain(question: str) -> str:
    """The question without its table references, thousands separators read ('13,900' is 13900)."""
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", _REF.sub(" ", question))


def quoted_figures(question: str) -> list[str]:
    """The figures a question quotes (not its years, not single digits): what a consistency question is about; an
    English figure also in the report's scale ('586,000 tonnes' → 58.6 (万), '1.2 billion' → 12 (亿))."""
    return [n for group in figure_groups(question) for n in group]


def figure_groups(question: str) -> list[list[str]]:
    """Each figure the question quotes with its other writings (an English amount in the report's scale)."""
    plain = _plain(question)
    # not a year ('2023', '23年'), nor a single digit unless a percentage ('7%')
    found = [m.group(1) for m in _NUMBER.finditer(plain) if not re.fullmatch(r"(?:19|20)\d{2}", m.group(1))
             and not re.match(r"\s*年", plain[m.end():])
             and (len(m.group(1)) >= 2 or "." in m.group(1) or re.match(r"\s*[%％]", plain[m.end():]))]
    # a share said in words ('about half'): the question is about that percentage (no finding about other figures)
    found += [f"{percent:g}%" for _, percent in word_figures(question)] if not found else []
    scaled = in_report_scale(question)
    groups = [[n] for n in found if n not in {g for _, gs in scaled for g in gs}]
    for raw, alternates in scaled:
        group = [raw, *alternates]
        groups = [g for g in groups if g[0] != raw] + [group]
    return groups


def quotes_any(text: str, numbers: list[str]) -> bool:
    """Whether ``text`` prints any of ``numbers`` (spaces and thousands separators aside)."""
    return _quotes(compact(text), numbers)


def figure_refs(text: str) -> set[str]:
    """'图5', '表1' references ('Table 4' → 表4)."""
    out = set()
    for m in _REF.finditer(text):
        kind = m.group(1) or ("表" if m.group(3).lower() == "table" else "图")
        out.add(f"{kind}{m.group(2) or m.group(4)}")
    return out


def _score(f: Finding, view: tuple[str, set[str]], facts: QuestionFacts, numbers: list[str], refs: set[str],
           asked_rows: set[str]) -> float:
    """Figures and 表/图 references of the question found in the finding weigh most; then specific concepts;
    a finding about rows the question does not name loses."""
    text, about = view
    summary = compact(f.summary)

    def has(n: str, where: str) -> bool:
        return re.search(rf"(?<![\d.]){re.escape(n)}(?!\.?\d)", where) is not None  # '6' is not in '6.3'

    # a figure the finding is about (in its summary) counts more than one merely quoted beside it
    figures = sum(1.0 if has(n, summary) else 0.5 if has(n, text) else 0.0 for n in numbers)
    ref_hits = len(refs & figure_refs(text)) if refs else 0
    concepts = sum(1 for c in facts.concepts if c.kind in ("entity", "metric", "word") and "总计" not in c.forms
                   and satisfied(c, text))
    if refs and not ref_hits:
        return 0.0  # the question names a table/figure the finding is not about
    companies = [c for c in facts.concepts if c.glossary_kind == "company"]
    if companies and not any(satisfied(c, text) for c in companies):
        return 0.0  # the question asks about a company the finding never names
    if numbers and not any(has(n, summary) for n in numbers):
        return 0.0  # the question quotes figures; a finding about none of them is about something else
    # a finding about rows the question does not name is about something else; a fact restated with other figures
    # in two passages (a company's figures) names rows only in passing
    penalty = 2.0 if about and not (about & asked_rows) and (asked_rows or f.kind != "restated_fact") else 0.0
    return 3.0 * ref_hits + 2.0 * figures + concepts - penalty


def location_citation(loc: Location, ctx: AnswerContext) -> Citation:
    """A finding's location as a citation (a cell keeps its table/row/column)."""
    table = row = column = None
    if loc.cell:
        parts = loc.cell.split("/")
        table, row, column = parts[0], parts[1] if len(parts) > 1 else None, "/".join(parts[2:]) or None
    span = loc.span or (0, 0)
    return Citation(id=loc.cell or f"{loc.doc}:{span[0]}-{span[1]}", doc=loc.doc, section=loc.section or "",
                    page=loc.page, table=table, row=row, column=column, quote=loc.quote, span=span, score=1.0)


def consistency_answer(
    question: str, facts: QuestionFacts, ctx: AnswerContext, near: list[Sentence], lang: Language, check: Any,
    docs: tuple[str, ...] = (),
) -> tuple[str, list[Citation]] | None:
    """Answer text and citations for a consistency question (about the reports ``docs`` names, when it names
    any); None when nothing in the report is on point."""
    plain = _plain(question)
    numbers = quoted_figures(question)
    refs = figure_refs(question)
    asked_rows = _rows(question, ctx)
    findings = findings_of(ctx)
    views = ctx.finding_views or []
    about = [(i, f) for i, f in enumerate(findings) if not docs or any(loc.doc in docs for loc in f.locations)]
    quoted = _quoted_terms(question)
    scored = sorted(((_score(f, views[i], facts, numbers, refs, asked_rows) if _quotes_all(f, quoted) else 0.0, i, f)
                     for i, f in about),
                    key=lambda t: (-t[0], t[1]))
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    # a finding on point: strong on its own, or clearly ahead of every other finding (the question quotes no figure)
    clear_lead = not refs and not numbers and scored and scored[0][0] >= 2.0 and scored[0][0] >= 2 * runner_up
    # a fact restated with other figures about the company the question names is the verdict ('do the two figures for
    # <company>'s volume agree?'), however few of the question's words it repeats
    named = bool(scored) and scored[0][0] > 0 and scored[0][2].kind == "restated_fact" and \
        _names_company(facts, views[scored[0][1]][0]) and _names_required(facts, views[scored[0][1]][0])
    shared = quoted_share(question, refs, asked_rows, facts, ctx, lang, docs)
    if shared is not None:  # a percentage of the text, recomputed from the named table's cells
        return shared
    recompute = bool(refs) and bool(question_words().recompute.search(question))
    checked = table_check(question, refs, asked_rows, facts, ctx, lang, docs, numbers) if recompute else None
    if checked is not None:
        # 'is the printed X correct given its cells': the table's own arithmetic, before a finding that merely quotes X
        return checked
    if scored and (scored[0][0] >= 3.0 or clear_lead or named):
        finding = scored[0][2]
        cites = [location_citation(loc, ctx) for loc in finding.locations[:4]]
        if finding.severity == _ROUNDING:
            lead = "只在四舍五入范围内一致：" if lang == "zh" else "Only through rounding: "
        elif finding.kind == "text_vs_table" and finding.severity == "warning":  # a naming difference: the figures agree
            lead = "数字一致，但名称不同：" if lang == "zh" else "The figures agree, but the names differ: "
        else:
            lead = "报告前后不一致：" if lang == "zh" else "No, the report is inconsistent here: "
        return lead + describe_finding(finding, lang), cites
    if not recompute:  # (a question asking to recompute has had the check already)
        checked = table_check(question, refs, asked_rows, facts, ctx, lang, docs, numbers)
    if checked is not None:
        return checked
    related = change_and_base(question, facts, ctx, lang, docs)
    if related is not None:
        return related
    restated = (same_figure_twice(facts, ctx, lang, docs, quoted) or restated_figures(facts, ctx, lang, docs)) if not numbers else None
    if restated is not None:
        return restated
    worked = quoted_arithmetic(plain, lang) or per_day_average(plain, lang)
    if worked is not None:  # cited from the sentence of the report that prints most of the figures
        printed = max(((sum(_quotes(s.text, [n]) for n in numbers), -s.index, s) for s in ctx.sentences
                       if not docs or s.doc_id in docs), key=lambda t: t[:2], default=None)
        return worked, [sentence_citation(printed[2])] if printed and printed[0] >= 2 else []
    placed = two_places(question, facts, ctx, lang, docs) if len(numbers) >= 2 else None
    if placed is not None:  # 'the text says over 1.2, the case 1.26: do they contradict?' (each where it is printed)
        return placed
    if not near:
        return None
    sent = near[0]
    # a figure the question writes as a rate is printed as one ('下降了20%' is not settled by '20亿元')
    rates = {m.group(1) for m in PERCENT.finditer(plain)}
    numbers = [f"{n}%" if n in rates else n for n in numbers]
    if numbers and not _quotes(sent.compact, numbers):
        # the passage printing most of the quoted figures, among those naming what the question names
        sent = _printing(numbers, facts, ctx, docs) or sent
    adds_up = question_words().recompute.search(question) is not None
    if numbers and adds_up and not parts_checks(sent, lang):
        # 'do the parts add up to the 156?': the passage that prints 156 with its parts, of the passages printing it
        summed = [(sum(_quotes(s.compact, [n]) for n in numbers), s) for s in ctx.sentences
                  if (not docs or s.doc_id in docs) and _quotes(s.compact, numbers) and parts_checks(s, lang)]
        sent = max(summed, key=lambda t: t[0])[1] if summed else sent
    if numbers and not _quotes(sent.compact, numbers):
        return None  # the passage does not state the figures asked about: no verdict on them
    if len(groups := figure_groups(question)) >= 2 and sum(_quotes(sent.compact, g) for g in groups) < 2:
        return None  # ('28万 … but also a million: do these agree?'): a passage printing one of them settles nothing
    for passage in implied_passages(question, facts, ctx, near, docs) if not numbers else []:
        # 'does the year before implied by the text match the footnote?': a passage's level less its change is that
        # figure; the report's own printing of it settles the question (both places quoted)
        if POINTS.search(passage.text) and (implied := change_and_base(passage.text, facts, ctx, lang, docs)):
            text, cites = implied
            text += f"推算所据原文：“{passage.text}”" if lang == "zh" else f" Implied by: “{passage.text}”"
            return text, [sentence_citation(passage), *cites]
    facts_checked = check(sent.text)
    if numbers and any(_quotes(f.text, numbers) for f in facts_checked):
        facts_checked = [f for f in facts_checked if _quotes(f.text, numbers)]  # the figures asked about, not the sentence's others
    bad = [f"{f.text} vs {f.expected}" for f in facts_checked if f.status == "contradicted"]
    derived = [f.formula for f in facts_checked if f.status == "derived" and f.formula]
    # a growth rate printed beside both its levels, a percentage beside the amounts it divides, a total beside its
    # parts: the arithmetic shown
    for formula, holds in growth_checks(sent, lang) + ratio_checks(sent, lang, _before(sent, ctx)) + \
            parts_checks(sent, lang):
        (derived if holds else bad).append(formula)
    quote = f"“{sent.text}”"
    if bad:
        detail = "; ".join(bad)
        text = (f"报告前后不一致：{detail}。原文：{quote}" if lang == "zh"
                else f"No, the report is inconsistent here: {detail}. The report says: {quote}")
    else:
        how = ("；".join(derived) if lang == "zh" else "; ".join(derived)) if derived else ""
        printed = _printed_as_quoted(sent, numbers, facts)
        if lang == "zh":
            said = f"，报告写明：{'；'.join(printed)}" if printed else ""
            text = f"一致：报告中的数字相互吻合{('（' + how + '）') if how else ''}{said}。原文：{quote}"
        else:
            said = f"; the report prints {', '.join(compact(c) for c in printed)}" if printed else ""
            text = f"Yes, the figures agree{(' (' + how + ')') if how else ''}{said}. The report says: {quote}"
    return text, [sentence_citation(sent)]


def _printing(numbers: list[str], facts: QuestionFacts, ctx: AnswerContext, docs: tuple[str, ...]) -> Sentence | None:
    """The sentence that prints most of ``numbers`` and names at least one thing the question names, else None."""
    named = [c for c in facts.concepts if c.kind in ("entity", "metric")]
    best = max(((sum(_quotes(s.compact, [n]) for n in numbers), sum(satisfied(c, s.compact) for c in named), -s.index, s)
                for s in ctx.sentences if (not docs or s.doc_id in docs) and _quotes(s.compact, numbers)),
               key=lambda t: t[:3], default=None)
    return best[3] if best is not None and best[1] > 0 else None


def _printed_as_quoted(sent: Sentence, numbers: list[str], facts: QuestionFacts) -> list[str]:
    """The clauses of ``sent`` that print a figure the question quotes, or a figure of a measure or word the question
    names beside it ('超额完成目标' → '超过1100万人的预期目标'): the report's own words for what was checked."""
    words = [c for c in facts.concepts if (c.kind == "word" and c.required) or c.kind == "metric"]
    out: list[str] = []
    for claim in sorted(sent.claims, key=lambda c: c.span[0]):
        clause = compact(claim.clause or "").rstrip("。；，")
        if clause and clause not in out and (_quotes(compact(claim.text), numbers) or any(satisfied(c, clause) for c in words)):
            out.append(clause)
    return out if numbers and any(_quotes(c, numbers) for c in out) else []


_QUOTED_TERM = re.compile(r"[“\"「『']([^”\"」』']{2,20})[”\"」』']")


def _quoted_terms(question: str) -> list[str]:
    """The report's own words a question quotes ('“城市守护者”勋章'): a finding or passage on point names each of them
    (an English quote, 'waimai butler', is the asker's rendering, not the report's words)."""
    return [compact(m.group(1)) for m in _QUOTED_TERM.finditer(question) if re.search(r"[\u4e00-\u9fff]", m.group(1))]


def _before(sent: Sentence, ctx: AnswerContext) -> Sentence | None:
    """The sentence before ``sent`` in its paragraph, if any."""
    prev = ctx.sentences[sent.index - 1] if 0 < sent.index <= len(ctx.sentences) else None
    same = prev is not None and prev.doc_id == sent.doc_id and prev.paragraph_id == sent.paragraph_id
    return prev if same and prev.paragraph_id is not None and prev.index == sent.index - 1 else None


def _has_all(text: str, terms: list[str]) -> bool:
    return not terms or all(t in compact(text) for t in terms)


def _quotes_all(f: Finding, terms: list[str]) -> bool:
    """Whether the finding is about the quoted terms: its summary names them, or every place it quotes does."""
    return _has_all(f.summary, terms) or bool(f.locations) and all(_has_all(loc.quote, terms) for loc in f.locations)


def _names_company(facts: QuestionFacts, text: str) -> bool:
    return any(c.glossary_kind == "company" and satisfied(c, text) for c in facts.concepts)


def _names_required(facts: QuestionFacts, text: str) -> bool:
    """Whether a finding's text names everything the question requires (the company, and a plan or term it names)."""
    return all(satisfied(c, text) for c in facts.concepts if c.kind == "entity" and c.required)


def _quotes(text: str, numbers: list[str]) -> bool:
    """Whether ``text`` prints any of ``numbers`` ('20%' only as a rate)."""
    return any(re.search(rf"(?<![\d.]){re.escape(n[:-1])}\s*[%％]" if n.endswith("%") else
                         rf"(?<![\d.]){re.escape(n)}(?!\.?\d)", text.replace(",", "")) for n in numbers)


def propose(question: str, facts: QuestionFacts, ctx: AnswerContext, near: list[Sentence], lang: Language,
            check: Any, docs: tuple[str, ...] = ()) -> list[Candidate]:
    """The audit's (or the table's own) verdict on the figures asked about, as a candidate."""
    found = consistency_answer(question, facts, ctx, near, lang, check, docs)
    if found is None:
        return []
    text, cites = found
    return [Candidate("consistency", Draft("consistency", True, text, [(c, []) for c in cites]), 0.9)]
