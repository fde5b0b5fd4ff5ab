"""Text facts: the report sentence (and the figure in it) that answers a quantitative question.

A sentence qualifies when it names every required entity (row, company, term), most of the question's
nouns, and holds a figure of the asked year: a year printed in the figure's own clause must be the
asked one ('将2021年…修正为34.1%' does not answer 2022), otherwise the sentence or the figure's
context year must match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reportqa.query.analysis.concepts import AVERAGE, Concept, QuestionFacts
from reportqa.query.lexicon.question_words import question_words
from reportqa.query.lexicon.tablewords import GENERIC_FORMS
from reportqa.query.views.sentences import AnswerContext, Sentence, compact
from reportqa.query.views.tableschema import family_matches

_ENTITY = Concept("", (), "entity", True)
WORDLESS_COVERAGE = 0.75  # below it, a sentence lacking one of the question's words outright states another subject
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")  # a printed year


@dataclass
class FactMatch:
    """The sentence (and the claim in it) that answers a quantitative question."""

    sentence: Sentence
    claim: Any | None
    score: float
    missing: list[Concept]
    coverage: float = 0.0  # weighted share of the question's concepts the sentence (or its context) states
    absent: list[Concept] = field(default_factory=list)  # question words with no trace in the sentence or its context
    conditions: int = 0  # figures the question states as its condition that the sentence states beside its answer


def satisfied(concept: Concept, text_compact: str) -> bool:
    """Whether a compacted text names the concept."""
    if concept.kind == "year":
        return concept.pattern.search(text_compact) is not None  # type: ignore[union-attr]
    return any(f in text_compact for f in concept.compact_forms)


def weight(c: Concept) -> float:
    return {"year": 2.0, "entity": 3.0, "metric": 2.0, "word": 1.5 if c.noun else 0.5}[c.kind]


def _counted(concept: Concept, claim: Any) -> bool:
    """A term is named by the figure's own unit: '250万单' counts 订单."""
    family = getattr(claim, "family", "") or ""
    if concept.glossary_kind != "term" or not family.startswith("count:"):
        return False
    measure = family.split(":", 1)[1]
    return bool(measure) and any(f.endswith(measure) for f in concept.forms)  # 订单 is counted in 单; 共享单车 is not


_ROLE_METRICS = {"growth": ("同比增速",), "share": ("占比", "普及率"), "change": ()}


# the general level measures of table_words.json, English only (规模 asked in Chinese is asked literally), not per-unit ones
_GENERIC_LEVEL = frozenset(f for f in GENERIC_FORMS if f.isascii() and not f.startswith("per"))


def _by_level(concept: Concept, claim: Any) -> bool:
    """A generic English level measure ('volume') is named by any level figure (a count or an amount: '回收量约17.9万吨'),
    never by a rate."""
    family = getattr(claim, "family", "") or ""
    return concept.kind == "metric" and concept.label.strip().lower() in _GENERIC_LEVEL and \
        getattr(claim, "role", None) not in ("growth", "change", "share") and family not in ("percent", "pp", "ratio")


def by_role(concept: Concept, claim: Any) -> bool:
    """A metric named by the figure's role: a growth rate answers 增速, a share answers 占比."""
    role = getattr(claim, "role", None)
    return concept.kind == "metric" and bool(role) and any(t in concept.forms for t in _ROLE_METRICS.get(role, ()))


