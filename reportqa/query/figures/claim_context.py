"""Context of a claim: sentence and clause, year/period, subject (分别 alignment), role and sign, metrics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportqa.query.lexicon.vocab import Term, Vocab

if TYPE_CHECKING:
    from reportqa.query.figures.claims import Claim

_SENT_END = re.compile(r"[。！？；!?;\n]+|\.(?=\s|$)")
_CLAUSE_END = re.compile(r"[，,]|—{2}")
_YEAR_ZH = re.compile(
    r"(?<![\d.])(?P<y1>(?:19|20)\d{2})\s*(?:年?\s*[-–~～至到]\s*(?P<y2>(?:19|20)\d{2})(?!\d)\s*年?|年)(?P<tail>\s*(?:度|底|末|初|"
    r"(?P<half>[上下])半年|(?:第?(?P<q>[一二三四1-4])|前(?P<qq>[二三]))季度|(?P<m>\d{1,2})\s*月))?"
)
_YEAR_EN = re.compile(r"(?<![\d.,$])\b(?P<y1>(?:19|20)\d{2})(?:\s*[-–]\s*(?P<y2>(?:19|20)\d{2}))?\b(?![.,]?\d|\s*年|%)")
_COMPARE = re.compile(r"(?:比|较|相比|相较|对比|同|than|compared\s+(?:with|to)|versus|vs\.?)\s*(?:于|the\s+)?\s*$", re.I)
_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_EN = r"(?<![A-Za-z])(?:{})(?![A-Za-z])"
_RATE_NOUNS = r"增速|增幅|涨幅|降幅|减幅|增长率|(?<![A-Za-z])growth\s+rate"
_UP = r"增长|增加|提高|提升|上升|上涨|扩大|回升|增|涨|(?<![最至许众诸])多(?=\s*\d)|" + _EN.format(
    r"rose|rise[sn]?|grew|grow(?:s|th|n)?|increase[sd]?|up|higher|gain(?:ed|s)?|expanded")
_DOWN = r"下降|减少|下滑|下跌|回落|降低|缩减|缩小|萎缩|收缩|跌去|跌|降|减|(?<![至最])少(?=\s*\d)|" + _EN.format(
    r"fell|fall(?:s|en)?|declined?|declines|decrease[sd]?|dropped|drops?|down|lower|shrank|contracted|slumped|plunged")
_SHARE = r"占比|比重|份额|普及率|渗透率|比例|占|" + _EN.format(
    r"share|accounted\s+for|accounts?\s+for|ma(?:de|kes?|king)\s+up|proportion|penetration")
_KEYWORD = re.compile(rf"(?P<rate>{_RATE_NOUNS})|(?P<new>新增|净增)|(?P<down>{_DOWN})|(?P<up>{_UP})|(?P<share>{_SHARE})", re.I)
# what follows a percentage that is a share of a group: a noun ('的网点', '四成企业') or 'of <noun>', not a rate or level
_OF_A_GROUP = re.compile(r"\s*(?:以上|以下|左右)?(?P<de>的)?\s*(?![增速幅水平利税左以])[\u4e00-\u9fff]"
                         r"|\s+(?P<of>of)\s+(?:the\s+|all\s+|its\s+|their\s+)?[a-z]", re.I)
_POST = re.compile(r"\s*(?:的)?\s*(?:(?P<down>decrease|decline|drop|fall|reduction)|(?P<up>increase|rise|growth))\b", re.I)
_TO_LEVEL = re.compile(r"至|到|为|\bto\b", re.I)
_CHANGE_CUE = re.compile(r"比|较|相比|同比|环比|than|compared|year-on-year|from", re.I)
_PEOPLE_NOUNS = ("用户", "网民", "骑手", "劳动者", "就业者", "会员", "买家", "人口", "员工", "从业者", "司机", "主播",
                 "users", "people", "riders", "workers", "buyers", "members", "drivers", "employees", "persons")
_ORDERS = ("单", "orders", "order")
_ITEM_SEP = re.compile(r"、|,\s*")
_CONJ = re.compile(r"以及|和|及|与|\band\b")
_ENUM_TAIL = re.compile(r"(?:[两二三四五六七八九十\d]+\s*[个大项类]|等|领域|行业|方面|分别|的|均|都|在|市场)")


@dataclass(frozen=True)
class YearMention:
    start: int
    end: int
    year: int
    period: str
    comparison: bool


def annotate_context(text: str, norm: str, claims: list[Claim], vocab: Vocab, *, default_year: int | None = None) -> None:
    """Fill in sentence, clause, year, subject, role/sign and metrics of each claim (in place)."""
    if not claims:
        return
    sentences = _spans(text, _SENT_END)
    years = _years(norm)
    terms = _scoped(vocab.find(text), text, vocab)
    current = default_year
    carried: Carried = (None, frozenset(), frozenset())
    by_sentence: dict[int, list[Claim]] = {}
    for claim in claims:
        idx = next((i for i, (s, e) in enumerate(sentences) if s <= claim.span[0] < e), len(sentences) - 1)
        by_sentence.setdefault(idx, []).append(claim)
    for idx, (s, e) in enumerate(sentences):
        sent_years = [y for y in years if s <= y.start < e]
        for claim in by_sentence.get(idx, []):
            _annotate(claim, text, norm, (s, e), sent_years, [t for t in terms if s <= t.start < e], vocab, current)
        sent_terms = [t for t in terms if s <= t.start < e]
        _align_respectively(text, (s, e), by_sentence.get(idx, []), [t for t in sent_terms if t.kind == "row"], vocab)
        carried = _carry(by_sentence.get(idx, []), sent_terms, carried, vocab)
        own = [y for y in sent_years if not y.comparison]
        if own:
            current = own[-1].year


Carried = tuple[Term | None, frozenset[str], frozenset[str]]


def _carry(claims: list[Claim], terms: list[Term], carried: Carried, vocab: Vocab) -> Carried:
    """Give figures of a sentence that names no subject, metric or concept those of the sentence before (context_inferred)."""
    subject, metrics, concepts = carried
    rows = [t for t in terms if t.kind == "row"]
    named_metrics = frozenset(t.term for t in terms if t.kind == "metric")
    named_concepts = frozenset(t.term for t in terms if t.kind in ("term", "company"))
    for claim in claims:
        if claim.subject is None and not rows and not claim.other_subject and subject is not None:
            claim.subject, claim.subject_text, claim.context_inferred = subject.term, subject.surface, True
        if not claim.metrics and metrics:
            claim.metrics, claim.context_inferred = metrics, True
        if not claim.sentence_concepts and concepts:
            claim.sentence_concepts = concepts  # topic words only: subject and metric are still the sentence's own
    if rows:
        specific = [t for t in rows if not vocab.is_total(t.term)]
        subject = (specific or rows)[-1]
    elif any(c.other_subject for c in claims):
        subject = None
    return subject, (named_metrics or metrics), (named_concepts or concepts)


def _scoped(terms: list[Term], text: str, vocab: Vocab) -> list[Term]:
    """A row alias that is part of the report's own scope ('滨海市共享出行' for 共享出行) names the total."""
    total = next((t for t in ("总计", "合计") if t in vocab.row_labels), None) or next(iter(sorted(vocab.total_labels)), None)
    if not vocab.scope or total is None:
        return terms
    out = []
    for t in terms:
        if t.kind == "row" and t.surface not in vocab.row_labels and not vocab.is_total(t.term):
            for scope in vocab.scope:
                at = scope.find(t.surface)
                if at >= 0 and text[max(0, t.start - at):t.start - at + len(scope)] == scope or at >= 0 and at + len(t.surface) == len(scope):
                    t = Term(total, "row", t.start, t.end, t.surface)
                    break
        out.append(t)
    return out


