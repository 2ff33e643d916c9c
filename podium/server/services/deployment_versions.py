"""Deployment versions: switch a deployment to another version of its pipeline name, roll back,
and the history of what it served.

A switch is one guarded UPDATE of ``deployments.pipeline_id``. Every predict call resolves its
deployment (and the pipeline's SHA-256) with one fresh query, so the next call in every API
process serves the new version; calls already scoring finish on the old one, which stays in
the process's cache. Before the UPDATE the new version is verified and loaded into this
process's cache (a broken artifact is a 409 and nothing changes), so no call fails because of
the switch; other processes load it on their first call (slower once, not failed).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from podium.server.db.models import Deployment, DeploymentVersion, Pipeline, PipelineLabel
from podium.server.errors import Conflict, InvalidInput
from podium.server.schemas.deployment_versions import DeploymentSwitch
from podium.server.services import audit, deployments, webhooks
from podium.server.services.predictions import PipelineCache
from podium.server.storage import ArtifactStore


def history(session: Session, dep: Deployment) -> list[DeploymentVersion]:
    """The deployment's changes of version, newest first."""
    return list(
        session.scalars(
            select(DeploymentVersion)
            .where(DeploymentVersion.deployment_id == dep.id)
            .order_by(DeploymentVersion.created_at.desc(), DeploymentVersion.id)
        )
    )


def available(session: Session, dep: Deployment) -> list[Pipeline]:
    """Every version of the deployed pipeline name in its workspace, newest first."""
    return list(
        session.scalars(
            select(Pipeline)
            .where(Pipeline.workspace_id == dep.workspace_id, Pipeline.name == dep.pipeline.name)
            .order_by(Pipeline.version.desc())
        )
    )


def rollback_target(session: Session, dep: Deployment) -> Pipeline | None:
    """What a rollback serves: the version served before the newest change (if it still exists)."""
    last = session.scalar(
        select(DeploymentVersion)
        .where(DeploymentVersion.deployment_id == dep.id)
        .order_by(DeploymentVersion.created_at.desc(), DeploymentVersion.id)
        .limit(1)
    )
    if last is None or last.from_pipeline_id is None or last.pipeline_id != dep.pipeline_id:
        return None
    return session.get(Pipeline, last.from_pipeline_id)


def record(
    session: Session,
    dep: Deployment,
    action: str,
    new: Pipeline,
    old: Pipeline | None,
    actor_id: uuid.UUID | None,
) -> DeploymentVersion:
    """Add the history row of a change (the caller commits it with the change)."""
    row = DeploymentVersion(
        workspace_id=dep.workspace_id,
        deployment_id=dep.id,
        action=action,
        pipeline_id=new.id,
        pipeline_version=new.version,
        from_pipeline_id=old.id if old else None,
        from_version=old.version if old else None,
        actor_id=actor_id,
    )
    session.add(row)
    return row


def switch(
    session: Session,
    store: ArtifactStore,
    cache: PipelineCache,
    user_id: uuid.UUID,
    deployment_id: uuid.UUID,
    body: DeploymentSwitch,
) -> Deployment:
    """Serve another version of the same pipeline name (editors).

    Raises
    ------
    NotFound
        No such version (or label) of the deployed pipeline name.
    Conflict
        It is the version served now, it is not ready, its artifact fails its checks, or it
        takes other input columns (unless ``force``).
    """
    dep = deployments.get(session, user_id, deployment_id, "editor")
    target = _find(session, dep, body)
    return _move(session, store, cache, dep, target, "switch", user_id, body.force)


def rollback(
    session: Session,
    store: ArtifactStore,
    cache: PipelineCache,
    user_id: uuid.UUID,
    deployment_id: uuid.UUID,
) -> Deployment:
    """Serve the version served before the newest change (editors); 409 when there is none."""
    dep = deployments.get(session, user_id, deployment_id, "editor")
    target = rollback_target(session, dep)
    if target is None:
        raise Conflict(
            f"deployment {dep.slug!r} has no previous version to roll back to (it has served "
            f"v{dep.pipeline.version} since it was deployed, or that version was deleted); "
            "switch to a version instead"
        )
    return _move(session, store, cache, dep, target, "rollback", user_id, force=True)


def _find(session: Session, dep: Deployment, body: DeploymentSwitch) -> Pipeline:
    name = dep.pipeline.name
    query = select(Pipeline).where(Pipeline.workspace_id == dep.workspace_id, Pipeline.name == name)
    if body.label is not None:
        query = query.join(PipelineLabel, PipelineLabel.pipeline_id == Pipeline.id).where(
            PipelineLabel.label == body.label
        )
        what = f"label {body.label!r}"
    else:
        query = query.where(Pipeline.version == body.version)
        what = f"version {body.version}"
    found = session.scalar(query)
    if found is None:
        versions = ", ".join(f"v{p.version}" for p in available(session, dep))
        raise InvalidInput(
            f"pipeline {name!r} has no {what}; its versions are {versions} "
            "(labels are set on the pipeline's page)"
        )
    return found


def _move(
    session: Session,
    store: ArtifactStore,
    cache: PipelineCache,
    dep: Deployment,
    target: Pipeline,
    action: str,
    user_id: uuid.UUID,
    force: bool,
) -> Deployment:
    current = dep.pipeline
    if target.id == current.id:
        raise Conflict(f"deployment {dep.slug!r} already serves {target.name} v{target.version}")
    if target.status != "ready":
        raise Conflict(
            f"{target.name} v{target.version} is {target.status}; only a ready version "
            "can be served"
        )
    if not force:
        _same_columns(current, target)
    cache.get(store, target)  # verified and loaded before anyone is sent to it
    moved = session.execute(
        update(Deployment)
        .where(Deployment.id == dep.id, Deployment.pipeline_id == current.id)
        .values(pipeline_id=target.id)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict(f"deployment {dep.slug!r} was changed meanwhile; reload and try again")
    record(session, dep, action, target, current, user_id)
    change = {
        "slug": dep.slug,
        "pipeline": target.name,
        "from_version": current.version,
        "to_version": target.version,
    }
    audit.record(
        session,
        workspace_id=dep.workspace_id,
        action=f"deployment.{action}",
        resource_type="deployment",
        resource_id=dep.id,
        detail=change,
    )
    webhooks.emit(
        session,
        dep.workspace_id,
        "deployment.changed",
        {"deployment_id": str(dep.id), "action": f"deployment.{action}", **change},
    )
    session.commit()
    session.expire_all()
    return deployments.get(session, user_id, dep.id)


def _same_columns(current: Pipeline, target: Pipeline) -> None:
    old = {c["name"] for c in current.input_schema}
    new = {c["name"] for c in target.input_schema}
    if old == new:
        return
    added, removed = sorted(new - old), sorted(old - new)
    parts = [f"adds {', '.join(added)}"] if added else []
    parts += [f"drops {', '.join(removed)}"] if removed else []
    raise Conflict(
        f"v{target.version} takes other input columns than v{current.version} "
        f"({'; '.join(parts)}): callers sending v{current.version}'s columns "
        "would get 422; send force=true to switch anyway"
    )