def year_fits(claim: Any, sent: Sentence, years: list[int]) -> bool:
    """Whether a figure belongs to one of the asked years."""
    if not years:
        return True
    clause = compact(getattr(claim, "clause", "") or "")
    # a comparison base ('比2015版净增158个', '较2021年增长') is not the figure's year
    marks = [m for m in YEAR.finditer(clause) if not re.search(r"(?:比|较|与|从|相比)$", clause[:m.start()])]
    own = [int(m.group(1)) for m in marks]
    if len(set(own)) > 1 and "分别" not in clause:
        # '由2022年的96天降至2023年的41天': each figure takes the year printed last before it
        at = clause.find(compact(getattr(claim, "text", "") or ""))
        before = [int(m.group(1)) for m in marks if 0 <= at and m.end() <= at]
        own = before[-1:] or own
    if own:
        return any(y in years for y in own)
    if getattr(claim, "year", None) in years:
        return True
    # (a year printed only as a comparison base, '比2021年底增加了40家', or as the start of a span, '2021年1月至2022年
    # 12月，…从218家增加到298家', dates no figure)
    if any(re.search(rf"(?<!\d)(?<!比|较|与|从){y}(?!\d)(?!年(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?(?:至|到|—|-))", sent.compact)
           for y in years):
        return True
    # a sentence that prints no year at all is about the year its section last printed ('7月，…' after '2022年…');
    # so is a sentence dated by a bare month ('12月，…处以其2021年销售额5%的罚款，计8760万元'): a year printed in another
    # clause is that clause's figure's (the fine's base), not the date of the figure whose own clause prints none
    if _MONTH_LED.match(sent.compact):
        return sent.context_year in years
    return getattr(claim, "year", None) is None and not YEAR.search(sent.compact) and sent.context_year in years


_MONTH_LED = re.compile(r"(?:1[0-2]|0?[1-9])月(?:份|\d{1,2}日)?[，,]")


def dated_year(claim: Any, sent: Sentence) -> int | None:
    """The year a figure is dated to: its section's, for a sentence dated by a bare month ('12月，…计8760万元') whose
    figure's own clause prints no year; else the year the figure carries."""
    if sent.context_year is not None and _MONTH_LED.match(sent.compact) \
            and not YEAR.search(compact(getattr(claim, "clause", "") or "")):
        return sent.context_year
    return getattr(claim, "year", None)


def unit_fits(claim: Any, facts: QuestionFacts) -> bool:
    """Whether the figure measures what the question asks (people, companies, money, a rate …)."""
    family = getattr(claim, "family", "") or ""
    if family == "count" and _counts_a_noun(claim):
        return False  # '3万商户' counts merchants: it is no bare amount of money
    return family_fits(family, facts)


def _counts_a_noun(claim: Any) -> bool:
    """A bare magnitude followed at once by a Chinese noun ('3万商户', '5亿网民') counts that noun."""
    clause, text = compact(getattr(claim, "clause", "") or ""), compact(getattr(claim, "text", "") or "")
    at = clause.find(text) if text else -1
    after = clause[at + len(text):at + len(text) + 1] if at >= 0 else ""
    return bool(after) and "\u4e00" <= after <= "\u9fff" and after not in "元的多余左右以之"


def family_fits(family: str, facts: QuestionFacts) -> bool:
    """Whether a unit family ('CNY', 'people', 'count:吨' …) is of the kind the question asks for (a count of things,
    '多少个', is not answered by an amount in 公里 or 吨 unless the question names that unit)."""
    if not facts.units:
        return True
    if family.startswith("count:") and family[6:] in question_words().measure_units and family not in facts.units:
        return False
    return family_matches(family, facts.units)


def _claim_score(claim: Any, facts: QuestionFacts) -> float:
    s = 0.0
    subject = getattr(claim, "subject", None)
    if subject and any(c.kind == "entity" and subject in c.forms for c in facts.concepts):
        s += 3.0  # '分别为38.54%、6.63%和61.44%': the figure aligned with the asked row
    s += _listed_score(claim, facts)
    if facts.change:
        s += 3.0 if getattr(claim, "role", None) in ("growth", "change") else 0.0
    elif facts.level:
        s += -2.0 if getattr(claim, "role", None) in ("growth", "change") else 0.0
    clause = compact(getattr(claim, "clause", "") or "")
    # the measure beside the figure ('驾驶员证509.0万本') says more than the domain the paragraph is about
    s += sum((0.5 if c.glossary_kind == "row" else 0.8) * weight(c)
             for c in facts.concepts if c.kind != "year" and satisfied(c, clause))
    s += sum(1.5 for c in facts.concepts if _qualifier_beside(c, clause))
    # a thing named inside an English measure's label ('lithium' recovery rate) counts as a named subject beside the figure
    s += sum(0.8 * weight(_ENTITY) for c in facts.concepts if any(f in clause for f in c.qualifiers))
    # a figure the report attaches only to other companies ('…其合规率为57.4%；美团打车合规率为60.4%') is theirs
    asked = {f for c in facts.concepts if c.required and c.glossary_kind == "company" for f in c.forms}
    companies = getattr(claim, "companies", None) or ()
    if asked and companies and not any(f in co or co in f for co in companies for f in asked):
        s -= 3.0
    return s + _measure_fit(claim, facts, clause)


