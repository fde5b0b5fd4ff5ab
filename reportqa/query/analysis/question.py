"""One analysis of a question, read by every answerer: language, intent, concepts, the frame it asks about
(years, part of a year, several years, place, names that must appear in the evidence) and its table queries.

    q = analyse("<year> <row> <measure>?", ctx)
    q.intent, q.frame.years, q.table_query
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

from reportqa.query.analysis.concepts import (
    COUNTED,
    Concept,
    QuestionFacts,
    missing_everywhere,
    pos_words,
    question_facts,
)
from reportqa.query.analysis.tableparse import TableQuery, parse_table_query
from reportqa.query.lexicon.abbreviations import (
    abbreviation_words,
    expand_abbreviations,
    expand_colloquial,
    expand_short_years,
)
from reportqa.query.lexicon.frames import frame_words
from reportqa.query.lexicon.glossary import Mention, english_synonyms
from reportqa.query.lexicon.language import detect_language
from reportqa.query.lexicon.question_words import question_words
from reportqa.query.lexicon.spelling import correct_spelling
from reportqa.query.lexicon.tablewords import EN_STOP, EXTREME
from reportqa.query.lexicon.words import general_glossary, search_words
from reportqa.query.views.sentences import AnswerContext, compact
from reportqa.query.views.tableschema import table_years
from reportqa.records import Document, Language

Intent = Literal["consistency", "narrative", "figure", "open"]

# jieba part-of-speech flags of proper names (places, people, organisations) and what a question asks: package
# data (``lexicon/data/question_words.json``)
_NAME_FLAGS = question_words().name_tags
CONSISTENCY = question_words().consistency
_WHY = question_words().why
DEFINE = question_words().define
_LIST = question_words().list
_COUNT = question_words().count
ABOUT_MARGIN = math.log(10)  # see _about
_CJK = re.compile(r"[\u4e00-\u9fff]")
_EN_NAME = re.compile(r"\b[A-Z][A-Za-z]*(?:['’]s)?(?:[\s-]+[A-Z][A-Za-z]*(?:['’]s)?)*\b")


@dataclass(frozen=True)
class Frame:
    """What the asked figure must hold for: years, part of a year, a span of years, a place, named things."""

    years: tuple[int, ...] = ()
    sub_annual: tuple[str, ...] = ()
    months: tuple[str, ...] = ()
    multi_year: bool = False
    place: str | None = None
    names: tuple[str, ...] = ()
    forecast: bool = False


@dataclass
class Question:
    """A question analysed once: everything the answerers read."""

    text: str
    language: Language
    intent: Intent
    facts: QuestionFacts
    frame: Frame
    absent: list[Concept] = field(default_factory=list)
    table_query: tuple[Document, TableQuery] | None = None
    docs: tuple[str, ...] = ()  # the reports the question is about; () = any

    def about(self, doc_id: str) -> bool:
        """Whether evidence from report ``doc_id`` may answer the question."""
        return not self.docs or doc_id in self.docs

    @property
    def wants_figure(self) -> bool:
        """The question asks for a number (an amount, count, rate …) rather than an explanation."""
        return self.facts.quantitative or bool(self.facts.years)


@lru_cache(maxsize=1)
def _general_english() -> frozenset[str]:
    """The general English the package knows: stop words and reporting verbs, synonyms, abbreviations written out."""
    words = set(EN_STOP) | set(english_synonyms()) | set(question_words().en_function_words)
    words |= {w.lower() for e in general_glossary().entries for a in e.english for w in re.findall(r"[A-Za-z]+", a)}
    words |= {w.lower() for full in abbreviation_words() for w in re.findall(r"[A-Za-z]+", full)}
    return frozenset(words)


def _known_english(ctx: AnswerContext) -> frozenset[str]:
    return ctx.glossary.english_words() | _general_english()


def analyse(text: str, ctx: AnswerContext) -> Question:
    """Analyse ``text`` against the engine's reports and lexicon (general abbreviations and two-digit years written out;
    '去年' / 'last year' read as the year of the report the question is about)."""
    written = correct_spelling(expand_abbreviations(text), _known_english(ctx))  # ('finacing' → 'financing')
    written = _BLOCK.sub(lambda m: _as_field(m, ctx), written)
    question = _analyse(join_split_measure(spread_head(spread_slash(aside_last(expand_short_years(
        expand_colloquial(written, _known_names(text, ctx)))), ctx), ctx), ctx), ctx)
    spelled = _spell_out(question, ctx)
    if spelled != question.text:
        question = _analyse(spelled, ctx)
    if question.facts.years:
        return question
    dated = _relative_years(question.text, question.docs or tuple(d.doc_id for d in ctx.documents), ctx)
    return _analyse(dated, ctx) if dated != question.text else question


_BLOCK = re.compile(r"([\u4e00-\u9fff]{2,4}?)(这块|那块|这一块|那一块|这个板块|那个板块)")


def _as_field(m: re.Match[str], ctx: AnswerContext) -> str:
    """'出行这块' → '出行领域' when the glossary names '<word>领域' but not the bare word (a sector said colloquially);
    otherwise left for the colloquial rewrite ('华南那块': a region)."""
    word = m.group(1)
    for start in range(len(word) - 1):
        tail = word[start:]
        if ctx.glossary.lookup(tail + "领域") is not None and ctx.glossary.lookup(tail) is None:
            return word[:start] + tail + "领域"
    return m.group(0)


def _known_names(text: str, ctx: AnswerContext) -> list[str]:
    """The Chinese names the glossary knows as the question writes them that end in an everyday word a rewrite would
    change ('<company>打车', '<row>打车'): the name is kept whole, the glossary reads it. (A name that starts with one,
    '打车的人', is the everyday wording itself and is rewritten as any other.)"""
    return [m.text for m in ctx.glossary.find(text) if re.search(r"[\u4e00-\u9fff]", m.text)
            and (formal := expand_colloquial(m.text)) != m.text and formal[:2] == m.text[:2]]


_SPLIT_GAP = 6  # at most this many characters between a measure's two halves
_GAP_ASKS = re.compile(r"多|几|哪|什么|怎|吗|呢|是否|有没有")  # what the question asks ('拆解要多长时间'), never the measure's middle


def join_split_measure(text: str, ctx: AnswerContext) -> str:
    """'进了规范条件名单的回收企业' → '进了规范条件企业': a measure the glossary names as one word ('规范条件企业') that the
    question writes in two halves with a few words between ('规范条件' … '企业'), read as that measure. The first half
    must be a name of its own (a glossary form) or three characters long; the words between must be two or more besides
    '的', and name nothing, not even with the first half; a question that already names the measure is left alone."""
    if not _CJK.search(text):
        return text
    mentioned = {m.entry.term for m in ctx.glossary.find(text)}
    for form, entry in _split_measures(ctx):
        if entry.term in mentioned or form in text:
            continue
        for cut in range(2, len(form) - 1):
            head, tail = form[:cut], form[cut:]
            at = text.find(head)
            if at < 0 or (cut < 3 and ctx.glossary.lookup(head) is None):
                continue
            end = text.find(tail, at + cut, at + cut + _SPLIT_GAP + len(tail))
            gap = text[at + cut:end] if end > at + cut else ""
            if len(gap.replace("的", "")) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", gap) or ctx.glossary.find(gap) \
                    or _GAP_ASKS.search(gap) \
                    or any(m.end > cut for m in ctx.glossary.find(head + gap)):
                continue  # ('规范渠道回收量的比例' is a share of that volume, not '规范渠道回收比例', the rate)
            return text[:at] + form + text[end + len(tail):]
    return text


def _split_measures(ctx: AnswerContext) -> list[tuple[str, Any]]:
    """The glossary's Chinese measure names of four characters or more, longest first."""
    glossary = ctx.glossary
    return glossary.memo("split_measures", lambda: sorted(
        ((f, e) for e in glossary.entries if e.kind == "metric" for f in (e.term, *e.forms_zh)
         if len(f) >= 4 and _CJK.search(f) and not re.search(r"[^\u4e00-\u9fff]", f)),
        key=lambda fe: -len(fe[0])))


