"""``POST /v1/feedback``: 👍/👎 on an answer, with an optional comment and corrected answer (stored for `reportqa feedback export`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from api.schemas import BODY_ERRORS, EXAMPLE_QUESTION, error_responses
from api.unicode import UnicodeCheckedRoute
from reportqa.store.feedback import add_feedback

FEEDBACK_EXAMPLE = {
    "question": EXAMPLE_QUESTION,
    "answer": "2022年共享住宿的共享经济交易额为115亿元。",
    "citations": [{"id": "表1/共享住宿/2022年", "page": 2}],
    "rating": "down",
    "comment": "想要的是同比增速",
    "corrected_answer": "同比下降24.3%",
}


class FeedbackRequest(BaseModel):
    """A rating of one answer as it was shown."""

    model_config = ConfigDict(json_schema_extra={"examples": [FEEDBACK_EXAMPLE]})

    question: Annotated[str, Field(min_length=1, max_length=4000, description="The question as asked.")]
    answer: Annotated[str, Field(max_length=20_000, description="The answer as shown.")]
    citations: Annotated[list[Any], Field(default_factory=list, max_length=100, description="The citations as shown (any JSON).")]
    rating: Literal["up", "down"] = Field(description="'up' (right) or 'down' (wrong).")
    comment: Annotated[str | None, Field(default=None, max_length=4000, description="What was wrong or missing.")]
    corrected_answer: Annotated[str | None, Field(default=None, max_length=4000, description="The right answer, when the user knows it; exported as the gold.")]
    request_id: Annotated[str | None, Field(default=None, max_length=128, description="X-Request-ID of the answer's response; default: this request's id.")]


class FeedbackCreated(BaseModel):
    id: int = Field(description="The stored feedback's id.")


router = APIRouter(prefix="/v1", route_class=UnicodeCheckedRoute)


@router.post("/feedback", status_code=201, response_model=FeedbackCreated, summary="Rate an answer",
             responses=error_responses(*BODY_ERRORS))
async def post_feedback(body: FeedbackRequest, request: Request) -> FeedbackCreated:
    """Store 👍/👎 with the question, answer and citations; `reportqa feedback export` turns them into eval items."""
    state = request.state
    new_id = await run_in_threadpool(
        add_feedback, request.app.state.db, question=body.question.strip(), answer=body.answer, rating=body.rating,
        citations=body.citations, comment=body.comment, corrected_answer=body.corrected_answer,
        key_name=getattr(state, "api_key", None), request_id=body.request_id or getattr(state, "request_id", None),
    )
    return FeedbackCreated(id=new_id)