def _listed_score(claim: Any, facts: QuestionFacts) -> float:
    """A figure aligned by '分别' with an item the question names ('再生锂' for 'recycled lithium'): the one asked
    about; a figure aligned with an item the question does not name, beside one it does, is another item's."""
    item = getattr(claim, "listed_as", None)
    if not item or getattr(claim, "subject", None):
        return 0.0  # (an item the glossary knows is the figure's subject, scored as such)
    named = [c for c in facts.concepts if c.kind in ("entity", "metric", "word")]
    if any(f and f in item for c in named for f in c.forms if re.search(r"[\u4e00-\u9fff]", f)):
        return 3.0
    return 0.0


def _topic_score(claim: Any, sent: Sentence, facts: QuestionFacts) -> float:
    """Half the credit of a named subject for one the sentence names before the figure's clause: a later clause
    continues the sentence's topic ('规范条件企业的镍、钴、锰…98.5%，锂…90.2%' — both are the firms' rates)."""
    raw = getattr(claim, "clause", "") or ""
    at = sent.text.find(raw) if raw else -1
    if at <= 0:
        return 0.0
    clause, topic = compact(raw), compact(sent.text[:at])
    return sum(0.5 * (0.5 if c.glossary_kind == "row" else 0.8) * weight(c) for c in facts.concepts
               if c.kind in ("entity", "metric") and not satisfied(c, clause) and satisfied(c, topic))


def _qualifier_beside(concept: Concept, clause: str) -> bool:
    """The question names a measure with a qualifier its glossary form lacks ('锂回收率' read as 回收率): the
    figure whose clause also holds the qualifier ('锂平均回收率达到90.2%') is the one asked about."""
    if concept.kind not in ("metric", "entity") or not re.search(r"[\u4e00-\u9fff]", concept.label):
        return False
    form = next((f for f in concept.forms if f in concept.label), None)
    if form is None or form == concept.label:
        return False
    extra = concept.label.replace(form, "")
    return bool(extra) and all(ch in clause for ch in extra)


_REACHED = ("增加", "提高", "提升", "上升", "下降", "降低", "减少", "缩短", "延长", "扩大", "增长", "下调", "上调", "到", "至")
_NOUN_AFTER = re.compile(r"[\u4e00-\u9fff]{2,8}")  # the noun a count is of, right after it ('6个区域集散中心')
_REVISED = ("修订为", "修正为", "调整为", "更正为", "更新为")
_TOTAL_WORDS = re.compile(r"累计|合计|总计|共计|一共|总共|共(?=[^，。；]{0,12}\d)")
_ADDED_WORDS = re.compile(r"新增|净增|新开|新设|新建|新注册|增加了?|新认定|新公告")
_STOCK_WORDS = re.compile(r"截至|累计|共有|共设立|总计|合计|存续")
_PER_UNIT_WORDS = re.compile(r"每[一个辆人家单]|人均|单[辆个位台]|一[辆个位台家]")
_SHARE_ASK = ("percent", "pp")
_ACTED_ON = re.compile(r"(资助|培训|帮助|帮扶|救助|颁发|发放|向|为|给|奖励|表彰|慰问|招募|招聘|吸纳|带动|惠及|关怀|保障)[^，。；\d]{0,24}[\d.]+[万亿]?[名人位]")


