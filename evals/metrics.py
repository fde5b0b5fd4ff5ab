"""Eval metrics as pure functions: numeric answer accuracy, citation accuracy, retrieval hit@k / MRR,
abstention precision / recall, checker share and latency percentiles — per item, then per group.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from evals.loaders import EvalItem
from evals.quantities import Quantity, extract_quantities
from reportqa.numeric import EPS, UnitError, half_unit, parse_unit
from reportqa.records import Answer, Citation

DECLINE = re.compile(
    r"下降|减少|下滑|降低|降至|降幅|回落|缩减|萎缩|下跌|跌去|少了|高出|高于|低于|少于|比[^，。；,;]{0,30}?[多少高低]|"
    r"\b(fell|fall(s|en)?|declin\w*|decreas\w*|drop\w*|down|lower|shr[au]nk|less than|higher than|more than|exceed\w*)\b",
    re.I,
)
"""Words that state a fall or a gap, so a gold change of -699 may be written '减少699' or '2021年高出699'."""
SUPPORTED = ("verified", "derived")
METRICS = (
    "accuracy", "numeric_accuracy", "citation_accuracy", "hit_at_k", "mrr",
    "abstention_precision", "abstention_recall", "checker_share", "latency_p50_ms", "latency_p95_ms",
)
LOWER_IS_BETTER = {"latency_p50_ms", "latency_p95_ms"}

Spans = Sequence[tuple[str | None, int, int]]
"""Where an evidence string stands in the corpus: (doc id or None, start, end)."""


# --------------------------------------------------------------------------- numeric accuracy


@dataclass(frozen=True)
class GoldValue:
    """A gold figure with the precision and unit it is printed with in the gold answer."""

    value: float
    decimals: int
    base: str | None
    factor: float


def _unit(unit: str) -> tuple[str | None, float]:
    try:
        return parse_unit(unit) if unit else (None, 1.0)
    except UnitError:
        return unit, 1.0


def _decimals(value: float) -> int:
    text = repr(float(value))
    return 0 if text.endswith(".0") or "e" in text else len(text.split(".")[1])


def gold_values(item: EvalItem) -> list[GoldValue]:
    """Each gold number with the precision and unit of its printed form in ``item.answer`` (else ``item.unit``)."""
    printed = extract_quantities(item.answer)
    default_base, default_factor = _unit(item.unit)
    golds = []
    for n in item.numbers:
        q = next((q for q in printed if q.value == n), None) or next((q for q in printed if abs(q.value) == abs(n)), None)
        if q is None:
            golds.append(GoldValue(n, _decimals(n), default_base, default_factor))
        elif q.base is None and q.factor == 1.0:
            golds.append(GoldValue(n, q.decimals, default_base, default_factor))
        else:
            golds.append(GoldValue(n, q.decimals, q.base, q.factor))
    return golds


def value_present(gold: GoldValue, quantities: Iterable[Quantity], declines: bool = False) -> bool:
    """True when some quantity states ``gold`` within its printed precision, after unit conversion.

    A bare number is read in the gold's unit or as plain units ('18548' or '65,000' for 6.5万). A figure written at another scale ('CNY 11.5 billion' for
    115亿元) also counts when it is right at its own precision and within 1%. With ``declines`` a missing
    minus sign is forgiven ('下降24.3%' for -24.3; '2021年高出699亿元' for a change of -699).
    """
    for q in quantities:
        if q.base and gold.base and gold.base not in (q.base, q.rate) and (gold.base, q.base) != ("%", "个百分点"):
            continue  # ('75.6个/家' states a 个/家 gold, and a 个 one; '6.4 pp' a gold difference of shares written '6.4%')
        factor = 1.0 if gold.base is not None and gold.base == q.rate else q.factor  # a 万元/人 gold reads 97万元/人 as 97
        bare = q.base is None and factor == 1.0
        readings = [q.value, q.value / gold.factor] if bare else [q.value * factor / gold.factor]
        candidates = [c for v in readings for c in ([v, -v] if declines and gold.value < 0 < v else [v])]
        for c in candidates:
            diff = abs(c - gold.value)
            if diff <= half_unit(gold.decimals) + EPS * max(1.0, abs(gold.value)):
                return True
            if not bare and factor != gold.factor:
                tol = half_unit(q.decimals) * factor / gold.factor
                if diff <= tol + EPS and diff <= 0.01 * abs(gold.value):
                    return True
    return False


_QUOTED = re.compile(r"“[^”]*”|「[^」]*」")


def asserted_text(answer_text: str) -> str:
    """The answer without what it quotes (“…”), so a figure that only appears in a quoted source passage
    does not count as stated; the whole answer when nothing with a figure is left outside the quotes."""
    outside = _QUOTED.sub(" ", answer_text)
    return outside if extract_quantities(outside) else answer_text


def numeric_correct(item: EvalItem, answer_text: str) -> bool | None:
    """Every gold value is stated in the answer (None when the item has no gold numbers)."""
    if not item.numbers:
        return None
    text = asserted_text(answer_text)
    quantities = extract_quantities(text)
    declines = bool(DECLINE.search(text))
    return all(value_present(g, quantities, declines) for g in gold_values(item))


# --------------------------------------------------------------------------- citations and retrieval

_HEADING_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d+(?:\.\d+)*[、．.]?|附[：:]|第[一二三四五六七八九十\d]+[章节部分][、：:]?)"
)


def normalize_heading(heading: str) -> str:
    """Heading without spaces, numbering prefix ('一、', '（二）', '2.1') or closing punctuation."""
    s = re.sub(r"\s+", "", heading)
    s = _HEADING_NUMBER.sub("", s, count=1)
    return s.rstrip("。：:；;，,")


def heading_matches(gold: str, cited_path: str) -> bool:
    """True when the gold heading is one of the headings on a citation's ' > '-joined path (compared loosely)."""
    g = normalize_heading(gold)
    if not g:
        return False
    for part in cited_path.split(">"):
        p = normalize_heading(part)
        if not p:
            continue
        short, long = sorted((p, g), key=len)
        if p == g or (len(short) >= 6 and long.startswith(short)):
            return True
    return False


