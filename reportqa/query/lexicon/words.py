"""General words shipped as package data (``lexicon/data/{zh,en}.tsv`` and ``general.glossary.tsv``).

Nothing here names a report's row, term or company: those live beside each report in its glossary.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from reportqa.errors import CorpusFormatError
from reportqa.query.lexicon.glossary import Glossary, parse_glossary

_DATA = "reportqa.query.lexicon"


def _read(name: str) -> str:
    return resources.files(_DATA).joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=4)
def _classes(lang: str) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for lineno, raw in enumerate(_read(f"{lang}.tsv").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cls, sep, word = line.partition("\t")
        if not sep or not word.strip():
            raise CorpusFormatError(f"lexicon data {lang}.tsv line {lineno}: expected 'class<TAB>word' (got {raw!r})")
        out.setdefault(cls.strip(), set()).add(word.strip())
    return {k: frozenset(v) for k, v in out.items()}


def words(cls: str, lang: str | None = None) -> frozenset[str]:
    """The general words of a class ('total', ...) in one language, or in both when ``lang`` is None."""
    langs = (lang,) if lang else ("zh", "en")
    return frozenset(w for lg in langs for w in _classes(lg).get(cls, ()))


@lru_cache(maxsize=1)
def general_glossary() -> Glossary:
    """Report-independent measures (share, year-on-year growth, percentage points) in both languages."""
    return parse_glossary(_read("general.glossary.tsv"), source="lexicon data general.glossary.tsv")
