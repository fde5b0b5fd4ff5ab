"""Audit (c) the same fact stated twice with different figures, and (e) implausible magnitudes.

(c) Two running-text figures are the same fact when they sit in different paragraphs, measure the same
kind of thing (unit family, role), refer to the same year and period, name the same subject and
companies (or none), and their wording around the number is nearly the same (content-bigram
containment of the clause and of the sentence). Different values for the same fact are reported.

(e) Per-unit plausibility: a money total next to a count of people, visits or orders in the same
sentence, about the same subject or sharing a topic word ('国内旅游收入' / '国内旅游总人次'), must come
to at least 1 yuan per unit; less means one of the two carries the wrong unit (亿 for 万亿). A figure of a 分别/respectively
enumeration that is 1000 times off its siblings is also out of scale.
"""

from __future__ import annotations

import math
import re
import statistics
from itertools import combinations

from reportqa.query.audit.locations import cell_location, clause_location, text_location
from reportqa.query.checker.checker import fit_score
from reportqa.query.figures.matching import bigrams, containment, metric_score
from reportqa.query.views.figure_index import FigureIndex, Source
from reportqa.records import Document, Finding

CLAUSE_CONTAINMENT = 0.6
SENTENCE_CONTAINMENT = 0.55
MIN_PER_UNIT_YUAN = 1.0
_TIME_WORDS = re.compile(r"[一二三四1-4]季度|前三季度|[上下]半年|\d{1,2}\s*月|年底|年末|年初|月底|全年|日均|每月|每年|累计")
_PER_UNIT = re.compile(r"人均|平均|每|单价|均价|客单价|per\b|average", re.I)
_COUNTED = ("people", "person_times", "count", "count:单", "count:笔", "count:次", "count:件", "count:户", "count:家")


def _texts(doc: Document, index: FigureIndex) -> list[Source]:
    return [s for s in index.text_sources() if s.doc_id == doc.doc_id and s.claim is not None and s.origin != "heading"]


# --------------------------------------------------------------------------- (c)


def restated_findings(doc: Document, index: FigureIndex) -> list[Finding]:
    """Pairs of sentences in different paragraphs that state the same facts with different figures."""
    by_family: dict[str, list[Source]] = {}
    for s in _texts(doc, index):
        if s.claim is not None and s.claim.role != "change":
            by_family.setdefault(s.family, []).append(s)
    pairs: dict[tuple[str, str], list[tuple[Source, Source]]] = {}
    for items in by_family.values():
        for a, b in combinations(items, 2):
            if _same_fact(a, b, index) and not _agree(a, b):
                key = (_where(a), _where(b)) if a.span < b.span else (_where(b), _where(a))
                pairs.setdefault(key, []).append((a, b) if a.span < b.span else (b, a))
    findings = []
    for found in pairs.values():
        found.sort(key=lambda pair: pair[0].span)
        first, second = found[0]
        diffs = "; ".join(f"{a.text} vs {b.text}" for a, b in found)
        ratio = (max(abs(first.base), abs(second.base)) / max(min(abs(first.base), abs(second.base)), 1e-12)
                 if first.base and second.base else 1.0)
        summary = f"The same fact is stated twice with different figures ({diffs})"
        kind = "restated_fact"
        if ratio >= 1000:
            kind, summary = "implausible_magnitude", summary + f"; they differ by a factor of {ratio:,.0f}, a unit slip"
        summary += f": “{_short(first)}” ({first.section or '—'}) vs “{_short(second)}” ({second.section or '—'})"
        locations = [text_location(index, first), text_location(index, second)]
        cells = _cells_agreeing(first, index) or _cells_agreeing(second, index)
        if cells:
            summary += f"; {cells[0].label()} prints {cells[0].text}"
            locations.append(cell_location(index, cells[0]))
        findings.append(Finding(kind=kind, severity="error", summary=summary,  # type: ignore[arg-type]
                                locations=locations))
    return findings