def _table_id(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def table_matches(gold_table: str, citation: Citation, doc: str = "") -> bool:
    """True when a citation points into the gold table of document ``doc`` (any document when '').

    Citations name tables as '<doc>:表1' and cells as '<doc>:表1/row/column'; a bare '表1' (older results) also counts.
    """
    g = _table_id(gold_table)
    if not g:
        return False
    if doc and citation.doc and citation.doc != doc:
        return False
    for ref in (_table_id(citation.table), _table_id(citation.id)):
        local = ref.split(":", 1)[1] if ":" in ref else ref
        if local == g or local.startswith(g + "/"):
            return True
    return False


def citation_correct(item: EvalItem, citations: Sequence[Citation], k: int = 3) -> bool | None:
    """Gold section or gold table among the top-k citations (None when the item names neither)."""
    if not item.section and not item.table:
        return None
    top = citations[:k]
    return any((item.table and table_matches(item.table, c, item.doc))
               or (item.section and heading_matches(item.section, c.section) and (not item.doc or c.doc == item.doc))
               for c in top)


def squash(text: str) -> str:
    """Text without any whitespace, for comparing quotes across hard wraps."""
    return re.sub(r"\s+", "", text)


def evidence_spans(evidence: str, documents: dict[str, str]) -> list[tuple[str | None, int, int]]:
    """Every place the verbatim evidence stands in the corpus documents (doc id → text)."""
    spans: list[tuple[str | None, int, int]] = []
    if not evidence:
        return spans
    for doc, text in documents.items():
        start = text.find(evidence)
        while start >= 0:
            spans.append((doc, start, start + len(evidence)))
            start = text.find(evidence, start + 1)
    return spans


def _same_doc(a: str | None, b: str | None) -> bool:
    return a is None or b is None or Path(a).stem == Path(b).stem


def citation_has_evidence(evidence: str, spans: Spans, citation: Citation) -> bool:
    """The citation quotes the evidence (whitespace ignored) or its span overlaps one of the evidence's spans."""
    ev, quote = squash(evidence), squash(citation.quote)
    if ev and (ev in quote or (len(quote) >= 8 and quote in ev)):
        return True
    start, end = citation.span
    return any(_same_doc(doc, citation.doc) and start < e and s < end for doc, s, e in spans)


def evidence_rank(evidence: str, spans: Spans, citations: Sequence[Citation]) -> int | None:
    """1-based rank of the first citation carrying the gold evidence, None when none does."""
    for rank, citation in enumerate(citations, start=1):
        if citation_has_evidence(evidence, spans, citation):
            return rank
    return None


# --------------------------------------------------------------------------- aggregates


def abstention_scores(unanswerable: Sequence[bool], abstained: Sequence[bool]) -> tuple[float | None, float | None]:
    """(precision, recall) of abstaining, with unanswerable items as the positive class; None when undefined."""
    tp = sum(1 for u, a in zip(unanswerable, abstained) if u and a)
    fp = sum(1 for u, a in zip(unanswerable, abstained) if a and not u)
    fn = sum(1 for u, a in zip(unanswerable, abstained) if u and not a)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def checker_share(statuses: Iterable[str]) -> float | None:
    """Share of checked facts that are verified or derived (vs unsupported / contradicted); None without facts."""
    values = list(statuses)
    return sum(1 for s in values if s in SUPPORTED) / len(values) if values else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in [0, 1]); None for no values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def mean(values: Sequence[float]) -> float | None:
    """Arithmetic mean; None for no values."""
    return sum(values) / len(values) if values else None


