"""Narratives, definitions and lists: the sentences that answer a why / how / what-are question, quoted alone.

Sentences of the retrieved passages (and of passages under a heading that names a term the question asks
about) are scored by the question's concepts they state, in the sentence or its heading, and by retrieval
rank; a reason word helps a why-question. The best sentence is quoted with the ones that continue it (a
list it opens with '：', or '一是…二是…'), never a whole chunk of unrelated figures.
"""

from __future__ import annotations

import re
from typing import Any

from reportqa.query.analysis.question import DEFINE, Question
from reportqa.query.answerers.base import (
    Candidate,
    Draft,
    Evidence,
    missing_names,
    sentence_citation,
)
from reportqa.query.answerers.textfacts import satisfied, weight
from reportqa.query.lexicon.frames import frame_words
from reportqa.query.lexicon.question_words import question_words
from reportqa.query.lexicon.words import search_groups
from reportqa.query.views.sentences import AnswerContext, Sentence, compact
from reportqa.records import Chunk

# a clause that says what a term is or how it is computed ('…是指…', '本报告所称…', '…按照A与B之比计算')
_DEFINING = re.compile(r"是指|所称|指的是|是利用|定义为|即[^，。]{2,}|按照?[^。；]{2,50}计算|\bmeans\b|\brefers to\b")
_DEFINES_NAME = re.compile(r"[，,]?(?:是指|指的是|是利用|即|定义为|按照?)")  # just after the name it defines
_REASON = re.compile(r"原因|因为|由于|主要是|得益于|导致|受.{1,12}影响|because|due to", re.I)
_WHY = re.compile(r"为什么|为何|原因|\bwhy\b|\breasons?\b|\bcauses?\b", re.I)
_CONTINUES = re.compile(r"^(?:[一二三四五六七八九十]是|其[一二三四五]|第[一二三四五]|首先|其次|再次|最后|此外|同时|另外|（[一二三四五六七八九十\d]+）|\d+[、.])")
MAX_SENTENCES = 4
LOOKAHEAD = 9


def propose(q: Question, ev: Evidence) -> list[Candidate]:
    """The best-covered passage's answering sentences as a narrative candidate."""
    ctx = ev.ctx
    if DEFINE.search(q.text):
        defined = _definition(q, ctx)
        if defined is not None:
            return [defined]
    texts = [h.chunk for h in ev.hits if h.chunk.kind == "text"]
    texts += _heading_chunks(q, texts, ctx)
    if not texts:
        return []
    why = bool(_WHY.search(q.text))
    define = bool(DEFINE.search(q.text))
    general = search_groups(q.text)  # 'outbid' → 高出, 'constraints' → 制约: general words of analysis, in Chinese
    words = question_words()
    listing = bool(words.list.search(q.text))  # 'what does X consist of': a passage that lists parts answers it

    def cover(rank: int, chunk: Chunk) -> float:
        head = _head(chunk, ctx)
        text = compact(chunk.text) + head  # once per chunk, not per concept
        named = sum(weight(c) for c in q.facts.concepts if c.kind != "year" and satisfied(c, text))
        named += 0.5 * sum(1 for group in general if any(w in text for w in group))
        named += 0.5 * sum(1 for group in general if any(w in head for w in group))  # a heading on it says more
        titled = sum(weight(c) for c in q.facts.concepts if c.kind == "entity" and c.required and satisfied(c, head))
        named += 1.5 * _lists_asked(q, chunk, ctx, general) if listing else 0.0
        # English words the lexicon cannot render ('outbid', 'holds back') are read only by the dense retrieval: its
        # rank then counts for more against the concepts the glossary does resolve
        return named + titled + (4.0 if q.facts.unknown_en else 2.0) / (rank + 1)

    best = max(enumerate(texts), key=lambda t: (cover(*t), -t[0]))[1]
    sentences = [ctx.sentences[i] for i in ctx.by_chunk.get(best.id, [])]
    if not sentences:
        return []
    first = max(sentences, key=lambda s: (_score(q, s, why, define) + 0.5 * sum(1 for g in general if any(w in s.compact for w in g)),
                                          -s.index))
    run = _run(ctx, first)
    lang = q.language
    section = " > ".join(best.section_path)
    lead = f"报告在{section}中谈到：" if lang == "zh" else f"The report addresses this in {section}:"
    quotes = "".join(s.text for s in run)
    draft = Draft("narrative", True, f"{lead}“{quotes}”" if lang == "zh" else f"{lead} “{quotes}”")
    for s in run:
        draft.citations.append((sentence_citation(s, ev.scores.get(best.id, 0.0)), []))
    issues = [f"“{n}”" for n in missing_names(q, compact(best.text) + ctx.context_of(run[0]))]
    return [Candidate("narrative", draft, _support(q, best), issues, nearest=run[0])]


