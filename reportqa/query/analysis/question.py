"""One analysis of a question, read by every answerer: language, intent, concepts, the frame it asks about
(years, part of a year, several years, place, names that must appear in the evidence) and its table queries.

    q = analyse("<year> <row> <measure>?", ctx)
    q.intent, q.frame.years, q.table_query
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Literal

from reportqa.query.analysis.concepts import (
    COUNTED,
    Concept,
    QuestionFacts,
    missing_everywhere,
    pos_words,
    question_facts,
)
from reportqa.query.analysis.rewrite import rewrite
from reportqa.query.analysis.tableparse import TableQuery, parse_table_query
from reportqa.query.figures.claims import extract_claims
from reportqa.query.lexicon.frames import frame_words
from reportqa.query.lexicon.glossary import Mention
from reportqa.query.lexicon.language import detect_language
from reportqa.query.lexicon.question_words import number_words_as_digits, question_words
from reportqa.query.lexicon.tablewords import EXTREME
from reportqa.query.lexicon.vocab import Vocab
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


def analyse(text: str, ctx: AnswerContext) -> Question:
    """Analyse ``text`` against the engine's reports and lexicon, once ``rewrite`` has written it out (abbreviations,
    two-digit years, everyday Chinese …; '去年' / 'last year' read as the year of the report the question is about).
    The figures it states as conditions are read once, from the final text."""
    question = _written_out(text, ctx)
    if ctx.lexicon is None:
        return question
    conditions = _conditions(question.text, ctx.lexicon.vocab, question.facts.units)
    return replace(question, facts=replace(question.facts, conditions=conditions))


def _written_out(text: str, ctx: AnswerContext) -> Question:
    question = _analyse(rewrite(text, ctx), ctx)
    spelled = _spell_out(question, ctx)
    if spelled != question.text:
        question = _analyse(spelled, ctx)
    if question.facts.years:
        return question
    dated = _relative_years(question.text, question.docs or tuple(d.doc_id for d in ctx.documents), ctx)
    return _analyse(dated, ctx) if dated != question.text else question


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


_YEAR_FIGURE = re.compile(r"(?:19|20)\d{2}")


def _conditions(text: str, vocab: Vocab, units: tuple[str, ...]) -> tuple[tuple[str, float, float], ...]:
    """The figures a question states besides years, each as (family, low, high). A threshold of the kind asked
    ('到没到四成', '是否超过40%' of a rate) is what the answer is held to, not a condition; a figure of that kind the
    question quotes ('last year's report put it at 44.6%') is one."""
    return tuple((c.family, c.base - c.step / 2, c.base + c.step / 2) for c in extract_claims(number_words_as_digits(text), vocab)
                 if not _YEAR_FIGURE.fullmatch(c.text.strip(" %％"))  # ('rate 2023 %': a year, then the unit asked)
                 and not (c.family in units and (c.bound is not None or c.approx)))


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
    asking = [(m.start(), m.end()) for m in question_words().ask_zh.finditer(text)]  # ('哪段时间' asks, names nothing)
    for piece in re.finditer(r"[\u4e00-\u9fff]+", "".join(blank)):
        at = piece.start()
        for word, flag in pos_words(piece.group(0)):
            if flag.startswith(_NAME_FLAGS) and len(word) >= 2 and not words.home_place.search(word) \
                    and not words.world_place.search(word) \
                    and not any(s <= at and at + len(word) <= e for s, e in asking) \
                    and word not in question_words().filler_zh:
                names.append(word)
            at += len(word)
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