# --------------------------------------------------------------------------- per item


class ItemResult(BaseModel):
    """One question's outcome: what came back, and pass/fail per metric (None where a metric does not apply)."""

    id: str
    lang: str
    type: str
    question: str
    gold: str = Field(description="Gold answer string.")
    gold_numbers: list[float] = Field(default_factory=list)
    unit: str = ""
    section: str = ""
    table: str = ""
    evidence: str = ""
    fact: str = Field(default="", description="Paraphrase group id ('' when the item is not a paraphrase).")
    off_topic: bool = Field(default=False, description="An unanswerable question about something the report does not cover.")
    answer: str = ""
    answerable: bool | None = Field(default=None, description="What the system said; None when it failed.")
    kind: str | None = None
    citations: list[dict[str, Any]] = Field(default_factory=list)
    facts: list[dict[str, Any]] = Field(default_factory=list)
    latency_ms: float | None = None
    error: str | None = None
    numeric: bool | None = None
    citation: bool | None = None
    evidence_rank: int | None = None
    hit: bool | None = Field(default=None, description="Gold evidence within the top-k citations.")
    rr: float | None = Field(default=None, description="Reciprocal rank of the gold evidence (0 when missed).")
    abstained: bool = False
    correct: bool = False


def is_correct(item: EvalItem, abstained: bool, numeric: bool | None, citation: bool | None, failed: bool) -> bool:
    """Unanswerable: abstained. Otherwise not abstained and — in order — numbers right, else citation right."""
    if failed:
        return False
    if not item.answerable:
        return abstained
    if abstained:
        return False
    if numeric is not None:
        return numeric
    return citation if citation is not None else True


OFF_TOPIC = re.compile(r"off-topic|离题", re.IGNORECASE)  # how an unanswerable item's note marks it as off the report's topic


