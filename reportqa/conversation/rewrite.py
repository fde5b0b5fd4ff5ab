"""Rewriting a follow-up into a standalone question: substitution into the previous question, or completion."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from reportqa.conversation.reading import SLOTS, YEAR, Mark, Reading, language, read_question
from reportqa.conversation.words import Lang, Vocabulary, Words
from reportqa.errors import BadQuestion

MAX_TURNS = 20  # earlier user turns than this do not shape the follow-up
_TRAILING = re.compile(r"[\s?？!！。.,，;；:：]*$")


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
    bare = fragment and reading.only_rows and (not reading.has("measure") or not (reading.has("year") or reading.has("subject")))
    if not reading.cued and not bare:
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
            adds[slot] = YEAR.sub(lambda m: m.group(1), value) if slot == "year" else value
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
    return YEAR.sub(lambda m: m.group(1) + suffix, value)


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
    text = _insert(text, year, subject, words)
    if reading.lang == "en" and text:
        text = text[0].upper() + text[1:]
    if not inherited:
        return Rewrite(asked=reading.text, question=reading.text, lang=reading.lang)
    return Rewrite(asked=reading.text, question=text, lang=reading.lang, inherited=inherited, how="completion")


def _keeps(m: Mark, reading: Reading) -> bool:
    """An English 'what about' / 'how about' lead stays: it is what makes the rest a question."""
    return reading.lang == "en" and m.kind == "lead" and m.text.lower().rstrip().endswith("about")


def _insert(text: str, year: str | None, subject: str | None, words: Words) -> str:
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
