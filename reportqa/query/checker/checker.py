"""The numeric-fact checker: every figure in a text gets a verdict against the report's tables and text.

verified      a table cell or text figure prints the same value (within its printed precision) for a
              compatible subject, year, role and metric;
derived       it follows from cells (growth, share of total, ratio, difference, sum, percentage points);
contradicted  the report gives this subject/year/metric another value (``expected`` says which);
unsupported   nothing in the report speaks to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportqa.query.checker.derive import derive
from reportqa.query.figures.claims import Claim, extract_claims
from reportqa.query.figures.matching import (
    bigrams,
    concept_overlap,
    containment,
    metric_score,
    role_score,
    similarity,
    subject_score,
    year_score,
)
from reportqa.query.views.figure_index import FigureIndex, Source, get_figure_index
from reportqa.records import Document, Fact

TEXT_SIMILARITY = 0.25
SAME_FACT_SIMILARITY = 0.45


@dataclass
class Match:
    source: Source
    score: float


def check_text(text: str, docs: list[Document], index: FigureIndex | None = None) -> list[Fact]:
    """Extract every numeric claim of ``text`` and judge it against ``docs`` (through the engine's ``index``)."""
    index = index or get_figure_index(docs)
    return [judge(claim, index) for claim in extract_claims(text, index.vocab)]


def check_answer_facts(answer_text: str, docs: list[Document], cited: list[str], index: FigureIndex | None = None) -> list[Fact]:
    """Like ``check_text``, preferring the cited cells/chunks as sources (ids such as '表1/共享住宿/2022年', '<doc>:p12:0')."""
    index = index or get_figure_index(docs)
    prefer = _cited_matcher(cited)
    return [judge(claim, index, prefer=prefer) for claim in extract_claims(answer_text, index.vocab)]


def judge(claim: Claim, index: FigureIndex, *, prefer: "set[str] | None" = None) -> Fact:
    """The verdict for one claim."""
    match = best_agreeing(claim, index, prefer)
    if match is not None and match.source.cell is not None and match.source.bound is None:
        return _fact(claim, "verified", source=match.source)
    conflicts = conflicting(claim, index)
    if match is not None and not any(s.cell is not None for s in conflicts):
        return _fact(claim, "verified", source=match.source)
    if match is not None:  # only the running text (or a bound) agrees; a table cell for the same fact differs
        fact = _fact(claim, "contradicted", source=conflicts[0], expected="; ".join(_says(s) for s in conflicts[:3]))
        fact.source["also_stated"] = match.source.as_source()
        return fact
    derivation = derive(claim, index)
    if derivation is not None:
        return _fact(claim, "derived", source=derivation.inputs[0], formula=derivation.formula,
                     inputs=[s.cell.id for s in derivation.inputs if s.cell is not None])
    if conflicts:
        expected = "; ".join(_says(s) for s in conflicts[:3])
        return _fact(claim, "contradicted", source=conflicts[0], expected=expected)
    return _fact(claim, "unsupported")


def fit_score(claim: Claim, source: Source, index: FigureIndex, *, cited: bool = False) -> float | None:
    """How well a printed figure fits the claim's subject/year/role/metric; None when it cannot be the same fact.

    A cited source needs no named subject: the answer points at it.
    """
    is_cell = source.cell is not None
    subject = subject_score(claim, source, index.vocab, source_is_cell=is_cell)
    if subject is None and cited and claim.subject is None:
        subject = 0
    parts = [subject, year_score(claim, source), role_score(claim, source), metric_score(claim, source)]
    if any(p is None for p in parts):
        return None
    score = float(sum(p for p in parts if p is not None))
    if not is_cell:
        other = source.claim.clause if source.claim else source.quote
        sim = max(similarity(claim.clause or claim.sentence, other),
                  containment(other, claim.sentence) if len(bigrams(other)) >= 3 else 0.0,
                  _concepts(claim, source))
        if sim < TEXT_SIMILARITY and not cited and not (claim.subject and claim.subject == source.subject and parts[3]):
            return None
        score += 3 * sim
    return score


def _concepts(claim: Claim, source: Source) -> float:
    """Glossary concepts the figure's clause shares with the claim's sentence (works across languages)."""
    if source.claim is None or not source.claim.concepts:
        return 0.0
    mine = claim.sentence_concepts
    return concept_overlap(source.claim.concepts, mine) if len(source.claim.concepts & mine) >= 1 else 0.0


def best_agreeing(claim: Claim, index: FigureIndex, prefer: "set[str] | None" = None) -> Match | None:
    """The best-fitting printed figure whose value agrees with the claim within rounding."""
    lo, hi = claim.interval()
    best: Match | None = None
    for source in index.overlapping(claim.family, lo, hi):
        cited = bool(prefer) and _is_cited(source, prefer)  # type: ignore[arg-type]
        score = fit_score(claim, source, index, cited=cited)
        if score is None:
            continue
        if cited:
            score += 5
        if source.cell is not None:
            score += 3.5
        if best is None or score > best.score:
            best = Match(source, score)
    return best


def conflicting(claim: Claim, index: FigureIndex) -> list[Source]:
    """Printed figures for the same subject, year and metric that disagree with the claim, best first."""
    lo, hi = claim.interval()
    subjects = [claim.subject] if claim.subject else [None, *index.vocab.total_labels]
    if claim.context_inferred:
        return []  # a subject or metric carried over from another sentence is not enough to contradict
    cells: list[tuple[float, Source]] = []
    texts: list[tuple[float, Source]] = []
    for subject in subjects:
        for source in index.about(subject, claim.family):
            if source.cell is None and source.subject != claim.subject:
                continue
            if source.lo <= hi and lo <= source.hi:
                continue
            if source.kind != claim.kind:
                continue
            score = _conflict_score(claim, source, index)
            if score is not None:
                (cells if source.cell is not None else texts).append((score, source))
    if cells:
        cells.sort(key=lambda x: -x[0])
        top = cells[0][0]
        return [s for sc, s in cells if sc >= top - 1e-9]
    texts.sort(key=lambda x: -x[0])
    return [s for _, s in texts[:1]]


def _conflict_score(claim: Claim, source: Source, index: FigureIndex) -> float | None:
    """Same subject, same (explicit or both-inferred) year, same role and a shared or unambiguous metric."""
    if source.cell is None:
        if claim.year is None or source.year != claim.year or claim.year_inferred:
            return None
        if claim.role != source.role:
            return None
        other = source.claim.clause if source.claim else source.quote
        if len(bigrams(claim.clause)) < 3 or len(bigrams(other)) < 3:
            return None
        sim = similarity(claim.clause, other)
        return sim if sim >= SAME_FACT_SIMILARITY and containment(claim.sentence, source.quote) >= 0.5 else None
    if claim.kind == "percent" and claim.role is None:
        return None
    if claim.subject is None and claim.other_subject:
        return None  # the figure is about something the tables do not list
    if claim.period and "-" in claim.period[4:] and claim.period[:4] != claim.period[-4:]:
        return None  # a figure over a span of years is not any one year's cell
    if claim.role == "change" or (claim.role or None) != (source.role or None):
        return None
    y = year_score(claim, source)
    m = metric_score(claim, source)
    if y is None or m is None or (claim.year is not None and claim.year != source.year):
        return None
    if claim.subject is None and m != 2:
        return None  # an unnamed subject conflicts with the total only when the metric is named
    if m == 0 and claim.metrics and source.metrics:
        return None
    if m == 0 and not _single_metric(claim, source, index):
        return None
    return float(y + m)


def _single_metric(claim: Claim, source: Source, index: FigureIndex) -> bool:
    """A claim that names no metric still conflicts when its subject has one metric of this unit and role."""
    metrics = {s.cell.metric for s in index.about(source.subject, claim.family) if s.cell is not None and s.role == source.role}
    return len(metrics) == 1


def _says(source: Source) -> str:
    if source.cell is not None:
        table = source.cell.id.split("/")[0]
        unit = "" if source.cell.text.endswith("%") or not source.cell.unit else source.cell.unit
        return f"{table} says {source.cell.text}{unit} ({source.cell.row}, {source.cell.column})"
    return f"the report says {source.text} (“{source.quote}”)"


def _fact(claim: Claim, status: str, *, source: Source | None = None, expected: str | None = None,
          formula: str | None = None, inputs: list[str] | None = None) -> Fact:
    src = source.as_source() if source is not None else {}
    if inputs:
        src["inputs"] = inputs
    if claim.sign_word:
        src["sign"] = f"negative: '{claim.sign_word}' states a decrease"
    return Fact(text=claim.text, value=claim.value, unit=claim.unit, year=claim.year, subject=claim.subject,
                span=claim.span, status=status, source=src, expected=expected, formula=formula)  # type: ignore[arg-type]


def _cited_matcher(cited: list[str]) -> set[str]:
    keys: set[str] = set()
    for c in cited:
        keys.add(c)
        doc, _, rest = c.partition(":")
        if rest:
            keys.add(rest)
            parts = rest.split(":")
            keys.add(f"{doc}:{parts[0]}")
    return keys


def _is_cited(source: Source, keys: set[str]) -> bool:
    if source.cell is not None:
        cid = source.cell.id
        table, row = cid.split("/")[0], "/".join(cid.split("/")[:2])
        return bool({cid, table, row, f"{source.doc_id}:{table}", f"{source.doc_id}:{row}", f"{source.doc_id}:{cid}"} & keys)
    return source.paragraph_id is not None and f"{source.doc_id}:{source.paragraph_id}" in keys
