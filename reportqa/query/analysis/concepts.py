"""What a question names (concepts) and what kind of figure it wants.

Concepts come from the glossary (rows, companies, terms, metrics), the years asked, and — for Chinese —
the words left over after glossary terms and question words are removed (jieba, with parts of speech:
nouns must be found in the answer sentence, verbs and adjectives only help).
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal

from reportqa.query.analysis.tableparse import question_years, unknown_subjects
from reportqa.query.lexicon.frames import frame_words
from reportqa.query.lexicon.glossary import Glossary, Mention
from reportqa.query.views.sentences import AnswerContext, compact
from reportqa.records import Language

ConceptKind = Literal["year", "entity", "metric", "word"]

# Question phrases removed before segmentation (they ask; they name nothing).
_ZH_ASK = re.compile(
    r"是什么时候|什么时候|时候|何时|哪一?年|排名?第几[位名]?|第几[份位名个次项]?|多少[个家人名项次位份款笔单元亿万]*|几[个家人名项次位份款笔]|"
    r"人数|数量|是多少|有多少|是什么|指什么|是指|指的是|有哪些|哪些|哪个|哪一个|哪里|在哪|这份|这个|那个|该报告|本报告|请问|为什么|为何|"
    r"是什么意思|什么意思|意思|是不是|怎么样|怎样|怎么|咋|为啥|凭什么|有啥|是啥|啥|哪几[个项种类条点方]?|分别|有何|何种|如何|多大|多高|多长|多久|是否|来着|吗|呢|？|\?"
)
_FILLER = set(
    "的 了 在 中 和 与 及 以及 或 是 有 为 对 给 向 由 被 把 将 按 以 用 之 其 该 这 那 从 到 至 期间 时 "
    "领域 行业 市场 占 比 较 同比 环比 增长 下降 变化 增加 减少 提高 提升 最 更 各 个 达 达到 约 大约 分别 总 总计 "
    "合计 累计 多 少 高 低 大 小 相比 相较 还是 可以 会 能否 没有 有没有 我国 中国 全国 国内 年 年底 年初 年末 "
    "规模 比例 比重 金额 水平 程度 情况 数据 数字 方面 具体 主要 有关 关于 相关 内容 报告 提到 说 介绍 描述 "
    "表示 指出 提出 共 一共 总共 服务 发展 值 量 率".split()
)
_NOUN_FLAGS = ("n", "vn", "eng", "j", "nz", "nr", "ns", "nt", "l", "an")
# jieba's function-word tags (adverbs, particles, auxiliaries, interjections, locatives, pronouns, conjunctions,
# prepositions): '到底', '啊', '里头', '大概' are how a question is asked, never what it is about
_FUNCTION_FLAGS = frozenset({"d", "df", "dg", "y", "u", "uj", "ul", "uz", "ud", "ug", "uv", "e", "o", "zg", "f",
                             "r", "rr", "rz", "rg", "c", "p"})
_QUANT = re.compile(
    r"多少|几[家个名位项款次倍成笔单]|多大|规模|数量|金额|比重|占比|比例|增速|增长率|降幅|增幅|收入|罚款|融资|人数|"
    r"利润|营收|营业额|销售额|价格|成本|产值|支出|投资额|市值|用户数|"
    r"\b(?:profits?|revenues?|income|prices?|costs?|sales|turnover|output|spending|investments?|fines?|"
    r"market value|users|volume)\b|(?:量|额|率|数|值|比例|金额|价格)(?:是|为|有)?[？?]?$|"
    r"how (?:much|many|large|big)|what (?:was|is|were|are) the (?:number|amount|share|value|size|rate|revenue|total)|"
    r"\brate\b|\bshare\b|\bpercent|\bnumber of\b|\bfigure\b|\bvalue\b|\bsize\b|\bamount\b",
    re.I,
)
_FORECAST = re.compile(r"预测|预计|预期|展望|将会|将达|forecast|predict|projection|expect|outlook|\bwill\b", re.I)
_NARRATIVE = re.compile(
    r"为什么|为何|为啥|凭什么|原因|如何|怎样|怎么(?!样)|咋|哪些方面|有什么|有啥|啥区别|区别|定义|含义|指什么|是指|"
    r"哪几[个项种类条点方]|趋势|什么时候|何时|\bwhy\b|\bwhen\b|\bwhere\b|"
    r"how (?:did|does|do|will|can|could|should|is|are)|what (?:are|were) the (?:reasons|causes|trends|measures)|"
    r"what does the report say|\bwhat (?:did|does|do)\b|explain|describe|\btrends?\b|\bmeasures\b|\bsteps\b|"
    r"\bwhat (?:\w+ ){1,3}(?:does|do|did) the report (?:expect|see|predict|describe)",
    re.I,
)
_CHANGE = re.compile(
    r"下降|减少|下滑|降幅|增长了|增加了|增幅|增速|提高了|变化了?多少|变动了?多少|by how much|how much did .{0,60}\bchange|how much did .{0,60}\b(?:fall|drop|decline|rise|grow|increase|decrease)|"
    r"\b(?:fell|dropped|declined|rose|grew|increased|decreased) by\b",
    re.I,
)
_LEVEL = re.compile(r"\breach(?:ed|es)?\b|达到|达多少|\btotal(?:led|ed)?\b|规模", re.I)
_MORE = re.compile(r"how (?:many|much) more|多多少|多了多少|增加了多少|增加多少|增长了多少|新增了?多少|新增了?几|新开了?几|新开了?多少|"
                   r"how many (?:\w+[\s-]+){0,4}(?:were |was )?(?:newly |net )?(?:added|opened|set up|established)|"
                   r"how many new\b|number of new\b|\bnew (?:\w+[\s-]+){0,4}added\b", re.I)
# The measure asked for, anchored on the question word ('多少人', 'how many riders'), not on any noun in the question.
_UNIT_HINTS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"价格|单价|客单价|费用|price|fee|cost|per night|nightly", re.I), ("CNY", "USD")),
    (re.compile(r"多少[名人位]|几[名人位]|人数|的人(?!均)[\u4e00-\u9fff]{0,2}?(?:有|是)?多少|(?:用户|骑手|劳动者|会员|买家)(?:数|人数|规模)|"
                r"(?:多少|几)[名位个]?[\u4e00-\u9fff]{0,4}?(?:骑手|用户|劳动者|司机|驾驶员|员工|职工|会员|买家|卖家|从业者|网民|人员|人口)"
                r"(?![\u4e00-\u9fff]{2})|"  # the people are what is counted, not a modifier ('多少个户外劳动者服务站点')"
                r"how many (?:\w+ ){0,3}(?:people|persons|riders|workers|users|members|buyers|employees|drivers)", re.I), ("people",)),
    (re.compile(r"多少家|几家|(?:企业|平台|公司)(?:数|数量)|how many (?:\w+ ){0,3}(?:companies|firms|enterprises|platforms)", re.I), ("count:家",)),
    (re.compile(r"(?<![\d.])\s*%|百分之(?:多少|几)|几成|占(?!地)[^，。？?]{0,12}?多少|比重|占比|比例|增速|增长率|降幅|增幅|普及率|合规率|\bshare\b|\bpercent|proportion|growth rate|\brate\b", re.I), ("percent", "pp")),
    (re.compile(r"how many|多少个|几个|多少项|多少次|多少单|多少笔", re.I), ("count:*", "people")),
    (re.compile(r"订单量|订单数|客运量|order volume|number of orders|\borders\b|passenger (?:volume|trips)", re.I), ("count:*",)),
    (re.compile(r"收入|营收|融资|罚款|金额|市值|投资额|资金|补贴|多少钱|的钱|钱有多少|多少元|多少亿|revenue|income|financing|funding|\bfined?\b|"
                r"money|spend|\braise[ds]?\b|\bsales\b|\bprofit|\bGMV\b", re.I), ("CNY", "USD", "count")),
]
_CLASSIFIER = re.compile(r"(?:多少|几)(本|辆|台|件|条|座|所|张|部|套|批|户|吨)")
_ENERGY = re.compile(r"(?<![A-Za-z])([GMkT]Wh|[GMk]W)(?![A-Za-z])")
_ORDINAL = re.compile(r"第[一二三四五六七八九十\d]{1,3}[批次届期轮季]")
_MEASURE_SUFFIXES = ("量", "额", "数", "率", "值")
_RATE_SUFFIXES = ("率", "比重", "占比", "比例")
AVERAGE = re.compile(r"平均|均值|\baverage\b|\bmean\b", re.I)
_TOTAL = re.compile(r"累计|合计|总计|一共|总共|\btotal\b|cumulative|altogether|in all", re.I)
_PER_UNIT = re.compile(r"每[一个辆人家单]?|人均|单[辆个位]|一辆|\bper\b|\beach\b|average", re.I)
_lock = threading.Lock()
_ready = False


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
    total: bool = False
    per_unit: bool = False
    average: bool = False

    def with_concepts(self, concepts: list[Concept]) -> "QuestionFacts":
        """A copy with other concepts."""
        return replace(self, concepts=concepts)


def pos_words(text: str) -> list[tuple[str, str]]:
    """jieba words with part-of-speech flags (initialised once, quietly; the report's clauses recur, so kept)."""
    return list(_pos_words(text))


@lru_cache(maxsize=8192)
def _pos_words(text: str) -> tuple[tuple[str, str], ...]:
    global _ready
    import jieba
    import jieba.posseg as pseg

    with _lock:
        if not _ready:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _ready = True
        return tuple((w.word, w.flag) for w in pseg.cut(text))


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


_COUNT_ASK = re.compile(r"(?:多少|几)[个家名位项座辆台条所只款种类批]?[\u4e00-\u9fff]{0,6}$|how many(?:\s+\w+){0,2}\s*$", re.I)


def _counted_noun(question: str, mention: Mention) -> bool:
    """Whether a mention is what the question counts ('多少个<X>', 'how many <X>'): the figure must be about it."""
    return bool(_COUNT_ASK.search(question[max(0, mention.start - 16):mention.start]))


def leftover_runs(question: str, mentions: list[Mention]) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Runs of Chinese words left after glossary terms, years, numbers and question words: (run, [(word, is_noun)])."""
    chars = list(question)
    for m in mentions:
        chars[m.start:m.end] = [" "] * (m.end - m.start)
    rest = re.sub(r"(?:19|20)\d{2}\s*年?|\d+(?:\.\d+)?\s*(?:%|[万亿千百]*(?:元|人次|人|家|个|吨|项|次|单|本|辆|台|倍)|[万亿千百]+)?",
                  " ", "".join(chars))  # a figure with its unit ('8760万元') names nothing
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
                runs.append((text, words))
            current = []
    return runs


def question_facts(question: str, glossary: Glossary, lang: Language, mentions: list[Mention] | None = None) -> QuestionFacts:
    """Concepts, years and the kind of figure a question wants (``mentions``: the glossary's, when already found)."""
    concepts: list[Concept] = []
    mentions = glossary.find(question) if mentions is None else mentions
    for m in mentions:
        e = m.entry
        if e.term == "百分点":
            continue
        forms = tuple(f for f in e.forms_zh if f not in ("规模", "用户"))
        kind: ConceptKind = "metric" if e.kind == "metric" else "entity"
        # the report's own country ('全国', a total row) is the default scope of every figure, never a required name
        # nor is a period ('全年', '上半年'): it sets the figure's frame (``Frame``), it is not what the figure is about
        period = frame_words().is_period(e.term)
        required = e.kind in ("row", "company", "term") and e.term != "总计" and not frame_words().home_place.fullmatch(e.term) \
            and not period
        required = required or _counted_noun(question, m)
        concept = Concept(m.text, forms or (e.term,), kind, required, True, e.kind, period=period,
                          qualifiers=_label_qualifiers(m, glossary))
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
            concepts.append(Concept(word, (word,), "word", noun, noun))
    units: tuple[str, ...] = ()
    more = bool(_MORE.search(question))
    change = more or bool(_CHANGE.search(question))
    units = next((families for pattern, families in _UNIT_HINTS if pattern.search(question)), ())
    if (counted := _CLASSIFIER.search(question) or _ENERGY.search(question)) and not units:
        units = (f"count:{counted.group(1)}",)  # '发了多少本' counts 本, not 单 or 亿元; 'in GWh' asks for energy
    if change and not more:
        units = ("percent", "pp")  # 'how much did X fall' asks for the rate
    elif not units and any(m.entry.term.endswith(_RATE_SUFFIXES) for m in mentions if m.entry.kind in ("metric", "term")):
        units = ("percent", "pp")  # a measure named as a rate ('<…>回收率为多少') asks for a percentage, not an amount
    narrative = bool(_NARRATIVE.search(question))
    # A metric named with a year or a measure ('<segment> funding <year>', "<company>'s GMV in <year>") asks for a figure.
    figure = not narrative and (bool(units) or (any(c.kind == "metric" for c in concepts) and bool(years)))
    return QuestionFacts(
        concepts=concepts, years=years, quantitative=bool(_QUANT.search(question)) or figure,
        forecast=bool(_FORECAST.search(question)), narrative=narrative, units=units,
        change=change, level=bool(_LEVEL.search(question)), runs=runs,
        unknown_en=[w for w in unknown_subjects(question, mentions) if w.isascii()] if lang == "en" else [],
        total=bool(_TOTAL.search(question)), per_unit=bool(_PER_UNIT.search(question)),
        average=bool(AVERAGE.search(question)),
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
        # a thing the report never names ('充电宝'); a run without any noun ('住过', '融了') is wording, left to
        # the evidence score
        if any(noun and not _known_word(w, ctx) for w, noun in words) and \
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
