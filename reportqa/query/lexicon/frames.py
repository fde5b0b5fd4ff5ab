"""Frame words as data: where a figure holds (home country, the world), over what period (a year, part of a
year, several years) and whether it is a forecast. General words per language, read from ``data/frames.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

Place = str  # "home" | "world"


def _pattern(words: dict[str, list[str]]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{w})" for lang in ("zh", "en") for w in words.get(lang, [])), re.I)


@dataclass(frozen=True)
class FrameWords:
    """Compiled frame vocabularies (see the module doc)."""

    home_place: re.Pattern[str]
    world_place: re.Pattern[str]
    sub_annual: re.Pattern[str]
    multi_year: re.Pattern[str]
    forecast: re.Pattern[str]
    restricted_place: re.Pattern[str]
    asked_month: re.Pattern[str]
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


@lru_cache(maxsize=1)
def frame_words() -> FrameWords:
    """The package's frame vocabulary (loaded once)."""
    raw = json.loads(resources.files("reportqa.query.lexicon").joinpath("data/frames.json").read_text(encoding="utf-8"))
    return FrameWords(
        home_place=_pattern(raw["home_place"]),
        world_place=_pattern(raw["world_place"]),
        sub_annual=_pattern(raw["sub_annual"]),
        multi_year=_pattern(raw["multi_year"]),
        forecast=_pattern(raw["forecast"]),
        restricted_place=_pattern(raw["restricted_place"]),
        asked_month=_pattern(raw["asked_month"]),
        not_names=frozenset(raw["en_not_names"]),
        foreign_names={k: tuple(v) for k, v in raw["foreign_names"].items() if not k.startswith("_")},
    )
