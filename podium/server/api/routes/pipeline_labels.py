"""Pipeline labels: put ``staging`` / ``production`` on a version (moving it), or take it off."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from podium.server.api.deps import CurrentUser, SessionDep
from podium.server.api.responses import errors
from podium.server.api.routes.pipelines import read
from podium.server.schemas.pipeline_labels import Label
from podium.server.schemas.pipelines import PipelineRead
from podium.server.services import pipeline_labels

router = APIRouter(tags=["pipeline-labels"])


@router.put(
    "/pipelines/{pipeline_id}/labels/{label}",
    name="put",
    responses=errors(401, 403, 404, 409, 422),
)
def put_label(
    pipeline_id: uuid.UUID, label: Label, session: SessionDep, user: CurrentUser
) -> PipelineRead:
    """Put the label on this version (editors); the version that had it loses it."""
    return read(pipeline_labels.put(session, user.id, pipeline_id, label))


@router.delete(
    "/pipelines/{pipeline_id}/labels/{label}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 422),
)
def delete_label(
    pipeline_id: uuid.UUID, label: Label, session: SessionDep, user: CurrentUser
) -> None:
    """Take the label off this version (editors; 404 when it does not carry it)."""
    pipeline_labels.remove(session, user.id, pipeline_id, label)
