"""Admin routes (``/v1/admin``), behind ``REPORTQA_API__ADMIN_KEY`` sent as ``Authorization: Bearer <key>``.

Without a configured key every admin route answers 403 saying how to enable it; a missing or wrong key is 401.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from api.deps import ServiceDep, SettingsDep
from api.schemas import error_responses
from reportqa.records import IndexWarning

DISABLED = ("admin routes are disabled — set REPORTQA_API__ADMIN_KEY to a secret and restart the service, then send it as "
            "`Authorization: Bearer <key>`; or send a key made with `reportqa keys create NAME --scope admin`")
UNAUTHORISED = "missing or wrong admin key — send `Authorization: Bearer <REPORTQA_API__ADMIN_KEY>`"

bearer = HTTPBearer(auto_error=False, description="The value of REPORTQA_API__ADMIN_KEY.")


async def require_admin(request: Request, settings: SettingsDep,
                        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    """Pass a stored key with the 'admin' scope (checked by api/auth.py); else 403 when no admin key is configured,
    401 unless the request carries it as a bearer token."""
    if "admin" in (getattr(request.state, "api_scopes", None) or []):
        return
    key = settings.api.admin_key
    if key is None or not key.get_secret_value():
        raise HTTPException(status_code=403, detail=DISABLED)
    sent = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(sent.encode(), key.get_secret_value().encode()):
        raise HTTPException(status_code=401, detail=UNAUTHORISED, headers={"WWW-Authenticate": "Bearer"})


class Reloaded(BaseModel):
    """The index now serving after a reload."""

    status: str = Field(default="reloaded", description="Always 'reloaded' (a failed reload is a 409).")
    build_id: str = Field(description="Build id of the index now serving.")
    previous_build_id: str | None = Field(description="Build id served before the reload (null if none was).")
    chunks: int = Field(description="Chunks in the index now serving.")
    warnings: list[IndexWarning] = Field(default_factory=list, description="Same as /readyz warnings.")


admin = APIRouter(prefix="/v1/admin", dependencies=[Depends(require_admin)], tags=["admin"])


@admin.post("/reload", response_model=Reloaded, summary="Swap in the index on disk", responses=error_responses(401, 403, 409))
async def reload(service: ServiceDep) -> Reloaded:
    """Verify and load the index on disk (after `reportqa index`) and swap it in without a restart.

    Requests in flight finish on the old index. If the new one does not load (missing, corrupt, other
    embedder), the answer is a 409 saying why and the service keeps serving the index it had. `kill -HUP <pid>` does the same.
    """
    previous, engine = await run_in_threadpool(service.reload)
    return Reloaded(build_id=engine.manifest.build_id, previous_build_id=previous, chunks=engine.manifest.chunks, warnings=service.all_warnings())
