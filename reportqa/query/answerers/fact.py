"""Figures in running text: the sentence (and the figure in it) that states what a quantitative question asks.

Its support is the share of the question's concepts the sentence states (``textfacts.coverage``); the frame
must fit: a part-of-year figure does not answer a full-year question (nor the reverse), a span of years
does not answer one year, the world does not answer the report's own country, and every proper name the
question uses must stand in the sentence or its context.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from reportqa.query.analysis.question import Question
from reportqa.query.answerers.base import (
    Candidate,
    Draft,
    Evidence,
    missing_names,
    sentence_citation,
    where,
)
from reportqa.query.answerers.textfacts import (
    YEAR,
    FactMatch,
    by_role,
    counted_noun,
    dated_year,
    find_fact,
    find_facts,
    qualifiers,
    satisfied,
)
from reportqa.query.lexicon.frames import frame_words
from reportqa.query.lexicon.glossary import GlossaryEntry
from reportqa.query.lexicon.question_words import question_words
from reportqa.query.lexicon.segment import pos_words
from reportqa.query.lexicon.tablewords import GENERIC_FORMS
from reportqa.query.lexicon.words import general_glossary
from reportqa.query.render import quantity_en, quantity_zh
from reportqa.query.views.sentences import AnswerContext, Sentence, compact

_PERIOD_SET = re.compile(r"(?:19|20)\d{2}|全年|年度|本年|今年|去年|上年")
SURE = 1.0  # coverage at which a BM25-found sentence answers without hybrid retrieval
SPARSE_KEPT = 3  # BM25 hits read beside the hybrid ones
FRAME_TRIES = 6  # sentences tried for one in the asked place
_PLACE_ISSUES = {"world", "home country"}  # a figure of another place than the one asked
_BASE_ISSUE = "another part's share of it"  # a share of the asked subject ('占<subject>的21.9%'), not its share
_NEXT_TRIED = _PLACE_ISSUES | {_BASE_ISSUE, "累计", "cumulative"}  # issues a later sentence stating the question as well may not have
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
        retry = set(issues) <= _NEXT_TRIED | {f"“{counted_noun(match.claim, _clause(match), facts)}”"}
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


def _listed_elsewhere(q: Question, sentence: str, clause: str) -> list[Any]:
    """The companies the question requires that the figure's sentence names only as one of a list in another clause
    ('…16个城市网约车订单合规率超过80%，…滴滴出行、美团打车、曹操出行等平台订单合规率普遍实现翻倍增长': 80% is the
    cities', not Didi's)."""
    if not clause:
        return []
    out = []
    for c in q.facts.concepts:
        if not (c.required and c.glossary_kind == "company") or any(f in clause for f in c.compact_forms):
            continue
        spots = [m for f in c.compact_forms for m in re.finditer(re.escape(f), sentence)]
        if spots and all(re.match(r"[^，。；、]{0,4}、", sentence[m.end():m.end() + 6])
                         or re.search(r"、[^，。；、]{0,4}$", sentence[max(0, m.start() - 6):m.start()]) for m in spots):
            out.append(c)
    return out


def _named_rate(q: Question, clause: str) -> bool:
    """Whether the figure's clause states a rate the question names ('…几成？回收率多少' beside '回收率达到48.3%'): the
    question has said which share it means."""
    rates = question_words().rate_suffixes
    return any(c.kind == "metric" and any(compact(f).endswith(rates) and compact(f) in clause for f in c.forms)
               for c in q.facts.concepts)


def _subject_is_base(q: Question, clause: str) -> bool:
    """Whether the clause's share is *of* a subject the question asks the share of: the subject is named only after
    '占' ('…占规范渠道回收量的21.9%' is another part's share of the formal channel, not the formal channel's share)."""
    at = clause.find("占")
    if at < 0:
        return False
    before, after = clause[:at], clause[at:]
    subjects = [c for c in q.facts.concepts if c.kind == "entity" and c.required]
    if len(subjects) != 1:  # ('打车的人里网约车占几成' names the base itself)
        return False
    return any(f in after for f in subjects[0].compact_forms) and not any(f in before for f in subjects[0].compact_forms)


_MONTH_DATE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月")


def frame_issues(q: Question, match: FactMatch, ctx: AnswerContext) -> list[str]:
    """How the figure's frame differs from the question's (empty when it fits)."""
    words = frame_words()
    sent = match.sentence
    clause = compact(getattr(match.claim, "clause", "") or "")
    upto = _upto_figure(sent, match.claim)
    context = ctx.context_of(sent)
    # what sets the figure's period: its sentence up to the figure, or — when that names no year or period —
    # the last clause before the sentence ('2022年三季度，…。报告期内…增长26.6%')
    local = upto if _PERIOD_SET.search(upto) else re.split(r"[。；;]", context.rstrip("。；;"))[-1][-30:] + upto
    issues: list[str] = []
    asked_sub = q.frame.sub_annual
    figure_sub = words.sub_annual_words(local)
    if figure_sub and not asked_sub and q.frame.years:
        issues.append(figure_sub[0])  # '<year>年下半年 <count>' does not answer the whole year
    if asked_sub and figure_sub and not any(words.same_sub_annual(a, f) for a in asked_sub for f in figure_sub):
        issues.append(figure_sub[0])  # a first-quarter figure does not answer the third quarter
    if asked_sub and not figure_sub and not words.sub_annual_words(compact(sent.section)) and not _MONTH_DATE.search(local):
        issues.append("full-year")  # (a figure dated to a month, '自2020年8月至2022年10月', is no full-year figure)
    if words.multi_year.search(clause or upto) and q.frame.years and len(q.frame.years) == 1 and not q.frame.multi_year:
        issues.append("several years")
    elif len(q.frame.years) == 1 and words.cumulative_stated.search(re.split(r"[；;]", local)[-1]) \
            and not words.cumulative_asked.search(q.text):
        issues.append("累计" if q.language == "zh" else "cumulative")  # '2023年一共…' is that year's, not '截至2023年底累计…'

    if (measure := _unstated_measure(q, upto, clause or upto, compact(getattr(match.claim, "text", "") or ""), ctx)) is not None:
        issues.append(f"“{measure}”")  # '<company>营收' is not answered by the fine in a sentence about that company
    issues += [f"“{c.label}”" for c in _listed_elsewhere(q, sent.compact, clause)]
    if (other := counted_noun(match.claim, clause or upto, q.facts)):
        issues.append(f"“{other}”")  # '多少个网点' is not answered by a count of 区域集散中心
    # (a question asking a total and its average, '一共多少单，平均每天多少', is answered by a sentence stating both)
    both = question_words().two_asks.search(q.text) and question_words().average_stated.search(sent.compact)
    if q.facts.average and not question_words().average_stated.search(clause or upto) and not both:
        issues.append("“平均”" if q.language == "zh" else "“average”")  # a total does not answer 'on average'
    # (the share may be named earlier in the figure's part of the sentence: '在…总额中的占比呈现新高，达到27.2%')
    own_part = re.split(r"[；;]", upto)[-1]
    if words.share_asked.search(q.text) and getattr(match.claim, "family", "") == "percent" \
            and not words.share_stated.search(clause or upto) and not words.share_stated.search(own_part) \
            and not _named_rate(q, clause or upto):
        issues.append("“占比”" if q.language == "zh" else "“share”")  # a share ('打车的人里…占几成') is not another rate
    asks_share = words.share_asked.search(q.text) or any(f in q.text for f in question_words().share_forms)
    if asks_share and getattr(match.claim, "family", "") == "percent" and _subject_is_base(q, clause):
        issues.append(_BASE_ISSUE)
    figure_place = words.place(clause or upto)
    if figure_place == "world" and q.frame.place != "world":
        issues.append("world")
    if q.frame.place == "world" and figure_place != "world" and words.place(sent.compact) != "world":
        issues.append("home country")
    issues += [f"“{n}”" for n in missing_names(q, sent.compact + context)]
    issues += [f"“{c}”" for c in _other_company(q, sent.compact, upto, ctx)]
    issues += [f"“{c}”" for c in _other_row(q, sent.compact, clause or upto, ctx)]
    asked = compact(q.text) + "".join(f for c in q.facts.concepts for f in c.forms)
    issues += _group_figure(q, asked, clause, compact(getattr(match.claim, "text", "") or ""))
    places = [w for w in _places(clause) if w not in asked and not any(w in n or n in w for n in q.frame.names)]
    if places and q.frame.place != "world" and words.restricted_place.search(clause):
        issues.append("、".join(places))  # '仅在<city A>、<city B>两地…<count>' is not the national figure
    return issues


_LISTED = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,6}(?:、[\u4e00-\u9fffA-Za-z]{1,6})+")


def _group_figure(q: Question, asked: str, clause: str, figure: str) -> list[str]:
    """A figure stated once, after a list of things ('镍、钴、锰平均回收率达到98.5%'), is no figure of the one member the
    question asks about ('钴的回收率'; ``asked``: the question's words and forms): '<the list> together', else []. A list given figures one by one ('分别为…',
    '国家标准23项、行业标准17项') is not a group; nor is one the question names whole."""
    at = clause.find(figure) if figure else -1
    if "分别" in clause or at < 0 or re.search(r"[/、]", q.text):
        return []  # (a question that lists things itself, 'dismantling/sorting/smelting', asks about the group)
    for m in _LISTED.finditer(clause[:at]):
        members = m.group(0).split("、")
        # the outer members are cut to the inner ones' length ('…企业的镍、钴、锰平均…' lists 镍、钴、锰)
        width = max(map(len, members[1:-1]), default=0) or min(len(members[0]), len(members[-1]), 2)
        if width > 2:
            continue  # a list of short names (metals, regions, cities), not of phrases
        members = [members[0][-width:], *members[1:-1], members[-1][:width]]
        for c in q.facts.concepts:
            if c.kind != "entity" or not c.required:
                continue
            mine = [i for i, member in enumerate(members) if any(f and (member.endswith(f) or member.startswith(f))
                                                                  for f in c.compact_forms)]
            others = [member for i, member in enumerate(members) if i not in mine]
            named = [o for o in others if o in asked or any(o in f for c2 in q.facts.concepts for f in c2.compact_forms)]
            if mine and others and not named:
                return [f"{'、'.join(members)} together"]  # a frame: the figure holds for the list as one
    return []


def _other_company(q: Question, sentence: str, upto: str, ctx: AnswerContext) -> list[str]:
    """The companies the question requires that the figure's sentence does not name while it names another one up to
    the figure ('如<company B>平台上…佣金在6%-8%' does not answer '<company A>'s commission', though the paragraph
    names both): their labels, else []."""
    asked = [c for c in q.facts.concepts if c.required and c.glossary_kind == "company"]
    missing = [c for c in asked if not any(f in sentence for f in c.compact_forms)]
    if not missing:
        return []
    forms = {f for c in asked for f in c.compact_forms}
    other = [m.entry for m in ctx.glossary.find(upto) if m.entry.kind == "company"
             and not ({compact(m.entry.term), *map(compact, m.entry.forms_zh)} & forms)]
    return [c.label for c in missing] if other else []


def _other_row(q: Question, sentence: str, clause: str, ctx: AnswerContext) -> list[str]:
    """The rows the question requires that the figure's sentence never names (its context may) while the figure's own
    clause names another row or measure: '2024上半年退役电池总量' is not answered by '2024年上半年，全国规范渠道回收量约17.9万吨'."""
    missing = [c for c in q.facts.concepts if c.required and c.glossary_kind == "row" and not satisfied(c, sentence)]
    if not missing:
        return []
    asked = {f for c in q.facts.concepts for f in (*c.forms, c.label)}
    home = frame_words().home_place
    def named(entry: GlossaryEntry) -> bool:  # one of the question's own subjects ('规范渠道回收量' of '规范渠道回收')
        return any(a in f or f in a for f in (entry.term, *entry.forms_zh) for a in asked if len(a) >= 2 and len(f) >= 2)

    other = [m.entry for m in ctx.glossary.find(clause) if m.entry.kind in ("row", "metric") and not home.fullmatch(m.entry.term)
             and not named(m.entry) and not ({m.entry.term, *m.entry.forms_zh} & _generic_measures())]
    return [c.label for c in missing] if other else []


@lru_cache(maxsize=1)
def _generic_measures() -> frozenset[str]:
    """Size words and the package's own measures (share, growth): they name no specific measure."""
    return GENERIC_FORMS | frozenset(f for e in general_glossary().entries if e.kind == "metric" for f in (e.term, *e.forms_zh))


