"""Compare a run with a baseline (per-metric deltas, items that flipped pass↔fail) and apply release gates."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.loaders import EvalSetError
from evals.metrics import LOWER_IS_BETTER, METRICS


@dataclass(frozen=True)
class Gate:
    """A threshold on one summary metric: ``--min-accuracy 0.9`` → metric 'numeric_accuracy' ≥ 0.9."""

    flag: str
    metric: str
    minimum: bool = True
    help: str = ""


GATES: tuple[Gate, ...] = (
    Gate("min_accuracy", "numeric_accuracy", help="numeric answer accuracy over items with gold numbers"),
    Gate("min_correct", "accuracy", help="share of items answered correctly (numbers, abstention or citation)"),
    Gate("min_citation", "citation_accuracy", help="gold section or table among the top-k citations"),
    Gate("min_hit", "hit_at_k", help="gold evidence within the top-k citations"),
    Gate("min_mrr", "mrr", help="mean reciprocal rank of the gold evidence"),
    Gate("min_abstention_precision", "abstention_precision", help="abstentions that were right"),
    Gate("min_abstention_recall", "abstention_recall", help="unanswerable items abstained on"),
    Gate("min_checker", "checker_share", help="facts verified or derived by the checker"),
    Gate("max_p95_ms", "latency_p95_ms", minimum=False, help="95th-percentile latency in milliseconds"),
    Gate("min_paraphrase_agreement", "paraphrase_agreement", help="facts answered right every way they are asked"),
    Gate("min_off_topic_abstention", "off_topic_abstention", help="off-topic questions that abstained"),
    Gate("max_lang_gap", "lang_gap", minimum=False, help="gap between zh and en correct, as a fraction"),
)


@dataclass
class RunDiff:
    """What changed from a baseline run to this one."""

    baseline: str
    deltas: dict[str, tuple[float | None, float | None, float | None]] = field(default_factory=dict)
    flipped: list[dict[str, Any]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "baseline": self.baseline,
            "deltas": {k: {"before": b, "after": a, "delta": d} for k, (b, a, d) in self.deltas.items()},
            "flipped": self.flipped, "added": self.added, "removed": self.removed,
        }


def load_results(path: str | Path) -> dict[str, Any]:
    """A previous run's results.json (or the folder holding it); raise EvalSetError when unreadable."""
    p = Path(path)
    if p.is_dir():
        p = p / "results.json"
    if not p.is_file():
        raise EvalSetError(f"baseline {str(p)!r} not found — pass the results.json of an earlier `reportqa eval --out DIR` run")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise EvalSetError(f"baseline {p} is not a results.json ({err}) — pass the file an earlier eval run wrote") from err
    if not isinstance(data, dict) or "summary" not in data or "results" not in data:
        raise EvalSetError(f"baseline {p} has no 'summary' and 'results' — pass the results.json of an earlier eval run")
    return data


def compare_runs(current: dict[str, Any], baseline: dict[str, Any], name: str = "baseline") -> RunDiff:
    """Per-metric deltas of the overall summary and the items whose ``correct`` flipped (matched by id)."""
    after, before = current["summary"]["overall"], baseline["summary"]["overall"]
    diff = RunDiff(baseline=name)
    for metric in METRICS:
        a, b = after.get(metric), before.get(metric)
        diff.deltas[metric] = (b, a, (a - b) if a is not None and b is not None else None)
    old = {r["id"]: r for r in baseline["results"]}
    new = {r["id"]: r for r in current["results"]}
    for item_id, r in new.items():
        if item_id not in old:
            diff.added.append(item_id)
        elif bool(old[item_id].get("correct")) != bool(r.get("correct")):
            diff.flipped.append({
                "id": item_id, "question": r["question"], "type": r["type"], "lang": r["lang"],
                "before": "pass" if old[item_id].get("correct") else "fail",
                "after": "pass" if r.get("correct") else "fail",
                "answer_before": old[item_id].get("answer", ""), "answer_after": r.get("answer", ""),
            })
    diff.removed = [i for i in old if i not in new]
    return diff


def normalize_threshold(gate: Gate, value: float) -> float:
    """Share gates accept 0.9 or 90 (percent); latency gates are milliseconds."""
    return value / 100 if value > 1 and not gate.metric.startswith("latency") else value


def check_gates(summary: dict[str, Any], thresholds: dict[str, float | None]) -> list[str]:
    """One line per missed gate; a metric that could not be computed misses its gate, and a gated run in which a
    question raised an error misses too (an error is a 500 to a user, whatever the scores)."""
    missed = []
    if any(v is not None for v in thresholds.values()) and summary.get("errors"):
        missed.append(f"{summary['errors']} question(s) failed with an error (see results.json)")
    for gate in GATES:
        raw = thresholds.get(gate.flag)
        if raw is None:
            continue
        limit = normalize_threshold(gate, raw)
        value = summary.get(gate.metric)
        flag = "--" + gate.flag.replace("_", "-")
        if value is None:
            missed.append(f"{flag} {raw}: {gate.metric} could not be computed on this set")
        elif gate.minimum and value < limit:
            missed.append(f"{flag} {raw}: {gate.metric} is {value:.3f}, below {limit:.3f}")
        elif not gate.minimum and value > limit:
            missed.append(f"{flag} {raw}: {gate.metric} is {value:.1f}, above {limit:.1f}")
    return missed


def improved(metric: str, delta: float | None) -> bool | None:
    """Whether a delta is an improvement (lower latency is better); None for no change or no value."""
    if not delta:
        return None
    return delta < 0 if metric in LOWER_IS_BETTER else delta > 0
