"""Deployments: create from a pipeline, list, get (with stats), change settings, delete."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, status

from podium.server.api.deps import (
    CurrentUser,
    PipelineCacheDep,
    SessionDep,
    StoreDep,
    WorkspaceMember,
    flush_predict_stats,
)
from podium.server.api.responses import errors
from podium.server.schemas.deployments import (
    DeploymentCreate,
    DeploymentList,
    DeploymentRead,
    DeploymentUpdate,
)
from podium.server.services import deployments

router = APIRouter(tags=["deployments"])
# Routes that read a deployment's stats write this process's pending ones first (exact counts).
FLUSHED = [Depends(flush_predict_stats)]


@router.post(
    "/pipelines/{pipeline_id}/deployments",
    name="create",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 403, 404, 409, 422),
)
def create_deployment(
    pipeline_id: uuid.UUID,
    body: DeploymentCreate,
    session: SessionDep,
    store: StoreDep,
    cache: PipelineCacheDep,
    user: CurrentUser,
) -> DeploymentRead:
    """Deploy a ready pipeline at /deployments/{slug}/predict (editors; 409 on a taken slug
    or an artifact that fails its checks). The pipeline is loaded before this answers."""
    dep = deployments.create(
        session, user.id, pipeline_id, body, load=lambda row: cache.get(store, row)
    )
    return DeploymentRead.model_validate(deployments.stats(dep))


@router.get(
    "/workspaces/{ws}/deployments",
    name="list",
    dependencies=FLUSHED,
    responses=errors(401, 404, 422),
)
def list_deployments(member: WorkspaceMember, session: SessionDep) -> DeploymentList:
    """Deployments of a workspace with their stats, newest first."""
    rows = deployments.list_deployments(session, member)
    data = [DeploymentRead.model_validate(deployments.stats(d)) for d in rows]
    return DeploymentList(data=data, count=len(data))


@router.get(
    "/deployments/{deployment_id}",
    name="get",
    dependencies=FLUSHED,
    responses=errors(401, 404, 422),
)
def get_deployment(
    deployment_id: uuid.UUID, session: SessionDep, user: CurrentUser
) -> DeploymentRead:
    """One deployment: requests, errors, p50/p95 latency, last request time."""
    dep = deployments.get(session, user.id, deployment_id)
    return DeploymentRead.model_validate(deployments.stats(dep))


@router.patch(
    "/deployments/{deployment_id}",
    name="update",
    dependencies=FLUSHED,
    responses=errors(401, 403, 404, 422),
)
def update_deployment(
    deployment_id: uuid.UUID, body: DeploymentUpdate, session: SessionDep, user: CurrentUser
) -> DeploymentRead:
    """Pause/resume, auth mode, prediction log settings, drift schedule (editors)."""
    dep = deployments.change(session, user.id, deployment_id, body)
    return DeploymentRead.model_validate(deployments.stats(dep))


@router.delete(
    "/deployments/{deployment_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 422),
)
def delete_deployment(deployment_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> None:
    """Delete a deployment (editors); its endpoint answers 404 from now on."""
    deployments.remove(session, user.id, deployment_id)
