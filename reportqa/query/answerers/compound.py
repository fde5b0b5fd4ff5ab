"""One answer to a question that asks two or three things (``analysis/asks.py``), from the answer to the whole
question and the answers to its parts.

The whole question's answer stands when it states every figure its parts' answers state; a part's answer that
states the whole one's single figure and more stands in for it. Otherwise, when every part is answered, the parts'
answers that add a figure follow it, each with its own citations; when the whole question is refused, the parts that
the report answers are given and the others are said to be missing. A part is never answered by guessing: each part
is a question of its own, with its own frame checks.
"""

from __future__ import annotations

import re

from reportqa.query.answerers.base import Draft

_QUOTED = re.compile(r"“[^”]*”")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def stated_figures(text: str) -> set[str]:
    """The numbers an answer states itself: outside what it quotes, thousands separators dropped."""
    return set(_NUMBER.findall(_QUOTED.sub(" ", text).replace(",", "")))


def _figures_besides_years(text: str) -> set[str]:
    """The figures an answer's own sentence states (not where the quoted passage stands: 'p. 6'), years aside."""
    return {n for n in stated_figures(_lead(text)) if not re.fullmatch(r"(?:19|20)\d{2}", n)}


_QUOTE_START = re.compile(r"。报告原文：“|\. The report says: “")


def _lead(text: str) -> str:
    """An answer's own sentence, before the passage it quotes."""
    m = _QUOTE_START.search(text)
    return text[:m.start()] + ("。" if m.group(0).startswith("。") else ".") if m else text


def combine(whole: Draft, asks: list[str], parts: list[Draft], language: str) -> Draft:
    """The answer to a question of several asks (see the module doc)."""
    answered = [p for p in parts if p.answerable]
    if not answered:
        return whole
    if whole.answerable:
        # a part's answer that states the whole one's single figure and more stands for it ('298家, up 40' for
        # 'up 40'; a ranking's answer of many figures is not a sum's that repeats them)
        if len(_figures_besides_years(whole.text)) == 1:
            whole = next((p for p in answered if stated_figures(whole.text) < stated_figures(p.text)), whole)
        if len(answered) < len(parts) and all(whole is not p for p in answered):
            return whole  # (a part the report does not answer leaves the whole question's own answer)
    if whole.answerable and set().union(*(stated_figures(p.text) for p in answered)) <= stated_figures(whole.text):
        return whole
    said = stated_figures(whole.text) if whole.answerable else set()
    shown = ([whole] if whole.answerable else []) + [p for p in answered if p is not whole
                                                       and not stated_figures(p.text) <= said]
    if not shown:
        return whole  # (the parts the report answers state no figure: nothing to add to the whole's answer)
    out = Draft(shown[0].kind, True, "")
    texts: list[str] = []
    for draft in shown:
        cited = {c.id for c, _ in out.citations}
        # a part quoting a passage already quoted above gives its figure alone
        texts.append(_lead(draft.text) if draft.citations and draft.citations[0][0].id in cited else draft.text)
        out.citations += [c for c in draft.citations if c[0].id not in cited]
    texts += [f"“{ask}”：报告中未找到对应的数字。" if language == "zh" else f"“{ask}”: no figure for this in the report."
              for ask, p in zip(asks, parts) if not p.answerable]
    out.text = "\n".join(texts)
    return out