def score_item(
    item: EvalItem,
    answer: Answer | None,
    *,
    spans: Spans = (),
    k: int = 3,
    latency_ms: float | None = None,
    error: str | None = None,
) -> ItemResult:
    """Score one answer (``None`` with ``error`` when the system failed) against its gold item."""
    base = ItemResult(
        id=item.id, lang=item.lang or "", type=item.type, question=item.question, gold=item.answer,
        gold_numbers=item.numbers, unit=item.unit, section=item.section, table=item.table, evidence=item.evidence,
        fact=item.fact, off_topic=not item.answerable and bool(OFF_TOPIC.search(item.note)),
        latency_ms=latency_ms, error=error,
    )
    if answer is None:
        return base
    cites: list[Citation] = list(answer.citations)
    abstained = not answer.answerable
    numeric = (False if abstained else numeric_correct(item, answer.answer)) if item.answerable and item.numbers else None
    rank = evidence_rank(item.evidence, spans, cites) if item.evidence and item.answerable else None
    citation = citation_correct(item, cites, k) if item.answerable else None
    if citation is False and rank is not None and rank <= k:
        citation = True  # a top-k citation quotes the gold evidence itself, where else the report repeats it
    has_evidence = bool(item.evidence) and item.answerable
    return base.model_copy(update={
        "answer": answer.answer, "answerable": answer.answerable, "kind": answer.kind,
        "citations": [c.model_dump() for c in cites], "facts": [f.model_dump() for f in answer.facts],
        "numeric": numeric, "citation": citation, "evidence_rank": rank,
        "hit": (rank is not None and rank <= k) if has_evidence else None,
        "rr": (1.0 / rank if rank else 0.0) if has_evidence else None,
        "abstained": abstained, "correct": is_correct(item, abstained, numeric, citation, False),
    })


def _share(flags: Iterable[bool | None]) -> tuple[float | None, int]:
    xs = [f for f in flags if f is not None]
    return (sum(xs) / len(xs) if xs else None), len(xs)


def summarize(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Every metric over ``results``, with the number of items each was computed on."""
    ok = [r for r in results if r.error is None]
    accuracy, n = _share(r.correct for r in results)
    numeric, n_numeric = _share(r.numeric for r in results)
    citation, n_citation = _share(r.citation for r in results)
    hit, n_evidence = _share(r.hit for r in results)
    rrs = [r.rr for r in results if r.rr is not None]
    precision, recall = abstention_scores([r.type == "unanswerable" for r in ok], [r.abstained for r in ok])
    statuses = [str(f.get("status")) for r in ok for f in r.facts]
    latencies = [r.latency_ms for r in ok if r.latency_ms is not None]
    return {
        "n": n, "errors": len(results) - len(ok),
        "accuracy": accuracy,
        "numeric_accuracy": numeric, "n_numeric": n_numeric,
        "citation_accuracy": citation, "n_citation": n_citation,
        "hit_at_k": hit, "mrr": mean(rrs), "n_evidence": n_evidence,
        "abstention_precision": precision, "abstention_recall": recall,
        "n_unanswerable": sum(1 for r in results if r.type == "unanswerable"),
        "n_abstained": sum(1 for r in ok if r.abstained),
        "checker_share": checker_share(statuses), "n_facts": len(statuses),
        "facts": {s: statuses.count(s) for s in ("verified", "derived", "unsupported", "contradicted")},
        "latency_p50_ms": percentile(latencies, 0.5), "latency_p95_ms": percentile(latencies, 0.95),
        **paraphrase_agreement(results),
        "off_topic_abstention": _share(r.abstained for r in results if r.off_topic)[0],
        "n_off_topic": sum(1 for r in results if r.off_topic),
    }


def paraphrase_agreement(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Share of paraphrase groups (items with the same ``fact``) answered right every way they are asked."""
    groups: dict[str, list[ItemResult]] = {}
    for r in results:
        if r.fact:
            groups.setdefault(r.fact, []).append(r)
    asked = [g for g in groups.values() if len(g) > 1]
    agree = sum(all(r.correct for r in g) for g in asked)
    return {"paraphrase_agreement": agree / len(asked) if asked else None, "n_paraphrased": len(asked)}


def summarize_groups(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Overall, by type, by language and by type × language."""
    def group(key: Any) -> dict[str, Any]:
        keys = sorted({key(r) for r in results})
        return {k: summarize([r for r in results if key(r) == k]) for k in keys}

    by_lang = {k: summarize([r for r in results if r.lang == k]) for k in ("zh", "en")}
    accs = [s["accuracy"] for s in by_lang.values() if s["accuracy"] is not None and s["n"]]
    overall = summarize(results)
    overall["lang_gap"] = abs(accs[0] - accs[1]) if len(accs) == 2 else None
    return {
        "overall": overall,
        "by_type": group(lambda r: r.type),
        "by_lang": group(lambda r: r.lang),
        "by_type_lang": group(lambda r: f"{r.type}/{r.lang}"),
    }