# two English modifiers of one noun joined by a slash: 'collection/service outlets'
_SLASHED = re.compile(r"\b([A-Za-z][\w-]*)/([A-Za-z][\w-]*) ([a-z][\w-]*)\b")


def spread_slash(text: str, ctx: AnswerContext) -> str:
    """'collection/service outlets' → 'collection outlets / service outlets': each modifier with the noun they share,
    when both phrases are whole names of one thing the lexicon knows (one thing, asked two ways)."""
    def spread(m: re.Match[str]) -> str:
        if m.group(3).lower() in question_words().en_function_words:
            return m.group(0)
        phrases = [f"{m.group(1)} {m.group(3)}", f"{m.group(2)} {m.group(3)}"]
        whole = [{x.entry.term for x in ctx.glossary.find(p) if x.start == 0 and x.end == len(p)} for p in phrases]
        return " / ".join(phrases) if whole[0] and whole[0] == whole[1] else m.group(0)
    return _SLASHED.sub(spread, text)


# English modifiers that share the last one's noun: 'East + South China', 'East, Central and South China'
_LIST_SEP = r"\s*(?:,|\+|&|/|\band\b|\bor\b)\s*"
_SHARED_HEAD = re.compile(rf"\b((?:[A-Za-z][\w-]*{_LIST_SEP})+)([A-Za-z][\w-]*) ([A-Za-z][\w-]*)\b")


