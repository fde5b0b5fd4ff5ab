"""A claim put to the report ('有人说…累计投入资金1.89亿元，报告支持这个说法吗？', 'Fact check: … fell 18.6% yoy — does
the report support that?'): the figure question the claim answers, and the figure it states.

The claim is the one stretch of the question, between sentence marks, dashes and colons, that states a figure; the
words that put it to the report ('有人说', 'A note claims', 'is it true that': package data, ``claim_lead``) and a
clause that asks for the verdict ('报告支持这个说法吗') are dropped, and the figure is replaced by the words that ask
for it ('多少亿元', 'what percentage'). So the figure question is answered as any other, with its own frame checks,
and the verdict compares its answer with the claimed figure. A share said in words ('about half', '近四成': package
data, ``word_figures``) is a claimed figure too, an approximate one, and so is growth said in words ('doubled',
'翻了一番': ``word_multiples``, the growth in percent). One claimed figure at a time: a claim of two figures is
the audit's and the arithmetic's (``answerers/consistency.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportqa.query.lexicon.question_words import (
    question_words,
    word_figures,
    word_multiples,
)
from reportqa.records import Language

# where a claim's stretch ends: a sentence mark, a dash, a colon (a decimal point or a clock time is no end)
_STRETCH = re.compile(r"[。！？!?；;—–]+|\s-{1,2}\s|\.(?=\s|$)|[:：](?!\d)")
_CLAUSE = re.compile(r"[，,]")
_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d{2}(?![\d.])")
# a figure as a claim writes it: its number and the percent sign that makes it a rate
# a Chinese unit after a figure: scale characters and one measure word ('亿元', '万人', '家', '万吨')
_UNIT = re.compile(r"\s*([万亿千百]*(?:元|人|吨|家|个|辆|本|单|次|项|台|座|件|户|名|所|条|张|套|部|起|亿|万))")
_FIGURE = re.compile(r"(?<![\d.A-Za-z])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(%|％|percent\b|per cent\b))?", re.I)


@dataclass(frozen=True)
class Claimed:
    """A claim's figure question and the figure it states."""

    question: str  # '截至2022年底各级工会累计投入资金多少亿元建服务站点'
    figure: str  # the claimed figure's number ('1.89', '18.6')
    rate: bool  # the figure is a percentage
    unit: str = ""  # its Chinese unit as the claim writes it ('亿元', '万人', '家'), '' for none or an English one
    tolerance: float | None = None  # how far a figure may be and still bear it out; None: the figure's own rounding
    said: str = ""  # the words that say it ('about half'), when words say it

    @property
    def written(self) -> str:
        """The claimed figure with its unit ('1.89亿元', '18.6%'; 'half (50%)')."""
        shown = f"{self.figure}%" if self.rate else self.figure + self.unit
        return f"{self.said}（{shown}）" if self.said and re.search(r"[\u4e00-\u9fff]", self.said) else \
            f"{self.said} ({shown})" if self.said else shown


def claimed_question(text: str, language: Language) -> Claimed | None:
    """The figure question a claim answers and its figure (see the module's docstring); None when the question states
    no figure besides years, or more than one."""
    stretches = [s for s in _STRETCH.split(text) if s and s.strip()]
    figured = [s for s in stretches if _figures(s) or word_figures(s) or word_multiples(s)]
    if len(figured) != 1:
        return None
    words = question_words()
    clauses = [c for c in _CLAUSE.split(figured[0]) if c.strip()]
    kept = [c for c in clauses if _figures(c) or word_figures(c) or word_multiples(c) or not words.consistency.search(c)]
    claim = words.claim_lead.sub(" ", ("，" if language == "zh" else ", ").join(kept)).strip(" ，,")
    found = _figures(claim)
    said = word_figures(claim) if not found else []
    if len(said) == 1:  # a share said in words ('about half', '近四成'): approximate, so within a tolerance
        m, percent = said[0]
        asked = "百分之多少" if language == "zh" else "what share"  # ('half of the outlets': a share of them)
        gap = " " if language == "en" and re.match(r"[^\W\d_]", claim[m.end():]) else ""
        return Claimed((claim[:m.start()] + asked + gap + claim[m.end():]).strip(), f"{percent:g}", True,
                       tolerance=words.word_figure_tolerance, said=m.group(0))
    grew = word_multiples(claim) if not found and not said else []
    if grew:  # growth said in words ('doubled', '翻了一番'): the growth in percent, approximate
        m, percent = grew[0]
        asked = "增长了百分之多少" if language == "zh" else "grew by how much percent"
        return Claimed((claim[:m.start()] + asked + claim[m.end():]).strip(), f"{percent:g}", True,
                       tolerance=words.word_multiple_tolerance, said=m.group(0))
    if len(found) != 1:
        return None
    m = found[0]
    rate = m.group(2) is not None
    unit = _UNIT.match(claim, m.end())
    if language == "zh":
        asked = "百分之多少" if rate else "多少"
    else:
        asked = "how much" if rate else "how many"  # ('what percentage' would ask for a share)
    after = claim[m.end():]
    gap = " " if language == "en" and re.match(r"[^\W\d_]", after) else ""  # ('14 whitelisted', '1.89亿元')
    question = (claim[:m.start()] + asked + gap + after).strip()
    return Claimed(question, m.group(1).replace(",", ""), rate, unit.group(1) if unit and not rate else "")


def _figures(text: str) -> list[re.Match[str]]:
    """The figures ``text`` states, besides years and single digits ('第2', 'H1')."""
    return [m for m in _FIGURE.finditer(text)
            if not (_YEAR.fullmatch(m.group(1)) and m.group(2) is None) and (len(m.group(1)) >= 2 or m.group(2))]
