"""Pipeline labels: ``staging`` / ``production`` on one version of a pipeline name.

A label is unique per (workspace, pipeline name): putting it on a version moves it from the
version that had it, in one transaction (the unique constraint guards concurrent moves).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from podium.server.db.models import Pipeline, PipelineLabel
from podium.server.errors import Conflict, NotFound
from podium.server.services import audit, pipelines


def put(session: Session, user_id: uuid.UUID, pipeline_id: uuid.UUID, label: str) -> Pipeline:
    """Put ``label`` on this version (editors), moving it from the version that had it."""
    row = pipelines.get(session, user_id, pipeline_id, "editor")
    if row.status != "ready":
        raise Conflict(
            f"pipeline {row.name} v{row.version} is {row.status}; only a ready version "
            "can carry a label"
        )
    held = session.scalar(
        select(PipelineLabel).where(
            PipelineLabel.workspace_id == row.workspace_id,
            PipelineLabel.name == row.name,
            PipelineLabel.label == label,
        )
    )
    if held is None:
        session.add(
            PipelineLabel(
                workspace_id=row.workspace_id, name=row.name, label=label, pipeline_id=row.id
            )
        )
    else:
        held.pipeline_id = row.id
    _record(session, row, "pipeline.label", label)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"label {label!r} was moved meanwhile; try again") from None
    session.expire_all()
    return pipelines.get(session, user_id, pipeline_id)


def remove(session: Session, user_id: uuid.UUID, pipeline_id: uuid.UUID, label: str) -> None:
    """Take ``label`` off this version (editors); 404 when this version does not carry it."""
    row = pipelines.get(session, user_id, pipeline_id, "editor")
    held = session.scalar(
        select(PipelineLabel).where(
            PipelineLabel.pipeline_id == row.id, PipelineLabel.label == label
        )
    )
    if held is None:
        raise NotFound(f"pipeline {row.name} v{row.version} has no label {label!r}")
    session.delete(held)
    _record(session, row, "pipeline.unlabel", label)
    session.commit()


def _record(session: Session, row: Pipeline, action: str, label: str) -> None:
    audit.record(
        session,
        workspace_id=row.workspace_id,
        action=action,
        resource_type="pipeline",
        resource_id=row.id,
        detail={"name": row.name, "version": row.version, "label": label},
    )