def spread_head(text: str, ctx: AnswerContext) -> str:
    """'East + South China' → 'East China + South China': each modifier with the noun the last one has, when every
    phrase so made is the whole name of a thing the lexicon knows and the modifier alone names nothing."""
    def whole(phrase: str) -> set[str]:
        return {x.entry.term for x in ctx.glossary.find(phrase) if x.start == 0 and x.end == len(phrase)}

    def spread(m: re.Match[str]) -> str:
        parts = re.split(f"({_LIST_SEP})", m.group(1))
        mods, seps = parts[0::2][:-1], parts[1::2]
        mods = [w for w in mods if w]
        if not mods or len(mods) != len(seps) or m.group(3).lower() in question_words().en_function_words:
            return m.group(0)
        for k in range(len(mods)):  # 'volume, East + South China': the list starts where the names do
            phrases = [f"{w} {m.group(3)}" for w in (*mods[k:], m.group(2))]
            terms = [whole(p) for p in phrases]
            if all(terms) and len(set.union(*terms)) == len(phrases) and not any(whole(w) for w in mods[k:]):
                return "".join(w + sep for w, sep in zip(mods[:k], seps)) + \
                    "".join(p + sep for p, sep in zip(phrases, (*seps[k:], "")))
        return m.group(0)
    return _SHARED_HEAD.sub(spread, text)


# an English aside in brackets inside a phrase: 'certified (compliant) recycling enterprises in …'
_ASIDE = re.compile(r"(?<=[A-Za-z]) (\([^()]{1,40}\)) ((?:[a-z][\w-]*)(?: [a-z][\w-]*){0,2})(?=[\s,?.!]|$)")


# a Chinese aside inside a phrase: '人均共享型服务（在线外卖）支出是多少' (up to the verb or question word after it)
# (only before a measure's head noun: '去年（2023年）一共…' glosses the word before it and stays)
_ASIDE_ZH = re.compile(r"(?<=[\u4e00-\u9fff])([（(][^（）()\d]{1,20}[）)])([\u4e00-\u9fff]{0,3}?(?:支出|规模|收入|量|额|数|率|价|费|值))"
                       r"(?=是|为|有|多少|几|的|[，,。？?]|$)")


def aside_last(text: str) -> str:
    """A question with a bracketed aside moved behind the words it interrupts ('cascade (second-life) use
    in 2022' → 'cascade use (second-life) in 2022', '人均共享型服务（在线外卖）支出' → '人均共享型服务支出（在线外卖）'):
    the phrase reads whole, the aside still names what it names."""
    if re.search(r"[\u4e00-\u9fff]", _ASIDE.sub("", text)) and not re.search(r"[A-Za-z]{3}", text):
        return _ASIDE_ZH.sub(lambda m: m.group(2) + m.group(1), text)
    def move(m: re.Match[str]) -> str:
        words = m.group(2).split()
        head: list[str] = []
        for w in words:
            if w.lower() in question_words().en_function_words:
                break
            head.append(w)
        if not head:
            return m.group(0)
        return " " + " ".join(head) + " " + m.group(1) + "".join(" " + w for w in words[len(head):])
    return _ASIDE.sub(move, text)


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _spell_out(question: Question, ctx: AnswerContext) -> str:
    """The question with a Chinese abbreviation the reports never print written as the term they do print
    ('社零总额' → 社会消费品零售总额): the term whose words begin with the abbreviation's characters, in order."""
    text = question.text
    for concept in question.absent:
        word = concept.label
        if concept.kind != "word" or not 3 <= len(word) <= 6 or not _CJK_RUN.fullmatch(word):
            continue
        full = abbreviated_term(word, ctx)
        if full:
            text = text.replace(word, full)
    return text


