"""Answer a question: analyse it once, let the answerers propose candidates, keep the best supported one that
fits the question's frame (else "the report does not say"), verify its citations and check every figure.

    answer = answer_question("<year> <row> <measure>?", engine, top_k=5)

Answerers (``answerers/``): table (cells and computations), consistency (the audit's verdicts), fact (a figure
in running text), narrative (the sentences that answer why / how / what-are), refusal. A candidate is kept
when it fits the frame (period, place, named subject) and its support reaches its answerer's threshold
(``THRESHOLDS``, calibrated on the eval sets: see README); the highest support wins, ties in the order above.
A table candidate has full support, so when it fits nothing can outscore it and retrieval is skipped.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from reportqa.query.analysis.asks import ask_parts, with_shared
from reportqa.query.analysis.claimed import claimed_question
from reportqa.query.analysis.question import Question, analyse
from reportqa.query.answerers import (
    compound,
    consistency,
    contested,
    earlier,
    fact,
    narrative,
    rate,
    refusal,
    source,
    table,
    whole,
)
from reportqa.query.answerers.base import Candidate, Draft, Evidence
from reportqa.query.answerers.claimed import claimed_verdict
from reportqa.query.answerers.consistency import findings_of
from reportqa.query.answerers.textfacts import nearest
from reportqa.query.checker.checker import check_answer_facts
from reportqa.query.lexicon.frames import frame_words
from reportqa.query.lexicon.homophones import report_words
from reportqa.query.lexicon.question_words import question_words
from reportqa.query.lexicon.segment import is_place
from reportqa.query.views.sentences import AnswerContext, answer_context, compact
from reportqa.records import Answer

_log = logging.getLogger(__name__)

THRESHOLDS = {"table": 1.0, "consistency": 0.5, "fact": 0.5, "narrative": 0.4}
ORDER = ("table", "consistency", "fact", "narrative")


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 3)


def answer_question(question: str, engine: Any, top_k: int) -> Answer:
    """Answer from the report with citations and checked facts."""
    timing: dict[str, float] = {}
    ctx = answer_context(engine)
    t0 = time.perf_counter()
    q = analyse(question, ctx)
    timing["analyse"] = _ms(t0)
    ev = Evidence(q, engine, ctx, top_k)
    t0 = time.perf_counter()
    candidates, draft = _candidates(q, ev)
    draft = _claim_checked(q, draft, ev)
    draft = _each_ask(q, draft, ev)
    draft = contested.disclose(q.text, draft, ctx, q.language)
    timing["answer"] = _ms(t0)
    _verify_citations(draft)
    t0 = time.perf_counter()
    citations = [c for c, _ in draft.citations][: max(top_k, 1) + 4]
    facts_checked = _check(draft.text, ctx, [c.id for c in citations])
    timing["check"] = _ms(t0)
    return Answer(question=question, language=q.language, answerable=draft.answerable, answer=draft.text,
                  kind=draft.kind, citations=citations, facts=facts_checked, timing_ms=timing)


def _each_ask(q: Question, draft: Draft, ev: Evidence) -> Draft:
    """A figure question that asks two or three things: each part answered as a question of its own (its own
    analysis and BM25 look, the whole question's hybrid hits), and the answers combined with the whole question's
    (``answerers/compound.py``)."""
    if q.intent in ("consistency", "narrative") or not q.wants_figure:
        return draft
    parts = ask_parts(q.text, q.language)
    if not parts:
        return draft
    asks, drafts = [], []
    for ask, shared in parts:
        part = analyse(with_shared(ask, shared, q.language), ev.ctx)
        asks.append(ask)
        drafts.append(_candidates(part, Evidence(part, ev.engine, ev.ctx, ev.top_k, borrowed=ev))[1])
    return compound.combine(draft, asks, drafts, q.language)


def _claim_checked(q: Question, draft: Draft, ev: Evidence) -> Draft:
    """A claim put to the report that no consistency answer settled ('有人说…1.89亿元，对吗？'): its figure question
    answered as any other (the whole question's hybrid hits) and compared with the claimed figure
    (``analysis/claimed.py``, ``answerers/claimed.py``)."""
    if q.intent != "consistency" or (draft.kind == "consistency" and consistency.quoted_figures(q.text)):
        return draft  # (a consistency verdict on no quoted figure settles no claim said in words: 'doubled')
    asked = claimed_question(q.text, q.language)
    if asked is None:
        return draft
    part = analyse(asked.question, ev.ctx)
    found = _candidates(part, Evidence(part, ev.engine, ev.ctx, ev.top_k, borrowed=ev))[1]
    return claimed_verdict(asked, found, q.language) or draft


def _candidates(q: Question, ev: Evidence) -> tuple[list[Candidate], Draft]:
    """Every answerer's candidates and the chosen draft."""
    ctx = ev.ctx
    future = frame_words().near_future.search(q.text)
    if future is not None:  # 'tomorrow', '下周': after the report was written; no passage of it can say
        reason = (f"报告只记述其统计期，不涉及“{future.group(0)}”" if q.language == "zh"
                  else f"it covers its own period, not {future.group(0)}")
        refused = refusal.propose(q, ev, reason, None)
        return [refused], refused.draft
    sourced = source.propose(q, ev)
    if sourced:  # 'where does <table>'s data / <figure> come from': the report's own attribution
        return sourced, sourced[0].draft
    candidates, table_missing = table.propose(q, ctx)
    if candidates and candidates[0].fits and q.intent != "consistency":
        if part := _narrower_part(q, ctx):  # '<row>里面光是<part>的…': the row's cell is the whole, not the part
            reason = (f"报告只给出整体的数字，没有“{part}”单独的数字" if q.language == "zh"
                      else f"it gives the whole only, not “{part}” on its own")
            refused = refusal.propose(q, ev, reason, None)
            return candidates + [refused], refused.draft
        return candidates, candidates[0].draft  # full support from the tables: nothing can outscore it
    reason = None
    if q.intent == "consistency":
        near = nearest(q.facts, ctx, ev.ranked, n=1)
        check = lambda text: _check(text, ctx, [])  # noqa: E731
        candidates += consistency.propose(q.text, q.facts, ctx, near, q.language, check, q.docs)
    # a table candidate whose frame does not fit (a cell in 万吨 for a rate) leaves the question to the text answerers
    open_question = not any(c.fits for c in candidates)
    if q.absent and open_question:
        what = ("、" if q.language == "zh" else ", ").join(c.label for c in q.absent)
        reason = f"报告没有提到“{what}”" if q.language == "zh" else f"the report never mentions {what}"
    elif open_question and _unknown_subject(q):
        reason = f"it names no figure for “{' '.join(_as_asked(q))}”"
    elif open_question and (unknown := _unknown_zh_subject(q, ctx) or _unknown_zh_topic(q, ctx)):
        reason = f"报告没有提到“{'、'.join(unknown)}”"
    elif open_question and (attribute := _unknown_attribute(q) or _unknown_measure(q)):
        reason = f"it says nothing about the {attribute}"
    elif open_question:
        found = _text_candidates(q, ev, table_missing)
        if q.intent == "consistency" and (quoted := consistency.quoted_figures(q.text)):
            # 'the text says 1.2, the case 1.26: do they agree?' is not answered by a passage stating neither figure
            found = [c for c in found if c.answerer != "fact" or c.nearest is None or consistency.quotes_any(c.nearest.text, quoted)]
        candidates += found
    if table_missing is not None and reason is None:
        reason = table.table_reason(table_missing, q.language)
    chosen = choose(candidates)
    if chosen is not None:
        return candidates, chosen.draft
    rejected = max((c for c in candidates if c.answerer in ("fact", "narrative")), key=lambda c: c.support, default=None)
    refused = refusal.propose(q, ev, reason, rejected if rejected is not None and not rejected.fits else None)
    if table_missing is not None:
        refused.draft.citations[:0] = table.missing_rows(table_missing, ctx)
    return candidates + [refused], refused.draft


def _text_candidates(q: Question, ev: Evidence, table_missing: Any) -> list[Candidate]:
    """Figures in running text and narrative passages, as the question's intent asks."""
    if q.intent == "narrative" and table_missing is None:
        return narrative.propose(q, ev)
    if q.facts.narrative and table_missing is None:
        out = narrative.propose(q, ev)
        if q.wants_figure and q.intent != "narrative":
            out += fact.propose(q, ev)  # 'how much … and why': the figure competes with the passage
        return out
    if table_missing is not None or (q.facts.forecast and q.wants_figure):
        # ('what will competition shift toward' is an outlook's passage)
        return _with_earlier(fact.propose(q, ev, strict=True), q, ev)
    if not q.wants_figure:
        out = narrative.propose(q, ev)
        if q.intent == "open" and any(_measured(c) for c in q.facts.concepts):
            # 'what is the net carbon reduction of one e-bike?' names a measure but asks no quantity word: a sentence
            # stating it as a figure, and everything else the question names, competes with the passage
            out += [c for c in fact.propose(q, ev) if c.support >= 1.0]
        return out
    return _with_earlier(fact.propose(q, ev), q, ev)


def _with_earlier(found: list[Candidate], q: Question, ev: Evidence) -> list[Candidate]:
    """The figure candidates, and — unless one states everything asked in the asked frame — the asked year derived
    from the next year's level and its change (``earlier``), a rate from the table rows its printed year divides
    (``rate``), or a whole from the levels a table gives with their shares of it (``whole``)."""
    if any(c.fits and c.support >= 1.0 for c in found):
        return found
    return found + earlier.propose(q, ev) + rate.propose(q, ev) + whole.propose(q, ev)


def _as_asked(q: Question) -> list[str]:
    """The unknown words as the question writes them: with the words of the report's aliases among them ('power
    banks', not 'banks')."""
    return [w for w in q.facts.unknown_en_all if w in q.facts.unknown_en or
            any(abs(q.text.find(w) - q.text.find(u)) <= len(w) + 1 for u in q.facts.unknown_en)]


def _unknown_subject(q: Question) -> bool:
    """An English figure question whose only recognised concept is the measure ('market size of <unknown>')."""
    unknown = [w for w in q.facts.unknown_en if w.lower() not in question_words().en_connectives]
    if not unknown or q.facts.narrative:
        return False
    if not any(c.kind != "year" for c in q.facts.concepts) and q.intent in ("figure", "open"):
        return True  # nothing the question names but a year is known to the lexicon ('boiling point of water in 2023')
    named = [c for c in q.facts.concepts if c.kind != "year"]
    if q.facts.quantitative and any(re.search(rf"(?<![\w-]){re.escape(w)}[\s-]+{re.escape(c.label)}\b", q.text, re.I)
                                    for w in unknown for c in named if c.topic or len(named) == 1):
        # an unknown kind of the report's own subject ('sodium-ion battery'), or the one measure the question names
        # asked of an unknown thing ('bitcoin price'): not a figure of anything the report names
        return True
    return q.facts.quantitative and not any((c.kind == "entity" and c.required) or c.topic for c in q.facts.concepts)


def _unknown_zh_subject(q: Question, ctx: AnswerContext) -> list[str]:
    """A Chinese figure question that requires no subject the reports name, whose own words no report uses
    ('今年全国高考报名人数': '高考', '报名'): its subject is not in the reports, however many figures of the asked
    kind they print. The unused words, else []."""
    if q.language != "zh" or not q.facts.quantitative or q.facts.narrative:
        return []
    if any((c.kind == "entity" and c.required) or c.topic or c.kind == "metric" for c in q.facts.concepts):
        return []
    return [c.label for c in q.facts.concepts if c.kind == "word" and len(c.label) >= 2
            and not any(ctx.mentioned(f) for f in c.forms)]


_PART_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z -]{1,30}?(?=的|\s+(?:part|segment|portion)\b|[？?，,。]|$)")


def _narrower_part(q: Question, ctx: AnswerContext) -> str:
    """The part a question narrows its named whole to ('共享医疗里面光是<part>的交易规模'), unless it is a row the table
    query reads ('…其中仅<row>的交易额': that row's cell answers); else ''."""
    m = question_words().sub_part.search(q.text)
    part = _PART_WORDS.match(q.text[m.end():].lstrip()) if m else None
    if part is None:
        return ""
    words = part.group(0).strip()
    rows = set(q.table_query[1].rows) if q.table_query else set()
    if any(mn.entry.term in rows or mn.text in rows for mn in ctx.glossary.find(words)):
        return ""
    return words


def _unknown_zh_topic(q: Question, ctx: AnswerContext) -> list[str]:
    """A Chinese question naming only places the reports know, whose every other word no report uses
    ('<city>今年冬天会下雪吗'): the place is in the reports, what is asked of it is not. The unused words, else []."""
    if q.language != "zh" or q.intent == "consistency":
        return []
    named = [c for c in q.facts.concepts if c.kind != "year"]
    places = [c for c in named if c.kind == "entity" and is_place(c.forms[0])]
    words = [c for c in named if c not in places]
    if not places or not words or any(c.kind != "word" for c in words):
        return []
    unused = [c.label for c in words if len(c.label) >= 2 and not any(ctx.mentioned(f) for f in c.forms)]
    return unused if len(unused) == len(words) else []


_ATTRIBUTE_OF = re.compile(r"^(?:what(?:'s|’s| is| was| are| were)\s+)?(?:the\s+)?(?P<attr>[a-z][\w\s'’-]*?)\s+of\s+\S", re.I)


def _unknown_attribute(q: Question) -> str:
    """'What is the <attribute> of <thing>?' whose attribute the lexicon does not know ('boiling point', 'population'):
    the report may name the thing, but nothing says it gives that attribute of it. The attribute, else ''."""
    if q.language != "en" or q.intent != "open" or q.facts.narrative or not q.facts.unknown_en_all:
        return ""
    m = _ATTRIBUTE_OF.match(q.text.strip())
    if m is None:
        return ""
    attr = m.group("attr").strip()
    words = re.findall(r"[A-Za-z]+", attr)
    unknown = {w.lower() for w in q.facts.unknown_en_all}  # an alias word ('population') is no attribute the report gives
    known = any(c.label.lower() in attr.lower() or attr.lower() in c.label.lower() for c in q.facts.concepts if c.kind != "year")
    return attr if words and not known and all(w.lower() in unknown for w in words) else ""


def _unknown_measure(q: Question) -> str:
    """'<place> population 2022?', 'How many residents does <place> have?': an English figure question naming only
    places, whose measure or counted noun the lexicon knows only inside other aliases ('population' of '<internet>
    population') or not at all: the report may name the place, but nothing says it gives that measure of it. The
    measure words, else ''."""
    if q.language != "en" or q.facts.narrative or not q.facts.unknown_en_all or q.intent not in ("figure", "open"):
        return ""
    named = [c for c in q.facts.concepts if c.kind != "year"]
    places = [c for c in named if c.kind == "entity" and is_place(c.forms[0])]
    return " ".join(q.facts.unknown_en_all) if named and len(places) == len(named) else ""


def _measured(c: Any) -> bool:
    """Whether a concept is a measure: a metric, or a term written as an amount, a rate or a scale ('减碳量')."""
    w = question_words()
    return c.kind == "metric" or (c.kind == "entity" and any(
        f.endswith(w.scale_suffixes + w.rate_suffixes + w.scale_words) for f in c.compact_forms))


def choose(candidates: list[Candidate]) -> Candidate | None:
    """The best supported candidate that fits the question's frame and reaches its threshold; None to refuse."""
    kept = [c for c in candidates if c.fits and c.draft.answerable and c.support >= THRESHOLDS.get(c.answerer, 1.0)]
    return max(kept, key=lambda c: (c.support, -ORDER.index(c.answerer)), default=None)


def warm(engine: Any) -> None:
    """Build the engine's answer caches now (sentences, claims, glossary, jieba, checker index) so the first question is fast."""
    ctx = answer_context(engine)
    analyse("warm-up", ctx)
    report_words(ctx)  # (the reports' words a mistyped Chinese word is read as)
    findings_of(ctx)
    _check("2022年交易额为100亿元，同比增长3.9%。", ctx, [])  # any sentence with figures


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