def _measure_fit(claim: Any, facts: QuestionFacts, clause: str) -> float:
    """Prefer the figure of the asked kind: the counted noun asked (订单量→单), a total over a per-unit
    figure when a total is asked, a level over a share unless a rate is asked."""
    s = 0.0
    if any(_counted(c, claim) for c in facts.concepts):
        s += 2.0
    family = getattr(claim, "family", "") or ""
    if family in _SHARE_ASK and not facts.change and not any(u in _SHARE_ASK for u in facts.units) \
            and not any(f.endswith(("率", "占比", "比重", "份额", "增速")) for c in facts.concepts for f in c.forms):
        s -= 2.0  # '订单量' asks the orders (8.55亿单), not '约占…总订单量的24%'
    if _PER_UNIT_WORDS.search(clause):
        s += 2.0 if facts.per_unit else -2.0  # ('of one e-bike': '一辆电单车…558.05千克', not the fleet's 118.7万吨)
    if facts.total and _TOTAL_WORDS.search(clause):
        s += 2.0
    if facts.change and _ADDED_WORDS.search(clause):
        s += 2.5  # 'how many were added': '新增…2815个', not the stock '共设立…13900个'
    elif facts.change and _STOCK_WORDS.search(clause):
        s -= 1.5
    if facts.average and AVERAGE.search(clause):
        s += 1.5  # '锂平均回收率90.2%', not a leading firm's '锂回收率超过92%'
    if facts.average and not AVERAGE.search(clause):
        s -= 0.5
    figure = compact(getattr(claim, "text", ""))
    after = clause.split(figure, 1)[1] if figure and figure in clause else None
    if counted_noun(claim, clause, facts):  # '多少个网点' is not answered by '6个区域集散中心': the figure counts another noun
        s -= 2.5
    start = clause[max(0, clause.find(figure) - 16):clause.find(figure)] if after is not None else ""
    if "从" + figure in clause or (after is not None and ("由" in start or "从" in start) and after.startswith(_REACHED)):
        # '从308.6万本增加到509.0万本', '由6小时缩短至40分钟', '从2022年6月份的增长3.0%下调至增长1.7%': the figure
        # reached, not the starting point
        s -= 1.5
    if after is not None and after.startswith(_REVISED):
        s -= 1.5  # '由上一年度报告中的44.6%修订为44.9%': the superseded figure, not the report's own
    at = clause.find(figure) if figure else -1
    if at >= 0 and re.match(r"\d+(?:\.\d+)?%的", clause[at + len(figure):]):
        # '销售额17.52亿元5%的罚款': the base a percentage is taken of — the amount asked only when the question names
        # the measure printed right before it ('销售额')
        named = any(compact(f) in clause[max(0, at - 8):at] for c in facts.concepts if c.kind != "year" for f in c.forms)
        s -= 0.0 if named else 2.5
    return s


def counted_noun(claim: Any, clause: str, facts: QuestionFacts) -> str | None:
    """For a question counting a noun ('多少个<X>'): the other noun a count figure counts ('6个区域集散中心'), '' when it
    counts the asked one, None when the figure counts no noun or the question counts none."""
    figure = compact(getattr(claim, "text", "") or "")
    if not facts.counted or not figure or figure not in clause or not getattr(claim, "family", "").startswith("count:"):
        return None
    tail = clause.split(figure, 1)[1]
    noun = _NOUN_AFTER.match(tail)
    if noun is None:
        return None
    phrase = re.split(r"[，。；,;：:（(]", tail, maxsplit=1)[0]  # '50万个骑手、站长等配送服务岗位' counts 岗位
    return "" if any(f in phrase or noun.group(0) in f for f in facts.counted) else noun.group(0)


def _acted_on(clause: str, facts: QuestionFacts) -> bool:
    """Whether the figure counts people something was done to ('资助248名骑手') while the question asks about another
    thing (how many riders there are); a question about that act ('how many riders were sponsored') is answered by it."""
    m = _ACTED_ON.search(clause)
    if m is None:
        return False
    act = m.group(1)
    if len(act) == 1:  # '向/为/给…': to whom, whatever was done
        return True
    return not any(act in w or w in act for w in facts.asked_words if len(w) > 1)