def abbreviated_term(word: str, ctx: AnswerContext) -> str:
    """The report term ``word`` abbreviates, or '': a run of the report's text that starts and ends on word boundaries
    and in which each character of ``word`` but its last two (often one word: '总额') begins a word, in order, at most
    four characters apart ('社会消费品零售总额' for '社零总额'); the most used such term."""
    head, tail = word[:-2], word[-2:]
    pattern = re.compile("".join(f"({re.escape(ch)})[\u4e00-\u9fff]{{0,4}}?" for ch in head) + re.escape(tail))
    counts: dict[str, int] = {}
    for doc_text in ctx.compact_text.values():
        for m in pattern.finditer(doc_text):
            term = m.group(0)
            if term == word:
                continue
            lo = max(0, m.start() - 4)
            starts, at = set(), lo
            for w, _ in pos_words(doc_text[lo:m.end() + 4]):
                starts.add(at)
                at += len(w)
            starts.add(at)
            if all(m.start(g) in starts for g in range(1, len(head) + 1)) and m.end() in starts:
                counts[term] = counts.get(term, 0) + 1
    return max(counts, key=lambda t: counts[t]) if counts else ""


def _relative_years(text: str, docs: tuple[str, ...], ctx: AnswerContext) -> str:
    """``text`` with '去年', '今年', 'last year' … written as years, counted from the latest year of the tables of the
    one report ``docs`` names (unchanged when it names several reports, or the report has no dated table)."""
    latest = {max((y for t in d.tables for y in table_years(t)), default=None) for d in ctx.documents if d.doc_id in docs}
    if len(latest) != 1 or None in latest:
        return text
    year = latest.pop()
    assert year is not None
    for pattern, offset in question_words().relative_years:
        text = pattern.sub(lambda _m, y=year + offset: f"{y}年" if re.search(r"[\u4e00-\u9fff]", text) else str(y), text)
    return text


def _analyse(text: str, ctx: AnswerContext) -> Question:
    lang = detect_language(text)
    mentions = ctx.glossary.find(text)
    facts = question_facts(text, ctx.glossary, lang, mentions)
    if facts.unknown_en:  # a general English word whose Chinese the reports use ('nominal' → 名义) is no unknown subject;
        # it is a light word of the question, in the Chinese a passage uses for it ('taxi' → 出租车)
        rendered = {w: [z for z in search_words(w) if ctx.mentioned(z)] for w in facts.unknown_en}
        facts = replace(facts, unknown_en=[w for w in facts.unknown_en if not rendered[w]],
                        concepts=facts.concepts + [Concept(w, tuple(zs), "word", False, noun=False) for w, zs in rendered.items() if zs])
    absent = missing_everywhere(facts, ctx)
    consistency = bool(CONSISTENCY.search(text))
    if consistency:
        intent: Intent = "consistency"
    elif (facts.narrative and (not facts.quantitative or _WHY.search(text))) or DEFINE.search(text) \
            or (_LIST.search(text) and not _COUNT.search(text)
                and not (EXTREME.search(text) and any(c.kind == "metric" for c in facts.concepts))):
        # ('which two segments had the highest output value' ranks a measure: a figure question)
        intent = "narrative"  # a why-question wants the report's explanation, even of a figure; a list question its
        # items; a definition question the definition (of a rate, too)
    elif facts.quantitative or facts.years:
        intent = "figure"
    else:
        intent = "open"
    frame = _frame(text, facts, mentions)
    docs = _about(facts, mentions, ctx)
    if intent == "figure" or (intent == "narrative" and
                              sum(1 for c in facts.concepts if c.kind != "year") >= 2):
        # (a narrative whose only other words are the title's subject still needs the subject in its passage)
        facts = _topic_optional(facts, ctx, docs)
    table_query = None
    if intent in ("figure", "open") or (facts.narrative and facts.quantitative):
        table_query = _table_query(text, ctx, docs)
    return Question(text=text, language=lang, intent=intent, facts=facts, frame=frame,
                    absent=absent, table_query=table_query, docs=docs)


