"""The numeric-fact checker: every figure in a text gets a verdict against the report's tables and text.

verified      a table cell or text figure prints the same value (within its printed precision) for a
              compatible subject, year, role and metric;
derived       it follows from cells (growth, share of total, ratio, difference, sum, percentage points)
              and the report prints no figure for that quantity itself;
contradicted  the report prints this subject/year/metric with another value (``expected`` says which),
              even when the rounded input cells would allow the claimed value (``source.derivation``);
unsupported   nothing in the report speaks to it.

A printed figure outranks a derivation: a growth rate that the level cells allow within rounding is
still contradicted when the table prints a different rate for that row and year.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from dataclasses import dataclass

from reportqa.query.checker.derive import Derivation, derive
from reportqa.query.checker.quotes import apply_quotes
from reportqa.query.figures.claims import Claim, extract_claims, row_terms
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
from reportqa.query.lexicon.frames import frame_words
from reportqa.query.views.figure_index import FigureIndex, Source, get_figure_index
from reportqa.query.views.sentences import compact
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
    claims = extract_claims(text, index.vocab)
    facts = [judge(claim, index) for claim in claims]
    apply_quotes(text, claims, facts, index)
    return facts


def check_answer_facts(answer_text: str, docs: list[Document], cited: list[str], index: FigureIndex | None = None) -> list[Fact]:
    """Like ``check_text``, preferring the cited cells/chunks as sources (ids such as '表1/共享住宿/2022年', '<doc>:p12:0')."""
    index = index or get_figure_index(docs)
    prefer = _cited_matcher(cited)
    cited_docs = {c.partition(":")[0] for c in cited if ":" in c}
    claims = extract_claims(answer_text, index.vocab)
    facts = [judge(claim, index, prefer=prefer, docs=cited_docs) for claim in claims]
    apply_quotes(answer_text, claims, facts, index)
    return facts


def judge(claim: Claim, index: FigureIndex, *, prefer: "set[str] | None" = None, docs: set[str] | None = None) -> Fact:
    """The verdict for one claim.

    Precedence: a figure the report prints for the claim's quantity decides verified vs contradicted;
    a derivation from other cells (growth from levels, shares, sums ...) decides only when the report
    prints no figure for that quantity. A rate the levels allow within rounding is still contradicted
    when the table prints another rate. ``docs``: the reports the answer cites; cells of others derive nothing.
    """
    match = best_agreeing(claim, index, prefer)
    if match is not None and match.source.cell is not None and match.source.bound is None:
        return _fact(claim, "verified", source=match.source)
    conflicts = conflicting(claim, index)
    if match is not None and match.source.bound is None and not any(s.cell is not None for s in conflicts):
        return _fact(claim, "verified", source=match.source)  # the running text prints it and no cell says otherwise
    derivation = derive(claim, index)
    if derivation is not None and docs and any(s.doc_id not in docs for s in derivation.inputs):
        derivation = None  # cells of a report the answer does not cite derive nothing it says (any rate fits some pair)
    written = written_arithmetic(claim) if derivation is None else None
    if written is not None and (claim.kind in ("level", "count") or not any(s.cell is not None for s in conflicts)):
        return _fact(claim, "derived", formula=written)  # '余0.4万吨（= 28.3 − 6.2 − 21.7）': the arithmetic holds
    combined = (derivation is not None or bool(conflicts)) and _combines(claim, index)  # 'A和B合计…': not one row's cell
    if derivation is not None and _stated_as_result(claim):
        return _derived(claim, derivation)  # '…/…−1 = x': the text computes it, a derivation judges it
    if derivation is not None and combined and (match is None or match.source.bound is not None):
        return _from_derivation(claim, derivation)
    cell_conflicts = [] if combined else [s for s in conflicts if s.cell is not None]
    if match is not None and not cell_conflicts:
        return _fact(claim, "verified", source=match.source)
    if match is not None:  # only the running text (or a bound) agrees; a table cell for the same fact differs
        fact = _fact(claim, "contradicted", source=cell_conflicts[0], expected="; ".join(_says(s) for s in cell_conflicts[:3]))
        fact.source["also_stated"] = match.source.as_source()
        return fact
    if conflicts and not combined:  # the report prints this quantity with another value: no derivation overrides the print
        fact = _fact(claim, "contradicted", source=conflicts[0], expected="; ".join(_says(s) for s in conflicts[:3]))
        if derivation is not None:
            fact.source["derivation"] = derivation.formula  # what the rounded inputs would allow, for the reader
        return fact
    if derivation is not None:
        return _from_derivation(claim, derivation)
    if conflicts:
        return _fact(claim, "contradicted", source=conflicts[0], expected="; ".join(_says(s) for s in conflicts[:3]))
    return _fact(claim, "unsupported")


def _from_derivation(claim: Claim, derivation: Derivation) -> Fact:
    """Derived, unless the table prints the derived quantity itself: then the print decides."""
    if derivation.printed is not None and _names_the_printed_quantity(claim, derivation):
        return _printed_verdict(claim, derivation)
    return _derived(claim, derivation)


def _derived(claim: Claim, derivation: Derivation) -> Fact:
    return _fact(claim, "derived", source=derivation.inputs[0], formula=derivation.formula,
                 inputs=[s.cell.id for s in derivation.inputs if s.cell is not None])


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_RESULT = re.compile(r"(?:=|＝|≈|约等于|等于|equals?|is about)\s*$", re.IGNORECASE)


def _stated_as_result(claim: Claim) -> bool:
    """The figure closes a computation written out in the text ('＜1/253−1 = -99.60%')."""
    before = claim.clause[:max(0, claim.span[0] - claim.clause_span[0])]
    return bool(_RESULT.search(before))


_WRITTEN_OPEN = re.compile(r"^[)）]?\s*(?:[（(][^（()）=＝]*[)）]\s*)?[（(]\s*[=＝]")  # '（= …', ') (= …', '(余0.4万吨) (= …'
_WRITTEN_BEFORE = re.compile(r"([-+−×÷*/^().\d\s]+?)\s*[=＝]\s*$")
_ARITHMETIC = re.compile(r"^[-+−×÷*/^().\d\s]+$")


def _bracketed(text: str) -> str:
    """The text up to the bracket that closes the one already open, or to '；'/';'."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            if depth == 0:
                return text[:i]
            depth -= 1
        elif ch in "；;" and depth == 0:
            return text[:i]
    return text