def best_claim(sent: Sentence, facts: QuestionFacts, context: str = "") -> Any | None:
    """The figure in the sentence that fits the question: asked year, unit family, change role, naming clause.

    When the asked year is only in the paragraph before ('12月，…处以其2021年销售额5%的罚款，计8760万元'),
    a figure whose own clause prints no year takes it."""
    fitting = [c for c in sent.claims if year_fits(c, sent, facts.years) and unit_fits(c, facts)]
    if not fitting and facts.years and any(re.search(rf"(?<!\d){y}(?!\d)", context) for y in facts.years):
        fitting = [c for c in sent.claims if unit_fits(c, facts)
                   and not YEAR.search(compact(getattr(c, "clause", "") or ""))
                   and getattr(c, "year", None) in (None, *facts.years)]  # a figure dated otherwise keeps its year
    if "people" in facts.units:  # '资助248名骑手' counts riders helped, not how many riders there are
        fitting = [c for c in fitting if not _acted_on(compact(getattr(c, "clause", "") or ""), facts)]
    return max(fitting, key=lambda c: _claim_score(c, facts) + _topic_score(c, sent, facts), default=None)


def score_sentence(sent: Sentence, facts: QuestionFacts, rank_bonus: float, context: str = "") -> FactMatch:
    """How well a sentence states what the question asks; ``missing`` lists what it lacks.

    ``context`` (heading path + the paragraph before the sentence) can supply an entity the sentence
    leaves implicit ('累计…开展产学研项目100项' under the heading '…“云账户”平台的实践探索').
    """
    text = sent.compact
    claim = best_claim(sent, facts, context)
    missing: list[Concept] = []
    absent: list[Concept] = []
    score = rank_bonus
    # A metric is required next to a table row ('<row>用户规模'); alone it may be loose wording ('users').
    rowed = any(c.glossary_kind == "row" for c in facts.concepts)
    # A sentence naming the asked company or organisation may leave the domain to its paragraph
    # ('腾讯…聚合平台合规率57.4%' in a paragraph on 网约车).
    named = any(c.glossary_kind == "company" and satisfied(c, text) for c in facts.concepts)
    literal = _names_subject(facts, text)
    rated = _rate_named(facts, text, claim)
    # ('<X> volume and YoY growth': beside the growth, the level it grew to states the generic measure)
    growth = literal and getattr(claim, "role", None) in ("growth", "change") and \
        any(c.kind == "metric" and by_role(c, claim) for c in facts.concepts)  # (the question asks that growth too)
    for c in facts.concepts:
        # a measure asked beside another ('用户规模及占网民比例') may be stated by the sentence's other figure
        ok = _stated(c, text, claim, literal) or any(by_role(c, other) or (growth and _by_level(c, other))
                                                      for other in sent.claims if other is not claim)
        ok = ok or (rated and _is_share(c))  # 'what share …, i.e. the recovery rate': the rate it names is the share
        # who / when / where; or the rest of a subject the sentence names in part ('97个数字职业' after '…职业分类大典…')
        anchored = any(o is not c and o.kind == "entity" and (o.required or o.period) and satisfied(o, text)
                       for o in facts.concepts)
        contextual = c.glossary_kind == "company" or any("季度" in f or "半年" in f for f in c.forms) or \
            ((named or anchored) and c.glossary_kind in ("row", "term"))
        implicit = not ok and c.kind == "entity" and contextual and bool(context) and satisfied(c, context)
        if c.kind == "year":
            ok = claim is not None
        if ok or implicit:
            score += weight(c) * (0.5 if implicit else 1.0)
        elif (c.required and c.kind in ("entity", "year", "metric")) or (c.kind == "metric" and rowed and not _base_of_share(c, facts)):
            missing.append(c)
        elif c.kind == "word" and c.required and len(c.label) > 1 and not _echoed(c, text + context):
            absent.append(c)  # a word of the question with no trace here ('员工', '原则')
    if claim is not None:
        score += 1.0 + 0.3 * _claim_score(claim, facts)
    conditions = _conditions_met(facts, sent, claim)
    share = coverage(facts, text, context, claim, literal)
    if facts.conditions:  # each figure the question states counts as one of its words
        share = (share * _total_weight(facts) + conditions) / (_total_weight(facts) + len(facts.conditions))
    return FactMatch(sent, claim, score, missing, share, absent, conditions)


def _conditions_met(facts: QuestionFacts, sent: Sentence, claim: Any | None) -> int:
    """How many of the figures the question states as its condition ('连1吨都没收到') the sentence states beside its
    answer ('约 35%的回收服务网点全年回收量不足 1吨')."""
    return sum(any(o is not claim and _states(o, condition) for o in sent.claims) for condition in facts.conditions)


