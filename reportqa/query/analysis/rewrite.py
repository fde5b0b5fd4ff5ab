"""The rewrites a question goes through before it is analysed: abbreviations and misspellings written out, everyday
Chinese written as reports write it, a word mistyped with pinyin input read as the word the reports print, a sector said colloquially ('出行这块'), two-digit years, bracketed asides moved
behind the phrase they interrupt, shared heads spread over their modifiers ('East + South China') and a measure written
in two halves joined ('规范条件名单的回收企业' → 规范条件企业). Each reads the engine's glossary, never a report's words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from reportqa.query.lexicon.abbreviations import (
    abbreviation_words,
    expand_abbreviations,
    expand_colloquial,
    expand_short_years,
)
from reportqa.query.lexicon.glossary import english_synonyms
from reportqa.query.lexicon.homophones import correct_homophones
from reportqa.query.lexicon.question_words import question_words
from reportqa.query.lexicon.spelling import correct_spelling
from reportqa.query.lexicon.tablewords import EN_STOP
from reportqa.query.lexicon.words import general_glossary
from reportqa.query.views.sentences import AnswerContext

_CJK = re.compile(r"[\u4e00-\u9fff]")


def rewrite(text: str, ctx: AnswerContext) -> str:
    """``text`` as the analysis reads it (see the module's docstring), in that order."""
    written = correct_spelling(expand_abbreviations(text), _known_english(ctx))  # ('finacing' → 'financing')
    written = _BLOCK.sub(lambda m: _as_field(m, ctx), written)
    written = aside_last(expand_short_years(expand_colloquial(written, _known_names(text, ctx))))
    written = join_split_measure(spread_head(spread_slash(written, ctx), ctx), ctx)
    return quote_report_names(rate_said_as_share(correct_homophones(written, ctx), ctx), ctx)


@lru_cache(maxsize=1)
def _general_english() -> frozenset[str]:
    """The general English the package knows: stop words and reporting verbs, synonyms, abbreviations written out."""
    words = set(EN_STOP) | set(english_synonyms()) | set(question_words().en_function_words)
    words |= {w.lower() for e in general_glossary().entries for a in e.english for w in re.findall(r"[A-Za-z]+", a)}
    words |= {w.lower() for full in abbreviation_words() for w in re.findall(r"[A-Za-z]+", full)}
    return frozenset(words)


def _known_english(ctx: AnswerContext) -> frozenset[str]:
    return ctx.glossary.english_words() | _general_english()


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


_SHARE_WORD = re.compile(r"占比|比例|比重")
_SHARE_GAP = 6  # at most this many characters between a rate's stem and the share word
_ASKS_HOW_MUCH = re.compile(r"多少|几成|百分之几|百分之多少|几")


def rate_said_as_share(text: str, ctx: AnswerContext) -> str:
    """'锂能回收多少比例' → '锂能回收率多少', '正规渠道回收的电池占比' → '规范渠道回收率': a rate the glossary names '<X>率'
    asked as the share or proportion of <X> ('<X>…占比', '<X>多少比例'), read as that rate. The words between are few and
    name no measure of their own ('回收量占比' is a share of a volume, not 回收率); the words that ask stay."""
    if not _CJK.search(text) or not _SHARE_WORD.search(text):
        return text
    share = _SHARE_WORD.search(text)
    for form in _rate_forms(ctx):
        stem = form[:-1]
        at = text.rfind(stem, max(0, share.start() - len(stem) - _SHARE_GAP), share.start())  # (the stem nearest it)
        if at < 0 or form in text:
            continue
        gap = text[at + len(stem):share.start()]
        if not re.fullmatch(r"[\u4e00-\u9fff]*", gap) or any(
                m.entry.kind == "metric" for m in ctx.glossary.find(text[at:share.start()]) if m.end > len(stem)):
            continue
        asked = _ASKS_HOW_MUCH.search(gap)
        return text[:at] + form + (asked.group(0) if asked else "") + text[share.end():]
    return text


def _rate_forms(ctx: AnswerContext) -> list[str]:
    """The glossary's Chinese names of a rate ('<X>率', X two characters or more), longest first."""
    glossary = ctx.glossary
    return glossary.memo("rate_forms", lambda: sorted(
        {f for e in glossary.entries if e.kind == "metric" for f in (e.term, *e.forms_zh)
         if len(f) >= 3 and f.endswith("率") and re.fullmatch(r"[\u4e00-\u9fff]+", f)}, key=lambda f: -len(f)))


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


_REPORT_QUOTED = re.compile(r"“([\u4e00-\u9fff0-9A-Za-z+]{4,20})”")
_INSIDE_QUOTES = re.compile(r"“[^”]*”|「[^」]*」|《[^》]*》")


def _report_names(ctx: AnswerContext) -> tuple[str, ...]:
    """What the reports print in quotation marks (a plan, a principle, a slogan: '…双原则'), longest first, less the
    glossary's own terms (a row, a measure or a company is read as one)."""
    def build() -> tuple[str, ...]:
        forms = {f for e in ctx.glossary.entries for f in e.forms_zh}
        names = {n for text in ctx.compact_text.values() for n in _REPORT_QUOTED.findall(text) if n not in forms}
        return tuple(sorted(names, key=len, reverse=True))
    return ctx.memo("report_names", build)


def quote_report_names(text: str, ctx: AnswerContext) -> str:
    """A name the reports print in quotation marks, written unquoted by the question ('云账户提出的收入成本双原则是什么'),
    quoted as the report quotes it: it names one thing, so the measure word inside it ('收入') asks for no amount."""
    for name in _report_names(ctx):
        at = text.find(name)
        if at < 0 or any(m.start() <= at < m.end() for m in _INSIDE_QUOTES.finditer(text)):
            continue
        text = f"{text[:at]}“{name}”{text[at + len(name):]}"
    return text


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