def _spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in pattern.finditer(text):
        if m.end() > pos:
            out.append((pos, m.end()))
            pos = m.end()
    if pos < len(text) or not out:
        out.append((pos, len(text)))
    return out


def _years(norm: str) -> list[YearMention]:
    found: list[YearMention] = []
    for pattern in (_YEAR_ZH, _YEAR_EN):
        for m in pattern.finditer(norm):
            if any(f.start <= m.start() < f.end for f in found):
                continue
            y1, y2 = int(m["y1"]), int(m["y2"]) if m["y2"] else None
            year = y2 or y1
            period = f"{y1}-{y2}" if y2 else str(y1)
            gd = m.groupdict()
            if gd.get("half"):
                period += "H1" if gd["half"] == "上" else "H2"
            elif gd.get("q"):
                period += f"Q{_Q[gd['q']]}"
            elif gd.get("qq"):
                period += f"Q1-{_Q[gd['qq']]}"
            elif gd.get("m"):
                period += f"-{int(gd['m']):02d}"
            comparison = bool(_COMPARE.search(norm[max(0, m.start() - 14):m.start()]))
            found.append(YearMention(m.start(), m.end(), year, period, comparison))
    return sorted(found, key=lambda y: y.start)


def _annotate(claim: Claim, text: str, norm: str, sent: tuple[int, int], years: list[YearMention],
              terms: list[Term], vocab: Vocab, current: int | None) -> None:
    s, e = sent
    pos = claim.span[0]
    c_start = max([s] + [m.end() for m in _CLAUSE_END.finditer(text, s, pos)])
    nxt = _CLAUSE_END.search(text, claim.span[1], e)
    c_end = nxt.start() if nxt else e
    claim.sentence, claim.sentence_span = text[s:e].strip(), (s, e)
    claim.clause = text[c_start:c_end].strip()
    lead = len(text[c_start:c_end]) - len(text[c_start:c_end].lstrip())
    claim.clause_span = (c_start + lead, c_start + lead + len(claim.clause))
    _set_year(claim, norm, years, c_start, c_end, current)
    _set_subject(claim, terms, vocab, c_start, c_end)
    if claim.subject is None:
        claim.other_subject = _other_subject(norm, s, pos, terms, years, vocab)
    metrics = {t.term for t in terms if t.kind == "metric" and c_start <= t.start < c_end}
    if not metrics - {"同比增速", "占比"}:
        metrics |= {t.term for t in terms if t.kind == "metric" and t.start < pos}
    claim.metrics = frozenset(metrics)
    claim.companies = frozenset(t.term for t in terms if t.kind == "company")
    claim.concepts = frozenset(t.term for t in terms if t.kind in ("term", "company") and c_start <= t.start < c_end)
    claim.sentence_concepts = frozenset(t.term for t in terms if t.kind in ("term", "company"))
    _set_role(claim, norm, c_start)
    if claim.role is None and claim.kind in ("level", "count") and claim.raw_value < 0:
        claim.role = "change"  # an amount printed with a minus sign ('-332亿元') is a difference, never a level
    _refine_family(claim, norm, c_start, c_end)