def is_condition(claim: Any, facts: QuestionFacts) -> bool:
    """Whether a figure is one the question itself states as its condition (no answer to give back)."""
    return any(_states(claim, condition) for condition in facts.conditions)


def _states(claim: Any, condition: tuple[str, float, float]) -> bool:
    family, lo, hi = condition
    return claim.family == family and lo <= claim.base <= hi


def _total_weight(facts: QuestionFacts) -> float:
    return sum(weight(c) for c in facts.concepts)


def _base_of_share(c: Concept, facts: QuestionFacts) -> bool:
    """A generic measure word in a question that asks for a percentage ('% of taxi pax volume'): the base of the
    share, not a measure the figure must be."""
    # ('by what percentage did X grow': in a change question a share word names the change's unit, not a share)
    # (a total, '餐饮总收入' / 'total revenue', is what a share is of: '占全国餐饮业收入比重' states it in its words)
    return "percent" in facts.units and (c.label.lower() in GENERIC_FORMS or (facts.change and _is_share(c))
                                         or c.label.lower().startswith(("总", "total")))


def _is_share(c: Concept) -> bool:
    return c.kind == "metric" and any(f in question_words().share_forms for f in c.compact_forms)


def _rate_named(facts: QuestionFacts, text: str, claim: Any | None) -> bool:
    """Whether the figure is a percentage and the sentence names a rate the question names ('规范渠道回收率')."""
    rates = question_words().rate_suffixes
    if getattr(claim, "family", "") != "percent":
        return False
    clause = compact(getattr(claim, "clause", "") or "")
    return any(c.kind == "metric" and not _is_share(c) and any(f.endswith(rates) for f in c.compact_forms) and satisfied(c, text)
               for c in facts.concepts) or \
        any(c.kind == "entity" and c.required and any(f + r in clause for f in c.compact_forms for r in rates)
            for c in facts.concepts)  # the subject's own rate ('规范渠道回收率' for the share that went through it)


def _names_subject(facts: QuestionFacts, text: str) -> bool:
    """Whether the sentence itself names a subject the question requires (a generic English measure such as 'volume'
    is read from any level figure only of such a sentence's subject)."""
    return any(c.kind == "entity" and c.required and satisfied(c, text) for c in facts.concepts)


def _stated(c: Concept, text: str, claim: Any | None, literal: bool) -> bool:
    """Whether a sentence states a concept: by name, or through its figure (the counted unit, the figure's role, a
    level figure for a generic measure of the subject the sentence names)."""
    return satisfied(c, text) or _as_scale(c, text) or (claim is not None and (_counted(c, claim) or by_role(c, claim)
                                                                             or (literal and _by_level(c, claim))))


@lru_cache(maxsize=1)
def _scale_tail() -> str:
    """What may follow a measure's stem when a report writes its amount ('…规模'), as a pattern fragment."""
    return r"[\u4e00-\u9fff]{0,4}?(?:" + "|".join(map(re.escape, question_words().scale_words)) + ")"


def _as_scale(c: Concept, text: str) -> bool:
    """A measure named '<X>量' is stated as '<X>…规模' ('退役量' by '退役动力电池规模将达到约82万吨')."""
    if c.kind != "metric":
        return False
    suffixes = question_words().scale_suffixes
    return any(len(f) >= 3 and f.endswith(suffixes) and re.search(re.escape(f[:-1]) + _scale_tail(), text)
               for f in c.compact_forms)


def coverage(facts: QuestionFacts, text: str, context: str, claim: Any | None, literal: bool | None = None) -> float:
    """Weighted share of the question's concepts that a sentence states: a concept named in the sentence counts
    fully, one named only by its context half; a word of the question counts by the share of its characters the
    sentence holds (paraphrases: '网信办' ~ '国家互联网信息办公室'). Years count when the figure is of that year."""
    total = got = 0.0
    literal = _names_subject(facts, text) if literal is None else literal
    for c in facts.concepts:
        w = weight(c)
        total += w
        if c.kind == "year":
            got += w if claim is not None else 0.0
        elif _stated(c, text, claim, literal):
            got += w
        elif satisfied(c, context):
            got += 0.5 * w
        elif c.kind == "word":
            got += w * max(_bigram_share(f, text) for f in c.forms)
    return got / total if total else 0.0