def _about(facts: QuestionFacts, mentions: list[Mention], ctx: AnswerContext) -> tuple[str, ...]:
    """The report a question is about, when its words single one out; () when none stands out.

    Each thing the question names (a glossary entry's Chinese forms, whatever language it is asked in, or a word
    the lexicon does not know) is weighed by how often each report's text uses it, per character of that report
    (a smoothed naive-Bayes score); a report wins when its score beats every other's by ``ABOUT_MARGIN``
    (natural log: 10× as likely).
    """
    ids = [d.doc_id for d in ctx.documents]
    if len(ids) < 2:
        return ()
    lengths = {d: len(ctx.compact_text.get(d, "")) for d in ids}
    # a general word (a total, a share, a growth rate, the home country) is written by every report in its own way
    # ('合计' / '总计'): it says nothing about which report a question is about
    general = {e.term for e in general_glossary().entries}
    named = [m.entry.forms_zh for m in mentions if m.entry.term not in general
             and not question_words().total.fullmatch(m.entry.term) and not frame_words().home_place.fullmatch(m.entry.term)]
    named += [(c.label,) for c in facts.concepts if c.kind == "word"
              and not (CONSISTENCY.search(c.label) or _WHY.search(c.label))]  # '一致', '原因' ask; they name nothing
    score = dict.fromkeys(ids, 0.0)
    for forms in named:
        uses = [ctx.uses(f) for f in forms]  # counted once per engine: each count scans a whole report
        counts = {d: sum(u[d] for u in uses) for d in ids}
        if not any(counts.values()):
            continue  # a word no report uses says nothing about which one
        for d in ids:
            score[d] += math.log((counts[d] + 0.5) / max(lengths[d], 1))
    first, second = sorted(ids, key=score.__getitem__, reverse=True)[:2]
    return (first,) if score[first] - score[second] >= ABOUT_MARGIN else ()


def _topic_optional(facts: QuestionFacts, ctx: AnswerContext, docs: tuple[str, ...]) -> QuestionFacts:
    """A subject the report's title names ('<topic>' in '<country><topic>发展报告') is what every sentence of that report
    is about: a sentence need not repeat it and it tells the report's sentences little apart (a light word, as a
    verb would be), like the report's own country."""
    ids = docs or tuple(d.doc_id for d in ctx.documents)
    if len(ids) != 1:
        return facts
    doc = ctx.doc(ids[0])
    title = compact(doc.title) if doc is not None else ""
    if not title:
        return facts
    topic = [c for c in facts.concepts if c.kind == "entity" and c.required and any(compact(f) in title for f in c.forms)]
    if not topic:
        return facts
    return facts.with_concepts([replace(c, kind="word", required=False, noun=False, topic=True) if c in topic else c
                                for c in facts.concepts])


def _table_query(text: str, ctx: AnswerContext, docs: tuple[str, ...] = ()) -> tuple[Document, TableQuery] | None:
    """The table reading of the report the question is about: every report's reading competes (only the reports
    ``docs`` names, when it names any); one whose tables have the asked years and print the rows the question names
    wins (ties: the first report)."""
    found = []
    for doc in ctx.documents:
        if docs and doc.doc_id not in docs:
            continue
        query = parse_table_query(text, doc.tables, ctx.glossary)
        if query is not None:
            labels = {r.label for t in doc.tables for r in t.rows}
            fit = (query.missing is None, sum(1 for r in query.asked_rows if r in labels), _caption_words(text, doc))
            found.append((fit, -len(found), doc, query))
    if not found:
        return None
    _, _, doc, query = max(found, key=lambda f: (f[0], f[1]))
    return doc, query


def _caption_words(text: str, doc: Document) -> int:
    """How many of the question's words the report's table captions use: between two reports whose tables both read a
    question, '哪个领域…' / 'which sector …' belongs to the one whose tables are by 领域 (a Chinese word pair of the
    question, or the Chinese of its general English words)."""
    captions = "".join(t.caption for t in doc.tables)
    zh = re.sub(r"[^\u4e00-\u9fff]+", " ", text)
    pairs = {w[i:i + 2] for w in zh.split() for i in range(len(w) - 1)}
    return sum(1 for w in pairs | set(search_words(text)) if w in captions)


