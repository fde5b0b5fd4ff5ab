"""Text facts: what a question asks about (concepts), and the report sentence that states the figure.

A concept is satisfied by a sentence when one of its Chinese forms occurs in it. Entities (domains,
companies, unknown nouns) and the question's year are required; metric words weigh the choice.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Literal

from reportqa.query.context import AnswerContext, Sentence, compact
from reportqa.query.glossary import Glossary
from reportqa.query.tableparse import question_years, unknown_subjects
from reportqa.records import Language

ConceptKind = Literal["year", "entity", "metric", "word"]

# Question words and fillers: never concepts.
_ZH_QUESTION = set(
    "多少 几 什么 哪些 哪个 哪一 如何 怎样 怎么 为什么 为何 是否 吗 呢 数量 情况 报告 请问 有 是 的 了 在 中 和 与 及 "
    "多大 达到 达 多少钱 多少亿 多少人 多少家 多少个 哪 谁 方面 具体 主要 有关 关于 相关 内容 数据 数字 分别 其中 "
    "我国 中国 全国 国内 年 年底 年初 规模 提到 说 说明 介绍 描述 表示 指出 提出 共 一共 总共".split()
)
_QUANT = re.compile(
    r"多少|几[家个名位项款次倍成]|多大|规模|数量|金额|比重|占比|比例|增速|增长率|降幅|增幅|收入|罚款|融资|"
    r"how (?:much|many|large|big)|what (?:was|is|were|are) the (?:number|amount|share|value|size|rate|revenue|total)|"
    r"\brate\b|\bshare\b|\bpercent|\bnumber of\b|\bfigure\b|\bvalue\b|\bsize\b|\bamount\b",
    re.I,
)
_FORECAST = re.compile(r"预测|预计|展望|将会|将达|forecast|predict|project|expect|outlook|will\b", re.I)
_NARRATIVE = re.compile(r"为什么|为何|原因|如何|怎样|哪些方面|有什么|趋势|why|how (?:did|does|do|will|can|could|should|is|are)|what (?:are|were) the (?:reasons|causes|trends|measures)|explain|describe", re.I)
_UNIT_HINTS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"多少人|几人|多少名|人数|用户|网民|骑手|劳动者|就业者|workers|people|users|riders|how many (?:people|persons)", re.I), ("people",)),
    (re.compile(r"多少家|几家|企业数|平台数|公司|companies|firms|platforms|enterprises", re.I), ("count:家",)),
    (re.compile(r"比重|占比|比例|增速|增长率|降幅|增幅|普及率|合规率|率|share|percent|rate|proportion|growth", re.I), ("percent", "pp")),
    (re.compile(r"收入|营收|融资|罚款|金额|市值|规模|投资|revenue|income|financing|funding|fine|value|money|invest|spend", re.I), ("CNY", "USD")),
]
_jieba_lock = threading.Lock()


@dataclass(frozen=True)
class Concept:
    """Something the question names: its label as asked and the Chinese forms that satisfy it."""

    label: str
    forms: tuple[str, ...]
    kind: ConceptKind
    required: bool


@dataclass
class QuestionFacts:
    """What text-fact answering needs to know about a question."""

    concepts: list[Concept]
    years: list[int]
    quantitative: bool
    forecast: bool
    narrative: bool
    units: tuple[str, ...]
    runs: list[tuple[str, list[str]]] = field(default_factory=list)
    unknown_en: list[str] = field(default_factory=list)


def _words(run: str) -> list[str]:
    """jieba's precise segmentation of a run of unknown text (jieba is initialised by the sparse index)."""
    import jieba

    with _jieba_lock:
        return [w for w in jieba.lcut(run) if w.strip()]


_FILLER_WORDS = _ZH_QUESTION | set(
    "领域 行业 市场 以及 或 占 比 较 同比 环比 增长 下降 变化 增加 减少 提高 提升 最 更 各 个 为 达 约 大约 "
    "分别 总 总计 合计 累计 多 少 高 低 大 小 从 到 至 期间 时 其 该 这 那 对 给 向 由 被 把 将 按 以 用 之 "
    "服务 发展 水平 程度 金额 值 量 率 相比 相较 还是 怎么样 是不是 能否 可以 会 有没有 没有".split()
)


