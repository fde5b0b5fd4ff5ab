"""Frame words as data: where a figure holds (home country, the world), over what period (a year, part of a
year, several years) and whether it is a forecast. General words per language, read from ``data/frames.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from reportqa.query.lexicon.question_words import compile_words

Place = str  # "home" | "world"

# the word classes compiled to one pattern each (read like question_words.json's)
_PATTERNS = ("home_place", "world_place", "sub_annual", "multi_year", "forecast", "document_part", "document_body", "cumulative_stated", "cumulative_asked", "restricted_place", "asked_month",
             "whole_period", "near_future", "share_asked", "share_stated")


@dataclass(frozen=True)
class FrameWords:
    """Compiled frame vocabularies (see the module doc)."""

    home_place: re.Pattern[str]
    world_place: re.Pattern[str]
    sub_annual: re.Pattern[str]
    multi_year: re.Pattern[str]
    forecast: re.Pattern[str]
    document_part: re.Pattern[str]  # a part of the document ('脚注', 'footnote'): where a figure is printed
    document_body: re.Pattern[str]  # its running text ('正文', 'main text'), against a table, footnote or case
    cumulative_stated: re.Pattern[str]  # a running total up to a date ('截至…累计'), not one year's figure
    cumulative_asked: re.Pattern[str]  # a question asking a running total ('累计', 'to date')
    restricted_place: re.Pattern[str]
    asked_month: re.Pattern[str]
    whole_period: re.Pattern[str]
    near_future: re.Pattern[str]  # tomorrow, next week: after any report was written
    share_asked: re.Pattern[str]  # the question asks a part of a whole ('占多少', 'share of')
    share_stated: re.Pattern[str]  # a clause states a part of a whole ('占…比重'), not another rate ('合规率')
    sub_annual_names: dict[str, str]  # a written form (lower case) → its period's one name
    en_ordinals: dict[str, str]  # 'fifth' / '5th' → 五
    en_series_nouns: dict[str, str]  # 'batch' → 批
    not_names: frozenset[str]
    foreign_names: dict[str, tuple[str, ...]]

    def place(self, text: str) -> Place | None:
        """'world' when the text speaks of the world or abroad, 'home' when of the report's own country, else None."""
        if self.world_place.search(text):
            return "world"
        return "home" if self.home_place.search(text) else None

    def sub_annual_words(self, text: str) -> list[str]:
        """Part-of-year periods named in the text ('下半年', 'Q3', '6月')."""
        return [m.group(0) for m in self.sub_annual.finditer(text)]

    def same_sub_annual(self, a: str, b: str) -> bool:
        """Whether two part-of-year words name the same period ('Q3' ~ '三季度'; '一季度' ≁ '三季度')."""
        def name(w: str) -> str | None:
            return self.sub_annual_names.get(re.sub(r"\s+", " ", w.strip().lower()))
        na, nb = name(a), name(b)
        return na is None or nb is None or na == nb  # a word naming no one period ('quarter') contradicts none

    def ordinal_forms(self, text: str) -> list[tuple[str, str]]:
        """English ordinals of a series ('the fifth batch', '5th batch') with their Chinese form ('第五批')."""
        out = []
        for m in re.finditer(r"\b(?=(\w+)\s+(\w+)\b)", text):  # every pair of adjacent words, overlapping
            num, noun = self.en_ordinals.get(m.group(1).lower()), self.en_series_nouns.get(m.group(2).lower())
            if num and noun:
                out.append((f"{m.group(1)} {m.group(2)}", f"第{num}{noun}"))
        return out

    def is_period(self, word: str) -> bool:
        """Whether a word only names a period ('全年', '上半年', '五年来', 'year-end'): a frame, never a subject."""
        return any(p.fullmatch(word.strip()) for p in (self.sub_annual, self.multi_year, self.whole_period))


@lru_cache(maxsize=1)
def frame_words() -> FrameWords:
    """The package's frame vocabulary (loaded once)."""
    raw = json.loads(resources.files("reportqa.query.lexicon").joinpath("data/frames.json").read_text(encoding="utf-8"))
    return FrameWords(
        **{name: compile_words(raw[name]) for name in _PATTERNS},
        en_ordinals=dict(raw["en_ordinals"]),
        en_series_nouns=dict(raw["en_series_nouns"]),
        sub_annual_names={form.lower(): name for name, forms in raw["sub_annual_names"].items() if not name.startswith("_")
                          for form in (name, *forms)},
        not_names=frozenset(raw["en_not_names"]),
        foreign_names={k: tuple(v) for k, v in raw["foreign_names"].items() if not k.startswith("_")},
    )
