"""Pipelines: promote a run (queued build), list, get, download the artifact, delete."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from podium.server.api.deps import CurrentUser, SessionDep, StoreDep, WorkspaceMember
from podium.server.api.responses import errors
from podium.server.db.models import Pipeline
from podium.server.schemas.pipelines import PipelineList, PipelinePromote, PipelineRead
from podium.server.services import pipelines

router = APIRouter(tags=["pipelines"])


def read(row: Pipeline) -> PipelineRead:
    """The API shape of a pipeline (ONNX status, hyperparameters and example rows from its
    manifest)."""
    manifest = row.manifest or {}
    extra = manifest.get("extra") or {}
    update = {
        "onnx": extra.get("onnx"),
        "params": dict(extra.get("params") or {}),
        "examples": list(manifest.get("examples") or []),
    }
    return PipelineRead.model_validate(row).model_copy(update=update)


@router.post(
    "/runs/{run_id}/promote",
    name="promote",
    status_code=status.HTTP_202_ACCEPTED,
    responses=errors(401, 403, 404, 409, 422),
)
def promote_run(
    run_id: uuid.UUID, body: PipelinePromote, session: SessionDep, user: CurrentUser
) -> PipelineRead:
    """Promote a succeeded run's best (or named) model (editors); a worker builds it."""
    return read(pipelines.promote(session, user.id, run_id, body))


@router.get("/workspaces/{ws}/pipelines", name="list", responses=errors(401, 404, 422))
def list_pipelines(member: WorkspaceMember, session: SessionDep) -> PipelineList:
    """Pipelines of a workspace, newest first."""
    rows = pipelines.list_pipelines(session, member)
    return PipelineList(data=[read(r) for r in rows], count=len(rows))


@router.get("/pipelines/{pipeline_id}", name="get", responses=errors(401, 404, 422))
def get_pipeline(pipeline_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> PipelineRead:
    """One pipeline: status, metrics, input schema, checksum, library versions."""
    return read(pipelines.get(session, user.id, pipeline_id))


@router.get(
    "/pipelines/{pipeline_id}/download",
    name="download",
    response_class=Response,
    responses={
        200: {"content": {"application/zip": {}}, "description": "artifact + manifest"},
        **errors(401, 404, 409, 422),
    },
)
def download_pipeline(
    pipeline_id: uuid.UUID, session: SessionDep, store: StoreDep, user: CurrentUser
) -> Response:
    """A zip of the checksum-verified artifact and its manifest.json (load with podium predict)."""
    row = pipelines.get(session, user.id, pipeline_id)
    filename, content = pipelines.download(store, row)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type="application/zip", headers=headers)


@router.delete(
    "/pipelines/{pipeline_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 409, 422),
)
def delete_pipeline(
    pipeline_id: uuid.UUID, session: SessionDep, store: StoreDep, user: CurrentUser
) -> None:
    """Delete a pipeline and its artifact (editors; 409 while deployed or building)."""
    pipelines.delete(session, store, user.id, pipeline_id)
