"""'The text says over 1.2GWh and the case 1.26GWh: do they contradict?': two figures a question quotes for one
quantity, each found where the report prints it, compared with the bound or rounding each carries there.

A verdict is given only when both figures are printed by the report, in two sentences, of the question's subject:
'超过1.2GWh' and '1.26GWh' agree (1.26 lies above 1.2); '约3万' and '3.4万' do not (3.4 is outside 约3's rounding). With no figure quoted, the figures two sections print
about the company the question names are compared: the same figure in both agrees (``same_figure_twice``), one pair
of different ones is compared as quoted figures are (``restated_figures``).
"""

from __future__ import annotations

import re
from typing import Any

from reportqa.query.analysis.concepts import QuestionFacts
from reportqa.query.answerers.base import sentence_citation
from reportqa.query.answerers.textfacts import satisfied, unit_fits
from reportqa.query.figures.claims import extract_claims
from reportqa.query.views.sentences import AnswerContext, Sentence, compact
from reportqa.records import Citation, Language

_BOUND_ZH = {">": "超过", ">=": "不少于", "<": "不足", "<=": "不超过"}
_BOUND_EN = {">": "more than", ">=": "at least", "<": "less than", "<=": "at most"}


def two_places(question: str, facts: QuestionFacts, ctx: AnswerContext, lang: Language,
               docs: tuple[str, ...] = ()) -> tuple[str, list[Citation]] | None:
    """The verdict on two quoted figures of one quantity and the two sentences printing them; None when the question
    quotes no such pair or the report does not print both (no verdict is invented)."""
    quoted = [c for c in extract_claims(question) if c.role is None and c.family not in ("pp",)]
    pair = _pair(quoted)
    if pair is None:
        return None
    found = [_printed(q, facts, ctx, docs) for q in pair]
    if any(f is None for f in found) or found[0][0].index == found[1][0].index:  # type: ignore[index]
        return None
    if any(_printing(s, pair[0]) and _printing(s, pair[1]) for s in ctx.sentences):
        return None  # a sentence printing both ('从218家增加到298家') holds them as two quantities, not one
    (sa, a), (sb, b) = found  # type: ignore[misc]
    lo_a, hi_a = a.interval()
    lo_b, hi_b = b.interval()
    agree = lo_a <= hi_b and lo_b <= hi_a
    text = _verdict(a, b, agree, lang) + _quotes(sa, sb, lang)
    return text, [sentence_citation(sa), sentence_citation(sb)]


def restated_figures(facts: QuestionFacts, ctx: AnswerContext, lang: Language,
                     docs: tuple[str, ...] = ()) -> tuple[str, list[Citation]] | None:
    """'Is <company>'s <measure> in the main text consistent with the case?' with no figure quoted: the one pair of
    figures of the asked measure that two sections print about the company (one unit, one year, different values),
    compared as ``two_places`` compares quoted ones; None when there is no such pair, or more than one."""
    companies = [c for c in facts.concepts if c.glossary_kind == "company" and c.required]
    measures = [c for c in facts.concepts if c.kind == "metric"]
    if not companies or not measures:
        return None
    forms = {compact(f) for c in measures for f in c.forms if len(compact(f)) >= 2}
    printed: list[tuple[Sentence, Any, frozenset[str]]] = []
    for sent in ctx.sentences:
        if not sent.claims or (docs and sent.doc_id not in docs):
            continue
        if not all(satisfied(c, sent.compact + ctx.context_of(sent)) for c in companies):
            continue
        for claim in sent.claims:
            # the measure as the figure's own clause words it, up to the figure ('累计部署…1.26GWh', not '新增装机0.46GWh')
            at = sent.compact.find(compact(claim.text))
            clause = re.split(r"[，。；,;]", sent.compact[:at])[-1] if at >= 0 else ""
            named = frozenset(f for f in forms if f in clause)
            if named and claim.role is None:
                printed.append((sent, claim, named))
    pairs = [((sa, a), (sb, b)) for i, (sa, a, na) in enumerate(printed) for sb, b, nb in printed[i + 1:]
             if sa.section != sb.section and na & nb and a.family == b.family and a.raw_unit == b.raw_unit
             and a.base != b.base and getattr(a, "year", None) == getattr(b, "year", None)]
    if len(pairs) != 1:
        return None
    (sa, a), (sb, b) = pairs[0]
    lo_a, hi_a = a.interval()
    lo_b, hi_b = b.interval()
    text = _verdict(a, b, lo_a <= hi_b and lo_b <= hi_a, lang) + _quotes(sa, sb, lang)
    return text, [sentence_citation(sa), sentence_citation(sb)]


