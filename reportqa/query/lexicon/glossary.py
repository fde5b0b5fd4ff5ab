"""Bilingual glossaries (``corpus/<report>.glossary.tsv``): term matching, query expansion, English names.

Each report's glossary lives beside it; an engine merges them (``merge_glossaries``) into one, every
entry remembering which documents list it (``GlossaryEntry.docs``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Literal, TypeVar

from reportqa.errors import CorpusFormatError
from reportqa.query.lexicon.frames import frame_words

Kind = Literal["row", "metric", "term", "company"]
T = TypeVar("T")
KINDS: tuple[str, ...] = ("row", "metric", "term", "company")
_CJK = re.compile(r"[\u3400-\u9fff]")
FOUND_CACHE_SIZE = 4096  # texts whose mentions a glossary keeps (questions, their parts, table labels)


@dataclass(frozen=True)
class GlossaryEntry:
    """One Chinese term with its English aliases, Chinese variants and kind."""

    term: str
    english: tuple[str, ...]
    chinese: tuple[str, ...]
    kind: Kind
    related: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()  # doc ids whose glossary lists the term; () for general (package) words

    @property
    def name_en(self) -> str:
        """Preferred English rendering (the first English alias, else the term)."""
        return self.english[0] if self.english else self.term

    @property
    def forms_zh(self) -> tuple[str, ...]:
        """The term and its Chinese variants."""
        return (self.term, *self.chinese)


@dataclass(frozen=True)
class Mention:
    """Where a glossary entry is named in a text."""

    entry: GlossaryEntry
    start: int
    end: int
    text: str


@dataclass
class Glossary:
    """All entries plus precompiled matchers for Chinese forms and English aliases."""

    entries: list[GlossaryEntry]
    _by_term: dict[str, GlossaryEntry] = field(default_factory=dict, repr=False)
    _zh: list[tuple[str, GlossaryEntry]] = field(default_factory=list, repr=False)
    _zh_first: dict[str, list[tuple[str, GlossaryEntry]]] = field(default_factory=dict, repr=False)  # by first character
    _en: dict[str, list[tuple[re.Pattern[str], GlossaryEntry]]] = field(default_factory=dict, repr=False)  # by first word
    _derived: dict[object, "Glossary"] = field(default_factory=dict, repr=False)  # memo of derived glossaries
    per_doc: dict[str, "Glossary"] = field(default_factory=dict, repr=False)  # a union's per-report glossaries
    # text → its mentions: one question's text is looked up by the analysis, the table parser and retrieval alike,
    # and table labels by every table question; emptied when full (plain dict operations are atomic across threads)
    _found: dict[str, tuple[Mention, ...]] = field(default_factory=dict, repr=False, compare=False)
    _words: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def english_words(self) -> frozenset[str]:
        """Every word of the entries' English aliases, lowercased (what a misspelling is corrected toward)."""
        if self._words is None:
            self._words = frozenset(w.lower() for e in self.entries for a in e.english for w in re.findall(r"[A-Za-z]+", a))
        return self._words
    _memo: dict[object, object] = field(default_factory=dict, repr=False, compare=False)  # values derived from the entries

    def __post_init__(self) -> None:
        for e in self.entries:
            self._by_term[e.term] = e
            for form in e.forms_zh:
                self._zh.append((form, e))
                if form:
                    self._zh_first.setdefault(form[0], []).append((form, e))
            for alias in e.english:
                needles, pattern = _english_pattern(alias)
                for needle in needles:
                    self._en.setdefault(needle, []).append((pattern, e))

    def get(self, term: str) -> GlossaryEntry | None:
        """The entry whose canonical term is ``term``."""
        return self._by_term.get(term)

    def lookup(self, form: str) -> GlossaryEntry | None:
        """The entry that has ``form`` as its term or a Chinese variant."""
        return self._by_term.get(form) or next((e for f, e in self._zh if f == form), None)

    def of_kind(self, kind: Kind) -> list[GlossaryEntry]:
        """Entries of one kind, in file order."""
        return [e for e in self.entries if e.kind == kind]

    def find(self, text: str) -> list[Mention]:
        """Longest non-overlapping mentions of any entry (Chinese forms and English aliases), in text order."""
        found = self._found.get(text)
        if found is None:
            if len(self._found) >= FOUND_CACHE_SIZE:
                self._found.clear()
            found = self._found[text] = tuple(self._find(text))
        return list(found)

    def _find(self, text: str) -> list[Mention]:
        candidates = self._mentions(text)
        votes = _document_votes(candidates)
        candidates.sort(key=lambda m: (-(m.end - m.start), m.start, -max((votes.get(d, 0) for d in m.entry.docs), default=0)))
        taken: list[Mention] = []
        for m in candidates:
            if all(m.end <= t.start or m.start >= t.end for t in taken):
                taken.append(m)
        return _compounds(sorted(taken, key=lambda m: m.start), text)

    def document_votes(self, text: str) -> dict[str, int]:
        """Per report, how many spans of ``text`` only that report's glossary names (see ``_document_votes``)."""
        return _document_votes(self._mentions(text))

    def _mentions(self, text: str) -> list[Mention]:
        """Every mention of every entry, overlapping ones included."""
        candidates: list[Mention] = []
        for first in sorted(set(text) & self._zh_first.keys()):  # only forms whose first character the text has
            for form, entry in self._zh_first[first]:
                start = text.find(form)
                while start >= 0:
                    candidates.append(Mention(entry, start, start + len(form), form))
                    start = text.find(form, start + 1)
        if re.search(r"[A-Za-z]", text):
            lowered = text.lower()
            tried: set[tuple[int, int]] = set()  # an alias filed under several first words runs once per entry
            for needle, patterns in self._en.items():
                if needle not in lowered:  # cheap substring test before the whole-word patterns
                    continue
                for pattern, entry in patterns:
                    if (id(pattern), id(entry)) in tried:  # (re caches compiled patterns: entries share them)
                        continue
                    tried.add((id(pattern), id(entry)))
                    for m in pattern.finditer(text):
                        candidates.append(Mention(entry, m.start(), m.end(), m.group(0)))
        return candidates

    def expand(self, question: str, *, max_terms: int = 12) -> list[str]:
        """Chinese search terms for the entries an (English) question names, term first, no duplicates."""
        terms: list[str] = []
        for mention in self.find(question):
            if _CJK.search(mention.text):
                continue
            for form in mention.entry.forms_zh[:3]:
                if form not in terms:
                    terms.append(form)
        return terms[:max_terms]

    def with_entries(self, extra: list[GlossaryEntry]) -> "Glossary":
        """A new glossary with ``extra`` entries added (entries whose term is already known are skipped)."""
        known = {f for e in self.entries for f in e.forms_zh}
        return Glossary(self.entries + [e for e in extra if e.term not in known])

    def for_doc(self, doc_id: str | None) -> "Glossary":
        """The glossary of one report (its own file plus general words) when this is a union; else itself."""
        return self.per_doc.get(doc_id or "", self)

    def derived(self, key: object, build: "Callable[[], Glossary]") -> "Glossary":
        """A glossary derived from this one (e.g. plus a table's row labels), built once per ``key`` and kept here."""
        cached = self._derived.get(key)
        if cached is None:
            if len(self._derived) > 32:
                self._derived.clear()
            cached = self._derived[key] = build()
        return cached

    def memo(self, key: object, build: "Callable[[], T]") -> "T":
        """A value computed from this glossary's entries alone (a vocabulary, a set of words), built once per ``key``:
        questions would otherwise recompute it from every entry."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]  # type: ignore[return-value]

    def english(self, term: str) -> str:
        """English name of a Chinese term (the term itself when the glossary lacks it)."""
        entry = self.lookup(term)
        return entry.name_en if entry else term


def _document_votes(candidates: list[Mention]) -> dict[str, int]:
    """Which reports a text is about, from the spans only one report's entry matches ('Meituan' → the report listing it).

    In a merged glossary an alias two reports use for different terms ('total', 'e-bikes') then reads as the
    term of the report the rest of the text points at.
    """
    by_span: dict[tuple[int, int], set[str]] = {}
    for m in candidates:
        by_span.setdefault((m.start, m.end), set()).add(m.entry.term)
    votes: dict[str, int] = {}
    for m in candidates:
        if len(by_span[(m.start, m.end)]) == 1 and len(m.entry.docs) == 1:
            votes[m.entry.docs[0]] = votes.get(m.entry.docs[0], 0) + 1
    return votes


def _english_pattern(alias: str) -> tuple[tuple[str, ...], re.Pattern[str]]:
    """Case-insensitive whole-word pattern; spaces and hyphens interchangeable; optional plural 's'; a general word
    matches its synonyms (``english_synonyms``).

    Returns it with the forms its first word may take, lowercased: a text that lacks all of them cannot match.
    """
    words = [p for p in re.split(r"[\s\-]+", alias.strip()) if p]
    last = words[-1]
    plural = r"(?:s|es)?" if alias[-1:].isalpha() else ""
    if len(last) > 4 and last.endswith("ies"):
        words[-1], plural = last[:-3], r"(?:y|ies)"  # 'batteries' also matches 'battery'
    elif len(last) > 3 and last.endswith("y") and last[-2:-1] not in "aeiou":
        words[-1], plural = last[:-1], r"(?:y|ies)"  # 'industry' also matches 'industries'
    elif len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        words[-1] = last[:-1]  # 'e-bikes' also matches 'e-bike'
    synonyms = english_synonyms()
    if last.lower() in synonyms:
        words[-1], plural = last, ""  # the class lists every form of the word, plural included
    body = r"[\s\-]*".join(
        f"(?:{'|'.join(re.escape(f) for f in synonyms[p.lower()])})" if p.lower() in synonyms else re.escape(p) for p in words
    )
    needles = synonyms.get(words[0].lower(), (words[0].lower(),))
    return needles, re.compile(rf"(?<![A-Za-z0-9]){body}{plural}(?![A-Za-z0-9])", re.IGNORECASE)


@lru_cache(maxsize=1)
def english_synonyms() -> dict[str, tuple[str, ...]]:
    """Word → every word of its class (``data/en_synonyms.tsv``), longest first; words in no class are absent."""
    out: dict[str, tuple[str, ...]] = {}
    text = resources.files("reportqa.query.lexicon").joinpath("data/en_synonyms.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            forms = tuple(sorted({w.strip().lower() for w in line.split("\t") if w.strip()}, key=len, reverse=True))
            out.update({w: forms for w in forms})
    return out


def merge_glossaries(parts: list[tuple[str | None, Glossary]]) -> Glossary:
    """One glossary from several, in order: ``(doc_id or None, glossary)``.

    Only identical terms merge: the first keeps its kind and gains the others' aliases, related rows and
    doc ids. A Chinese variant that is another entry's own term, or that an earlier entry already claims,
    is dropped — so a report's own term always reads as itself (one report's '合计' row is not folded into
    another report's '总计').
    """
    terms = {e.term for _, g in parts for e in g.entries}
    merged: dict[str, GlossaryEntry] = {}
    owner: dict[str, str] = {}  # Chinese variant -> term that claims it
    for doc_id, glossary in parts:
        docs = (doc_id,) if doc_id else ()
        for e in glossary.entries:
            chinese = tuple(c for c in e.chinese if c not in terms and owner.get(c, e.term) == e.term)
            owner.update({c: e.term for c in chinese})
            base = merged.get(e.term)
            if base is None:
                merged[e.term] = GlossaryEntry(e.term, e.english, chinese, e.kind, e.related, docs)
                continue
            merged[e.term] = GlossaryEntry(
                base.term,
                base.english + tuple(a for a in e.english if a not in base.english),
                base.chinese + tuple(c for c in chinese if c not in base.chinese),
                base.kind,
                base.related + tuple(r for r in e.related if r not in base.related),
                base.docs + tuple(d for d in docs if d not in base.docs),
            )
    return Glossary(list(merged.values()))


def parse_glossary(text: str, source: str = "glossary") -> Glossary:
    """Parse glossary TSV text; raise CorpusFormatError naming the bad line."""
    entries: list[GlossaryEntry] = []
    seen: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) not in (3, 4) or not cols[0].strip() or cols[2].strip() not in KINDS:
            raise CorpusFormatError(
                f"{source} line {lineno}: expected 'term<TAB>alias|alias<TAB>row|metric|term|company[<TAB>related]' "
                f"— fix the line (got {line!r})"
            )
        term = cols[0].strip()
        aliases = [a.strip() for a in cols[1].split("|") if a.strip()]
        chinese = tuple(a for a in aliases if _CJK.search(a))
        english = tuple(a for a in aliases if not _CJK.search(a))
        related = tuple(r.strip() for r in cols[3].split("|") if r.strip()) if len(cols) == 4 else ()
        for form in (term, *chinese):
            if form in seen:
                raise CorpusFormatError(
                    f"{source} line {lineno}: {form!r} already defined on line {seen[form]} — keep one entry per term"
                )
            seen[form] = lineno
        entries.append(GlossaryEntry(term, english, chinese, cols[2].strip(), related))  # type: ignore[arg-type]
    if not entries:
        raise CorpusFormatError(f"{source}: no entries — add lines 'term<TAB>aliases<TAB>kind'")
    return Glossary(_with_acronyms(entries))


_ACRONYM_ALIAS = re.compile(r"^([A-Z]{2,6})\s+[a-z]+$")


def _with_acronyms(entries: list[GlossaryEntry]) -> list[GlossaryEntry]:
    """An acronym alias with its head noun ('NCM batteries') also stands alone ('NCM'), as users write it, unless the
    acronym alone is another entry's alias or a place's name ('US' of 'US listings' is the country)."""
    taken = {a for e in entries for a in e.english} | set(frame_words().foreign_names)
    out = []
    for e in entries:
        alone = [m.group(1) for a in e.english for m in [_ACRONYM_ALIAS.match(a)] if m and m.group(1) not in taken]
        alone = list(dict.fromkeys(alone))
        out.append(replace(e, english=e.english + tuple(alone)) if alone else e)
        taken.update(alone)
    return out


def load_glossary(path: Path | str) -> Glossary:
    """Load the glossary TSV at ``path`` (cached per file version)."""
    p = Path(path)
    if not p.is_file():
        raise CorpusFormatError(f"glossary {p} not found — put it beside its report as <report>.glossary.tsv or fix REPORTQA_GLOSSARY")
    return _load_cached(str(p.resolve()), p.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int) -> Glossary:
    return parse_glossary(Path(path).read_text(encoding="utf-8"), source=Path(path).name)


def _compounds(taken: list[Mention], text: str) -> list[Mention]:
    """English words that render a Chinese compound piece by piece ('collection service points': 'collection' alone
    is 回收与拆解, 'service points' is 回收服务网点): an English mention whose term shares its first two characters or
    more with the term of the English mention just before it absorbs that mention, so the phrase names one thing."""
    out: list[Mention] = []
    for m in taken:
        prev = out[-1] if out else None
        if (prev is not None and not text[prev.end:m.start].strip() and re.fullmatch(r"[A-Za-z][\w\s-]*", prev.text)
                and re.fullmatch(r"[A-Za-z][\w\s-]*", m.text) and prev.entry.term != m.entry.term
                and len(os.path.commonprefix([m.entry.term, prev.entry.term])) >= 2):
            out[-1] = Mention(m.entry, prev.start, m.end, text[prev.start:m.end])
            continue
        out.append(m)
    return out