def written_arithmetic(claim: Claim) -> str | None:
    """The arithmetic written beside a figure ('0.4万吨（= 28.3 − 6.2 − 21.7）', '… = 41.2%'), when it gives the figure
    at its printed precision (a percentage may be written as a fraction less one); the formula, else None."""
    at = claim.span[0] - claim.clause_span[0]
    end = claim.span[1] - claim.clause_span[0]
    opened = _WRITTEN_OPEN.match(claim.clause[end:])
    before = _WRITTEN_BEFORE.search(claim.clause[:max(0, at)])
    expressions = [_bracketed(claim.clause[end + opened.end():]) if opened else "", before.group(1) if before else ""]
    value_of = claim.value, claim.step * (claim.value / claim.base if claim.base else 1.0)
    twin = re.match(r"^[)）]?\s*[（(]([^（()）=＝]*)[)）]", claim.clause[end:]) if opened else None
    if twin is not None:  # 'leaves 4,000 tonnes (余0.4万吨) (= 28.3 − …)': the arithmetic is the bracketed figure's
        same = next((c for c in extract_claims(twin.group(1)) if c.base and abs(c.base - claim.base) <= 1e-6 * abs(claim.base)), None)
        if same is not None:
            value_of = same.value, same.step * (same.value / same.base)
    for expression in expressions:
        if not _ARITHMETIC.match(expression or "x") or not re.search(r"\d\s*[)）]?\s*[-+−×÷*/^]\s*[(（]?\s*[-\d]", expression):
            continue
        value = _evaluate(expression)
        if value is None:
            continue
        tol = abs(value_of[1]) / 2 + 1e-9
        candidates = (value, value * 100) if claim.kind == "percent" else (value,)
        if any(abs(abs(v) - abs(value_of[0])) <= tol for v in candidates):
            return f"{expression.strip()} = {claim.text.strip()}"
    return None


