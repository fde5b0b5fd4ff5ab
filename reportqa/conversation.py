"""Conversation follow-ups: the last user message, rewritten into a standalone question from the earlier user turns.

    vocab = vocabulary(engine)
    rewrite_followup(["2022年<row>规模", "那2021年呢？"], vocab).question     # → "2021年<row>规模"
    rewrite_followup(["... in 2022?", "what about its share of the total?"], vocab).question
                                                                           # → "What about <row>'s share of the total in 2022?"

A question is read into *marks*: years (by pattern), subjects (the index's table row labels and the glossary's
row / term / company entries), measures (the glossary's metrics plus a general word list), and follow-up cues
(a leading "那" / "and", a trailing "呢", pronouns, "that year", "the previous year"). The general words ship
as package data per language (``reportqa/data/conversation/{zh,en}.json``); nothing here names a report's terms.

A follow-up that omits the year, subject or measure of the conversation is rewritten in one of two ways:

- **substitution** — it only names a new year and/or subject ("那2021年呢？", "and in 2021?", "<row>呢？"):
  the previous (resolved) question with those replaced, so its measure and wording carry over;
- **completion** — it asks something of its own ("占总规模多少？", "what about its share of the total?"):
  the follow-up with the missing year and subject added (a pronoun is replaced by the subject).

A question with nothing missing, or that reads as a new question (no cue, and words beyond the slots), is
answered as asked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from reportqa.errors import BadQuestion
from reportqa.query.glossary import Glossary, GlossaryEntry, load_glossary
from reportqa.records import Table

Lang = Literal["zh", "en"]
SLOTS = ("year", "subject", "measure")
MAX_TURNS = 20  # earlier user turns than this do not shape the follow-up

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])(\s*年(?!代))?")
_PUNCT = re.compile(r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65!-/:-@\[-`{-~]+")
_TRAILING = re.compile(r"[\s?？!！。.,，;；:：]*$")
_WORD = re.compile(r"[A-Za-z0-9'’\-]+")

# Equal-length overlaps go to the lower number: a table row beats a general measure word, which beats a glossary term.
_PRIORITY = {"year": 0, "subject": 1, "measure": 2, "term": 3, "pronoun": 4, "year_ref": 5, "relative": 5,
             "lead": 6, "trail": 6, "word": 7}


# --------------------------------------------------------------------------- vocabulary


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
    if _CJK.search(text):
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
        vocab = build_vocabulary(engine.tables, load_glossary(engine.settings.glossary))
        engine.cache["conversation.vocabulary"] = vocab
    return vocab


# --------------------------------------------------------------------------- reading a question


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
        """True when a word marks the question as a follow-up (a lead, trail, pronoun or year reference)."""
        return any(m.kind in ("lead", "trail", "pronoun", "year_ref", "relative") for m in self.marks)

    @property
    def year(self) -> int | None:
        years = self.of("year")
        return int(years[0].value) if years else None

    def span(self, kind: str) -> str:
        """The text from the first to the last mark of ``kind`` ('2020年和2021年')."""
        ms = self.of(kind)
        return self.text[ms[0].start : ms[-1].end] if ms else ""


def language(text: str) -> Lang:
    """'zh' when the text has Chinese characters, else 'en'."""
    return "zh" if _CJK.search(text) else "en"


def read_question(text: str, vocab: Vocabulary) -> Reading:
    """Split a question into marks (longest first; ties by kind) and what is left over."""
    candidates = [Mark("year", m.start(), m.end(), m.group(0), m.group(1)) for m in _YEAR.finditer(text)]
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
        return not _PUNCT.sub("", text[:start])
    if kind == "trail":
        return not _PUNCT.sub("", text[end:])
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
    return _PUNCT.sub(" ", rest).strip()


# --------------------------------------------------------------------------- rewriting


@dataclass(frozen=True)
class Rewrite:
    """The last user message and the standalone question it was understood as."""

    asked: str = ""
    question: str = ""
    lang: Lang = "zh"
    inherited: dict[str, str] = field(default_factory=dict)
    how: Literal["as asked", "substitution", "completion"] = "as asked"

    @property
    def rewritten(self) -> bool:
        """True when the question answered differs from the one asked."""
        return self.question != self.asked


def rewrite_followup(user_turns: Sequence[str], vocab: Vocabulary) -> Rewrite:
    """Resolve every user turn in order against the latest resolved one that named a slot; return the last."""
    if not user_turns:
        raise BadQuestion("no user message — send messages such as [{\"role\": \"user\", \"content\": \"...\"}]")
    turns = [t.strip() for t in user_turns][-MAX_TURNS:]
    if len(turns) == 1:  # nothing to inherit from: not even read
        return Rewrite(asked=turns[0], question=turns[0], lang=language(turns[0]))
    base: Reading | None = None
    result = Rewrite()
    for n, turn in enumerate(turns):
        reading = read_question(turn, vocab)
        result = _resolve(reading, base, vocab)
        if n == len(turns) - 1:
            break
        if result.rewritten:
            reading = read_question(result.question, vocab)
        if any(reading.has(s) for s in SLOTS):
            base = reading
    return result


def _resolve(reading: Reading, base: Reading | None, vocab: Vocabulary) -> Rewrite:
    as_asked = Rewrite(asked=reading.text, question=reading.text, lang=reading.lang)
    if base is None:
        return as_asked
    missing = [s for s in SLOTS if not reading.has(s) and base.has(s)]
    relative = reading.of("relative") + reading.of("year_ref")
    if not missing and not relative:
        return as_asked
    fragment = not reading.residue
    if not reading.cued and not (fragment and (not reading.has("measure") or not (reading.has("year") or reading.has("subject")))):
        return as_asked  # a new question of its own
    if fragment and not reading.has("measure"):
        return _substitute(reading, base, vocab)
    return _complete(reading, base, vocab)


def _years(reading: Reading, base: Reading) -> str | None:
    """The year(s) the follow-up means: its own, else one relative to (or the same as) the conversation's."""
    if reading.has("year"):
        return None
    for m in reading.marks:
        if m.kind == "relative" and base.year is not None:
            return str(base.year + int(m.value))
        if m.kind == "year_ref" and base.year is not None:
            return str(base.year)
    return None


