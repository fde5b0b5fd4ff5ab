"""What a question names (concepts) and what kind of figure it wants.

Concepts come from the glossary (rows, companies, terms, metrics), the years asked, and — for Chinese —
the words left over after glossary terms and question words are removed (jieba, with parts of speech:
nouns must be found in the answer sentence, verbs and adjectives only help).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from reportqa.query.analysis.tableparse import (
    own_words_dropped,
    question_years,
    sum_word_rows,
    unknown_subjects,
)
from reportqa.query.lexicon.frames import frame_words
from reportqa.query.lexicon.glossary import Glossary, Mention
from reportqa.query.lexicon.question_words import hinted_units, question_words
from reportqa.query.lexicon.segment import pos_words
from reportqa.query.lexicon.words import search_words
from reportqa.query.views.sentences import AnswerContext, compact
from reportqa.records import Language

ConceptKind = Literal["year", "entity", "metric", "word"]

# What a question asks is package data (``lexicon/data/question_words.json``); these names read it.
_W = question_words()
_ZH_ASK = _W.ask_zh  # question phrases removed before segmentation (they ask; they name nothing)
_FILLER = _W.filler_zh
_NOUN_FLAGS = _W.noun_tags
# jieba's function-word tags (adverbs, particles, locatives, pronouns …): '到底', '啊', '里头', '大概' are how a
# question is asked, never what it is about
_FUNCTION_FLAGS = _W.function_tags
_QUANT = _W.quantity
_FORECAST = _W.forecast
_NARRATIVE = _W.narrative
_CHANGE = _W.change
_LEVEL = _W.level
_MORE = _W.more
# The measure asked for, anchored on the question word ('多少人', 'how many riders'), not on any noun in the question.
_CLASSIFIER = _W.classifier
_ENERGY = _W.energy_unit
_ORDINAL = _W.ordinal
_MEASURE_SUFFIXES = _W.measure_suffixes
_RATE_SUFFIXES = _W.rate_suffixes
AVERAGE = _W.average
_TOTAL = _W.total
_PER_UNIT = _W.per_unit


@dataclass(frozen=True)
class Concept:
    """Something the question names: its label as asked and the Chinese forms that satisfy it."""

    label: str
    forms: tuple[str, ...]
    kind: ConceptKind
    required: bool
    noun: bool = True
    glossary_kind: str | None = None
    period: bool = False  # a period word ('上半年'): it frames the figure and anchors its sentence
    frame: bool = False  # it frames the figure (the home country, a period, a total, a forecast) and names no subject
    topic: bool = False  # the report's own subject (its title names it): every sentence of the report is about it
    qualifiers: tuple[str, ...] = ()  # Chinese forms of a word inside an English label ('lithium' in 'lithium recovery rate')
    # derived once: every candidate sentence is tested against the forms without whitespace (a year: as a whole number)
    compact_forms: tuple[str, ...] = field(init=False, repr=False, compare=False)
    pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compact_forms", tuple(compact(f) for f in self.forms))
        year = self.kind == "year" and bool(self.forms)
        object.__setattr__(self, "pattern", re.compile(rf"(?<!\d){self.forms[0]}(?!\d)") if year else None)


@dataclass
class QuestionFacts:
    """What text-fact answering needs to know about a question."""

    concepts: list[Concept]
    years: list[int]
    quantitative: bool
    forecast: bool
    narrative: bool
    units: tuple[str, ...]
    change: bool = False
    level: bool = False
    runs: list[tuple[str, list[tuple[str, bool]]]] = field(default_factory=list)
    unknown_en: list[str] = field(default_factory=list)
    unknown_en_all: list[str] = field(default_factory=list)  # with the words of the report's aliases ('population')
    total: bool = False
    per_unit: bool = False
    average: bool = False
    document_part: bool = False  # the question says where the figure is printed ('per the footnote', '脚注里')
    counted: tuple[str, ...] = ()  # the Chinese forms of what '多少个<X>' counts: a figure counting another noun is no answer
    asked_words: tuple[str, ...] = ()
    """The question's own Chinese words and the Chinese of its general English words ('sponsored' → 资助): what it
    says was done, where a figure's clause names an act ('资助248名骑手')."""
    conditions: tuple[tuple[str, float, float], ...] = ()
    """Figures the question states as a condition on what it asks ('连1吨都没收到' → ('count:吨', 0.5, 1.5)): family and the
    range the figure stands for. A sentence that states the same figure beside its answer is about the same thing."""

    def with_concepts(self, concepts: list[Concept]) -> "QuestionFacts":
        """A copy with other concepts."""
        return replace(self, concepts=concepts)


