"""Reading a question into marks: years (by pattern), subjects, measures and follow-up cues, longest first."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportqa.conversation.words import CJK, Lang, Vocabulary, Phrase
from reportqa.query.lexicon.glossary import GlossaryEntry

SLOTS = ("year", "subject", "measure")
LATIN_WORD = re.compile(r"[A-Za-z]+")
YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])(\s*年(?!代))?")
PUNCT = re.compile(r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65!-/:-@\[-`{-~]+")

# Equal-length overlaps go to the lower number: a table row beats a general measure word, which beats a glossary term.
_PRIORITY = {"year": 0, "subject": 1, "measure": 2, "term": 3, "pronoun": 4, "year_ref": 5, "relative": 5,
             "lead": 6, "trail": 6, "word": 7}


@dataclass(frozen=True)
class Mark:
    """A recognised piece of a question: where it stands, what kind it is and what it stands for."""

    kind: str  # year | subject | measure | pronoun | year_ref | relative | lead | trail | word
    start: int
    end: int
    text: str
    value: str = ""  # year: '2021'; subject / measure: the glossary term or the word; pronoun: its template
    entry: GlossaryEntry | None = None


@dataclass(frozen=True)
class Reading:
    """A question split into marks, plus the words no mark or filler accounts for."""

    text: str
    lang: Lang
    marks: tuple[Mark, ...]
    residue: str

    def of(self, kind: str) -> list[Mark]:
        """Marks of one kind, in text order."""
        return [m for m in self.marks if m.kind == kind]

    def has(self, slot: str) -> bool:
        """True when the question names the slot (year, subject or measure) itself."""
        return bool(self.of(slot))

    @property
    def cued(self) -> bool:
        """True when a word marks the question as a follow-up: a lead ('那', 'and') or a trail ('呢') anywhere, or a
        pronoun / year reference in a question that says nothing else ('what share did it have?', not 'is it true that …')."""
        strong = any(m.kind in ("lead", "trail") for m in self.marks)
        return strong or (not self.residue and any(m.kind in ("pronoun", "year_ref", "relative") for m in self.marks))

    @property
    def only_rows(self) -> bool:
        """True when every subject it names is a table row (not a glossary term or company, which ask something new)."""
        return all(m.entry is None or m.entry.kind == "row" for m in self.of("subject"))

    @property
    def year(self) -> int | None:
        years = self.of("year")
        return int(years[0].value) if years else None

    def span(self, kind: str) -> str:
        """The text from the first to the last mark of ``kind`` ('2020年和2021年')."""
        ms = self.of(kind)
        return self.text[ms[0].start : ms[-1].end] if ms else ""


def language(text: str) -> Lang:
    """'zh' when Chinese carries at least as many words as Latin script (two characters ≈ one word), else 'en'."""
    cjk = len(CJK.findall(text)) / 2
    return "zh" if cjk and cjk >= len(LATIN_WORD.findall(text)) else "en"


def read_question(text: str, vocab: Vocabulary) -> Reading:
    """Split a question into marks (longest first; ties by kind) and what is left over."""
    candidates = [Mark("year", m.start(), m.end(), m.group(0), m.group(1)) for m in YEAR.finditer(text)]
    for mention in vocab.glossary.find(text):
        kind = "measure" if mention.entry.kind == "metric" else "term" if mention.entry.kind == "term" else "subject"
        candidates.append(Mark(kind, mention.start, mention.end, mention.text, mention.entry.term, mention.entry))
    for phrase in vocab.phrases:
        for start, end in _occurrences(text, phrase):
            if _placed(text, phrase.kind, start, end):
                candidates.append(Mark(phrase.kind, start, end, text[start:end], phrase.value or phrase.text))
    candidates.sort(key=lambda m: (-(m.end - m.start), _PRIORITY[m.kind], m.start))
    taken: list[Mark] = []
    for m in candidates:
        if all(m.end <= t.start or m.start >= t.end for t in taken):
            taken.append(m)
    marks = tuple(sorted((_as_subject(m) for m in taken), key=lambda m: m.start))
    return Reading(text=text, lang=language(text), marks=marks, residue=_residue(text, marks, vocab))


def _occurrences(text: str, phrase: Phrase) -> list[tuple[int, int]]:
    if phrase.pattern is not None:
        return [(m.start(), m.end()) for m in phrase.pattern.finditer(text)]
    out, start = [], text.find(phrase.text)
    while start >= 0:
        out.append((start, start + len(phrase.text)))
        start = text.find(phrase.text, start + 1)
    return out


def _placed(text: str, kind: str, start: int, end: int) -> bool:
    """Leads count only at the start of the question, trails only at its end."""
    if kind == "lead":
        return not PUNCT.sub("", text[:start])
    if kind == "trail":
        return not PUNCT.sub("", text[end:])
    return True


def _as_subject(m: Mark) -> Mark:
    """A glossary term that won its place counts as a subject."""
    return Mark("subject", m.start, m.end, m.text, m.value, m.entry) if m.kind == "term" else m


def _residue(text: str, marks: Sequence[Mark], vocab: Vocabulary) -> str:
    """What is left once marks (except 'word' marks), fillers and punctuation are taken out."""
    chars = list(text)
    for m in marks:
        if m.kind != "word":
            chars[m.start : m.end] = [" "] * (m.end - m.start)
    rest = "".join(chars)
    for filler, pattern in vocab.fillers:
        rest = pattern.sub(" ", rest) if pattern is not None else rest.replace(filler, " ")
    return PUNCT.sub(" ", rest).strip()
