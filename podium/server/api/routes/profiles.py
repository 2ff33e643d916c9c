"""A data source's profile: 200 when a worker has computed it, 202 while it is queued or running."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from podium.server.api.deps import CurrentUser, SessionDep, StoreDep
from podium.server.api.responses import errors
from podium.server.schemas.profiles import ProfileRead, ProfileStatus
from podium.server.services import profiles

router = APIRouter(tags=["data-sources"])
PENDING: dict[int | str, dict[str, Any]] = {
    202: {
        "model": ProfileStatus,
        "description": "Queued or being computed by a worker; ask again in a few seconds",
    }
}


@router.get(
    "/data-sources/{source_id}/profile",
    name="profile",
    response_model=ProfileRead,
    responses={
        **PENDING,
        **errors(401, 404, 409, 422, notes={409: "The profile could not be computed (why)"}),
    },
)
def get_profile(
    source_id: uuid.UUID,
    session: SessionDep,
    store: StoreDep,
    user: CurrentUser,
    target: Annotated[
        str | None,
        Query(max_length=500, description="Also profile against this column (queued once)"),
    ] = None,
) -> ProfileRead | JSONResponse:
    """The data source's profile: column statistics, histograms, correlations, findings."""
    state = profiles.read(session, store, user.id, source_id, target)
    row = state.row
    if state.profile is None:
        body = ProfileStatus(
            data_source_id=row.data_source_id,
            target=row.target or None,
            status="running" if row.status == "running" else "queued",
            detail=f"the profile is {row.status}: ask again in a few seconds",
        )
        return JSONResponse(body.model_dump(mode="json"), status_code=202)
    data = {**state.profile, "data_source_id": row.data_source_id, "computed_at": row.finished_at}
    return ProfileRead.model_validate(data)