def _evaluate(expression: str) -> float | None:
    """The value of an arithmetic expression of numbers, + − × ÷ ^ and brackets; None when it is not one."""
    text = expression.replace("−", "-").replace("×", "*").replace("÷", "/").replace("^", "**")
    ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Pow: operator.pow, ast.USub: operator.neg, ast.UAdd: operator.pos}

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in ops:
            return ops[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in ops:
            return ops[type(node.op)](walk(node.operand))
        raise ValueError(expression)

    try:
        return walk(ast.parse(text.strip(), mode="eval").body)
    except (ValueError, SyntaxError, ZeroDivisionError, OverflowError, TypeError):
        return None


def _names_the_printed_quantity(claim: Claim, derivation: Derivation) -> bool:
    """A growth claim for a printed growth column, a share claim for a share column, any level for a total."""
    if derivation.kind in ("growth", "share"):
        return claim.role == derivation.kind
    return True


def _combines(claim: Claim, index: FigureIndex) -> bool:
    """A clause naming several rows or years without '分别/respectively' ('A和B合计…', '2020年A与2021年A…合计')
    is about a combination, not one cell's figure."""
    if claim.listed_as is not None:
        return False
    years = set(_YEAR.findall(claim.clause[:max(0, claim.span[0] - claim.clause_span[0])]))
    return len(years) >= 2 or sum(not index.vocab.is_total(t) for t in row_terms(claim, index.vocab)) >= 2


def _printed_verdict(claim: Claim, derivation: Derivation) -> Fact:
    """A derivation whose result the table itself prints (a growth column, a share column, a total): the print decides."""
    printed = derivation.printed
    assert printed is not None
    lo, hi = claim.interval()
    if overlaps(lo, hi, printed.lo, printed.hi):
        fact = _fact(claim, "verified", source=printed)
    else:
        fact = _fact(claim, "contradicted", source=printed, expected=_says(printed))
    fact.source["derivation"] = derivation.formula
    return fact


def overlaps(lo: float, hi: float, other_lo: float, other_hi: float) -> bool:
    """Whether two rounding intervals share more than an endpoint ('99.3' and '99.4' touch at 99.35, never agree)."""
    eps = 1e-9 * max([1.0] + [abs(v) for v in (lo, hi, other_lo, other_hi) if math.isfinite(v)])
    if lo == hi or other_lo == other_hi:  # a point: inside (endpoints included) the other interval
        return other_lo - eps <= hi and lo <= other_hi + eps
    return min(hi, other_hi) - max(lo, other_lo) > eps


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
        if not overlaps(lo, hi, source.lo, source.hi):
            continue
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
            if overlaps(lo, hi, source.lo, source.hi):
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
        if frame_words().place(compact(claim.clause or "")) != frame_words().place(compact(other or "")):
            return None  # the world's figure and the country's are two facts
        sim = similarity(claim.clause, other)
        return sim if sim >= SAME_FACT_SIMILARITY and containment(claim.sentence, source.quote) >= 0.5 else None
    if claim.kind == "percent" and claim.role is None:
        return None
    if frame_words().place(compact(claim.clause or "")) == "world":
        return None  # the world's figure ('全球退役动力电池约96万吨') is no cell of the report's own country
    if claim.subject is None and claim.other_subject:
        return None  # the figure is about something the tables do not list
    if claim.period and "-" in claim.period[4:] and claim.period[:4] != claim.period[-4:]:
        return None  # a figure over a span of years is not any one year's cell
    if frame_words().cumulative_stated.search(_up_to(claim)):
        return None  # a running total to a date ('截至2023年底，累计…超过150万吨') is not that year's cell
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


def _up_to(claim: Claim) -> str:
    """The claim's sentence up to the figure, within its clause group (what sets its frame)."""
    sentence = claim.sentence or ""
    start = (claim.sentence_span or (0, 0))[0]
    head = sentence[: max(claim.span[0] - start, 0)] if claim.sentence_span else (claim.clause or "")
    return re.split(r"[；;]", head)[-1] + compact(claim.text)


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