def _label_qualifiers(mention: Mention, glossary: Glossary) -> tuple[str, ...]:
    """The Chinese forms of the modifiers of a several-word English mention that the glossary knows on their own and
    the entry's own term lacks ('lithium' → 锂 in 'lithium recovery rate', whose entry is the unqualified 回收率;
    not 网约车 in 'ride-hailing platform companies', whose entry 网约车平台 holds it already)."""
    words = re.split(r"[\s-]+", mention.text)
    if len(words) < 2 or not mention.text.isascii():
        return ()
    term = mention.entry.term
    out: list[str] = []
    for word in words[:-1]:  # the last word is the head the entry names
        for sub in glossary.find(word):
            if sub.entry.term != term and sub.entry.kind in ("row", "term", "company"):
                out += [f for f in sub.entry.forms_zh if f not in out and f not in term]
    return tuple(out)


_COUNT_ASK = _W.count_ask


def _counted_noun(question: str, mention: Mention) -> bool:
    """Whether a mention is what the question counts ('多少个<X>', 'how many <X>'): the figure must be about it."""
    return bool(_COUNT_ASK.search(question[max(0, mention.start - 16):mention.start]))


def _counted_before(question: str, word: str) -> bool:
    """Whether a count question follows the word at once ('服务提供者有多少人')."""
    at = question.find(word)
    return at >= 0 and bool(_W.counted_before.match(question[at + len(word):]))


# a count of the things named ('两地', '这三家', '两个'), never a subject of its own
COUNTED = re.compile(r"[一二三四五六七八九十两几]+(?:个|家|类|项|种|地|省|市|者)(?![\u4e00-\u9fff]{0,1}(?:公司|企业|平台))")


