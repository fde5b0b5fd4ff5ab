"""A figure the report states differently elsewhere: an answer whose evidence is one place of an audit finding (the
same fact restated with other figures, a figure in the text against its table cell) and which states that place's
figure says so, quoting and citing the other place. A reader never takes one side of the report's own contradiction
for its settled figure, and a claim checked against one place ('is it right that … 6.3万吨?') hears about the other.
"""

from __future__ import annotations

import re

from reportqa.query.answerers.base import Draft
from reportqa.query.answerers.consistency import findings_of, location_citation
from reportqa.query.answerers.verdicts import compared_figures, describe_finding
from reportqa.query.views.sentences import AnswerContext, compact
from reportqa.records import Citation, Finding, Language, Location

CONTESTED = ("restated_fact", "text_vs_table")  # findings whose places give one quantity two figures
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def disclose(question: str, draft: Draft, ctx: AnswerContext, lang: Language) -> Draft:
    """``draft`` with the other place of the finding its figure belongs to, or unchanged when its figure is not
    contested (a consistency verdict already is the audit's answer). A passage quoted for a narrative question states
    a contested figure only when the question quotes it ('正文说…7万…，附录里也是这个数吗')."""
    if not draft.answerable or draft.kind == "consistency" or not draft.citations:
        return draft
    first = draft.citations[0][0]
    stated = compact(question if draft.kind == "narrative" else _QUOTED.sub(" ", draft.text))
    for finding in findings_of(ctx):
        if finding.kind not in CONTESTED or finding.severity != "error":
            continue
        here = [loc for loc in finding.locations if _same_place(loc, first)]
        if not here or not _states_contested(stated, finding):
            continue
        others = [loc for loc in finding.locations if loc not in here]
        lead = "\n注意：报告前后对此说法不一：" if lang == "zh" else "\nNote: the report states this differently elsewhere. "
        cited = [(location_citation(loc, ctx), []) for loc in others]
        return Draft(draft.kind, True, draft.text + lead + describe_finding(finding, lang), draft.citations + cited)
    return draft


def _same_place(loc: Location, cite: Citation) -> bool:
    """Whether a finding's place is the cited evidence: a cell of the cited table (row), or overlapping text."""
    if loc.doc != cite.doc:
        return False
    if cite.table:
        table, row = cite.table.split(":", 1)[-1], cite.row
        return bool(loc.cell) and loc.cell.startswith(f"{table}/{row}/" if row else f"{table}/")
    return not loc.cell and loc.span is not None and loc.span[0] < cite.span[1] and cite.span[0] < loc.span[1]


def _states_contested(stated: str, finding: Finding) -> bool:
    """Whether the answer states one of the figures the finding sets against each other ('6.3万吨 vs 5.8万吨')."""
    pairs = [p.split("vs") for p in compared_figures(finding.summary).split("；") if "vs" in p]
    return any(compact(f) and re.search(rf"(?<![\d.]){re.escape(compact(f))}", stated) for pair in pairs for f in pair)