def _unstated_measure(q: Question, upto: str, clause: str, figure: str, ctx: AnswerContext) -> str | None:
    """A specific measure the question names (营收 — not a size, share or growth word) that the figure's sentence does
    not state up to the figure (``upto``) while the figure's own clause names another one (罚款): the label, else None. A measure is stated under
    any of its glossary names, in either language ('营收' ~ '收入': both 'revenue')."""
    asked = [m.entry for m in ctx.glossary.find(q.text) if m.entry.kind == "metric"
             and not ({m.entry.term, *m.entry.forms_zh} & _generic_measures())]
    if not asked:
        return None
    named = {m.entry.term for m in ctx.glossary.find(q.text)} | {f for c in q.facts.concepts for f in c.forms}
    at = clause.find(figure) if figure else -1
    if at < 0:
        return None
    end = at + len(figure)
    # the words that name what the figure is: glued to it ('80.26亿元罚款') or just before it ('实现收入974.30亿元')
    others = [m.entry for m in ctx.glossary.find(clause) if m.entry.kind in ("metric", "term")
              and (at - 4 <= m.end <= at or m.start == end)
              and not frame_words().is_period(m.entry.term) and not ({m.entry.term, *m.entry.forms_zh} & named)
              and not ({m.entry.term, *m.entry.forms_zh} & _generic_measures())]
    # (a measure named only after the figure, '…用户规模超过8亿；…从业人员每月增速…', is not the figure's)
    own = [m.entry for m in ctx.glossary.find(upto)]
    for entry in asked:
        literal = any(compact(f) in upto for f in (entry.term, *entry.forms_zh))  # inside a longer term ('新增…网点')
        if not literal and not any(_same_measure(entry, s) for s in own) and others:
            return entry.term if q.language == "zh" else (entry.english[0] if entry.english else entry.term)
    return None