def _lists_asked(q: Question, chunk: Chunk, ctx: AnswerContext, general: list[tuple[str, ...]]) -> int:
    """How much of the question a sentence of the passage that lists parts ('包括佣金和配送服务费两部分') names: the most
    concepts, or general words in Chinese, any such sentence holds (0 below two: a list of something else)."""
    concepts = [c for c in q.facts.concepts if c.kind != "year"]
    # a case's heading names whose parts they are when its passage never does ('储源能源的…实践' over '公司将退役电池
    # 分为A、B、C三级')
    head, body = _head(chunk, ctx), compact(chunk.text)
    headed = sum(1 for c in concepts if c.kind == "entity" and satisfied(c, head) and not satisfied(c, body))

    def named(s: Sentence) -> int:
        said = sum(satisfied(c, s.compact) for c in concepts) + sum(any(w in s.compact for w in g) for g in general)
        return said + headed if said else 0
    best = max((named(s) for s in (ctx.sentences[i] for i in ctx.by_chunk.get(chunk.id, []))
                if question_words().enumerates.search(s.text)), default=0)
    return best if best >= 2 else 0


def _definition(q: Question, ctx: AnswerContext) -> Candidate | None:
    """For a definition question: the report's own defining sentence ('本报告所称X，是指…', '锂回收率按照…计算', a
    footnote included) that names every term the question asks about, wherever it stands. Where the question says
    it is printed ('脚注里') frames where to look, it is no term to name; a footnote is preferred when it says so."""
    part = frame_words()
    asked = [c for c in q.facts.concepts if c.kind in ("entity", "metric")
             and not (part.document_part.fullmatch(c.label.strip()) or part.document_body.fullmatch(c.label.strip()))]
    if not asked:
        return None
    found = [s for s in ctx.sentences if q.about(s.doc_id) and all(satisfied(c, s.compact) for c in asked)
             and (_DEFINING.search(s.text) or _note_defines(s, asked))]
    if not found:
        return None
    def defines(c: Any, sent: Sentence) -> bool:
        """The term itself is what is defined ('所称X，是指'): the glossary's name just before the defining word is
        the concept's, not a longer term that ends in it ('规范渠道回收率，是指' does not define 锂回收率)."""
        return any(set(c.forms) & {m.entry.term, *m.entry.forms_zh} and _DEFINES_NAME.match(sent.compact, m.end)
                   for m in ctx.glossary.find(sent.compact))

    noted = q.facts.document_part
    first = max(found, key=lambda s: (sum(defines(c, s) for c in asked), noted and s.footnote is not None,
                                      _score(q, s, False, True), -s.index))
    lead = "报告的定义：" if q.language == "zh" else "The report defines it:"
    quote = f"“{first.text}”"
    draft = Draft("narrative", True, f"{lead}{quote}" if q.language == "zh" else f"{lead} {quote}")
    draft.citations.append((sentence_citation(first), []))
    issues = [f"“{n}”" for n in missing_names(q, first.compact + ctx.context_of(first))]
    return Candidate("narrative", draft, 1.0, issues, nearest=first)


_NOTE_NAME = re.compile(r"([^，。；：为是]{2,16})(?:为|是)")  # a footnote that opens '<name>为…' says what the name is


def _note_defines(sent: Sentence, asked: list[Any]) -> bool:
    """A footnote that opens with the asked names and says what they are ('电池级碳酸锂价格为国内现货市场月度均价')."""
    named = _NOTE_NAME.match(sent.compact) if sent.footnote is not None else None
    return bool(named) and all(satisfied(c, named.group(1)) for c in asked)


def _heading_chunks(q: Question, texts: list[Chunk], ctx: AnswerContext) -> list[Chunk]:
    """Passages under a heading naming a term the retrieved passages' headings lack ('trends' → '…<topic>趋势展望')."""
    wanted = [c for c in q.facts.concepts if c.kind == "entity" and c.required and c.glossary_kind == "term"
              and not any(satisfied(c, _head(t, ctx)) for t in texts)]
    if not wanted:
        return []
    return [c for c in ctx.chunks.values() if c.kind == "text" and q.about(c.doc_id)
            and any(satisfied(w, _head(c, ctx)) for w in wanted)][:2]