def leftover_runs(question: str, mentions: list) -> list[tuple[str, list[str]]]:
    """Runs of Chinese words the glossary, years, numbers and question words leave over, with their words."""
    chars = list(question)
    for m in mentions:
        chars[m.start:m.end] = [" "] * (m.end - m.start)
    rest = re.sub(r"(?:19|20)\d{2}\s*年?|\d+(?:\.\d+)?%?", " ", "".join(chars))
    runs: list[tuple[str, list[str]]] = []
    for piece in re.findall(r"[\u4e00-\u9fff]+", rest):
        current: list[str] = []
        for word in _words(piece) + [""]:
            if word and word not in _FILLER_WORDS:
                current.append(word)
                continue
            if current and len("".join(current)) >= 2:
                runs.append(("".join(current), [w for w in current if len(w) >= 2] or ["".join(current)]))
            current = []
    return runs


def question_facts(question: str, glossary: Glossary, lang: Language) -> QuestionFacts:
    """Concepts, years and the kind of answer a question wants."""
    concepts: list[Concept] = []
    mentions = glossary.find(question)
    for m in mentions:
        e = m.entry
        if e.term == "百分点":
            continue
        forms = tuple(f for f in e.forms_zh if len(f) >= 3 or f == e.term or e.kind != "metric")
        kind: ConceptKind = "metric" if e.kind == "metric" else "entity"
        required = e.kind in ("row", "company", "term") and e.term != "总计"
        concept = Concept(m.text, forms, kind, required)
        if concept not in concepts:
            concepts.append(concept)
    years = question_years(question)
    for y in years:
        concepts.append(Concept(f"{y}年", (str(y),), "year", True))
    runs: list[tuple[str, list[str]]] = []
    if lang == "zh":
        for run, words in leftover_runs(question, mentions):
            runs.append((run, words))
            for w in words:
                concepts.append(Concept(w, (w,), "word", True))
    units: tuple[str, ...] = ()
    for pattern, families in _UNIT_HINTS:
        if pattern.search(question):
            units = families
            break
    return QuestionFacts(
        concepts=concepts, years=years, quantitative=bool(_QUANT.search(question)),
        forecast=bool(_FORECAST.search(question)), narrative=bool(_NARRATIVE.search(question)), units=units,
        runs=runs, unknown_en=[w for w in unknown_subjects(question, mentions) if w.isascii()] if lang == "en" else [],
    )


def satisfied(concept: Concept, text_compact: str) -> bool:
    """Whether a compacted text names the concept."""
    if concept.kind == "year":
        return re.search(rf"(?<!\d){concept.forms[0]}(?!\d)", text_compact) is not None
    return any(compact(f) in text_compact for f in concept.forms)


def missing_everywhere(facts: QuestionFacts, ctx: AnswerContext) -> list[Concept]:
    """What the question names that the reports never mention: a glossary entity, or a run of unknown text one of
    whose words never occurs (for why/how questions only runs of 3+ characters, so a paraphrased verb is tolerated)."""
    absent = [c for c in facts.concepts if c.required and c.kind == "entity" and not any(ctx.mentioned(f) for f in c.forms)]
    for run, words in facts.runs:
        if ctx.mentioned(run) or (facts.narrative and len(run) < 3):
            continue
        if any(not ctx.mentioned(w) for w in words):
            absent.append(Concept(run, (run,), "word", True))
    return absent


def known_only(facts: QuestionFacts, ctx: AnswerContext) -> QuestionFacts:
    """The facts without word concepts the reports never use (they cannot be matched, only reported missing)."""
    kept = [c for c in facts.concepts if c.kind != "word" or any(ctx.mentioned(f) for f in c.forms)]
    return QuestionFacts(kept, facts.years, facts.quantitative, facts.forecast, facts.narrative, facts.units,
                         facts.runs, facts.unknown_en)


@dataclass
class FactMatch:
    """The sentence (and the claim in it) that answers a quantitative question."""

    sentence: Sentence
    claim: object | None
    score: float
    missing: list[Concept]


def _weight(c: Concept) -> float:
    return {"year": 2.0, "entity": 3.0, "metric": 2.0, "word": 1.5 if c.required else 0.5}[c.kind]


