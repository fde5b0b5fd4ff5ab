"""What follow-ups are read with: the index's subjects and metrics (its glossary plus its table rows and
metrics) and the general words of each language, shipped as package data (``reportqa/data/conversation/*.json``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from reportqa.query.lexicon.glossary import Glossary, GlossaryEntry
from reportqa.records import Table

Lang = Literal["zh", "en"]
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Words:
    """General follow-up words of one language (package data)."""

    lang: Lang
    lead: tuple[str, ...]
    trail: tuple[str, ...]
    subject_pronouns: dict[str, str]
    not_pronouns: tuple[str, ...]
    year_refs: tuple[str, ...]
    relative_years: dict[str, int]
    measures: tuple[str, ...]
    fillers: tuple[str, ...]
    templates: dict[str, str]


@lru_cache(maxsize=4)
def load_words(lang: Lang) -> Words:
    """The packaged follow-up words of ``lang`` ('zh' or 'en')."""
    raw = json.loads(resources.files("reportqa").joinpath(f"data/conversation/{lang}.json").read_text(encoding="utf-8"))
    return Words(
        lang=lang, lead=tuple(raw["lead"]), trail=tuple(raw["trail"]), subject_pronouns=dict(raw["subject_pronouns"]),
        not_pronouns=tuple(raw["not_pronouns"]), year_refs=tuple(raw["year_refs"]),
        relative_years={k: int(v) for k, v in raw["relative_years"].items()}, measures=tuple(raw["measures"]),
        fillers=tuple(raw["fillers"]), templates=dict(raw["templates"]),
    )


@dataclass(frozen=True)
class Phrase:
    """A general word or phrase and what it marks."""

    text: str
    kind: str
    value: str = ""
    pattern: re.Pattern[str] | None = None


@dataclass
class Vocabulary:
    """What follow-ups are read with: the index's subjects and metrics (a glossary) and the general words."""

    glossary: Glossary
    words: dict[str, Words]
    phrases: list[Phrase] = field(default_factory=list)
    fillers: list[tuple[str, re.Pattern[str] | None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for w in self.words.values():
            groups: list[tuple[str, Sequence[str], Mapping[str, Any]]] = [
                ("lead", w.lead, {}), ("trail", w.trail, {}), ("pronoun", list(w.subject_pronouns), w.subject_pronouns),
                ("word", w.not_pronouns, {}), ("year_ref", w.year_refs, {}), ("measure", w.measures, {}),
                ("relative", list(w.relative_years), w.relative_years),
            ]
            for kind, texts, values in groups:
                self.phrases += [Phrase(t, kind, str(values.get(t, "")), _pattern(t)) for t in texts]
            self.fillers += [(f, _pattern(f)) for f in w.fillers]
        self.fillers.sort(key=lambda f: -len(f[0]))


def _pattern(text: str) -> re.Pattern[str] | None:
    """Whole-word, case-insensitive pattern for Latin phrases; None for Chinese ones (matched as substrings)."""
    if CJK.search(text):
        return None
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(text)}(?![A-Za-z0-9])", re.IGNORECASE)


def build_vocabulary(tables: Sequence[Table], glossary: Glossary) -> Vocabulary:
    """The glossary plus every table row label (a subject) and level metric (a measure) it lacks, and the general words."""
    known = {f for e in glossary.entries for f in e.forms_zh}
    extra: dict[str, GlossaryEntry] = {}
    for t in tables:
        for r in t.rows:
            if r.label not in known:
                extra.setdefault(r.label, GlossaryEntry(r.label, (), (), "row"))
        for c in t.columns:
            if c.kind != "growth" and c.metric not in known:
                extra.setdefault(c.metric, GlossaryEntry(c.metric, (), (), "metric"))
    full = glossary.with_entries(list(extra.values())) if extra else glossary
    return Vocabulary(glossary=full, words={lang: load_words(lang) for lang in ("zh", "en")})


def vocabulary(engine: Any) -> Vocabulary:
    """The engine's follow-up vocabulary (its tables and glossary), built once and kept in ``engine.cache``."""
    vocab = engine.cache.get("conversation.vocabulary")
    if vocab is None:
        vocab = build_vocabulary(engine.tables, engine.lexicon.glossary)  # the engine's own reading of its reports
        engine.cache["conversation.vocabulary"] = vocab
    return vocab