def _echoed(c: Concept, text: str) -> bool:
    """Whether a text holds any trace of a question word: one of its character bigrams (a paraphrase shares some),
    or the word itself when it is one character. (A word with no Chinese form cannot be looked for.)"""
    zh = [compact(f) for f in c.forms if re.search(r"[\u4e00-\u9fff]", f)]
    return not zh or any(_bigram_share(f, text) > 0 or (len(f) == 1 and f in text) for f in zh)


def _bigram_share(word: str, text: str) -> float:
    """Share of a word's character bigrams found in a text: partial credit for paraphrases."""
    w = compact(word)
    grams = [w[i:i + 2] for i in range(len(w) - 1)]
    return sum(g in text for g in grams) / len(grams) if grams else 0.0


def _candidates(ctx: AnswerContext, ranked_chunk_ids: list[str]) -> list[tuple[int, float]]:
    """Sentence indexes of the retrieved chunks (plus the footnotes they cite) with a rank bonus."""
    out: dict[int, float] = {}
    for rank, cid in enumerate(ranked_chunk_ids):
        chunk = ctx.chunks.get(cid)
        idxs = list(ctx.by_chunk.get(cid, []))
        for n in (chunk.footnote_refs if chunk else []):
            note = ctx.footnotes.get((chunk.doc_id, n)) if chunk else None
            if note is not None:
                idxs.append(note.index)
        for i in idxs:
            out.setdefault(i, 1.0 / (rank + 2))
    return list(out.items())


def find_fact(facts: QuestionFacts, ctx: AnswerContext, ranked_chunk_ids: list[str],
              docs: tuple[str, ...] = (), *, everywhere: bool = True) -> FactMatch | None:
    """Best qualifying sentence among the retrieved chunks; if none (and ``everywhere``), among all sentences (of the
    reports ``docs`` names, when it names any) naming the required entities."""
    found = find_facts(facts, ctx, ranked_chunk_ids, docs, everywhere=everywhere)
    return found[0] if found else None


def find_facts(facts: QuestionFacts, ctx: AnswerContext, ranked_chunk_ids: list[str],
               docs: tuple[str, ...] = (), *, everywhere: bool = True) -> list[FactMatch]:
    """Every qualifying sentence of :func:`find_fact`, best first."""
    candidates = _candidates(ctx, ranked_chunk_ids)
    if facts.document_part:
        seen = {i for i, _ in candidates}  # 'per the footnote': every footnote of the asked reports is a candidate
        candidates += [(note.index, 0.2) for (doc, _), note in ctx.footnotes.items()
                       if note.index not in seen and (not docs or doc in docs)]
    good = [m for i, bonus in candidates
            for m in [score_sentence(ctx.sentences[i], facts, bonus, ctx.context_of(ctx.sentences[i]))]
            if not m.missing and m.claim is not None and not _of_another_subject(m, facts, ctx)]
    if not good and everywhere:
        seen = {i for i, _ in candidates}
        required = [c for c in facts.concepts if c.required and c.kind in ("entity", "word")]
        if required:
            for sent in ctx.sentences:
                if sent.index in seen or not sent.claims or (docs and sent.doc_id not in docs):
                    continue
                context = ctx.context_of(sent)
                if not all(satisfied(c, sent.compact) or satisfied(c, context) for c in required if c.kind == "entity"):
                    continue
                m = score_sentence(sent, facts, 0.0, context)
                if not m.missing and m.claim is not None and not _of_another_subject(m, facts, ctx):
                    good.append(m)
    if facts.conditions and everywhere and not any(m.conditions for m in good):
        # the figure a question states ('连1吨都没收到') finds its sentence where retrieval did not
        seen = {m.sentence.index for m in good}
        for sent in ctx.sentences:
            if sent.index in seen or (docs and sent.doc_id not in docs) or \
                    not any(is_condition(c, facts) for c in sent.claims):
                continue
            m = score_sentence(sent, facts, 0.0, ctx.context_of(sent))
            if m.conditions and not m.missing and m.claim is not None and not _of_another_subject(m, facts, ctx):
                good.append(m)
    # (a sentence stating the question's own condition, '不足1吨', is about what it asks whatever else scores higher)
    return sorted(good, key=lambda m: (_states_increment(m, facts), m.conditions, m.score), reverse=True)