def _set_year(claim: Claim, norm: str, years: list[YearMention], c_start: int, c_end: int, current: int | None) -> None:
    pos = claim.span[0]
    base = [y for y in years if y.comparison and y.end <= pos and re.fullmatch(r"\s*的?\s*", norm[y.end:pos])]
    if base:  # '较2021年的46.4%': the figure of the comparison year itself
        claim.year, claim.period = base[-1].year, base[-1].period
        return
    own = [y for y in years if not y.comparison and y.start != pos]
    before_clause = [y for y in own if c_start <= y.start < pos]
    before = [y for y in own if y.start < pos]
    after_clause = [y for y in own if claim.span[1] <= y.start < c_end]
    pick = (before_clause or before or [None])[-1] or (after_clause[0] if after_clause else None)
    if pick is not None:
        claim.year, claim.period = pick.year, pick.period
    elif current is not None:
        claim.year, claim.period, claim.year_inferred = current, str(current), True


def _set_subject(claim: Claim, terms: list[Term], vocab: Vocab, c_start: int, c_end: int) -> None:
    pos = claim.span[0]
    rows = [t for t in terms if t.kind == "row"]
    specific = [t for t in rows if not vocab.is_total(t.term)]
    pick = (
        _last([t for t in specific if c_start <= t.start < pos])
        or _last([t for t in specific if t.end <= pos])
        or _last([t for t in rows if t.end <= pos])
        or next((t for t in specific if claim.span[1] <= t.start < c_end), None)
    )
    if pick is not None:
        claim.subject, claim.subject_text = pick.term, pick.surface


_GENERIC_ZH = re.compile(
    r"报告原文|报告|我国|全国|中国|全市|全省|初步|估算|测算|表明|数据|显示|根据|其中|分别|同比|环比|上年|同期|总体|整体|总计|合计|"
    r"规模|总额|约为|大约|达到|实现|共计|累计|增长|下降|增速|增幅|提高|减少|比重|占比|领域|行业|市场|多少|是多少|几|"
    r"消费|交易|金额|数量|人数|预计|基础|"
    r"[的了和与及约为达是在年月日底末初全上下半季度前一二三四总占比较有将]")
_GENERIC_EN = frozenset("""in the of was were is are a an and to for by about around approximately roughly some total overall
china china's chinese year years its it had has have reached came amounted at report gives says
states according what how much many did does do raise raised from than with on as that this which there their over
grew fell rose up down percent yuan cny rmb usd billion million trillion hundred thousand per cent by less more under
below above nearly almost least most just only than""".split())


