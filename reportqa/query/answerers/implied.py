"""Figures a question or a passage implies rather than prints, checked against the ones the report does print:
a level less its change in points is the year before's figure ('rose 6.4 pp to 40.5%' → 34.1%), and a growth rate
printed beside both its levels is recomputed from them ('974.30 ÷ 525.29 − 1 = 85.5%, printed 85%').
"""

from __future__ import annotations

import re

from reportqa.query.analysis.concepts import QuestionFacts
from reportqa.query.answerers.base import sentence_citation
from reportqa.query.answerers.quoted import PERCENT, POINTS
from reportqa.query.answerers.textfacts import satisfied
from reportqa.query.lexicon.question_words import question_words
from reportqa.query.views.sentences import AnswerContext, Sentence, compact
from reportqa.records import Citation, Language

IMPLIED_TRIES = 6  # passages read for a level and its change when the question quotes no figure


def implied_passages(question: str, facts: QuestionFacts, ctx: AnswerContext, near: list[Sentence],
                      docs: tuple[str, ...]) -> list[Sentence]:
    """Passages that print a level and its change in points, for a question about the figure they imply: the nearest
    ones, and — when the question asks about an implied or revised figure — any that names the question's subject."""
    found = near[:IMPLIED_TRIES]
    if question_words().implied.search(question):
        subjects = [c for c in facts.concepts if c.kind in ("entity", "metric") and c.required] or \
            [c for c in facts.concepts if c.kind == "metric"]
        found += [s for s in ctx.sentences if (not docs or s.doc_id in docs) and s not in found and subjects
                  and POINTS.search(s.text) and all(satisfied(c, s.compact) for c in subjects)]
    return found


def change_and_base(question: str, facts: QuestionFacts, ctx: AnswerContext, lang: Language,
                     docs: tuple[str, ...]) -> tuple[str, list[Citation]] | None:
    """'rose 6.4 pp to 40.5% … does this match the revised 2021 figure?': the level less the change is the
    year-before figure; a sentence of the report that prints it (and names the question's subject) settles it."""
    change, level = POINTS.search(question), None
    if change is None:
        return None
    # the level the change leads to: the last percentage before the change ('回收率达到48.3%，较上年提高3.4个百分点',
    # not the sentence's earlier growth rate), else the first after it
    level = ([m for m in PERCENT.finditer(question[:change.start()])] or [PERCENT.search(question, change.end())])[-1]
    if level is None:
        return None
    pp, now = float(change.group(1)), float(level.group(1))
    decimals = max(len(x.split(".")[1]) if "." in x else 0 for x in (change.group(1), level.group(1)))
    subjects = [c for c in facts.concepts if c.kind == "entity" and c.required] or \
        [c for c in facts.concepts if c.kind == "metric"]  # 'the regulated recovery rate … 48.3%': the measure it names
    if not subjects:
        return None  # a bare percentage found anywhere says nothing about the question's subject
    for sign in (-1, 1):  # 'rose … to' (the base is below) first, then 'fell … to'
        base = round(now + sign * pp, decimals)
        for sent in ctx.sentences:
            if docs and sent.doc_id not in docs:
                continue
            if not any(satisfied(c, sent.compact) for c in subjects):
                continue
            hit = next((c for c in sent.claims if c.unit == "%" and abs(c.value - base) <= 0.5 * 10 ** -decimals + 1e-9
                        and abs(c.value - now) > 1e-9), None)
            if hit is None:
                continue
            op = "−" if sign < 0 else "+"
            how = f"{level.group(1)}% {op} {change.group(1)}{'个百分点' if lang == 'zh' else ' pp'} = {base:.{decimals}f}%"
            quote = f"“{sent.text}”"
            text = (f"一致：{how}，与报告所印{compact(hit.text)}相符。原文：{quote}" if lang == "zh"
                    else f"Yes, they agree: {how}, the figure the report prints ({compact(hit.text)}). The report says: {quote}")
            return text, [sentence_citation(sent)]
    return None


