"""The corpus audit: a report's internal inconsistencies, each with every location quoted.

Found generally, never by listing known cases:
(a) text_vs_table       a running-text figure whose subject, year and metric name a table cell but whose value
                        differs beyond rounding (agreeing figures are not reported); a text that names a table
                        row differently while printing its figure is a warning;
(b) table_arithmetic    the tables' own checks that no rounding explains (error), or that hold only through
                        rounding (info), with the text sentences that repeat the printed figure;
(c) restated_fact       the same fact stated twice with different figures (see ``audit_restated``);
(d) contents_vs_body    contents titles, captions and pages against the body (see ``audit_contents``);
(e) implausible_magnitude  a unit that cannot be right next to its companions (see ``audit_restated``).
"""

from __future__ import annotations

import re

from reportqa.query.audit.contents import contents_findings
from reportqa.query.audit.locations import (
    SEVERITY_ORDER,
    cell_location,
    cell_source,
    first_span,
    location,
    text_location,
)
from reportqa.query.audit.restated import magnitude_findings, restated_findings
from reportqa.query.checker.checker import conflicting, fit_score
from reportqa.query.figures.matching import containment, metric_score
from reportqa.query.views.figure_index import FigureIndex, Source, get_figure_index
from reportqa.records import Document, Finding


def audit_documents(docs: list[Document], index: FigureIndex | None = None) -> list[Finding]:
    """All internal inconsistencies of ``docs`` (read through the engine's figure ``index``), errors first."""
    index = index or get_figure_index(docs)
    findings: list[Finding] = []
    for doc in docs:
        findings += text_vs_table(doc, index)
        findings += table_arithmetic(doc, index)
        findings += _new(findings, restated_findings(doc, index))
        findings += _new(findings, magnitude_findings(doc, index))
        findings += contents_findings(doc, index)
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.locations[0].doc if f.locations else "", first_span(f.locations)))


_SAME_FACT = ("restated_fact", "text_vs_table")


def _new(existing: list[Finding], found: list[Finding]) -> list[Finding]:
    """Drop findings whose places an earlier finding of the same family already covers."""
    def family(kind: str) -> str:
        return "fact" if kind in _SAME_FACT else kind

    seen = [(family(f.kind), {loc.span for loc in f.locations}) for f in existing]
    return [f for f in found if not any(fam == family(f.kind) and {loc.span for loc in f.locations} <= s for fam, s in seen)]


def _text_sources(doc: Document, index: FigureIndex) -> list[Source]:
    return [s for s in index.text_sources() if s.doc_id == doc.doc_id and s.claim is not None]


# --------------------------------------------------------------------------- (a) text vs table


def text_vs_table(doc: Document, index: FigureIndex) -> list[Finding]:
    """Running-text figures that a table contradicts, and texts that name a table row differently."""
    findings: list[Finding] = []
    texts = _text_sources(doc, index)
    for source in texts:
        claim = source.claim
        assert claim is not None
        if claim.subject is None or claim.year is None or claim.role == "change":
            continue
        if _agreeing_cells(source, index):
            continue
        cells = [c for c in conflicting(claim, index) if c.cell is not None and c.doc_id == doc.doc_id
                 and metric_score(claim, c) == 2]
        if len(cells) != 1 or _counts_something_else(claim, cells[0]):
            continue
        cell = cells[0]
        echoes = [t for t in texts if t is not source and t.lo <= cell.hi and cell.lo <= t.hi
                  and t.family == cell.family and fit_score(t.claim, cell, index) is not None  # type: ignore[arg-type]
                  and containment(t.claim.clause, claim.clause) >= 0.5]  # type: ignore[union-attr]
        if echoes:
            summary = (f"{claim.subject} {claim.year}: the text states {source.text} here but {echoes[0].text} elsewhere, "
                       f"and {cell.label()} prints {cell.text}{_unit(cell)}")
            findings.append(Finding(kind="restated_fact", severity="error", summary=summary,
                                    locations=[text_location(index, source), *(text_location(index, e) for e in echoes[:2]),
                                               cell_location(index, cell)]))
            continue
        summary = (f"The text gives {claim.subject} ({claim.year}) as {source.text}, but {cell.label()} prints "
                   f"{cell.text}{_unit(cell)}; the difference is beyond the figures' rounding")
        kind = "text_vs_table"
        factor = _factor(source.base, cell.base)
        if factor >= 1000:
            kind, summary = "implausible_magnitude", summary + f" — a factor of {factor:,.0f}, so a unit is wrong (万/亿 slip)"
        findings.append(Finding(kind=kind, severity="error", summary=summary,  # type: ignore[arg-type]
                                locations=[text_location(index, source), cell_location(index, cell)]))
    findings += naming_differences(doc, index, texts)
    return findings


_COUNTED_NOUN = re.compile(r"^[\u4e00-\u9fff]{1,10}")
_NOT_A_NOUN = set("和与及或、等的，。；左右以上以下多余")
_CUMULATIVE = re.compile(r"累计|累积|cumulative", re.I)


def _counts_something_else(claim: object, cell: Source) -> bool:
    """A cumulative figure against a year's cell, or '31个省' / '326个地级行政区': the words right after a count name what is counted; when they share no
    character with the cell's measure, the figure counts something else and cannot contradict the cell."""
    if cell.cell is None:
        return False
    measure = cell.cell.metric + "".join(cell.cell.column.split("/"))
    if _CUMULATIVE.search(getattr(claim, "clause", "")) and not _CUMULATIVE.search(measure):
        return True  # '累计…超过 150万吨' sums many years: not the year's cell
    if not cell.family.startswith("count"):
        return False
    sentence, span, sent_span = getattr(claim, "sentence", ""), getattr(claim, "span", None), getattr(claim, "sentence_span", None)
    if not sentence or span is None or sent_span is None:
        return False
    after = sentence[span[1] - sent_span[0]:].lstrip()
    m = _COUNTED_NOUN.match(after)
    if not m or m.group(0)[0] in _NOT_A_NOUN:
        return False
    return not set(m.group(0)) & set(measure)


