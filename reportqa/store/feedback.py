"""Feedback on answers (👍/👎, comment, corrected answer), its export as an eval set, and the opt-in question log.

``export_feedback`` writes the JSONL that ``reportqa eval`` reads, so real questions become regression items:

- 👍 → the served answer is the gold;
- 👎 with a corrected answer → the correction is the gold;
- 👎 without one → the item keeps the question, type ``unspecified``, an empty gold and a note saying so
  (the rejected answer is kept in ``rejected_answer``): a person writes the gold before it gates anything.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from reportqa.store.db import Database
from reportqa.store.tables import as_utc, feedback, question_log, utcnow

Rating = Literal["up", "down"]


class Feedback(BaseModel):
    """One stored rating of an answer."""

    id: int
    question: str
    answer: str = Field(description="The answer as it was shown.")
    citations: list[Any] = Field(default_factory=list, description="The citations as they were shown.")
    rating: Rating
    comment: str | None = None
    corrected_answer: str | None = None
    created_at: datetime
    key_name: str | None = Field(default=None, description="API key that sent it; None in open mode.")
    request_id: str | None = None


def add_feedback(
    db: Database,
    *,
    question: str,
    answer: str,
    rating: Rating,
    citations: list[Any] | None = None,
    comment: str | None = None,
    corrected_answer: str | None = None,
    key_name: str | None = None,
    request_id: str | None = None,
) -> int:
    """Store one rating; return its id."""
    values = {
        "question": question, "answer": answer, "citations": citations or [], "rating": rating,
        "comment": comment or None, "corrected_answer": corrected_answer or None,
        "created_at": utcnow(), "key_name": key_name, "request_id": request_id,
    }
    with db.write() as conn:
        return int(conn.execute(feedback.insert().values(**values)).inserted_primary_key[0])


def list_feedback(db: Database) -> list[Feedback]:
    """All feedback, oldest first."""
    if not db.exists():
        return []
    with db.read() as conn:
        rows = conn.execute(select(feedback).order_by(feedback.c.id)).mappings().all()
    return [Feedback(**{**row, "created_at": as_utc(row["created_at"])}) for row in rows]


def eval_item(fb: Feedback) -> dict[str, Any]:
    """One feedback as an eval-set item (the fields ``evals.loaders`` reads, plus where it came from)."""
    item: dict[str, Any] = {"id": f"fb-{fb.id}", "question": fb.question}
    note = f"portal feedback #{fb.id} ({fb.rating}, {fb.created_at:%Y-%m-%d})"
    if fb.corrected_answer:
        item["answer"] = fb.corrected_answer
        note += ": gold is the user's corrected answer"
    elif fb.rating == "up":
        item["answer"] = fb.answer
        note += ": gold is the served answer, rated correct"
    else:
        item.update(answer="", type="unspecified", rejected_answer=fb.answer)
        note += ": rated wrong without a correction — write the gold answer before using this item as a gate"
    if fb.comment:
        note += f"; comment: {fb.comment}"
    item["note"] = note
    item["feedback"] = {"rating": fb.rating, "served_answer": fb.answer, "citations": fb.citations,
                        "key_name": fb.key_name, "request_id": fb.request_id}
    return item


def export_feedback(db: Database, out: str | Path) -> int:
    """Write every feedback as eval JSONL to ``out`` (temp file + rename: never half-written); return the count."""
    items = [eval_item(fb) for fb in list_feedback(db)]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for item in items:
                f.write(json.dumps(item, ensure_ascii=False) + "\n")
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(items)


def log_question(
    db: Database,
    question: str,
    *,
    language: str | None = None,
    kind: str | None = None,
    answerable: bool | None = None,
    key_name: str | None = None,
    request_id: str | None = None,
) -> None:
    """Append one asked question to question_log (only called when ``log_questions`` is on)."""
    with db.write() as conn:
        conn.execute(question_log.insert().values(
            question=question, language=language, kind=kind, answerable=answerable,
            created_at=utcnow(), key_name=key_name, request_id=request_id,
        ))


def logged_questions(db: Database) -> list[dict[str, Any]]:
    """The question log, oldest first."""
    if not db.exists():
        return []
    with db.read() as conn:
        return [dict(r) for r in conn.execute(select(question_log).order_by(question_log.c.id)).mappings()]