def growth_checks(sent: Sentence, lang: Language = "en") -> list[tuple[str, bool]]:
    """Each growth rate a sentence prints beside the levels of its year and the year before, recomputed:
    ('974.30亿元 ÷ 525.29亿元 − 1 = 85.5%, printed 85%', holds). It holds when the printed rate is the computed
    one at the rate's printed precision (85% covers 84.5–85.5%)."""
    out: list[tuple[str, bool]] = []
    levels = [c for c in sent.claims if getattr(c, "role", None) not in ("growth", "change", "share") and c.year]
    for g in (c for c in sent.claims if getattr(c, "role", None) == "growth" and c.year):
        now = [c for c in levels if c.year == g.year]
        before = [c for c in levels if c.year == g.year - 1]
        if len(now) != 1 or len(before) != 1 or now[0].family != before[0].family or not before[0].value:
            continue
        rate = (now[0].value / before[0].value - 1) * 100
        decimals = _decimals(g.text)
        holds = abs(rate - g.value) <= 0.5 * 10 ** -decimals + 1e-9
        printed_as = f"，报告印为{compact(g.text)}" if lang == "zh" else f", printed {compact(g.text)}"
        out.append((f"{compact(now[0].text)} ÷ {compact(before[0].text)} − 1 = {rate:.{decimals + 1}f}%{printed_as}", holds))
    return out


def _decimals(text: str) -> int:
    digits = re.sub(r"[^\d.]", "", compact(text))
    return len(digits.split(".")[1]) if "." in digits else 0


def ratio_checks(sent: Sentence, lang: Language = "en", before: Sentence | None = None) -> list[tuple[str, bool]]:
    """A percentage a sentence prints beside two amounts of one kind that it is the ratio of, recomputed
    ('21.7万吨 ÷ 300万吨 = 7.2%, printed 7%'). Only a pair that gives the printed percentage at its printed precision
    is shown (the sentence does not say which amounts a percentage divides; no other pair is evidence against it),
    and only when exactly one pair does. The whole may stand in the sentence ``before`` it in its paragraph ('职业数达
    1639个。新版大典首次标识了 97个数字职业，占职业总数的 6%'). A denominator printed as a lower bound ('超过300万吨')
    makes the ratio an upper bound, said so."""
    out: list[tuple[str, bool]] = []
    amounts = [c for c in sent.claims if c.unit != "%" and getattr(c, "role", None) is None and c.base]
    for p in (c for c in sent.claims if c.unit == "%" and getattr(c, "role", None) in (None, "share")):
        tolerance = 0.5 * 10 ** -_decimals(p.text) + 1e-9
        wholes = amounts + [c for c in (before.claims if before else []) if c.unit != "%" and c.base
                            and getattr(c, "role", None) is None]
        pairs = [(a, b, a.base / b.base * 100) for a in amounts for b in wholes
                 if a is not b and a.family == b.family and a.base < b.base]
        fit = [(a, b, r) for a, b, r in pairs if abs(r - p.value) <= tolerance
               or (b.bound in (">", ">=") and r >= p.value - tolerance)]
        if len(fit) != 1:
            continue
        a, b, r = fit[0]
        bound = b.bound in (">", ">=")
        if lang == "zh":
            note = f"（分母为“超过{compact(b.text)}”，比例至多如此）" if bound else ""
            out.append((f"{compact(a.text)} ÷ {compact(b.text)} = {r:.{_decimals(p.text) + 1}f}%{note}，报告印为{compact(p.text)}", True))
        else:
            note = f" (at most, the denominator being more than {compact(b.text)})" if bound else ""
            out.append((f"{compact(a.text)} ÷ {compact(b.text)} = {r:.{_decimals(p.text) + 1}f}%{note}, printed {compact(p.text)}", True))
    return out


def parts_checks(sent: Sentence, lang: Language = "en") -> list[tuple[str, bool]]:
    """A total a sentence prints with two or more parts of one kind and year after it ('156家企业中，梯次利用企业 93家，
    再生利用企业 48家，同时开展两类业务的企业 15家'), summed, when the parts add up to the total within their printed
    precision. Parts that do not add up are no evidence against it: a sentence may list some parts of a total, or
    figures of other measures in the same unit ('13900个网点，覆盖31个省…326个地级行政区')."""
    levels = [c for c in sent.claims if c.unit != "%" and getattr(c, "role", None) is None and not c.bound and c.base]
    for i, total in enumerate(levels):
        parts = [c for c in levels[i + 1:] if c.family == total.family and c.unit == total.unit and c.year == total.year]
        if len(parts) < 2 or any(p.value >= total.value for p in parts):
            continue
        summed = sum(p.value for p in parts)
        decimals = max(_decimals(c.text) for c in (total, *parts))
        if abs(summed - total.value) > 0.5 * 10 ** -decimals * len(parts) + 1e-9:
            continue
        plus = " + ".join(compact(p.text) for p in parts)
        shown = f"{summed:.{decimals}f}{total.unit or ''}"
        if lang == "zh":
            return [(f"{plus} = {shown}，与报告所印总数{compact(total.text)}相符", True)]
        return [(f"{plus} = {shown}, the total the report prints ({compact(total.text)})", True)]
    return []