def _head(chunk: Chunk, ctx: AnswerContext) -> str:
    """A chunk's headings, compacted, without the report's title (every passage stands under it; the title names
    the report's subject, not what the passage is about)."""
    doc = ctx.doc(chunk.doc_id)
    title = compact(doc.title) if doc else ""
    return "".join(h for h in map(compact, chunk.section_path) if h != title)


def _score(q: Question, sent: Sentence, why: bool, define: bool = False) -> float:
    """How well one sentence of the chosen passage answers: the concepts it states, a reason for a why-question,
    a defining clause ('…是指…', '本报告所称…') for a definition question, a colon that opens the list asked for."""
    named = sum(weight(c) for c in q.facts.concepts if c.kind != "year" and satisfied(c, sent.compact))
    words = question_words()
    if words.list.search(q.text) and words.enumerates.search(sent.text):
        named += 3.0  # 'what are the three areas', '收费分成哪几块': the sentence that lists the parts
    reason = 2.0 if why and _REASON.search(sent.text) else 0.0
    reason += 3.0 if define and _DEFINING.search(sent.text) else 0.0
    reason -= 2.0 if not define and _DEFINING.search(sent.text) and re.search(r"所称|是指", sent.text) else 0.0  # a definition
    # answers 'what is X', not why, how or which parts
    return named + reason + (1.0 if sent.text.rstrip().endswith(("：", ":")) else 0.0)


_POINT_HEADING = re.compile(r"[（(][一二三四五六七八九十\d]{1,2}[）)][^。，；]{2,24}[。.]?")


def _run(ctx: AnswerContext, first: Sentence) -> list[Sentence]:
    """The sentence with what continues it in its section: the list it opens with '：', or — when a sentence
    shortly after announces enumerated points ('…两个方面的…。一是…二是…') — that sentence and its points."""
    after = [s for s in ctx.sentences[first.index + 1: first.index + 1 + LOOKAHEAD]
             if s.doc_id == first.doc_id and s.section_id == first.section_id]
    run = [first]
    # a numbered point's own heading ('（二）分级分选利用。') opens the point: what it says follows
    opens = first.text.rstrip().endswith(("：", ":")) or bool(_POINT_HEADING.fullmatch(first.text.strip()))
    if opens:
        run += after[: MAX_SENTENCES - 1]
        return run
    if question_words().enumerates.search(first.text) and first.text.count("、") >= 2:
        return run  # the parts are listed in the sentence itself ('从A、B、C、D四个层面'): what follows is not them
    points = next((i for i, s in enumerate(after) if _CONTINUES.search(s.text.strip())), None)
    if points is None:
        return run
    start = max(points - 1, 0)
    if (series := _ORDINAL_POINT.match(after[points].text.strip())) is not None:
        # '一是A。<A explained>。二是B。<…>。三是C。': the points in order, their explanations left out
        ordinals = "一二三四五六七八九十"
        run += after[start:points + 1]
        want = ordinals.index(series.group(1)) + 1
        for s in after[points + 1:]:
            if len(run) >= MAX_SENTENCES or want >= len(ordinals):
                break
            if s.text.strip().startswith(f"{ordinals[want]}是"):
                run.append(s)
                want += 1
        return run
    for s in after[start:]:
        if len(run) >= MAX_SENTENCES or (s is not after[start] and not _CONTINUES.search(s.text.strip())):
            break
        run.append(s)
    return run


_ORDINAL_POINT = re.compile(r"^([一二三四五六七八九十])是")


def _support(q: Question, chunk: Chunk) -> float:
    """Weighted share of the question's concepts (years aside) the passage or its heading states."""
    concepts = [c for c in q.facts.concepts if c.kind != "year"]
    if not concepts:
        # nothing the question names is known: a passage can only be endorsed when the question has no other
        # content either ('what does the report conclude?'), never when its words are all unknown ('speed of light')
        return 0.0 if q.facts.unknown_en or q.facts.runs else 0.5
    text, head = compact(chunk.text), compact("".join(chunk.section_path))  # the support may count the title
    total = sum(weight(c) for c in concepts)
    got = sum(weight(c) * (1.0 if satisfied(c, text) else 0.6 if satisfied(c, head) else 0.0) for c in concepts)
    return round(got / total, 3)