def _same_measure(a: GlossaryEntry, b: GlossaryEntry) -> bool:
    """One entry, or two entries the glossary gives a shared English name ('营收' and '收入': both 'revenue')."""
    return a.term == b.term or bool({e.lower() for e in a.english} & {e.lower() for e in b.english})


def _places(clause: str) -> list[str]:
    """Place names in the figure's own clause (other than the report's own country)."""
    words = frame_words()
    return [w for w, flag in pos_words(clause) if flag == "ns" and len(w) >= 2
            and not words.home_place.search(w) and not words.world_place.search(w)]


def _upto_figure(sent: Sentence, claim: Any) -> str:
    text = compact(getattr(claim, "text", "") or "")
    at = sent.compact.find(text) if text else -1
    return sent.compact[: at + len(text)] if at >= 0 else sent.compact


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
    lead += _companion(claim, sent, lang, lead)
    lead += _also_asked(claim, sent, q, lead)
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


def _companion(claim: Any, sent: Sentence, lang: str, lead: str) -> str:
    """The change the report states beside a level or a share ('2225亿元' ← '同比增长26.6%'; '40.5%' ← '占比较上年提高
    6.4个百分点'), as it states it:
    the growth or percentage-point change right before or after the figure, with no other level between."""
    role = getattr(claim, "role", None)
    if claim is None or role in ("growth", "change"):
        return ""
    claims = sorted(sent.claims, key=lambda c: c.span[0])
    at = next((i for i, c in enumerate(claims) if c is claim), None)
    if at is None:
        return ""
    after = claims[at + 1] if at + 1 < len(claims) else None
    before = claims[at - 1] if at and claims[at - 1].clause == claim.clause else None  # '同比增长26.6%至2225亿元'
    for other in (after, before):
        if other is None or abs(other.span[0] - claim.span[0]) > 40:
            continue
        clause = compact(other.clause or "")
        at_figure = clause.find(compact(other.text))
        m = _CHANGE_WORDS.search(clause[max(0, at_figure - 12):at_figure]) if at_figure >= 0 else None
        if not m or not (other.role in ("growth", "change") or other.unit == "个百分点"):
            continue
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


