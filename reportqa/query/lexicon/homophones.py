"""A Chinese word mistyped with a pinyin input method ('变话' for 变化, '钛酸里' for 钛酸锂), read as the word the reports print.

Pinyin input puts the wrong character of the right sound in a word. So a run of two to four characters of the question
is read as a word of the reports when:

- the reports never print the run, jieba does not know it as a word, and no glossary form covers it;
- the run is whole words of the question as jieba's dictionary splits it (no guessing), and the character to change
  is a word of one character there: a mistyped word falls apart into single characters ('变话' → 变 / 话), while a
  run that cuts a word ('有几家' → 有 / 几家: not '有机') is how the question is put, not a typo;
- exactly one word the reports print (a jieba word or a glossary form) has the run's length and differs from it in
  that character, and the two characters share their common reading (tones ignored);
- the rest of the run predicts that word in the reports: of the report's runs that match the word in every other
  character, at least a tenth are the word ('增?' is 增速 often enough; '?马' is rarely 上马, so '对得上吗' stays).

A changed character that sounds different is left alone: it too often makes another real word ('三年' / 三元), and
so is a run of another length ('正规渠道' is not '非规范渠道'). The vocabulary is the reports' own, built once per engine.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING

from reportqa.query.lexicon.segment import dictionary_words, is_word

if TYPE_CHECKING:
    from reportqa.query.views.sentences import AnswerContext

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_SHORTEST, _LONGEST = 2, 4
_HOLE = "?"


@lru_cache(maxsize=8192)
def readings(char: str) -> frozenset[str]:
    """A Chinese character's common pinyin reading, without tones ('里' → {'li'}; '的' → {'de'}, not 'di': a rarer
    reading would make '的' sound like '第')."""
    from pypinyin import Style, pinyin

    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=False)[0])


def sound_alike(a: str, b: str) -> bool:
    """Whether two characters share their common reading (tones ignored)."""
    return bool(readings(a) & readings(b))


def correct_homophones(text: str, ctx: AnswerContext) -> str:
    """``text`` with each mistyped word read as the report's word of the same sound (see the module's docstring)."""
    if not _CJK_RUN.search(text):
        return text
    covered = _glossary_spans(text, ctx)
    bounds, singles = _word_bounds(text)
    for run in _CJK_RUN.finditer(text):
        at = run.start()
        while at < run.end() - 1:
            fixed = _fix_at(text, at, run.end(), covered, bounds, singles, ctx) if at in bounds else None
            if fixed is None:
                at += 1
                continue
            typed, word = fixed
            text = text[:at] + word + text[at + len(word):]
            at += len(typed)
    return text


def _fix_at(text: str, at: int, end: int, covered: set[int], bounds: set[int], singles: set[int],
            ctx: AnswerContext) -> tuple[str, str] | None:
    """The (typed run, report word) starting at ``at``, the longest first; None when no run there is mistyped."""
    for size in range(min(_LONGEST, end - at), _SHORTEST - 1, -1):
        typed = text[at:at + size]
        if at + size not in bounds or any(i in covered for i in range(at, at + size)) or ctx.mentioned(typed) \
                or is_word(typed):
            continue
        words = report_words(ctx)
        found = {w for hole in range(size) if at + hole in singles
                 for w in words.get(typed[:hole] + _HOLE + typed[hole + 1:], ()) if sound_alike(w[hole], typed[hole])}
        if len(found) == 1 and _predicted(word := found.pop(), typed, ctx):
            return typed, word
    return None


_PREDICTED = 0.1  # the word's share of the report's runs that match it in every other character


def _predicted(word: str, typed: str, ctx: AnswerContext) -> bool:
    """Whether the characters ``typed`` shares with ``word`` are, in the reports, ``word`` often enough (see above)."""
    hole = next(i for i in range(len(word)) if word[i] != typed[i])
    like = re.compile(re.escape(word[:hole]) + "[\u4e00-\u9fff]" + re.escape(word[hole + 1:]))
    runs = sum(len(like.findall(doc_text)) for doc_text in ctx.compact_text.values())
    return sum(doc_text.count(word) for doc_text in ctx.compact_text.values()) >= _PREDICTED * runs


def _word_bounds(text: str) -> tuple[set[int], set[int]]:
    """Where jieba's dictionary words of ``text`` start and end, and the offsets of its one-character words."""
    bounds, singles, at = {0}, set(), 0
    for word in dictionary_words(text):
        if len(word) == 1:
            singles.add(at)
        at += len(word)
        bounds.add(at)
    return bounds, singles


def _glossary_spans(text: str, ctx: AnswerContext) -> set[int]:
    """Offsets of ``text`` inside a glossary mention: the glossary reads those ('退下来的电池' is a form of its own)."""
    return {i for m in ctx.glossary.find(text) for i in range(m.start, m.end)}


def report_words(ctx: AnswerContext) -> dict[str, frozenset[str]]:
    """The reports' words of two to four characters (jieba words and glossary forms they print), by each pattern with
    one character left out ('变?' → {'变化', '变动', …})."""
    return ctx.memo("homophone_words", lambda: _index_words(ctx))


def _index_words(ctx: AnswerContext) -> dict[str, frozenset[str]]:
    forms = {f for e in ctx.glossary.entries for f in (e.term, *e.forms_zh)}
    words: set[str] = set()
    for doc_text in ctx.compact_text.values():
        for run in _CJK_RUN.finditer(doc_text):
            chars = run.group(0)
            for size in range(_SHORTEST, _LONGEST + 1):
                for i in range(len(chars) - size + 1):
                    piece = chars[i:i + size]
                    if piece not in words and (piece in forms or is_word(piece)):
                        words.add(piece)
    index: dict[str, set[str]] = defaultdict(set)
    for word in words:
        for hole in range(len(word)):
            index[word[:hole] + _HOLE + word[hole + 1:]].add(word)
    return {key: frozenset(found) for key, found in index.items()}