def leftover_runs(question: str, mentions: list[Mention]) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Runs of Chinese words left after glossary terms, years, numbers and question words: (run, [(word, is_noun)])."""
    chars = list(question)
    for m in mentions:
        chars[m.start:m.end] = [" "] * (m.end - m.start)
    rest = re.sub(r"(?:19|20)\d{2}\s*年?|\d+(?:\.\d+)?\s*(?:%|[万亿千百]*(?:元|人次|人|家|个|吨|项|次|单|本|辆|台|倍)|[万亿千百]+)?",
                  " ", "".join(chars))  # a figure with its unit ('8760万元') names nothing
    rest = COUNTED.sub(" ", rest)  # nor does a count of the things named ('华东和华南两地', '这三家')
    rest = _ZH_ASK.sub(" ", rest)
    runs: list[tuple[str, list[tuple[str, bool]]]] = []
    for piece in re.findall(r"[\u4e00-\u9fff]+", rest):
        current: list[tuple[str, bool]] = []
        for word, flag in pos_words(piece) + [("", "")]:
            if word and word not in _FILLER and flag not in _FUNCTION_FLAGS:
                current.append((word, flag.startswith(_NOUN_FLAGS)))
                continue
            text = "".join(w for w, _ in current)
            if len(text) >= 2:
                # a one-character noun ('宝' in 充电宝) makes the run a name even when its longer words are verbs;
                # a modifier beside a longer noun ('非正规' in 非正规渠道) stays a modifier
                short_noun = any(n and len(w) == 1 for w, n in current)
                words = [(w, n or short_noun) for w, n in current if len(w) >= 2] or [(text, True)]
                # and the word it is glued to, with it, is a word of its own: '台积'+'电' is not the '台积' of '平台积极'
                words += [(current[i - 1][0] + w, True) for i, (w, n) in enumerate(current)
                          if n and len(w) == 1 and i > 0 and len(current[i - 1][0]) >= 2 and current[i - 1][1]]
                runs.append((text, words))
            current = []
    return runs


# a name in quotes ("the 'income-cost dual principle'", '“繁盛计划”') is what the question is about, not what it asks
_QUOTED = re.compile(r"(?:(?<=\s)|^)'[^']{3,60}'(?=[\s,.?!]|$)|“[^”]{2,40}”|‘[^’]{2,40}’|\"[^\"]{3,60}\"|《[^》]{2,40}》")


def question_facts(question: str, glossary: Glossary, lang: Language, mentions: list[Mention] | None = None) -> QuestionFacts:
    """Concepts, years and the kind of figure a question wants (``mentions``: the glossary's, when already found)."""
    concepts: list[Concept] = []
    counted: list[str] = []
    mentions = glossary.find(question) if mentions is None else mentions
    sum_words = sum_word_rows(mentions)
    for m in mentions:
        e = m.entry
        if e.term == "百分点" or m in sum_words:
            continue
        forms = tuple(f for f in e.forms_zh if f not in ("规模", "用户"))
        # '<X>平台' is named by '<X>' in a sentence ('聚合平台' by '聚合订单'): the head says what kind of body it is
        # (a subject's name only: a measure keeps its whole name)
        forms += tuple(dict.fromkeys(stem for f in forms if e.kind != "metric" for h in _W.organisation_heads
                                     if f.endswith(h) and len(stem := f[: -len(h)]) >= 2 and stem not in forms
                                     and not stem.endswith(_W.organisation_heads)))  # ('平台企业' is not named by '平台')
        kind: ConceptKind = "metric" if e.kind == "metric" else "entity"
        # the report's own country ('全国', a total row) is the default scope of every figure, never a required name
        # nor is a period ('全年', '上半年'): it sets the figure's frame (``Frame``), it is not what the figure is about
        period = frame_words().is_period(e.term)
        # nor is a forecast word ('预测', 'forecast'): it says the figure is a forecast (``QuestionFacts.forecast``)
        forecast = bool(frame_words().forecast.fullmatch(e.term))
        # nor is a word that asks for a total ('累计', '总计'): it frames the figure as a total, it names nothing
        # nor is a part of the document as the question writes it ('脚注', 'footnote', '正文'): it says where the figure is printed
        frame = bool(_TOTAL.fullmatch(e.term) or frame_words().home_place.fullmatch(e.term)
                     or frame_words().document_part.fullmatch(m.text.strip())
                     or frame_words().document_body.fullmatch(m.text.strip())) or period or forecast
        required = e.kind in ("row", "company", "term") and not frame
        # ('<X>有多少个' counts X too; not a frame word: '全国有多少家' counts what the question names before it)
        if _counted_noun(question, m) or (not frame and _W.counted_before.match(question[m.end:])):
            required = True
            counted += [compact(f) for f in (forms or (e.term,)) if re.search(r"[\u4e00-\u9fff]", f)]
        concept = Concept(m.text, forms or (e.term,), kind, required, True, e.kind, period=period,
                          qualifiers=_label_qualifiers(m, glossary), frame=frame)
        if all(c.forms != concept.forms for c in concepts):
            concepts.append(concept)
    years = question_years(question)
    concepts += [Concept(f"{y}年", (str(y),), "year", True) for y in years]
    # 'the fifth batch': which one of a series, as the report writes it (第五批); the figure must be that one's
    concepts += [Concept(label, (form,), "entity", True) for label, form in frame_words().ordinal_forms(question)]
    runs = leftover_runs(question, mentions)  # English questions may quote Chinese ('CNKI (中国知网)')
    for _, words in runs:
        for word, noun in words:
            if _ORDINAL.fullmatch(word):  # '第五批', '第3届': which one of a series; the figure must be that one's
                concepts.append(Concept(word, (word,), "entity", True, True))
                continue
            if noun and _counted_before(question, word):  # '服务提供者有多少人': the counted thing must be the figure's
                concepts.append(Concept(word, (word,), "entity", True, True))
                continue
            concepts.append(Concept(word, (word,), "word", noun, noun))
    units: tuple[str, ...] = ()
    more = bool(_MORE.search(question))
    either = bool(_W.change_either.search(question))  # '降了多少': an amount or a rate
    # ('from how much to how much did it drop' asks the two levels, not the change)
    change = (more or either or bool(_CHANGE.search(question))) and not _W.from_to.search(question)
    units = hinted_units(_QUOTED.sub(" ", question))
    # a classifier right after the count word says what is counted, whatever noun follows ('多少本<driver> licences')
    if (classifier := _CLASSIFIER.search(question)) is not None:
        units = (f"count:{classifier.group(1)}",)  # '发了多少本' counts 本, not 单, 人 or 亿元
    elif (energy := _ENERGY.search(question)) is not None and not units:
        units = (f"count:{energy.group(1)}",)  # 'in GWh' asks for energy
    if any(re.search(r"(?:^|[\s-])(?:rate|ratio|share|percentage)$", m.text.lower()) and "CNY" not in hinted_units(m.entry.term)
           for m in mentions if m.entry.kind in ("metric", "term")):
        units = ("percent", "pp")  # 'what commission rate …' asks a rate whatever else the question says ('fee-transparency');
        # a rate that is a price ('nightly rate' → 客单价) keeps its money
    if units and "percent" not in units and _W.than_by.search(question) and not _W.change_in_unit.search(question):
        units = (*units, "percent")  # '价格比规范企业高出多少': the price's premium, as an amount or a share of it
    if either and units and not _CHANGE.search(question):
        units = tuple(dict.fromkeys((*units, "percent", "pp")))  # (no hinted unit: any figure may be the change)
    elif change and not more and not _W.change_in_unit.search(question):
        units = ("percent", "pp")  # 'how much did X fall' asks for the rate ('fell by how many tonnes': the amount)
    elif not units and (any(m.entry.term.endswith(_RATE_SUFFIXES) for m in mentions if m.entry.kind in ("metric", "term"))
                        or any(w.endswith(_RATE_SUFFIXES) for _, words in runs for w, _ in words)):
        units = ("percent", "pp")  # a measure named as a rate ('<…>回收率为多少') asks for a percentage, not an amount
    narrative = bool(_NARRATIVE.search(question))
    # A metric named with a year or a measure ('<segment> funding <year>', "<company>'s GMV in <year>") asks for a figure.
    figure = not narrative and (bool(units) or (any(c.kind == "metric" for c in concepts) and bool(years)))
    return QuestionFacts(
        concepts=concepts, years=years, quantitative=bool(_QUANT.search(_QUOTED.sub(" ", question))) or figure,
        forecast=bool(_FORECAST.search(question)), narrative=narrative, units=units,
        change=change, level=bool(_LEVEL.search(question)), runs=runs,
        # less the words of the report's own row and measure aliases ('power' of 'power battery'), as tables read them
        unknown_en=[w for w in own_words_dropped(unknown_subjects(question, mentions), glossary) if w.isascii()] if lang == "en" else [],
        unknown_en_all=[w for w in unknown_subjects(question, mentions) if w.isascii()] if lang == "en" else [],
        total=bool(_TOTAL.search(question)), per_unit=bool(_PER_UNIT.search(question)),
        average=bool(AVERAGE.search(question)), document_part=bool(frame_words().document_part.search(question)),
        counted=tuple(dict.fromkeys(counted)),
        asked_words=tuple(w for _, words in runs for w, _ in words) + tuple(search_words(question)),
    )


def missing_everywhere(facts: QuestionFacts, ctx: AnswerContext) -> list[Concept]:
    """What the question names that the reports never mention: a glossary entity, or a run of unknown text
    with a noun that never occurs (for why/how questions only runs of 3+ characters)."""
    absent = [c for c in facts.concepts if c.required and c.kind == "entity" and not any(ctx.mentioned(f) for f in c.forms)]
    # beside a subject or measure the reports name ('<row>', '<company>', '<metric>'), a short unknown word is wording ('数额', '牌照'), not the
    # subject; the evidence score decides. Alone, it is what the question is about ('充电宝', '光速').
    # (the report's whole, a total row that is never required, is no such subject: '<whole> 多大的盘子' names nothing else)
    known_subject = any(c.kind in ("entity", "metric") and c.glossary_kind in ("row", "company", "metric")
                        and (c.required or c.glossary_kind != "row") and any(ctx.mentioned(f) for f in c.forms)
                        for c in facts.concepts)
    for run, words in facts.runs:
        if ctx.mentioned(run) or (facts.narrative and len(run) < 3) or (known_subject and len(run) <= 2):
            continue
        if facts.narrative and sum(len(w) for w, flag in pos_words(run) if flag in ("i", "l") and len(w) >= 4) >= len(run) - 1:
            continue  # a set phrase describing what the narrative is about ('价格大起大落之后'), not a thing of its own
        # a thing the report never names ('充电宝'); a run without any noun ('住过', '融了') is wording, left to
        # the evidence score
        if any(noun and not _known_word(w, ctx) and w not in _W.aspect_nouns for w, noun in words) and \
                any(flag.startswith(_NOUN_FLAGS) for _, flag in pos_words(run)):
            absent.append(Concept(run, (run,), "word", True))
    return absent


def _known_word(word: str, ctx: AnswerContext) -> bool:
    """A word the reports use, or a measure of something they use ('发放量' where the report says '发放…509.0万本')."""
    if ctx.mentioned(word):
        return True
    stem = word[:-1] if word.endswith(_MEASURE_SUFFIXES) else ""
    return len(stem) >= 2 and ctx.mentioned(stem)


def known_only(facts: QuestionFacts, ctx: AnswerContext) -> QuestionFacts:
    """The facts without word concepts the reports never use (they cannot be matched, only reported missing)."""
    return facts.with_concepts([c for c in facts.concepts if c.kind != "word" or any(ctx.mentioned(f) for f in c.forms)])


def warm_up() -> None:
    """Load jieba's part-of-speech model now rather than on the first question."""
    pos_words("共享经济")
