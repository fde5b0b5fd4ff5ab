"""Routes: validate (the schemas do it) → call ``reportqa.library`` → return. No logic here.

Library calls are CPU-bound and run in the app's thread pool (``api.threads.run_sync``), so the event loop
keeps accepting requests; the embedder releases the GIL while it computes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from api.admin import admin
from api.deps import EngineDep, ServiceDep, not_ready
from api.observability import record_answer, record_facts
from api.schemas import (
    ANSWER_EXAMPLE,
    EXAMPLE_QUESTION,
    BODY_ERRORS,
    CHECK_RESPONSE_EXAMPLE,
    MAX_QUESTION_CHARS,
    NOT_BLANK,
    AskRequest,
    CheckRequest,
    CheckResponse,
    DocTable,
    Health,
    NotReady,
    Ready,
    SearchHit,
    SectionNode,
    error_responses,
    example_response,
    doc_tables,
    section_tree,
    with_doc,
)
from api.threads import run_sync
from api.unicode import UnicodeCheckedRoute
from reportqa import library
from reportqa.records import Answer, Finding

router = APIRouter(route_class=UnicodeCheckedRoute)
v1 = APIRouter(prefix="/v1", route_class=UnicodeCheckedRoute, responses=error_responses(503))


@v1.post(
    "/ask",
    response_model=Answer,
    summary="Answer a question from the report",
    responses={**example_response(ANSWER_EXAMPLE, "The answer with citations and checked facts."), **error_responses(*BODY_ERRORS)},
)
async def ask(body: AskRequest, engine: EngineDep, request: Request) -> Answer:
    """Answer a Chinese or English question with the figure, its unit and where it comes from.

    When the report does not say, `answerable` is false and `citations` hold the nearest passages.
    """
    answer = await run_sync(request, library.ask, body.question, engine, top_k=body.top_k)
    await record_answer(request, answer)
    return answer


@v1.post(
    "/check",
    response_model=CheckResponse,
    summary="Check the figures in a text",
    responses={**example_response(CHECK_RESPONSE_EXAMPLE, "Every figure with its verdict and source."), **error_responses(*BODY_ERRORS)},
)
async def check(body: CheckRequest, engine: EngineDep, request: Request) -> CheckResponse:
    """Find every numeric claim in `text` and say whether the report verifies, derives, contradicts or does not support it."""
    facts = await run_sync(request, library.check, body.text, engine)
    record_facts(request, facts, "check")
    return CheckResponse.from_facts(body.text, facts)


@v1.get("/search", response_model=list[SearchHit], summary="Retrieve passages, tables and rows", responses=error_responses(422))
async def search(
    request: Request,
    engine: EngineDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION_CHARS, pattern=NOT_BLANK,
                            description="What to look for (Chinese or English); not blank.", examples=[EXAMPLE_QUESTION])],
    k: Annotated[int | None, Query(ge=1, le=50, description="How many hits (1..50). Default: `retrieval.top_k`.")] = None,
) -> list[SearchHit]:
    """Hybrid (dense + BM25) retrieval over text, table and row chunks, best first."""
    hits = await run_sync(request, library.search, q, engine, k)
    return [SearchHit.from_hit(h) for h in hits]


@v1.get("/tables", response_model=list[DocTable], summary="All tables as typed, validated data")
async def tables(engine: EngineDep) -> list[DocTable]:
    """Every table (表N) with its columns, typed cells and arithmetic checks — the same JSON as `reportqa tables --json`."""
    return doc_tables(engine.documents)


@v1.get("/tables/{table_id}", response_model=DocTable, summary="One table", responses=error_responses(404, 409, 422))
async def table(
    engine: EngineDep,
    table_id: Annotated[str, Path(
        description="Table id, document-qualified ('<doc>:表1') or as printed ('表1', then `doc` when several reports have it); "
                    "URL-encoded: 表1 → %E8%A1%A81.",
        examples=["china-sharing-economy-report-2023:表1", "表1"],
    )],
    doc: Annotated[str | None, Query(description="Document id (file stem) the table belongs to.")] = None,
) -> DocTable:
    """A table by id; 404 names the ids that exist, 409 lists the qualified ids when a bare id is in several reports."""
    return with_doc(library.get_table(table_id, engine, doc=doc), engine.documents)


@v1.get("/sections", response_model=list[SectionNode], summary="The report's heading tree")
async def sections(engine: EngineDep) -> list[SectionNode]:
    """Every document's sections nested under their parents, in reading order."""
    return section_tree(engine.documents)


@v1.get("/audit", response_model=list[Finding], summary="The report's internal inconsistencies")
async def audit(engine: EngineDep, request: Request) -> list[Finding]:
    """Places where the report disagrees with itself (text vs table, table arithmetic, contents vs body, ...)."""
    return await run_sync(request, library.audit, engine)


@router.get("/healthz", response_model=Health, summary="Liveness")
async def healthz() -> Health:
    """The process is up (says nothing about the index)."""
    return Health()


@router.get(
    "/readyz",
    response_model=Ready,
    summary="Readiness",
    responses={503: {"model": NotReady, "description": "Building or loading the index (Retry-After), or failed (detail says what to do)."}},
)
async def readyz(request: Request, service: ServiceDep) -> Ready | JSONResponse:
    """200 when the index and the model are loaded (with `warnings` an operator should act on); 503 with the status,
    the build's progress and what to do otherwise."""
    engine = service.engine
    if engine is not None:
        return Ready.from_manifest(engine.manifest, service.all_warnings())
    exc = not_ready(request)
    status = service.state if service.state != "ready" else "failed"
    body = NotReady(status=status, detail=str(exc.detail), progress=service.progress if status == "building" else None)
    return JSONResponse(body.model_dump(mode="json", exclude_none=True), status_code=503, headers=exc.headers)


router.include_router(v1)
router.include_router(admin)