def _frame(text: str, facts: QuestionFacts, mentions: list[Mention]) -> Frame:
    words = frame_words()
    return Frame(
        years=tuple(facts.years),
        sub_annual=tuple(words.sub_annual_words(text)),
        months=tuple(m.group(0) for m in words.asked_month.finditer(text)),
        multi_year=bool(words.multi_year.search(text)),
        place=words.place(text),
        names=tuple(_names(text, mentions)),
        forecast=bool(words.forecast.search(text)),
    )


def _names(text: str, mentions: list[Mention]) -> list[str]:
    """Proper names in the question that the lexicon does not know: they must appear in the evidence."""
    words = frame_words()
    covered = [(m.start, m.end) for m in mentions]

    def known(start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in covered)  # part of a name the lexicon knows ('<Company> <Suffix>')

    def glossed(start: int) -> bool:  # in a bracketed aside right after a known name: 'ternary (NCM/NCA)' glosses it
        opened = max(text.rfind("(", 0, start), text.rfind("（", 0, start))
        return opened >= 0 and not re.search(r"[)）]", text[opened:start]) and any(
            e <= opened and not text[e:opened].strip() for _, e in covered)

    names: list[str] = []
    for m in _EN_NAME.finditer(text):
        if glossed(m.start()):
            continue
        tokens = [t for t in re.split(r"[\s-]+", m.group(0)) if t]
        if m.start() == 0 and len(tokens) == 1 and not re.search(r"['’]s$", tokens[0]) and not _CJK.search(text) \
                and not re.match(r"\s+(?:FY)?(?:19|20)?\d\d(?!\d)", text[m.end():]) and not re.fullmatch(r"[A-Z]{2,}", tokens[0]):
            # a lone first word is an English sentence's capital ('Rank the …', 'Top 3 …'), not a name ('<Name> 2022年…',
            # '<Name> 2022 …');
            # a word in capitals ('TSLA …') is one
            continue
        kept = [re.sub(r"['’]s$", "", t) for t in tokens if re.sub(r"['’]s$", "", t) not in words.not_names]
        if kept and not known(m.start(), m.end()) and not any(len(t) < 2 for t in kept):
            names.append(" ".join(kept))
            continue
        if kept and len(tokens) > 1:  # 'US GDP growth': a name glued to a term the lexicon knows is still a name
            for t in re.finditer(r"[A-Za-z]+", m.group(0)):
                at = m.start() + t.start()
                if t.group(0) in kept and len(t.group(0)) >= 2 and not known(at, at + len(t.group(0))):
                    names.append(t.group(0))
        for owner in re.finditer(r"([A-Z][A-Za-z]+)['’]s\b", m.group(0)):  # "India's GDP": the owner is a name of its own
            at = m.start() + owner.start(1)
            if owner.group(1) not in words.not_names and not known(at, at + len(owner.group(1))):
                names.append(owner.group(1))
    blank = list(text)
    for s, e in covered:
        blank[s:e] = [" "] * (e - s)
    for piece in re.findall(r"[\u4e00-\u9fff]+", "".join(blank)):
        tagged = pos_words(piece)
        for i, (word, flag) in enumerate(tagged):
            if flag.startswith(_NAME_FLAGS) and len(word) >= 2 and not words.home_place.search(word) \
                    and not words.world_place.search(word):
                names.append(word)
    for m in re.finditer(r"[\u4e00-\u9fff]+", text):  # a place glued to a noun the lexicon lacks is one name ('贵州茅台')
        tagged = pos_words(m.group(0))
        at = m.start()
        for (word, flag), (after, after_flag) in zip(tagged, tagged[1:]):
            end = at + len(word)
            if flag == "ns" and after_flag in ("n", "nz", "nr", "nt") and len(after) >= 2 and known(at, end) \
                    and not known(end, end + len(after)) and not words.home_place.search(word) \
                    and not COUNTED.fullmatch(after):  # '华东和华南两地': two places, not one named '华南两地'
                names.append(word + after)
            at = end
    return names


def name_in(name: str, evidence_compact: str) -> bool:
    """Whether a question's name appears in compacted evidence text (Latin names case-insensitively, or by a
    Chinese form the general lexicon gives for it: 'US' → 美国)."""
    key = compact(name)
    forms = (key, *frame_words().foreign_names.get(name, ()))
    return any(f in evidence_compact or f.lower() in evidence_compact.lower() for f in forms)


def is_latin(name: str) -> bool:
    """A name written in Latin letters (it can only be matched literally or through the lexicon)."""
    return name.isascii()
