"""Deployment versions: history and choices, switch to another version, roll back."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends

from podium.server.api.deps import (
    CurrentUser,
    PipelineCacheDep,
    SessionDep,
    StoreDep,
    flush_predict_stats,
)
from podium.server.api.responses import errors
from podium.server.schemas.deployment_versions import (
    DeploymentSwitch,
    DeploymentVersionRead,
    DeploymentVersions,
    PipelineVersionRead,
)
from podium.server.schemas.deployments import DeploymentRead
from podium.server.services import deployment_versions, deployments

router = APIRouter(tags=["deployment-versions"])
FLUSHED = [Depends(flush_predict_stats)]


@router.get("/deployments/{deployment_id}/versions", name="list", responses=errors(401, 404, 422))
def list_versions(
    deployment_id: uuid.UUID, session: SessionDep, user: CurrentUser
) -> DeploymentVersions:
    """The version served, the history of changes (newest first), the versions available."""
    dep = deployments.get(session, user.id, deployment_id)
    back = deployment_versions.rollback_target(session, dep)
    return DeploymentVersions(
        pipeline_name=dep.pipeline.name,
        current_pipeline_id=dep.pipeline_id,
        current_version=dep.pipeline.version,
        rollback_to=back.version if back else None,
        history=[
            DeploymentVersionRead.model_validate(r)
            for r in deployment_versions.history(session, dep)
        ],
        available=[
            PipelineVersionRead.model_validate(p)
            for p in deployment_versions.available(session, dep)
        ],
    )


@router.post(
    "/deployments/{deployment_id}/switch",
    name="switch",
    dependencies=FLUSHED,
    responses=errors(401, 403, 404, 409, 422),
)
def switch_version(
    deployment_id: uuid.UUID,
    body: DeploymentSwitch,
    session: SessionDep,
    store: StoreDep,
    cache: PipelineCacheDep,
    user: CurrentUser,
) -> DeploymentRead:
    """Serve another version of the same pipeline name, by number or label (editors)."""
    dep = deployment_versions.switch(session, store, cache, user.id, deployment_id, body)
    return DeploymentRead.model_validate(deployments.stats(dep))


@router.post(
    "/deployments/{deployment_id}/rollback",
    name="rollback",
    dependencies=FLUSHED,
    responses=errors(401, 403, 404, 409, 422),
)
def rollback_version(
    deployment_id: uuid.UUID,
    session: SessionDep,
    store: StoreDep,
    cache: PipelineCacheDep,
    user: CurrentUser,
) -> DeploymentRead:
    """Serve the version served before the newest change (editors; 409 when none)."""
    dep = deployment_versions.rollback(session, store, cache, user.id, deployment_id)
    return DeploymentRead.model_validate(deployments.stats(dep))
