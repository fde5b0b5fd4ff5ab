"""General words shipped as package data (``lexicon/data/{zh,en}.tsv``, ``en_zh_search.tsv`` and ``general.glossary.tsv``).

Nothing here names a report's row, term or company: those live beside each report in its glossary.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from reportqa.errors import CorpusFormatError
from reportqa.query.lexicon.glossary import Glossary, parse_glossary

_DATA = "reportqa.query.lexicon"


def _read(name: str) -> str:
    return resources.files(_DATA).joinpath("data", name).read_text(encoding="utf-8")


def _pairs(name: str, shape: str) -> list[tuple[str, str]]:
    """The (left, right) fields of a two-column data file, comments and blank lines skipped; a malformed line is an
    error naming the file, the line and the ``shape`` expected."""
    out = []
    for lineno, raw in enumerate(_read(name).splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        left, sep, right = line.partition("\t")
        if not sep or not right.strip():
            raise CorpusFormatError(f"lexicon data {name} line {lineno}: expected '{shape}' (got {raw!r})")
        out.append((left.strip(), right.strip()))
    return out


@lru_cache(maxsize=4)
def _classes(lang: str) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for cls, word in _pairs(f"{lang}.tsv", "class<TAB>word"):
        out.setdefault(cls, set()).add(word)
    return {k: frozenset(v) for k, v in out.items()}


def words(cls: str, lang: str | None = None) -> frozenset[str]:
    """The general words of a class ('total', ...) in one language, or in both when ``lang`` is None."""
    langs = (lang,) if lang else ("zh", "en")
    return frozenset(w for lg in langs for w in _classes(lg).get(cls, ()))


@lru_cache(maxsize=1)
def general_glossary() -> Glossary:
    """Report-independent measures (share, year-on-year growth, percentage points) in both languages."""
    return parse_glossary(_read("general.glossary.tsv"), source="lexicon data general.glossary.tsv")


@lru_cache(maxsize=1)
def _search_words() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    out = []
    for en, zh in _pairs("en_zh_search.tsv", "english<TAB>chinese"):
        words_en = sorted((w.strip() for w in en.split("|") if w.strip()), key=len, reverse=True)
        pattern = re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(w) for w in words_en) + r")(?![A-Za-z])", re.I)
        out.append((pattern, tuple(w.strip() for w in zh.split("|") if w.strip())))
    return tuple(out)


def search_groups(question: str) -> list[tuple[str, ...]]:
    """For each general English word group the question uses, its Chinese words (``data/en_zh_search.tsv``)."""
    if not re.search(r"[A-Za-z]", question):
        return []
    return [words for pattern, words in _search_words() if pattern.search(question)]


def search_words(question: str) -> list[str]:
    """Chinese words for the general English words of ``question`` (``data/en_zh_search.tsv``), to widen its BM25
    query; nothing for a question without Latin letters."""
    if not re.search(r"[A-Za-z]", question):
        return []
    return list(dict.fromkeys(zh for pattern, words in _search_words() if pattern.search(question) for zh in words))