def _other_subject(norm: str, s: int, pos: int, terms: list[Term], years: list[YearMention], vocab: Vocab
                   ) -> str | None:
    """What the sentence names before an unattributed figure besides rows, metrics, years, the report's own
    scope (title words such as '临江市数字文旅') and filler: '网络表演行业'."""
    chars = list(norm[s:pos])
    for t in terms:
        if t.kind in ("row", "metric") and t.start < pos:
            for i in range(max(t.start, s), min(t.end, pos)):
                chars[i - s] = " "
    for y in years:
        for i in range(max(y.start, s), min(y.end, pos)):
            chars[i - s] = " "
    rest = re.sub(r"[\d.,%<>+\-]+\s*(?:[万亿千百]+)?\s*[\u4e00-\u9fff]?", " ", "".join(chars))
    zh = "".join(re.findall(r"[\u4e00-\u9fff]+", rest))
    for words in vocab.scope:
        zh = zh.replace(words, "")
    zh = _GENERIC_ZH.sub("", zh)
    en = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]+", rest)
          if w.lower() not in _GENERIC_EN and re.sub(r"['’]s$", "", w.lower()) not in vocab.scope_words_en]
    leftover = zh + " ".join(en)
    return leftover if len(zh) >= 2 or en else None


def _last(items: list[Term]) -> Term | None:
    return items[-1] if items else None


def _of_a_group(claim: Claim, norm: str) -> bool:
    """A percentage followed by the group it is a share of: '约 35%的回收服务网点', '四成再生利用企业', '40% of firms'
    (a figure in digits needs '的' or 'of' before its noun; a share in words, '四成', may take the noun at once)."""
    m = _OF_A_GROUP.match(norm, claim.span[1]) if claim.kind == "percent" else None
    if m is None:
        return False
    return bool(m.group("de") or m.group("of") or not re.search(r"[\d%]$", claim.text))


def _set_role(claim: Claim, norm: str, c_start: int) -> None:
    """Role from the nearest keyword before the figure in its clause; decrease words make changes negative."""
    head = norm[c_start:claim.span[0]]
    last = None
    for m in _KEYWORD.finditer(norm, c_start, min(len(norm), claim.span[0] + 2)):
        if m.end() <= claim.span[0]:
            last = m
    post = _POST.match(norm, claim.span[1])
    kind = last.lastgroup if last is not None else None
    between = norm[last.end():claim.span[0]] if last is not None else ""
    word = last.group(0) if last is not None else None
    if post is not None and (last is None or len(between.strip()) > 6):
        kind, word, between = ("down" if post.group("down") else "up"), post.group(0).strip(), ""
    if kind is None and _of_a_group(claim, norm):
        claim.role = "share"
        return
    if kind is None or kind == "new":
        return
    if kind == "share":
        claim.role = "share" if claim.kind == "percent" else None
        return
    if kind in ("up", "down") and _TO_LEVEL.search(between):
        return  # '降至 5.5%', '增长到 298家', 'fell to 8%': a level
    down = kind == "down" or word in ("降幅", "减幅")
    if claim.kind == "percent":
        claim.role = "growth"
    elif claim.kind in ("level", "count"):
        close = len(between.strip()) <= 2
        if kind not in ("up", "down") or len(between.strip()) > 8 or not (close or _CHANGE_CUE.search(head)):
            return
        claim.role = "change"
    elif claim.kind != "pp":
        return
    if down and claim.raw_value >= 0 and claim.base > 0:
        claim.base, claim.value, claim.sign_word = -claim.base, -claim.value, word


def _refine_family(claim: Claim, norm: str, c_start: int, c_end: int) -> None:
    """A bare '2.5亿' next to 用户/人次 counts people or person-times."""
    if claim.family != "count":
        return
    near = norm[max(c_start, claim.span[0] - 6):claim.span[0]] + "|" + norm[claim.span[1]:min(c_end, claim.span[1] + 6)]
    after = norm[claim.span[1]:min(c_end, claim.span[1] + 12)]
    if "人次" in near or "visits" in near or "trips" in near or "游客" in near:
        claim.family, claim.unit, claim.value = "person_times", "万人次", claim.base / 1e4
    elif any(n in near for n in _PEOPLE_NOUNS):
        claim.family, claim.unit, claim.value = "people", "万人", claim.base / 1e4
    elif re.match(r"\s*(?:orders?|单)\b", after) or near.rstrip().endswith(("订单", "订单量", "单量")):
        mag = "亿" if abs(claim.base) >= 1e8 else "万"
        claim.family, claim.unit, claim.value = "count:单", f"{mag}单", claim.base / (1e8 if mag == "亿" else 1e4)
    else:
        return
    claim.kind = "count"


