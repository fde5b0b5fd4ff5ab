"""What a question asks, in general words shipped as package data (``lexicon/data/question_words.json``).

Per class, regular-expression fragments per language ('zh', 'en', 'any' for neither), joined with '|' in that
order and matched case-insensitively unless the class says ``case_sensitive``; word lists and jieba
part-of-speech tags beside them. Nothing here names a report's row, term or company: those live in its glossary.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

_LANGS = ("zh", "en", "any")


def compile_words(entry: dict[str, Any]) -> re.Pattern[str]:
    """One word class ({'zh': [...], 'en': [...], 'any': [...]} regex fragments) as one pattern, zh first;
    case-insensitive unless the class says ``case_sensitive`` (frames.json's classes are read the same way)."""
    fragments = [f for lang in _LANGS for f in entry.get(lang, [])]
    flags = 0 if entry.get("case_sensitive") else re.I
    return re.compile("|".join(f"(?:{f})" for f in fragments), flags)


@dataclass(frozen=True)
class QuestionWords:
    """Compiled question vocabularies (see the module doc and the data file's ``_doc`` of each class)."""

    ask_zh: re.Pattern[str]
    sub_part: re.Pattern[str]
    quantity: re.Pattern[str]
    forecast: re.Pattern[str]
    narrative: re.Pattern[str]
    change: re.Pattern[str]
    change_either: re.Pattern[str]
    level: re.Pattern[str]
    more: re.Pattern[str]
    average: re.Pattern[str]
    average_stated: re.Pattern[str]
    total: re.Pattern[str]
    per_unit: re.Pattern[str]
    count_ask: re.Pattern[str]
    counted_before: re.Pattern[str]
    consistency: re.Pattern[str]
    claim_lead: re.Pattern[str]
    why: re.Pattern[str]
    define: re.Pattern[str]
    source: re.Pattern[str]
    list: re.Pattern[str]
    enumerates: re.Pattern[str]
    amount_ask: re.Pattern[str]
    en_connectives: frozenset[str]
    two_asks: re.Pattern[str]
    from_to: re.Pattern[str]
    versus: re.Pattern[str]
    each_ask: re.Pattern[str]
    ask_joint: re.Pattern[str]
    than_by: re.Pattern[str]
    recompute: re.Pattern[str]
    count: re.Pattern[str]
    classifier: re.Pattern[str]
    energy_unit: re.Pattern[str]
    change_in_unit: re.Pattern[str]
    implied: re.Pattern[str]
    year_count: re.Pattern[str]
    ordinal: re.Pattern[str]
    unit_hints: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]
    filler_zh: frozenset[str]
    aspect_nouns: frozenset[str]
    measure_units: frozenset[str]  # units of an amount (吨, 公里, GWh), not of a count of things
    en_function_words: frozenset[str]
    share_forms: tuple[str, ...]
    scale_words: tuple[str, ...]
    scale_suffixes: tuple[str, ...]
    organisation_heads: tuple[str, ...]
    noun_tags: tuple[str, ...]
    function_tags: frozenset[str]
    name_tags: tuple[str, ...]
    measure_suffixes: tuple[str, ...]
    rate_suffixes: tuple[str, ...]
    share_of_base: tuple[str, ...]  # '<base>普及率' is a share of <base>: the base is a level ÷ the rate
    relative_years: tuple[tuple[re.Pattern[str], int], ...]
    word_figures: tuple[tuple[re.Pattern[str], float | None], ...]  # (pattern, percent); None: '<digit>成', tenths
    word_figure_tolerance: float
    number_words_en: re.Pattern[str]  # 'one' … 'ten' before a unit word
    number_values_en: dict[str, int]
    word_multiples: tuple[tuple[re.Pattern[str], float | None], ...]  # (pattern, growth in percent)
    word_multiple_tolerance: float


_PATTERNS = ("ask_zh", "amount_ask", "sub_part", "quantity", "forecast", "narrative", "change", "change_either", "level", "more", "average", "average_stated", "total", "per_unit",
             "count_ask", "counted_before", "consistency", "claim_lead", "why", "define", "source", "list", "enumerates", "two_asks", "from_to", "versus", "each_ask", "ask_joint", "than_by", "recompute", "count",
             "classifier", "energy_unit", "ordinal", "change_in_unit", "implied", "year_count")