def score_sentence(sent: Sentence, facts: QuestionFacts, rank_bonus: float) -> FactMatch:
    """How well a sentence states what the question asks (missing required concepts listed).

    A year is also satisfied by the figure's own year as the claim extractor reads it from context
    ('2022年是…。…国内生产总值同比增长3%' carries 2022 into the next sentence).
    """
    text = sent.compact
    claim = best_claim(sent, facts)
    claim_year = getattr(claim, "year", None)

    def ok(c: Concept) -> bool:
        if c.kind == "year" and claim_year is not None:
            return c.forms[0] == str(claim_year)  # the figure belongs to another year ('将2021年…修正为34.1%')
        return satisfied(c, text)

    missing = [c for c in facts.concepts if c.required and not ok(c)]
    score = sum(_weight(c) for c in facts.concepts if ok(c)) + rank_bonus
    if claim is not None:
        score += 1.0
    return FactMatch(sent, claim, score, missing)


def best_claim(sent: Sentence, facts: QuestionFacts) -> object | None:
    """The figure in the sentence that fits the question: matching year, unit family, and the clause naming the concepts."""
    best, best_score = None, -1.0
    for claim in sent.claims:
        s = 0.0
        if facts.years and getattr(claim, "year", None) in facts.years:
            s += 2.0
        elif facts.years and getattr(claim, "year", None) is not None:
            s -= 2.0
        family = getattr(claim, "family", "")
        if facts.units and (family in facts.units or any(family.startswith(u) for u in facts.units)):
            s += 1.5
        clause = compact(getattr(claim, "clause", ""))
        s += sum(0.5 * _weight(c) for c in facts.concepts if c.kind != "year" and satisfied(c, clause))
        if s > best_score:
            best, best_score = claim, s
    return best


def find_fact(facts: QuestionFacts, ctx: AnswerContext, ranked_chunk_ids: list[str]) -> FactMatch | None:
    """Best sentence among the retrieved chunks (and footnotes they cite) holding every required concept and a figure."""
    seen: set[int] = set()
    matches: list[FactMatch] = []
    for rank, cid in enumerate(ranked_chunk_ids):
        idxs = list(ctx.by_chunk.get(cid, []))
        chunk = ctx.chunks.get(cid)
        for n in (chunk.footnote_refs if chunk else []):
            note = ctx.footnotes.get((chunk.doc_id, n)) if chunk else None
            if note is not None:
                idxs.append(note.index)
        for i in idxs:
            if i in seen:
                continue
            seen.add(i)
            m = score_sentence(ctx.sentences[i], facts, 1.0 / (rank + 2))
            matches.append(m)
    good = [m for m in matches if not m.missing and m.claim is not None]
    if not good:
        # Retrieval can miss a precise fact; scan every sentence that names all the required entities.
        required = [c for c in facts.concepts if c.required and c.kind != "year"]
        for sent in ctx.sentences:
            if sent.index in seen or not sent.claims or not required or not all(satisfied(c, sent.compact) for c in required):
                continue
            m = score_sentence(sent, facts, 0.0)
            if not m.missing and m.claim is not None:
                good.append(m)
    if not good:
        return None
    return max(good, key=lambda m: m.score)


def nearest(facts: QuestionFacts, ctx: AnswerContext, ranked_chunk_ids: list[str], n: int = 2) -> list[Sentence]:
    """The sentences closest to the question among the retrieved chunks (for 'the report says nearby')."""
    scored: list[tuple[float, int]] = []
    for rank, cid in enumerate(ranked_chunk_ids):
        for i in ctx.by_chunk.get(cid, []):
            s = ctx.sentences[i]
            value = sum(_weight(c) for c in facts.concepts if satisfied(c, s.compact)) + 2.0 / (rank + 1)
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
    r"上半年|下半年|前三季度|[一二三四]季度"
)


def qualifiers(sentence: str, figure: str | None = None) -> list[str]:
    """Estimate and period qualifiers the report puts before a figure ('初步估算', '约', '截至2022年底')."""
    text = compact(sentence)
    if figure:
        at = text.find(compact(figure))
        if at >= 0:
            text = text[: at + len(compact(figure))]
    out: list[str] = []
    for m in QUALIFIERS.finditer(text):
        q = "约" if m.group(0) == "约为" else m.group(0)
        if q not in out:
            out.append(q)
    return out