def _of_another_subject(m: FactMatch, facts: QuestionFacts, ctx: AnswerContext) -> bool:
    """A sentence covering under three quarters of the question and lacking outright a word of it that its whole
    report never uses ('平台员工多少' against '14家大型平台企业'), or — naming none of the question's required subjects —
    half its words ('财税激励政策让…成本降了多少' against a price premium): its figure is of another subject. (A measure
    word, '总量', is how the question asks, not what about.)"""
    generic = question_words().scale_words
    absent = [c for c in m.absent if c.label not in generic]
    if m.coverage >= WORDLESS_COVERAGE or not absent:
        return False
    if any(not any(ctx.uses(f).get(m.sentence.doc_id) for f in c.forms) for c in absent):
        return True
    here = m.sentence.compact + ctx.context_of(m.sentence)
    anchored = any(c.kind == "entity" and c.required and satisfied(c, here) for c in facts.concepts)
    words = [c for c in facts.concepts if c.kind == "word" and c.required and len(c.label) > 1 and c.label not in generic]
    return not anchored and 2 * len(absent) >= len(words)


def _states_increment(m: FactMatch, facts: QuestionFacts) -> bool:
    """For 'how many new <X> were added': whether the figure is an increment ('新增…2815个'), which outranks any
    stock ('截至…共设立13900个') however well the stock's sentence names the rest."""
    if not facts.change or set(facts.units) <= {"percent", "pp"} and facts.units:
        return False
    return bool(_ADDED_WORDS.search(compact(getattr(m.claim, "clause", "") or "")))


def nearest(facts: QuestionFacts, ctx: AnswerContext, ranked_chunk_ids: list[str], n: int = 2) -> list[Sentence]:
    """The sentences closest to the question among the retrieved chunks (for 'the report says nearby')."""
    scored: list[tuple[float, int]] = []
    for rank, cid in enumerate(ranked_chunk_ids):
        for i in ctx.by_chunk.get(cid, []):
            s = ctx.sentences[i]
            value = sum(weight(c) for c in facts.concepts if satisfied(c, s.compact)) + 2.0 / (rank + 1)
            scored.append((value, i))
    scored.sort(key=lambda t: -t[0])
    out: list[Sentence] = []
    for _, i in scored:
        if all(ctx.sentences[i].index != o.index for o in out):
            out.append(ctx.sentences[i])
        if len(out) >= n:
            break
    return out


QUALIFIERS = re.compile(
    r"初步估算|初步测算|初步统计|约为|大约|约(?=\d)|近(?=\d)|超过(?=\d)|截至[^，。；、]{1,14}|预计|修正为|修订为|"
    r"自?\d{4}年(?:\d{1,2}月)?(?:至|到)\d{4}年(?:\d{1,2}月)?|"  # a span of months or years the figure covers
    r"上半年|下半年|前三季度|[一二三四]季度"
)


_BOUND_WORDS = frozenset({"约为", "大约", "约", "近", "超过"})


def qualifiers(sentence: str, figure: str | None = None) -> list[str]:
    """Estimate and period qualifiers the report puts before a figure ('初步估算', '约', '截至2022年底')."""
    text, fig = compact(sentence), compact(figure or "")
    at = text.find(fig) if fig else -1
    if at >= 0:
        text = text[: at + len(fig)]
    out: list[str] = []
    for m in QUALIFIERS.finditer(text):
        if at >= 0 and m.group(0) in _BOUND_WORDS and m.end() < at:
            continue  # '超过5.9万家，其中…新注册2.4万家': a bound qualifies its own figure only
        q = "约" if m.group(0) == "约为" else m.group(0)
        if q not in out:
            out.append(q)
    return out