def same_figure_twice(facts: QuestionFacts, ctx: AnswerContext, lang: Language, docs: tuple[str, ...],
                      quoted: list[str] = ()) -> tuple[str, list[Citation]] | None:
    """'Does <company>'s <figure> match between the section and the case?': two passages in different sections that
    name the company the question asks about (and every term it quotes) and print the same figure (of the asked year)
    agree; the audit reports the ones that differ. None when no two such passages share a figure."""
    companies = [c for c in facts.concepts if c.glossary_kind == "company"]
    if not companies:
        return None
    years = set(facts.years)
    found: list[tuple[Sentence, set[str]]] = []
    for sent in ctx.sentences:
        if not sent.claims or (docs and sent.doc_id not in docs):
            continue
        if not any(satisfied(c, sent.compact) or satisfied(c, ctx.context_of(sent)) for c in companies):
            continue
        if not all(t in sent.compact for t in quoted):
            continue
        figures = {compact(c.text) for c in sent.claims if (not years or getattr(c, "year", None) in years)
                   and (not facts.units or unit_fits(c, facts))}
        if figures:
            found.append((sent, figures))
    pairs = [(len(fa & fb), a, b, sorted(fa & fb)) for i, (a, fa) in enumerate(found) for b, fb in found[i + 1:]
             if a.section != b.section and fa & fb]
    if not pairs:
        return None
    _, a, b, shared = max(pairs, key=lambda p: p[0])
    both = "、".join(shared) if lang == "zh" else ", ".join(shared)
    if lang == "zh":
        text = f"一致：两处都写作{both}。原文：“{a.text}”（{a.section}）；“{b.text}”（{b.section}）"
    else:
        text = f"Yes, the figures agree: both passages give {both}. The report says: “{a.text}” ({a.section}); “{b.text}” ({b.section})"
    cites = [sentence_citation(s) for s in (a, b)]
    return text, cites


def _pair(quoted: list[Any]) -> tuple[Any, Any] | None:
    """The two figures of one unit family the question quotes, with different values; None when it quotes more (a
    question setting '从218家增加到298家' against '增加40家' compares changes, not one quantity printed twice)."""
    for family in dict.fromkeys(c.family for c in quoted):
        same = [c for c in quoted if c.family == family]
        if len(same) == 2 and same[0].base != same[1].base:
            return same[0], same[1]
    return None


def _printing(sent: Sentence, q: Any) -> Any | None:
    """The sentence's claim of the quoted figure (same unit family and value), else None."""
    return next((c for c in sent.claims if c.family == q.family and abs(c.base - q.base) <= 1e-9 * max(1.0, abs(q.base))), None)


def _printed(q: Any, facts: QuestionFacts, ctx: AnswerContext, docs: tuple[str, ...]) -> tuple[Sentence, Any] | None:
    """The report sentence printing the quoted figure (same value and unit), the one naming most of the question's
    subjects first."""
    required = [c for c in facts.concepts if c.kind == "entity" and c.required]
    best: tuple[int, Sentence, Any] | None = None
    for sent in ctx.sentences:
        if docs and sent.doc_id not in docs:
            continue
        claim = _printing(sent, q)
        if claim is None:
            continue
        where = sent.compact + ctx.context_of(sent)
        named = sum(satisfied(c, where) for c in required)
        if best is None or named > best[0]:
            best = (named, sent, claim)
    return (best[1], best[2]) if best is not None else None


def _shown(c: Any, lang: Language) -> str:
    words = _BOUND_ZH if lang == "zh" else _BOUND_EN
    word = words.get(c.bound, "") if c.bound else ("约" if lang == "zh" else "about ") if c.approx else ""
    return f"{word}{c.text.strip()}" if lang == "zh" else f"{word}{' ' if word and not word.endswith(' ') else ''}{c.text.strip()}"


def _verdict(a: Any, b: Any, agree: bool, lang: Language) -> str:
    fa, fb = _shown(a, lang), _shown(b, lang)
    if lang == "zh":
        return (f"不矛盾：报告一处为{fa}，另一处为{fb}，两者相容（各按其所注“超过/约/不足”及印刷精度）。" if agree
                else f"不一致：报告一处为{fa}，另一处为{fb}，两者不相容（各按其所注“超过/约/不足”及印刷精度）。")
    return (f"No contradiction: one place gives {fa}, the other {fb}; they are compatible (each read with its own "
            f"bound or rounding)." if agree else
            f"No, they disagree: one place gives {fa}, the other {fb}; they cannot both hold (each read with its own "
            f"bound or rounding).")


def _quotes(sa: Sentence, sb: Sentence, lang: Language) -> str:
    if lang == "zh":
        return f"原文：“{sa.text}”；“{sb.text}”"
    return f" The report says: “{sa.text}” and “{sb.text}”"