def _align_respectively(text: str, sent: tuple[int, int], claims: list[Claim], rows: list[Term], vocab: Vocab) -> None:
    """'A、B和C … 分别为 x、y和z' (or '… x, y and z respectively'): give the i-th figure the i-th item."""
    s, e = sent
    marks = [m.start() for m in re.finditer(r"分别|respectively", text[s:e])]
    previous: list[tuple[str | None, str]] = []
    boundary = s
    for mark in (s + k for k in marks):
        english = text.startswith("respectively", mark)
        group = [c for c in claims if (c.span[0] < mark if english else c.span[0] > mark)]
        if english:
            first_row = next((t.start for t in rows if t.start >= boundary), mark)
            group = [c for c in group if c.span[0] > first_row]
        else:
            later = [k for k in marks if s + k > mark]
            stop = s + later[0] if later else e
            group = [c for c in group if c.span[0] < stop]
            group = [c for c in group if c.family == group[0].family] if group else []
        region_end = group[0].span[0] if english and group else mark
        items = _enumeration(text, boundary, region_end, rows, vocab) or previous
        if group and len(items) == len(group):
            for claim, (term, surface) in zip(group, items):
                claim.listed_as = surface
                if term is not None:
                    claim.subject, claim.subject_text = term, surface
                elif claim.subject_text and claim.subject_text not in surface:
                    claim.subject, claim.subject_text = None, None
            previous = items
        boundary = max(boundary, group[-1].span[1] if group else mark)


def _enumeration(text: str, start: int, end: int, rows: list[Term], vocab: Vocab) -> list[tuple[str | None, str]]:
    """Items of the enumeration (A、B和C) nearest before ``end``: (canonical term or None, surface)."""
    inside = [t for t in rows if start <= t.start < end and not vocab.is_total(t.term)]
    if not inside:
        return _parallel_items(text, start, end)
    first = inside[0]
    c_start = max([start] + [m.end() for m in _CLAUSE_END.finditer(text, start, first.start)])
    nxt = _CLAUSE_END.search(text, first.start, end)
    c_end = nxt.start() if nxt else end
    parts = _split_items(text[c_start:c_end], [(t.start - c_start, t.end - c_start) for t in inside])
    items: list[tuple[str | None, str]] = []
    offset = c_start
    for i, part in enumerate(parts):
        p_start = text.index(part, offset)
        offset = p_start + len(part)
        part_terms = [t for t in inside if p_start <= t.start < p_start + len(part)]
        if part_terms:
            t = part_terms[-1] if i == 0 else part_terms[0]
            items.append((t.term, t.surface))
            continue
        surface = part.strip()
        if i == len(parts) - 1:
            cut = _ENUM_TAIL.search(surface)
            surface = surface[:cut.start()] if cut else surface
        if i == 0:
            surface = surface[-8:]
        if not surface or len(surface) > 12:
            return []
        items.append((None, surface))
    return items if len(items) >= 2 else []


def _split_items(region: str, term_spans: list[tuple[int, int]]) -> list[str]:
    """'A、B和C…' → ['A', 'B', 'C…']: split on 、 and on the first conjunction (outside a term) of the last part."""
    parts = [p for p in _ITEM_SEP.split(region) if p.strip()]
    if not parts:
        return []
    last = parts[-1]
    base = region.rindex(last)
    for m in _CONJ.finditer(last):
        pos = base + m.start()
        if not any(a <= pos < b for a, b in term_spans):
            head, tail = last[:m.start()], last[m.end():]
            if head.strip() and tail.strip():
                parts[-1:] = [head, tail]
            break
    return parts


_PARALLEL = re.compile(r"([\u4e00-\u9fff]+)((?:、[\u4e00-\u9fff]+)+)(?:和|及|与|以及)([\u4e00-\u9fff]+)")


def _parallel_items(text: str, start: int, end: int) -> list[tuple[str | None, str]]:
    """An enumeration of words no glossary knows, 'X、Y和Z' whose middle items are all one length ('再生钴、再生锂和再生镍'):
    the first and last items are taken at that length too (the words around a list run on into them). Two items, or
    middle items of unequal lengths, are no list one can cut."""
    clause = text[max([start] + [m.end() for m in _CLAUSE_END.finditer(text, start, end)]):end]
    found = list(_PARALLEL.finditer(clause))
    if not found:
        return []
    m = found[-1]
    middle = m.group(2).split("、")[1:]
    size = len(middle[0])
    if any(len(x) != size for x in middle) or len(m.group(1)) < size or len(m.group(3)) < size:
        return []
    return [(None, x) for x in (m.group(1)[-size:], *middle, m.group(3)[:size])]