def _also_asked(claim: Any, sent: Sentence, q: Question, lead: str) -> str:
    """The sentence's other figures that the question also asks for ('…有多少人，完成目标没？' → '超过1100万人的预期目标';
    'revenue and its growth rate'): a measure or noun of the question that the main figure's clause lacks and
    another figure's clause (or role) states."""
    if claim is None:
        return ""
    main = compact(getattr(claim, "clause", "") or "")
    if question_words().from_to.search(q.text):  # '从多少跌到了多少': the other end of the move, in the same unit
        other = next((o for o in sorted(sent.claims, key=lambda c: c.span[0]) if o is not claim
                      and o.family == claim.family and compact(o.text) not in compact(lead)), None)
        if other is not None:
            if q.language == "zh":
                return f"；{compact(other.clause or '').rstrip('。；，')}"
            return f"; {'then' if other.span[0] > claim.span[0] else 'from'} {quantity_en(*_figure_parts(other))}"
    # beside an average the question also asks for ('orders in H2, and the daily average'), the thing averaged is
    # asked too: a total stated for it ('聚合订单合计8.55亿单，日均465万单')
    words = question_words()
    both = q.facts.average and words.two_asks.search(q.text) is not None
    averaged = both and bool(words.average_stated.search(main))
    asked = [c for c in q.facts.concepts if (c.kind == "metric" or (c.kind == "word" and c.required)
                                             or (averaged and c.kind == "entity" and c.required)
                                             or (both and c.kind == "entity" and any(map(words.average_stated.search, c.forms))))
             and not satisfied(c, main) and not by_role(c, claim)]
    if not asked:
        return ""
    # a clause stating the main figure's own measure ('…镍、钴、锰平均回收率98.5%' beside the lithium rate asked) is
    # another subject's figure, not a second thing asked
    own = [c for c in q.facts.concepts if c.kind == "metric" and satisfied(c, main)]
    out: list[str] = []
    said = compact(lead)
    for other in sorted(sent.claims, key=lambda c: c.span[0]):
        clause = compact(other.clause or "").rstrip("。；，")
        if other is claim or compact(other.text) in said or clause == main or any(satisfied(c, clause) for c in own):
            continue
        hits = [c for c in asked if (satisfied(c, clause) or by_role(c, other))
                and (c.kind != "entity" or other.family == claim.family)]  # (the thing averaged: its own total)
        # a figure of the same kind (67家 beside 156家) is a second ask only when the question asks two things
        if not hits or (other.family == claim.family and not question_words().two_asks.search(q.text)):
            continue
        said += clause
        if q.language == "zh":
            out.append(f"；{clause}")
        else:
            number, unit = _figure_parts(other)
            out.append(f"; {hits[0].label}: {quantity_en(number, unit) if unit != '个百分点' else number + ' percentage points'}")
    return "".join(out[:2])


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
            until = next((x for x in qualifiers(sent.text, getattr(claim, "text", None))
                          if x.startswith("截至") and str(year) in x), None)
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
