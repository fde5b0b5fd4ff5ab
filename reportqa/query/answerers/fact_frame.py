"""How a running-text figure's frame differs from the question's (``frame_issues``): a part of a year for a whole year
(or the reverse), a span of years or a running total for one year, the world for the report's own country, a figure
of another company, row, measure, place or counted noun, a group's figure for one member, another part's share."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from reportqa.query.analysis.question import Question
from reportqa.query.answerers.base import (
    missing_names,
)
from reportqa.query.answerers.textfacts import (
    FactMatch,
    counted_noun,
    satisfied,
)
from reportqa.query.lexicon.frames import frame_words
from reportqa.query.lexicon.glossary import GlossaryEntry
from reportqa.query.lexicon.question_words import question_words
from reportqa.query.lexicon.segment import pos_words
from reportqa.query.lexicon.tablewords import GENERIC_FORMS
from reportqa.query.lexicon.words import general_glossary
from reportqa.query.tables.exclusion import find_exclusion
from reportqa.query.views.sentences import AnswerContext, Sentence, compact

_PERIOD_SET = re.compile(r"(?:19|20)\d{2}|全年|年度|本年|今年|去年|上年")
BASE_ISSUE = "another part's share of it"  # a share of the asked subject ('占<subject>的21.9%'), not its share


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
        issues.append(BASE_ISSUE)
    if _left_out(q, re.split(r"[；;]", upto)[-1] + clause, ctx):
        issues.append(LEFT_OUT)  # '除了再生利用，其他环节…' is not answered by 再生利用's own figure
    figure_place = words.place(clause or upto)
    if figure_place == "world" and q.frame.place != "world":
        issues.append("world")
    if q.frame.place == "world" and figure_place != "world" and words.place(sent.compact) != "world":
        issues.append("home country")
    issues += [f"“{n}”" for n in missing_names(q, sent.compact + context)]
    issues += [f"“{c}”" for c in _other_company(q, sent.compact, upto, ctx)]
    issues += case_issues(q, match, ctx)
    issues += [f"“{c}”" for c in _other_row(q, sent.compact, clause or upto, ctx)]
    issues += [f"“{c}”" for c in _row_only_after(q, upto, ctx) if f"“{c}”" not in issues]
    asked = compact(q.text) + "".join(f for c in q.facts.concepts for f in c.forms)
    issues += _group_figure(q, asked, clause, compact(getattr(match.claim, "text", "") or ""))
    places = [w for w in _places(clause) if w not in asked and not any(w in n or n in w for n in q.frame.names)]
    if places and q.frame.place != "world" and words.restricted_place.search(clause):
        issues.append("、".join(places))  # '仅在<city A>、<city B>两地…<count>' is not the national figure
    return issues


_LISTED = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,6}(?:、[\u4e00-\u9fffA-Za-z]{1,6})+")


LEFT_OUT = "the part the question leaves out"


def _left_out(q: Question, own: str, ctx: AnswerContext) -> bool:
    """Whether the figure's own clause is about a row the question leaves out ('除了X', 'apart from X')."""
    left = find_exclusion(q.text, ctx.glossary.find(q.text)).rows
    return any(any(f and compact(f) in own for f in (e.term, *e.forms_zh)) for e in left)


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


_SELF = re.compile(r"公司|该企业")  # how a company's case speaks of the company itself


def case_issues(q: Question, match: FactMatch, ctx: AnswerContext) -> list[str]:
    """A figure a company's case states of the company itself ('公司累计部署…1.26GWh' under '…——<company>的…实践')
    does not answer a question naming no company: the case's company as an issue, else []."""
    if any(c.glossary_kind == "company" for c in q.facts.concepts) or not _SELF.search(_upto_figure(match.sentence, match.claim)):
        return []
    return [f"“{m.entry.term}”" for m in ctx.glossary.find(compact(match.sentence.section)) if m.entry.kind == "company"][:1]


def _other_row(q: Question, sentence: str, clause: str, ctx: AnswerContext) -> list[str]:
    """The rows the question requires that the figure's sentence never names (its context may) while the figure's own
    clause names another row or measure: '2024上半年退役电池总量' is not answered by '2024年上半年，全国规范渠道回收量约17.9万吨'."""
    return _rows_beside_another(q, sentence, clause, ("row", "metric"), ctx)


def _row_only_after(q: Question, upto: str, ctx: AnswerContext) -> list[str]:
    """The rows the question requires that the figure's part of its sentence (from the last '；' up to the figure) does
    not name while it names another row: '华东地区网点数量最多，…并集中了58家规范条件企业…；华中、华南地区…' — the 58 are
    华东's, whatever the sentence says of 华南 after it."""
    own = re.split(r"[；;]", upto)[-1]
    return _rows_beside_another(q, own, own, ("row",), ctx)


def _rows_beside_another(q: Question, where: str, text: str, kinds: tuple[str, ...], ctx: AnswerContext) -> list[str]:
    """The question's required rows ``where`` lacks, when ``text`` names an entry of ``kinds`` that is none of the
    question's own subjects ('规范渠道回收量' of '规范渠道回收'), the report's own country or a generic measure."""
    missing = [c for c in q.facts.concepts if c.required and c.glossary_kind == "row" and not satisfied(c, where)]
    if not missing:
        return []
    asked = {f for c in q.facts.concepts for f in (*c.forms, c.label) if len(f) >= 2}
    home = frame_words().home_place

    def named(entry: GlossaryEntry) -> bool:
        return any(a in f or f in a for f in (entry.term, *entry.forms_zh) for a in asked if len(f) >= 2)

    other = [m.entry for m in ctx.glossary.find(text) if m.entry.kind in kinds and not home.fullmatch(m.entry.term)
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
        # (a word of the measure's own name is no other measure: '占整体网民的28.5%' states 网民普及率)
        part_of = [o for o in others if any(o.term in f and o.term != f for f in (entry.term, *entry.forms_zh))]
        if not literal and not any(_same_measure(entry, s) for s in own) and others and len(part_of) < len(others):
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