def _factor(a: float, b: float) -> float:
    if not a or not b:
        return 1.0
    return max(abs(a), abs(b)) / min(abs(a), abs(b))


def _agreeing_cells(source: Source, index: FigureIndex) -> list[Source]:
    claim = source.claim
    assert claim is not None
    return [c for c in index.overlapping(source.family, source.lo, source.hi)
            if c.cell is not None and fit_score(claim, c, index) is not None]


def _unit(cell: Source) -> str:
    return "" if cell.text.endswith("%") or not cell.cell or not cell.cell.unit else cell.cell.unit


def naming_differences(doc: Document, index: FigureIndex, texts: list[Source]) -> list[Finding]:
    """A text that prints a table row's figures under another name (共享空间 for the row 共享办公)."""
    findings: list[Finding] = []
    reported: set[tuple[str, str]] = set()
    for source in texts:
        name = source.listed_as or source.subject_text
        claim = source.claim
        if not name or claim is None or source.bound is not None or index.vocab.is_total(source.subject):
            continue
        for cell in _agreeing_cells(source, index):
            label = cell.cell.row if cell.cell else ""
            if cell.subject != source.subject or cell.bound is not None or cell.role != claim.role:
                continue
            if not label or name in label or label in name or (name, label) in reported:
                continue
            if source.listed_as is None and metric_score(claim, cell) != 2:
                continue
            reported.add((name, label))
            findings.append(_naming_finding(index, source, cell, name, label))
    findings += _unknown_names(index, texts, reported)
    return findings


def _naming_finding(index: FigureIndex, source: Source, cell: Source, name: str, label: str) -> Finding:
    table = cell.cell.id.split("/")[0] if cell.cell else "the table"
    summary = f"The text calls '{name}' what {table} names '{label}': both print {source.text} ({cell.label()})"
    return Finding(kind="text_vs_table", severity="warning", summary=summary,
                   locations=[text_location(index, source), cell_location(index, cell)])


def _unknown_names(index: FigureIndex, texts: list[Source], reported: set[tuple[str, str]]) -> list[Finding]:
    """An enumerated item no vocabulary knows ('两轮共享') whose figure is the one table row its siblings leave over."""
    findings: list[Finding] = []
    groups: dict[tuple[str | None, tuple[int, int]], list[Source]] = {}
    for s in texts:
        if s.listed_as and s.claim is not None:
            groups.setdefault((s.paragraph_id, s.claim.sentence_span), []).append(s)
    for items in groups.values():
        known = {s.id: _agreeing_cells(s, index) for s in items if s.subject is not None}
        columns = {(id(c.table), c.cell.column) for cells in known.values() for c in cells if c.cell and c.subject}
        taken = {c.cell.row for cells in known.values() for c in cells if c.cell}
        for s in items:
            if s.subject is not None or s.bound is not None or not s.listed_as:
                continue
            candidates = [c for c in index.overlapping(s.family, s.lo, s.hi) if c.cell is not None
                          and (id(c.table), c.cell.column) in columns and c.cell.row not in taken
                          and not index.vocab.is_total(c.subject) and c.role == s.role]
            if len(candidates) == 1 and (s.listed_as, candidates[0].cell.row) not in reported:  # type: ignore[union-attr]
                label = candidates[0].cell.row  # type: ignore[union-attr]
                reported.add((s.listed_as, label))
                findings.append(_naming_finding(index, s, candidates[0], s.listed_as, label))
    return findings


# --------------------------------------------------------------------------- (b) table arithmetic


def table_arithmetic(doc: Document, index: FigureIndex) -> list[Finding]:
    """The tables' checks that fail (error) or hold only through rounding (info), with text that repeats them."""
    findings: list[Finding] = []
    texts = _text_sources(doc, index)
    for table in doc.tables:
        for check in table.checks:
            if check.status == "exact":
                continue
            target = cell_source(index, doc, check.target)
            if target is None:
                continue
            inputs = [s for s in (cell_source(index, doc, cid) for cid in check.inputs) if s is not None]
            unique = list({s.id: s for s in [target, *inputs]}.values())
            echoes = [t for t in texts if t.family == target.family and t.lo <= target.hi and target.lo <= t.hi
                      and t.bound is None and t.role == target.role and t.subject == target.subject
                      and fit_score(t.claim, target, index) is not None]  # type: ignore[arg-type]
            severity = "error" if check.status == "mismatch" else "info"
            verb = "does not follow from" if check.status == "mismatch" else "follows only through rounding from"
            summary = f"{table.id} {check.kind} check: printed {check.printed} ({check.target}) {verb} its inputs — {check.detail}"
            if echoes and check.status == "mismatch":
                summary += f"; the text repeats {echoes[0].text}"
            locs = [cell_location(index, s) for s in unique] + [text_location(index, t) for t in echoes[:2]]
            findings.append(Finding(kind="table_arithmetic", severity=severity, summary=summary, locations=locs))
    return findings


__all__ = ["audit_documents", "location", "naming_differences", "table_arithmetic", "text_vs_table"]