def hinted_units(text: str) -> tuple[str, ...]:
    """The unit families the first unit hint matching ``text`` gives ('多少人' → people, '客单价' → CNY); ()."""
    return next((families for pattern, families in question_words().unit_hints if pattern.search(text)), ())


@lru_cache(maxsize=1)
def question_words() -> QuestionWords:
    """The package's question vocabulary (loaded once)."""
    raw = json.loads(resources.files("reportqa.query.lexicon").joinpath("data/question_words.json").read_text(encoding="utf-8"))
    return QuestionWords(
        **{name: compile_words(raw[name]) for name in _PATTERNS},
        unit_hints=tuple((compile_words(h), tuple(h["families"])) for h in raw["unit_hints"]["hints"]),
        filler_zh=frozenset(raw["filler_zh"]["words"]),
        aspect_nouns=frozenset(raw["aspect_nouns"]["words"]),
        en_function_words=frozenset(raw["en_function_words"]["words"]),
        share_forms=tuple(raw["share_forms"]["words"]),
        scale_words=tuple(raw["scale_words"]["words"]),
        measure_units=frozenset(raw["measure_units"]["words"]),
        scale_suffixes=tuple(raw["scale_words"]["suffixes"]),
        organisation_heads=tuple(raw["organisation_heads"]["words"]),
        noun_tags=tuple(raw["pos"]["noun"]),
        function_tags=frozenset(raw["pos"]["function"]),
        name_tags=tuple(raw["pos"]["name"]),
        measure_suffixes=tuple(raw["suffixes"]["measure"]),
        rate_suffixes=tuple(raw["suffixes"]["rate"]),
        share_of_base=tuple(raw["suffixes"]["share_of_base"]),
        relative_years=tuple((re.compile(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", re.I), offset)
                             for word, offset in sorted(raw["relative_years"]["offsets"].items(), key=lambda kv: -len(kv[0]))),
        en_connectives=frozenset(w.lower() for w in raw["en_connectives"]["en"]),
        word_figures=_word_figures(raw["word_figures"]),
        word_figure_tolerance=float(raw["word_figures"]["tolerance"]),
        number_words_en=re.compile(r"\b(" + "|".join(sorted(map(re.escape, raw["number_words_en"]["words"]), key=len, reverse=True))
                                   + r")\b(?=\s+[A-Za-z])", re.I),
        number_values_en={k.lower(): int(v) for k, v in raw["number_words_en"]["words"].items()},
        word_multiples=_said(raw["word_multiples"]),
        word_multiple_tolerance=float(raw["word_multiples"]["tolerance"]),
    )


def _said(raw: dict[str, Any]) -> tuple[tuple[re.Pattern[str], float | None], ...]:
    """Each figure said in words as (pattern, percent), longest first."""
    said = {**raw["zh"], **raw["en"]}
    return tuple((re.compile(rf"(?<![A-Za-z]){re.escape(words)}(?![A-Za-z])", re.I), float(percent))
                 for words, percent in sorted(said.items(), key=lambda kv: -len(kv[0])))


def _word_figures(raw: dict[str, Any]) -> tuple[tuple[re.Pattern[str], float | None], ...]:
    """Each share said in words as (pattern, percent), longest first; '<digit>成' last, its percent read from the match."""
    return (*_said(raw), (re.compile(raw["tenths_zh"]), None))


_TENTHS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def word_multiples(text: str) -> list[tuple[re.Match[str], float]]:
    """The growth ``text`` says in words, each with the growth in percent it stands for ('doubled' → 100)."""
    return [(m, percent or 0.0) for pattern, percent in question_words().word_multiples for m in pattern.finditer(text)][:1]


def number_words_as_digits(text: str) -> str:
    """English number words before a unit written as digits ('less than one tonne' → 'less than 1 tonne')."""
    words = question_words()
    return words.number_words_en.sub(lambda m: str(words.number_values_en[m.group(1).lower()]), text)


def word_figures(text: str) -> list[tuple[re.Match[str], float]]:
    """The shares ``text`` says in words, each with the percentage it stands for ('about half' → 50, '近四成' → 40)."""
    out: list[tuple[re.Match[str], float]] = []
    for pattern, percent in question_words().word_figures:
        for m in pattern.finditer(text):
            if all(m.end() <= o.start() or m.start() >= o.end() for o, _ in out):
                out.append((m, percent if percent is not None else 10.0 * _TENTHS[m.group(1)]))
    return sorted(out, key=lambda f: f[0].start())
