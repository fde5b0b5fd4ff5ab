"""A question that asks two or three things at once ('总共多少单 日均多少', '全球退役多少？我国占几成', 'How many …, and
how fast did that grow?'): its parts, each a question of its own.

A later part ('日均多少', 'how fast did that grow') is read after what the question says before its first ask (the
shared subject, place and period). Which words ask for a figure, and where an English question goes on to another ask,
are package data (``each_ask``, ``ask_joint``); rows joined by '+' or '和' are one ask.
"""

from __future__ import annotations

import re

from reportqa.query.lexicon.question_words import question_words

MAX_ASKS = 3
_ZH_SEP = re.compile(r"([？?；;，,]+|\s+)")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}年?|(?<![\d.])\d{2}年|\bFY\d{2}\b")


def ask_parts(text: str, language: str) -> list[tuple[str, str]]:
    """Each ask of ``text`` with the shared words before the first one: [(ask, shared), …]; [] for one ask."""
    parts = _zh_parts(text) if language == "zh" else _en_parts(text)
    return parts if 2 <= len(parts) <= MAX_ASKS else []


def _zh_parts(text: str) -> list[tuple[str, str]]:
    each = question_words().each_ask
    pieces = _ZH_SEP.split(text.strip())
    segments, seps = pieces[0::2], pieces[1::2] + [""]
    while len(segments) > 1 and not segments[-1]:  # (the question's own closing mark)
        segments.pop()
        seps[len(segments) - 1] += seps.pop(len(segments))
    asks = [i for i, s in enumerate(segments) if each.search(s)]
    if len(asks) < 2:
        return []
    first = asks[0]
    before = "".join(segments[i] + seps[i] for i in range(first)).strip(" ，,")
    # the words before the first ask, and what the first ask is about ('除了再生利用，其他环节产值' for '占总产值几成')
    shared = "，".join(x for x in (before, each.sub("", segments[first]).strip(" ，,")) if x)
    out, start = [], 0
    for a in asks:
        out.append("".join(segments[i] + seps[i] for i in range(start, a + 1)).strip(" ，,；;"))
        start = a + 1
    if start < len(segments):  # words after the last ask belong to it ('…日均多少 下半年')
        out[-1] += "".join(seps[start - 1:start]) + "".join(segments[i] + seps[i] for i in range(start, len(segments)))
    return [(part.strip(), "" if n == 0 else shared) for n, part in enumerate(out)]


def _en_parts(text: str) -> list[tuple[str, str]]:
    words = question_words()
    cuts = list(words.ask_joint.finditer(text))
    if not cuts:
        return []
    pieces, start = [], 0
    for m in cuts:
        pieces.append(text[start:m.start()] + ("?" if "?" in m.group(0) else ""))
        start = m.end()
    pieces.append(text[start:])
    pieces = [p.strip() for p in pieces if re.search(r"[A-Za-z\u4e00-\u9fff]", p)]
    if len(pieces) < 2:
        return []
    shared = words.each_ask.sub("", pieces[0]).strip(" ,?")
    shared = re.sub(r"^(?:what|which|how)\b\s*(?:is|was|are|were|did|does|do|had|has|have)?\s*(?:the\s+)?", "", shared, flags=re.I)
    return [(p, "" if n == 0 else shared) for n, p in enumerate(pieces)]


def with_shared(ask: str, shared: str, language: str) -> str:
    """The ask as a question of its own: after the shared words — without their years when the ask gives its own
    ('2022年…多少？2023年多少'). (A space, not a comma, joins them: the part asks one thing.)"""
    if not shared:
        return ask
    if _YEAR.search(ask):
        shared = _YEAR.sub("", shared).strip(" ，,")
    return f"{shared} {ask}" if language == "zh" else f"{shared}: {ask}"
