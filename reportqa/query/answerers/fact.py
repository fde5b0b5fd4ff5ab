"""Figures in running text: the sentence (and the figure in it) that states what a quantitative question asks.

Its support is the share of the question's concepts the sentence states (``textfacts.coverage``); the frame
must fit: a part-of-year figure does not answer a full-year question (nor the reverse), a span of years
does not answer one year, the world does not answer the report's own country, and every proper name the
question uses must stand in the sentence or its context.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from reportqa.numeric import UnitError, parse_unit
from reportqa.query.analysis.question import Question
from reportqa.query.answerers.base import (
    Candidate,
    Draft,
    Evidence,
    sentence_citation,
    where,
)
from reportqa.query.answerers.fact_frame import BASE_ISSUE, case_issues, frame_issues
from reportqa.query.answerers.textfacts import (
    YEAR,
    FactMatch,
    by_role,
    counted_noun,
    dated_year,
    find_fact,
    find_facts,
    is_condition,
    qualifiers,
    satisfied,
)
from reportqa.query.lexicon.question_words import question_words
from reportqa.query.lexicon.tablewords import SHARE_WORD
from reportqa.query.render import quantity_en, quantity_zh
from reportqa.query.views.sentences import Sentence, compact

SURE = 1.0  # coverage at which a BM25-found sentence answers without hybrid retrieval
SPARSE_KEPT = 3  # BM25 hits read beside the hybrid ones
FRAME_TRIES = 6  # sentences tried for one in the asked place
_PLACE_ISSUES = {"world", "home country"}  # a figure of another place than the one asked
_NEXT_TRIED = _PLACE_ISSUES | {BASE_ISSUE, "累计", "cumulative"}  # issues a later sentence stating the question as well may not have
_NUM_UNIT = re.compile(r"^(?:人民币|CNY|RMB|¥|￥)?\s*([<>≤≥＜＞]?[-+]?[\d,]*\.?\d+)\s*(.*)$")


def propose(q: Question, ev: Evidence, *, strict: bool = False) -> list[Candidate]:
    """The best-fitting sentence figure as a candidate. ``strict``: every named metric and entity must be stated
    (a table lacking the asked year, or a forecast, is only answered by a sentence that names it all)."""
    facts = q.facts
    if strict:
        facts = facts.with_concepts([replace(c, required=c.required or (c.kind in ("metric", "entity") and not c.frame))
                                     for c in facts.concepts])
    # the cheap look first: a sentence among the BM25 hits that states everything asked, in the asked frame, needs no
    # query embedding; anything less goes to hybrid retrieval
    # (English words the lexicon cannot render are invisible to BM25: such a question always gets the dense look)
    match = None if q.facts.unknown_en else find_fact(facts, ev.ctx, ev.sparse_ranked, q.docs, everywhere=False)
    issues = frame_issues(q, match, ev.ctx) if match is not None and match.coverage >= SURE else None
    counting = bool(facts.counted) and not facts.change  # (a change, '比上年增加了40家', names no noun)
    if issues == [] and counting and not _counts_asked(match, facts):
        issues = None  # '多少家<X>' met by a figure not counting X ('平台已链接企业90万家'): look further for one that does
    if issues != []:
        # the hybrid hits, then BM25's own first hits that fusion left out (a passage only the words find: rank fusion
        # drops a chunk the dense look missed however well BM25 ranked it)
        looked = ev.ranked + [cid for cid in ev.sparse_ranked[:SPARSE_KEPT] if cid not in ev.ranked]
        found = find_facts(facts, ev.ctx, looked, q.docs)
        if not found:
            return []
        match = found[0]
        if counting and not _counts_asked(match, facts):  # ('全国已有超过1000家工业互联网平台' counts what is asked)
            match = next((m for m in found[1:FRAME_TRIES] if _counts_asked(m, facts) and m.coverage >= match.coverage
                          and not frame_issues(q, m, ev.ctx)), match)
        issues = frame_issues(q, match, ev.ctx)
        # a figure of another frame (the home country's for the world's) yields to the next sentence stating the
        # question as well in the asked frame ('全球退役动力电池约96万吨' beside '我国…58.6万吨')
        family = getattr(match.claim, "family", None)
        def fitting(matches: list[FactMatch]) -> FactMatch | None:
            return next((m for m in matches[:FRAME_TRIES] if (m.coverage >= match.coverage or _counts_asked(m, facts))
                         and m is not match and getattr(m.claim, "family", None) == family
                         and not frame_issues(q, m, ev.ctx)), None)

        # (a count of another noun, '12个城市', yields to a count of the noun asked, '接入回收服务网点1500个')
        other_noun = counted_noun(match.claim, _clause(match), facts)
        retry = set(issues) <= _NEXT_TRIED | ({f"“{other_noun}”"} if other_noun else set()) | set(case_issues(q, match, ev.ctx))
        if issues and retry and (other := fitting(found[1:])) is not None:
            match, issues = other, []
    draft = _draft(match, q, ev)
    return [Candidate("fact", draft, round(match.coverage, 3), issues, nearest=match.sentence)]


def _clause(m: FactMatch) -> str:
    return compact(getattr(m.claim, "clause", "") or "")


def _counts_asked(m: FactMatch, facts: Any) -> bool:
    """Whether the figure counts the very noun the question counts ('多少个网点' ← '网点1500个')."""
    return counted_noun(m.claim, _clause(m), facts) == "" or (m.claim is not None and any(
        f and compact(f) + compact(m.claim.text) in _clause(m) for f in facts.counted))


_SPAN = re.compile(r"自?\d{4}年[^至到]*[至到]\d{4}年")  # '自2020年8月至2022年10月': a span, not one year


def _figure_parts(claim: Any) -> tuple[str, str]:
    m = _NUM_UNIT.match(getattr(claim, "text", "").strip())
    if not m:
        return getattr(claim, "text", ""), ""
    return m.group(1), m.group(2).strip()


def _draft(match: FactMatch, q: Question, ev: Evidence) -> Draft:
    sent, claim, lang = match.sentence, match.claim, q.language
    quals = qualifiers(sent.text, getattr(claim, "text", None))
    if sent.context_year is not None and ((not YEAR.search(sent.compact) and getattr(claim, "year", None) is None)
                                          or dated_year(claim, sent) != getattr(claim, "year", None)):
        # the sentence prints no year: say where the year comes from
        quals.append(f"年份据所在章节上文：{sent.context_year}年" if lang == "zh"
                     else f"the year is the one its section gives before it, {sent.context_year}")
    lead = _lead(claim, q, sent)
    named = _named_items(claim, sent, q) if claim is not None else []
    if named and lang != "zh" and ": " in lead:  # each named item's figure, not the first item's for all of them
        lead = f"{lead.rsplit(': ', 1)[0]}, respectively: {_items_en(named)}"
    else:
        lead += _companion(claim, sent, lang, lead)
        if not named:
            lead += _also_asked(claim, sent, q, lead)
            if claim is not None and question_words().two_asks.search(q.text) and _asks_amount_and_share(q.text):
                # 'how many … and what was China's share', '全球退役了多少…，中国占多少': the other of the two
                lead += _beside(claim, sent, lead, q.language, share=claim.family != "percent")
        elif lang == "zh":
            lead += "（分别为" + "、".join(f"{o.listed_as}{compact(o.text)}" for o in named) + "）"
        else:
            lead += f" (respectively: {_items_en(named)})"
    if lang == "zh":
        qual = f"（报告注明：{'、'.join(quals)}）" if quals else ""
        text = f"{lead}{qual}。报告原文：“{sent.text}”{where(sent, lang)}"
    else:
        qual = f" (the report qualifies it: {', '.join(quals)})" if quals else ""
        text = f"{lead}{qual}. The report says: “{sent.text}”{where(sent, lang)}"
    draft = Draft("text", True, text)
    draft.citations.append((sentence_citation(sent, ev.score_of(sent.chunk_id, 1.0)),
                            [compact(getattr(claim, "text", ""))]))
    for n in sent.footnote_markers:
        note = ev.ctx.footnotes.get((sent.doc_id, n))
        if note is not None:
            draft.text += f"脚注{n}：“{note.text}”" if lang == "zh" else f" Footnote {n}: “{note.text}”"
            draft.citations.append((sentence_citation(note), []))
    return draft


_CHANGE_WORDS = re.compile(r"((?:同比|环比|较上年末?|比上年末?|较上年底|较(?:19|20)\d{2}年底?|比(?:19|20)\d{2}年底?)?(?:大幅|分别)?"
                           r"(增长|下降|提高|降低|增加|减少|上升|下滑|回落|提升))了?$")
_DOWN = ("下降", "降低", "减少", "下滑", "回落")
_EQUIVALENT = "相当于"  # a figure of another unit stated as what the level amounts to


def _companion(claim: Any, sent: Sentence, lang: str, lead: str) -> str:
    """The change the report states beside a level or a share ('2225亿元' ← '同比增长26.6%'; '40.5%' ← '占比较上年提高
    6.4个百分点'), as it states it:
    the growth or percentage-point change right before or after the figure, with no other level between. Beside a
    growth rate, the level it leads to (the report states a rate with its level, asked or not)."""
    role = getattr(claim, "role", None)
    if claim is None:
        return ""
    claims = sorted(sent.claims, key=lambda c: c.span[0])
    at = next((i for i, c in enumerate(claims) if c is claim), None)
    if at is None:
        return ""
    if role in ("growth", "change"):
        # (a rate is stated with the level it grew to, '约17.9万吨，同比增长27.4%', whether or not the question asks both)
        return _level_beside(claims, at, lang, lead)
    after = claims[at + 1] if at + 1 < len(claims) else None
    before = claims[at - 1] if at and claims[at - 1].clause == claim.clause else None  # '同比增长26.6%至2225亿元'
    for other in (after, before):
        if other is None or abs(other.span[0] - claim.span[0]) > 40:
            continue
        clause = compact(other.clause or "")
        at_figure = clause.find(compact(other.text))
        said = clause[max(0, at_figure - 12):at_figure] if at_figure >= 0 else ""  # what the clause says before it
        m = _CHANGE_WORDS.search(said) if said else None
        if not m or not (other.role in ("growth", "change") or other.unit == "个百分点"):
            continue
        if other.unit not in ("%", "个百分点") and not _same_base(other.unit, claim.unit):
            # '减少二氧化碳排放量118.7万吨，相当于减少了27万辆…': another measure's amount, not a change of this one —
            # given only as the equivalence the report states, in its words
            if _EQUIVALENT not in said:
                continue
            stated = said[said.find(_EQUIVALENT):] + compact(other.text)
            return f"，{stated}" if lang == "zh" else f", equivalent to {quantity_en(*_figure_parts(other))} ({stated})"
        if role == "share" and other.unit != "个百分点":
            continue  # a share changes by percentage points ('占比较上年提高6.4个百分点'), never by a growth rate
        phrase = m.group(1) + compact(other.text)
        if phrase in compact(lead):
            return ""
        if lang == "zh":
            return f"，{phrase}"
        direction = "down" if m.group(2) in _DOWN else "up"
        since = " year on year" if m.group(1).startswith(("同比", "环比")) else (" on the year before" if "上年" in m.group(1) else "")
        amount = quantity_en(*_figure_parts(other)) if other.unit != "个百分点" else f"{_figure_parts(other)[0]} percentage points"
        return f", {direction} {amount.lstrip('+-')}{since}"
    return ""


def _same_base(a: str | None, b: str | None) -> bool:
    """Whether two units measure in the same base ('万吨' and '吨'; '辆' and '万吨' do not)."""
    try:
        return parse_unit(a or "")[0] == parse_unit(b or "")[0]
    except UnitError:
        return a == b


_BARE_CHANGE = re.compile(r"(?:同比|环比|较|比|增长|下降|提高|降低|增加|减少|上升|下滑|回落|提升|增幅|增速)")  # a rate's clause naming no subject


def _level_beside(claims: list[Any], at: int, lang: str, lead: str) -> str:
    """The level printed next to a growth rate in its clause ('同比增长26.6%至2225亿元', '509.0万本，同比增长28.9%'), or in
    the clause before when the rate's own clause names no subject ('…回收量约17.9万吨，同比增长27.4%')."""
    growth = claims[at]
    beside = [c for c in (claims[at + 1] if at + 1 < len(claims) else None, claims[at - 1] if at else None) if c is not None]
    # (not across a semicolon: '…驾驶员证》509.0万本，同比增长28.9%；…运输证》211.8万本' → 509.0万本)
    apart = lambda c: (growth if c.span[0] > growth.span[0] else c).clause.rstrip().endswith(("；", ";"))  # noqa: E731
    for other in sorted(beside, key=apart):
        if other.role is not None or other.unit in ("%", "个百分点") or abs(other.span[0] - growth.span[0]) > 30:
            continue
        if compact(other.text) in compact(lead):
            return ""
        if other.span[0] < growth.span[0] and other.clause != growth.clause:
            if not _BARE_CHANGE.match(compact(growth.clause or "")):
                continue  # the rate's clause names its own subject ('互联网营销从业人员每月增速…'): the level before is another's
            if lang == "zh":
                return f"（{compact(other.clause or '').rstrip('。；，')}）"  # '同比增长27.4%（全国规范渠道回收量约17.9万吨）'
        return f"，{compact(other.text)}" if lang == "zh" else f", to {quantity_en(*_figure_parts(other))}"
    return ""


def _also_asked(claim: Any, sent: Sentence, q: Question, lead: str) -> str:
    """The sentence's other figures that the question also asks for ('…有多少人，完成目标没？' → '超过1100万人的预期目标';
    'revenue and its growth rate'): a measure or noun of the question that the main figure's clause lacks and
    another figure's clause (or role) states."""
    if claim is None:
        return ""
    main = _own_part(claim, sent.claims)
    words = question_words()
    # '从多少跌到了多少', 'peak vs end-2023': the other end of the move, in the same unit
    if words.from_to.search(q.text) or words.versus.search(q.text):
        other = next((o for o in sorted(sent.claims, key=lambda c: c.span[0]) if o is not claim
                      and o.family == claim.family and compact(o.text) not in compact(lead)), None)
        if other is not None:
            if q.language == "zh":
                return f"；{compact(other.clause or '').rstrip('。；，')}"
            return f"; {'then' if other.span[0] > claim.span[0] else 'from'} {quantity_en(*_figure_parts(other))}"
    # beside an average the question also asks for ('orders in H2, and the daily average'), the thing averaged is
    # asked too: a total stated for it ('聚合订单合计8.55亿单，日均465万单')
    two = words.two_asks.search(q.text) is not None
    both = q.facts.average and two
    averaged = both and bool(words.average_stated.search(main))
    # (a growth rate's level right before it names what grew: '《网络预约…驾驶员证》509.0万本，同比增长28.9%')
    ordered = sorted(sent.claims, key=lambda c: c.span[0])
    at = next((i for i, c in enumerate(ordered) if c is claim), 0)
    level = ordered[at - 1] if at and claim.role in ("growth", "change") else None
    grown = main + (compact(level.clause or "") if level is not None and not level.clause.rstrip().endswith(("；", ";")) else "")
    asked = [c for c in q.facts.concepts if (c.kind == "metric" or (c.kind == "word" and c.required)
                                             or (averaged and c.kind == "entity" and c.required)
                                             or (both and c.kind == "entity" and any(map(words.average_stated.search, c.forms)))
                                             or (two and c.kind == "entity" and c.required)  # 'Li carbonate & nickel sulfate'
                                             or (c.kind == "year" and len(q.frame.years) >= 2 and not q.facts.change))  # '2025 and 2030'
             and not satisfied(c, grown) and not by_role(c, claim)]
    listed = _listed_with(claim, sent, lead, q.language) if two else ""
    if not asked:
        return listed
    # a clause stating the main figure's own measure ('…镍、钴、锰平均回收率98.5%' beside the lithium rate asked) is
    # another subject's figure, not a second thing asked
    own = [c for c in q.facts.concepts if c.kind == "metric" and satisfied(c, main)]
    out: list[str] = []
    said = compact(lead)
    for other in sorted(sent.claims, key=lambda c: c.span[0]):
        clause = _own_part(other, sent.claims).rstrip("。；，")
        if other is claim or compact(other.text) in said or clause == main or any(satisfied(c, clause) for c in own) \
                or (other.bound is not None and is_condition(other, q.facts)):  # ('不足1吨' of '连1吨都没收到': the
            # question's own threshold, no answer; a figure it states to check, '计8760万元', is given back)
            continue
        near = _stretch(other, sent)
        hits = [c for c in asked if (satisfied(c, clause) or by_role(c, other) or (c.kind == "entity" and satisfied(c, near)))
                and (c.kind != "entity" or other.family == claim.family)]  # (the thing averaged: its own total)
        # a figure of the same kind (67家 beside 156家) is a second ask only when the question asks two things
        if not hits or (other.family == claim.family and not two):
            continue
        # (named nearest the figure first: '交通运输部…腾讯…其合规率为57.4%' → 腾讯)
        hits.sort(key=lambda c: -max((near.rfind(f) for f in c.compact_forms), default=-1))
        said += clause
        if q.language == "zh":
            out.append(f"；{clause}")
        else:
            number, unit = _figure_parts(other)
            label = hits[0].label.rstrip("年") if hits[0].kind == "year" else hits[0].label
            out.append(f"; {label}: {quantity_en(number, unit) if unit != '个百分点' else number + ' percentage points'}")
    return listed + "".join(out[:2])


_ASK_PARTS = re.compile(r"[，,？?；;]|\band\b", re.I)


def _asks_amount_and_share(text: str) -> bool:
    """One part of the question asks an amount or a count, another a share ('How many … retired globally, and what was
    China's share'); a part naming a rate or share asks that, whatever its '多少' ('占比有多少', '回收率多少')."""
    words = question_words()
    parts = [p for p in _ASK_PARTS.split(text) if p and p.strip()]
    share = [p for p in parts if SHARE_WORD.search(p) or any(r in p for r in words.rate_suffixes)]
    amount = [p for p in parts if p not in share and words.amount_ask.search(p)]
    return bool(share) and bool(amount)


def _beside(claim: Any, sent: Sentence, lead: str, lang: str, *, share: bool) -> str:
    """The other of an amount and a share that the sentence states together when the question asks both
    ('全球退役动力电池约96万吨，我国约占六成' for 'how many … and what was China's share'): its first share, or its first
    level or count."""
    other = next((o for o in sorted(sent.claims, key=lambda c: c.span[0]) if o is not claim and compact(o.text) not in compact(lead)
                  and (o.role == "share" or (o.unit == "%" and o.role is None) if share else o.role is None and o.kind in ("level", "count"))),
                 None)
    if other is None:
        return ""
    if lang == "zh":
        return f"；{_own_part(other, sent.claims).rstrip('。；，')}"
    return f"; and {quantity_en(*_figure_parts(other))}" if not share else f"; share: {_share_en(other)}"


def _share_en(claim: Any) -> str:
    """A share in English: as printed ('48.3%'), or a share the report says in words as 'about 40% (四成)'."""
    number, unit = _figure_parts(claim)
    return f"about {abs(claim.value):.3g}% ({claim.text})" if not unit else quantity_en(number, unit)


def _named_items(claim: Any, sent: Sentence, q: Question) -> list[Any]:
    """The figures of a '分别' list whose items the question names, when it names two or more of them ('cobalt,
    lithium and nickel' of '再生钴、再生锂和再生镍…分别不低于16%、6%和6%'), each to be given with its own item; else []."""
    if not getattr(claim, "listed_as", None):
        return []
    forms = [f for c in q.facts.concepts if c.kind != "year" for f in c.forms if re.search(r"[\u4e00-\u9fff]", f)]
    listed = [o for o in sorted(sent.claims, key=lambda c: c.span[0]) if o.listed_as and o.family == claim.family]
    named = [o for o in listed if any(f in o.listed_as for f in forms)]
    return named if len(named) >= 2 and claim in named else []


def _items_en(named: list[Any]) -> str:
    return ", ".join(f"{o.listed_as} {quantity_en(*_figure_parts(o))}" for o in named)


def _listed_with(claim: Any, sent: Sentence, lead: str, lang: str) -> str:
    """The other figures of a '分别' list the main figure opens ('产销量分别完成958.7万辆和949.5万辆'), when the question
    asks two things: each is one of them."""
    if "分别" not in compact(claim.clause or ""):
        return ""
    said = compact(lead)
    others = [o for o in sorted(sent.claims, key=lambda c: c.span[0]) if o is not claim and o.clause == claim.clause
              and o.family == claim.family and compact(o.text) not in said]
    if lang == "zh":
        return "".join(f"、{compact(o.text)}" for o in others)
    return "".join(f"; {quantity_en(*_figure_parts(o))}" for o in others)


def _stretch(claim: Any, sent: Sentence) -> str:
    """The sentence from the figure before this one to this figure's end: where its subject may stand ('腾讯第一次出现在
    …排名中，数据显示其合规率为57.4%')."""
    start = pos = 0
    for c in sorted(sent.claims, key=lambda c: c.span[0]):
        text = compact(c.text)
        at = sent.compact.find(text, pos)
        if at < 0:
            return ""
        if c is claim:
            return sent.compact[start:at + len(text)]
        start = pos = at + len(text)
    return ""


def _own_part(claim: Any, claims: list[Any]) -> str:
    """A figure's clause; in a list of figures sharing one clause ('产出碳酸锂约3.2万吨、硫酸镍约11.6万吨、…'), the
    figure's own item: from the figure before it to its own end (the first item keeps the clause's head)."""
    clause = compact(claim.clause or "")
    listed = [o for o in claims if o is not claim and o.clause == claim.clause]
    end = clause.find(compact(claim.text))
    if not listed or end < 0:
        return clause
    start = 0
    for other in listed:
        at = clause.find(compact(other.text))
        if 0 <= at < end:
            start = max(start, at + len(compact(other.text)))
    return clause[start:end + len(compact(claim.text))].lstrip("、，,")


_RANGE_END = re.compile(r"\s*[-–~～至到]\s*(\d+(?:\.\d+)?)")


def _range_end(claim: Any, sent: Sentence) -> str | None:
    """The upper end when the sentence prints the figure as the lower end of a range ('6%-8%', '10%-15%'), else None."""
    text = getattr(claim, "text", "") or ""
    at = sent.text.find(text) if text else -1
    if at < 0:
        return None
    m = _RANGE_END.match(sent.text, at + len(text))
    unit = _figure_parts(claim)[1]
    return m.group(1) if m and sent.text[m.end():m.end() + len(unit)] == unit else None


def _lead(claim: Any, q: Question, sent: Sentence) -> str:
    """The figure with what it is about: the report's own clause (zh) or subject, year and figure (en)."""
    number, unit = _figure_parts(claim)
    clause = compact(getattr(claim, "clause", "") or "").rstrip("。；，")
    entities = [c for c in q.facts.concepts if c.kind == "entity" and c.required]
    year = dated_year(claim, sent) or (q.facts.years[0] if q.facts.years else None)
    if q.language == "zh":
        missing = [c.forms[0] for c in entities if not any(compact(f) in clause for f in c.forms)
                   and not any(map(question_words().average_stated.search, c.forms))]  # (an average: its own figure)
        prefix = "、".join(missing) + "：" if missing else ""
        if year and str(year) not in clause:
            until = next((x for x in qualifiers(sent.text, getattr(claim, "text", None))  # (or the span it covers)
                          if (x.startswith("截至") or _SPAN.match(x)) and str(year) in x), None)
            prefix = f"{until or str(year) + '年'}，{prefix}"
        return f"{prefix}{clause}" if clause else quantity_zh(number, unit)
    if question_words().two_asks.search(q.text):  # several things asked: the head names only this figure's own
        near = _stretch(claim, sent) if claim is not None else ""
        entities = [c for c in entities if satisfied(c, near)] or entities
    subject = ", ".join(c.label for c in entities)
    head = ", ".join(x for x in (subject, str(year) if year else "") if x)
    value = quantity_en(number.lstrip("+-"), unit)
    if not unit and getattr(claim, "unit", None) == "%":  # a share the report says in words: '四成' → 'about 40% (四成)'
        value = _share_en(claim)
    if (end := _range_end(claim, sent)) is not None:  # '6%-8%' is one figure: its two ends
        value = f"{number}%-{end}%" if unit == "%" else f"{value} to {quantity_en(end, unit)}"
    if getattr(claim, "role", None) in ("growth", "change") and getattr(claim, "value", 0) < 0:
        value = f"down {value}"  # '同比下降16.8%' → 'down 16.8%', never a bare 16.8%
    elif getattr(claim, "role", None) in ("growth", "change"):
        value = f"up {value}"
    return f"{head}: {value}" if head else value