def _cells_agreeing(source: Source, index: FigureIndex) -> list[Source]:
    """Table cells that print this text figure for the same subject, year and metric."""
    claim = source.claim
    if claim is None:
        return []
    return [c for c in index.overlapping(source.family, source.lo, source.hi)
            if c.cell is not None and c.doc_id == source.doc_id and fit_score(claim, c, index) is not None
            and metric_score(claim, c) == 2]


def _agree(a: Source, b: Source) -> bool:
    """Same printed fact: overlapping intervals, but 'more than 30%' and 'more than 50%' are different statements."""
    if a.bound is not None and a.bound == b.bound:
        return abs(a.base - b.base) <= max(a.claim.step if a.claim else 0, b.claim.step if b.claim else 0) / 2 + 1e-9
    return a.lo <= b.hi and b.lo <= a.hi


def _where(s: Source) -> str:
    return f"{s.paragraph_id or s.id}:{s.claim.sentence_span if s.claim else ''}"


def _short(s: Source, width: int = 40) -> str:
    clause = s.claim.clause if s.claim else s.quote
    return clause if len(clause) <= width else clause[:width] + "…"


_ANAPHORA = {"公司", "该公司", "本公司", "企业", "该企业", "集团", "该集团", "平台", "该平台"}
_NEUTRAL_TIME = {"全年"}  # a year's figure is the whole year's unless said otherwise


def _companies(source: Source, index: FigureIndex) -> frozenset[str]:
    """Companies a figure is about: named in its clause, else — when the clause says only '公司' — in its section's heading
    (an appendix case about one company)."""
    claim = source.claim
    named = frozenset(getattr(claim, "companies", frozenset()) or ())
    if named or _entity(claim) not in _ANAPHORA:
        return named
    return frozenset(t.term for t in index.vocab.find(source.section or "") if t.kind == "company")


def _same_fact(a: Source, b: Source, index: FigureIndex) -> bool:
    ca, cb = a.claim, b.claim
    if ca is None or cb is None:
        return False
    if (a.paragraph_id or a.id) == (b.paragraph_id or b.id) or a.kind != b.kind or ca.role != cb.role:
        return False
    if ca.year != cb.year and not (ca.year is None or cb.year is None) or (ca.year is None) != (cb.year is None):
        return False
    if ca.period and cb.period and ca.period != cb.period and not (ca.year_inferred or cb.year_inferred):
        return False
    companies = _companies(a, index), _companies(b, index)
    if companies[0] and companies[1] and not companies[0] & companies[1]:
        return False
    same_company = bool(companies[0] & companies[1])
    heads = _entity(ca), _entity(cb)
    shared_head = bool(bigrams(heads[0]) & bigrams(heads[1])) or same_company
    if len(heads[0]) >= 2 and len(heads[1]) >= 2 and not shared_head:
        return False  # '海通出行…300万人' and '滨行科技…1500万人' are about different entities
    if ca.subject != cb.subject and not (None in (ca.subject, cb.subject) and shared_head):
        return False
    if set(_TIME_WORDS.findall(ca.clause)) - _NEUTRAL_TIME != set(_TIME_WORDS.findall(cb.clause)) - _NEUTRAL_TIME:
        return False
    if len(bigrams(ca.clause)) < 3 or len(bigrams(cb.clause)) < 3:
        return False
    if containment(ca.clause, cb.clause) < CLAUSE_CONTAINMENT:
        return False
    # the same named company doing the same thing: the rest of the two sentences may differ
    return same_company or containment(ca.sentence, cb.sentence) >= SENTENCE_CONTAINMENT


_HEAD_END = re.compile(r"是|为|成立|截至|累计|在|于|通过|推出|实现|达到|达|约|有|将|已|向|共计|全年|同比|的|，|,")


def _head(text: str) -> str:
    """The words a clause opens with, up to its first verb or particle: '美团平台累计向…' → '美团平台'."""
    t = re.sub(r"[\d.,%\s]+|[年月日]|[（(].*?[）)]", "", text)
    m = _HEAD_END.search(t)
    return t[:m.start()] if m else t[:8]


