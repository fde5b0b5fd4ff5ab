"""Load an eval set: the full JSONL format of ``evals/report2023.jsonl``, a CSV with the same columns, or a
minimal ``{"question", "answer"}`` JSONL. Missing fields get defaults; a minimal item's gold numbers are read
from its answer string.

Ragas datasets load too, as JSONL, JSON or CSV: ``user_input`` / ``reference`` / ``reference_contexts`` /
``retrieved_contexts`` (``EvaluationDataset``), and the older ``question`` / ``ground_truth`` / ``contexts``.
Their reference (or ground truth) is the gold answer — a Ragas ``answer`` / ``response`` column is a system's
output and is ignored then — and their contexts are the gold evidence (reference contexts first): a citation
quoting inside one of them counts as a hit.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evals.quantities import extract_quantities
from reportqa.errors import ReportQAError
from reportqa.query.lexicon.language import detect_language

ItemType = Literal["table_lookup", "table_compute", "text_fact", "narrative", "consistency", "unanswerable", "unspecified"]
TYPES: tuple[str, ...] = ("table_lookup", "table_compute", "text_fact", "narrative", "consistency", "unanswerable")

_NOT_IN_REPORT = re.compile(
    r"报告未|未提及|没有提供|未提供|没有给出|不包含|无此数据|does not (say|give|contain|report)|not in the report|^n/?a$|^unanswerable$",
    re.IGNORECASE,
)


_DATE_UNITS = {"年", "月", "日"}


class EvalSetError(ReportQAError):
    """An eval set file cannot be read."""

    status_code = 422


class EvalItem(BaseModel):
    """One question with its gold answer and where the report says it."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(default="", description="Stable id ('tl-001'); 'q<line>' when the file gives none.")
    lang: Literal["zh", "en"] | None = Field(default=None, description="Question language; detected when missing.")
    type: ItemType = Field(default="unspecified", description="Question kind; 'unanswerable' when the report does not say.")
    question: str
    answer: str = Field(default="", description="Short gold answer with the report's unit ('115亿元').")
    numbers: list[float] = Field(default_factory=list, description="Gold values in the report's unit; [] for none.")
    unit: str = Field(default="", description="The report's unit of the first gold value ('亿元', '%').")
    evidence: str = Field(default="", description="A verbatim substring of the report that supports the answer.")
    section: str = Field(default="", description="Heading as printed in the body ('（一）共享经济市场交易规模同比增长 3.9%').")
    table: str = Field(default="", description="'表1' when a table holds the answer, else ''.")
    doc: str = Field(
        default="",
        description="Document id (file stem) the item is about; '' = from `--doc`, else the one report holding its evidence, else any.",
    )
    note: str = Field(default="", description="How the gold was derived.")
    compute: dict[str, Any] | None = Field(default=None, description="Machine-readable derivation from table cells.")
    fact: str = Field(default="", description="Paraphrase group: items asking the same fact share this id ('pA-03').")

    @property
    def answerable(self) -> bool:
        """False for items whose gold is that the report does not say."""
        return self.type != "unanswerable"


def load_eval_set(path: str | Path) -> list[EvalItem]:
    """Read an eval set from .jsonl/.json (full or minimal records) or .csv; raise EvalSetError naming the bad line."""
    p = Path(path)
    if not p.is_file():
        raise EvalSetError(f"eval set {str(p)!r} not found — pass a .jsonl or .csv file such as evals/report2023.jsonl")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise EvalSetError(f"eval set {p.name} is not UTF-8 text ({err.reason}) — save it as UTF-8") from err
    if p.suffix.lower() == ".csv":
        rows = _csv_rows(text, p.name)
    elif p.suffix.lower() == ".json" and text.lstrip().startswith(("[", "{")) and not _is_jsonl(text):
        rows = _json_rows(text, p.name)
    else:
        rows = _jsonl_rows(text, p.name)
    items = [_to_item(row, where) for where, row in rows]
    if not items:
        raise EvalSetError(f"eval set {p.name} has no items — add lines like {{\"question\": \"...\", \"answer\": \"...\"}}")
    _check_unique_ids(items, p.name)
    return items