def _subject_text(base: Reading, lang: Lang) -> str:
    """The conversation's subject as the base question wrote it, rendered in ``lang`` when the languages differ."""
    text = base.span("subject")
    if language(text) == lang:
        first, last = base.of("subject")[0], base.of("subject")[-1]
        article = lang == "en" and re.search(r"(?i)\bthe\s+$", base.text[: first.start])
        compound = any(m.kind == "measure" and m.start >= last.end and not base.text[last.end : m.start].strip() for m in base.marks)
        return "the " + text if article and not compound else text  # 'the X in 2022' keeps it; 'the X market' does not
    entries = [m.entry for m in base.of("subject") if m.entry is not None]
    if not entries:
        return text
    names = [e.term if lang == "zh" else e.name_en for e in entries]
    return ("和" if lang == "zh" else " and ").join(dict.fromkeys(names))


def _substitute(reading: Reading, base: Reading, vocab: Vocabulary) -> Rewrite:
    """The base question with the follow-up's year and/or subject put in place of its own."""
    new: dict[str, str] = {}
    if reading.has("year"):
        new["year"] = reading.span("year")
    elif (year := _years(reading, base)) is not None:
        new["year"] = year
    if reading.has("subject"):
        new["subject"] = reading.span("subject")
    text, words = base.text, vocab.words[base.lang]
    edits: list[tuple[int, int, str]] = []
    adds: dict[str, str] = {}
    for slot, value in new.items():
        ms = base.of(slot)
        if not ms:
            adds[slot] = _YEAR.sub(lambda m: m.group(1), value) if slot == "year" else value
            continue
        if slot == "year":
            value = _year_text(value, ms[0].text)
        elif language(value) != base.lang:
            value = _subject_text(read_question(value, vocab), base.lang)
        edits.append((ms[0].start, ms[-1].end, value))
    for start, end, value in sorted(edits, reverse=True):
        text = text[:start] + value + text[end:]
    text = _insert(text, adds.get("year"), adds.get("subject"), words)
    inherited = {s: _slot_value(base, s) for s in SLOTS if s not in new and base.has(s)}
    return Rewrite(asked=reading.text, question=text, lang=reading.lang, inherited=inherited, how="substitution")


def _year_text(value: str, old: str) -> str:
    """The follow-up's year(s) written as the base question wrote its year ('2021年' or '2021')."""
    suffix = "年" if old.rstrip().endswith("年") else ""
    return _YEAR.sub(lambda m: m.group(1) + suffix, value)