def _entity(claim: object) -> str:
    """Who or what a figure is about: the head of its clause, else of its sentence's first clause."""
    head = _head(getattr(claim, "clause", ""))
    if len(head) >= 2:
        return head
    first = re.split(r"[，,]", getattr(claim, "sentence", ""), maxsplit=1)[0]
    return _head(first)


# --------------------------------------------------------------------------- (e)


def magnitude_findings(doc: Document, index: FigureIndex) -> list[Finding]:
    """Money totals that come to under 1 yuan per person/visit/order beside them, and enumeration outliers."""
    texts = _texts(doc, index)
    findings = _per_unit(texts, index) + _enumeration_outliers(texts, index)
    return findings


def _per_unit(texts: list[Source], index: FigureIndex) -> list[Finding]:
    findings = []
    by_sentence: dict[str, list[Source]] = {}
    for s in texts:
        by_sentence.setdefault(_where(s), []).append(s)
    for group in by_sentence.values():
        money = [s for s in group if s.family == "CNY" and s.claim and s.claim.role is None and s.bound is None
                 and not _PER_UNIT.search(s.claim.clause)]
        counts = [s for s in group if s.family in _COUNTED and s.claim and s.claim.role is None and s.bound != "<"]
        for m in money:
            for c in counts:
                if c.base <= 0 or not _share_topic(m, c):
                    continue
                per_unit = m.base / c.base
                if per_unit >= MIN_PER_UNIT_YUAN:
                    continue
                slip = 10 ** (4 * math.ceil(math.log10(1 / per_unit) / 4)) if per_unit > 0 else 0
                hint = f"; ×{slip:,.0f} (a 万/亿 slip) would give {per_unit * slip:,.0f}元" if slip else ""
                summary = (f"{m.text} next to {c.text} in the same sentence comes to {per_unit:.2g}元 per unit counted "
                           f"(“{_short(m)}” / “{_short(c)}”), below the {MIN_PER_UNIT_YUAN:g}元 any revenue or spending per "
                           f"person, visit or order must reach: one of the units is wrong{hint}")
                findings.append(Finding(kind="implausible_magnitude", severity="error", summary=summary,
                                        locations=[clause_location(index, m), clause_location(index, c)]))
    return findings


def _share_topic(a: Source, b: Source) -> bool:
    """Both figures are about the same named subject, or their clauses share a content word (beyond unit words)."""
    ca, cb = a.claim, b.claim
    if ca is None or cb is None:
        return False
    if ca.subject is not None and ca.subject == cb.subject and not (ca.context_inferred or cb.context_inferred):
        return True
    common = bigrams(ca.clause) & bigrams(cb.clause)
    return any(not re.search(r"[亿万元人次]", g) for g in common)


def _enumeration_outliers(texts: list[Source], index: FigureIndex) -> list[Finding]:
    findings = []
    groups: dict[tuple[str, str], list[Source]] = {}
    for s in texts:
        if s.listed_as and s.family in ("CNY", "USD", "people", "person_times") or (s.listed_as and s.family.startswith("count")):
            groups.setdefault((_where(s), s.family), []).append(s)
    for items in groups.values():
        if len(items) < 3:
            continue
        for s in items:
            others = [abs(o.base) for o in items if o is not s and o.base]
            if not others or not s.base:
                continue
            median = statistics.median(others)
            factor = max(abs(s.base), median) / min(abs(s.base), median)
            if factor >= 1000:
                summary = (f"{s.text} ({s.listed_as}) is {factor:,.0f} times off the other figures of its list "
                           f"({', '.join(o.text for o in items if o is not s)}): a unit slip is likely")
                findings.append(Finding(kind="implausible_magnitude", severity="error", summary=summary,
                                        locations=[text_location(index, s)] + [text_location(index, o) for o in items if o is not s][:1]))
    return findings
