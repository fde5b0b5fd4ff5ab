"""Write an eval run as a Ragas ``EvaluationDataset`` (JSON lines of ``SingleTurnSample`` fields), so teams can put
Ragas' metrics beside ours:

    reportqa eval evals/report2023.jsonl --export-ragas run.jsonl
    # then, with ragas installed: EvaluationDataset.from_jsonl("run.jsonl")

One line per item: ``user_input`` (the question), ``response`` (our answer), ``retrieved_contexts`` (the quotes of
its citations, best first), ``retrieved_context_ids`` (their chunk / cell ids) and ``reference`` (the gold answer).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from evals.metrics import ItemResult

RAGAS_COLUMNS = ("user_input", "response", "retrieved_contexts", "retrieved_context_ids", "reference")


def ragas_sample(result: ItemResult) -> dict[str, Any]:
    """One item as a Ragas single-turn sample (every value a string or a list of strings)."""
    return {
        "user_input": result.question,
        "response": result.answer,
        "retrieved_contexts": [str(c.get("quote", "")) for c in result.citations],
        "retrieved_context_ids": [str(c.get("id", "")) for c in result.citations],
        "reference": result.gold,
    }


def write_ragas_jsonl(results: list[ItemResult], path: str | Path) -> Path:
    """Write the samples as JSON lines, atomically (a temporary file renamed into place); return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for result in results:
                out.write(json.dumps(ragas_sample(result), ensure_ascii=False) + "\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