def _complete(reading: Reading, base: Reading, vocab: Vocabulary) -> Rewrite:
    """The follow-up with its cues dropped, pronouns and year references filled, the missing year and subject added."""
    words = vocab.words[reading.lang]
    text = reading.text
    inherited: dict[str, str] = {}
    subject = _subject_text(base, reading.lang) if base.has("subject") and not reading.has("subject") else None
    year = _years(reading, base) or (str(base.year) if base.year is not None and not reading.has("year") else None)
    edits: list[tuple[int, int, str]] = []
    for m in reading.marks:
        if m.kind in ("lead", "trail") and not _keeps(m, reading):
            edits.append((m.start, m.end, ""))
        elif m.kind == "pronoun" and subject:
            edits.append((m.start, m.end, m.value.format(subject=subject)))
            inherited["subject"] = _slot_value(base, "subject")
            subject = None
        elif m.kind in ("year_ref", "relative") and year:
            edits.append((m.start, m.end, words.templates["year"].format(year=year)))
            inherited["year"] = year
            year = None
    for start, end, value in sorted(edits, reverse=True):
        text = text[:start] + value + text[end:]
    text = re.sub(r"\s{2,}", " ", text).strip()
    if year:
        inherited["year"] = year
    if subject:
        inherited["subject"] = _slot_value(base, "subject")
    text = _insert(text, year, subject, words, after_measure=True)
    if reading.lang == "en" and text:
        text = text[0].upper() + text[1:]
    if not inherited:
        return Rewrite(asked=reading.text, question=reading.text, lang=reading.lang)
    return Rewrite(asked=reading.text, question=text, lang=reading.lang, inherited=inherited, how="completion")


def _keeps(m: Mark, reading: Reading) -> bool:
    """An English 'what about' / 'how about' lead stays: it is what makes the rest a question."""
    return reading.lang == "en" and m.kind == "lead" and m.text.lower().rstrip().endswith("about")


def _insert(text: str, year: str | None, subject: str | None, words: Words, *, after_measure: bool = False) -> str:
    """Add a year and a subject where the language puts them (Chinese: in front; English: before the final '?')."""
    t = words.templates
    if words.lang == "zh":
        return (t["year"].format(year=year) if year else "") + (t["subject_insert"].format(subject=subject) if subject else "") + text
    body, tail = _split_tail(text)
    if subject:
        body = f"{body} {t['subject_insert'].format(subject=subject)}"
    if year:
        body = f"{body} {t['year'].format(year=year)}"
    return body + tail


def _split_tail(text: str) -> tuple[str, str]:
    m = _TRAILING.search(text)
    start = m.start() if m else len(text)
    return text[:start].rstrip(), text[start:]


def _slot_value(reading: Reading, slot: str) -> str:
    ms = reading.of(slot)
    if slot == "year":
        return ",".join(dict.fromkeys(m.value for m in ms))
    return ",".join(dict.fromkeys(m.value or m.text for m in ms))


# --------------------------------------------------------------------------- messages


def message_text(content: Any) -> str:
    """The text of an OpenAI-style message content: a string, or a list of parts whose text parts are joined."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, Sequence):
        parts = [p.get("text", "") for p in content if isinstance(p, Mapping) and p.get("type") == "text"]
        return "".join(p for p in parts if isinstance(p, str))
    return ""


def user_turns(messages: Sequence[Mapping[str, Any]]) -> list[str]:
    """The user messages' texts in order; raise BadQuestion unless the last message is a non-empty user question."""
    if not messages:
        raise BadQuestion('messages is empty — send [{"role": "user", "content": "<your question>"}]')
    last = messages[-1]
    if last.get("role") != "user":
        raise BadQuestion(f"the last message is from {last.get('role')!r} — end messages with the user's question (role 'user')")
    if not message_text(last.get("content")).strip():
        raise BadQuestion("the last user message has no text — send the question as its content")
    return [t for m in messages if m.get("role") == "user" and (t := message_text(m.get("content")).strip())]


def understood_as_line(question: str | None, lang: Lang) -> str:
    """'理解为：…' / 'Understood as: …' for a rewritten follow-up (``question`` not None), in its language; '' otherwise."""
    if not question:
        return ""
    return load_words(lang).templates["understood_as"].format(question=question)