def _is_jsonl(text: str) -> bool:
    """True when every non-blank line is a JSON object of its own (a .json file written as JSON lines)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2:
        return False
    try:
        return all(isinstance(json.loads(ln), dict) for ln in lines)
    except json.JSONDecodeError:
        return False


def _jsonl_rows(text: str, name: str) -> list[tuple[str, dict[str, Any]]]:
    rows = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise EvalSetError(f"{name} line {n} is not JSON ({err.msg}) — write one JSON object per line") from err
        if not isinstance(row, dict):
            raise EvalSetError(f"{name} line {n} is not a JSON object — write {{\"question\": ..., \"answer\": ...}}")
        rows.append((f"{name} line {n}", row))
    return rows


def _json_rows(text: str, name: str) -> list[tuple[str, dict[str, Any]]]:
    """A JSON array of items, a ``{"samples": [...]}`` object, or columns (``{"user_input": [...], ...}``)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise EvalSetError(f"{name} is not valid JSON ({err.msg} at line {err.lineno})") from err
    if isinstance(data, dict):
        data = _json_object_rows(data, name)
    bad = [i for i, row in enumerate(data) if not isinstance(row, dict)]
    if bad:
        raise EvalSetError(f"{name} item {bad[0]} is not a JSON object — write {{\"question\": ..., \"answer\": ...}}")
    return [(f"{name} item {i}", row) for i, row in enumerate(data)]


def _json_object_rows(data: dict[str, Any], name: str) -> list[Any]:
    for key in ("samples", "items", "data"):
        if isinstance(data.get(key), list):
            return data[key]
    columns = {k: v for k, v in data.items() if isinstance(v, list)}
    lengths = {len(v) for v in columns.values()}
    if set(QUESTION_COLUMNS) & set(columns) and len(lengths) == 1:
        n = lengths.pop()
        return [{k: v[i] for k, v in columns.items()} for i in range(n)]
    raise EvalSetError(
        f"{name} is a JSON object but neither a list of items under 'samples' nor equal-length columns such as "
        '{"user_input": [...], "reference": [...]} — write a JSON array of {"question": ..., "answer": ...}'
    )


