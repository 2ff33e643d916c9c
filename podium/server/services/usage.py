"""Checks that refuse deleting things still in use (409)."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from podium.server.db.models import Experiment, Pipeline, Run
from podium.server.errors import Conflict

ACTIVE = ("queued", "running")
Q = TypeVar("Q", bound="Select[*tuple[Any, ...]]")


def runs_of(
    query: Q,
    *,
    workspace_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
    experiment_id: uuid.UUID | None = None,
) -> Q:
    """``query`` (over ``runs``) narrowed to the runs of a workspace, a project or an
    experiment: the one place that says which runs a container holds."""
    if workspace_id is not None:
        query = query.where(Run.workspace_id == workspace_id)
    if experiment_id is not None:
        query = query.where(Run.experiment_id == experiment_id)
    if project_id is not None:
        query = query.join(Experiment, Experiment.id == Run.experiment_id).where(
            Experiment.project_id == project_id
        )
    return query


def refuse_if_active(
    session: Session,
    *,
    workspace_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
    experiment_id: uuid.UUID | None = None,
) -> None:
    """Conflict while a run of the workspace/project/experiment is queued or running."""
    query = select(func.count()).select_from(Run).where(Run.status.in_(ACTIVE))
    scope = {"workspace_id": workspace_id, "project_id": project_id}
    active = session.scalar(runs_of(query, **scope, experiment_id=experiment_id)) or 0
    if active:
        raise Conflict(f"{active} run(s) are still queued or running; cancel them first")


def refuse_if_building(session: Session, workspace_id: uuid.UUID) -> None:
    """Conflict while a pipeline of the workspace is building (a worker is refitting it)."""
    building = session.scalar(
        select(func.count())
        .select_from(Pipeline)
        .where(Pipeline.workspace_id == workspace_id, Pipeline.status == "building")
    )
    if building:
        raise Conflict(f"{building} pipeline(s) are still building; wait for them to finish")


def refuse_if_data_used(session: Session, data_source_id: uuid.UUID) -> None:
    """Conflict when runs or experiments use the data source."""
    runs = session.scalar(
        select(func.count()).select_from(Run).where(Run.data_source_id == data_source_id)
    )
    if runs:
        raise Conflict(
            f"data source {data_source_id} is used by {runs} run(s); delete those runs' "
            "experiments first"
        )
    names = list(
        session.scalars(select(Experiment.name).where(Experiment.data_source_id == data_source_id))
    )
    if names:
        raise Conflict(
            f"data source {data_source_id} is used by experiment(s) {', '.join(names)}; "
            "delete them first"
        )