def _csv_rows(text: str, name: str) -> list[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or not set(QUESTION_COLUMNS) & {f.strip() for f in reader.fieldnames}:
        raise EvalSetError(f"{name} has no 'question' column — the first row must name the columns, e.g. question,answer "
                           "(or Ragas' user_input,reference)")
    rows = []
    for n, raw in enumerate(reader, start=2):
        row: dict[str, Any] = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        for key in CONTEXT_COLUMNS + ("ground_truths",):
            if row.get(key, "").startswith("["):
                row[key] = _csv_list(row[key], f"{name} line {n}", key)
        for key in ("numbers", "compute"):
            if key in row and row[key] == "":
                del row[key]
        if "numbers" in row:
            row["numbers"] = _csv_numbers(row["numbers"], f"{name} line {n}")
        if "compute" in row:
            try:
                row["compute"] = json.loads(row["compute"])
            except json.JSONDecodeError as err:
                raise EvalSetError(f"{name} line {n}: 'compute' is not JSON ({err.msg})") from err
        rows.append((f"{name} line {n}", row))
    return rows


def _csv_numbers(cell: str, where: str) -> list[float]:
    if cell.startswith("["):
        try:
            return [float(x) for x in json.loads(cell)]
        except (json.JSONDecodeError, TypeError, ValueError) as err:
            raise EvalSetError(f"{where}: 'numbers' must be a JSON list such as [115, 3.9]") from err
    try:
        return [float(x) for x in re.split(r"[;|]", cell) if x.strip()]
    except ValueError as err:
        raise EvalSetError(f"{where}: 'numbers' must look like '115;3.9' or '[115, 3.9]'") from err


def _csv_list(cell: str, where: str, key: str) -> list[str]:
    """A list cell as JSON (``["a", "b"]``) or as Python writes it (``['a', 'b']``, what pandas and Ragas' to_csv give)."""
    try:
        value = json.loads(cell)
    except json.JSONDecodeError:
        try:
            value = ast.literal_eval(cell)
        except (ValueError, SyntaxError) as err:
            raise EvalSetError(f"{where}: {key!r} must be a list such as [\"first context\", \"second\"]") from err
    if not isinstance(value, list):
        raise EvalSetError(f"{where}: {key!r} must be a list such as [\"first context\", \"second\"]")
    return [str(v) for v in value]


QUESTION_COLUMNS = ("question", "user_input")
GOLD_COLUMNS = ("reference", "ground_truth", "ground_truths")
CONTEXT_COLUMNS = ("reference_contexts", "contexts", "retrieved_contexts")


def from_ragas_columns(row: dict[str, Any], where: str) -> dict[str, Any]:
    """Map Ragas' columns onto ours: user_input → question, reference / ground_truth → answer, contexts → evidence."""
    if not any(k in row for k in ("user_input", *GOLD_COLUMNS, *CONTEXT_COLUMNS)):
        return row
    out = {k: v for k, v in row.items() if k not in ("user_input", "response", *GOLD_COLUMNS, *CONTEXT_COLUMNS)}
    question = row.get("question", row.get("user_input"))
    if isinstance(question, list):
        raise EvalSetError(f"{where}: user_input is a multi-turn conversation — give each question as a string")
    out["question"] = question
    gold = next((row[k] for k in GOLD_COLUMNS if row.get(k) not in (None, "", [])), None)
    if isinstance(gold, list):
        gold = str(gold[0])
    if gold is not None:
        out["answer"] = gold  # a Ragas 'answer' column is then the system's response, not the gold
    if not out.get("evidence"):
        contexts = next((row[k] for k in CONTEXT_COLUMNS if row.get(k)), None)
        if isinstance(contexts, str):
            contexts = [contexts]
        if contexts is not None and not all(isinstance(c, str) for c in contexts):
            raise EvalSetError(f"{where}: contexts must be a list of strings")
        if contexts:
            out["evidence"] = "\n".join(contexts)
    return out


def _to_item(row: dict[str, Any], where: str) -> EvalItem:
    row = from_ragas_columns(row, where)
    question = row.get("question")
    if not isinstance(question, str) or not question.strip():
        raise EvalSetError(f"{where} has no question — every item needs a non-empty 'question' (or Ragas' 'user_input')")
    data = {k: v for k, v in row.items() if v is not None}
    answer = str(data.get("answer", "") or "")
    if not data.get("type"):
        data["type"] = "unanswerable" if answer and _NOT_IN_REPORT.search(answer.strip()) else "unspecified"
    if "numbers" not in data:
        found = [] if data["type"] == "unanswerable" else [q for q in extract_quantities(answer) if q.base not in _DATE_UNITS]
        data["numbers"] = [q.value for q in found]
        if not data.get("unit") and found:
            data["unit"] = found[0].unit
    if not data.get("lang"):
        data["lang"] = detect_language(question)
    try:
        return EvalItem.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(x) for x in first["loc"])
        raise EvalSetError(f"{where}: field {field!r} {first['msg'].lower()} (got {first.get('input')!r})") from err


def assign_docs(items: list[EvalItem], documents: dict[str, str], doc: str | None = None) -> list[EvalItem]:
    """Items with their document: their own ``doc``, else ``doc`` (the set's, from `--doc`), else the one report whose
    text holds the item's evidence (line wraps and spaces ignored); '' when none or several do."""
    if doc is not None and doc not in documents:
        raise EvalSetError(f"--doc {doc!r} is not an indexed report — use one of: {', '.join(documents) or 'none'}")
    squashed = {d: re.sub(r"\s+", "", t) for d, t in documents.items()}
    out = []
    for item in items:
        found = item.doc or doc or ""
        if not found and item.evidence.strip():
            key = re.sub(r"\s+", "", item.evidence)
            holders = [d for d, t in squashed.items() if key in t]
            found = holders[0] if len(holders) == 1 else ""
        out.append(item if found == item.doc else item.model_copy(update={"doc": found}))
    return out


def _check_unique_ids(items: list[EvalItem], name: str) -> None:
    seen: set[str] = set()
    for n, item in enumerate(items, start=1):
        if not item.id:
            item.id = f"q{n:03d}"
        if item.id in seen:
            raise EvalSetError(f"{name}: id {item.id!r} is used twice — give every item its own id")
        seen.add(item.id)
